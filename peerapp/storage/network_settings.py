"""The profile's network settings (issue 12), typed, in the settings table.

- `network_mode`: `tor` (the default, also when unset) or `direct`. A value this version
  cannot read counts as Tor: the safe reading, never a fallback to direct.
- `tor_control`, `tor_socks`: an existing Tor to use instead of Hearth's own (control:
  host:port or a unix socket path; SOCKS: host:port), kept as typed; the network layer
  checks them when it uses them.
- `tor_config`: extra torrc lines for Hearth's own tor (bridges, a test network), as
  pasted. Bridge lines are not public: kept out of reprs and logs.
An empty or None value clears a Tor setting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from peerapp.core.network_mode import DEFAULT_MODE, NetworkMode
from peerapp.storage.database import Database

log = logging.getLogger(__name__)

MODE = "network_mode"
TOR_CONTROL = "tor_control"
TOR_SOCKS = "tor_socks"
TOR_CONFIG = "tor_config"


@dataclass(frozen=True)
class TorSettings:
    control: str | None = None
    socks: str | None = None
    config: str | None = field(default=None, repr=False)


class NetworkSettings:
    def __init__(self, database: Database) -> None:
        self._database = database

    def mode(self) -> NetworkMode:
        stored = self._database.setting(MODE)
        if stored is None:
            return DEFAULT_MODE
        try:
            return NetworkMode(stored)
        except ValueError:
            log.warning("unreadable network mode setting; using Tor mode")
            return NetworkMode.TOR

    def set_mode(self, mode: NetworkMode) -> None:
        self._database.set_setting(MODE, NetworkMode(mode).value)

    def tor(self) -> TorSettings:
        return TorSettings(
            control=self._database.setting(TOR_CONTROL),
            socks=self._database.setting(TOR_SOCKS),
            config=self._database.setting(TOR_CONFIG),
        )

    def set_tor(self, settings: TorSettings) -> None:
        """Replace all three at once (one transaction)."""
        values = {
            TOR_CONTROL: settings.control,
            TOR_SOCKS: settings.socks,
            TOR_CONFIG: settings.config,
        }
        with self._database.transaction() as connection:
            for name, value in values.items():
                if value:
                    connection.execute(
                        "INSERT INTO settings(name, value) VALUES (?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                        (name, value),
                    )
                else:
                    connection.execute("DELETE FROM settings WHERE name = ?", (name,))
