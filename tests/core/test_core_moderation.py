"""Moderation enforced on other events (mute, slow mode), whole-log resolution with the
concurrent-removal rule (property-tested over random delivery orders), and the
moderation log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerapp.core.circle_events import EventType
from peerapp.core.resolution import (
    ModerationAction,
    RemovalKind,
    causal_past,
    is_ancestor,
    moderation_log,
)
from peerapp.crypto.invite_keys import invite_public_key
from peerapp.crypto.signing import VerifiedEvent
from tests.core.test_core_roles import A, B, Circle, F, M, N, circle
from tests.crypto.circle_fixtures import (
    HOUR_MS,
    Identity,
    delete_body,
    entry,
    mute_body,
    resolution,
    resolve,
    settings_body,
)

SECOND_MS = 1000


# -- mute -------------------------------------------------------------------------------------


def test_a_muted_member_cannot_speak_until_the_mute_ends() -> None:
    made = circle()
    start = made.builder.clock_ms + SECOND_MS
    made.builder.mute(A, M, start + 10 * SECOND_MS, ts=start)
    made.builder.message(M, "am I heard?", ts=start + 9_999)
    assert "muted" in str(made.last().reason)
    made.builder.message(N, "I am", ts=start + 9_999)
    assert made.last().accepted
    made.builder.message(M, "now?", ts=start + 10 * SECOND_MS)
    assert made.last().accepted


def test_lifting_a_mute_early() -> None:
    made = circle()
    start = made.builder.clock_ms + SECOND_MS
    made.builder.mute(A, M, start + HOUR_MS, ts=start)
    made.builder.mute(B, M, 0, ts=start + 1)
    made.builder.message(M, "thanks", ts=start + 2)
    assert made.last().accepted


def test_a_mute_ends_with_removal_and_is_not_carried_to_a_rejoin() -> None:
    made = circle()
    made.builder.mute(A, M, made.builder.clock_ms + HOUR_MS)
    made.builder.on(A, EventType.REMOVE, M)
    assert made.state().muted == {}


# -- slow mode --------------------------------------------------------------------------------


def slow(seconds: int) -> tuple[Circle, int]:
    made = circle()
    start = made.builder.clock_ms + SECOND_MS
    made.builder.settings(A, slow_mode_seconds=seconds, ts=start)
    return made, start


def test_slow_mode_refuses_a_second_message_too_soon() -> None:
    made, start = slow(60)
    made.builder.message(M, "one", ts=start + 1)
    assert made.last().accepted
    made.builder.message(M, "two", ts=start + 1 + 59_999)
    assert "slow mode" in str(made.last().reason)
    made.builder.message(M, "two, later", ts=start + 1 + 60_000)
    assert made.last().accepted


def test_slow_mode_counts_per_member() -> None:
    made, start = slow(60)
    made.builder.message(M, "one", ts=start + 1)
    made.builder.message(N, "me too", ts=start + 2)
    assert made.last().accepted


def test_facilitators_are_exempt_from_slow_mode() -> None:
    made, start = slow(60)
    for i in range(3):
        made.builder.message(B, f"note {i}", ts=start + 1 + i)
        assert made.last().accepted


def test_slow_mode_off_lets_members_speak_freely() -> None:
    made, start = slow(60)
    made.builder.message(M, "one", ts=start + 1)
    made.builder.settings(A, slow_mode_seconds=0, ts=start + 2)
    made.builder.message(M, "two", ts=start + 3)
    assert made.last().accepted


def test_a_message_refused_by_slow_mode_does_not_restart_the_wait() -> None:
    made, start = slow(60)
    made.builder.message(M, "one", ts=start)
    made.builder.message(M, "too soon", ts=start + 30_000)
    made.builder.message(M, "on time", ts=start + 60_000)
    assert made.last().accepted


# -- the causal past ----------------------------------------------------------------------------


def test_causal_past_walks_prev_and_stops_at_unknown_parents() -> None:
    a, b, c, d, unknown = (bytes([i]) * 32 for i in range(5))
    parents = {a: (), b: (a,), c: (a, unknown), d: (b, c)}
    assert causal_past(parents, d) == {a, b, c, unknown}
    assert causal_past(parents, b) == {a}
    assert causal_past(parents, a) == frozenset()
    assert is_ancestor(parents, a, d) and not is_ancestor(parents, d, a)
    assert not is_ancestor(parents, b, c)


# -- concurrent removal -----------------------------------------------------------------------


def branch(
    made: Circle,
    who: Identity,
    kind: EventType,
    body: dict[str, Any],
    *,
    prev: set[bytes],
    lamport: int,
) -> VerifiedEvent:
    """An event on a side branch: these parents, this lamport."""
    return made.builder.author(who, kind, body, prev=prev, lamport=lamport)


def test_messages_concurrent_with_a_removal_are_dropped_and_seen_ones_kept() -> None:
    made = circle()
    seen = made.builder.message(M, "the remover saw this")
    heads = set(made.builder.heads)
    low = made.builder.max_lamport + 1
    first = branch(made, M, EventType.MESSAGE, {"text": "unseen 1"}, prev=heads, lamport=low)
    second = branch(
        made, M, EventType.MESSAGE, {"text": "unseen 2"}, prev={first.id}, lamport=low + 1
    )
    removal = branch(made, A, EventType.REMOVE, {"member": M.key}, prev=heads, lamport=low + 5)
    other = branch(made, N, EventType.MESSAGE, {"text": "meanwhile"}, prev=heads, lamport=low)
    made.builder.message(F, "merged")
    late = made.builder.message(M, "after everything")

    result = resolution(made.builder.circle_id, made.builder.events)
    assert result.refused == {
        first.id: "concurrent with its author's removal",
        second.id: "concurrent with its author's removal",
        late.id: "the author is not a member",
    }
    assert {seen.id, removal.id, other.id} <= set(result.accepted)
    assert [(r.id, r.target, r.kind) for r in result.removals] == [
        (removal.id, M.key, RemovalKind.REMOVED)
    ]
    # a plain fold, without the rule, would have shown them
    _, plain_refused = resolve(made.builder.circle_id, made.builder.events)
    assert plain_refused == {late.id}
    assert result.state.members == resolve(made.builder.circle_id, made.builder.events)[0].members


def test_a_concurrent_ban_drops_like_a_remove() -> None:
    made = circle()
    heads = set(made.builder.heads)
    low = made.builder.max_lamport + 1
    note = branch(made, M, EventType.MESSAGE, {"text": "unseen"}, prev=heads, lamport=low)
    branch(made, A, EventType.BAN, {"member": M.key}, prev=heads, lamport=low + 1)
    result = resolution(made.builder.circle_id, made.builder.events)
    assert result.refused == {note.id: "concurrent with its author's removal"}
    assert M.key in result.state.banned


def test_a_concurrent_demotion_drops_only_facilitator_actions() -> None:
    made = circle()
    heads = set(made.builder.heads)
    low = made.builder.max_lamport + 1
    until = made.builder.clock_ms + HOUR_MS
    said = branch(made, B, EventType.MESSAGE, {"text": "still speaking"}, prev=heads, lamport=low)
    muted = branch(made, B, EventType.MUTE, mute_body(M, until), prev={said.id}, lamport=low + 1)
    own = branch(
        made, B, EventType.DELETE, delete_body(made.said["birch"]), prev={muted.id}, lamport=low + 2
    )
    other = branch(
        made, B, EventType.DELETE, delete_body(made.said["nettle"]), prev={own.id}, lamport=low + 3
    )
    branch(made, A, EventType.DEMOTE, {"member": B.key}, prev=heads, lamport=low + 9)

    result = resolution(made.builder.circle_id, made.builder.events)
    assert result.refused == {
        muted.id: "concurrent with its author's demotion",
        other.id: "concurrent with its author's demotion",
    }
    assert said.id in result.accepted and own.id in result.accepted
    assert result.state.muted == {}
    birch = made.said["birch"]
    assert result.state.deleted == {(birch.id, birch.event.author): B.key}
    assert B.key in result.state.members and not result.state.is_facilitator(B.key)


def test_dropping_a_promotion_voids_what_the_promoted_member_did() -> None:
    """B is removed by A; concurrently B promoted M, who (seeing that) removed N. The
    promotion is dropped, so M's removal is refused and N stays: the set of valid
    removals changes between folds, and resolution folds until it is stable."""
    made = circle()
    heads = set(made.builder.heads)
    low = made.builder.max_lamport + 1
    promoted = branch(made, B, EventType.PROMOTE, {"member": M.key}, prev=heads, lamport=low)
    removed_n = branch(
        made, M, EventType.REMOVE, {"member": N.key}, prev={promoted.id}, lamport=low + 1
    )
    branch(made, A, EventType.REMOVE, {"member": B.key}, prev=heads, lamport=low + 5)

    result = resolution(made.builder.circle_id, made.builder.events)
    assert result.refused[promoted.id] == "concurrent with its author's removal"
    assert "only facilitators" in result.refused[removed_n.id]
    assert N.key in result.state.members and B.key not in result.state.members
    assert result.state.facilitators == (F.key, A.key)


def test_no_removal_means_the_same_result_as_a_plain_fold() -> None:
    made = circle()
    made.builder.message(M, "hi")
    made.builder.on(A, EventType.PROMOTE, N)
    result = resolution(made.builder.circle_id, made.builder.events)
    state, refused = resolve(made.builder.circle_id, made.builder.events)
    assert result.state == state and set(result.refused) == refused == set()


# -- the property -----------------------------------------------------------------------------

TARGET_ACTIONS = ["message", "mute", "delete-own", "delete-other", "settings", "invite"]


@dataclass
class Concurrent:
    made: Circle
    kind: EventType
    target: Identity
    seen: VerifiedEvent
    removal: VerifiedEvent
    unseen: list[tuple[str, VerifiedEvent]]
    bystanders: list[VerifiedEvent]
    after: VerifiedEvent


def _target_body(made: Circle, action: str, n: int) -> tuple[EventType, dict[str, Any]]:
    if action == "message":
        return EventType.MESSAGE, {"text": f"unseen {n}"}
    if action == "mute":
        return EventType.MUTE, mute_body(N, made.builder.clock_ms + HOUR_MS)
    if action == "delete-own":
        return EventType.DELETE, {
            "message": bytes([n]) * 32,
            "author": made.said["birch"].event.author,
        }
    if action == "delete-other":
        return EventType.DELETE, {"message": bytes([n]) * 32, "author": N.key}
    if action == "settings":
        return EventType.SETTINGS, settings_body(slow_mode_seconds=n)
    seed = bytes([n + 1]) * 32
    return EventType.INVITE_CREATE, {
        "invite": invite_public_key(seed),
        "max_uses": 1,
        "expires": made.builder.clock_ms + HOUR_MS,
    }


@st.composite
def concurrent_removals(draw: st.DrawFn) -> Concurrent:
    made = circle()
    kind = draw(st.sampled_from([EventType.REMOVE, EventType.BAN, EventType.DEMOTE]))
    target = B if kind is EventType.DEMOTE else draw(st.sampled_from([B, M]))
    seen = made.builder.message(target, "seen by the remover")
    heads = set(made.builder.heads)
    low = made.builder.max_lamport + 1
    actions = TARGET_ACTIONS if target is B else ["message"]
    unseen: list[tuple[str, VerifiedEvent]] = []
    prev, lamport = heads, low + draw(st.integers(0, 3))
    for n, action in enumerate(draw(st.lists(st.sampled_from(actions), max_size=5))):
        event_kind, body = _target_body(made, action, n)
        made_event = branch(made, target, event_kind, body, prev=prev, lamport=lamport)
        unseen.append((action, made_event))
        prev, lamport = {made_event.id}, lamport + draw(st.integers(1, 3))
    removal = branch(
        made, A, kind, {"member": target.key}, prev=heads, lamport=low + draw(st.integers(0, 12))
    )
    bystanders = [
        branch(
            made,
            who,
            EventType.MESSAGE,
            {"text": "meanwhile"},
            prev=heads,
            lamport=low + draw(st.integers(0, 12)),
        )
        for who in draw(st.lists(st.sampled_from([F, N]), max_size=2, unique=True))
    ]
    made.builder.message(F, "merged")
    after = made.builder.message(target, "after the merge")
    return Concurrent(made, kind, target, seen, removal, unseen, bystanders, after)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(concurrent_removals(), st.data())
def test_concurrent_actions_of_a_removed_member_are_dropped_on_every_replica(
    case: Concurrent, data: st.DataObject
) -> None:
    events = case.made.builder.events
    circle_id = case.made.builder.circle_id
    reference = resolution(circle_id, events)

    # every replica, whatever the delivery order and duplicates, resolves the same
    duplicates = data.draw(st.lists(st.sampled_from(events), max_size=8))
    arrival = data.draw(st.permutations(events + duplicates))
    assert resolution(circle_id, arrival) == reference

    # the removal holds, what it had seen stands, bystanders are untouched
    accepted = set(reference.accepted)
    assert case.removal.id in accepted and case.seen.id in accepted
    assert all(b.id in accepted for b in case.bystanders)
    if case.kind is EventType.DEMOTE:
        # only the facilitator-only actions are dropped
        for action, event in case.unseen:
            # (inviting is for facilitators too, unless the circle lets members invite)
            assert (event.id in accepted) is (action in {"message", "delete-own"})
        assert case.after.id in accepted
        assert not reference.state.is_facilitator(case.target.key)
        assert reference.state.muted == {} and reference.state.slow_mode_seconds == 0
    else:
        # everything the target did that the remover had not seen is dropped
        for _, event in case.unseen:
            assert event.id not in accepted
        assert case.after.id not in accepted
        assert case.target.key not in reference.state.members
        unseen_invites = {
            e.event.body["invite"]
            for _, e in case.unseen
            if e.event.type is EventType.INVITE_CREATE
        }
        assert not unseen_invites & set(reference.state.invites)


# -- the moderation log -----------------------------------------------------------------------


def test_the_moderation_log_lists_accepted_actions_in_order() -> None:
    made = circle()
    base = len(made.builder.events)
    start = made.builder.clock_ms
    made.builder.on(A, EventType.PROMOTE, M, ts=start + 1)
    made.builder.mute(B, N, start + HOUR_MS, ts=start + 2)
    made.builder.on(M, EventType.REMOVE, A, ts=start + 3)  # refused: not in the log
    made.builder.delete(A, made.said["nettle"], ts=start + 4)
    made.builder.settings(F, slow_mode_seconds=5, ts=start + 5)
    made.builder.message(N, "ordinary", ts=start + 6)  # not a moderation action
    made.builder.on(A, EventType.BAN, N, ts=start + 7)

    entries = [entry(v) for v in made.builder.events]
    result = resolution(made.builder.circle_id, made.builder.events)
    log = moderation_log(entries, result)
    # the fixture's own two promotions come first
    assert [(a.actor, a.action, a.target) for a in log] == [
        (F.key, "promote", A.key),
        (F.key, "promote", B.key),
        (A.key, "promote", M.key),
        (B.key, "mute", N.key),
        (A.key, "delete", N.key),
        (F.key, "settings", None),
        (A.key, "ban", N.key),
    ]
    events = made.builder.events
    assert log[3] == ModerationAction(
        events[base + 1].id, B.key, "mute", N.key, start + 2, events[base + 1].event.lamport,
        {"until": start + HOUR_MS},
    )  # fmt: skip
    assert log[4].details == {"message": made.said["nettle"].id}
    assert log[5].details == {
        "slow_mode_seconds": 5,
        "join_approval": False,
        "guidelines": "Be kind.",
        "harm_flags_to_hide": 3,
        "members_invite": False,
        "flag_after_hours": 24,
    }
    assert [a.ts for a in log[2:]] == [start + 1, start + 2, start + 4, start + 5, start + 7]
