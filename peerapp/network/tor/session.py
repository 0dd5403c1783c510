"""One open Tor, whichever kind: an authenticated controller and the SOCKS port to dial
through, plus our tor process when Hearth owns it. What the engine holds while Tor mode
runs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import stem.control

from peerapp.network.tor import control
from peerapp.network.tor.config import ExistingTor, HostPort, TorConfig
from peerapp.network.tor.process import TorProcess, start_own_tor
from peerapp.network.tor.status import (
    Bootstrap,
    TorInput,
    TorStopped,
    parse_bootstrap_phase,
    parse_event,
)


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


def open_tor(config: TorConfig, *, socks_port: int | None = None) -> TorSession:
    """`socks_port`: for our own tor, the SOCKS port to ask for (runtime.py asks for the
    previous one after a restart); an existing tor's is its own."""
    if isinstance(config, ExistingTor):
        controller = control.connect(config.control, config.password)
        return TorSession(controller=controller, socks=config.socks, process=None)
    process = start_own_tor(config, socks_port=socks_port)
    return TorSession(controller=process.controller, socks=process.socks, process=process)


def watch_status(controller: Any, on_input: Callable[[TorInput], None]) -> Callable[[], None]:
    """Feeds `on_input` (from stem's threads) what the status machine needs: tor's current
    bootstrap phase now, each later STATUS_CLIENT/NETWORK_LIVENESS event, and TorStopped
    when the control connection closes (tor exited or was killed). Returns the unwatch."""

    def on_line(line: str) -> None:
        event = parse_event(line)
        if event is not None:
            on_input(event)

    def on_state(_controller: Any, state: Any, _timestamp: float) -> None:
        if state == stem.control.State.CLOSED:
            on_input(TorStopped(reason="Tor's control connection closed"))

    controller.add_status_listener(on_state)
    unsubscribe = control.subscribe(controller, on_line)
    status = parse_bootstrap_phase(str(control.bootstrap_phase(controller)))
    if status is not None:
        on_input(Bootstrap(status))

    def unwatch() -> None:
        controller.remove_status_listener(on_state)
        unsubscribe()

    return unwatch
