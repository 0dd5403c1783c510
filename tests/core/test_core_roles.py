"""Facilitators: ranks, promotion, demotion, the founder role, and every moderation rule,
allowed and refused, folded over real signed events in log order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import ACCEPTANCE, CircleState, Role, Verdict
from peerapp.crypto.invite_keys import invite_public_key
from peerapp.crypto.signing import VerifiedEvent
from tests.crypto.circle_fixtures import (
    HOUR_MS,
    Identity,
    LogBuilder,
    epoch_secret,
    fold,
    founded_circle,
    identity,
    invite_seed,
    join_request,
    join_request_body,
)

F = identity("founder-roles")  # rank 0
A = identity("alder")  # facilitator, rank 1
B = identity("birch")  # facilitator, rank 2
M = identity("maple")  # member
N = identity("nettle")  # member
STRANGER = identity("stranger")
SEED = invite_seed("roles")
OTHER_SEED = invite_seed("roles-other")


@dataclass
class Circle:
    builder: LogBuilder
    said: dict[str, VerifiedEvent]  # each one's message, by label

    def state(self) -> CircleState:
        return fold(self.builder)[0]

    def last(self) -> Verdict:
        return fold(self.builder)[1][-1]


def circle() -> Circle:
    """F founds; A then B are promoted; M and N are plain members; each said something."""
    builder, founder = founded_circle("roles")
    assert founder == F
    builder.invite(F, SEED, max_uses=10)
    for who in (A, B, M, N):
        builder.join(F, who, SEED)
    builder.rotate(F, epoch_secret("roles-1"), [F, A, B, M, N])
    builder.on(F, EventType.PROMOTE, A)
    builder.on(F, EventType.PROMOTE, B)
    said = {who.label: builder.message(who, f"I am {who.name}") for who in (F, A, B, M, N)}
    made = Circle(builder, said)
    assert [v.reason for v in fold(builder)[1] if not v.accepted] == []
    return made


def test_the_circle_fixture_ranks_founder_then_promotion_order() -> None:
    state = circle().state()
    assert state.facilitators == (F.key, A.key, B.key)
    assert state.founder == F.key
    assert [state.members[k].role for k in (F.key, A.key, B.key, M.key, N.key)] == [
        Role.FOUNDER,
        Role.FACILITATOR,
        Role.FACILITATOR,
        Role.MEMBER,
        Role.MEMBER,
    ]
    assert [state.rank(k) for k in (F.key, A.key, B.key, M.key, N.key, STRANGER.key)] == [
        0,
        1,
        2,
        3,
        3,
        3,
    ]
    assert state.outranks(A.key, B.key) and not state.outranks(B.key, A.key)
    assert not state.outranks(A.key, A.key) and not state.outranks(M.key, N.key)


def test_every_new_type_needs_a_member() -> None:
    open_to_anyone = {kind for kind, (needs_member, _) in ACCEPTANCE.items() if not needs_member}
    assert open_to_anyone == {EventType.GENESIS, EventType.JOIN_REQUEST}


Action = Callable[[Circle], object]


def act(who: Identity, kind: EventType, target: Identity) -> Action:
    return lambda c: c.builder.on(who, kind, target)


def mute(who: Identity, target: Identity) -> Action:
    return lambda c: c.builder.mute(who, target, c.builder.clock_ms + HOUR_MS)


def delete(who: Identity, whose: Identity) -> Action:
    return lambda c: c.builder.delete(who, c.said[whose.label])


def settings(who: Identity) -> Action:
    return lambda c: c.builder.settings(who, slow_mode_seconds=10, guidelines="Kindly.")


def revoke(who: Identity, seed: bytes = SEED) -> Action:
    return lambda c: c.builder.revoke(who, seed)


def then(*actions: Action) -> Action:
    def run(c: Circle) -> None:
        for action in actions:
            action(c)

    return run


P, D, T = EventType.PROMOTE, EventType.DEMOTE, EventType.TRANSFER_FOUNDER
R, X = EventType.REMOVE, EventType.BAN

# (case, action, None when accepted or a part of the refusal reason)
CASES: list[tuple[str, Action, str | None]] = [
    # promote
    ("founder promotes a member", act(F, P, M), None),
    ("facilitator promotes a member", act(B, P, M), None),
    ("member promotes a member", act(M, P, N), "only facilitators can promote"),
    ("member promotes itself", act(M, P, M), "only facilitators can promote"),
    ("promote a facilitator", act(A, P, B), "already a facilitator"),
    ("promote a stranger", act(A, P, STRANGER), "not a member"),
    ("stranger promotes", act(STRANGER, P, M), "not a member"),
    # demote
    ("founder demotes a facilitator", act(F, D, B), None),
    ("senior demotes a junior", act(A, D, B), None),
    ("junior demotes a senior", act(B, D, A), "ranked below it"),
    ("facilitator demotes itself", act(A, D, A), "ranked below it"),
    ("facilitator demotes the founder", act(A, D, F), "ranked below it"),
    ("demote a plain member", act(A, D, M), "not a facilitator"),
    ("member demotes", act(M, D, B), "only facilitators can demote"),
    # transfer the founder role
    ("founder hands over to a facilitator", act(F, T, B), None),
    ("founder hands over to a member", act(F, T, M), "another facilitator"),
    ("founder hands over to itself", act(F, T, F), "another facilitator"),
    ("facilitator takes the founder role", act(A, T, A), "only the founder"),
    ("facilitator hands the founder role", act(A, T, B), "only the founder"),
    # remove
    ("facilitator removes a member", act(B, R, M), None),
    ("senior removes a junior facilitator", act(A, R, B), None),
    ("founder removes a facilitator", act(F, R, A), None),
    ("junior removes a senior", act(B, R, A), "ranked below it"),
    ("facilitator removes the founder", act(A, R, F), "ranked below it"),
    ("facilitator removes itself", act(A, R, A), "ranked below it"),
    ("member removes a member", act(M, R, N), "only facilitators can remove members"),
    ("forged remove by a member of the founder", act(M, R, F), "only facilitators"),
    ("remove a stranger", act(A, R, STRANGER), "not a member"),
    ("remove twice", then(act(A, R, M), act(A, R, M)), "not a member"),
    # ban
    ("facilitator bans a member", act(A, X, M), None),
    ("ban a former member", then(lambda c: c.builder.leave(M), act(B, X, M)), None),
    ("ban a removed member", then(act(A, R, M), act(B, X, M)), None),
    ("ban someone never admitted", act(A, X, STRANGER), "never a member"),
    ("junior bans a senior", act(B, X, A), "ranked below it"),
    ("member bans", act(M, X, N), "only facilitators can ban"),
    ("ban twice", then(act(A, X, M), act(A, X, M)), "already banned"),
    # mute
    ("facilitator mutes a member", mute(B, M), None),
    ("senior mutes a junior facilitator", mute(A, B), None),
    ("junior mutes a senior", mute(B, A), "ranked below it"),
    ("member mutes", mute(M, N), "only facilitators can mute"),
    ("mute a stranger", mute(A, STRANGER), "not a member"),
    # settings
    ("facilitator sets the settings", settings(B), None),
    ("member sets the settings", settings(M), "only facilitators can change the settings"),
    # invites
    ("facilitator revokes an invite", revoke(B), None),
    ("member revokes an invite", revoke(M), "only facilitators can revoke"),
    ("revoke an unknown invite", revoke(A, OTHER_SEED), "unknown invite"),
    ("revoke twice", then(revoke(A), revoke(B)), "already revoked"),
    # delete
    ("member deletes its own message", delete(M, M), None),
    ("facilitator deletes its own message", delete(B, B), None),
    ("facilitator deletes a member's message", delete(B, M), None),
    ("senior deletes a junior's message", delete(A, B), None),
    ("founder deletes anyone's", delete(F, A), None),
    ("junior deletes a senior's message", delete(B, A), "only the author or a facilitator"),
    ("facilitator deletes the founder's", delete(A, F), "only the author or a facilitator"),
    ("member deletes another's message", delete(M, N), "only the author or a facilitator"),
    ("delete a former member's message", then(lambda c: c.builder.leave(N), delete(B, N)), None),
    ("delete twice", then(delete(M, M), delete(A, M)), "already deleted"),
    ("stranger deletes", delete(STRANGER, M), "not a member"),
    # after a demotion, the rank rules follow the new ranks
    ("demoted facilitator removes", then(act(A, D, B), act(B, R, M)), "only facilitators"),
    ("promoted member removes", then(act(B, P, M), act(M, R, N)), None),
    ("newly promoted ranks last", then(act(B, P, M), act(M, R, B)), "ranked below it"),
    ("former founder ranks second", then(act(F, T, B), act(F, R, A)), None),
    ("new founder outranks the old", then(act(F, T, B), act(B, D, F)), None),
    ("old founder cannot act on the new", then(act(F, T, B), act(F, D, B)), "ranked below"),
]


@pytest.mark.parametrize(("case", "action", "refusal"), CASES, ids=[c[0] for c in CASES])
def test_rule(case: str, action: Action, refusal: str | None) -> None:
    made = circle()
    before = made.state()
    action(made)
    verdict = made.last()
    if refusal is None:
        assert verdict.accepted, verdict.reason
    else:
        assert not verdict.accepted
        assert refusal in str(verdict.reason)
        # a refused event changes nothing
        state_before = fold(LogBuilder(made.builder.circle_id, events=made.builder.events[:-1]))
        assert verdict.state == state_before[0]
    assert before.founded


# -- what the accepted actions do -------------------------------------------------------------


def test_promotion_ranks_last_and_demotion_closes_the_gap() -> None:
    made = circle()
    made.builder.on(B, P, M)
    made.builder.on(A, D, B)
    state = made.state()
    assert state.facilitators == (F.key, A.key, M.key)
    assert state.members[B.key].role is Role.MEMBER
    assert state.members[M.key].role is Role.FACILITATOR


def test_transfer_puts_the_new_founder_first_and_the_old_second() -> None:
    made = circle()
    made.builder.on(F, T, B)
    state = made.state()
    assert state.facilitators == (B.key, F.key, A.key)
    assert state.founder == B.key
    assert state.members[B.key].role is Role.FOUNDER
    assert state.members[F.key].role is Role.FACILITATOR


def test_remove_of_a_facilitator_drops_its_rank_and_membership() -> None:
    made = circle()
    made.builder.on(A, R, B)
    state = made.state()
    assert B.key not in state.members and state.facilitators == (F.key, A.key)
    assert B.key not in state.banned
    made.builder.message(B, "still here?")
    assert "not a member" in str(made.last().reason)


def test_ban_removes_and_bans_key_and_peer() -> None:
    made = circle()
    made.builder.on(A, X, M)
    state = made.state()
    assert M.key not in state.members
    assert state.banned == {M.key} and state.banned_peers == {M.peer}


def test_mute_records_until_and_a_past_until_lifts_it() -> None:
    made = circle()
    until = made.builder.clock_ms + HOUR_MS
    made.builder.mute(A, M, until)
    assert made.state().muted == {M.key: until}
    made.builder.mute(A, M, 0)
    assert made.state().muted == {}


def test_settings_replace_all_three() -> None:
    made = circle()
    made.builder.settings(A, slow_mode_seconds=30, join_approval=True, guidelines="New rules.")
    state = made.state()
    assert (state.slow_mode_seconds, state.join_approval, state.guidelines) == (
        30,
        True,
        "New rules.",
    )


def test_delete_records_the_deleter() -> None:
    made = circle()
    made.builder.delete(A, made.said["maple"])
    made.builder.delete(N, made.said["nettle"])
    maple, nettle = made.said["maple"], made.said["nettle"]
    assert made.state().deleted == {
        (maple.id, maple.event.author): A.key,
        (nettle.id, nettle.event.author): N.key,
    }


# -- founder succession ---------------------------------------------------------------------


def test_when_the_founder_leaves_the_next_ranked_facilitator_leads() -> None:
    made = circle()
    made.builder.leave(F)
    state = made.state()
    assert state.facilitators == (A.key, B.key)
    assert state.members[A.key].role is Role.FOUNDER
    made.builder.leave(A)
    state = made.state()
    assert state.facilitators == (B.key,) and state.members[B.key].role is Role.FOUNDER


def test_with_no_facilitator_left_the_longest_standing_member_leads() -> None:
    made = circle()
    made.builder.on(F, D, B)
    made.builder.on(F, D, A)
    made.builder.leave(F)
    state = made.state()
    # A was admitted first among those left
    assert state.facilitators == (A.key,)
    assert state.members[A.key].role is Role.FOUNDER
    made.builder.on(A, R, B)  # and the new founder can act
    assert made.last().accepted


def test_a_circle_whose_last_member_leaves_has_no_founder() -> None:
    builder, founder = founded_circle("roles-alone")
    builder.leave(founder)
    state = fold(builder)[0]
    assert state.members == {} and state.founder is None and state.rekey_duty() is None


def test_a_facilitator_leaving_keeps_the_others_order() -> None:
    made = circle()
    made.builder.on(F, P, M)
    made.builder.leave(A)
    assert made.state().facilitators == (F.key, B.key, M.key)


# -- admission under moderation ---------------------------------------------------------------


def test_a_banned_key_is_not_readmitted() -> None:
    made = circle()
    made.builder.on(A, X, M)
    made.builder.invite(A, OTHER_SEED)
    made.builder.join(A, M, OTHER_SEED)
    assert "banned" in str(made.last().reason)


def test_a_banned_peer_with_a_fresh_key_is_not_readmitted() -> None:
    made = circle()
    made.builder.on(A, X, M)
    made.builder.invite(A, OTHER_SEED)
    fresh = identity("maple-again")
    body = join_request_body(made.builder.circle_id, fresh, OTHER_SEED, bytes(32))
    body["peer"] = M.peer
    made.builder.admit(A, join_request(made.builder.circle_id, fresh, OTHER_SEED, body=body))
    assert "banned" in str(made.last().reason)
    # the same fresh key from another peer is welcome
    made.builder.join(A, fresh, OTHER_SEED)
    assert made.last().accepted


def test_a_removed_member_may_rejoin_with_a_fresh_key() -> None:
    made = circle()
    made.builder.on(A, R, M)
    made.builder.invite(A, OTHER_SEED)
    made.builder.join(A, identity("maple-again"), OTHER_SEED)
    assert made.last().accepted


def test_a_revoked_invite_admits_no_one() -> None:
    made = circle()
    made.builder.revoke(A, SEED)
    made.builder.join(B, identity("late"), SEED)
    assert "invite revoked" in str(made.last().reason)
    assert made.state().invites[invite_public_key(SEED)].revoked


def test_with_join_approval_only_facilitators_admit() -> None:
    made = circle()
    made.builder.settings(A, join_approval=True)
    made.builder.join(M, identity("late"), SEED)
    assert "join approval is on" in str(made.last().reason)
    made.builder.join(B, identity("late"), SEED)
    assert made.last().accepted


def test_who_brought_whom_in_is_recorded_for_a_ban_with_invitees() -> None:
    made = circle()
    made.builder.settings(F, members_invite=True)
    first, second = identity("first-puppet"), identity("second-puppet")
    made.builder.join(N, first, SEED)
    made.builder.join(first, second, SEED)
    state = made.state()
    assert state.members[first.key].admitted_by == N.key
    assert state.members[N.key].admitted_by == F.key
    assert state.brought_in_by(N.key) == [first.key, second.key]
    assert state.brought_in_by(M.key) == []
    assert state.sponsors[second.key] == state.sponsors[first.key] == N.key
