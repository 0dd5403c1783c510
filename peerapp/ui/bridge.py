"""The one facade the GUI uses to talk to the engine.

Commands go to the engine thread and come back as asyncio futures that `async_slot`
handlers await. Engine events arrive in the ENGINE thread (EngineThread's on_event) and
are re-emitted here as Qt signals: this object lives in the GUI thread, so Qt queues each
emission to it and slots run in the GUI thread, never in the engine's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from peerapp.core.errors import HearthError
from peerapp.core.events import (
    EngineError,
    EngineEvent,
    EngineReady,
    EngineStopped,
    PeerConnected,
    PeerDisconnected,
)
from peerapp.core.lifecycle import Phase
from peerapp.engine.engine import Engine, Result
from peerapp.engine.profiles import UnlockedProfile
from peerapp.engine.thread import EngineFactory, EngineThread

log = logging.getLogger(__name__)


class EngineBridge(QObject):
    ready = Signal(object)  # EngineReady
    peerConnected = Signal(str)
    peerDisconnected = Signal(str)
    engineError = Signal(str, bool)  # message, fatal
    stopped = Signal()

    def __init__(self, engine_factory: EngineFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = EngineThread(engine_factory, self._on_engine_event)

    @classmethod
    def for_profile(
        cls, profile: UnlockedProfile, listen: list[str], parent: QObject | None = None
    ) -> EngineBridge:
        return cls(lambda emit: Engine(profile, listen, emit), parent)

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> asyncio.Future[EngineReady]:
        """Start the engine; resolves once it listens, or fails with the startup error."""
        return asyncio.wrap_future(self._thread.start())

    def stop(self) -> bool:
        """Stop the engine (it closes the database); True when it ended within 2 s."""
        return self._thread.stop()

    @property
    def phase(self) -> Phase:
        return self._thread.phase

    @property
    def failure(self) -> HearthError | None:
        """Why the engine stopped on its own, once it has; None while it runs or after stop()."""
        return self._thread.failure

    # -- commands -----------------------------------------------------------------------

    def status(self) -> asyncio.Future[Result]:
        return self._request("status")

    def create_circle(self, name: str, guidelines: str = "") -> asyncio.Future[Result]:
        if guidelines:
            return self._request("create_circle", name=name, guidelines=guidelines)
        return self._request("create_circle", name=name)

    def join(self, code: str, name: str) -> asyncio.Future[Result]:
        return self._request("join", code=code, name=name)

    def circles(self) -> asyncio.Future[Result]:
        return self._request("circles")

    def _request(self, command: str, **arguments: Any) -> asyncio.Future[Result]:
        return asyncio.wrap_future(self._thread.request(command, **arguments))

    # -- engine thread side -------------------------------------------------------------

    def _on_engine_event(self, event: EngineEvent) -> None:
        """Called in the engine thread: only emit signals here, Qt carries them over."""
        try:
            self._emit_for(event)
        except RuntimeError:
            # the Qt half of this object was already deleted (the window went away while
            # the engine was still winding down): nobody is left to tell
            log.debug("dropped engine event %s: bridge already deleted", event.name)

    def _emit_for(self, event: EngineEvent) -> None:
        match event:
            case EngineReady():
                self.ready.emit(event)
            case PeerConnected(peer_id=peer_id):
                self.peerConnected.emit(peer_id)
            case PeerDisconnected(peer_id=peer_id):
                self.peerDisconnected.emit(peer_id)
            case EngineError(message=message, fatal=fatal):
                self.engineError.emit(message, fatal)
            case EngineStopped():
                self.stopped.emit()
            case _:
                log.debug("engine event %s has no signal yet", event.name)
