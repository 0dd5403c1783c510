"""Every string the GUI shows a person, in one place.

Kept together so the voice stays consistent (calm, warm, plain) and so translation can
later replace this one module. Error messages that come from the engine or storage
(HearthError.message) are already written for people and are shown as they are.
"""

# S105 reads every constant whose name says "passphrase" as a hard-coded secret; here they
# are labels and sentences about the passphrase, never one.
# ruff: noqa: S105

from __future__ import annotations

from datetime import datetime

from peerapp import PRODUCT_NAME, __version__
from peerapp.core.passphrase_policy import MIN_LENGTH, Strength

APP_NAME = PRODUCT_NAME

# -- buttons shared by several dialogs ----------------------------------------------------

CANCEL = "Cancel"
QUIT = "Quit"
DISMISS = "Dismiss"

# -- first run ----------------------------------------------------------------------------

FIRST_RUN_TITLE = f"Welcome to {PRODUCT_NAME}"
FIRST_RUN_HEADING = f"Welcome to {PRODUCT_NAME}"
FIRST_RUN_EXPLANATION = (
    "Choose a passphrase to protect everything you share here: it locks your circles and "
    "messages on this computer. Nobody can recover it for you, so pick one you will "
    "remember — a short sentence works well."
)
NEW_PASSPHRASE_LABEL = "Passphrase"
REPEAT_PASSPHRASE_LABEL = "Type it again"
NEW_PASSPHRASE_PLACEHOLDER = "A sentence only you would think of"
MIN_LENGTH_NOTE = f"At least {MIN_LENGTH} characters. Spaces count."
CREATE_PROFILE = "Create my profile"
CREATING_PROFILE = "Creating your profile…"

STRENGTH_PREFIX = "Strength"
STRENGTH_NAMES = {
    Strength.TOO_SHORT: "too short",
    Strength.WEAK: "weak",
    Strength.FAIR: "fair",
    Strength.STRONG: "strong",
}


def strength_text(strength: Strength) -> str:
    return f"{STRENGTH_PREFIX}: {STRENGTH_NAMES[strength]}"


# -- unlock -------------------------------------------------------------------------------

UNLOCK_TITLE = f"Unlock {PRODUCT_NAME}"
UNLOCK_HEADING = "Welcome back"
UNLOCK_EXPLANATION = "Enter your passphrase to open your circles."
PASSPHRASE_LABEL = "Passphrase"
UNLOCK = "Unlock"
UNLOCKING = "Unlocking…"
WRONG_PASSPHRASE = "That passphrase does not unlock this profile."
FILES_UNCHANGED = f"{PRODUCT_NAME} did not change any of your files."


def profile_folder_note(folder: str) -> str:
    return f"Profile: {folder}"


def damaged_profile(message: str) -> str:
    return f"{message} {FILES_UNCHANGED}"


# -- change passphrase --------------------------------------------------------------------

CHANGE_PASSPHRASE_TITLE = "Change passphrase"
CHANGE_PASSPHRASE_EXPLANATION = (
    "Your circles stay exactly as they are; only the passphrase that unlocks them changes."
)
CURRENT_PASSPHRASE_LABEL = "Current passphrase"
NEW_PASSPHRASE_LABEL_CHANGE = "New passphrase"
CHANGE_PASSPHRASE = "Change passphrase"
CHANGING_PASSPHRASE = "Changing your passphrase…"
WRONG_CURRENT_PASSPHRASE = "That is not your current passphrase."
PASSPHRASE_CHANGED = "Your passphrase has been changed."

# -- circles ------------------------------------------------------------------------------

CIRCLES_HEADING = "Circles"
NO_CIRCLES_YET = "No circles yet"
EMPTY_STATE_HEADING = "You are not in a circle yet"
EMPTY_STATE_TEXT = (
    "A circle is a small, private group of people who listen to each other. "
    "Start one, or join one with an invite code someone gave you."
)
CREATE_A_CIRCLE = "Create a circle"
JOIN_WITH_INVITE = "Join with an invite code"
PICK_A_CIRCLE = "Choose a circle on the left."
UNNAMED_CIRCLE = "Unnamed circle"

NEW_CIRCLE_BUTTON = "New circle"
JOIN_BUTTON = "Join"

CREATE_CIRCLE_TITLE = "Create a circle"
CREATE_CIRCLE_EXPLANATION = "Give your circle a name. You can invite people once it exists."
CIRCLE_NAME_LABEL = "Name"
CIRCLE_NAME_PLACEHOLDER = "For example: Tuesday evening circle"
GUIDELINES_LABEL = "Guidelines (optional)"
GUIDELINES_PLACEHOLDER = (
    "How you want to be together, for example: what is shared here stays here; "
    "listen first; no advice unless asked."
)
CREATE = "Create"
CREATING_CIRCLE = "Creating the circle…"

YOUR_NAME_LABEL = "Your name in this circle"
YOUR_NAME_PLACEHOLDER = "A first name or a nickname"
YOUR_NAME_HINT = (
    "This is the only name the circle sees. It can be made up: "
    f"{PRODUCT_NAME} asks for nothing else about you."
)

JOIN_CIRCLE_TITLE = "Join a circle"
JOIN_CIRCLE_EXPLANATION = (
    "Paste the invite code you were given. Each circle can know you by a different name."
)
INVITE_CODE_LABEL = "Invite code"
INVITE_CODE_PLACEHOLDER = "Paste the code here"
JOIN = "Join"
REACHING_THE_CIRCLE = "Reaching the circle…"

# -- inviting -----------------------------------------------------------------------------

INVITE_ACTION = "Invite someone…"
INVITE_BUTTON = "Invite someone"
INVITE_TITLE = "Invite someone"
INVITE_EXPLANATION = (
    "An invite code lets one person you trust join {circle}. "
    "Choose how long it stays valid and how many people may use it."
)
EXPIRES_LABEL = "Valid for"
USES_LABEL = "Can be used"
EXPIRY_CHOICES: tuple[tuple[str, int], ...] = (
    ("1 hour", 3600),
    ("1 day", 24 * 3600),
    ("7 days", 7 * 24 * 3600),
    ("30 days", 30 * 24 * 3600),
)
DEFAULT_EXPIRY_INDEX = 2
USES_CHOICES: tuple[tuple[str, int], ...] = (
    ("Once", 1),
    ("5 times", 5),
    ("20 times", 20),
)
DEFAULT_USES_INDEX = 0
# with join approval on a facilitator reviews everyone who uses a code, so one code can
# safely go to a whole group
APPROVAL_USES_INDEX = 2
CREATE_INVITE = "Create invite code"
CREATING_INVITE = "Creating the invite code…"
INVITE_READY_HEADING = "Your invite code"
COPY = "Copy"
COPIED = "Copied"
DONE = "Done"
QR_UNAVAILABLE = "A QR code cannot be drawn on this computer; copy the code instead."
QR_TOOLTIP = "The same invite code, for a phone camera or another screen"
ASK_A_FACILITATOR_TO_INVITE = "If you know someone who would fit here, ask a facilitator."
INVITE_IS_A_KEY = (
    "This code is like a key to your circle: share it only with the person you are "
    "inviting, in a private message or in person."
)


def invite_details(expires: datetime, uses: int) -> str:
    when = f"{expires:%A} {expires.day} {expires:%B} at {expires:%H:%M}"
    times = "once" if uses == 1 else f"{uses} times"
    return f"Valid until {when} · can be used {times}"


def invite_explanation(circle_name: str) -> str:
    return INVITE_EXPLANATION.format(circle=circle_name)


# -- a circle -----------------------------------------------------------------------------

MEMBERS_BUTTON = "Members"
MEMBERS_HEADING = "Members"
FOUNDER_BADGE = "Founder"
UNNAMED_MEMBER = "Someone"
ONLINE = "Connected"
OFFLINE = "Not connected"
LOADING_MESSAGES = "Loading messages…"
NO_MESSAGES_YET = "No messages yet. Whatever is shared here stays between the members."
CONNECTION_TOOLTIP = "Only members who are connected now receive new messages right away."
JUST_YOU = "Just you so far · invite someone to begin"
COMPOSER_PLACEHOLDER = "Write to the circle…"
COMPOSER_HINT = "Enter sends · Shift+Enter starts a new line"
SEND = "Send"
COPY_MESSAGE = "Copy text"
TODAY = "Today"
YESTERDAY = "Yesterday"
DAY_FORMAT_THIS_YEAR = "{weekday} {day} {month}"
DAY_FORMAT_OTHER_YEAR = "{day} {month} {year}"
CLOCK_FORMAT = "%H:%M"


CATCH_UP_ACCESSIBLE = "Catching up with the circle"
NEVER_SYNCED = "never synced"
SYNC_TOOLTIP_HEADING = "When this computer last exchanged messages with each member:"
DELIVERY_PENDING = "Not yet delivered: no other member has this message yet."


def catching_up(received: int, total: int) -> str:
    return f"Catching up: {received:,} of {total:,}"


def synced_ago(seconds: float) -> str:
    """How long ago the last exchange with a member was, in the largest unit that fits."""
    age = max(int(seconds), 0)
    if age < 1:
        return "synced just now"
    if age < 60:
        return f"synced {age} s ago"
    if age < 3600:
        return f"synced {age // 60} min ago"
    if age < 24 * 3600:
        return f"synced {age // 3600} h ago"
    return f"synced {age // (24 * 3600)} d ago"


def member_synced(name: str, when: str) -> str:
    return f"{name}: {when}"


def held_by(count: int, others: int) -> str:
    noun = "member" if others == 1 else "members"
    return f"Held by {count} of {others} {noun}"


def held_by_count(count: int, others: int) -> str:
    """The short form drawn next to the check mark."""
    return f"{count}/{others}"


def member_count(count: int) -> str:
    return "1 member" if count == 1 else f"{count} members"


def connected_members(connected: int, others: int) -> str:
    noun = "member" if others == 1 else "members"
    return f"Connected to {connected} of {others} {noun}"


def character_count(count: int, limit: int) -> str:
    return f"{count:,} / {limit:,}"


def not_sent(reason: str) -> str:
    return f"Not sent: {reason} Your message is still here."


def too_long(limit: int) -> str:
    return f"A message can be at most {limit:,} characters."


def unread_count(count: int) -> str:
    return f"{count} unread"


def unread_badge(count: int) -> str:
    return "99+" if count > 99 else str(count)


# -- joining with approval, invite codes, guidelines -------------------------------------

CONTINUE = "Continue"
BACK = "Back"
CLOSE = "Close"
AGREE_AND_JOIN = "I agree — join"
JOINING = "Joining…"
GUIDELINES_HEADING = "Guidelines"
PREVIEW_EXPLANATION = "Before you join, please read how this circle wants to be together."
NO_GUIDELINES = (
    "This circle has not written down any guidelines. Be kind, and keep what is shared "
    "here between the members."
)
APPROVAL_NOTE = (
    "A facilitator will review your request. The circle opens for you once they approve it."
)
WAITING_HEADING = "Waiting for approval"
ASKED_TO_JOIN_HEADING = "Asked to join"
WAITING_FOR_APPROVAL = "Waiting for approval"
CANCEL_REQUEST = "Cancel request"
NOT_APPROVED = "Not approved"
TO_READ_INVITE = "read the invite"
TO_CANCEL_REQUEST = "cancel the request"


def waiting_explanation(circle_name: str) -> str:
    return (
        f"Your request to join {circle_name} has been sent. A facilitator will review it, "
        "and the circle opens here once they approve. You can close this window: your "
        "request stays open."
    )


def join_declined(circle_name: str) -> str:
    return f"The facilitators of {circle_name} did not approve this request."


def now_member_of(circle_name: str) -> str:
    return f"You are now a member of {circle_name}."


JOIN_REQUESTS_HEADING = "Waiting to join"
JOIN_REQUESTS_NOTE = "They used an invite code and asked to join. Approve the people you expect."
APPROVE = "Approve"
DECLINE = "Decline"
TO_APPROVE_JOIN = "approve the request"
TO_DECLINE_JOIN = "decline the request"


def waiting_to_join(count: int) -> str:
    return f"{count} waiting to join"


def asks_to_join(name: str, circle_name: str) -> str:
    return f"{name} asks to join {circle_name}."


def ago(seconds: float) -> str:
    """How long ago something happened, in the largest unit that fits ("5 min ago")."""
    age = max(int(seconds), 0)
    if age < 60:
        return "just now"
    if age < 3600:
        return f"{age // 60} min ago"
    if age < 24 * 3600:
        return f"{age // 3600} h ago"
    return f"{age // (24 * 3600)} d ago"


def asked_ago(seconds: float) -> str:
    return f"asked {ago(seconds)}"


MANAGE_INVITES_ACTION = "Manage invites…"
MANAGE_INVITES_TITLE = "Invite codes"
NO_INVITES = "No invite codes yet."
LOADING_INVITES = "Loading invite codes…"
INVITE_EXPIRED = "Expired"
INVITE_REVOKED = "Revoked"
INVITE_USED_UP = "Used up"
REVOKE = "Revoke"
KEEP_IT = "Keep it"
INVITE_REVOKED_DONE = "The invite was revoked: nobody can join with it any more."
REVOKING = "Revoking…"
TO_REVOKE_INVITE = "revoke the invite"
TO_LIST_INVITES = "list the invite codes"
CODE_NOT_YOURS = "Only the member who made this code has its text."
APPROVAL_INVITE_NOTE = "Join approval is on: a facilitator reviews each person who uses this code."


def manage_invites_explanation(circle_name: str) -> str:
    return (
        f"The invite codes of {circle_name}. Revoke one that was shared by mistake: "
        "nobody can join with it any more."
    )


def invite_made_by(name: str, mine: bool) -> str:
    return "Made by you" if mine else f"Made by {name}"


def invite_uses(uses: int, max_uses: int) -> str:
    return f"Used {uses} of {max_uses}"


def expires_in(seconds: float) -> str:
    """To the nearest unit: a code made for 7 days a minute ago expires "in 7 days"."""
    left = max(seconds, 0.0)
    if left < 3600:
        return f"expires in {max(round(left / 60), 1)} min"
    if left < 23.5 * 3600:
        return f"expires in {round(left / 3600)} h"
    days = round(left / (24 * 3600))
    return "expires in 1 day" if days == 1 else f"expires in {days} days"


def confirm_revoke(name: str, mine: bool) -> str:
    whose = "the invite you made" if mine else f"the invite {name} made"
    return f"Revoke {whose}? Nobody will be able to join with it any more. This cannot be undone."


SHOW_GUIDELINES = "Show"
HIDE_GUIDELINES = "Hide"


# -- notifications ------------------------------------------------------------------------

SHOW_TEXT_IN_NOTIFICATIONS = "Show message text in notifications"
SHOW_WINDOW_ACTION = f"Show {PRODUCT_NAME}"
CIRCLES_MENU = "&Circles"
CREATE_CIRCLE_ACTION = "Create a circle…"
JOIN_CIRCLE_ACTION = "Join with an invite code…"


def new_messages_in(circle_name: str, count: int) -> str:
    if count == 1:
        return f"New message in {circle_name}"
    return f"{count} new messages in {circle_name}"


def latest_of(count: int, author_name: str, text: str) -> str:
    return f"{count} new messages · {author_name}: {text}"


def message_title(author_name: str, circle_name: str) -> str:
    return f"{author_name} · {circle_name}"


def unread_tooltip(unread: int) -> str:
    if unread == 0:
        return PRODUCT_NAME
    noun = "message" if unread == 1 else "messages"
    return f"{PRODUCT_NAME} · {unread} unread {noun}"


def window_title(unread: int) -> str:
    return f"({unread}) {PRODUCT_NAME}" if unread else PRODUCT_NAME


# -- main window --------------------------------------------------------------------------

MAIN_WINDOW_TITLE = PRODUCT_NAME
PROFILE_MENU = "&Profile"
CHANGE_PASSPHRASE_ACTION = "Change passphrase…"
LOCK_ACTION = "Lock"
QUIT_ACTION = "Quit"
HELP_MENU = "&Help"
ABOUT_ACTION = f"About {PRODUCT_NAME}"
ABOUT_TITLE = f"About {PRODUCT_NAME}"
TAGLINE = (
    "Private peer-support circles with no server in between: "
    "everything you share is end-to-end encrypted."
)


def about_text() -> str:
    return f"<h3>{PRODUCT_NAME} {__version__}</h3><p>{TAGLINE}</p>"


# -- connection status --------------------------------------------------------------------

STATUS_STARTING = "Starting…"
STATUS_STOPPED = "Offline"
STATUS_FAILED = "Offline · the engine stopped"


def status_online(peer_count: int) -> str:
    noun = "peer" if peer_count == 1 else "peers"
    return f"Online · {peer_count} {noun} connected"


def peer_id_label(short_peer_id: str) -> str:
    return f"You: {short_peer_id}"


def peer_id_tooltip(peer_id: str) -> str:
    return f"Your peer id: {peer_id}"


# -- errors -------------------------------------------------------------------------------

ENGINE_ERROR = "Something went wrong: {message}"
ENGINE_STOPPED = (
    f"{{message}} {PRODUCT_NAME} is offline until you lock and unlock it, or restart it."
)


def engine_error(message: str, fatal: bool) -> str:
    template = ENGINE_STOPPED if fatal else ENGINE_ERROR
    return template.format(message=message)


def unexpected_error(error_type: str) -> str:
    return f"Something went wrong inside {PRODUCT_NAME} ({error_type}). Nothing was changed."


# what failed, completing "Could not …"
TO_CREATE_PROFILE = "create your profile"
TO_UNLOCK_PROFILE = "unlock your profile"
TO_CHANGE_PASSPHRASE = "change your passphrase"
TO_CREATE_CIRCLE = "create the circle"
TO_JOIN_CIRCLE = "join the circle"
TO_CREATE_INVITE = "create the invite code"
TO_SEND = "send the message"


def could_not(what: str, reason: str) -> str:
    return f"Could not {what}: {reason}."


PROFILE_IN_USE_TITLE = f"{PRODUCT_NAME} is already open"
PROFILE_UNAVAILABLE_TITLE = f"{PRODUCT_NAME} cannot open this profile"


def profile_unavailable(folder: str, reason: str) -> str:
    return f"The profile folder {folder} cannot be used: {reason}"


# -- moderation: roles, member actions, messages removed, notices, settings, the log ------

FACILITATOR_BADGE = "Co-facilitator"
MUTED_BADGE = "Muted"
MEMBER_ACTIONS_BUTTON = "…"
PROMOTE_ACTION = "Promote to co-facilitator"
DEMOTE_ACTION = "Demote to member"
MAKE_FOUNDER_ACTION = "Make founder…"
MUTE_MENU = "Mute for…"
MUTE_CHOICES: tuple[tuple[str, int], ...] = (
    ("10 minutes", 10 * 60),
    ("1 hour", 3600),
    ("1 day", 24 * 3600),
)
MUTE_CUSTOM_CHOICE = "Custom…"
UNMUTE_ACTION = "Unmute"
REMOVE_ACTION = "Remove from circle…"
BAN_ACTION = "Ban…"
ONE_MOMENT = "One moment…"
TO_MODERATE = "make that change"


def member_actions_name(name: str) -> str:
    return f"Actions for {name}"


def moderation_failed(reason: str) -> str:
    return f"That did not go through: {reason}"


REMOVE_CONFIRM = "Remove"
BAN_CONFIRM = "Ban"
MAKE_FOUNDER_CONFIRM = "Make founder"


def confirm_remove_title(name: str) -> str:
    return f"Remove {name} from the circle?"


def confirm_remove_text(name: str) -> str:
    return (
        f"{name} will stop receiving this circle's messages. They could come back later "
        "with a new invite code."
    )


def confirm_ban_title(name: str) -> str:
    return f"Ban {name}?"


def confirm_ban_text(name: str) -> str:
    return (
        f"{name} will be removed and can never rejoin this circle, not even with a new "
        "invite code. This cannot be undone."
    )


def ban_invitees_check(count: int) -> str:
    """The ban confirmation's offer to remove, with the banned member, the `count`
    members they brought in (and those brought in); their names follow on a line below."""
    if count == 1:
        return "Also remove the person they brought in:"
    return f"Also remove the {count} people they brought in:"


def ban_invitees_names(names: list[str]) -> str:
    """A few names, then how many more: "Cee, Dee and 3 more"."""
    shown = names[:BAN_INVITEES_NAMED]
    more = len(names) - len(shown)
    if more:
        return f"{', '.join(shown)} and {more} more"
    if len(shown) > 1:
        return f"{', '.join(shown[:-1])} and {shown[-1]}"
    return "".join(shown)


BAN_INVITEES_NAMED = 5
BAN_INVITEES_HINT = (
    "Removed, not banned: they could come back later with a new invite code. "
    "Use this when the people they brought in came along to cause harm."
)


def invited_by(name: str) -> str:
    """Who admitted a member, for facilitators (the member list's tooltip)."""
    return f"Invited by {name}"


INVITED_BY_FORMER_MEMBER = "Invited by someone no longer in the circle"


def unreadable_keys_reported(count: int) -> str:
    """For facilitators: members reported that this member's new keys did not open for
    them (Hearth repairs that by itself; often it is a glitch, repeated it may not be)."""
    times = "once" if count == 1 else f"{count} times"
    return (
        f"Members reported {times} that new keys this person sent could not be opened "
        "(Hearth repaired it)"
    )


def confirm_make_founder_title(name: str) -> str:
    return f"Make {name} the founder?"


def confirm_make_founder_text(name: str) -> str:
    return (
        f"{name} becomes the founder of this circle and you stay on as a co-facilitator. "
        f"Only {name} could hand the role back to you."
    )


MUTE_FOR_LABEL = "Mute for"
MUTE_UNITS: tuple[tuple[str, int], ...] = (("minutes", 60), ("hours", 3600), ("days", 24 * 3600))
MUTE_CONFIRM = "Mute"
MAX_MUTE_DAYS = 30


def mute_title(name: str) -> str:
    return f"Mute {name}"


def mute_text(name: str) -> str:
    return f"{name} can still read the circle, but cannot write to it until the time is up."


# a message's menu, and what is left of a deleted one
DELETE_FOR_EVERYONE = "Delete for everyone"
REPORT_MESSAGE = "Report to facilitators…"
DELETE_MESSAGE_TITLE = "Delete this message for everyone?"
DELETE_MESSAGE_TEXT = (
    "The message disappears for every member of the circle. A note in its place says that "
    "it was removed."
)
DELETE_CONFIRM = "Delete"
TO_DELETE_MESSAGE = "delete the message"
REMOVED_BY_FACILITATOR = "Message removed by a facilitator"
DELETED_BY_AUTHOR = "Message deleted by its author"

REPORT_TITLE = "Report to facilitators"
REPORT_TEXT = (
    "The circle's facilitators will see this message and what you write here, so they can "
    "look after the circle."
)
REPORT_REASON_LABEL = "What worries you about it?"
REPORT_REASON_PLACEHOLDER = "A few words are enough."
REPORT_SEND = "Send report"
REPORT_SENDING = "Sending the report…"
TO_REPORT = "send the report"
REPORT_SENT = "Thank you. The facilitators have your report."


# the quiet notes in the conversation when facilitators act
def promoted_notice(actor: str, target: str) -> str:
    return f"{actor} made {target} a co-facilitator"


def demoted_notice(actor: str, target: str) -> str:
    return f"{actor} made {target} a member again"


def made_founder_notice(actor: str, target: str) -> str:
    return f"{actor} made {target} the founder"


def muted_notice(actor: str, target: str, duration: str) -> str:
    return f"{target} was muted for {duration} by {actor}"


def unmuted_notice(actor: str, target: str) -> str:
    return f"{actor} unmuted {target}"


def removed_notice(actor: str, target: str) -> str:
    return f"{target} was removed by {actor}"


def banned_notice(actor: str, target: str) -> str:
    return f"{target} was removed by {actor} and cannot rejoin"


def invite_revoked_notice(actor: str) -> str:
    return f"{actor} revoked an invite code"


def message_deleted_notice(actor: str, own: bool) -> str:
    return f"{actor} deleted a message" if own else f"{actor} removed a message"


def settings_saved_notice(actor: str) -> str:
    return f"{actor} updated the circle settings"


def settings_notice(changes: list[str], actor: str) -> str:
    return f"{'. '.join(changes)} (changed by {actor})"


def other_action_notice(actor: str) -> str:
    return f"{actor} changed something in the circle"


def slow_mode_now(value: str) -> str:
    return f"Slow mode is now {value}"


SLOW_MODE_OFF_NOW = "Slow mode is off"
JOIN_APPROVAL_ON_NOW = "Join approval is on"
JOIN_APPROVAL_OFF_NOW = "Join approval is off"
MEMBERS_INVITE_ON_NOW = "Members may now invite people"
MEMBERS_INVITE_OFF_NOW = "Only facilitators can invite people now"
GUIDELINES_UPDATED = "The guidelines were updated"


def duration(seconds: int) -> str:
    """A length of time in the largest whole unit: "10 minutes", "1 hour", "90 seconds"."""
    seconds = max(seconds, 0)
    for size, noun in ((24 * 3600, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
    return "0 seconds"


def short_duration(seconds: int) -> str:
    """A short length of time: "30 s", "1 min", "2 min 30 s", "1 h"."""
    seconds = max(seconds, 0)
    if seconds < 60:
        return f"{seconds} s"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"


# the moderation log
MODERATION_LOG_ACTION = "Moderation log"
MODERATION_LOG_TITLE = "Moderation log"
MODERATION_LOG_TEXT = (
    "Every change the facilitators made in this circle, oldest first. Every member can read it."
)
MODERATION_LOG_COLUMNS = ("When", "Who", "What", "To whom")
MODERATION_LOG_EMPTY = "Nothing has been changed in this circle so far."
MODERATION_LOG_LOADING = "Reading the log…"
MODERATION_LOG_CLOSE = "Close"
TO_READ_MODERATION_LOG = "read the moderation log"
LOG_PROMOTED = "Made co-facilitator"
LOG_DEMOTED = "Made a member again"
LOG_MADE_FOUNDER = "Made founder"
LOG_UNMUTED = "Unmuted"
LOG_REMOVED = "Removed"
LOG_BANNED = "Banned"
LOG_SETTINGS_SAVED = "Updated the circle settings"
LOG_INVITE_REVOKED = "Revoked an invite code"
LOG_OWN_MESSAGE_DELETED = "Deleted their own message"
LOG_MESSAGE_REMOVED = "Removed a message"
LOG_OTHER = "Changed something"


def log_muted(duration_text: str) -> str:
    return f"Muted for {duration_text}"


def log_when(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"


# the circle's settings
CIRCLE_SETTINGS_ACTION = "Circle settings…"
CIRCLE_SETTINGS_BUTTON = "Settings"
CIRCLE_SETTINGS_TITLE = "Circle settings"
SLOW_MODE_LABEL = "Slow mode"
SLOW_MODE_HINT = "Members wait this long between messages. Facilitators are never slowed down."
SLOW_MODE_CHOICES: tuple[tuple[str, int], ...] = (
    ("Off", 0),
    ("10 seconds", 10),
    ("30 seconds", 30),
    ("1 minute", 60),
    ("5 minutes", 5 * 60),
)
SLOW_MODE_CUSTOM_CHOICE = "Custom…"
SLOW_MODE_CUSTOM_SUFFIX = " seconds"
JOIN_APPROVAL_CHECK = "A facilitator approves each new member"
JOIN_APPROVAL_HINT = "Someone with an invite code waits until a facilitator lets them in."
MEMBERS_INVITE_CHECK = "Members may invite people"
MEMBERS_INVITE_HINT = (
    "Off: only facilitators make invite codes. On: any member can too, while join approval "
    "is off. A member and everyone they bring in count as one when messages are flagged."
)
CIRCLE_GUIDELINES_LABEL = "Guidelines"
SAVE_SETTINGS = "Save"
SAVING_SETTINGS = "Saving…"
TO_SAVE_SETTINGS = "save the settings"


def circle_settings_text(circle_name: str) -> str:
    return (
        f"These apply to everyone in {circle_name}. Members see a short note in the "
        "conversation when they change."
    )


# writing while muted or slowed down
def muted_until(until: datetime, today: datetime) -> str:
    if until.date() == today.date():
        return f"You are muted until {until:%H:%M}"
    return f"You are muted until {until:%A} {until:%H:%M}"


def send_again_in(seconds: int) -> str:
    return f"You can send again in {short_duration(max(seconds, 1))}"


def slow_mode_hint(seconds: int) -> str:
    return f"Slow mode: one message every {short_duration(seconds)}"


# removed from a circle, or leaving it
REMOVED_FROM_CIRCLE = "You were removed from this circle"
BANNED_FROM_CIRCLE = "You were removed from this circle and cannot rejoin"
ADMISSION_LOST = (
    "Someone else used this invite at the same moment, so you were not admitted. "
    "Ask for a new invite."
)
REMOVED_STILL_READABLE = "What was shared before stays readable here, on this computer."
CIRCLE_MORE_BUTTON = "More"
LEAVE_CIRCLE_ACTION = "Leave circle…"
LEAVE_CONFIRM = "Leave"
LEAVING = "Leaving…"
TO_LEAVE = "leave the circle"


def leave_title(circle_name: str) -> str:
    return f"Leave {circle_name}?"


def leave_text(circle_name: str) -> str:
    return (
        f"You will stop receiving the messages of {circle_name}. To come back, you would "
        "need a new invite code."
    )


# -- boundaries: blocking a member, taking a break -----------------------------------------

BLOCK_ACTION = "Block…"
UNBLOCK_ACTION = "Unblock"
BLOCK_CONFIRM = "Block"
BLOCKED_BADGE = "blocked"
BLOCKED_TOOLTIP = "You blocked them: their messages are hidden for you. They aren't told."
EQUIVOCATED_BADGE = "⇄"  # small, like the break's moon; its tooltip says what it means
EQUIVOCATED_TOOLTIP = (
    "Their app signed two different versions of something they sent. Both are kept and "
    "shown, marked; facilitators can compare them."
)
EQUIVOCATED_SPOKEN = "signed two versions of something they sent"
TO_BLOCK = "change who you block"
BREAK_MOON = "☾"
ON_BREAK_TOOLTIP = "Taking a break"
ON_BREAK_SPOKEN = "taking a break"


def block_title(name: str) -> str:
    return f"Block {name}?"


def block_text(_name: str) -> str:
    return "You won't see their messages in this circle. They won't be told."


def blocked_status(name: str) -> str:
    return f"You blocked {name}. You can unblock them from the members list."


def unblocked_status(name: str) -> str:
    return f"You unblocked {name}."


TAKE_A_BREAK_ACTION = "Take a break…"
TAKE_A_BREAK_FROM_CIRCLE_ACTION = "Take a break from this circle…"
TAKE_A_BREAK_TITLE = "Take a break"
TAKE_A_BREAK_TEXT = (
    "Stepping back is okay. While you're on a break, Hearth won't notify you or show "
    "unread counts. Your circles are still here when you come back."
)


def take_a_break_from_text(circle_name: str) -> str:
    return (
        f"Stepping back from {circle_name} is okay. While you're on a break, Hearth won't "
        "notify you about it or show its unread count. It's still here when you come back."
    )


BREAK_ON_LABEL = "I'm taking a break now"
QUIET_HOURS_LABEL = "Quiet hours every day"
QUIET_HOURS_FROM = "From"
QUIET_HOURS_TO = "to"
QUIET_HOURS_NOTE = "No notifications or unread counts during these hours, every day."
BREAK_STATUS_LABEL = "Let members see I'm taking a break"
BREAK_STATUS_NOTE = "They see a small moon next to your name. Nothing else is shared."
SAVE_BREAK = "Save"
TO_SAVE_BREAK = "save your break"
ON_A_BREAK = "You're on a break"
ON_A_BREAK_HERE = "You're taking a break from this circle"
QUIET_HOURS_NOW = "Quiet hours"
END_BREAK = "End break"
END_BREAK_TOOLTIP = "Turn notifications and unread counts back on"
BREAK_ENDED = "Welcome back. Your break has ended."
BREAK_SAVED = "Your break settings are saved."
TO_END_BREAK = "end your break"


# -- content warnings, check-ins, messages hidden pending review (issue 6) -----------------

# a listed topic's name as people read it (peerapp.core.content_warnings.TOPICS)
CW_TOPIC_NAMES: dict[str, str] = {
    "self-harm": "Self-harm",
    "suicide": "Suicide",
    "abuse": "Abuse",
    "eating": "Eating and food",
    "substances": "Alcohol and drugs",
    "grief": "Grief and loss",
    "violence": "Violence",
}
CW_OTHER_FILTER = "Other (custom labels)"


def cw_name(cw: str) -> str:
    """A warning as people read it: a listed topic's name, or the author's own words."""
    return CW_TOPIC_NAMES.get(cw, cw)


def cw_label(cw: str) -> str:
    """What a collapsed message shows, and the tag above a shown one."""
    return f"Content warning: {cw_name(cw)}"


CW_BUTTON = "Content warning"
CW_BUTTON_TOOLTIP = (
    "Add a content warning: readers then choose whether to see this message straight away."
)
CW_CUSTOM_CHOICE = "Custom…"
CW_CUSTOM_TITLE = "Your own content warning"
CW_CUSTOM_LABEL = "A few words about what the message touches on"
CW_REMOVE = "Remove the content warning"
CW_SHOW = "Show"
CW_HIDE_AGAIN = "Hide again"
CW_COLLAPSED_HINT = "collapsed: press Enter to show it"

HIDDEN_PENDING_REVIEW = "Hidden pending review"
# under a message whose author signed two versions of it (both are kept and shown)
EQUIVOCATED_NOTE = "Its author signed two versions of this message"
SHOW_ANYWAY = "Show anyway"
RESTORE_MESSAGE = "Restore"
TO_RESTORE_MESSAGE = "restore the message"
MESSAGE_RESTORED = "The message is visible to everyone again."
HIDDEN_FOR_REVIEW_NOTICE = "A message was hidden pending review after members flagged it"
FLAG_HARM_ACTION = "Flag as harmful…"
FLAGGED_ACTION = "Flagged"
FLAG_HARM_TITLE = "Flag this message as harmful?"
FLAG_HARM_CONFIRM = "Flag"
FLAGGING = "Flagging…"
TO_FLAG_MESSAGE = "flag the message"
FLAG_HARM_THANKS = "Thank you. The message is flagged."


def flag_harm_text(flags_to_hide: int | None) -> str:
    if flags_to_hide is None:
        enough = "enough members have"
    elif flags_to_hide == 1:
        enough = "one member has"
    else:
        enough = f"{flags_to_hide} members have"
    return (
        f"Once {enough} flagged a message, it is hidden for everyone until a facilitator "
        "reviews it. The author is not told who flagged it."
    )


def restored_notice(actor: str) -> str:
    return f"{actor} restored a message after review"


LOG_RESTORED = "Restored a message after review"

HARM_FLAGS_LABEL = "Hide a message for review after"


def harm_flags_suffix(count: int) -> str:
    return " flag" if count == 1 else " flags"


HARM_FLAGS_HINT = (
    "When this many members flag a message as harmful, it is hidden for everyone until a "
    "facilitator restores or deletes it."
)


def harm_flags_rule(hours: int) -> str:
    """The engine's counting rule, said where the numbers are chosen (`hours`: how long a
    member is in the circle before their flags count, the circle's flag_after_hours)."""
    if hours <= 0:
        wait = "Members can flag as soon as they join."
    else:
        wait = f"Members can flag once they have been in the circle for {hours_long(hours)}."
    return (
        "Flags count people: a member and anyone they invited count once. "
        f"{wait} Facilitators can always flag."
    )


def hours_long(hours: int) -> str:
    """In hours, as the settings' box counts them: "1 hour", "24 hours"."""
    return "1 hour" if hours == 1 else f"{hours} hours"


FLAG_AFTER_LABEL = "Members can flag after"
FLAG_AFTER_AT_ONCE = "at once"  # the spin box's 0


def flag_after_suffix(hours: int) -> str:
    return " hour in the circle" if hours == 1 else " hours in the circle"


def flag_after_now(hours: int) -> str:
    if hours <= 0:
        return "Members can now flag messages as soon as they join"
    wait = hours_long(hours)
    return f"Members can now flag messages once they have been in the circle for {wait}"


def harm_flags_now(count: int) -> str:
    return f"Messages are now hidden for review after {count}{harm_flags_suffix(count)}"


# check-ins
CHECK_IN_BUTTON = "Check in"
CHECK_IN_TOOLTIP = "Tell the circle how you are doing, in one short line"
CHECK_IN_TITLE = "Check in"
CHECK_IN_HEADING = "How are you doing?"
CHECK_IN_TEXT = "Pick what fits right now (keys 1 to 5 work too). The circle sees one short line."
MOOD_NAMES: dict[int, str] = {
    1: "Really struggling",
    2: "Having a hard time",
    3: "Getting by",
    4: "Doing okay",
    5: "Doing well",
}
CHECK_IN_LINE_LABEL = "Anything to add? (optional)"
CHECK_IN_LINE_PLACEHOLDER = "A few words, if you like"
CHECK_IN_SEND = "Share"
CHECK_IN_SENDING = "Sharing…"
TO_CHECK_IN = "share your check-in"


def mood_name(mood: int) -> str:
    return MOOD_NAMES.get(mood, "")


def mood_choice(mood: int) -> str:
    """A mood as the check-in dialog offers it: "3 · Getting by"."""
    return f"{mood} · {mood_name(mood)}"


def mood_scale(mood: int) -> str:
    """The dots' meaning, for a screen reader and the tooltip."""
    return f"{mood} of 5"


def check_in_said(author: str, mood: int, line: str) -> str:
    said = f"{author} checked in: {mood_name(mood)} ({mood_scale(mood)})"
    return f"{said}. {line}" if line else said


# a reader's content filters
CONTENT_FILTERS_ACTION = "Content filters…"
CONTENT_FILTERS_TITLE = "Content filters"
CONTENT_FILTERS_TEXT = (
    "Choose how messages with a content warning appear for you. This stays on this "
    "computer: nobody is told what you choose."
)
FILTER_MODE_NAMES: dict[str, str] = {"show": "Show", "collapse": "Collapse", "hide": "Hide"}
CONTENT_FILTERS_HINT = (
    "Show: as written, with the warning above. Collapse: only the warning, with a Show "
    "button. Hide: left out of your conversations."
)
SAVE_FILTERS = "Save"
SAVING_FILTERS = "Saving…"
LOADING_FILTERS = "Reading your filters…"
TO_SAVE_FILTERS = "save your filters"
TO_READ_FILTERS = "read your filters"


def filter_topic_name(topic: str) -> str:
    return CW_OTHER_FILTER if topic == "other" else cw_name(topic)


# -- crisis language prompt (shown above the composer; only the writer sees it) -----------

CRISIS_PROMPT_NAME = "A note about support"
CRISIS_PROMPT_TEXT = (
    "It sounds like things might be really heavy right now. You don't have to go through it alone."
)
CRISIS_PROMPT_PRIVATE = "Only you see this. Nothing about it is sent or saved."
CRISIS_PROMPT_RESOURCES = "See crisis resources"
CRISIS_PROMPT_RESOURCES_HINT = (
    "Phone numbers and websites of people you can talk to now. Works without a connection."
)
CRISIS_PROMPT_FACILITATOR = "Tell a facilitator"
CRISIS_PROMPT_FACILITATOR_HINT = "Let this circle's facilitators know you could use support."
CRISIS_PROMPT_DISMISS_NAME = "Dismiss this note"
CRISIS_PROMPT_DISMISS_HINT = "Hides this note for this message."


# -- care flags ("I'm worried about someone"; only the circle's facilitators see them) ----

CARE_FLAG_TITLE = "I'm worried about someone"
SUPPORT_TITLE = "Ask a facilitator for support"


WORRIED_ACTION = "I'm worried about them…"  # a member's menu, for another member
ASK_SUPPORT_ACTION = "I'd like support…"
WORRIED_ABOUT_AUTHOR = "I'm worried about this person…"


def care_flag_heading(name: str) -> str:
    return f"I'm worried about {name}"


def care_flag_text(name: str) -> str:
    return (
        f"Only this circle's facilitators will see this, so they can check in with {name}. "
        f"{name} is not told, and never learns who sent it."
    )


SUPPORT_TEXT = (
    "Only this circle's facilitators will see this. They can reach out to you gently. "
    "Nobody else is told."
)
CARE_FLAG_WITH_MESSAGE = "The message you chose goes with it, so they can see what worried you."
CARE_NOTE_LABEL = "Anything they should know? (optional)"
CARE_NOTE_PLACEHOLDER = "A few words can help, but you can leave this empty."
SUPPORT_NOTE_LABEL = "Anything you'd like them to know? (optional)"
CARE_FLAG_SEND = "Tell the facilitators"
SUPPORT_SEND = "Ask for support"
CARE_FLAG_SENDING = "Sending…"
TO_CARE_FLAG = "tell the facilitators"
CARE_FLAG_SENT = "Thank you for looking out for them. The facilitators will see it."
SUPPORT_SENT = "Thank you for reaching out. The facilitators will see it."

# what a facilitator sees
CARE_FLAGS_TITLE = "Care flags"
CARE_FLAGS_EMPTY = "No open care flags right now."
CARE_FLAGS_LOADING = "Reading care flags…"
TO_READ_CARE_FLAGS = "read the care flags"
TO_RESOLVE_CARE_FLAG = "mark the care flag resolved"
MARK_RESOLVED = "Mark resolved"
CARE_FLAG_NO_NOTE = "No note."
CARE_FLAG_MESSAGE_HEADING = "Their message:"
CARE_FLAGS_CLOSE = "Close"


def care_flags_button(count: int) -> str:
    """The header's badge of open care flags (facilitators only)."""
    return "1 care flag" if count == 1 else f"{count} care flags"


def care_flag_summary(member_name: str, from_name: str, about_themselves: bool) -> str:
    if about_themselves:
        return f"{member_name} asked for support"
    return f"{from_name} is worried about {member_name}"


def care_flag_notification(circle_name: str) -> str:
    """A system notification: gentle, and never the note or any name."""
    return f"Someone in {circle_name} could use a facilitator's care."


CARE_FLAG_NOTIFICATION_TITLE = "A care flag"


# -- a facilitator's list: care flags and messages hidden pending review ------------------

CARE_AND_REVIEW_ACTION = "Care and review…"
CARE_AND_REVIEW_TITLE = "Care and review"
CARE_AND_REVIEW_TEXT = (
    "What is waiting for a facilitator here. Only facilitators see this list, and it "
    "never shows who flagged anything."
)
CARE_BADGE_TOOLTIP = "Care flags and messages waiting for review (only facilitators see this)"
REVIEW_HEADING = "Hidden pending review"
REVIEW_EXPLANATION = (
    "Members flagged these messages, so they are hidden for everyone. Open one in the "
    "conversation and choose “Show anyway” to read it, then restore it or delete it."
)
REVIEW_EMPTY = "No messages are waiting for review."
SHOW_IN_CONVERSATION = "Show in conversation"
REVIEW_OWN_MESSAGE = "This is your own message, so another facilitator reviews it."
MESSAGE_DELETED_FOR_EVERYONE = "The message was deleted for everyone."
REVIEW_NOT_IN_CONVERSATION = (
    "That message can't be shown here. It may be from someone you blocked, or of a topic "
    "your content filters hide."
)


def review_summary(author_name: str) -> str:
    return f"A message from {author_name}"


def review_sent(seconds: float) -> str:
    """When a message waiting for review was written ("Sent 5 min ago")."""
    return f"Sent {ago(seconds)}"


def review_flags(count: int) -> str:
    """How many members flagged a message (never who)."""
    return f"Flagged by {member_count(count)}"


def care_badge(care_flags: int, to_review: int) -> str:
    """The header's badge for facilitators: open care flags and messages to review."""
    if to_review == 0:
        return care_flags_button(care_flags)
    review = f"{to_review} to review"
    if care_flags == 0:
        return review
    return f"{care_flags_button(care_flags)} · {review}"


# -- a facilitator's list: events a member signed twice under one number ------------------

EQUIVOCATIONS_ACTION = "Conflicting versions…"
EQUIVOCATIONS_TITLE = "Conflicting versions"
EQUIVOCATIONS_TEXT = (
    "Sometimes a member's app signs two different versions of something it sent. Both are "
    "kept and everyone sees both, marked. Compare them here and delete a version that "
    "should not stand. Only facilitators see this list."
)
EQUIVOCATIONS_EMPTY = "Nobody in this circle has signed two versions of anything."
EQUIVOCATIONS_LOADING = "Reading the versions…"
TO_READ_EQUIVOCATIONS = "read the conflicting versions"
DELETE_THIS_VERSION = "Delete this version"
VERSION_DELETED = "This version was deleted."
VERSION_EMPTY_TEXT = "(no text)"
VERSION_REFUSED = "The circle's rules refused this version, so nobody saw it."
VERSION_DELETED_STATUS = "That version was deleted for everyone; the other stays."


def equivocation_summary(author_name: str, versions: int) -> str:
    return f"{author_name} signed {versions} versions of one thing they sent"


def version_heading(number: int, when: str) -> str:
    return f"Version {number} · {when}"


def version_not_a_message(event_type: str) -> str:
    """A version that is not a message: what kind of event it is, in the log's words."""
    return f"Not a message ({event_type.replace('_', ' ')})"


# -- "Get help now": the bundled crisis directory (works offline, sends nothing) ---------

GET_HELP_NOW = "Get help now"
GET_HELP_NOW_HINT = (
    "Phone numbers and websites of crisis services in your country. "
    "Works without a connection and sends nothing."
)
CRISIS_HELP_TITLE = "Get help now"
CRISIS_HELP_INTRO = (
    "You don't have to go through this alone. The people at these services are there to listen."
)
CRISIS_COUNTRY_LABEL = "Country"
CRISIS_EMERGENCY_UNKNOWN = "If you are in danger right now, call your local emergency number."
CRISIS_CALL = "Call"
CRISIS_TEXT = "Text"
CRISIS_WHATSAPP = "WhatsApp"
CRISIS_COPY = "Copy"
CRISIS_COPIED = "Copied"
CRISIS_WEBSITE = "Website"
CRISIS_SOURCE = "Where this number comes from"
CRISIS_PRIVATE = "This list is kept on this computer. Looking at it sends nothing."
CRISIS_CLOSE = "Close"
CRISIS_NO_DIRECTORY = (
    "The list of crisis services could not be opened on this computer. "
    "If you are in danger right now, call your local emergency number."
)


def crisis_emergency(number: str) -> str:
    return f"If you are in danger right now, call {number}."


def crisis_copy_name(number: str) -> str:
    """The copy button's accessible name."""
    return f"Copy {number}"


def crisis_hours(hours: str) -> str:
    return f"Hours: {hours}"


def crisis_languages(languages: list[str]) -> str:
    return "Languages: " + ", ".join(languages)


def crisis_checked(date: str) -> str:
    return f"Last checked: {date}."


def crisis_international(name: str, website: str) -> str:
    """Rich text: the worldwide directory, for anyone whose country is not listed."""
    return f'Somewhere else? <a href="{website}">{name}</a> lists helplines in many countries.'


# -- storage: what each circle takes on this computer (issue 11) ---------------------------

STORAGE_ACTION = "Storage…"
STORAGE_TITLE = "Storage"
STORAGE_TEXT = (
    "What each circle's conversation takes on this computer. Everything stays on your "
    "computer and the computers of the circle's members; nothing is kept on a server."
)
STORAGE_LOADING = "Reading what each circle takes…"
TO_READ_STORAGE = "read what each circle takes"
STORAGE_NO_CIRCLES = "You are not in any circle yet."
STORAGE_NOBODY = "Nothing stored in this circle yet."
STORAGE_CIRCLES = "Your circles"
STORAGE_REMOVED = "removed"
STORAGE_BANNED = "banned"
CLEAR_MEMBER_BUTTON = "Clear what they stored…"
CLEAR_MEMBER_CONFIRM = "Clear"
CLEARING_MEMBER = "Clearing…"
TO_CLEAR_MEMBER = "clear what they stored"
STORAGE_QUOTA_NOTE = (
    "Some of their messages and other entries were not kept: they reached the limit."
)


def storage_member_heading(circle: str) -> str:
    return f"Who stored what in {circle}"


def storage_budget(size: str) -> str:
    return f"Each member may store up to {size} with you in this circle."


def clear_member_title(name: str) -> str:
    return f"Clear what {name} stored?"


def clear_member_text(name: str) -> str:
    return (
        f"{name} is no longer in this circle. Their messages will be erased on this computer "
        "only: each one shows as removed in the conversation, in the same place. Other "
        "members' computers keep their own copies. This cannot be undone."
    )


def cleared_member(name: str, messages: int, size: str) -> str:
    if messages == 0:
        return f"{name} had nothing left to clear."
    what = "1 message" if messages == 1 else f"{messages} messages"
    return f"Cleared {what} from {name}, freeing {size}."


# -- network mode and Tor (issue 12) ---------------------------------------------------------

NETWORK_ACTION = "Network…"
NETWORK_SETTINGS_BUTTON = "Network settings…"
NETWORK_TITLE = "Network"
NETWORK_TEXT = (
    "How Hearth reaches the other members of your circles. Changes apply when Hearth reconnects."
)
NETWORK_MODE_TOR = "Tor (recommended)"
NETWORK_MODE_TOR_NOTE = (
    "Members reach you through Tor: nobody in your circles learns where you are."
)
NETWORK_MODE_DIRECT = "Direct"
DIRECT_MODE_WARNING = (
    "Members can see your IP address. Use this only with people you trust with where you "
    "are, e.g. on a home or office network."
)
OWN_TOR = "Hearth's own Tor"
EXTRA_TOR_LABEL = "Bridges and extra Tor settings"
EXTRA_TOR_HINT = (
    "Paste bridge lines here if Tor is blocked where you are (such as "
    "“Bridge obfs4 …”, with “UseBridges 1”), or other torrc lines. Leave it empty "
    "otherwise."
)
EXISTING_TOR = "An existing Tor (Tails, Whonix, a system tor)"
TOR_CONTROL_LABEL = "Control address"
TOR_CONTROL_PLACEHOLDER = "127.0.0.1:9051 or /run/tor/control"
TOR_SOCKS_LABEL = "SOCKS address"
TOR_SOCKS_PLACEHOLDER = "127.0.0.1:9050"
SAVE_NETWORK = "Save"
SAVING_NETWORK = "Saving…"
LOADING_NETWORK = "Reading the network settings…"
TO_SAVE_NETWORK = "save the network settings"
TO_READ_NETWORK = "read the network settings"
NETWORK_SAVED_TEXT = (
    "Saved. Hearth uses the new settings once it reconnects: now, or the next time you "
    "unlock this profile."
)
RECONNECT_NOW = "Reconnect now"
RECONNECT_LATER = "Later"
NETWORK_APPLIES_AT_UNLOCK = "The new network settings apply the next time you unlock."

# the status bar in Tor mode (the rules: connection_status.TOR_LINES)
TOR_STARTING = "Starting Tor…"
TOR_REACHABLE = "Reachable privately"
TOR_REACHABLE_HINT = "Members reach you through Tor; nobody in your circles sees your IP address."
TOR_STALE = "Tor lost its connection; reconnecting…"
TOR_RESTARTING = "Tor stopped; starting it again…"
TOR_FAILED = "Tor could not start"
DIRECT_MODE_STATUS = "Direct mode: members can see your IP address"
DELIVERY_WAITING_FOR_TOR = "Waiting for Tor…"
# Tor mode has no profile-wide peer id or address to show where direct mode shows "You: …"
TOR_IDENTITY_LABEL = "You: a separate identity in each circle"
TOR_IDENTITY_HINT = (
    "In Tor mode each circle knows you by an onion address and peer id of its own, so "
    "members of different circles cannot tell it is you in both."
)


def network_failed(message: str, chosen_at_start: bool = False) -> str:
    """The banner when the engine stopped because of the network settings (Tor);
    `chosen_at_start`: the network came from options given when starting Hearth."""
    if chosen_at_start:
        return (
            f"{message} {PRODUCT_NAME} is offline: fix that option and start {PRODUCT_NAME} "
            "again, or start it without Tor options to use its network settings (the "
            f"“{NETWORK_SETTINGS_BUTTON}” button below)."
        )
    return (
        f"{message} {PRODUCT_NAME} is offline: change the network settings (the "
        f"“{NETWORK_SETTINGS_BUTTON}” button below), then reconnect."
    )


def run_differs(mode: str) -> str:
    """The network settings dialog, when this run was started with another mode."""
    name = "direct mode" if mode == "direct" else "Tor mode"
    return (
        f"Hearth was started in {name} this time (a choice made when starting it), so the "
        "settings below apply when it is started without that choice."
    )


def tor_connecting(progress: int) -> str:
    return f"Connecting to the Tor network: {progress}%"
