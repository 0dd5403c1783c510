"""Why the circle's rules refuse an event: one member per reason the core gives.

The rules (core/circle_state.py's table, `CircleState.may_invite`) and the whole-log
resolution (core/resolution.py) refuse with a member of `RuleReason`; `None` means
accepted (or allowed). The values are the words the rules always used, so logs, test
expectations and anything that ever kept a reason read the same; a front never shows
them as they are: `core/api/refusals.py`'s RULE_REFUSALS maps every member to a
`Refusal` (kept complete by tests/core/test_core_api.py).
"""

from __future__ import annotations

from enum import StrEnum


class RuleReason(StrEnum):
    # any event
    ANOTHER_CIRCLE = "another circle's event"
    BEFORE_GENESIS = "before genesis"
    AUTHOR_NOT_MEMBER = "the author is not a member"
    # genesis
    SECOND_GENESIS = "a second genesis"
    GENESIS_NOT_COMMITTED = "a genesis the circle id does not commit to"
    # messages
    AUTHOR_MUTED = "the author is muted"
    SLOW_MODE = "slow mode: too soon after the author's previous message"
    # invitations and admission
    ONLY_MEMBERS_INVITE = "only members can invite"
    APPROVAL_ONLY_FACILITATORS_ADMIT = "join approval is on: only facilitators admit"
    ONLY_FACILITATORS_INVITE = "only facilitators can invite in this circle"
    INVITE_CREATED_TWICE = "invite created twice"
    JOIN_NOT_PROVEN = "join request without a valid signature and invite proof"
    UNKNOWN_INVITE = "unknown invite"
    INVITE_REVOKED = "invite revoked"
    INVITE_USED_UP = "invite used up"
    INVITE_EXPIRED = "invite expired"
    BANNED = "banned from this circle"
    ALREADY_ADMITTED = "already a member, or was one"
    STANDALONE_JOIN_REQUEST = "a join request travels inside ADD_MEMBER only"
    ONLY_FACILITATORS_REVOKE = "only facilitators can revoke invites"
    ALREADY_REVOKED = "invite already revoked"
    # keys
    KEYS_TO_NON_MEMBERS = "keys sealed to non-members"
    EPOCH_REUSED = "epoch reused"
    EXCHANGE_KEY_UNCHANGED = "the exchange key did not change"
    EPOCH_NOT_SEALED_TO_AUTHOR = "no epoch with that id was sealed to the author"
    # roles and moderation
    ONLY_FACILITATORS_PROMOTE = "only facilitators can promote"
    ONLY_FACILITATORS_DEMOTE = "only facilitators can demote"
    ONLY_FACILITATORS_REMOVE = "only facilitators can remove members"
    ONLY_FACILITATORS_MUTE = "only facilitators can mute members"
    ONLY_FACILITATORS_BAN = "only facilitators can ban"
    ONLY_FACILITATORS_SETTINGS = "only facilitators can change the settings"
    TARGET_NOT_MEMBER = "the target is not a member"
    RANKED_BELOW_ONLY = "a facilitator acts only on members ranked below it"
    ALREADY_FACILITATOR = "already a facilitator"
    NOT_A_FACILITATOR = "not a facilitator"
    ONLY_FOUNDER_TRANSFERS = "only the founder can hand the founder role on"
    FOUNDER_TO_FACILITATOR = "the founder role goes to another facilitator"
    ALREADY_BANNED = "already banned"
    NEVER_A_MEMBER = "the target was never a member"
    # messages' fate: deletion, harm flags and review
    ALREADY_DELETED = "message already deleted"
    DELETE_NOT_ALLOWED = "only the author or a facilitator ranked above it can delete a message"
    OWN_MESSAGE_FLAG = "members cannot flag their own messages"
    ALREADY_REVIEWED = "a facilitator already reviewed this message"
    ALREADY_FLAGGED = "already flagged by this member"
    TOO_NEW_TO_FLAG = "too new in the circle to flag"
    ONLY_FACILITATORS_RESTORE = "only facilitators can restore messages"
    OWN_MESSAGE_REVIEW = "a facilitator does not review their own message"
    NOT_PENDING_REVIEW = "the message is not hidden pending review"
    # replies, reactions and edits (core/content_rules.py)
    UNKNOWN_MESSAGE = "names a message this replica does not hold"
    EDIT_NOT_AUTHOR = "only its author can edit a message"
    EDIT_CHECK_IN = "a check-in cannot be edited"
    EDIT_WINDOW_CLOSED = "the edit comes after the message's edit window"
    TOO_MANY_REACTIONS = "too many reactions by one member on one message"
    # the whole-log rules (core/resolution.py)
    CONCURRENT_REMOVAL = "concurrent with its author's removal"
    CONCURRENT_MUTE = "concurrent with its author's mute"
    CONCURRENT_DEMOTION = "concurrent with its author's demotion"
