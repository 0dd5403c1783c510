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
    ("25 times", 25),
)
DEFAULT_USES_INDEX = 0
CREATE_INVITE = "Create invite code"
CREATING_INVITE = "Creating the invite code…"
INVITE_READY_HEADING = "Your invite code"
COPY = "Copy"
COPIED = "Copied"
DONE = "Done"
QR_UNAVAILABLE = "A QR code cannot be drawn on this computer; copy the code instead."
QR_TOOLTIP = "The same invite code, for a phone camera or another screen"
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
