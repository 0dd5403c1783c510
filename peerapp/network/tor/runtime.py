"""Tor for one run of a profile, on trio: the one object the engine holds while Tor mode
runs. Built on the blocking pieces (session.py, onion.py, status.py), each stem call in a
worker thread so trio never blocks on the control port.

Rules:
- Entering opens tor (ours or an existing one) in a worker thread; its errors
  (TorConfigError, TorStartError, TorControlError) leave `running_tor` unchanged.
  `on_status` gets the initial view at once, then every change, always in the trio thread.
- stem reports in its own threads; each input is handed to the trio thread with the run's
  token, stamped with the generation of the control connection it came from: whatever a
  replaced (dead) connection still says is dropped.
- Published services are remembered with their keys, so every one is added again after
  tor restarts or reconnects (same keys, same ports, hence the same addresses). The
  descriptor upload is never awaited (onion.py). A service published while tor is down is
  remembered and added when tor is back.
- Our own tor stopped (killed, crashed): RESTARTING at once, started again after a backoff
  in the same DataDirectory (cached consensus: fast), asking for the previous SOCKS port
  so dialers holding `socks()` keep working (another port only if that one is taken).
  The restart budget is restart.py's; once spent: FAILED with tor's last words.
- An existing tor (not ours) lost: FAILED naming its control port; connected again every
  `reconnect_seconds` for as long as the run lasts.
- STALE for `stale_seconds`: SIGNAL ACTIVE and NEWNYM, once per stale episode (fresh
  circuits after a sleep or a network change, as Quiet does on resume). Back to READY
  after STALE, a restart or a reconnection: `on_recovered()`, so the engine redials.
- Exit (also when the body raises or is cancelled): services we published on an existing
  tor are removed; our own tor is stopped by its pid (process.py). Never a tor left behind.
- No key, password or cookie is logged; onion addresses are not logged either.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import stem
import trio

from peerapp.core.errors import HearthError
from peerapp.network.tor.config import ExistingTor, HostPort, OwnTor, TorConfig
from peerapp.network.tor.errors import OnionServiceError, TorControlError, TorStartError
from peerapp.network.tor.onion import OnionKey, OnionService, add_onion, remove_onion
from peerapp.network.tor.process import last_log_line, read_log_tail
from peerapp.network.tor.restart import DEFAULT_POLICY, RestartBudget, RestartPolicy
from peerapp.network.tor.session import TorSession, open_tor, watch_status
from peerapp.network.tor.status import (
    TorInput,
    TorReconnected,
    TorRestarted,
    TorState,
    TorStatusMachine,
    TorStopped,
    TorView,
)

log = logging.getLogger(__name__)

# how long removing our services from an existing tor may take at exit
EXIT_SECONDS = 5.0
MAX_ONIONS_ANSWER = 64 * 1024

StatusCallback = Callable[[TorView], None]
RecoveredCallback = Callable[[], None]


@asynccontextmanager
async def running_tor(
    config: TorConfig,
    on_status: StatusCallback,
    *,
    on_recovered: RecoveredCallback | None = None,
    policy: RestartPolicy = DEFAULT_POLICY,
) -> AsyncIterator[TorRuntime]:
    """Tor for the duration of the block. Callbacks run in the trio thread, often as a
    `run_sync_soon` callback outside any task: they must not block or await (setting an
    Event, `send_nowait` on a channel or `start_soon` on a nursery are fine). An exception
    from one is logged, not raised: there it could only crash the whole run."""
    machine = TorStatusMachine()
    _call(on_status, machine.view)
    session = await trio.to_thread.run_sync(open_tor, config)
    # no checkpoint between the open and the try: a cancellation lands inside it
    runtime = TorRuntime(
        config, session, machine, on_status=on_status, on_recovered=on_recovered, policy=policy
    )
    try:
        async with trio.open_nursery() as nursery:
            await runtime._begin(nursery)
            try:
                yield runtime
            finally:
                nursery.cancel_scope.cancel()
    except BaseExceptionGroup as group:
        # the nursery wraps the body's own exception; the caller gets it as raised
        sole = _sole(group)
        if sole is None:
            raise
        raise sole from sole.__cause__
    finally:
        with trio.CancelScope(shield=True):
            await runtime._end()


class TorRuntime:
    """One tor for one run: where to dial, its state, and our onion services on it."""

    def __init__(
        self,
        config: TorConfig,
        session: TorSession,
        machine: TorStatusMachine,
        *,
        on_status: StatusCallback,
        on_recovered: RecoveredCallback | None,
        policy: RestartPolicy,
    ) -> None:
        self._config = config
        self._session = session
        self._socks = session.socks
        self._machine = machine
        self._on_status = on_status
        self._on_recovered = on_recovered
        self._policy = policy
        self._budget = RestartBudget(policy)
        self._token = trio.lowlevel.current_trio_token()
        self._nursery: trio.Nursery | None = None
        self._generation = 0  # of the control connection; inputs from older ones drop
        self._connected = True
        self._closing = False
        self._unwatch: Callable[[], None] | None = None
        self._wanted: dict[str, OnionService] = {}
        self._lock = trio.Lock()  # one of publish, unpublish, re-adding at a time
        self._changed = trio.Event()
        self._stale_episode = 0
        self._was_ready = False
        self._gave_up = ""
        # figures for tests and benchmarks
        self.restarts = 0
        self.nudges = 0
        self.recoveries = 0

    # -- what the engine uses -----------------------------------------------------------

    def socks(self) -> HostPort:
        """Where to dial through (own tor: 127.0.0.1 and the port it took)."""
        if self._socks is None:
            raise TorControlError(
                "Hearth's tor has no SOCKS port open (is `DisableNetwork 1` in --tor-config?): "
                "remove that line to reach circles."
            )
        return self._socks

    def view(self) -> TorView:
        return self._machine.view

    @property
    def pid(self) -> int | None:
        """Our own tor's process id; None for an existing tor."""
        process = self._session.process
        return process.pid if process is not None else None

    async def wait_ready(self) -> None:
        """Until tor is READY (no timeout here: the caller bounds it). TorStartError when
        Hearth gave up restarting its own tor."""
        while self._machine.view.state is not TorState.READY:
            if self._gave_up:
                raise TorStartError(self._gave_up)
            await self._changed.wait()

    async def publish(self, key: OnionKey, virtual_port: int, target_port: int) -> OnionService:
        """The onion service for `key` at `virtual_port`, forwarded to 127.0.0.1:
        `target_port`; the same service again if it is published already. Kept across tor
        restarts. OnionServiceError when tor refuses it."""
        for port, which in ((virtual_port, "virtual"), (target_port, "target")):
            if not 1 <= port <= 65535:
                raise OnionServiceError(f"The onion service's {which} port must be 1 to 65535.")
        async with self._lock:
            known = self._wanted.get(key.address)
            if known is not None:
                if (known.virtual_port, known.target_port) != (virtual_port, target_port):
                    raise OnionServiceError(
                        "This onion service is published already with other ports: "
                        "unpublish it first."
                    )
                return known
            service = OnionService(key, virtual_port, target_port, seconds=0.0)
            if self._connected:
                controller = self._session.controller
                try:
                    service = await trio.to_thread.run_sync(
                        lambda: add_onion(
                            controller, virtual_port=virtual_port, target_port=target_port, key=key
                        )
                    )
                except OnionServiceError:
                    if controller.is_alive():
                        raise
                    # tor stopped under us: the restart adds it with the others
            self._wanted[key.address] = service
            return service

    async def unpublish(self, address: str) -> None:
        """Removes one of our services (nothing if it is not ours)."""
        async with self._lock:
            if self._wanted.pop(address, None) is None or not self._connected:
                return
            controller = self._session.controller
            try:
                await trio.to_thread.run_sync(remove_onion, controller, address)
            except OnionServiceError:
                if controller.is_alive():
                    raise

    def published(self) -> tuple[OnionService, ...]:
        return tuple(self._wanted.values())

    async def onions_current(self) -> frozenset[str]:
        """The services tor holds for our control connection now (GETINFO onions/current),
        to compare with what was published; empty while tor is down."""
        async with self._lock:  # not halfway through putting them back
            if not self._connected:
                return frozenset()
            controller = self._session.controller
            try:
                answer = await trio.to_thread.run_sync(controller.get_info, "onions/current")
            except (stem.ControllerError, ValueError):
                return frozenset()
        return frozenset(str(answer)[:MAX_ONIONS_ANSWER].split())

    # -- inputs, in the trio thread -----------------------------------------------------

    def _take(self, generation: int, event: TorInput) -> None:
        """One input from stem's threads (run_sync_soon: must never raise)."""
        try:
            if self._closing or generation != self._generation:
                return
            if isinstance(event, TorStopped):
                self._lost()
            else:
                self._feed(event)
        except Exception:
            log.exception("handling Tor's status failed")

    def _lost(self) -> None:
        """The control connection closed: tor stopped, or we lost it."""
        self._connected = False
        self._generation += 1  # whatever the dead connection still says is dropped
        assert self._nursery is not None
        if isinstance(self._config, ExistingTor):
            self._nursery.start_soon(self._reconnect, self._config)
        else:
            self._nursery.start_soon(self._restart, self._config)

    def _feed(self, event: TorInput) -> None:
        before = self._machine.view.state
        view, changed = self._machine.feed(event)
        if not changed:
            return
        self._changed.set()
        self._changed = trio.Event()
        _call(self._on_status, view)
        if view.state is TorState.STALE and before is not TorState.STALE:
            self._stale_episode += 1
            assert self._nursery is not None
            self._nursery.start_soon(self._nudge_when_stale, self._stale_episode)
        if view.state is TorState.READY and before is not TorState.READY:
            if self._was_ready:
                self.recoveries += 1
                if self._on_recovered is not None:
                    _call(self._on_recovered)
            self._was_ready = True

    # -- tasks ----------------------------------------------------------------------------

    async def _begin(self, nursery: trio.Nursery) -> None:
        self._nursery = nursery
        await self._watch(self._session, initial=True)

    async def _watch(self, session: TorSession, *, initial: bool = False) -> None:
        """Status inputs from this session's controller, stamped with its generation. A
        failure at the start is the caller's; later, it counts as the connection lost."""
        generation = self._generation
        token = self._token

        def on_input(event: TorInput) -> None:  # stem's threads
            with contextlib.suppress(trio.RunFinishedError):
                token.run_sync_soon(self._take, generation, event)

        try:
            self._unwatch = await trio.to_thread.run_sync(
                watch_status, session.controller, on_input
            )
        except TorControlError as error:
            if initial:
                raise
            log.warning("tor's status could not be watched: %s", error.message)
            on_input(TorStopped(reason="Tor's control connection closed"))
            return
        if not session.controller.is_alive():
            # closed before the listener was in place: stem will not say it again
            on_input(TorStopped(reason="Tor's control connection closed"))

    async def _restart(self, config: OwnTor) -> None:
        """Our tor stopped: start it again within the budget, or give up saying why."""
        data_dir = config.data_dir
        await trio.to_thread.run_sync(self._drop)
        # read before the next start empties tor.log
        last_words = await trio.to_thread.run_sync(lambda: last_log_line(read_log_tail(data_dir)))
        while True:
            delay = self._budget.next_delay(trio.current_time())
            if delay is None:
                count = self._policy.max_restarts
                self._gave_up = (
                    "Tor keeps stopping: Hearth restarted it "
                    f"{'once' if count == 1 else f'{count} times'} within "
                    f"{self._policy.window_seconds / 60:g} minutes and stopped trying. "
                    f"Its last message: {last_words}"
                )
                self._feed(TorStopped(reason=self._gave_up))  # wait_ready raises now
                return
            self._feed(TorRestarted())
            await trio.sleep(delay)
            try:
                session = await trio.to_thread.run_sync(self._reopen)
            except HearthError as error:
                last_words = error.message
                log.warning("tor did not start again: %s", last_words)
                continue
            self._session = session  # at once: a cancellation from here still stops it
            self._socks = session.socks
            self.restarts += 1
            await self._resume(session)
            return

    def _reopen(self) -> TorSession:
        """Our tor again, on the previous SOCKS port if it is free (worker thread)."""
        previous = self._socks.port if self._socks is not None else None
        if previous is not None:
            try:
                return open_tor(self._config, socks_port=previous)
            except TorStartError:
                log.info("tor's previous SOCKS port is taken; it takes another one")
        return open_tor(self._config)

    async def _reconnect(self, config: ExistingTor) -> None:
        """An existing tor's control connection closed: say so, try again periodically."""
        self._feed(
            TorStopped(
                reason=f"Lost the connection to Tor's control port at {config.control}; "
                f"Hearth tries again every {self._policy.reconnect_seconds:g} s."
            )
        )
        await trio.to_thread.run_sync(self._drop)
        while True:  # bounded by the run: cancelled at its end
            await trio.sleep(self._policy.reconnect_seconds)
            try:
                session = await trio.to_thread.run_sync(open_tor, config)
            except HearthError:
                continue
            self._session = session
            self._feed(TorReconnected())
            await self._resume(session)
            return

    async def _resume(self, session: TorSession) -> None:
        """A new control connection: watch it, then put back every service we hold."""
        async with self._lock:
            self._generation += 1
            self._connected = True
            await self._watch(session)
            services = list(self._wanted.values())
            for service in services:
                try:
                    self._wanted[service.address] = await trio.to_thread.run_sync(
                        _readd, session.controller, service
                    )
                except OnionServiceError as error:
                    if not session.controller.is_alive():
                        return  # stopped again: the next restart re-adds them
                    log.warning("an onion service could not be added again: %s", error.message)

    async def _nudge_when_stale(self, episode: int) -> None:
        """Still stale after `stale_seconds`: ask tor for fresh circuits, once."""
        await trio.sleep(self._policy.stale_seconds)
        if (
            episode != self._stale_episode
            or self._machine.view.state is not TorState.STALE
            or not self._connected
        ):
            return
        try:
            await trio.to_thread.run_sync(_wake, self._session.controller)
        except TorControlError as error:
            log.warning("could not nudge a stale tor: %s", error.message)
            return
        self.nudges += 1

    def _drop(self) -> None:
        """Forget the current control connection (worker thread). Our tor's process is
        reaped (it may be gone already); an existing tor is only disconnected from."""
        unwatch, self._unwatch = self._unwatch, None
        if unwatch is not None:
            with contextlib.suppress(Exception):
                unwatch()
        self._session.close()

    async def _end(self) -> None:
        """Shielded by the caller: remove our services from an existing tor, stop ours."""
        self._closing = True
        self._connected = False
        if self._session.process is None:
            controller = self._session.controller
            addresses = list(self._wanted)

            def remove_ours() -> None:
                _remove_all(controller, addresses)

            with trio.move_on_after(EXIT_SECONDS):
                # abandoned if tor does not answer; closing the controller below ends it
                await trio.to_thread.run_sync(  # type: ignore[call-arg]  # mypy misreads the TypeVarTuple
                    remove_ours, abandon_on_cancel=True
                )
        # closes the controller (an existing tor) or stops our tor by its pid, bounded
        await trio.to_thread.run_sync(self._drop)


def _call(callback: Callable[..., None], *args: Any) -> None:
    """The engine's callback; a bug in it is logged, not raised into stem's hand-over or
    the restart task (which would end Tor for the whole run)."""
    try:
        callback(*args)
    except Exception:
        log.exception("a Tor status callback failed")


def _readd(controller: Any, service: OnionService) -> OnionService:
    return add_onion(
        controller,
        virtual_port=service.virtual_port,
        target_port=service.target_port,
        key=service.key,
    )


def _wake(controller: Any) -> None:
    """SIGNAL ACTIVE (a dormant tor wakes) and NEWNYM (new circuits for new streams)."""
    try:
        controller.signal(stem.Signal.ACTIVE)
        controller.signal(stem.Signal.NEWNYM)
    except stem.ControllerError as error:
        raise TorControlError(f"Tor refused a signal ({type(error).__name__}).") from None


def _remove_all(controller: Any, addresses: list[str]) -> None:
    for address in addresses:
        if not controller.is_alive():
            return
        with contextlib.suppress(OnionServiceError):
            remove_onion(controller, address)


def _sole(group: BaseExceptionGroup[BaseException]) -> BaseException | None:
    """The one exception of a group that holds exactly one (nested groups unwrapped)."""
    found: BaseException = group
    for _ in range(8):
        if not isinstance(found, BaseExceptionGroup):
            return found
        if len(found.exceptions) != 1:
            return None
        found = found.exceptions[0]
    return None
