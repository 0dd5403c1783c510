"""Resolution: who may do what, folded over real signed events in log order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import (
    ACCEPTANCE,
    CircleState,
    Epoch,
    Invite,
    Role,
    Verdict,
    apply,
)
from peerapp.crypto.epoch import EpochKeys
from peerapp.crypto.invite_keys import invite_public_key
from peerapp.crypto.join_facts import join_facts
from tests.crypto.circle_fixtures import (
    HOUR_MS,
    NOW_MS,
    Identity,
    LogBuilder,
    apply_verified,
    circle_id_for,
    epoch_secret,
    fold,
    founded_circle,
    identity,
    invite_seed,
    join_request,
    join_request_body,
    resolve,
)

JOINER = identity("joiner")
SECOND = identity("second")
STRANGER = identity("stranger")
SEED = invite_seed("state")


def last_verdict(builder: LogBuilder) -> Verdict:
    return fold(builder)[1][-1]


def state_before_last(builder: LogBuilder) -> CircleState:
    return fold(LogBuilder(builder.circle_id, events=builder.events[:-1]))[0]


def assert_refused(builder: LogBuilder, reason: str) -> None:
    verdict = last_verdict(builder)
    assert not verdict.accepted
    assert reason in str(verdict.reason)
    # and a refused event changes nothing
    assert verdict.state == state_before_last(builder)


def assert_all_accepted(builder: LogBuilder) -> CircleState:
    state, verdicts = fold(builder)
    assert [v.reason for v in verdicts if not v.accepted] == []
    return state


def with_invite(max_uses: int = 1, expires: int = NOW_MS + HOUR_MS) -> tuple[LogBuilder, Identity]:
    builder, founder = founded_circle("state")
    builder.invite(founder, SEED, max_uses=max_uses, expires=expires)
    return builder, founder


def test_acceptance_table_covers_every_type() -> None:
    assert set(ACCEPTANCE) == set(EventType)
    assert [k for k, (needs_member, _) in ACCEPTANCE.items() if not needs_member] == [
        EventType.GENESIS,
        EventType.JOIN_REQUEST,
    ]


# -- genesis ------------------------------------------------------------------------------


def test_genesis_makes_the_founder() -> None:
    builder, founder = founded_circle("state")
    state = assert_all_accepted(builder)
    assert state.founded
    assert state.name == "Tuesday circle"
    assert state.guidelines.startswith("Listen first")
    assert list(state.members) == [founder.key]
    member = state.members[founder.key]
    assert member.role is Role.FOUNDER
    assert (member.name, member.exchange, member.peer) == (
        founder.name,
        founder.exchange,
        founder.peer,
    )
    assert member.addrs == tuple(founder.addrs)
    assert member.since_lamport == 0
    assert state.last_seq == {founder.key: 1}
    assert state.current_epoch == Epoch(
        EpochKeys(epoch_secret("state-0")).epoch_id, founder.key, 1, frozenset({founder.key})
    )


def test_second_genesis_is_refused() -> None:
    builder, _ = founded_circle("state")
    builder.genesis(STRANGER, bound=False)
    assert_refused(builder, "a second genesis")


def test_a_genesis_the_circle_id_does_not_commit_to_is_refused() -> None:
    builder = LogBuilder(circle_id_for("state"))
    builder.genesis(identity("founder"), bound=False)
    assert_refused(builder, "a genesis the circle id does not commit to")
    assert not last_verdict(builder).state.founded


def test_a_ground_genesis_that_sorts_first_cannot_take_the_circle_over() -> None:
    """An attacker signs GENESIS events until one's id sorts before the real one's: it is
    refused wherever it sorts, and the real founder's circle stands."""
    builder, founder = founded_circle("state")
    builder.message(founder, "our history")
    real = builder.events[0]
    attacker = identity("attacker")
    forged = None
    for ts in range(NOW_MS, NOW_MS + 5000):  # bounded grinding
        candidate = LogBuilder(builder.circle_id).genesis(attacker, bound=False, ts=ts)
        if candidate.id < real.id:
            forged = candidate
            break
    assert forged is not None
    state, refused = resolve(builder.circle_id, [forged, *builder.events])
    assert refused == {forged.id}
    assert state.founder == founder.key and state.name == real.event.body["name"]


def test_first_genesis_with_a_nonzero_seq_is_refused() -> None:
    builder = LogBuilder(circle_id_for("state"))
    builder.genesis(identity("founder"), seq=1)
    assert_refused(builder, "a second genesis")
    assert not last_verdict(builder).state.founded


@pytest.mark.parametrize(
    "kind", [t for t in EventType if t is not EventType.GENESIS], ids=lambda t: t.value
)
def test_events_before_genesis_are_refused(kind: EventType) -> None:
    founder = identity("founder-state")
    builder = LogBuilder(circle_id_for("state"))
    bodies: dict[EventType, dict[str, Any]] = {
        EventType.MESSAGE: {"text": "too early"},
        EventType.INVITE_CREATE: {
            "invite": invite_public_key(SEED),
            "max_uses": 1,
            "expires": NOW_MS + HOUR_MS,
        },
        EventType.JOIN_REQUEST: join_request_body(builder.circle_id, founder, SEED, bytes(32)),
        EventType.ADD_MEMBER: {"request": join_request(builder.circle_id, JOINER, SEED).signed},
        EventType.KEY_ROTATE: {"epoch": bytes(16), "keys": {founder.key: bytes(80)}},
        EventType.LEAVE: {},
        EventType.PROMOTE: {"member": JOINER.key},
        EventType.DEMOTE: {"member": JOINER.key},
        EventType.TRANSFER_FOUNDER: {"member": JOINER.key},
        EventType.REMOVE: {"member": JOINER.key},
        EventType.BAN: {"member": JOINER.key},
        EventType.MUTE: {"member": JOINER.key, "until": NOW_MS + HOUR_MS},
        EventType.SETTINGS: {
            "slow_mode_seconds": 0,
            "join_approval": False,
            "guidelines": "",
            "harm_flags_to_hide": 3,
            "members_invite": False,
            "flag_after_hours": 24,
        },
        EventType.INVITE_REVOKE: {"invite": invite_public_key(SEED)},
        EventType.DELETE: {"message": bytes(32), "author": founder.key},
        EventType.HARM_FLAG: {"message": bytes(32), "author": JOINER.key},
        EventType.RESTORE: {"message": bytes(32), "author": JOINER.key},
        EventType.STATUS: {"on_break": True},
        EventType.EXCHANGE_KEY: {"exchange": bytes(32)},
        EventType.EDIT: {"message": bytes(32), "text": "fixed"},
        EventType.REACTION: {
            "message": bytes(32),
            "author": founder.key,
            "reaction": "hug",
            "on": True,
        },
    }
    builder.author(founder, kind, bodies[kind], seq=0)
    assert_refused(builder, "before genesis")


def test_another_circles_event_is_refused() -> None:
    builder, _ = founded_circle("state")
    elsewhere, other_founder = founded_circle("elsewhere")
    msg = elsewhere.message(other_founder)
    state, _ = fold(builder)
    verdict = apply_verified(state, msg)
    assert not verdict.accepted and "another circle" in str(verdict.reason)
    # even a genesis, even into an empty state
    verdict = apply_verified(CircleState(builder.circle_id), elsewhere.events[0])
    assert not verdict.accepted and "another circle" in str(verdict.reason)


# -- membership ---------------------------------------------------------------------------


def test_messages_by_members_are_accepted_and_by_others_refused() -> None:
    builder, founder = founded_circle("state")
    builder.message(founder)
    assert_all_accepted(builder)
    builder.message(STRANGER)
    assert_refused(builder, "not a member")


def test_standalone_join_request_is_refused() -> None:
    builder, _ = with_invite()
    request = join_request(builder.circle_id, JOINER, SEED)
    state, _ = fold(builder)
    verdict = apply_verified(state, request)
    assert not verdict.accepted
    assert "inside ADD_MEMBER" in str(verdict.reason)


def test_invite_then_admission_with_real_join_facts() -> None:
    builder, founder = with_invite(max_uses=1)
    request = join_request(builder.circle_id, JOINER, SEED)
    added = builder.admit(founder, request)
    facts = join_facts(added.event)
    assert facts is not None and facts.signature_ok and facts.proof_ok
    state = assert_all_accepted(builder)
    assert set(state.members) == {builder.events[0].event.author, JOINER.key}
    member = state.members[JOINER.key]
    assert member.role is Role.MEMBER
    assert (member.name, member.exchange, member.peer, member.addrs) == (
        JOINER.name,
        JOINER.exchange,
        JOINER.peer,
        tuple(JOINER.addrs),
    )
    assert member.since_lamport == added.event.lamport
    assert state.invites[invite_public_key(SEED)] == Invite(
        invite_public_key(SEED), 1, NOW_MS + HOUR_MS, uses=1
    )
    # the newcomer may now speak, and rotate keys for everyone
    builder.message(JOINER, "hello all")
    builder.rotate(JOINER, epoch_secret("state-1"), [JOINER, identity("founder-state")])
    state = assert_all_accepted(builder)
    assert state.current_epoch is not None and state.current_epoch.author == JOINER.key


def test_invite_created_twice_is_refused() -> None:
    builder, founder = with_invite()
    builder.invite(founder, SEED, max_uses=5)
    assert_refused(builder, "invite created twice")


def test_invite_by_a_non_member_is_refused() -> None:
    builder, _ = founded_circle("state")
    builder.invite(STRANGER, SEED)
    assert_refused(builder, "not a member")


def test_admission_of_an_unknown_invite_is_refused() -> None:
    builder, founder = with_invite()
    builder.join(founder, JOINER, invite_seed("never created"))
    assert_refused(builder, "unknown invite")


def test_used_up_invite_refuses_the_second_joiner() -> None:
    builder, founder = with_invite(max_uses=1)
    builder.join(founder, JOINER, SEED)
    builder.join(founder, SECOND, SEED)
    assert_refused(builder, "invite used up")


def test_a_plain_member_neither_invites_nor_admits_by_default() -> None:
    builder, founder = with_invite(max_uses=2)
    builder.join(founder, JOINER, SEED)
    builder.invite(JOINER, invite_seed("puppets"))
    assert_refused(builder, "only facilitators can invite in this circle")
    builder.events.pop()
    builder.join(JOINER, SECOND, SEED)
    assert_refused(builder, "only facilitators can invite in this circle")


def test_invite_with_two_uses_admits_two() -> None:
    builder, founder = with_invite(max_uses=2)
    builder.settings(founder, members_invite=True)
    builder.join(founder, JOINER, SEED)
    builder.join(JOINER, SECOND, SEED)  # a newcomer may admit too, when members may invite
    state = assert_all_accepted(builder)
    assert {JOINER.key, SECOND.key} <= set(state.members)
    assert state.invites[invite_public_key(SEED)].uses == 2
    builder.join(founder, identity("third"), SEED)
    assert_refused(builder, "invite used up")


@pytest.mark.parametrize(
    ("ts_offset", "accepted"),
    [(-HOUR_MS, True), (-1, True), (0, False), (1, False)],
    ids=["well before", "last millisecond", "at expiry", "after"],
)
def test_invite_expiry_is_judged_by_the_admission_time(ts_offset: int, accepted: bool) -> None:
    expires = NOW_MS + HOUR_MS
    builder, founder = with_invite(expires=expires)
    builder.join(founder, JOINER, SEED, ts=expires + ts_offset)
    verdict = last_verdict(builder)
    assert verdict.accepted is accepted
    if not accepted:
        assert "invite expired" in str(verdict.reason)


def test_bad_proof_is_refused() -> None:
    builder, founder = with_invite()
    body = join_request_body(builder.circle_id, JOINER, invite_seed("guessed"), bytes(32))
    body["invite"] = invite_public_key(SEED)
    builder.admit(founder, join_request(builder.circle_id, JOINER, SEED, body=body))
    assert_refused(builder, "without a valid signature and invite proof")


def test_proof_made_for_another_circle_is_refused() -> None:
    builder, founder = with_invite()
    body = join_request_body(circle_id_for("elsewhere"), JOINER, SEED, bytes(32))
    builder.admit(founder, join_request(builder.circle_id, JOINER, SEED, body=body))
    assert_refused(builder, "without a valid signature and invite proof")


def test_request_with_a_broken_signature_is_refused() -> None:
    builder, founder = with_invite()
    signed = join_request(builder.circle_id, JOINER, SEED).signed
    builder.admit(founder, signed[:-1] + bytes([signed[-1] ^ 1]))
    assert_refused(builder, "without a valid signature and invite proof")


@pytest.mark.parametrize(
    "facts",
    [
        None,
        "signature not ok",
        "proof not ok",
    ],
)
def test_admission_needs_both_checks(facts: str | None) -> None:
    builder, founder = with_invite()
    added = builder.join(founder, JOINER, SEED)
    real = join_facts(added.event)
    assert real is not None
    given = {
        None: None,
        "signature not ok": replace(real, signature_ok=False),
        "proof not ok": replace(real, proof_ok=False),
    }[facts]
    verdict = apply(state_before_last(builder), added.event, given)
    assert not verdict.accepted
    assert apply(state_before_last(builder), added.event, real).accepted


def test_already_a_member_is_refused() -> None:
    builder, founder = with_invite(max_uses=3)
    builder.join(founder, JOINER, SEED)
    builder.join(founder, JOINER, SEED)
    assert_refused(builder, "already a member")


def test_founder_joining_its_own_circle_is_refused() -> None:
    builder, founder = with_invite(max_uses=3)
    builder.join(founder, founder, SEED)
    assert_refused(builder, "already a member")


def test_admission_by_a_non_member_is_refused() -> None:
    builder, _ = with_invite()
    builder.join(STRANGER, JOINER, SEED)
    assert_refused(builder, "not a member")


def test_refused_admission_does_not_use_the_invite() -> None:
    builder, founder = with_invite(max_uses=1)
    body = join_request_body(builder.circle_id, STRANGER, invite_seed("guessed"), bytes(32))
    body["invite"] = invite_public_key(SEED)
    builder.admit(founder, join_request(builder.circle_id, STRANGER, SEED, body=body))
    builder.join(founder, JOINER, SEED)
    state, verdicts = fold(builder)
    assert [v.accepted for v in verdicts[-2:]] == [False, True]
    assert JOINER.key in state.members and STRANGER.key not in state.members


# -- keys ---------------------------------------------------------------------------------


def test_key_rotate_sealed_to_a_non_member_is_refused() -> None:
    builder, founder = founded_circle("state")
    builder.rotate(founder, epoch_secret("state-x"), [founder, STRANGER])
    assert_refused(builder, "keys sealed to non-members")


def test_key_rotate_by_a_non_member_is_refused() -> None:
    builder, founder = founded_circle("state")
    builder.rotate(STRANGER, epoch_secret("state-x"), [founder])
    assert_refused(builder, "not a member")


def test_epoch_reuse_is_refused() -> None:
    builder, founder = with_invite()
    builder.join(founder, JOINER, SEED)
    builder.rotate(JOINER, epoch_secret("state-0"), [founder, JOINER])  # the founder's epoch
    assert_refused(builder, "epoch reused")


def test_rotation_to_a_subset_is_accepted_and_recorded() -> None:
    builder, founder = with_invite()
    builder.join(founder, JOINER, SEED)
    rotated = builder.rotate(JOINER, epoch_secret("state-1"), [JOINER])
    state = assert_all_accepted(builder)
    assert state.epochs[-1] == Epoch(
        EpochKeys(epoch_secret("state-1")).epoch_id,
        JOINER.key,
        rotated.event.lamport,
        frozenset({JOINER.key}),
    )
    assert len(state.epochs) == 2


# -- leaving ------------------------------------------------------------------------------


def test_leave_removes_the_author_only() -> None:
    builder, founder = with_invite()
    builder.join(founder, JOINER, SEED)
    builder.leave(JOINER)
    state = assert_all_accepted(builder)
    assert list(state.members) == [founder.key]
    builder.message(JOINER, "still here?")
    assert_refused(builder, "not a member")


def test_leave_by_a_non_member_is_refused() -> None:
    builder, _ = founded_circle("state")
    builder.leave(STRANGER)
    assert_refused(builder, "not a member")


def test_founder_may_leave() -> None:
    builder, founder = with_invite()
    builder.join(founder, JOINER, SEED)
    builder.leave(founder)
    state = assert_all_accepted(builder)
    assert list(state.members) == [JOINER.key]


# -- equivocation and replay ----------------------------------------------------------------


def test_repeated_seq_with_different_content_keeps_both_as_evidence() -> None:
    builder, founder = founded_circle("state")
    first = builder.message(founder, "one")
    builder.message(founder, "two", seq=first.event.seq)
    state = assert_all_accepted(builder)
    assert state.equivocators == {founder.key}


def test_an_equivocation_that_sorts_first_replaces_nothing() -> None:
    """The second version sorting before the original (a lower lamport) leaves both."""
    builder, founder = founded_circle("state")
    start = list(builder.heads)
    original = builder.message(founder, "the abusive original")
    rewrite = builder.message(
        founder, "harmless", seq=original.event.seq, prev=start, lamport=original.event.lamport
    )
    state, refused = resolve(builder.circle_id, [rewrite, *builder.events])
    assert refused == frozenset()
    assert state.equivocators == {founder.key}
    assert {original.id, rewrite.id} <= {v.id for v in builder.events}


def test_lower_seq_marks_an_equivocator() -> None:
    builder, founder = founded_circle("state")
    builder.message(founder, "one")
    builder.message(founder, "two")
    builder.message(founder, "old number", seq=1)
    assert assert_all_accepted(builder).equivocators == {founder.key}


def test_seq_may_skip_ahead() -> None:
    builder, founder = founded_circle("state")
    builder.message(founder, seq=10)
    builder.message(founder, seq=11)
    state = assert_all_accepted(builder)
    assert state.last_seq[founder.key] == 11


def test_refused_event_does_not_advance_the_seq() -> None:
    builder, founder = founded_circle("state")
    builder.rotate(founder, epoch_secret("state-x"), [founder, STRANGER], seq=5)  # refused
    builder.message(founder, seq=3)
    state, verdicts = fold(builder)
    assert [v.accepted for v in verdicts[-2:]] == [False, True]
    assert state.last_seq[founder.key] == 3


def test_the_same_event_twice_is_one_event() -> None:
    """A replay is the same event id: the log holds it once, and nobody equivocated."""
    builder, founder = founded_circle("state")
    msg = builder.message(founder)
    state, refused = resolve(builder.circle_id, [*builder.events, msg])
    assert refused == frozenset()
    assert state.equivocators == frozenset()


# -- rekey duty ---------------------------------------------------------------------------


def test_no_duty_when_the_epoch_fits() -> None:
    builder, _ = founded_circle("state")
    assert fold(builder)[0].rekey_duty() is None


def test_no_duty_without_members() -> None:
    assert CircleState(circle_id_for("state")).rekey_duty() is None


def test_founder_owes_the_first_epoch() -> None:
    founder = identity("founder-state")
    builder = LogBuilder(circle_id_for("state"))
    builder.genesis(founder)
    assert fold(builder)[0].rekey_duty() == founder.key


def test_epoch_author_owes_a_rotation_after_a_join() -> None:
    builder, founder = with_invite(max_uses=2)
    builder.join(founder, JOINER, SEED)
    builder.rotate(JOINER, epoch_secret("state-1"), [founder, JOINER])
    builder.join(founder, SECOND, SEED)  # admitted, no rotation yet
    state = assert_all_accepted(builder)
    assert state.current_epoch is not None and state.current_epoch.author == JOINER.key
    assert state.rekey_duty() == JOINER.key


def test_smallest_key_owes_the_rotation_when_the_epoch_author_left() -> None:
    builder, founder = with_invite(max_uses=2)
    builder.join(founder, JOINER, SEED)
    builder.join(founder, SECOND, SEED)
    builder.rotate(JOINER, epoch_secret("state-1"), [founder, JOINER, SECOND])
    assert fold(builder)[0].rekey_duty() is None
    builder.leave(JOINER)
    state = assert_all_accepted(builder)
    duty = state.rekey_duty()
    assert duty == min(founder.key, SECOND.key)
    # the responsible member repairs the epoch, and the duty is done
    repairer = founder if duty == founder.key else SECOND
    builder.rotate(repairer, epoch_secret("state-2"), [founder, SECOND])
    assert assert_all_accepted(builder).rekey_duty() is None


# -- purity -------------------------------------------------------------------------------


def test_apply_never_changes_an_earlier_state() -> None:
    builder, founder = with_invite(max_uses=2)
    snapshots: list[tuple[CircleState, str]] = []
    state = CircleState(builder.circle_id)
    builder.join(founder, JOINER, SEED)
    builder.message(JOINER)
    builder.rotate(founder, epoch_secret("state-1"), [founder, JOINER])
    builder.leave(JOINER)
    for verified in builder.events:
        snapshots.append((state, repr(state)))
        verdict = apply_verified(state, verified)
        assert verdict.accepted, verdict.reason
        state = verdict.state
    for snapshot, text in snapshots:
        assert repr(snapshot) == text


def test_resolution_helper_matches_a_fold() -> None:
    builder, founder = with_invite(max_uses=2)
    builder.join(founder, JOINER, SEED)
    builder.message(STRANGER)
    state, refused = resolve(builder.circle_id, builder.events)
    folded, verdicts = fold(builder)
    assert state == folded
    assert refused == {
        v.id for v, verdict in zip(builder.events, verdicts, strict=True) if not verdict.accepted
    }
