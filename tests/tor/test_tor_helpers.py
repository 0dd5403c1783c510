"""The private network's helpers without starting tor: a missing tor is a clear error,
and the consensus reader takes garbage without a traceback."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

from tests.tor import private_network
from tests.tor.client_tor import ClientTor
from tests.tor.private_network import PrivateTorNetwork, TorNetworkError, usable_relays
from tests.tor.sockets import TcpEndpoint, address_of, tcp_endpoints

CONSENSUS = """network-status-version 3 microdesc
r auth0 s9JmBGc+SQnSp/EJEN8wpqyqCTM 2038-01-01 00:00:00 127.0.0.1 46837 40945
s Authority Exit Fast Guard HSDir Running Stable V2Dir Valid
r relay0 caIAKNXS8gTPSX26ogZ9EPUQW2w 2038-01-01 00:00:00 127.0.0.1 34219 0
s Fast Guard HSDir Running V2Dir Valid
r relay1 liR6z6zkYTpy3sFzKbd96Hu0Nuo 2038-01-01 00:00:00 127.0.0.1 51877 0
s Exit Fast Guard HSDir Running Valid
"""


def test_only_relays_with_every_needed_flag_are_usable() -> None:
    # relay0 has no Exit flag yet
    assert usable_relays(CONSENSUS) == {"auth0", "relay1"}


@pytest.mark.parametrize(
    "garbage",
    ["", "r\ns\n", "s Exit Guard HSDir Running Valid\n", "r \x00\xff\ns", "r x\nr y\n" * 1000],
)
def test_garbage_consensus_text_lists_no_relay(garbage: str) -> None:
    assert usable_relays(garbage) == set()


def test_a_missing_tor_names_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TorNetworkError, match="install Debian's `tor` package"):
        PrivateTorNetwork(tmp_path)
    with pytest.raises(TorNetworkError, match="install Debian's `tor` package"):
        ClientTor(tmp_path, [])


def test_client_lines_need_a_started_network(tmp_path: Path) -> None:
    with pytest.raises(TorNetworkError, match="not been started"):
        PrivateTorNetwork(tmp_path).client_torrc_lines()


def test_a_tor_that_cannot_start_stops_the_whole_network(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """auth0's ORPort is taken: that tor exits, start() says which one and why, and every
    tor already started is stopped by its pid."""
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    ports = [int(busy.getsockname()[1])]
    real_free_port = private_network.free_port
    monkeypatch.setattr(
        private_network, "free_port", lambda: ports.pop() if ports else real_free_port()
    )
    network = PrivateTorNetwork(tmp_path)
    with busy, pytest.raises(TorNetworkError, match="tor auth0 exited"):
        network.start()
    assert len(network.pids()) == 5
    for pid in network.pids():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_socket_reader_sees_this_process_sockets_on_loopback() -> None:
    unbound = (str(ipaddress.IPv4Address(0)), 0)
    with socket.socket() as listener, socket.socket() as dialer:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        dialer.connect(listener.getsockname())
        endpoints = {(e.local, e.remote): e for e in tcp_endpoints(os.getpid())}
        listening = endpoints[(listener.getsockname(), unbound)]
        assert listening.listening and listening.on_loopback()
        dialled = endpoints[(dialer.getsockname(), listener.getsockname())]
        assert not dialled.listening and dialled.on_loopback()


@pytest.mark.parametrize(
    ("endpoint", "loopback"),
    [
        (TcpEndpoint(("127.0.0.1", 1), ("127.0.0.1", 2), listening=False), True),
        (TcpEndpoint(("::1", 1), ("::", 0), listening=True), True),
        (TcpEndpoint(("0.0.0.0", 1), ("0.0.0.0", 0), listening=True), False),  # noqa: S104
        (TcpEndpoint(("127.0.0.1", 1), ("192.0.2.7", 443), listening=False), False),
        (TcpEndpoint(("10.0.0.2", 1), ("127.0.0.1", 9050), listening=False), False),
    ],
)
def test_anything_off_loopback_is_seen(endpoint: TcpEndpoint, loopback: bool) -> None:
    assert endpoint.on_loopback() is loopback


def test_proc_addresses_are_decoded() -> None:
    assert address_of("0100007F:1F90") == ("127.0.0.1", 8080)
    assert address_of("00000000000000000000000001000000:0050") == ("::1", 80)
