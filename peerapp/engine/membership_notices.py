"""Who joined and who left a circle (issue 15), for the conversation's quiet notices:
each accepted ADD_MEMBER (the member it admits) and LEAVE (its author), read from the
log (`log`) or announced as they are accepted (`on_accepted`, a `CircleLog` hook: ours
or from the network). Removals and bans are moderation entries and have their own
notices. The founder's own start is no join."""

from __future__ import annotations

from peerapp.core.circle_events import EventError, EventType
from peerapp.core.events import MembershipChanged, MembershipEntryView
from peerapp.crypto.signing import verify_signed
from peerapp.engine.circle_runtime import CircleRuntime, decoded
from peerapp.engine.context import EngineContext
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.storage.circle_store import CircleStore, StoredEvent

JOINED = "joined"
LEFT = "left"


def _member_of(stored: StoredEvent) -> tuple[bytes, str] | None:
    """Who the event is about and what happened; None for other events."""
    if stored.type is EventType.LEAVE:
        return stored.author, LEFT
    if stored.type is not EventType.ADD_MEMBER:
        return None
    try:
        # the admitted member signed its request; it was verified before the event was stored
        return verify_signed(decoded(stored).body["request"]).event.author, JOINED
    except (EventError, KeyError, TypeError):
        return None


class MembershipNotices:
    def __init__(
        self, store: CircleStore, *, runtimes: CircleRuntimes, context: EngineContext
    ) -> None:
        self._store = store
        self._runtimes = runtimes
        self._emit = context.emit

    def entry(self, runtime: CircleRuntime, stored: StoredEvent) -> MembershipEntryView | None:
        found = _member_of(stored)
        if found is None or stored.id in runtime.refused:
            return None
        member, action = found
        return MembershipEntryView(
            id=stored.id.hex(),
            member=member.hex(),
            member_name=runtime.name_of(member),
            action=action,
            ts=stored.ts,
            lamport=stored.lamport,
        )

    def log(self, circle_hex: str) -> tuple[MembershipEntryView, ...]:
        runtime = self._runtimes.require(circle_hex)
        entries = (
            self.entry(runtime, stored)
            for stored in self._store.control_events_in_order(runtime.circle_id)
            if stored.type in (EventType.ADD_MEMBER, EventType.LEAVE)
        )
        return tuple(entry for entry in entries if entry is not None)

    def admitted(self, runtime: CircleRuntime, member: bytes) -> None:
        """We admitted `member` (our ADD_MEMBER was committed without the log's hooks,
        engine/circle_join.py): announce its entry as the other members' apps do."""
        for stored in reversed(self._store.control_events_in_order(runtime.circle_id)):
            if stored.type is not EventType.ADD_MEMBER:
                continue
            entry = self.entry(runtime, stored)
            if entry is not None and entry.member == member.hex():
                self._emit(MembershipChanged(runtime.circle_id.hex(), entry))
                return

    async def on_accepted(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        for stored in accepted:
            entry = self.entry(runtime, stored)
            if entry is not None:
                self._emit(MembershipChanged(runtime.circle_id.hex(), entry))
