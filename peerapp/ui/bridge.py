"""The one facade the GUI uses to talk to the engine.

Commands go to the engine thread and come back as asyncio futures that `async_slot`
handlers await. Engine events arrive in the ENGINE thread (EngineThread's on_event) and
are re-emitted here as one Qt signal, `engineEvent`, carrying the event object: this object
lives in the GUI thread, so Qt queues each emission to it and slots run in the GUI
thread, never in the engine's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from peerapp.core.api.contract import Command, Result
from peerapp.core.errors import HearthError
from peerapp.core.events import EngineEvent, EngineReady
from peerapp.core.lifecycle import Phase
from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkOptions
from peerapp.engine.engine import Engine
from peerapp.engine.offline_network import (
    OFFLINE_COMMANDS,
    OfflineNetworkSettings,
    is_network_failure,
)
from peerapp.engine.profiles import UnlockedProfile
from peerapp.engine.thread import EngineFactory, EngineThread

log = logging.getLogger(__name__)

R = TypeVar("R", bound=Result)


class EngineBridge(QObject):
    # every engine event, as the frozen dataclass the engine emitted (core/events.py): one
    # path, typed; the window dispatches on its type (only node/ turns events into JSON)
    engineEvent = Signal(object)

    def __init__(
        self,
        engine_factory: EngineFactory,
        parent: QObject | None = None,
        offline: OfflineNetworkSettings | None = None,
    ) -> None:
        """`offline`: serves the network settings once the engine has failed (for_profile
        gives it), so the settings that made it fail can be fixed."""
        super().__init__(parent)
        self._thread = EngineThread(engine_factory, self._on_engine_event)
        self._offline = offline

    @classmethod
    def for_profile(
        cls,
        profile: UnlockedProfile,
        listen: list[str],
        parent: QObject | None = None,
        network: NetworkOptions = PROFILE_SETTINGS,
    ) -> EngineBridge:
        return cls(
            lambda emit: Engine(profile, listen, emit, network=network),
            parent,
            offline=OfflineNetworkSettings(profile, network),
        )

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

    @property
    def network_failed(self) -> bool:
        """Whether the engine stopped on its own because of the network settings (Tor)."""
        return is_network_failure(self.failure)

    @property
    def network_chosen_at_start(self) -> bool:
        """Whether this run's network came from options given at start (they win over the
        profile's network settings, so changing those does not change this run's)."""
        return self._offline is not None and self._offline.chosen_at_start

    # -- commands ---------------------------------------------------------------------

    def request(self, command: Command[R]) -> asyncio.Future[R]:
        """Any engine command (core/api), answered with its typed result or failed with
        the refusal (a CommandError carrying its Refusal) or the engine's failure."""
        if (
            self._offline is not None
            and self.failure is not None
            and type(command) in OFFLINE_COMMANDS
        ):
            # a failed engine has closed the profile's database; its network settings are
            # read and written without it then (engine/offline_network.py), never beside
            # a running one, so the settings that made it fail can be fixed
            return asyncio.wrap_future(self._offline.request(command))
        return asyncio.wrap_future(self._thread.request(command))

    # -- engine thread side -------------------------------------------------------------

    def _on_engine_event(self, event: EngineEvent) -> None:
        """Called in the engine thread: only emit signals here, Qt carries them over."""
        try:
            self.engineEvent.emit(event)
        except RuntimeError:
            # the Qt half of this object was already deleted (the window went away while
            # the engine was still winding down): nobody is left to tell
            log.debug("dropped engine event %s: bridge already deleted", event.name)
