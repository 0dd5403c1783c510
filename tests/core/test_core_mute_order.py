"""A mute binds by causal order, not by the parents or timestamps the muted member picks:
a message concurrent with its author's mute, dated before the mute ends, is refused on
every replica wherever it sorts; one the muter had seen stands."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerapp.core.circle_events import EventType
from tests.core.test_core_moderation import branch
from tests.core.test_core_roles import A, M, N, circle
from tests.crypto.circle_fixtures import HOUR_MS, mute_body, resolution


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    offset=st.integers(-3, 6),
    after_end=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_a_message_concurrent_with_a_mute_is_refused_wherever_it_sorts(
    offset: int, after_end: bool, seed: int
) -> None:
    made = circle()
    seen = made.builder.message(M, "the muter saw this")
    heads = set(made.builder.heads)
    low = made.builder.max_lamport + 1
    until = made.builder.clock_ms + HOUR_MS
    mute = branch(made, A, EventType.MUTE, mute_body(M, until), prev=heads, lamport=low + 3)
    # Maple names parents from before the mute: any lamport, a ts inside or past the mute
    ts = until + 1 if after_end else made.builder.clock_ms
    slipped = made.builder.author(
        M, EventType.MESSAGE, {"text": "slipped in"}, prev=heads, lamport=low + 3 + offset, ts=ts
    )
    bystander = branch(made, N, EventType.MESSAGE, {"text": "meanwhile"}, prev=heads, lamport=low)
    events = list(made.builder.events)
    random.Random(seed).shuffle(events)
    result = resolution(made.builder.circle_id, events)
    accepted = set(result.accepted)
    assert mute.id in accepted and seen.id in accepted and bystander.id in accepted
    assert (slipped.id in accepted) is after_end


def test_a_message_after_the_mute_in_causal_order_is_judged_by_its_time() -> None:
    made = circle()
    until = made.builder.clock_ms + HOUR_MS
    made.builder.mute(A, M, until)
    during = made.builder.message(M, "still muted")
    later = made.builder.message(M, "the hour is over", ts=until)
    result = resolution(made.builder.circle_id, made.builder.events)
    assert during.id in result.refused and later.id in result.accepted
