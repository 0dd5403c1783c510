"""Onion services on a real, offline tor (DisableNetwork 1: ADD_ONION works without a
network): new keys, kept keys across a restart, collisions, removal, re-adding all."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from peerapp.network.tor import control
from peerapp.network.tor.errors import OnionServiceError
from peerapp.network.tor.onion import OnionKey, OnionServices, add_onion, remove_onion
from tests.network.tor.own_tor import own_tor, running


@contextmanager
def listener() -> Iterator[int]:
    """The 127.0.0.1 listener an onion service points at."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def current_onions(controller: Any) -> set[str]:
    return set(controller.get_info("onions/current").split())


def test_a_new_service_returns_its_address_and_key(tmp_path: Path) -> None:
    with running(own_tor(tmp_path / "tor")) as tor, listener() as port:
        service = add_onion(tor.controller, virtual_port=4001, target_port=port)
        print(f"ADD_ONION (new key): {service.seconds:.4f} s")
        assert len(service.address) == 56
        assert service.multiaddr == f"/onion3/{service.address}:4001"
        assert current_onions(tor.controller) == {service.address}
        assert service.key.blob not in repr(service)
        # Debian's tor has the proof-of-work defence: a flood cannot crowd out members
        assert service.pow_defenses
        remove_onion(tor.controller, service.address)
        assert current_onions(tor.controller) == set()


def test_the_kept_key_gives_the_same_address_after_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "tor"
    with listener() as port:
        with running(own_tor(data_dir)) as first:
            services = OnionServices(first.controller)
            made = [services.add(virtual_port=4001, target_port=port) for _ in range(2)]
        kept = [service.key for service in made]  # what the encrypted database would hold
        with running(own_tor(data_dir)) as second:
            assert current_onions(second.controller) == set()  # gone with the old tor
            again = add_onion(second.controller, virtual_port=4001, target_port=port, key=kept[0])
            print(f"ADD_ONION (kept key): {again.seconds:.4f} s")
            assert again.address == made[0].address
            assert again.key == kept[0]
            remove_onion(second.controller, again.address)
            back = services.readd_all(second.controller)
            assert [service.address for service in back] == [s.address for s in made]
            assert current_onions(second.controller) == {s.address for s in made}


def test_an_address_collision_on_our_connection_recovers(tmp_path: Path) -> None:
    with running(own_tor(tmp_path / "tor")) as tor, listener() as port:
        first = add_onion(tor.controller, virtual_port=4001, target_port=port)
        # tor still has this key's service (as after a reply we never read): add it again
        again = add_onion(tor.controller, virtual_port=4002, target_port=port, key=first.key)
        assert again.address == first.address
        assert again.virtual_port == 4002
        assert current_onions(tor.controller) == {first.address}


def test_a_service_owned_by_another_connection_is_a_clear_error(tmp_path: Path) -> None:
    with running(own_tor(tmp_path / "tor")) as tor, listener() as port:
        other = control.connect(tor.control_port)
        try:
            theirs = add_onion(other, virtual_port=4001, target_port=port)
            with pytest.raises(OnionServiceError) as caught:
                add_onion(tor.controller, virtual_port=4001, target_port=port, key=theirs.key)
            print(caught.value.message)
            assert "another program's control connection" in caught.value.message
            assert theirs.key.blob not in caught.value.message
        finally:
            other.close()


def test_a_service_ends_with_the_control_connection_that_made_it(tmp_path: Path) -> None:
    with running(own_tor(tmp_path / "tor")) as tor, listener() as port:
        other = control.connect(tor.control_port)
        theirs = add_onion(other, virtual_port=4001, target_port=port)
        assert theirs.address in current_onions(other)
        other.close()
        # not detached: an existing tor never keeps announcing a Hearth that quit
        ours = add_onion(tor.controller, virtual_port=4001, target_port=port, key=theirs.key)
        assert ours.address == theirs.address


@pytest.mark.parametrize(
    ("address", "blob", "words"),
    [
        ("a" * 56, "not base64!", "not base64"),
        ("a" * 56, "AAAA", "wrong length"),
        ("A" * 56, "A" * 88, "not a v3 onion address"),
        ("a" * 55, "A" * 88, "not a v3 onion address"),
    ],
)
def test_a_damaged_stored_key_is_refused(address: str, blob: str, words: str) -> None:
    with pytest.raises(OnionServiceError, match=words):
        OnionKey(address=address, blob=blob)


def test_ports_are_checked_before_tor_is_asked(tmp_path: Path) -> None:
    with pytest.raises(OnionServiceError, match="virtual port"):
        add_onion(object(), virtual_port=0, target_port=80)
    with pytest.raises(OnionServiceError, match="target port"):
        add_onion(object(), virtual_port=80, target_port=70000)


def test_no_key_or_cookie_reaches_any_log(tmp_path: Path) -> None:
    # A handler on stem's own logger, as a person debugging might add: stem then traces
    # every command and reply (AUTHENTICATE, ADD_ONION with its key) unless kept quiet.
    records: list[str] = []
    handler = logging.Handler(level=1)
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("stem").addHandler(handler)
    try:
        with running(own_tor(tmp_path / "tor")) as tor, listener() as port:
            made = add_onion(tor.controller, virtual_port=4001, target_port=port)
            remove_onion(tor.controller, made.address)
            add_onion(tor.controller, virtual_port=4001, target_port=port, key=made.key)
            cookie = (tmp_path / "tor" / "control_auth_cookie").read_bytes().hex()
    finally:
        logging.getLogger("stem").removeHandler(handler)
    logged = "\n".join(records).lower()
    assert made.key.blob.lower() not in logged
    assert cookie not in logged
