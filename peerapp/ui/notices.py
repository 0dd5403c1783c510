"""What facilitators did, in words: the quiet notes in a conversation and the lines of the
moderation log (pure, no Qt).

An entry is one row of the engine's `moderation_log` (or the `entry` of a `moderation`
event): who did what to whom, when. Settings entries carry all the settings at once, so
what changed is found by comparing with the settings before it (`with_previous` walks
the log keeping them); when those are not known (the circle's guidelines before its
first settings change), only what is sure is said.

Names come from other members: they are shown as plain text, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import DEFAULT_FLAG_AFTER_HOURS, DEFAULT_HARM_FLAGS_TO_HIDE
from peerapp.core.events import MessageView
from peerapp.ui import timeline
from peerapp.ui.text import common, conversation, moderation, safety
from peerapp.ui.timeline import Notice


@dataclass(frozen=True)
class ModerationEntry:
    id: str
    actor: str
    actor_name: str
    action: str  # the event type's value (EventType), as moderation_log names it
    target: str | None
    target_name: str
    ts: int  # ms, the actor's clock
    details: dict[str, Any] = field(default_factory=dict, compare=False)
    lamport: int | None = None  # its place in the circle's log, when the engine says

    @property
    def who(self) -> str:
        return self.actor_name or conversation.unnamed_member()

    @property
    def whom(self) -> str:
        return self.target_name or conversation.unnamed_member()


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


# before any settings event: slow mode off, join approval off, only facilitators invite,
# guidelines from the start
STARTING_SETTINGS = Settings()


def entry_from(row: object) -> ModerationEntry | None:
    """One engine row as an entry; None when it is malformed."""
    if not isinstance(row, dict):
        return None
    try:
        target = row.get("target")
        details = row.get("details") or {}
        lamport = row.get("lamport")
        return ModerationEntry(
            id=str(row["id"]),
            actor=str(row["actor"]),
            actor_name=str(row.get("actor_name") or ""),
            action=str(row["action"]),
            target=None if target is None else str(target),
            target_name=str(row.get("target_name") or ""),
            ts=int(row["ts"]),
            details=dict(details) if isinstance(details, dict) else {},
            lamport=None if lamport is None else int(lamport),
        )
    except (KeyError, TypeError, ValueError):
        return None


def entries_from(rows: Sequence[object]) -> list[ModerationEntry]:
    """The engine's moderation_log rows, skipping any that are malformed."""
    entries = [entry_from(row) for row in rows]
    return [entry for entry in entries if entry is not None]


def settings_of(entry: ModerationEntry) -> Settings | None:
    """The settings a settings entry set; None for other entries or malformed details."""
    if entry.action != EventType.SETTINGS.value:
        return None
    details = entry.details
    try:
        guidelines = details.get("guidelines")
        return Settings(
            int(details["slow_mode_seconds"]),
            bool(details["join_approval"]),
            None if guidelines is None else str(guidelines),
            int(details.get("harm_flags_to_hide", DEFAULT_HARM_FLAGS_TO_HIDE)),
            details.get("members_invite") is True,
            int(details.get("flag_after_hours", DEFAULT_FLAG_AFTER_HOURS)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def with_previous(
    entries: Iterable[ModerationEntry], start: Settings = STARTING_SETTINGS
) -> list[tuple[ModerationEntry, Settings]]:
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
    known_before = previous is not None and previous.guidelines is not None
    if known_before and new.guidelines is not None and new.guidelines != before.guidelines:
        changes.append(moderation.guidelines_updated())
    return changes


def mute_seconds(entry: ModerationEntry) -> int:
    """How long a mute entry mutes for (0: it lifts a mute); whole minutes from a minute
    on, since the event's time and the mute's end come from two readings of a clock."""
    try:
        until = int(entry.details.get("until", 0))
    except (TypeError, ValueError):
        return 0
    seconds = round((until - entry.ts) / 1000)
    if seconds <= 0:
        return 0
    return round(seconds / 60) * 60 if seconds >= 60 else seconds


def _mute_notice(entry: ModerationEntry, previous: Settings | None) -> str:
    seconds = mute_seconds(entry)
    if seconds == 0:
        return moderation.unmuted_notice(entry.who, entry.whom)
    return moderation.muted_notice(entry.who, entry.whom, common.duration(seconds))


def _settings_notice(entry: ModerationEntry, previous: Settings | None) -> str:
    new = settings_of(entry)
    changes = [] if new is None else settings_changes(new, previous)
    if not changes:
        return moderation.settings_saved_notice(entry.who)
    return moderation.settings_notice(changes, entry.who)


NoticeRule = Callable[[ModerationEntry, Settings | None], str | None]

# action -> the note the conversation shows (a deleted message shows in its own place)
NOTICES: dict[str, NoticeRule] = {
    EventType.PROMOTE.value: lambda e, _: moderation.promoted_notice(e.who, e.whom),
    EventType.DEMOTE.value: lambda e, _: moderation.demoted_notice(e.who, e.whom),
    EventType.TRANSFER_FOUNDER.value: lambda e, _: moderation.made_founder_notice(e.who, e.whom),
    EventType.MUTE.value: _mute_notice,
    EventType.REMOVE.value: lambda e, _: moderation.removed_notice(e.who, e.whom),
    EventType.BAN.value: lambda e, _: moderation.banned_notice(e.who, e.whom),
    EventType.SETTINGS.value: _settings_notice,
    EventType.INVITE_REVOKE.value: lambda e, _: moderation.invite_revoked_notice(e.who),
    EventType.DELETE.value: lambda e, _: None,
    EventType.RESTORE.value: lambda e, _: safety.restored_notice(e.who),
}


def notice_text(entry: ModerationEntry, previous: Settings | None = None) -> str | None:
    """The quiet note the conversation shows for `entry` (`previous`: the settings before
    it); None when it shows none."""
    rule = NOTICES.get(entry.action)
    if rule is None:
        return moderation.other_action_notice(entry.who)
    return rule(entry, previous)


@dataclass(frozen=True)
class LogLine:
    """One line of the moderation log as the log view shows it."""

    when: str
    who: str
    what: str
    whom: str


def _mute_what(entry: ModerationEntry, previous: Settings | None) -> str:
    seconds = mute_seconds(entry)
    return moderation.log_muted(common.duration(seconds)) if seconds else moderation.log_unmuted()


def _settings_what(entry: ModerationEntry, previous: Settings | None) -> str:
    new = settings_of(entry)
    changes = [] if new is None else settings_changes(new, previous)
    return ". ".join(changes) if changes else moderation.log_settings_saved()


def _delete_what(entry: ModerationEntry, previous: Settings | None) -> str:
    own = entry.target == entry.actor
    return moderation.log_own_message_deleted() if own else moderation.log_message_removed()


LogRule = Callable[[ModerationEntry, Settings | None], str]

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


def log_what(entry: ModerationEntry, previous: Settings | None = None) -> str:
    rule = LOG_WHAT.get(entry.action)
    return moderation.log_other() if rule is None else rule(entry, previous)


def log_lines(entries: Iterable[ModerationEntry]) -> list[LogLine]:
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
                who=entry.who,
                what=log_what(entry, previous),
                whom=entry.whom if has_target and not own_delete else "",
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
