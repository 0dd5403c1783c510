"""What facilitators did, in words: the quiet notes in a conversation and the lines of the
moderation log (pure, no Qt).

An entry is one `ModerationEntryView` of the engine's `moderation_log` (or the `entry` of
a `moderation` event): who did what to whom, when. Settings entries carry all the settings
at once, so what changed is found by comparing with the settings before it (`with_previous` walks
the log keeping them); when those are not known (the circle's guidelines before its
first settings change), only what is sure is said.

Names come from other members: they are shown as plain text, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from peerapp.core.api.moderation import (
    MessageDetails,
    ModerationEntryView,
    MuteDetails,
    RemovalDetails,
    SettingsDetails,
)
from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import DEFAULT_FLAG_AFTER_HOURS, DEFAULT_HARM_FLAGS_TO_HIDE
from peerapp.core.events import MessageView
from peerapp.ui import timeline
from peerapp.ui.text import around, common, conversation, moderation, safety
from peerapp.ui.timeline import Notice


def who(entry: ModerationEntryView) -> str:
    return entry.actor_name or conversation.unnamed_member()


def whom(entry: ModerationEntryView) -> str:
    return entry.target_name or conversation.unnamed_member()


def reason_of(entry: ModerationEntryView) -> str:
    """The facilitator's reason an entry carries (remove, ban, mute, delete); "" when none.
    A member's words: shown as plain text."""
    details = entry.details
    if isinstance(details, (MuteDetails, MessageDetails, RemovalDetails)):
        return details.reason
    return ""


@dataclass(frozen=True)
class Settings:
    slow_mode_seconds: int = 0
    join_approval: bool = False
    guidelines: str | None = None  # None: not known
    # how many members' harm flags hide a message pending review
    harm_flags_to_hide: int = DEFAULT_HARM_FLAGS_TO_HIDE
    members_invite: bool = False  # plain members may invite (off: only facilitators)
    # how long a plain member is in the circle before its harm flags are accepted
    flag_after_hours: int = DEFAULT_FLAG_AFTER_HOURS
    typing: bool = False  # members see who is typing (issue 15; off by default)


# before any settings event: slow mode off, join approval off, only facilitators invite,
# guidelines from the start
STARTING_SETTINGS = Settings()


def settings_of(entry: ModerationEntryView) -> Settings | None:
    """The settings a settings entry set; None for other entries."""
    details = entry.details
    if not isinstance(details, SettingsDetails):
        return None
    return Settings(
        details.slow_mode_seconds,
        details.join_approval,
        details.guidelines,
        details.harm_flags_to_hide,
        details.members_invite,
        details.flag_after_hours,
        details.typing,
    )


def with_previous(
    entries: Iterable[ModerationEntryView], start: Settings = STARTING_SETTINGS
) -> list[tuple[ModerationEntryView, Settings]]:
    """Each entry (in log order) with the settings in force just before it."""
    current = start
    paired = []
    for entry in entries:
        paired.append((entry, current))
        current = settings_of(entry) or current
    return paired


def settings_changes(new: Settings, previous: Settings | None) -> list[str]:
    """What a settings entry changed, one short sentence each."""
    before = previous or STARTING_SETTINGS
    changes = []
    if new.slow_mode_seconds != before.slow_mode_seconds:
        changes.append(
            moderation.slow_mode_now(common.short_duration(new.slow_mode_seconds))
            if new.slow_mode_seconds
            else moderation.slow_mode_off_now()
        )
    if new.join_approval != before.join_approval:
        changes.append(
            moderation.join_approval_on_now()
            if new.join_approval
            else moderation.join_approval_off_now()
        )
    if new.harm_flags_to_hide != before.harm_flags_to_hide:
        changes.append(safety.harm_flags_now(new.harm_flags_to_hide))
    if new.members_invite != before.members_invite:
        on = new.members_invite
        changes.append(
            moderation.members_invite_on_now() if on else moderation.members_invite_off_now()
        )
    if new.flag_after_hours != before.flag_after_hours:
        changes.append(safety.flag_after_now(new.flag_after_hours))
    if new.typing != before.typing:
        changes.append(around.typing_on_now() if new.typing else around.typing_off_now())
    known_before = previous is not None and previous.guidelines is not None
    if known_before and new.guidelines is not None and new.guidelines != before.guidelines:
        changes.append(moderation.guidelines_updated())
    return changes


def mute_seconds(entry: ModerationEntryView) -> int:
    """How long a mute entry mutes for (0: it lifts a mute); whole minutes from a minute
    on, since the event's time and the mute's end come from two readings of a clock."""
    if not isinstance(entry.details, MuteDetails):
        return 0
    seconds = round((entry.details.until - entry.ts) / 1000)
    if seconds <= 0:
        return 0
    return round(seconds / 60) * 60 if seconds >= 60 else seconds


def _mute_notice(entry: ModerationEntryView, previous: Settings | None) -> str:
    seconds = mute_seconds(entry)
    if seconds == 0:
        notice = moderation.unmuted_notice(who(entry), whom(entry))
    else:
        notice = moderation.muted_notice(who(entry), whom(entry), common.duration(seconds))
    return moderation.with_reason(notice, reason_of(entry))


def _delete_notice(entry: ModerationEntryView, previous: Settings | None) -> str | None:
    """A deleted message shows in its own place (its tombstone); a facilitator's delete
    that says why also gets a note, so its author (and everyone) reads the reason."""
    reason = reason_of(entry)
    if not reason or entry.actor == entry.target:
        return None
    return moderation.with_reason(
        moderation.message_removed_notice(who(entry), whom(entry)), reason
    )


def _settings_notice(entry: ModerationEntryView, previous: Settings | None) -> str:
    new = settings_of(entry)
    changes = [] if new is None else settings_changes(new, previous)
    if not changes:
        return moderation.settings_saved_notice(who(entry))
    return moderation.settings_notice(changes, who(entry))


NoticeRule = Callable[[ModerationEntryView, Settings | None], str | None]

# action -> the note the conversation shows (a deleted message shows in its own place),
# with the facilitator's reason when the entry carries one
NOTICES: dict[str, NoticeRule] = {
    EventType.PROMOTE.value: lambda e, _: moderation.promoted_notice(who(e), whom(e)),
    EventType.DEMOTE.value: lambda e, _: moderation.demoted_notice(who(e), whom(e)),
    EventType.TRANSFER_FOUNDER.value: lambda e, _: moderation.made_founder_notice(who(e), whom(e)),
    EventType.MUTE.value: _mute_notice,
    EventType.REMOVE.value: lambda e, _: moderation.with_reason(
        moderation.removed_notice(who(e), whom(e)), reason_of(e)
    ),
    EventType.BAN.value: lambda e, _: moderation.with_reason(
        moderation.banned_notice(who(e), whom(e)), reason_of(e)
    ),
    EventType.SETTINGS.value: _settings_notice,
    EventType.INVITE_REVOKE.value: lambda e, _: moderation.invite_revoked_notice(who(e)),
    EventType.DELETE.value: _delete_notice,
    EventType.RESTORE.value: lambda e, _: safety.restored_notice(who(e)),
}


def notice_text(entry: ModerationEntryView, previous: Settings | None = None) -> str | None:
    """The quiet note the conversation shows for `entry` (`previous`: the settings before
    it); None when it shows none."""
    rule = NOTICES.get(entry.action)
    if rule is None:
        return moderation.other_action_notice(who(entry))
    return rule(entry, previous)


@dataclass(frozen=True)
class LogLine:
    """One line of the moderation log as the log view shows it."""

    when: str
    who: str
    what: str
    whom: str
    reason: str = ""  # the facilitator's words, when the entry carries them


def _mute_what(entry: ModerationEntryView, previous: Settings | None) -> str:
    seconds = mute_seconds(entry)
    return moderation.log_muted(common.duration(seconds)) if seconds else moderation.log_unmuted()


def _settings_what(entry: ModerationEntryView, previous: Settings | None) -> str:
    new = settings_of(entry)
    changes = [] if new is None else settings_changes(new, previous)
    return ". ".join(changes) if changes else moderation.log_settings_saved()


def _delete_what(entry: ModerationEntryView, previous: Settings | None) -> str:
    own = entry.target == entry.actor
    return moderation.log_own_message_deleted() if own else moderation.log_message_removed()


LogRule = Callable[[ModerationEntryView, Settings | None], str]

# action -> what the log's "What" column says
LOG_WHAT: dict[str, LogRule] = {
    EventType.PROMOTE.value: lambda e, _: moderation.log_promoted(),
    EventType.DEMOTE.value: lambda e, _: moderation.log_demoted(),
    EventType.TRANSFER_FOUNDER.value: lambda e, _: moderation.log_made_founder(),
    EventType.MUTE.value: _mute_what,
    EventType.REMOVE.value: lambda e, _: moderation.log_removed(),
    EventType.BAN.value: lambda e, _: moderation.log_banned(),
    EventType.SETTINGS.value: _settings_what,
    EventType.INVITE_REVOKE.value: lambda e, _: moderation.log_invite_revoked(),
    EventType.DELETE.value: _delete_what,
    EventType.RESTORE.value: lambda e, _: safety.log_restored(),
}


def log_what(entry: ModerationEntryView, previous: Settings | None = None) -> str:
    rule = LOG_WHAT.get(entry.action)
    return moderation.log_other() if rule is None else rule(entry, previous)


def log_lines(entries: Iterable[ModerationEntryView]) -> list[LogLine]:
    """The moderation log (in log order) as lines for the log view."""
    lines = []
    for entry, previous in with_previous(entries):
        has_target = entry.target is not None and entry.action not in (
            EventType.SETTINGS.value,
            EventType.INVITE_REVOKE.value,
            EventType.RESTORE.value,  # the author of a restored message is not named
        )
        own_delete = entry.action == EventType.DELETE.value and entry.target == entry.actor
        lines.append(
            LogLine(
                when=moderation.log_when(timeline.local_time(entry.ts)),
                who=who(entry),
                what=log_what(entry, previous),
                whom=whom(entry) if has_target and not own_delete else "",
                reason=reason_of(entry),
            )
        )
    return lines


# -- a message hidden pending review, told to facilitators where it is -----------------------

REVIEW_NOTICE_SUFFIX = "~review"  # sorts right after the message's own id


def review_notice(message: MessageView) -> Notice:
    """The quiet note a facilitator sees right below a message that members' harm flags
    hid pending review (its id tells it apart from moderation entries' notices)."""
    return Notice(
        id=message.id + REVIEW_NOTICE_SUFFIX,
        text=safety.hidden_for_review_notice(),
        ts=message.ts,
        lamport=message.lamport,
        order_id=message.id + REVIEW_NOTICE_SUFFIX,
    )
