"""Keys that age out (issue 11): EXCHANGE_KEY replaces a member's receiving key, epochs
remember which key they sealed to, a stale epoch is its stale recipient's to repair, and
an unreadable epoch reported by its recipient is counted against its author."""

from __future__ import annotations

from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import CircleState, stale_recipients
from peerapp.crypto.epoch import EpochKeys, seal_secret
from tests.crypto.circle_fixtures import (
    Identity,
    LogBuilder,
    apply_verified,
    derive,
    epoch_secret,
    fold,
    founded_circle,
    identity,
    invite_seed,
    resolution,
)

BEE = identity("keys-bee")
CY = identity("keys-cy")
SEED = invite_seed("keys")
NEW_KEY = derive("keys-bee-new-exchange")


def circle_of_three() -> tuple[LogBuilder, Identity]:
    builder, ash = founded_circle("keys")
    builder.invite(ash, SEED, max_uses=2)
    builder.join(ash, BEE, SEED)
    builder.join(ash, CY, SEED)
    builder.rotate(ash, epoch_secret("keys-1"), [ash, BEE, CY])
    return builder, ash


def rotate_to_current(builder: LogBuilder, who: Identity, label: str) -> None:
    """A KEY_ROTATE by `who` sealed to each member's exchange key as the log holds it."""
    secret = epoch_secret(label)
    members = fold(builder)[0].members
    keys = {key: seal_secret(secret, member.exchange) for key, member in members.items()}
    builder.author(who, EventType.KEY_ROTATE, {"epoch": EpochKeys(secret).epoch_id, "keys": keys})


def accepted(builder: LogBuilder) -> CircleState:
    state, verdicts = fold(builder)
    assert [v.reason for v in verdicts if not v.accepted] == []
    return state


def last_reason(builder: LogBuilder) -> str:
    verdict = fold(builder)[1][-1]
    return "" if verdict.accepted else str(verdict.reason)


def test_a_new_exchange_key_replaces_the_members_key_and_later_epochs_seal_to_it() -> None:
    builder, ash = circle_of_three()
    before = accepted(builder)
    epoch = before.current_epoch
    assert epoch is not None and (BEE.key, BEE.exchange) in epoch.sealed_to
    builder.exchange_key(BEE, NEW_KEY)
    after = accepted(builder)
    assert after.members[BEE.key].exchange == NEW_KEY
    # every other member, role and rank unchanged
    assert {k: m.exchange for k, m in after.members.items() if k != BEE.key} == {
        k: m.exchange for k, m in before.members.items() if k != BEE.key
    }
    assert after.facilitators == before.facilitators
    builder.rotate(ash, epoch_secret("keys-2"), [ash, BEE, CY])
    current = accepted(builder).current_epoch
    assert current is not None and (BEE.key, NEW_KEY) in current.sealed_to


def test_the_same_key_again_is_refused() -> None:
    builder, _ = circle_of_three()
    builder.exchange_key(BEE, BEE.exchange)
    assert last_reason(builder) == "the exchange key did not change"


def test_a_former_member_cannot_announce_a_key() -> None:
    builder, _ = circle_of_three()
    builder.leave(BEE)
    builder.exchange_key(BEE, NEW_KEY)
    assert last_reason(builder) == "the author is not a member"


def test_a_stale_epoch_is_the_stale_recipients_to_repair() -> None:
    builder, _ = circle_of_three()
    assert accepted(builder).rekey_duty() is None
    builder.exchange_key(BEE, NEW_KEY)
    state = accepted(builder)
    assert state.current_epoch is not None
    assert stale_recipients(state, state.current_epoch) == [BEE.key]
    assert state.rekey_duty() == BEE.key
    # two stale recipients: the smallest key repairs
    builder.exchange_key(CY, derive("keys-cy-new-exchange"))
    assert accepted(builder).rekey_duty() == min(BEE.key, CY.key)
    # an epoch sealed to everyone's current key: duty done
    rotate_to_current(builder, BEE, "keys-3")
    assert accepted(builder).rekey_duty() is None


def test_an_unreadable_epoch_is_counted_against_its_author() -> None:
    builder, _ = circle_of_three()
    epoch = accepted(builder).current_epoch
    assert epoch is not None
    builder.exchange_key(BEE, NEW_KEY, unreadable=epoch.id)
    state = accepted(builder)
    assert state.unreadable_reports == {epoch.author: 1}
    assert state.rekey_duty() == BEE.key
    # a second report of the same epoch names a key it was never sealed to: not counted
    builder.exchange_key(BEE, derive("keys-bee-third"), unreadable=epoch.id)
    assert accepted(builder).unreadable_reports == {epoch.author: 1}
    # another recipient's report counts again
    builder.exchange_key(CY, derive("keys-cy-new"), unreadable=epoch.id)
    assert accepted(builder).unreadable_reports == {epoch.author: 2}


def test_an_epoch_that_never_sealed_to_the_reporter_is_refused() -> None:
    builder, _ = circle_of_three()
    builder.exchange_key(BEE, NEW_KEY, unreadable=bytes(16))
    assert last_reason(builder) == "no epoch with that id was sealed to the author"
    builder.events.pop()
    first = fold(builder)[0].epochs[0]  # the founder's own epoch, before Bee joined
    builder.exchange_key(BEE, NEW_KEY, unreadable=first.id)
    assert last_reason(builder) == "no epoch with that id was sealed to the author"


def test_reporting_ones_own_epoch_counts_nothing() -> None:
    builder, _ = circle_of_three()
    rotate_to_current(builder, BEE, "keys-own")
    state = fold(builder)[0]
    epoch = state.current_epoch
    assert epoch is not None and epoch.author == BEE.key
    builder.exchange_key(BEE, NEW_KEY, unreadable=epoch.id)
    assert accepted(builder).unreadable_reports == {}


def test_a_rotation_concurrent_with_a_key_change_is_no_ones_fault() -> None:
    """Bee replaces its key while Ash rotates to Bee's old key (same lamport: neither saw
    the other). Bee reports the epoch it cannot open; Bee repairs it, and Ash, who could
    not have known the new key, is not counted."""
    builder, ash = circle_of_three()
    secret = epoch_secret("keys-concurrent")
    keys = EpochKeys(secret)
    members = [ash, BEE, CY]
    body = {
        "epoch": keys.epoch_id,
        "keys": {m.key: seal_secret(secret, m.exchange) for m in members},
    }
    builder.concurrently(
        (BEE, EventType.EXCHANGE_KEY, {"exchange": NEW_KEY}),
        (ash, EventType.KEY_ROTATE, body),
    )
    epoch = accepted(builder).current_epoch
    assert epoch is not None and epoch.id == keys.epoch_id
    # whichever of the two sorts first, Bee's report of the rotation counts against no one
    builder.exchange_key(BEE, derive("keys-bee-after"), unreadable=keys.epoch_id)
    state = accepted(builder)
    assert state.unreadable_reports == {}
    assert state.rekey_duty() == BEE.key


def test_whole_log_resolution_agrees_with_folding() -> None:
    builder, _ = circle_of_three()
    epoch = accepted(builder).current_epoch
    assert epoch is not None
    builder.exchange_key(BEE, NEW_KEY, unreadable=epoch.id)
    folded = accepted(builder)
    resolved = resolution(builder.circle_id, reversed(builder.events)).state
    assert resolved.members == folded.members
    assert resolved.unreadable_reports == folded.unreadable_reports
    assert resolved.rekey_duty() == folded.rekey_duty() == BEE.key


def test_applying_never_changes_the_state_it_was_given() -> None:
    builder, _ = circle_of_three()
    state = accepted(builder)
    snapshot = (dict(state.members), dict(state.unreadable_reports))
    verdict = apply_verified(state, builder.exchange_key(BEE, NEW_KEY))
    assert verdict.accepted
    assert (dict(state.members), dict(state.unreadable_reports)) == snapshot
