"""The engine lifecycle table: every allowed transition, and every other pair raises."""

from __future__ import annotations

import itertools

import pytest

from peerapp.core.lifecycle import IllegalTransition, Phase, Trigger, is_final, next_phase

P, T = Phase, Trigger

# Written out again from the rules at the top of lifecycle.py, independently of its table.
ALLOWED: dict[tuple[Phase, Trigger], Phase] = {
    (P.CREATED, T.START): P.STARTING,
    (P.CREATED, T.STOP): P.STOPPED,
    (P.STARTING, T.STARTED): P.RUNNING,
    (P.STARTING, T.STOP): P.STOPPING,
    (P.STARTING, T.CRASHED): P.FAILED,
    (P.STARTING, T.FINISHED): P.STOPPED,
    (P.RUNNING, T.STOP): P.STOPPING,
    (P.RUNNING, T.CRASHED): P.FAILED,
    (P.RUNNING, T.FINISHED): P.STOPPED,
    (P.STOPPING, T.STOP): P.STOPPING,
    (P.STOPPING, T.FINISHED): P.STOPPED,
    (P.STOPPING, T.CRASHED): P.FAILED,
    (P.STOPPED, T.STOP): P.STOPPED,
    (P.FAILED, T.STOP): P.FAILED,
}

ALL_PAIRS = list(itertools.product(Phase, Trigger))
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in ALLOWED]


def _id(pair: tuple[Phase, Trigger]) -> str:
    return f"{pair[0].value}-{pair[1].value}"


def test_the_enumeration_covers_every_pair() -> None:
    assert len(ALL_PAIRS) == len(Phase) * len(Trigger) == 30
    assert len(ALLOWED) + len(FORBIDDEN) == len(ALL_PAIRS)


@pytest.mark.parametrize(("pair", "target"), list(ALLOWED.items()), ids=[_id(p) for p in ALLOWED])
def test_allowed_transition(pair: tuple[Phase, Trigger], target: Phase) -> None:
    phase, trigger = pair
    assert next_phase(phase, trigger) is target


@pytest.mark.parametrize("pair", FORBIDDEN, ids=[_id(p) for p in FORBIDDEN])
def test_forbidden_transition_raises(pair: tuple[Phase, Trigger]) -> None:
    phase, trigger = pair
    with pytest.raises(IllegalTransition) as raised:
        next_phase(phase, trigger)
    assert str(raised.value) == f"{trigger.value} is not allowed while {phase.value}"


@pytest.mark.parametrize("phase", list(Phase), ids=[p.value for p in Phase])
def test_a_stop_request_is_accepted_in_every_phase(phase: Phase) -> None:
    assert next_phase(phase, Trigger.STOP) in (Phase.STOPPING, Phase.STOPPED, Phase.FAILED)


@pytest.mark.parametrize(
    ("phase", "final"),
    [
        (P.CREATED, False),
        (P.STARTING, False),
        (P.RUNNING, False),
        (P.STOPPING, False),
        (P.STOPPED, True),
        (P.FAILED, True),
    ],
    ids=[p.value for p in Phase],
)
def test_is_final(phase: Phase, final: bool) -> None:
    assert is_final(phase) is final


def test_final_phases_are_never_left() -> None:
    for phase, trigger in ALL_PAIRS:
        if not is_final(phase):
            continue
        try:
            target = next_phase(phase, trigger)
        except IllegalTransition:
            continue
        assert target is phase


def test_a_crash_always_ends_in_failed_and_nothing_else_does() -> None:
    for (phase, trigger), target in ALLOWED.items():
        if trigger is Trigger.CRASHED:
            assert target is Phase.FAILED
        elif target is Phase.FAILED:
            assert phase is Phase.FAILED  # only the idempotent stop while failed


def test_the_only_way_to_run_is_created_starting_running() -> None:
    # Breadth-first over the real table: RUNNING is reachable, and only through STARTING.
    seen = {Phase.CREATED}
    frontier = [Phase.CREATED]
    parents: dict[Phase, set[Phase]] = {}
    for _ in range(len(Phase)):  # bounded: at most one new phase per round is needed
        next_frontier = []
        for phase in frontier:
            for trigger in Trigger:
                try:
                    target = next_phase(phase, trigger)
                except IllegalTransition:
                    continue
                parents.setdefault(target, set()).add(phase)
                if target not in seen:
                    seen.add(target)
                    next_frontier.append(target)
        frontier = next_frontier
    assert seen == set(Phase)
    assert parents[Phase.RUNNING] == {Phase.STARTING}
    assert parents[Phase.STARTING] == {Phase.CREATED}
