"""Connecting and authenticating to Tor's control port with stem, each failure turned into
a `TorControlError` that says what to fix. Answers from the control port are parsed as
hostile input: bounded, matched whole, and never echoed back in full.

stem's Controller is blocking (its own reader thread delivers events); the engine calls
these from a worker thread (`trio.to_thread.run_sync`).
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
from collections.abc import Callable
from typing import Any

import stem
import stem.connection
import stem.socket
from stem.control import Controller

from peerapp.network.tor.config import ControlAddress, HostPort, UnixSocket
from peerapp.network.tor.errors import TorControlError

MAX_ANSWER_CHARS = 4096
CONNECT_SECONDS = 10.0

# stem logs every command and reply at its TRACE and DEBUG levels: AUTHENTICATE with the
# cookie or password, ADD_ONION with the private key, and tor's reply carrying a new key.
# Records below WARNING are never made, so no handler anywhere (a propagated root
# handler ignores the root's level) can write them.
logging.getLogger("stem").setLevel(logging.WARNING)
_LISTENER = re.compile(r'"?(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}):([0-9]{1,5})"?')


def connect(
    address: ControlAddress, password: str | None = None, *, seconds: float = CONNECT_SECONDS
) -> Any:
    """An authenticated stem Controller (cookie auth unless a password is given). Connecting
    and authenticating each give up after `seconds`: a wrong address that swallows packets,
    or a service that is not tor and never answers, must not hang Hearth."""
    try:
        if isinstance(address, UnixSocket):
            controller = Controller(_ClosingControlSocketFile(str(address.path)))
        else:
            controller = Controller(_BoundedControlPort(address.host, address.port, seconds))
    except stem.SocketError as error:
        raise TorControlError(
            f"Could not reach Tor's control port at {address} ({_short(error)}). Check that "
            "Tor is running with a control port there, or fix the control address "
            "(--tor-control, or the network settings)."
        ) from None
    raw = _raw_socket(controller)
    try:
        if raw is not None:
            raw.settimeout(seconds)
        controller.authenticate(password=password)
        if raw is not None:
            raw.settimeout(None)  # from here on stem's reader waits for events at will
    except BaseException as error:
        controller.close()
        raise _authentication_error(address, error) from None
    return controller


class _ClosingControlSocketFile(stem.socket.ControlSocketFile):  # type: ignore[misc]
    """stem's ControlSocketFile, but a failed connect closes its socket: stem's leaves it
    to the garbage collector (a ResourceWarning, an error in the test suite)."""

    def _make_socket(self) -> socket.socket:
        control_socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            control_socket.connect(self.path)
        except OSError as error:
            control_socket.close()
            raise stem.SocketError(error) from None
        return control_socket


class _BoundedControlPort(stem.socket.ControlPort):  # type: ignore[misc]
    """stem's ControlPort, but its connect gives up after a bound (stem's has none)."""

    def __init__(self, host: str, port: int, seconds: float) -> None:
        self._connect_seconds = seconds
        super().__init__(host, port)

    def _make_socket(self) -> socket.socket:
        try:
            return socket.create_connection((self.address, self.port), self._connect_seconds)
        except OSError as error:
            raise stem.SocketError(error) from None


def _raw_socket(controller: Any) -> socket.socket | None:
    # stem keeps the socket in a private attribute; if a future stem renames it we only
    # lose the bound on authentication, never correctness.
    raw = getattr(controller.get_socket(), "_socket", None)
    return raw if isinstance(raw, socket.socket) else None


def _authentication_error(address: ControlAddress, error: BaseException) -> Exception:
    where = f"Tor's control port at {address}"
    if isinstance(error, stem.connection.IncorrectPassword):
        return TorControlError(f"{where} refused the password: check the Tor control password.")
    if isinstance(error, stem.connection.MissingPassword):
        return TorControlError(
            f"{where} asks for a password: give Hearth that Tor's control password."
        )
    if isinstance(error, stem.connection.UnreadableCookieFile):
        return TorControlError(
            f"Hearth cannot read the authentication cookie of {where}: give this user read "
            "access to it (on Debian, add the user to the debian-tor group) or use a password."
        )
    if isinstance(error, stem.connection.AuthenticationFailure | stem.ControllerError):
        return TorControlError(
            f"Could not authenticate to {where} ({type(error).__name__}): check that the "
            "control address (--tor-control, or the network settings) names Tor's control "
            "port (not its SOCKS port), and its password or cookie."
        )
    if isinstance(error, Exception):
        return TorControlError(f"{where} answered something Hearth cannot read.")
    raise error  # KeyboardInterrupt and friends are not ours to translate


def take_ownership(controller: Any) -> None:
    """Tor exits when this control connection closes: our tor never outlives us."""
    _checked(lambda: controller.msg("TAKEOWNERSHIP"), "TAKEOWNERSHIP")


def socks_listener(controller: Any) -> HostPort | None:
    """Tor's SOCKS port on 127.0.0.1, or None while tor has none (DisableNetwork 1)."""
    answer = _checked(
        lambda: controller.get_info("net/listeners/socks"),
        "GETINFO net/listeners/socks",
    )
    return parse_socks_listeners(str(answer))


def bootstrap_phase(controller: Any) -> str:
    """The raw `GETINFO status/bootstrap-phase` answer, for `status.parse_bootstrap_phase`."""
    return str(
        _checked(
            lambda: controller.get_info("status/bootstrap-phase"),
            "GETINFO status/bootstrap-phase",
        )
    )[:MAX_ANSWER_CHARS]


def parse_socks_listeners(answer: str) -> HostPort | None:
    """The first loopback IPv4 listener of a `net/listeners/socks` answer (space-separated,
    quoted `ADDR:PORT` or `unix:PATH` items)."""
    if len(answer) > MAX_ANSWER_CHARS:
        raise TorControlError("Tor's list of SOCKS listeners is too long to be real.")
    for item in answer.split():
        match = _LISTENER.fullmatch(item)
        if match is not None and 1 <= int(match.group(2)) <= 65535:
            return HostPort(host=match.group(1), port=int(match.group(2)))
    return None


def _checked(call: Callable[[], Any], what: str) -> Any:
    try:
        return call()
    except stem.ControllerError as error:
        raise TorControlError(f"Tor's control port failed {what} ({_short(error)}).") from None
    except ValueError:
        raise TorControlError(f"Tor's answer to {what} is not readable.") from None


def _short(error: BaseException) -> str:
    """A bounded, printable reason from an exception (stem's messages carry no secrets)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(error))
    return text[:200] or type(error).__name__


def subscribe(controller: Any, on_line: Callable[[str], None]) -> Callable[[], None]:
    """Calls `on_line` (in stem's event thread) with each STATUS_CLIENT and NETWORK_LIVENESS
    event's content, to be read by `status.parse_event`; returns the unsubscribe."""

    def listener(event: Any) -> None:
        on_line(str(event))

    try:
        controller.add_event_listener(listener, "STATUS_CLIENT", "NETWORK_LIVENESS")
    except stem.ControllerError as error:
        raise TorControlError(f"Tor would not send its status events ({_short(error)}).") from None

    def unsubscribe() -> None:
        with contextlib.suppress(stem.ControllerError):
            controller.remove_event_listener(listener)

    return unsubscribe
