"""Late events: those only a whole-log resolution can judge (engine/circle_log.py defers
them: refused until judged, and the circle marked unresolved in the store too, so a
restart resolves it).

The resolver resolves each unresolved circle in a worker thread (core resolution is
pure), from the last resolution's checkpoint before the earliest late event when it can,
the whole log otherwise, then installs the outcome in the engine's thread, applying on
top whatever was stored meanwhile. Late events arriving while one runs wait for the next
round: a flood of them costs one resolution per round, and the engine answers meanwhile.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import trio

from peerapp.core.errors import StorageFull
from peerapp.core.events import HistoryChanged
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import (
    CircleRuntime,
    OrderKey,
    Resolved,
    resolve_stored,
    resume_stored,
)
from peerapp.engine.clock import Stopwatch
from peerapp.engine.context import EngineContext
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.storage.circle_store import CircleStore, StoredEvent

log = logging.getLogger(__name__)

T = TypeVar("T")

# between whole-log resolutions of late events: what arrives meanwhile shares the next one
RESOLVE_PAUSE_SECONDS = 2.0
WORKER_SWITCH_SECONDS = 0.0002
RESOLVE_PAGE = 250  # rows read between yields while loading a log to resolve
MAX_RESOLVE_PAGES = 10**6  # a bound far above any log (10^9 rows)


@dataclass(frozen=True)
class _LateResolution:
    """A background resolution's outcome, with what it cost."""

    how: str  # "resumed" (from a checkpoint) or "whole log"
    events: list[StoredEvent]  # the events it loaded
    resolved: Resolved
    load_seconds: float
    compute_seconds: float


class LateEvents:
    def __init__(
        self,
        store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        log: CircleLog,
        context: EngineContext,
        count: Callable[[str], None],
        give_way: Callable[[], Awaitable[None]],
        decided: Callable[[CircleRuntime, list[StoredEvent]], Awaitable[None]],
    ) -> None:
        """`give_way()`: yield to waiting commands between pages. `decided(runtime,
        accepted)`: what deferred events turn out accepted means beyond the log."""
        self._store = store
        self._runtimes = runtimes
        self._log = log
        self._emit = context.emit
        self._count = count
        self._give_way = give_way
        self._decided = decided
        self._running = False
        self._unresolved: set[bytes] = set()  # circles with deferred late events
        self._wakeup = trio.Event()
        # resolutions by kind: "resumed" (from a checkpoint), "declined" (a resume that
        # found the removals changed), "whole" (the whole log)
        self.resolutions: dict[str, int] = {}

    def attach(self) -> None:
        """The engine runs: late events wait for the resolver from now on."""
        self._running = True

    def hand(self, runtime: CircleRuntime) -> bool:
        """CircleLog's `defer`: the resolver judges this circle's late events in its next
        round; False when the engine is not running (tests of the service alone), so the
        log judges them at once."""
        if not self._running:
            return False
        self._unresolved.add(runtime.circle_id)
        self._wakeup.set()
        return True

    def _count_resolution(self, how: str) -> None:
        self.resolutions[how] = self.resolutions.get(how, 0) + 1

    async def run(self) -> None:
        """The resolver: one of the engine's standing loops."""
        while True:
            await self._wakeup.wait()
            self._wakeup = trio.Event()
            circles, self._unresolved = self._unresolved, set()
            for circle_id in circles:
                runtime = self._runtimes.get(circle_id)
                if runtime is not None and runtime.pending:
                    await self._resolve_in_background(runtime)
            await trio.sleep(RESOLVE_PAUSE_SECONDS)  # late events meanwhile share a round

    async def _resolve_in_background(self, runtime: CircleRuntime) -> None:
        circle_id = runtime.circle_id
        generation = runtime.generation
        took = Stopwatch()  # for the log: real seconds, whatever the clock
        waiting = len(runtime.pending)
        runtime.journal = []  # from here on, what is stored goes to the journal too
        try:
            found = await self._resolve_late(runtime)
            journal = runtime.journal
        finally:
            runtime.journal = None
        if found is None:
            return  # forgotten meanwhile
        events, resolved = found.events, found.resolved
        if not self._runtimes.holds(runtime) or runtime.generation != generation:
            return  # forgotten, or a newer whole-log resolution already judged everything
        loaded_ids = {s.id for s in events}
        journal = [s for s in journal if s.id not in loaded_ids]  # stored while paging
        before = set(runtime.refused)
        deferred, runtime.pending = runtime.pending, {}
        runtime.install(resolved)
        try:
            # what was stored while it ran, judged against the new state (late ones wait
            # for the next round)
            resolve_again = self._log.judge(
                runtime, sorted(journal, key=lambda s: (s.lamport, s.id))
            )
            decided = [
                s
                for s in deferred.values()
                if s.id not in runtime.pending and s.id not in runtime.refused
            ]
            if resolve_again:
                self._log.resolve_from_store(runtime)  # also judges what is pending again
            else:
                self._store.update_verdicts(
                    runtime.refused - before, (before - runtime.refused) & loaded_ids
                )
                self._log.verdicts_changed(runtime, before ^ runtime.refused)
                if not runtime.pending:
                    self._store.mark_unresolved(circle_id, False)
                if before != runtime.refused:
                    self._emit(HistoryChanged(circle_id.hex()))
            await self._decided(runtime, decided)
        except StorageFull:
            self._count("disk_full")
        log.info(
            "late events judged: %d by resolving %d events (%s) in %.2f s (load %.3f, thread %.3f)",
            waiting,
            len(events),
            found.how,
            took.seconds(),
            found.load_seconds,
            found.compute_seconds,
        )

    async def _resolve_late(self, runtime: CircleRuntime) -> _LateResolution | None:
        """Resolve the log with the pending late events, off the engine's thread: from the
        last resolution's checkpoint before the earliest of them when it can, the whole
        log otherwise. None when the circle was forgotten meanwhile."""
        circle_id = runtime.circle_id
        loading = Stopwatch()  # stopwatches for the log (see clock.py), not the clock
        after, before = runtime.resume_point(), runtime.resolved
        if after is not None and before is not None:
            events = await self._load_log(circle_id, after)
            if not self._runtimes.holds(runtime):
                return None
            load_seconds, computing = loading.seconds(), Stopwatch()
            resumed = await _in_worker_thread(resume_stored, circle_id, before, after, events)
            self._count_resolution("resumed" if resumed is not None else "declined")
            if resumed is not None:
                return _LateResolution(
                    "resumed", events, resumed, load_seconds, computing.seconds()
                )
        events, parents = await self._load_for_resolution(circle_id)
        if not self._runtimes.holds(runtime):
            return None
        load_seconds, computing = loading.seconds(), Stopwatch()
        resolved = await _in_worker_thread(resolve_stored, circle_id, events, parents)
        self._count_resolution("whole")
        return _LateResolution("whole log", events, resolved, load_seconds, computing.seconds())

    async def _load_log(self, circle_id: bytes, after: OrderKey) -> list[StoredEvent]:
        """The stored events after `after` in log order, in pages with a yield between."""
        events: list[StoredEvent] = []
        for _ in range(MAX_RESOLVE_PAGES):
            page = self._store.events_to_resolve(circle_id, after, RESOLVE_PAGE)
            events += page
            if len(page) < RESOLVE_PAGE:
                break
            after = (page[-1].lamport, page[-1].id)
            await self._give_way()
        return events

    async def _load_for_resolution(
        self, circle_id: bytes
    ) -> tuple[list[StoredEvent], dict[bytes, tuple[bytes, ...]]]:
        """The stored log as resolution needs it, read in pages with a yield between them
        (a log of 10,000 events is 0.1-0.3 s of reading here)."""
        events = await self._load_log(circle_id, (-1, b""))
        links: dict[bytes, list[bytes]] = {}
        row: tuple[bytes, bytes] | None = (b"", b"")
        for _ in range(MAX_RESOLVE_PAGES):
            if row is None:
                break
            page_links, row = self._store.parents_page(circle_id, row, RESOLVE_PAGE)
            for child, prev in page_links.items():
                links.setdefault(child, []).extend(prev)
            await self._give_way()
        return events, {child: tuple(prev) for child, prev in links.items()}


async def _in_worker_thread(function: Callable[..., T], *args: Any) -> T:
    """Run pure CPU work in a worker thread. While it runs, the interpreter switches
    threads every WORKER_SWITCH_SECONDS instead of every 5 ms: the engine's thread waits
    for the GIL after each network or database call, and at 5 ms a turn a command would
    wait tens of ms behind the worker (docs/performance.md, issue 11)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, WORKER_SWITCH_SECONDS))
    try:
        return await trio.to_thread.run_sync(function, *args)
    finally:
        sys.setswitchinterval(previous)
