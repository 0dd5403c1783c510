"""One open Tor, whichever kind: an authenticated controller and the SOCKS port to dial
through, plus our tor process when Hearth owns it. What the engine holds while Tor mode
runs."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from peerapp.network.tor import control
from peerapp.network.tor.config import ExistingTor, HostPort, TorConfig
from peerapp.network.tor.process import TorProcess, start_own_tor


@dataclass
class TorSession:
    controller: Any
    socks: HostPort | None
    process: TorProcess | None

    def close(self) -> None:
        """Stops our own tor; only disconnects from an existing one (whose onion services
        we made go with our control connection)."""
        if self.process is not None:
            self.process.stop()
        else:
            with contextlib.suppress(Exception):
                self.controller.close()


def open_tor(config: TorConfig) -> TorSession:
    if isinstance(config, ExistingTor):
        controller = control.connect(config.control, config.password)
        return TorSession(controller=controller, socks=config.socks, process=None)
    process = start_own_tor(config)
    return TorSession(controller=process.controller, socks=process.socks, process=process)
