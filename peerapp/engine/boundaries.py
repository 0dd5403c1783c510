"""A reader's boundaries inside the engine: blocking, content-warning filters, breaks.

Everything here is local to this device: nothing is published, nobody is told, nothing
enters the circle log (with one exception the member chooses: a break's status, which
the safety service announces as a STATUS event so members see "taking a break").

Rules:
- Block {circle, member}: anyone ever admitted to the circle but ourselves. Their
  messages are left out of our history (in the SQL, boundaries_store.READER_SEES), of
  our `message` events and of our unread counts, until we unblock them. Only our own
  fronts hear of it (history and members reload).
- Filters: per FILTER_TOPICS entry show | collapse | hide (default collapse). "hide"
  leaves the topic's messages out like a block; "collapse" and "show" reach the views
  as MessageView.filter. Our own messages are never filtered: we wrote them.
- Breaks: one per circle and one global (quiet_hours.Break). A circle is silenced now by
  quiet_hours.is_silenced at the local time: its `message` events say silent (no
  notification), its view says quiet. Unread counts still count; fronts leave the badge
  out while the circle is quiet.
- Status: whenever whether a circle shows us "taking a break" changes (its own break or
  the global one, on and with status), the safety service announces it there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace

from peerapp.core.api.boundaries import AllBreaks, BreakView, QuietHoursView
from peerapp.core.api.contract import UNSET, Unset
from peerapp.core.api.refusals import Refusal
from peerapp.core.content_warnings import DEFAULT_MODE, FILTER_TOPICS, FilterMode, mode_for
from peerapp.core.errors import CommandError
from peerapp.core.events import CirclesChanged, HistoryChanged, MembersChanged
from peerapp.core.quiet_hours import (
    NO_BREAK,
    Break,
    Schedule,
    ScheduleError,
    format_time,
    is_silenced,
    parse_schedule,
    shows_break_status,
)
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.ids import id_from_hex
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.storage.boundaries_store import BoundariesStore, Scope
from peerapp.storage.circle_store import StoredEvent

log = logging.getLogger(__name__)


def break_view(setting: Break) -> BreakView:
    schedule = setting.quiet_hours
    return BreakView(
        on=setting.on,
        quiet_hours=None
        if schedule is None
        else QuietHoursView(format_time(schedule.start), format_time(schedule.end)),
        status=setting.status,
    )


def _schedule(value: QuietHoursView | None) -> Schedule | None:
    """set_break's quiet hours (or None: none) -> a schedule."""
    if value is None:
        return None
    try:
        return parse_schedule(value.start, value.end)
    except ScheduleError as error:
        raise CommandError(Refusal.BAD_QUIET_HOURS, reason=str(error)) from None


class Boundaries:
    def __init__(
        self,
        store: BoundariesStore,
        *,
        runtimes: CircleRuntimes,
        context: EngineContext,
        announce_break: Callable[[str, bool], Awaitable[None]],
        row_changed: Callable[[CircleRuntime], None] = lambda _runtime: None,
    ) -> None:
        """`announce_break(circle_hex, on)`: show (or stop showing) "taking a break" to a
        circle's members (Safety.announce_break: a STATUS event in its log).
        `row_changed(runtime)`: the circle's row changed for this reader (a block changes
        the last message it previews): announce it."""
        self._runtimes = runtimes
        self._emit = context.emit
        self._announce_break = announce_break
        self._row_changed = row_changed
        self._store = store
        self._clock = context.clock  # quiet hours are judged by its local time of day
        self._blocked = store.blocked()
        self._filters = store.filters()
        self._breaks = store.breaks()

    # -- blocking ---------------------------------------------------------------------

    def _member_to_block(self, circle_hex: str, member_hex: str) -> tuple[CircleRuntime, bytes]:
        runtime = self._runtimes.require(circle_hex)
        member = id_from_hex(member_hex, "member id")
        if member == runtime.me:
            raise CommandError(Refusal.CANNOT_BLOCK_SELF)
        if member not in runtime.state.ever_admitted:
            raise CommandError(Refusal.NOT_A_MEMBER)
        return runtime, member

    def block(self, circle_hex: str, member_hex: str) -> None:
        runtime, member = self._member_to_block(circle_hex, member_hex)
        self._store.block(runtime.circle_id, [member], self._clock.now_ms())
        self._blocked.setdefault(runtime.circle_id, set()).add(member)
        self._changed_for_me(runtime)

    def unblock(self, circle_hex: str, member_hex: str) -> None:
        runtime, member = self._member_to_block(circle_hex, member_hex)
        self._store.unblock(runtime.circle_id, [member])
        self._blocked.get(runtime.circle_id, set()).discard(member)
        self._changed_for_me(runtime)

    def _changed_for_me(self, runtime: CircleRuntime) -> None:
        """Only our own fronts hear of a block: they reload history and members."""
        circle_hex = runtime.circle_id.hex()
        self._row_changed(runtime)  # its preview may have been the blocked member's
        self._emit(HistoryChanged(circle_hex))
        self._emit(MembersChanged(circle_hex))

    def is_blocked(self, circle_id: bytes, member: bytes) -> bool:
        return member in self._blocked.get(circle_id, ())

    # -- content-warning filters ------------------------------------------------------

    def filters(self) -> dict[str, str]:
        return {topic: self._filters.get(topic, DEFAULT_MODE).value for topic in FILTER_TOPICS}

    def set_filters(self, changes: Mapping[str, str]) -> dict[str, str]:
        modes: dict[str, FilterMode] = {}
        for topic, mode in changes.items():
            if topic not in FILTER_TOPICS:
                raise CommandError(Refusal.NOT_A_CW_TOPIC, topic=topic)
            try:
                modes[topic] = FilterMode(mode)
            except ValueError:
                raise CommandError(Refusal.BAD_FILTER_MODE, topic=topic) from None
        if modes:
            self._store.set_filters(modes)
            self._filters.update(modes)
            for runtime in self._runtimes.active():
                self._emit(HistoryChanged(runtime.circle_id.hex()))
        return self.filters()

    def reader_sees(self, runtime: CircleRuntime, stored: StoredEvent) -> bool:
        """Whether a message reaches this reader at all (history keeps the same rule in
        SQL: boundaries_store.READER_SEES)."""
        if stored.author != runtime.me and self.is_blocked(runtime.circle_id, stored.author):
            return False
        return self._mode(runtime, stored) is not FilterMode.HIDE

    def filter_of(self, runtime: CircleRuntime, stored: StoredEvent) -> str:
        """MessageView.filter: "show" or "collapse"."""
        # a hidden topic never reaches a view; if one did, it stays folded
        shown = self._mode(runtime, stored) is FilterMode.SHOW
        return FilterMode.SHOW.value if shown else FilterMode.COLLAPSE.value

    def _mode(self, runtime: CircleRuntime, stored: StoredEvent) -> FilterMode:
        """Our filter for the message's topic; our own messages are never filtered (also
        those we wrote under an earlier member key, before a removal)."""
        if runtime.written_by_me(stored.author):
            return FilterMode.SHOW
        return mode_for(stored.cw, self._filters)

    # -- breaks -----------------------------------------------------------------------

    def _break(self, scope: Scope) -> Break:
        return self._breaks.get(scope, NO_BREAK)

    def is_silenced(self, circle_id: bytes) -> bool:
        return is_silenced(self._break(circle_id), self._break(None), self._clock.local_minutes())

    def on_break(self, circle_id: bytes) -> bool:
        return self._break(circle_id).on or self._break(None).on

    def _shows_status(self, circle_id: bytes) -> bool:
        return shows_break_status(self._break(circle_id), self._break(None))

    def breaks(self) -> AllBreaks:
        return AllBreaks(
            global_break=break_view(self._break(None)),
            circles={
                runtime.circle_id.hex(): break_view(self._break(runtime.circle_id))
                for runtime in self._runtimes.active()
            },
        )

    async def set_break(
        self,
        circle_hex: str | None,
        on: bool,
        quiet_hours: QuietHoursView | Unset | None = UNSET,
        status: bool | None = None,
    ) -> BreakView:
        """`quiet_hours`: UNSET keeps them, None clears them."""
        if circle_hex is None:
            scope: Scope = None
            concerned = [r.circle_id for r in self._runtimes.active()]
        else:
            scope = self._runtimes.require(circle_hex).circle_id
            concerned = [scope]
        before = self._break(scope)
        after = replace(
            before,
            on=on,
            quiet_hours=before.quiet_hours
            if isinstance(quiet_hours, Unset)
            else _schedule(quiet_hours),
            status=before.status if status is None else status,
        )
        shown_before = {circle_id: self._shows_status(circle_id) for circle_id in concerned}
        self._store.set_breaks({scope: after})
        self._breaks[scope] = after
        self._emit(CirclesChanged())
        for circle_id, shown in shown_before.items():
            if self._shows_status(circle_id) != shown:
                await self._announce(circle_id, not shown)
        return break_view(after)

    async def settle_status(self, runtime: CircleRuntime) -> None:
        """A circle we just joined or created (or found at start-up) shows "taking a break"
        exactly when our breaks say so: the global break with its status covers it too.
        Safety.announce_break does nothing when we are no longer a member or the status is
        already right; a circle we left is not asked at all (it would refuse, and log)."""
        if runtime.left:
            return
        await self._announce(runtime.circle_id, self._shows_status(runtime.circle_id))

    async def _announce(self, circle_id: bytes, on_break: bool) -> None:
        """Members of the circle see (or stop seeing) "taking a break": a STATUS event the
        safety service authors. The break itself holds whatever becomes of it."""
        try:
            await self._announce_break(circle_id.hex(), on_break)
        except CommandError as error:
            # e.g. a circle we were removed from, or one without keys yet
            log.info("break status not announced in a circle: %s", error)
