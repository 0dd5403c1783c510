"""What accepted events change in how a circle shows, beyond its messages: its members
(`members_changed` with their views), its settings and our standing in it
(`circle_settings_changed` with `circle_info`'s view), its row in the list of circles
(`circle_changed` with its view). Each carries the view as of now, built where it is
announced, so a front updates from the event without asking again; each is said once
per batch of accepted events, whoever wrote them and however they arrived (our own
write, GossipSub, a sync).

Rules: which accepted event types change what (`CHANGES`, below). A member's admission
is announced by `member_joined` (the admitter stores it outside the write path's announce
step, a joiner's log arrives whole), so ADD_MEMBER is not in the table. A member asking
for support (a low check-in accepted, a care flag in our mailbox) moves its
`asked_for_support_at`, which only a facilitator's views carry (engine/care.py): to a
facilitator, that changes the members (`SUPPORT_ASKED`); to anyone else, nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from peerapp.core.api.moderation import CircleInfoView
from peerapp.core.care_policy import is_low
from peerapp.core.circle_events import EventType
from peerapp.core.events import (
    CircleChanged,
    CircleSettingsChanged,
    CircleView,
    MembersChanged,
    MemberView,
)
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.storage.circle_store import StoredEvent


class Shown(enum.Enum):
    MEMBERS = "members"  # who is in, roles, ranks, mutes, breaks, what we may do to each
    SETTINGS = "settings"  # circle_info: the settings, our role, rank, mute, removal
    ROW = "row"  # the circle's row: its member count, what waits for a facilitator's care


_ALL = frozenset(Shown)
_STANDING = frozenset({Shown.MEMBERS, Shown.SETTINGS})
ROW = frozenset({Shown.ROW})

# a facilitator's row counts open care flags and messages hidden pending review: a role
# changed (ours, maybe: the counts start or stop), a harm flag, restore or delete may
# hide or show one, the settings may move the hiding threshold
CHANGES: dict[EventType, frozenset[Shown]] = {
    EventType.PROMOTE: _ALL,
    EventType.DEMOTE: _ALL,
    EventType.TRANSFER_FOUNDER: _ALL,
    EventType.MUTE: _STANDING,
    EventType.REMOVE: _ALL,
    EventType.BAN: _ALL,
    EventType.LEAVE: _ALL,
    EventType.STATUS: frozenset({Shown.MEMBERS}),  # "taking a break" shows in the members
    EventType.SETTINGS: frozenset({Shown.SETTINGS, Shown.ROW}),
    EventType.HARM_FLAG: ROW,
    EventType.RESTORE: ROW,
    EventType.DELETE: ROW,
}
# an admission (member_joined): a member more, in the list, the count and may_invite
JOINED = _ALL
# to a facilitator, a member asked for support: a low check-in, a care flag about them
SUPPORT_ASKED = frozenset({Shown.MEMBERS})


class CircleChanges:
    def __init__(
        self,
        *,
        members: Callable[[CircleRuntime], list[MemberView]],
        info: Callable[[CircleRuntime], CircleInfoView],
        row: Callable[[CircleRuntime], CircleView | None],
        context: EngineContext,
    ) -> None:
        """`members(runtime)`: the members as the `members` command lists them; `info`:
        circle_info's view; `row(runtime)`: the circle's row, None when it is no longer
        listed (left, forgotten)."""
        self._members = members
        self._info = info
        self._row = row
        self._emit = context.emit

    async def on_accepted(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        shown: set[Shown] = set()
        for stored in accepted:
            shown |= CHANGES.get(stored.type, frozenset())
        if any(stored.type is EventType.MESSAGE and is_low(stored.mood) for stored in accepted):
            shown |= self._support_asked(runtime)
        self.announce(runtime, frozenset(shown))

    def support_asked(self, runtime: CircleRuntime) -> None:
        """A care flag about a member reached our mailbox."""
        self.announce(runtime, self._support_asked(runtime))

    def _support_asked(self, runtime: CircleRuntime) -> frozenset[Shown]:
        return SUPPORT_ASKED if runtime.state.is_facilitator(runtime.me) else frozenset()

    def member_joined(self, runtime: CircleRuntime) -> None:
        self.announce(runtime, JOINED)

    def announce(self, runtime: CircleRuntime, shown: frozenset[Shown]) -> None:
        circle_hex = runtime.circle_id.hex()
        if Shown.MEMBERS in shown:
            self._emit(MembersChanged(circle_hex, tuple(self._members(runtime))))
        if Shown.SETTINGS in shown:
            self._emit(CircleSettingsChanged(circle_hex, self._info(runtime)))
        if Shown.ROW in shown and (row := self._row(runtime)) is not None:
            self._emit(CircleChanged(row))
