"""Convergence: replicas that hold the same events resolve the same circle, whatever order
and however many times the events arrived."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerapp.core.circle_events import EventType
from peerapp.crypto.epoch import EpochKeys
from peerapp.crypto.invite_keys import invite_public_key
from tests.crypto.circle_fixtures import (
    Identity,
    LogBuilder,
    circle_id_for,
    epoch_secret,
    identity,
    invite_seed,
    log_order,
    resolve,
)

FOUNDER = identity("founder-convergence")
POOL = [identity(f"member-{i}") for i in range(5)]
CIRCLE = circle_id_for("convergence")  # until the genesis binds the builder's id


@dataclass
class History:
    builder: LogBuilder
    members: list[Identity]
    joined: list[Identity]
    left: Identity | None
    epochs: list[bytes]
    max_uses: int


@st.composite
def histories(draw: st.DrawFn) -> History:
    builder = LogBuilder(CIRCLE)
    rotations = 0

    def rotate(who: Identity, recipients: list[Identity]) -> None:
        nonlocal rotations
        builder.rotate(who, epoch_secret(f"convergence-{rotations}"), recipients)
        rotations += 1

    builder.genesis(FOUNDER)
    rotate(FOUNDER, [FOUNDER])
    members = [FOUNDER]
    joiners = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=4, unique_by=id))
    max_uses = draw(st.integers(1, len(joiners) + 1))
    seed = invite_seed("convergence")
    builder.invite(FOUNDER, seed, max_uses=max_uses)
    builder.settings(FOUNDER, members_invite=True)  # any member may admit
    joined: list[Identity] = []
    for joiner in joiners:
        admitter = draw(st.sampled_from(members))
        builder.join(admitter, joiner, seed)
        if len(joined) < max_uses:  # beyond that the invite is used up: refused
            joined.append(joiner)
            members.append(joiner)
        if draw(st.booleans()):
            rotate(admitter, members)
        for text in draw(st.lists(st.sampled_from(["hi", "how are you?", "ok"]), max_size=2)):
            builder.message(draw(st.sampled_from(members)), text)
    if len(members) >= 2 and draw(st.booleans()):
        first, second = draw(st.permutations(members))[:2]
        builder.concurrently(
            (first, EventType.MESSAGE, {"text": "at the same time"}),
            (second, EventType.MESSAGE, {"text": "me too"}),
        )
    left = None
    if len(members) >= 2 and draw(st.booleans()):
        left = draw(st.sampled_from(members[1:]))
        builder.leave(left)
        members.remove(left)
        builder.message(left, "still here?")  # refused: no longer a member
        rotate(draw(st.sampled_from(members)), members)
    if draw(st.booleans()):
        builder.message(FOUNDER, "a second event with an old seq", seq=builder.seqs[FOUNDER.key])
    if draw(st.booleans()):
        builder.message(identity("stranger"), "let me in")  # refused: never a member
    epochs = [EpochKeys(epoch_secret(f"convergence-{i}")).epoch_id for i in range(rotations)]
    return History(builder, members, joined, left, epochs, max_uses)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(histories(), st.data())
def test_same_events_in_any_order_with_duplicates_resolve_identically(
    history: History, data: st.DataObject
) -> None:
    events = history.builder.events
    circle = history.builder.circle_id
    reference, refused = resolve(circle, events)

    # the reference is the circle the history describes
    assert set(reference.members) == {m.key for m in history.members}
    assert reference.members[FOUNDER.key].name == FOUNDER.name
    assert [e.id for e in reference.epochs] == history.epochs
    assert reference.invites[invite_public_key(invite_seed("convergence"))].uses == len(
        history.joined
    )
    if history.left is not None:
        assert history.left.key not in reference.members

    # another replica: events arrive shuffled, some more than once
    duplicates = data.draw(st.lists(st.sampled_from(events), max_size=len(events)))
    arrival = data.draw(st.permutations(events + duplicates))
    state, refused_there = resolve(circle, arrival)

    assert state == reference
    assert state.members == reference.members
    assert state.epochs == reference.epochs
    assert state.invites == reference.invites
    assert refused_there == refused
    assert [v.id for v in log_order(arrival)] == [v.id for v in log_order(events)]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_refused_events_are_exactly_the_expected_ones(history: History) -> None:
    _, refused = resolve(history.builder.circle_id, history.builder.events)
    by_id = {v.id: v.event for v in history.builder.events}
    for event_id in refused:
        event = by_id[event_id]
        assert event.type in {EventType.ADD_MEMBER, EventType.MESSAGE}
    admissions = [v for v in history.builder.events if v.event.type is EventType.ADD_MEMBER]
    refused_admissions = [v for v in admissions if v.id in refused]
    assert len(admissions) - len(refused_admissions) == len(history.joined)
