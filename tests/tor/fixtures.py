"""Fixtures for every suite that needs Tor (registered for all of tests/ by
tests/conftest.py): one private Tor network per session, started only when a test asks
for it, client tors joined to it, and the `--tor-config` file a `peerapp node` needs to
join it with its own tor.

Tests using the network share one xdist worker: mark them
`pytest.mark.xdist_group("private_tor_network")` (the suite runs `--dist loadgroup`), or
a second worker would start a second network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.tor.client_tor import ClientTor
from tests.tor.private_network import PrivateTorNetwork

TOR_GROUP = "private_tor_network"  # the xdist group of the tests that use the network


def write_tor_config(network: PrivateTorNetwork, path: Path) -> Path:
    """Write the `--tor-config` file for a node whose own tor joins `network`: the
    client torrc lines (TestingTorNetwork, the private authorities), nothing else.
    Returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Hearth's own tor joins the private test network\n"
        + "\n".join(network.client_torrc_lines())
        + "\n"
    )
    return path


@pytest.fixture(scope="session")
def private_tor_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateTorNetwork]:
    network = PrivateTorNetwork(tmp_path_factory.mktemp("tor-network"))
    network.start()
    print(f"\nprivate Tor network bootstrapped in {network.bootstrap_seconds:.1f} s")
    try:
        yield network
    finally:
        network.close()


@pytest.fixture(scope="session")
def private_tor_config(
    private_tor_network: PrivateTorNetwork, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A `--tor-config` file joining the session's private network (for `peerapp node`)."""
    return write_tor_config(
        private_tor_network, tmp_path_factory.mktemp("tor-config") / "private-network.torrc"
    )


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
