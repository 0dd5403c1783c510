"""One profile, both network modes, real engines: a circle keeps the mode it was made
in. Made in direct mode, it sleeps in a Tor-mode run (listed with the reason, nothing
sent or dialled for it, an invite refused with that reason); a circle made over Tor gets
its own onion host and a code of onion addresses only; back in direct mode, the Tor
circle sleeps and the direct one is reachable again. A join host's identity given up is
erased; a stray identity of no membership is erased at the next start."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.errors import CommandError
from peerapp.core.events import EngineEvent, TorStatusChanged
from peerapp.core.invite_code import decode_invite
from peerapp.core.network_mode import ASLEEP_CIRCLE, DIRECT_RUN, NetworkMode, NetworkOptions
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.engine.engine import Engine
from peerapp.engine.thread import EngineThread
from peerapp.node.json_requests import request_json
from peerapp.storage.network_identity_store import NetworkIdentityStore
from peerapp.storage.profile import UnlockedProfile, create_profile, unlock_profile
from tests.tor.fixtures import TOR_GROUP

pytestmark = [pytest.mark.timeout(300), pytest.mark.xdist_group(TOR_GROUP)]

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
PASSPHRASE = "a passphrase for two modes"
WAIT = 30.0
TOR_READY_BOUND = 60.0


class TorEvents:
    def __init__(self) -> None:
        self.seen: list[TorStatusChanged] = []
        self._changed = threading.Condition()

    def __call__(self, event: EngineEvent) -> None:
        if isinstance(event, TorStatusChanged):
            with self._changed:
                self.seen.append(event)
                self._changed.notify_all()

    def wait_ready(self) -> None:
        with self._changed:
            ready = self._changed.wait_for(
                lambda: any(e.state == "ready" for e in self.seen), TOR_READY_BOUND
            )
        assert ready, f"tor not ready within {TOR_READY_BOUND} s: {self.seen[-3:]}"


@pytest.fixture
def run_engine(
    tmp_path: Path,
) -> Iterator[Callable[[NetworkOptions, TorEvents | None], EngineThread]]:
    create_profile(tmp_path / "profile", PASSPHRASE, TEST_KDF)
    running: list[EngineThread] = []

    def start(network: NetworkOptions, events: TorEvents | None = None) -> EngineThread:
        for thread in running:
            assert thread.stop(), "engine did not stop within 2 s"
        running.clear()
        profile: UnlockedProfile = unlock_profile(tmp_path / "profile", PASSPHRASE)
        thread = EngineThread(
            lambda emit: Engine(profile, LOOPBACK, emit, network=network),
            events or (lambda event: None),
        )
        thread.start().result(WAIT)
        running.append(thread)
        return thread

    yield start
    for thread in running:
        assert thread.stop(), "engine did not stop within 2 s"


def call(thread: EngineThread, command: str, **arguments: Any) -> dict[str, Any]:
    return request_json(thread, command, **arguments).result(WAIT)


def circles_by_name(thread: EngineThread) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in call(thread, "circles")["circles"]}


def test_a_circle_keeps_its_mode_and_sleeps_in_the_other(
    run_engine: Callable[[NetworkOptions, TorEvents | None], EngineThread],
    private_tor_config: Path,
    tmp_path: Path,
) -> None:
    tor_run = NetworkOptions(tor_config_file=str(private_tor_config))

    direct = run_engine(DIRECT_RUN, None)
    call(direct, "create_circle", name="Old")
    old = circles_by_name(direct)["Old"]
    assert (old["network"], old["asleep"]) == ("direct", "")

    events = TorEvents()
    tor = run_engine(tor_run, events)
    assert call(tor, "status")["mode"] == "tor"
    old = circles_by_name(tor)["Old"]
    assert old["network"] == "direct"
    assert old["asleep"] == ASLEEP_CIRCLE[NetworkMode.DIRECT]
    with pytest.raises(CommandError, match="made in direct mode"):
        call(tor, "invite", circle=old["id"])
    # nothing is opened for it: no host in Tor mode until a Tor circle exists
    assert call(tor, "status")["hosts"] == 0
    events.wait_ready()
    new = call(tor, "create_circle", name="New")["circle"]
    code = decode_invite(call(tor, "invite", circle=new)["code"])
    assert code.addrs and all(a.startswith("/onion3/") for a in code.addrs), code.addrs
    assert circles_by_name(tor)["New"]["network"] == "tor"
    assert circles_by_name(tor)["New"]["asleep"] == ""
    assert call(tor, "status")["hosts"] == 1

    direct = run_engine(DIRECT_RUN, None)
    by_name = circles_by_name(direct)
    assert by_name["Old"]["asleep"] == ""
    assert by_name["New"]["asleep"] == ASLEEP_CIRCLE[NetworkMode.TOR]
    with pytest.raises(CommandError, match="runs over Tor"):
        call(direct, "invite", circle=by_name["New"]["id"])
    call(direct, "invite", circle=by_name["Old"]["id"])


def test_identities_of_no_membership_are_erased_at_start(
    run_engine: Callable[[NetworkOptions, TorEvents | None], EngineThread],
    tmp_path: Path,
) -> None:
    run_engine(DIRECT_RUN, None)  # the profile's database exists and is migrated
    profile = unlock_profile(tmp_path / "profile", PASSPHRASE)
    database = profile.open_database()
    try:
        # what a founding interrupted by a crash, or a previewed invite, leaves behind
        NetworkIdentityStore(database).identity(b"\x01" * 16)
    finally:
        database.close()
    run_engine(DIRECT_RUN, None)
    database = unlock_profile(tmp_path / "profile", PASSPHRASE).open_database()
    try:
        assert NetworkIdentityStore(database).circles() == []
    finally:
        database.close()
