"""Why the engine refuses a command: one enum, with each refusal's user text here only.

A refusal's value is its stable code (the node's JSON `code`); its text is a template
filled from the refusal's details (`CommandError(Refusal.MISSING_ARGUMENT,
command="join", argument="name")`). Fronts match on the member, never on the text.
A few members carry a text made elsewhere as their `reason` detail (a parser's error,
a join refusal from join_client, a core rule's reason put into words): the member still
says which kind of refusal it is, and the text stays where it is made.
"""

from __future__ import annotations

import enum

from peerapp.core.rule_reasons import RuleReason


class Refusal(enum.Enum):
    # the contract's own (core/api/registry.py)
    UNKNOWN_COMMAND = "unknown_command"
    EXTRA_ARGUMENTS = "extra_arguments"
    MISSING_ARGUMENT = "missing_argument"
    WRONG_TYPE = "wrong_type"
    FRONT_ONLY = "front_only"
    # the engine's
    BUSY = "busy"
    NOT_RUNNING = "not_running"
    NOT_A_MULTIADDR = "not_a_multiaddr"
    NO_ANSWER = "no_answer"
    NOT_CONNECTED = "not_connected"
    NO_PROFILE_ADDRESS_IN_TOR = "no_profile_address_in_tor"
    # flags (docs/node.md "Care flags")
    FLAG_KIND = "flag_kind"
    CARE_FLAG_NEEDS_MEMBER = "care_flag_needs_member"
    HARM_FLAG_NEEDS_MESSAGE = "harm_flag_needs_message"
    HARM_FLAG_ONLY_MESSAGE = "harm_flag_only_message"
    # crisis resources
    NO_CRISIS_RESOURCES = "no_crisis_resources"
    # ids and ranges of arguments
    NOT_AN_ID = "not_an_id"
    NOT_A_CIRCLE_ID = "not_a_circle_id"
    NOT_A_MESSAGE_ID = "not_a_message_id"
    NOT_A_REQUEST_ID = "not_a_request_id"
    OUT_OF_RANGE = "out_of_range"
    OUT_OF_RANGE_SECONDS = "out_of_range_seconds"
    MUTE_TOO_LONG = "mute_too_long"
    SLOW_MODE_TOO_LONG = "slow_mode_too_long"
    REASON_NOT_PLAIN = "reason_not_plain"  # a moderation reason (too long: REASON_TOO_LONG)
    # the network
    NETWORK_NOT_RUNNING = "network_not_running"
    TOR_CIRCLE_ASLEEP = "tor_circle_asleep"
    DIRECT_CIRCLE_ASLEEP = "direct_circle_asleep"
    BAD_NETWORK_MODE = "bad_network_mode"
    TOR_PAIR_NEEDED = "tor_pair_needed"
    TOR_CONFIG_WITH_EXISTING = "tor_config_with_existing"
    BAD_TOR_SETTING = "bad_tor_setting"
    # the desktop app's look
    BAD_THEME = "bad_theme"
    # circles and their rules
    NOT_IN_CIRCLE = "not_in_circle"
    LEFT_CIRCLE = "left_circle"
    REMOVED_FROM_CIRCLE = "removed_from_circle"
    NO_LONGER_MEMBER = "no_longer_member"
    STILL_A_MEMBER = "still_a_member"
    NOT_A_MEMBER = "not_a_member"
    CIRCLE_NEEDS_NAME = "circle_needs_name"
    CIRCLE_NAME_TOO_LONG = "circle_name_too_long"
    CIRCLE_RULE = "circle_rule"
    REFUSED_BY_RULES = "refused_by_rules"
    NO_KEYS_YET = "no_keys_yet"
    TYPING_OFF = "typing_off"
    MUTED = "muted"
    SLOW_MODE = "slow_mode"
    # replies, reactions and edits (issue 15)
    EDIT_NOT_AUTHOR = "edit_not_author"
    EDIT_CHECK_IN = "edit_check_in"
    EDIT_WINDOW_CLOSED = "edit_window_closed"
    TOO_MANY_REACTIONS = "too_many_reactions"
    NOT_A_REACTION = "not_a_reaction"
    # the circle's rules (core/circle_state.py's reasons, mapped in RULE_REFUSALS)
    RANKED_BELOW_ONLY = "ranked_below_only"
    ALREADY_FACILITATOR = "already_facilitator"
    NOT_A_FACILITATOR = "not_a_facilitator"
    NEVER_A_MEMBER = "never_a_member"
    ALREADY_BANNED = "already_banned"
    ALREADY_DELETED = "already_deleted"
    ALREADY_REVOKED = "already_revoked"
    UNKNOWN_INVITE = "unknown_invite"
    FOUNDER_TO_FACILITATOR = "founder_to_facilitator"
    DELETE_NOT_ALLOWED = "delete_not_allowed"
    OWN_MESSAGE_FLAG = "own_message_flag"
    ALREADY_REVIEWED = "already_reviewed"
    ALREADY_FLAGGED = "already_flagged"
    OWN_MESSAGE_REVIEW = "own_message_review"
    NOT_PENDING_REVIEW = "not_pending_review"
    TOO_NEW_TO_FLAG = "too_new_to_flag"
    ONLY_FACILITATORS_INVITE = "only_facilitators_invite"
    APPROVAL_ONLY_FACILITATORS_INVITE = "approval_only_facilitators_invite"
    # messages
    NOTHING_TO_SEND = "nothing_to_send"
    MESSAGE_TOO_LONG = "message_too_long"
    SEARCH_TOO_LONG = "search_too_long"
    BAD_CW_LABEL = "bad_cw_label"
    BAD_MOOD = "bad_mood"
    NO_SUCH_MESSAGE = "no_such_message"
    # pictures and files (issue 15, docs/node.md "Pictures and files")
    ATTACHMENT_UNREADABLE = "attachment_unreadable"
    ATTACHMENT_EMPTY = "attachment_empty"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    BAD_IMAGE = "bad_image"
    NO_ATTACHMENT = "no_attachment"
    ATTACHMENT_OVER_LIMIT = "attachment_over_limit"
    ATTACHMENT_UNAVAILABLE = "attachment_unavailable"
    ATTACHMENT_DAMAGED = "attachment_damaged"
    SAVE_FAILED = "save_failed"
    # moderation
    INVITEES_OUTRANK = "invitees_outrank"
    GUIDELINES_TOO_LONG = "guidelines_too_long"
    INVITE_FOR_OTHER_CIRCLE = "invite_for_other_circle"
    ONLY_FACILITATORS_COMPARE = "only_facilitators_compare"
    CLEAR_MEMBER_STILL_IN = "clear_member_still_in"
    NOT_A_FORMER_MEMBER = "not_a_former_member"
    # boundaries
    CANNOT_BLOCK_SELF = "cannot_block_self"
    QUIET_HOURS_SHAPE = "quiet_hours_shape"
    BAD_QUIET_HOURS = "bad_quiet_hours"
    NOT_A_CW_TOPIC = "not_a_cw_topic"
    BAD_FILTER_MODE = "bad_filter_mode"
    # reports and care flags (the mailbox)
    REPORT_NEEDS_REASON = "report_needs_reason"
    REASON_TOO_LONG = "reason_too_long"
    OWN_MESSAGE_REPORT = "own_message_report"
    MESSAGE_NOT_HERE = "message_not_here"
    NOTE_TOO_LONG = "note_too_long"
    NOT_THE_AUTHOR_WORRIED_ABOUT = "not_the_author_worried_about"
    NO_FACILITATOR = "no_facilitator"
    ONLY_FACILITATOR_IS_AUTHOR = "only_facilitator_is_author"
    NO_FACILITATOR_FOR_CARE = "no_facilitator_for_care"
    ONLY_FACILITATOR_IS_FLAGGED = "only_facilitator_is_flagged"
    ONLY_FACILITATORS_SEE_REPORTS = "only_facilitators_see_reports"
    ONLY_FACILITATORS_RESOLVE_REPORTS = "only_facilitators_resolve_reports"
    ONLY_FACILITATORS_SEE_FLAGS = "only_facilitators_see_flags"
    ONLY_FACILITATORS_RESOLVE_FLAGS = "only_facilitators_resolve_flags"
    NO_SUCH_REPORT = "no_such_report"
    NO_SUCH_CARE_FLAG = "no_such_care_flag"
    # private conversations (core/private_talk.py)
    PRIVATE_ONLY_FACILITATORS_START = "private_only_facilitators_start"
    PRIVATE_NOT_A_MEMBER = "private_not_a_member"
    PRIVATE_ONESELF = "private_oneself"
    PRIVATE_BLOCKED = "private_blocked"
    PRIVATE_TEXT_EMPTY = "private_text_empty"
    PRIVATE_NOT_HERE = "private_not_here"
    # joining (engine/join_client.py: what the member answered, or that none did)
    INVITE_INVALID = "invite_invalid"
    INVITE_EXPIRED = "invite_expired"
    INVITE_UNREACHABLE = "invite_unreachable"
    INVITE_REFUSED = "invite_refused"
    INVITE_USED_UP = "invite_used_up"
    JOIN_NEEDS_FACILITATOR_INVITE = "join_needs_facilitator_invite"
    JOIN_DECLINED = "join_declined"
    JOIN_BUSY = "join_busy"
    ALREADY_MEMBER = "already_member"
    ALREADY_IN_CIRCLE = "already_in_circle"
    ALREADY_ASKED = "already_asked"
    NOT_WAITING_TO_JOIN = "not_waiting_to_join"
    ONLY_FACILITATORS_APPROVE = "only_facilitators_approve"
    ONLY_FACILITATORS_SEE_REQUESTS = "only_facilitators_see_requests"
    NO_SUCH_REQUEST = "no_such_request"
    REQUEST_ALREADY_ANSWERED = "request_already_answered"
    ALREADY_ADMITTED = "already_admitted"
    BANNED = "banned"
    STALE_INVITE_EXPIRED = "stale_invite_expired"
    STALE_INVITE_USED_UP = "stale_invite_used_up"
    STALE_INVITE_REVOKED = "stale_invite_revoked"
    STALE_INVITE_UNKNOWN = "stale_invite_unknown"
    STALE_INVITE_REFUSED = "stale_invite_refused"
    # the crisis directory
    CRISIS_DIRECTORY_INVALID = "crisis_directory_invalid"

    @property
    def template(self) -> str:
        return _TEXTS[self]

    def text(self, **detail: str) -> str:
        return _TEXTS[self].format(**detail)


_TEXTS: dict[Refusal, str] = {
    Refusal.UNKNOWN_COMMAND: "unknown command: {command!r}",
    Refusal.EXTRA_ARGUMENTS: "{command} does not take: {arguments}",
    Refusal.MISSING_ARGUMENT: "{command} needs the argument {argument!r}",
    Refusal.WRONG_TYPE: "{argument!r} must be {kind}",
    Refusal.FRONT_ONLY: "{command} is handled by the front, not the engine",
    Refusal.BUSY: "Hearth is busy; try again in a moment.",
    Refusal.NOT_RUNNING: "Hearth's engine is not running.",
    Refusal.NOT_A_MULTIADDR: "{address!r} is not a full multiaddr ending in /p2p/PEER_ID",
    Refusal.NO_ANSWER: "No answer from {address} within {seconds} s.",
    Refusal.NOT_CONNECTED: "Could not connect to {address}: {reason}",
    Refusal.NO_PROFILE_ADDRESS_IN_TOR: (
        "In Tor mode each circle has its own onion address and peer id: members "
        "are dialled from the circle, there is no profile-wide address to use."
    ),
    Refusal.FLAG_KIND: 'A flag\'s kind is "care" or "harm".',
    Refusal.CARE_FLAG_NEEDS_MEMBER: "A care flag needs the member you are worried about.",
    Refusal.HARM_FLAG_NEEDS_MESSAGE: "A harm flag needs the message.",
    Refusal.HARM_FLAG_ONLY_MESSAGE: "A harm flag takes only the message.",
    Refusal.NO_CRISIS_RESOURCES: (
        "No crisis resources are bundled for country {country!r}. "
        "Use crisis_countries to list the country codes there are."
    ),
    Refusal.NOT_AN_ID: "{text!r} is not a {what}.",
    Refusal.NOT_A_CIRCLE_ID: "{text!r} is not a circle id",
    Refusal.NOT_A_MESSAGE_ID: "{text!r} is not a message id",
    Refusal.NOT_A_REQUEST_ID: "{text!r} is not a request id",
    Refusal.OUT_OF_RANGE: "{argument!r} must be between {low} and {high}",
    Refusal.OUT_OF_RANGE_SECONDS: "{argument!r} must be between {low} and {high} seconds",
    Refusal.MUTE_TOO_LONG: "'seconds' must be between 0 and {high} ({days} days)",
    Refusal.SLOW_MODE_TOO_LONG: "'slow_mode_seconds' must be between 0 and {high} (a day)",
    Refusal.REASON_NOT_PLAIN: "A reason is plain text: leave out control characters.",
    Refusal.NETWORK_NOT_RUNNING: "The network is not running.",
    Refusal.TOR_CIRCLE_ASLEEP: (
        "This circle runs over Tor, and this profile is in direct mode now: switch back "
        "to Tor mode in the network settings (or run the node without --direct) to reach it."
    ),
    Refusal.DIRECT_CIRCLE_ASLEEP: (
        "This circle was made in direct mode, where members see each other's IP "
        "addresses; this profile is in Tor mode now. Switch to direct mode in the network "
        "settings to reach it, or start a new circle over Tor."
    ),
    Refusal.BAD_NETWORK_MODE: "{reason}",
    Refusal.BAD_THEME: "'theme' must be one of: {themes}",
    Refusal.TOR_PAIR_NEEDED: (
        "Using an existing Tor needs both its control address (tor_control) and its SOCKS "
        "address (tor_socks); give both, or clear both to use Hearth's own Tor."
    ),
    Refusal.TOR_CONFIG_WITH_EXISTING: (
        "Extra Tor settings (tor_config, such as bridges) are for Hearth's own Tor and cannot "
        "be used with an existing Tor: put those lines in that Tor's torrc, or clear the "
        "existing Tor's addresses (tor_control and tor_socks)."
    ),
    Refusal.BAD_TOR_SETTING: "{reason}",
    Refusal.NOT_IN_CIRCLE: "You are not in that circle.",
    Refusal.LEFT_CIRCLE: "You left this circle.",
    Refusal.REMOVED_FROM_CIRCLE: "You were removed from this circle.",
    Refusal.NO_LONGER_MEMBER: "You are no longer a member of this circle.",
    Refusal.STILL_A_MEMBER: (
        "You are still a member of this circle: leave it instead (that erases it here too)."
    ),
    Refusal.NOT_A_MEMBER: "That person is not a member of this circle.",
    Refusal.CIRCLE_NEEDS_NAME: "A circle needs a name.",
    Refusal.CIRCLE_NAME_TOO_LONG: "A circle name can be at most {limit} characters.",
    Refusal.CIRCLE_RULE: "{reason}",
    Refusal.REFUSED_BY_RULES: "The circle's rules do not allow that right now.",
    Refusal.NO_KEYS_YET: "This circle has no keys yet; wait until you are connected.",
    Refusal.TYPING_OFF: "This circle does not show who is typing (a facilitator can turn it on).",
    Refusal.MUTED: "You are muted in this circle for another {minutes} minute{plural}.",
    Refusal.SLOW_MODE: "Slow mode is on: you can send again in {seconds} s.",
    Refusal.EDIT_NOT_AUTHOR: "Only its author can edit a message.",
    Refusal.EDIT_CHECK_IN: "A check-in cannot be edited: send a new one instead.",
    Refusal.EDIT_WINDOW_CLOSED: (
        "A message can be edited for {hours} hours after it was sent: send a new message instead."
    ),
    Refusal.TOO_MANY_REACTIONS: (
        "You can leave at most {limit} reactions on one message: take one back first."
    ),
    Refusal.NOT_A_REACTION: (
        "{text!r} is not a reaction: use one of {choices}, or a single emoji."
    ),
    Refusal.RANKED_BELOW_ONLY: "Facilitators can act only on members ranked below them.",
    Refusal.ALREADY_FACILITATOR: "They are already a facilitator.",
    Refusal.NOT_A_FACILITATOR: "They are not a facilitator.",
    Refusal.NEVER_A_MEMBER: "That person was never a member of this circle.",
    Refusal.ALREADY_BANNED: "They are already banned from this circle.",
    Refusal.ALREADY_DELETED: "That message was already deleted.",
    Refusal.ALREADY_REVOKED: "That invite was already revoked.",
    Refusal.UNKNOWN_INVITE: "There is no such invite in this circle.",
    Refusal.FOUNDER_TO_FACILITATOR: "The founder role can only go to another facilitator.",
    Refusal.DELETE_NOT_ALLOWED: (
        "Only its author or a facilitator ranked above them can delete a message."
    ),
    Refusal.OWN_MESSAGE_FLAG: "You can't flag your own message.",
    Refusal.ALREADY_REVIEWED: "A facilitator has already reviewed this message.",
    Refusal.ALREADY_FLAGGED: "You have already flagged this message.",
    Refusal.OWN_MESSAGE_REVIEW: "Another facilitator needs to review your own message.",
    Refusal.NOT_PENDING_REVIEW: "That message is not hidden pending review.",
    Refusal.TOO_NEW_TO_FLAG: (
        "You can flag messages once you have been in this circle a little longer "
        "(the circle's settings say how long)."
    ),
    Refusal.ONLY_FACILITATORS_INVITE: "Only facilitators can invite people to this circle.",
    Refusal.APPROVAL_ONLY_FACILITATORS_INVITE: (
        "This circle admits new members only with a facilitator's approval, "
        "so only facilitators can make invites."
    ),
    Refusal.NOTHING_TO_SEND: "There is nothing to send.",
    Refusal.MESSAGE_TOO_LONG: "A message can be at most {limit} characters.",
    Refusal.SEARCH_TOO_LONG: "A search can be at most {limit} characters: use fewer words.",
    Refusal.BAD_CW_LABEL: "{reason}",
    Refusal.BAD_MOOD: "A check-in's mood is a number from 1 to 5.",
    Refusal.NO_SUCH_MESSAGE: "There is no such message in this circle.",
    Refusal.ATTACHMENT_UNREADABLE: "The file {path!r} could not be read ({reason}).",
    Refusal.ATTACHMENT_EMPTY: "The file {path!r} is empty: there is nothing to send.",
    Refusal.ATTACHMENT_TOO_LARGE: (
        "The file is {size} bytes; this circle's limit is {limit} bytes. "
        "Send a smaller file, or ask a facilitator to raise the limit."
    ),
    Refusal.BAD_IMAGE: "The picture could not be used: {reason}.",
    Refusal.NO_ATTACHMENT: "That message has no picture or file.",
    Refusal.ATTACHMENT_OVER_LIMIT: (
        "That file is bigger than this circle's limit, so it was not downloaded."
    ),
    Refusal.ATTACHMENT_UNAVAILABLE: (
        "No member online holds the rest of that file; try again when more members are online."
    ),
    Refusal.ATTACHMENT_DAMAGED: (
        "That file does not open with its key: its sender sent it damaged."
    ),
    Refusal.SAVE_FAILED: "The file could not be written to {path!r} ({reason}).",
    Refusal.INVITEES_OUTRANK: (
        "Someone they brought in ranks at or above you; remove them first, "
        "or ban without their invitees."
    ),
    Refusal.GUIDELINES_TOO_LONG: "Guidelines can be at most {limit} characters.",
    Refusal.INVITE_FOR_OTHER_CIRCLE: "That invite is for another circle.",
    Refusal.ONLY_FACILITATORS_COMPARE: "Only facilitators can compare the versions of an event.",
    Refusal.CLEAR_MEMBER_STILL_IN: (
        "Only what a removed or banned member stored can be cleared; remove or ban them first."
    ),
    Refusal.NOT_A_FORMER_MEMBER: "That is not a member or former member of this circle.",
    Refusal.CANNOT_BLOCK_SELF: "You cannot block yourself.",
    Refusal.QUIET_HOURS_SHAPE: (
        '\'quiet_hours\' needs a start and an end, like {{"start": "22:00", "end": "07:00"}}.'
    ),
    Refusal.BAD_QUIET_HOURS: "{reason}",
    Refusal.NOT_A_CW_TOPIC: "{topic!r} is not a content-warning topic",
    Refusal.BAD_FILTER_MODE: "{topic!r} must be show, collapse or hide",
    Refusal.REPORT_NEEDS_REASON: "Please say in a few words why you are reporting this message.",
    Refusal.REASON_TOO_LONG: "A reason can be at most {limit} characters.",
    Refusal.OWN_MESSAGE_REPORT: "That is your own message: you can delete it instead.",
    Refusal.MESSAGE_NOT_HERE: "That message is not in this circle, or it has been deleted.",
    Refusal.NOTE_TOO_LONG: "A note can be at most {limit} characters.",
    Refusal.NOT_THE_AUTHOR_WORRIED_ABOUT: (
        "That message was not written by the person you are worried about."
    ),
    Refusal.NO_FACILITATOR: "There is no facilitator to report to.",
    Refusal.ONLY_FACILITATOR_IS_AUTHOR: (
        "This message was written by the only facilitator you could report it to, "
        "so there is no one else to send the report to."
    ),
    Refusal.NO_FACILITATOR_FOR_CARE: "There is no other facilitator in this circle to tell.",
    Refusal.ONLY_FACILITATOR_IS_FLAGGED: (
        "The only facilitator you could tell is the person this is about, "
        "so there is no one else to send it to."
    ),
    Refusal.ONLY_FACILITATORS_SEE_REPORTS: "Only facilitators can see reports.",
    Refusal.ONLY_FACILITATORS_RESOLVE_REPORTS: "Only facilitators can resolve reports.",
    Refusal.ONLY_FACILITATORS_SEE_FLAGS: "Only facilitators can see care flags.",
    Refusal.ONLY_FACILITATORS_RESOLVE_FLAGS: "Only facilitators can resolve care flags.",
    Refusal.NO_SUCH_REPORT: "There is no such report in this circle.",
    Refusal.NO_SUCH_CARE_FLAG: "There is no such care flag in this circle.",
    Refusal.PRIVATE_ONLY_FACILITATORS_START: (
        "Only a facilitator can start a private conversation. "
        "You can answer a facilitator who wrote to you."
    ),
    Refusal.PRIVATE_NOT_A_MEMBER: (
        "They are no longer a member of this circle, so a private message cannot reach "
        "them. What you wrote before stays here."
    ),
    Refusal.PRIVATE_ONESELF: "A private conversation needs someone else.",
    Refusal.PRIVATE_BLOCKED: "You blocked this member. Unblock them to talk privately.",
    Refusal.PRIVATE_TEXT_EMPTY: "Write something before sending.",
    Refusal.PRIVATE_NOT_HERE: "There is no such private message in this conversation.",
    Refusal.INVITE_INVALID: "That is not a valid invite code. Check that it was copied whole.",
    Refusal.INVITE_EXPIRED: "This invite has expired. Ask a member for a new one.",
    Refusal.INVITE_UNREACHABLE: (
        "No member of this circle could be reached at the addresses in this code. "
        "They may be offline: try again later, or ask for a new code."
    ),
    Refusal.INVITE_REFUSED: (
        "The circle refused this invite: it may have been used up or withdrawn."
    ),
    Refusal.INVITE_USED_UP: "This invite has already been used. Ask a member for a new one.",
    Refusal.JOIN_NEEDS_FACILITATOR_INVITE: (
        "This circle admits new members only with a facilitator's approval. "
        "Ask a facilitator for an invite."
    ),
    Refusal.JOIN_DECLINED: "A facilitator of this circle did not approve your request to join.",
    Refusal.JOIN_BUSY: (
        "This circle has many requests to join waiting right now. Try again later."
    ),
    Refusal.ALREADY_MEMBER: "You are already a member of this circle.",
    Refusal.ALREADY_IN_CIRCLE: "You are already in this circle.",
    Refusal.ALREADY_ASKED: (
        "You already asked to join this circle. A facilitator has not answered yet."
    ),
    Refusal.NOT_WAITING_TO_JOIN: "You are not waiting to join that circle.",
    Refusal.ONLY_FACILITATORS_APPROVE: "Only facilitators can approve joins.",
    Refusal.ONLY_FACILITATORS_SEE_REQUESTS: "Only facilitators can see requests to join.",
    Refusal.NO_SUCH_REQUEST: "There is no such request to join in this circle.",
    Refusal.REQUEST_ALREADY_ANSWERED: "That request was already {state}.",
    Refusal.ALREADY_ADMITTED: "This person is already in the circle, or was before.",
    Refusal.BANNED: "This person is banned from the circle.",
    Refusal.STALE_INVITE_EXPIRED: (
        "The invite this request came with has expired."
        " Reject the request and send them a new invite."
    ),
    Refusal.STALE_INVITE_USED_UP: (
        "The invite this request came with has been used up."
        " Reject the request and send them a new invite."
    ),
    Refusal.STALE_INVITE_REVOKED: (
        "The invite this request came with was withdrawn."
        " Reject the request and send them a new invite."
    ),
    Refusal.STALE_INVITE_UNKNOWN: (
        "The invite this request came with is not known here."
        " Reject the request and send them a new invite."
    ),
    Refusal.STALE_INVITE_REFUSED: (
        "The circle refused this invite: it may have been used up or withdrawn."
        " Reject the request and send them a new invite."
    ),
    Refusal.CRISIS_DIRECTORY_INVALID: "{reason}",
}


# The core's rules say why they refuse an event with a RuleReason (core/rule_reasons.py:
# `Verdict.reason`, `may_invite`): each one maps to a member here (the table is complete,
# tests/core/test_core_api.py). Those with no member of their own are CIRCLE_RULE, their
# words made a sentence (rule_refusal).
RULE_REFUSALS: dict[RuleReason, Refusal] = {
    RuleReason.TARGET_NOT_MEMBER: Refusal.NOT_A_MEMBER,
    RuleReason.RANKED_BELOW_ONLY: Refusal.RANKED_BELOW_ONLY,
    RuleReason.ALREADY_FACILITATOR: Refusal.ALREADY_FACILITATOR,
    RuleReason.NOT_A_FACILITATOR: Refusal.NOT_A_FACILITATOR,
    RuleReason.AUTHOR_NOT_MEMBER: Refusal.NO_LONGER_MEMBER,
    RuleReason.NEVER_A_MEMBER: Refusal.NEVER_A_MEMBER,
    RuleReason.ALREADY_BANNED: Refusal.ALREADY_BANNED,
    RuleReason.ALREADY_DELETED: Refusal.ALREADY_DELETED,
    RuleReason.ALREADY_REVOKED: Refusal.ALREADY_REVOKED,
    RuleReason.UNKNOWN_INVITE: Refusal.UNKNOWN_INVITE,
    RuleReason.FOUNDER_TO_FACILITATOR: Refusal.FOUNDER_TO_FACILITATOR,
    RuleReason.DELETE_NOT_ALLOWED: Refusal.DELETE_NOT_ALLOWED,
    # harm flags and review (issue 6)
    RuleReason.OWN_MESSAGE_FLAG: Refusal.OWN_MESSAGE_FLAG,
    RuleReason.ALREADY_REVIEWED: Refusal.ALREADY_REVIEWED,
    RuleReason.ALREADY_FLAGGED: Refusal.ALREADY_FLAGGED,
    RuleReason.OWN_MESSAGE_REVIEW: Refusal.OWN_MESSAGE_REVIEW,
    RuleReason.NOT_PENDING_REVIEW: Refusal.NOT_PENDING_REVIEW,
    # people, not invitations (issue 11)
    RuleReason.TOO_NEW_TO_FLAG: Refusal.TOO_NEW_TO_FLAG,
    RuleReason.ONLY_FACILITATORS_INVITE: Refusal.ONLY_FACILITATORS_INVITE,
    RuleReason.APPROVAL_ONLY_FACILITATORS_ADMIT: Refusal.APPROVAL_ONLY_FACILITATORS_INVITE,
    # replies, reactions and edits (issue 15)
    RuleReason.UNKNOWN_MESSAGE: Refusal.NO_SUCH_MESSAGE,
    RuleReason.EDIT_NOT_AUTHOR: Refusal.EDIT_NOT_AUTHOR,
    RuleReason.EDIT_CHECK_IN: Refusal.EDIT_CHECK_IN,
    RuleReason.EDIT_WINDOW_CLOSED: Refusal.EDIT_WINDOW_CLOSED,
    RuleReason.TOO_MANY_REACTIONS: Refusal.TOO_MANY_REACTIONS,
    # in the rules' own words, made a sentence
    **dict.fromkeys(
        [
            RuleReason.ANOTHER_CIRCLE,
            RuleReason.BEFORE_GENESIS,
            RuleReason.SECOND_GENESIS,
            RuleReason.GENESIS_NOT_COMMITTED,
            RuleReason.AUTHOR_MUTED,
            RuleReason.SLOW_MODE,
            RuleReason.ONLY_MEMBERS_INVITE,
            RuleReason.INVITE_CREATED_TWICE,
            RuleReason.JOIN_NOT_PROVEN,
            RuleReason.INVITE_REVOKED,
            RuleReason.INVITE_USED_UP,
            RuleReason.INVITE_EXPIRED,
            RuleReason.BANNED,
            RuleReason.ALREADY_ADMITTED,
            RuleReason.STANDALONE_JOIN_REQUEST,
            RuleReason.ONLY_FACILITATORS_REVOKE,
            RuleReason.KEYS_TO_NON_MEMBERS,
            RuleReason.EPOCH_REUSED,
            RuleReason.EXCHANGE_KEY_UNCHANGED,
            RuleReason.EPOCH_NOT_SEALED_TO_AUTHOR,
            RuleReason.ONLY_FACILITATORS_PROMOTE,
            RuleReason.ONLY_FACILITATORS_DEMOTE,
            RuleReason.ONLY_FACILITATORS_REMOVE,
            RuleReason.ONLY_FACILITATORS_MUTE,
            RuleReason.ONLY_FACILITATORS_BAN,
            RuleReason.ONLY_FACILITATORS_SETTINGS,
            RuleReason.ONLY_FOUNDER_TRANSFERS,
            RuleReason.ONLY_FACILITATORS_RESTORE,
            RuleReason.CONCURRENT_REMOVAL,
            RuleReason.CONCURRENT_MUTE,
            RuleReason.CONCURRENT_DEMOTION,
        ],
        Refusal.CIRCLE_RULE,
    ),
}


def rule_refusal(reason: RuleReason) -> tuple[Refusal, dict[str, str]]:
    """The member (and its details) for a core rule's reason: CommandError(refusal,
    **detail) raises it, refusal.text(**detail) words it."""
    refusal = RULE_REFUSALS[reason]
    if refusal is not Refusal.CIRCLE_RULE:
        return refusal, {}
    words = reason.value
    sentence = words[:1].upper() + words[1:] + ("" if words.endswith(".") else ".")
    return Refusal.CIRCLE_RULE, {"reason": sentence}


def rule_text(reason: RuleReason) -> str:
    refusal, detail = rule_refusal(reason)
    return refusal.text(**detail)
