"""The bridge: the engine's trio run in one dedicated thread, driven from any other thread.

Measured on this stack, trio in guest mode on the Qt loop stalls the network whenever the
UI blocks, so the engine gets a thread of its own (shared/docs/architecture.md).

- start(): launch the thread; `ready` resolves with EngineReady once listening, or with
  the startup error.
- request(): hand a typed command (core/api) to the engine with the trio token; returns a
  concurrent.futures.Future of its typed result (the GUI wraps it into an asyncio
  future).
- stop(): cancel the run's one CancelScope and join; the engine closes its database on
  the way out.
- Every engine event, and a final EngineError if the run crashed, goes to `on_event`, called
  in the engine thread: fronts must hand it over to their own thread.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TypeVar, cast

import trio

from peerapp.core.api.contract import Command, Result
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import EngineFailed, HearthError
from peerapp.core.events import EngineError, EngineEvent, EngineReady, EngineStopped
from peerapp.core.lifecycle import Phase, Trigger, is_final, next_phase
from peerapp.engine.clock import Stopwatch
from peerapp.engine.engine import CommandFuture, Engine, Request

log = logging.getLogger(__name__)

EngineFactory = Callable[[Callable[[EngineEvent], None]], Engine]
R = TypeVar("R", bound=Result)
STOP_TIMEOUT_SECONDS = 2.0
GRACEFUL_SHARE = 0.75  # of the stop timeout, before the run is cancelled outright


class EngineThread:
    def __init__(
        self, engine_factory: EngineFactory, on_event: Callable[[EngineEvent], None]
    ) -> None:
        self._engine_factory = engine_factory
        self._on_event = on_event
        self._lock = threading.Lock()
        self._phase = Phase.CREATED
        self._token: trio.lowlevel.TrioToken | None = None
        self._scope: trio.CancelScope | None = None
        self._engine: Engine | None = None
        self._thread = threading.Thread(target=self._thread_main, name="hearth-engine", daemon=True)
        self.ready: concurrent.futures.Future[EngineReady] = concurrent.futures.Future()
        self.failure: HearthError | None = None

    @property
    def phase(self) -> Phase:
        return self._phase

    def _advance(self, trigger: Trigger) -> Phase:
        with self._lock:
            self._phase = next_phase(self._phase, trigger)
            return self._phase

    # -- front side -------------------------------------------------------------------

    def start(self) -> concurrent.futures.Future[EngineReady]:
        self._advance(Trigger.START)
        self._thread.start()
        return self.ready

    def request(self, command: Command[R]) -> concurrent.futures.Future[R]:
        reply: CommandFuture = concurrent.futures.Future()
        with self._lock:
            token, engine, phase = self._token, self._engine, self._phase
        if phase is not Phase.RUNNING or token is None or engine is None:
            reply.set_exception(EngineFailed(Refusal.NOT_RUNNING.text()))
        else:
            try:
                token.run_sync_soon(engine.enqueue, Request(command, reply))
            except trio.RunFinishedError:
                reply.set_exception(EngineFailed(Refusal.NOT_RUNNING.text()))
        # the engine answers a command with the result type it names (engine/dispatch.py)
        return cast(concurrent.futures.Future[R], reply)

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> bool:
        """Ask the engine to stop and wait for it. True when it ended within `timeout`."""
        with self._lock:
            if is_final(self._phase):
                return True
            self._phase = next_phase(self._phase, Trigger.STOP)
            token, scope, engine = self._token, self._scope, self._engine
            started = self._thread.is_alive() or self._thread.ident is not None
        waited = Stopwatch()  # real seconds: a bound on joining a thread
        if token is not None and engine is not None:
            # graceful first: the engine closes its connections, then ends its run
            with contextlib.suppress(trio.RunFinishedError):
                token.run_sync_soon(engine.request_stop)
            self._thread.join(timeout * GRACEFUL_SHARE)
        if self._thread.is_alive() and token is not None and scope is not None:
            with contextlib.suppress(trio.RunFinishedError):
                token.run_sync_soon(scope.cancel)
        if started:
            self._thread.join(max(timeout - waited.seconds(), 0.0))
        stopped = not self._thread.is_alive()
        if not stopped:
            log.error("engine did not stop within %.1f s", timeout)
        return stopped

    # -- engine side ------------------------------------------------------------------

    def _thread_main(self) -> None:
        try:
            trio.run(self._trio_main)
        except BaseException as error:  # the thread must report, never die silently
            self._crashed(error)
        else:
            with self._lock:
                if not is_final(self._phase):
                    self._phase = next_phase(self._phase, Trigger.FINISHED)
            if not self.ready.done():
                self.ready.set_exception(
                    EngineFailed("Hearth's engine stopped before it was ready.")
                )
            self._on_event(EngineStopped())

    async def _trio_main(self) -> None:
        with trio.CancelScope() as scope:
            engine = self._engine_factory(self._on_event)
            with self._lock:
                self._token = trio.lowlevel.current_trio_token()
                self._scope = scope
                self._engine = engine
                if self._phase is Phase.STOPPING:
                    scope.cancel()
            await engine.run(self._listening)

    def _listening(self, ready: EngineReady) -> None:
        with self._lock:
            if self._phase is Phase.STARTING:
                self._phase = next_phase(self._phase, Trigger.STARTED)
        self.ready.set_result(ready)

    def _crashed(self, error: BaseException) -> None:
        failure = _user_facing(error)
        if isinstance(failure, EngineFailed):
            log.error("the engine crashed", exc_info=error)
        else:
            log.error("the engine stopped: %s", failure.message)
        self.failure = failure
        with self._lock:
            self._phase = next_phase(self._phase, Trigger.CRASHED)
        if not self.ready.done():
            self.ready.set_exception(failure)
        self._on_event(EngineError(message=failure.message, fatal=True))
        self._on_event(EngineStopped())


def _find_hearth_error(error: BaseException) -> HearthError | None:
    if isinstance(error, HearthError):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = _find_hearth_error(inner)
            if found is not None:
                return found
    return None


def _user_facing(error: BaseException) -> HearthError:
    """The HearthError inside `error` (also inside exception groups), or a generic one."""
    found = _find_hearth_error(error)
    if found is not None:
        return found
    leaf = error
    while isinstance(leaf, BaseExceptionGroup) and leaf.exceptions:
        leaf = leaf.exceptions[0]
    return EngineFailed(
        f"Hearth's engine stopped because of an unexpected error ({type(leaf).__name__})."
    )
