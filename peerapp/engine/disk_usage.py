"""What each circle takes on disk, and clearing what a removed or banned member stored.

- `usage`: per circle, its events and bytes, and per author (members and former members)
  the events and bytes we keep, their stored-bytes budget (core/quotas.py) and how many
  of their events a quota refused;
- `clear_member`: erase every message a removed or banned member stored with us, as a
  delete does, with its edits and reactions (the rows stay so the log's order and links
  hold; text and signed bytes go). Only former members: a current member's messages
  are the circle's conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from peerapp.core.api.refusals import Refusal
from peerapp.core.api.usage import (
    CircleUsage,
    CircleUsageView,
    Cleared,
    ClearMember,
    MemberUsageView,
    UsageView,
)
from peerapp.core.errors import CommandError
from peerapp.core.events import HistoryChanged
from peerapp.core.quotas import Quotas
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.dispatch import Handlers
from peerapp.engine.ids import id_from_hex
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.storage.circle_store import CircleStore


class UsageOwner(Protocol):
    """What the handlers read (the circle service has both)."""

    @property
    def disk_usage(self) -> DiskUsage: ...

    @property
    def dropped(self) -> dict[str, int]: ...


class DiskUsage:
    def __init__(
        self,
        store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        quotas: Callable[[CircleRuntime], Quotas],
        context: EngineContext,
        forget_files: Callable[[CircleRuntime, bytes], int] = lambda runtime, author: 0,
    ) -> None:
        """`quotas(runtime)`: the circle's per-member quotas (what ingest charges);
        `forget_files(runtime, author)`: erase the files an author stored with us (issue
        15), returning the bytes freed."""
        self._store = store
        self._runtimes = runtimes
        self._quotas = quotas
        self._forget_files = forget_files
        self._emit = context.emit

    def usage(self, circle_hex: str | None) -> tuple[CircleUsageView, ...]:
        if circle_hex is not None:
            runtimes = [self._runtimes.require(circle_hex)]
        else:
            runtimes = self._runtimes.active()
        return tuple(self._circle_usage(runtime) for runtime in runtimes)

    def _circle_usage(self, runtime: CircleRuntime) -> CircleUsageView:
        quotas = self._quotas(runtime)
        by_author = self._store.usage_by_author(runtime.circle_id)
        state = runtime.state
        authors = set(by_author) | set(quotas.refused)
        members = [
            MemberUsageView(
                id=author.hex(),
                name=runtime.name_of(author),
                member=author in state.members,
                removed=author in state.ever_admitted and author not in state.members,
                banned=author in state.banned,
                events=by_author.get(author, (0, 0))[0],
                bytes=by_author.get(author, (0, 0))[1],
                refused=quotas.refused.get(author, 0),
            )
            for author in authors
        ]
        members.sort(key=lambda m: (-m.bytes, m.id))
        return CircleUsageView(
            circle=runtime.circle_id.hex(),
            name=state.name or runtime.membership.name,
            events=sum(events for events, _ in by_author.values()),
            bytes=sum(size for _, size in by_author.values()),
            member_budget=quotas.rules.stored_bytes,
            members=tuple(members),
        )

    def clear_member(self, circle_hex: str, member_hex: str) -> dict[str, Any]:
        runtime = self._runtimes.require(circle_hex)
        member = id_from_hex(member_hex, "member id")
        state = runtime.state
        if member in state.members:
            raise CommandError(Refusal.CLEAR_MEMBER_STILL_IN)
        if member not in state.ever_admitted:
            raise CommandError(Refusal.NOT_A_FORMER_MEMBER)
        messages, erased = self._store.erase_author_messages(runtime.circle_id, member)
        self._quotas(runtime).forget_stored(member, erased)
        erased += self._forget_files(runtime, member)  # their pictures and files too
        if erased:
            self._emit(HistoryChanged(runtime.circle_id.hex()))  # its reactions go too
        return {"messages": messages, "bytes": erased}


def usage_handlers(service: Callable[[], UsageOwner]) -> Handlers:
    async def circle_usage(command: CircleUsage) -> UsageView:
        circles = service().disk_usage.usage(command.circle)
        return UsageView(circles=circles, dropped=dict(service().dropped))

    async def clear_member(command: ClearMember) -> Cleared:
        return Cleared(**service().disk_usage.clear_member(command.circle, command.member))

    handlers = Handlers()
    handlers.add(CircleUsage, circle_usage)
    handlers.add(ClearMember, clear_member)
    return handlers
