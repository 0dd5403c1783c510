"""Fixtures for the Tor tests: one private Tor network per session, started only when a
test asks for it, and client tors joined to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.tor.client_tor import ClientTor
from tests.tor.private_network import PrivateTorNetwork


@pytest.fixture(scope="session")
def private_tor_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateTorNetwork]:
    network = PrivateTorNetwork(tmp_path_factory.mktemp("tor-network"))
    network.start()
    print(f"\nprivate Tor network bootstrapped in {network.bootstrap_seconds:.1f} s")
    try:
        yield network
    finally:
        network.close()


@pytest.fixture
def client_tor(
    private_tor_network: PrivateTorNetwork, tmp_path: Path
) -> Iterator[Callable[[str], ClientTor]]:
    """start(name) -> a bootstrapped client tor on the private network."""
    clients: list[ClientTor] = []

    def start(name: str) -> ClientTor:
        client = ClientTor(tmp_path / name, private_tor_network.client_torrc_lines())
        clients.append(client)
        client.start()
        print(f"client tor {name} bootstrapped in {client.bootstrap_seconds:.1f} s")
        return client

    try:
        yield start
    finally:
        for client in clients:
            client.close()
