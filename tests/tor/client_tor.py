"""A client tor for tests, joined to a PrivateTorNetwork and controlled with stem.

It listens for SOCKS and control connections on 127.0.0.1 on ports tor picks itself
(`auto`), writes the control port to a file we read back, authenticates with its cookie
and reads the SOCKS port from `GETINFO net/listeners/socks`. Every wait is bounded; the
process is ours and is stopped by its pid in close().
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

from stem import SocketError
from stem.control import Controller, Listener

from tests.tor.private_network import STOP_BOUND_SECONDS, TorNetworkError, log_tail, tor_binaries

START_BOUND_SECONDS = 20
BOOTSTRAP_BOUND_SECONDS = 90
_PORT_LINE = re.compile(r"^PORT=127\.0\.0\.1:(\d{1,5})$", re.MULTILINE)
_PROGRESS = re.compile(r"PROGRESS=(\d{1,3})")


class ClientTor:
    """start() runs tor until it has bootstrapped to 100 %; `controller` and
    `socks_port` are then usable; close() stops it."""

    def __init__(self, directory: Path, network_lines: list[str]) -> None:
        self.directory = directory
        self._network_lines = network_lines
        self._tor = tor_binaries()[0]
        self._process: subprocess.Popen[bytes] | None = None
        self._controller: Any = None
        self.socks_port = 0
        self.bootstrap_seconds = 0.0

    @property
    def controller(self) -> Any:
        if self._controller is None:
            raise TorNetworkError("the client tor has not been started")
        return self._controller

    @property
    def pid(self) -> int:
        return self._process.pid if self._process is not None else 0

    def start(self) -> None:
        began = time.monotonic()
        try:
            self._launch()
            self._connect(time.monotonic() + START_BOUND_SECONDS)
            self._wait_for_bootstrap(time.monotonic() + BOOTSTRAP_BOUND_SECONDS)
        except BaseException:
            self.close()
            raise
        self.bootstrap_seconds = time.monotonic() - began

    def close(self) -> None:
        if self._controller is not None:
            self._controller.close()
            self._controller = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
            try:
                self._process.wait(timeout=STOP_BOUND_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=STOP_BOUND_SECONDS)
            self._process = None

    def __enter__(self) -> ClientTor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- steps ------------------------------------------------------------------------

    def _launch(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        lines = [
            *self._network_lines,
            f"DataDirectory {self.directory}",
            "SocksPort 127.0.0.1:auto",
            "ControlPort 127.0.0.1:auto",
            f"ControlPortWriteToFile {self._port_file}",
            "CookieAuthentication 1",
            "RunAsDaemon 0",
            f"Log notice file {self._log}",
        ]
        torrc = self.directory / "torrc"
        torrc.write_text("\n".join(lines) + "\n")
        self._process = subprocess.Popen(
            [self._tor, "-f", str(torrc), "--quiet"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def _port_file(self) -> Path:
        return self.directory / "control-port"

    @property
    def _log(self) -> Path:
        return self.directory / "notice.log"

    def _check_running(self) -> None:
        if self._process is None or self._process.poll() is not None:
            code = self._process.returncode if self._process is not None else None
            raise TorNetworkError(f"the client tor exited ({code}):\n{log_tail(self._log)}")

    def _connect(self, deadline: float) -> None:
        """Read the control port tor chose, authenticate with the cookie, ask for the
        SOCKS port."""
        port = 0
        while not port:
            self._check_running()
            try:
                found = _PORT_LINE.search(self._port_file.read_text(errors="replace"))
            except OSError:
                found = None
            if found is not None:
                port = int(found.group(1))
            elif time.monotonic() > deadline:
                raise TorNetworkError(
                    f"the client tor wrote no control port in {START_BOUND_SECONDS} s:\n"
                    + log_tail(self._log)
                )
            else:
                time.sleep(0.05)
        try:
            controller = Controller.from_port(address="127.0.0.1", port=port)
        except SocketError as error:
            raise TorNetworkError(f"cannot reach the client tor's control port: {error}") from None
        self._controller = controller
        controller.authenticate()
        socks = [
            listener_port
            for address, listener_port in controller.get_listeners(Listener.SOCKS)
            if address == "127.0.0.1"
        ]
        if not socks:
            raise TorNetworkError("the client tor reports no SOCKS listener on 127.0.0.1")
        self.socks_port = int(socks[0])

    def _wait_for_bootstrap(self, deadline: float) -> None:
        while True:
            self._check_running()
            phase = str(self.controller.get_info("status/bootstrap-phase", ""))
            found = _PROGRESS.search(phase)
            if found is not None and int(found.group(1)) == 100:
                return
            if time.monotonic() > deadline:
                raise TorNetworkError(
                    f"the client tor did not bootstrap in {BOOTSTRAP_BOUND_SECONDS} s "
                    f"({phase!r}):\n" + log_tail(self._log)
                )
            time.sleep(0.1)
