"""Keys that age out (issue 11), with real engines on loopback: a member's receiving key
is replaced weekly (the engines' shared fake clock moved forward, not slept), the replaced
private key is gone from its database after the grace period, a seized device holds no
key that opens an earlier epoch, and a rotation sealing garbage to one victim is repaired
by the victim, who then reads new messages on the fast path again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nacl.public
import nacl.utils
import pytest

from peerapp.core.circle_events import EventType, event_id
from peerapp.crypto import envelope
from peerapp.crypto.epoch import new_epoch, open_sealed_secret, seal_secret
from peerapp.engine import moderation, receiving_keys
from peerapp.engine.circle_runtime import decoded
from peerapp.engine.circle_service import CircleService
from peerapp.engine.clock import FakeClock
from peerapp.network.pubsub import PubsubMessage
from peerapp.storage.circle_store import CircleStore
from peerapp.storage.profile import unlock_profile
from tests.binding import bound
from tests.engine.test_engine_moderation import PASSPHRASE, Member, _circle, _ids, _until

WEEK = 7 * 24 * 3600


@pytest.fixture
def fast_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Epoch secrets retired 0.5 s after a rotation, repairs at most one a second: the
    rules as shipped, on a test's time scale. Keys are checked only when a test says so
    (`_move_clock`): with the clock a week on, a periodic check would rotate everyone's."""
    monkeypatch.setattr(moderation, "EPOCH_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(receiving_keys, "CHECK_SECONDS", 24 * 3600)
    monkeypatch.setattr(receiving_keys, "REPAIR_MIN_SECONDS", 1)
    monkeypatch.setattr(receiving_keys, "OMITTED_WAIT_SECONDS", 0.5)


@pytest.fixture
def trio_of_members(
    tmp_path: Path, fast_grace: None
) -> Iterator[tuple[Member, Member, Member, str]]:
    clock = FakeClock()  # one for the three: their events' timestamps agree
    members = [Member(tmp_path, name, clock) for name in ("Ash", "Bee", "Cy")]
    try:
        ash, bee, cy = members
        yield ash, bee, cy, _circle(members)
    finally:
        for member in members:
            member.thread.stop()


def _exchange_of(member: Member, circle: str, whose: bytes) -> bytes:
    async def work(service: CircleService) -> bytes:
        return service.runtimes.require(circle).state.members[whose].exchange

    return member.inside(work)


def _current_epoch(member: Member, circle: str) -> tuple[bytes, bytes, bool]:
    """(current epoch id, its author, whether this member holds its secret)."""

    async def work(service: CircleService) -> tuple[bytes, bytes, bool]:
        runtime = service.runtimes.require(circle)
        epoch = runtime.state.current_epoch
        assert epoch is not None
        return epoch.id, epoch.author, epoch.id in runtime.epochs

    return member.inside(work)


def _move_clock(member: Member, seconds: float) -> None:
    """Move the members' clock forward and let this member check its keys (what its
    periodic check does every minute)."""
    assert isinstance(member.clock, FakeClock)
    member.clock.advance(seconds)

    async def work(service: CircleService) -> None:
        await service.keys.check_all()

    member.inside(work)


def _retired_in_database(member: Member, circle: str) -> list[bytes]:
    async def work(service: CircleService) -> list[bytes]:
        return service.keys._store.retired(bytes.fromhex(circle))

    return member.inside(work)


def test_a_weekly_rotation_replaces_the_key_and_forgets_the_old_one_after_grace(
    trio_of_members: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, _, circle = trio_of_members
    ids = _ids(ash, circle)
    old = _exchange_of(ash, circle, ids["Bee"])
    _move_clock(bee, WEEK - 3600)
    assert _exchange_of(bee, circle, ids["Bee"]) == old, "a key younger than a week stays"
    _move_clock(bee, 3600)
    new = _exchange_of(bee, circle, ids["Bee"])
    assert new != old
    # every member learns the new key, and Bee's new epoch is sealed to it
    for member in (ash, bee):
        _until(bound(member, lambda m: _exchange_of(m, circle, ids["Bee"]) == new), "the new key")
        _until(
            bound(member, lambda m: _current_epoch(m, circle)[1:] == (ids["Bee"], True)), "epoch"
        )
    # the replaced private key is kept for the grace period, then deleted
    (retired,) = _retired_in_database(bee, circle)
    assert bytes(nacl.public.PrivateKey(retired).public_key) == old
    _move_clock(bee, receiving_keys.RETIRED_GRACE_SECONDS - 60)
    assert len(_retired_in_database(bee, circle)) == 1
    _move_clock(bee, 120)
    assert _retired_in_database(bee, circle) == []
    # and Bee still reads what is sent
    sent = ash.call("send", circle=circle, text="after the new key")["message"]
    _until(
        lambda: sent in {m["id"] for m in bee.call("history", circle=circle)["messages"]},
        "Bee reads it",
    )

    # a key stored but never announced (the app stopped in between) is announced and
    # used at the next check
    async def store_a_key_only(service: CircleService) -> bytes:
        return service.keys.fresh_key(service.runtimes.require(circle))

    unannounced = bee.inside(store_a_key_only)
    assert _exchange_of(ash, circle, ids["Bee"]) == new
    _move_clock(bee, 1)
    for member in (ash, bee):
        _until(bound(member, lambda m: _exchange_of(m, circle, ids["Bee"]) != new), "announced")
    announced = _exchange_of(ash, circle, ids["Bee"])
    assert announced != unannounced  # a rotation starts with a fresh key of its own
    _until(lambda: _current_epoch(ash, circle)[1:] == (ids["Bee"], True), "Bee's epoch")


def test_a_seized_device_holds_no_key_that_opens_an_earlier_epoch(
    trio_of_members: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, _, circle = trio_of_members
    ids = _ids(ash, circle)
    for week in range(2):
        ash.call("send", circle=circle, text=f"before rotation {week}")
        _move_clock(bee, WEEK)
        _until(lambda: _current_epoch(ash, circle)[1] == ids["Bee"], "Bee's epoch")
    current = _current_epoch(bee, circle)[0]
    _move_clock(bee, receiving_keys.RETIRED_GRACE_SECONDS + 1)

    async def epochs_held(service: CircleService) -> set[bytes]:
        return set(service.runtimes.require(circle).epochs)

    _until(lambda: bee.inside(epochs_held) == {current}, "older epoch secrets retired")
    assert bee.thread.stop()
    # the seizure: everything the database holds, opened with the passphrase
    database = unlock_profile(bee.folder, PASSPHRASE).open_database()
    try:
        circle_id = bytes.fromhex(circle)
        private = [bytes(r[0]) for r in database.query("SELECT exchange_secret FROM circles")]
        private += [bytes(r[0]) for r in database.query("SELECT secret FROM retired_exchange_keys")]
        private += [
            bytes(r[0]) for r in database.query("SELECT exchange_secret FROM joins_waiting")
        ]
        secrets = CircleStore(database).epoch_secrets(circle_id)
        rotations = [
            decoded(stored)
            for stored in CircleStore(database).control_events_in_order(circle_id)
            if stored.type is EventType.KEY_ROTATE
        ]
    finally:
        database.close()
    assert len(rotations) >= 5  # the founder's, two admissions, Bee's two
    assert set(secrets) == {current}
    opened = []
    for rotation in rotations:
        sealed = rotation.body["keys"].get(ids["Bee"])
        if sealed is not None and any(open_sealed_secret(sealed, k) for k in private):
            opened.append(rotation.body["epoch"])
    assert opened == [current], "only the current epoch opens with what the device holds"


def _forge_garbage_rotation(cy: Member, circle: str, victim: bytes, wrong_secret: bool) -> bytes:
    """Cy's modified app: a KEY_ROTATE with the real secret for everyone but the victim,
    who gets random bytes, or a well-sealed box holding some other secret."""

    async def work(service: CircleService) -> bytes:
        runtime = service.runtimes.require(circle)
        keys = new_epoch()
        sealed = {}
        for key, member in runtime.state.members.items():
            if key != victim:
                sealed[key] = seal_secret(keys.secret, member.exchange)
            elif wrong_secret:
                sealed[key] = seal_secret(new_epoch().secret, member.exchange)
            else:
                sealed[key] = nacl.utils.random(80)
        previous = runtime.current_keys()
        service.store.add_epoch(runtime.circle_id, keys.epoch_id, keys.secret)
        runtime.add_epoch_secret(keys.secret)
        forged = service.log.author(
            runtime, EventType.KEY_ROTATE, {"epoch": keys.epoch_id, "keys": sealed}
        )
        assert service.log.store(runtime, [forged])
        await service.log.publish(runtime, [forged], previous).wait()
        return keys.epoch_id

    return cy.inside(work)


def _spy_on_the_fast_path(member: Member) -> list[bytes]:
    """Ids of the events the member's app receives over GossipSub and can open (the
    app's own receive path runs unchanged after the spy looked)."""
    arrived: list[bytes] = []

    async def work(service: CircleService) -> None:
        def spy(message: PubsubMessage) -> None:
            known = service.topics.get(message.topic)
            if known is not None:
                circle_id, keys = known
                try:
                    epoch, nonce, ciphertext = envelope.peek_epoch(message.data)
                    signed = envelope.open_with(
                        [keys.message_key, keys.control_key], circle_id, epoch, nonce, ciphertext
                    )
                    arrived.append(event_id(signed))
                except envelope.EnvelopeError:
                    pass

        service.ingest.watch(spy)

    member.inside(work)
    return arrived


def _reports(member: Member, circle: str) -> dict[bytes, int]:
    async def work(service: CircleService) -> dict[bytes, int]:
        return dict(service.runtimes.require(circle).state.unreadable_reports)

    return member.inside(work)


@pytest.mark.parametrize("wrong_secret", [False, True], ids=["random-bytes", "another-secret"])
def test_a_garbage_rotation_sealed_to_one_victim_is_repaired(
    trio_of_members: tuple[Member, Member, Member, str], wrong_secret: bool
) -> None:
    ash, bee, cy, circle = trio_of_members
    ids = _ids(ash, circle)
    fast = _spy_on_the_fast_path(bee)
    for attempt in (1, 2):
        garbage = _forge_garbage_rotation(cy, circle, ids["Bee"], wrong_secret)
        # Bee starts an epoch of its own at once; every replica counts the report
        for member in (ash, bee, cy):
            _until(
                bound(
                    (member, attempt), lambda m_n: _reports(m_n[0], circle) == {ids["Cy"]: m_n[1]}
                ),
                "counted",
            )
        for member in (ash, bee, cy):
            _until(
                bound(member, lambda m: _current_epoch(m, circle)[1:] == (ids["Bee"], True)),
                "everyone on Bee's repaired epoch",
            )
        assert _current_epoch(bee, circle)[0] != garbage
    # Bee reads what Ash and Cy send next on the fast path
    for sender in (ash, cy):
        sent = bytes.fromhex(sender.call("send", circle=circle, text="hello Bee")["message"])
        _until(bound(sent, lambda s: s in fast), "delivered to Bee over GossipSub")
    epochs = {_current_epoch(m, circle)[0] for m in (ash, bee, cy)}
    assert len(epochs) == 1


def test_a_member_left_out_of_a_rotation_starts_its_own(
    trio_of_members: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, cy, circle = trio_of_members
    ids = _ids(ash, circle)

    async def leave_bee_out(service: CircleService) -> bytes:
        runtime = service.runtimes.require(circle)
        keys = new_epoch()
        sealed = {
            key: seal_secret(keys.secret, member.exchange)
            for key, member in runtime.state.members.items()
            if key != ids["Bee"]
        }
        previous = runtime.current_keys()
        service.store.add_epoch(runtime.circle_id, keys.epoch_id, keys.secret)
        runtime.add_epoch_secret(keys.secret)
        forged = service.log.author(
            runtime, EventType.KEY_ROTATE, {"epoch": keys.epoch_id, "keys": sealed}
        )
        assert service.log.store(runtime, [forged])
        await service.log.publish(runtime, [forged], previous).wait()
        return keys.epoch_id

    # Cy's rotation leaves Bee out; the duty to repair is Cy's, and Cy will not
    forged = cy.inside(leave_bee_out)

    async def epoch_ids(service: CircleService) -> list[bytes]:
        return [epoch.id for epoch in service.runtimes.require(circle).state.epochs]

    for member in (ash, bee):
        _until(bound(member, lambda m: forged in m.inside(epoch_ids)), "Cy's rotation arrives")
    assert cy.thread.stop()  # and Cy, the duty holder, never repairs it
    for member in (ash, bee):
        _until(
            bound(member, lambda m: _current_epoch(m, circle)[1:] == (ids["Bee"], True)),
            "Bee's own epoch, after waiting for the duty holder",
        )
    assert _reports(ash, circle) == {}  # a left-out member reports nothing
    sent = ash.call("send", circle=circle, text="you are back")["message"]
    _until(
        lambda: sent in {m["id"] for m in bee.call("history", circle=circle)["messages"]},
        "Bee reads it",
    )


def test_every_member_keeps_only_the_current_epoch_secret_after_the_grace(
    trio_of_members: tuple[Member, Member, Member, str],
) -> None:
    """The admitter too: each admission rotated the epoch, and the secrets before it go."""
    ash, bee, cy, circle = trio_of_members

    async def held(service: CircleService) -> tuple[set[bytes], set[bytes]]:
        runtime = service.runtimes.require(circle)
        epoch = runtime.state.current_epoch
        assert epoch is not None
        stored = set(service.store.epoch_secrets(runtime.circle_id))
        return set(runtime.epochs) | stored, {epoch.id}

    for member in (ash, bee, cy):
        _until(
            bound(member, lambda m: len(set.union(*m.inside(held))) == 1), f"{member.name} retires"
        )


def test_an_epoch_never_opened_on_arrival_is_opened_from_the_log_not_reported(
    trio_of_members: tuple[Member, Member, Member, str],
) -> None:
    """An epoch whose rotation was accepted only by a later whole-log resolution was
    never opened on arrival: the repair opens it from the stored log instead of
    reporting its honest author."""
    ash, bee, _, circle = trio_of_members
    current = _current_epoch(bee, circle)[0]

    async def forget_and_repair(service: CircleService) -> None:
        runtime = service.runtimes.require(circle)
        del runtime.epochs[current]
        service.store.retire_epochs(runtime.circle_id, keep=())
        await service.keys.repair_epoch(runtime)

    bee.inside(forget_and_repair)
    assert _current_epoch(bee, circle) == (current, _current_epoch(ash, circle)[1], True)
    assert _reports(bee, circle) == {}
