"""Hearth's own tor joins the private Tor network through a `--tor-config` file, the way
a Tor-mode node does (tor_config_from_options -> open_tor -> watch_status): it
bootstraps to "ready", once with no state and once with the state it kept in its
DataDirectory, and every socket it holds is on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from peerapp.network.tor.config import tor_config_from_options
from peerapp.network.tor.session import open_tor, watch_status
from peerapp.network.tor.status import TorInput, TorState, TorStatusMachine, TorView
from tests.tor.fixtures import TOR_GROUP
from tests.tor.leaks import LeakMonitor

pytestmark = [pytest.mark.timeout(300), pytest.mark.xdist_group(TOR_GROUP)]

READY_BOUND_SECONDS = 90


def bootstrap(data_dir: Path, tor_config: Path) -> tuple[float, list[TorView], list[str]]:
    """Start Hearth's own tor, wait (bounded) for the status machine to say READY; returns
    (seconds from start to ready, the views it went through, its sockets' leaks)."""
    config = tor_config_from_options(data_dir, tor_config=str(tor_config))
    machine = TorStatusMachine()
    views: list[TorView] = []
    ready = threading.Event()
    lock = threading.Lock()

    def on_input(event: TorInput) -> None:
        with lock:
            view, changed = machine.feed(event)
            if changed:
                views.append(view)
            if view.state is TorState.READY:
                ready.set()

    began = time.monotonic()
    session = open_tor(config)
    try:
        assert session.process is not None and session.socks is not None
        unwatch = watch_status(session.controller, on_input)
        with LeakMonitor(interval=0.1) as monitor:
            monitor.watch(session.process.pid)
            assert ready.wait(READY_BOUND_SECONDS), f"not ready: {views[-1:]}"
            took = time.monotonic() - began
            assert monitor.wait_for_samples(2, 10)
        unwatch()
        report = monitor.report()
        print(f"own tor: {report.summary()}")
        assert report.sockets > 0
        return took, views, [str(leak) for leak in report.leaks]
    finally:
        session.close()


def test_hearths_own_tor_joins_the_private_network_by_tor_config(
    private_tor_config: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "profile" / "tor"
    first, views, leaks = bootstrap(data_dir, private_tor_config)
    assert leaks == []
    assert views[-1].state is TorState.READY and views[-1].status.progress == 100
    assert (data_dir / "cached-microdesc-consensus").exists(), "no Tor state kept"
    again, _, leaks = bootstrap(data_dir, private_tor_config)
    assert leaks == []
    print(
        f"Hearth's own tor on the private network: ready {first:.2f} s after start with no "
        f"state, {again:.2f} s with its state kept; phases {[v.status.phase for v in views]}"
    )
