"""What each circle takes on disk, and clearing what a removed or banned member stored.

- `usage`: per circle, its events and bytes, and per author (members and former members)
  the events and bytes we keep, their stored-bytes budget (core/quotas.py) and how many
  of their events a quota refused;
- `clear_member`: erase every message a removed or banned member stored with us, as a
  delete does (the rows stay so the log's order and links hold; text and signed bytes
  go). Only former members: a current member's messages are the circle's conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from peerapp.core.api.usage import CircleUsage, Cleared, ClearMember, UsageView
from peerapp.core.errors import CommandError
from peerapp.core.events import HistoryChanged
from peerapp.engine.dispatch import Handlers
from peerapp.engine.ids import id_from_hex

if TYPE_CHECKING:
    from peerapp.engine.circle_runtime import CircleRuntime
    from peerapp.engine.circle_service import CircleService


class DiskUsage:
    def __init__(self, service: CircleService) -> None:
        self._service = service

    def usage(self, circle_hex: str | None) -> list[dict[str, Any]]:
        service = self._service
        if circle_hex is not None:
            runtimes = [service._runtime(circle_hex)]
        else:
            runtimes = [r for r in service._runtimes.values() if not r.left]
        return [self._circle_usage(runtime) for runtime in runtimes]

    def _circle_usage(self, runtime: CircleRuntime) -> dict[str, Any]:
        service = self._service
        quotas = service.quotas(runtime)
        by_author = service._store.usage_by_author(runtime.circle_id)
        state = runtime.state
        authors = set(by_author) | set(quotas.refused)
        members: list[dict[str, Any]] = [
            {
                "id": author.hex(),
                "name": runtime.name_of(author),
                "member": author in state.members,
                "removed": author in state.ever_admitted and author not in state.members,
                "banned": author in state.banned,
                "events": by_author.get(author, (0, 0))[0],
                "bytes": by_author.get(author, (0, 0))[1],
                "refused": quotas.refused.get(author, 0),
            }
            for author in authors
        ]
        members.sort(key=lambda m: (-m["bytes"], m["id"]))
        return {
            "circle": runtime.circle_id.hex(),
            "name": state.name or runtime.membership.name,
            "events": sum(events for events, _ in by_author.values()),
            "bytes": sum(size for _, size in by_author.values()),
            "member_budget": quotas.rules.stored_bytes,
            "members": members,
        }

    def clear_member(self, circle_hex: str, member_hex: str) -> dict[str, Any]:
        service = self._service
        runtime = service._runtime(circle_hex)
        member = id_from_hex(member_hex, "member id")
        state = runtime.state
        if member in state.members:
            raise CommandError(
                "Only what a removed or banned member stored can be cleared; "
                "remove or ban them first."
            )
        if member not in state.ever_admitted:
            raise CommandError("That is not a member or former member of this circle.")
        messages, erased = service._store.erase_author_messages(runtime.circle_id, member)
        service.quotas(runtime).forget_stored(member, erased)
        if messages:
            service._emit(HistoryChanged(runtime.circle_id.hex()))
        return {"messages": messages, "bytes": erased}


def usage_handlers(service: Callable[[], CircleService]) -> Handlers:
    async def circle_usage(command: CircleUsage) -> UsageView:
        circles = service().disk_usage.usage(command.circle)
        return UsageView(circles=circles, dropped=dict(service().dropped))

    async def clear_member(command: ClearMember) -> Cleared:
        return Cleared(**service().disk_usage.clear_member(command.circle, command.member))

    handlers = Handlers()
    handlers.add(CircleUsage, circle_usage)
    handlers.add(ClearMember, clear_member)
    return handlers
