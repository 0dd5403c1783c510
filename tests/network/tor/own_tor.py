"""Helpers for tests that run a real tor, offline: every tor started here is stopped by
pid in a `finally`, and none touches the internet (DisableNetwork 1, or a bridge on a
loopback port nobody listens on)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from peerapp.network.tor.config import OwnTor, find_tor_binary
from peerapp.network.tor.process import TorProcess, start_own_tor

# No listeners but the control port, no connection anywhere: ADD_ONION still works.
OFFLINE = ("DisableNetwork 1",)


def tor_binary() -> Path:
    """tor itself, or a failure that says how to get it (never a skip)."""
    path = shutil.which("tor", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    assert path is not None, "tor is not installed: run packaging/system-deps.sh (apt install tor)"
    return find_tor_binary()


def own_tor(data_dir: Path, extra: tuple[str, ...] = OFFLINE) -> OwnTor:
    return OwnTor(binary=tor_binary(), data_dir=data_dir, extra_lines=extra)


@contextmanager
def running(config: OwnTor) -> Iterator[TorProcess]:
    process = start_own_tor(config)
    try:
        yield process
    finally:
        process.stop()
        assert not process.running(), f"tor {process.pid} outlived its test"


@contextmanager
def closed_loopback_port() -> Iterator[int]:
    """A 127.0.0.1 port held (bound, not listening) so a dial there is refused."""
    held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]
    finally:
        held.close()


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """True once `condition` holds; False after `seconds`. Polls with a bounded count."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@contextmanager
def foreign_tor(data_dir: Path, lines: list[str]) -> Iterator[subprocess.Popen[bytes]]:
    """A tor Hearth did not start (as a system tor would be), ended by pid afterwards."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    torrc = data_dir / "torrc"
    torrc.write_text("\n".join([f"DataDirectory {data_dir}", *lines]) + "\n")
    log = (data_dir / "tor.log").open("wb")
    popen = subprocess.Popen(
        [str(tor_binary()), "-f", str(torrc), "--defaults-torrc", os.devnull],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield popen
    finally:
        popen.terminate()
        try:
            popen.wait(5)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(5)
        log.close()
