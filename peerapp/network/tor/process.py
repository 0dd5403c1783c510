"""Hearth's own tor process: write its torrc, check it, start it, learn its ports, connect
and authenticate, and stop it.

Why it is set up this way:
- SocksPort and ControlPort are `auto` on 127.0.0.1: nothing else on the machine (or
  network) can use them, and two profiles never fight over a port. Tor writes the control
  port it chose to `control.port` (ControlPortWriteToFile); the SOCKS port is read with
  `GETINFO net/listeners/socks` once authenticated.
- CookieAuthentication: only a process that can read the profile's `tor/` folder can
  drive this tor.
- `__OwningControllerProcess <our pid>` and TAKEOWNERSHIP: tor exits if Hearth dies or
  its control connection closes, so a crash never leaves a tor behind.
- `ClientOnly 1`: this tor is never a relay.
- The DataDirectory is the profile's `tor/` folder (0700): the consensus, descriptors and
  guards tor keeps there make the next start fast.
- The extra lines are checked by `tor --verify-config` in a temporary folder before
  anything in the profile is written, so a bad --tor-config changes nothing.
- tor's notices go to `tor.log` in the DataDirectory (0600, emptied at each start): the
  last warning is what a person sees if tor stops while starting. Tor's own logs carry no
  keys (SafeLogging is on by default), and we show one line, bounded and printable.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peerapp.network.tor import control
from peerapp.network.tor.config import HostPort, OwnTor
from peerapp.network.tor.errors import TorConfigError, TorControlError, TorStartError

START_SECONDS = 30.0
VERIFY_SECONDS = 20.0
STOP_SECONDS = 5.0
EXIT_GRACE_SECONDS = 2.0
POLL_SECONDS = 0.01
MAX_LOG_TAIL = 16 * 1024

# No system-wide torrc-defaults: Hearth's tor is configured by Hearth alone.
DEFAULTS = ("--defaults-torrc", os.devnull)
TORRC = "torrc"
CONTROL_PORT_FILE = "control.port"
LOG_FILE = "tor.log"
_PORT_FILE = re.compile(r"PORT=(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}):([0-9]{1,5})\s*")
_LOG_PREFIX = re.compile(r"^[A-Z][a-z]{2} [0-9]{2} [0-9:.]+ \[(\w+)\] ")


def torrc_lines(
    config: OwnTor, data_dir: Path, owner_pid: int, socks_port: int | None = None
) -> list[str]:
    """The whole torrc: Hearth's settings first, then the person's extra lines. A
    `socks_port` asks for that port (a restart keeps the one dialers hold), else `auto`."""
    return [
        f"DataDirectory {data_dir}",
        f"SocksPort 127.0.0.1:{socks_port if socks_port is not None else 'auto'}",
        "ControlPort 127.0.0.1:auto",
        f"ControlPortWriteToFile {data_dir / CONTROL_PORT_FILE}",
        "CookieAuthentication 1",
        f"__OwningControllerProcess {owner_pid}",
        "ClientOnly 1",
        *config.extra_lines,
    ]


@dataclass(frozen=True)
class StartCosts:
    """Seconds spent in each step of a start (printed by tests and benchmarks)."""

    verify: float
    control_ready: float
    authenticated: float


@dataclass(eq=False, kw_only=True)
class TorProcess:
    """A running tor we started, with an authenticated controller that owns it."""

    popen: subprocess.Popen[bytes]
    controller: Any
    control_port: HostPort
    socks: HostPort | None  # None while tor listens on none (DisableNetwork 1)
    data_dir: Path
    costs: StartCosts

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, seconds: float = STOP_SECONDS) -> None:
        """SIGNAL SHUTDOWN (a client exits at once), then SIGTERM, then SIGKILL; each wait
        bounded. Safe to call twice."""
        if self.running():
            with contextlib.suppress(Exception):
                self.controller.signal("SHUTDOWN")
        with contextlib.suppress(Exception):
            self.controller.close()
        _end(self.popen, seconds)


def start_own_tor(
    config: OwnTor, *, start_seconds: float = START_SECONDS, socks_port: int | None = None
) -> TorProcess:
    """`socks_port`: the SOCKS port to ask for (TorStartError if it is taken); `auto`
    when None."""
    if socks_port is not None and not 1 <= socks_port <= 65535:
        raise TorStartError("Tor's SOCKS port must be 1 to 65535.")
    began = time.monotonic()
    verify_extra_lines(config)
    verified = time.monotonic()
    data_dir = config.data_dir
    torrc = data_dir / TORRC
    log_fd = _prepare_data_dir(config, torrc, socks_port)
    try:
        popen = subprocess.Popen(
            [str(config.binary), "-f", str(torrc), *DEFAULTS],
            stdin=subprocess.DEVNULL,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            # Ctrl-C in a terminal reaches Hearth, which stops tor in order.
            start_new_session=True,
        )
    except OSError as error:
        raise TorStartError(
            f"Could not run tor at {config.binary} ({error.strerror or error}): reinstall the "
            "`tor` package or use an existing Tor with --tor-control and --tor-socks."
        ) from None
    finally:
        os.close(log_fd)
    try:
        control_port = _wait_for_control_port(popen, data_dir, began + start_seconds)
        control_ready = time.monotonic()
        controller = _connect_own(popen, data_dir, control_port)
        try:
            control.take_ownership(controller)
            socks = control.socks_listener(controller)
        except BaseException:
            controller.close()
            raise
    except BaseException:
        _end(popen, STOP_SECONDS, _NOW)
        raise
    costs = StartCosts(
        verify=verified - began,
        control_ready=control_ready - began,
        authenticated=time.monotonic() - began,
    )
    return TorProcess(
        popen=popen,
        controller=controller,
        control_port=control_port,
        socks=socks,
        data_dir=data_dir,
        costs=costs,
    )


def verify_extra_lines(config: OwnTor) -> None:
    """`tor --verify-config` on the torrc Hearth would write, in a temporary folder so that
    nothing in the profile changes when it fails."""
    with tempfile.TemporaryDirectory(prefix="hearth-tor-verify-") as scratch:
        scratch_dir = Path(scratch)
        torrc = scratch_dir / TORRC
        _write_private(torrc, "\n".join(torrc_lines(config, scratch_dir, os.getpid())) + "\n")
        try:
            result = subprocess.run(
                [str(config.binary), "--verify-config", "-f", str(torrc), *DEFAULTS],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=VERIFY_SECONDS,
                check=False,
            )
        except OSError as error:
            raise TorConfigError(
                f"Could not run tor at {config.binary} ({error.strerror or error}): install "
                "the `tor` package or use an existing Tor with --tor-control and --tor-socks."
            ) from None
        except subprocess.TimeoutExpired:
            raise TorConfigError(
                f"tor at {config.binary} did not finish checking its configuration within "
                f"{VERIFY_SECONDS:.0f} s."
            ) from None
    if result.returncode != 0:
        reason = last_log_line(result.stdout.decode("utf-8", "replace"))
        raise TorConfigError(
            f"Tor refused the extra lines from {config.extra_source}: {_sentence(reason)} "
            "Fix or remove that line."
        )


def last_log_line(log: str) -> str:
    """The last warning or error of a tor log (else its last line), without its time
    stamp, printable and bounded: what a person is shown when tor will not start."""
    lines = [line for line in log[-MAX_LOG_TAIL:].splitlines() if line.strip()]
    serious = [line for line in lines if "[warn]" in line or "[err]" in line]
    # tor's last [err] is often just "Reading config failed--see warnings above."
    warnings = [line for line in serious if "[warn]" in line]
    chosen = (warnings or serious or lines or ["(tor wrote nothing)"])[-1]
    chosen = _LOG_PREFIX.sub("", chosen.strip())
    chosen = "".join(ch if ch.isprintable() else " " for ch in chosen)
    return chosen[:300]


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def read_log_tail(data_dir: Path) -> str:
    try:
        with (data_dir / LOG_FILE).open("rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - MAX_LOG_TAIL))
            return file.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for_control_port(
    popen: subprocess.Popen[bytes], data_dir: Path, deadline: float
) -> HostPort:
    port_file = data_dir / CONTROL_PORT_FILE
    while True:
        # tor writes control.port.tmp and renames it: the file is whole once it exists.
        with contextlib.suppress(FileNotFoundError):
            return parse_control_port_file(port_file.read_text("utf-8", "replace")[:200])
        if popen.poll() is not None:
            reason = last_log_line(read_log_tail(data_dir))
            raise TorStartError(
                f"Tor stopped while starting (exit code {popen.returncode}): {_sentence(reason)}"
            )
        if time.monotonic() > deadline:
            raise TorStartError(
                "Tor did not open its control port in time; its last message was: "
                f"{last_log_line(read_log_tail(data_dir))}"
            )
        time.sleep(POLL_SECONDS)


def _connect_own(popen: subprocess.Popen[bytes], data_dir: Path, port: HostPort) -> Any:
    """Authenticate with the cookie. A tor that fails us here is usually one that is
    exiting (e.g. another tor holds the DataDirectory): then its last words say why."""
    try:
        return control.connect(port)
    except TorControlError as error:
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(EXIT_GRACE_SECONDS)
        if popen.poll() is None:
            raise
        # tor's last words, and ours: once (exit code 0, its last words a warning about
        # running as root) they alone did not say what went wrong
        reason = last_log_line(read_log_tail(data_dir))
        raise TorStartError(
            f"Tor stopped while starting (exit code {popen.returncode}): {_sentence(reason)} "
            f"(Hearth's attempt: {error})"
        ) from None


def parse_control_port_file(text: str) -> HostPort:
    match = _PORT_FILE.fullmatch(text)
    if match is None or not 1 <= int(match.group(2)) <= 65535:
        raise TorControlError("Tor's control port file does not name a 127.0.0.1 port.")
    return HostPort(host=match.group(1), port=int(match.group(2)))


def _prepare_data_dir(config: OwnTor, torrc: Path, socks_port: int | None) -> int:
    """Creates the DataDirectory (0700), writes the torrc, drops a stale control.port and
    opens tor.log (emptied) for tor's output; returns the log's file descriptor."""
    data_dir = config.data_dir
    if not str(data_dir).isprintable():
        # a newline in the path would end the torrc line and start another
        raise TorStartError(
            "The profile folder's path holds control characters; move the profile to a "
            "folder with a plain name."
        )
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        data_dir.chmod(0o700)
        (data_dir / CONTROL_PORT_FILE).unlink(missing_ok=True)
        lines = torrc_lines(config, data_dir, os.getpid(), socks_port)
        _write_private(torrc, "\n".join(lines) + "\n")
        return os.open(data_dir / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise TorStartError(
            f"Could not prepare Tor's folder {data_dir} ({error.strerror or error}): check "
            "that the profile folder is writable and the disk is not full."
        ) from None


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)


_POLITE = (None, signal.SIGTERM, signal.SIGKILL)
_NOW = (signal.SIGTERM, signal.SIGKILL)


def _end(
    popen: subprocess.Popen[bytes],
    seconds: float,
    signals: tuple[signal.Signals | None, ...] = _POLITE,
) -> None:
    """Wait for tor to exit (None: it was asked already), else send the next signal."""
    for sig in signals:
        if popen.poll() is not None:
            return
        if sig is not None:
            with contextlib.suppress(ProcessLookupError):
                popen.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(seconds)
