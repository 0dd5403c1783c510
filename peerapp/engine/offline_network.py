"""The network settings while the engine is not running: after it failed to start because
of the network (Tor would not start, an existing Tor did not answer), the settings that
caused it must still be readable and fixable, or a person could never get out of it.

Rules:
- Only after the engine's run has ended (its thread reported the failure, so the run
  closed its database): the front asks here only then.
- Only `network_settings` and `set_network_settings`, checked and served exactly as the
  running engine does (the same typed commands, network_commands.network_handlers):
  the same refusals, and a refusal stores nothing.
- One command at a time, each in a worker thread of its own: the profile's database is
  opened for it and closed again, so nothing stays open beside the next engine run.
- `current` says the mode this run was to use (the front's choice over the stored one,
  as network_choice.chosen_mode decides) and no Tor: none is running.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from typing import Any, TypeVar, cast

import trio

from peerapp.core.api.contract import Command, Result
from peerapp.core.api.network import CurrentNetworkView, SetNetworkSettings
from peerapp.core.api.network import NetworkSettings as NetworkSettingsOf
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import EngineFailed, HearthError
from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkOptions
from peerapp.engine.network_choice import chosen_mode
from peerapp.engine.network_commands import network_handlers
from peerapp.network.tor.errors import (
    OnionServiceError,
    TorConfigError,
    TorControlError,
    TorStartError,
)
from peerapp.storage.database import Database
from peerapp.storage.network_settings import NetworkSettings
from peerapp.storage.profile import UnlockedProfile

log = logging.getLogger(__name__)

R = TypeVar("R", bound=Result)

# failures the network settings can fix: the front offers them
NETWORK_FAILURES = (TorConfigError, TorStartError, TorControlError, OnionServiceError)
OFFLINE_COMMANDS: frozenset[type[Command[Any]]] = frozenset({NetworkSettingsOf, SetNetworkSettings})
NOT_RUNNING = Refusal.NOT_RUNNING.text()


def is_network_failure(error: HearthError | None) -> bool:
    """Whether the engine stopped because of its network settings (Tor, mostly)."""
    return isinstance(error, NETWORK_FAILURES)


class OfflineNetworkSettings:
    """The two network settings commands on a profile whose engine is not running."""

    def __init__(self, profile: UnlockedProfile, options: NetworkOptions) -> None:
        self._profile = profile
        self._options = options
        self._lock = threading.Lock()  # one database open at a time

    @property
    def chosen_at_start(self) -> bool:
        """Whether this run's network was chosen when starting it (the node's and the
        GUI's --direct/--tor-* options): those win over the stored settings."""
        return self._options != PROFILE_SETTINGS

    def request(self, command: Command[R]) -> concurrent.futures.Future[R]:
        reply: concurrent.futures.Future[R] = concurrent.futures.Future()
        threading.Thread(
            target=self._serve,
            args=(command, reply),
            name="hearth-offline-settings",
            daemon=True,
        ).start()
        return reply

    def _serve(self, command: Command[R], reply: concurrent.futures.Future[R]) -> None:
        if not reply.set_running_or_notify_cancel():
            return
        try:
            result = self._answer(command)
        except HearthError as error:
            reply.set_exception(error)
        except Exception as error:  # an unreadable database: say so, never a traceback
            log.error("offline %s failed", type(command).__name__, exc_info=error)
            reply.set_exception(
                EngineFailed(
                    f"Could not open the profile's network settings ({type(error).__name__})."
                )
            )
        else:
            reply.set_result(result)

    def _answer(self, command: Command[R]) -> R:
        if type(command) not in OFFLINE_COMMANDS:
            raise EngineFailed(NOT_RUNNING)
        with self._lock:
            database = self._profile.open_database()
            try:
                handlers = network_handlers(
                    lambda: NetworkSettings(database), lambda: self._current(database)
                )
                return cast(R, trio.run(handlers.answer, command))
            finally:
                database.close()

    def _current(self, database: Database) -> CurrentNetworkView:
        try:
            mode = chosen_mode(self._options, NetworkSettings(database)).value
        except TorConfigError:
            mode = ""  # the front's choices contradict each other: no mode was in use
        return CurrentNetworkView(mode=mode, tor=None)
