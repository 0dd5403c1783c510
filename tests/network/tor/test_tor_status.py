"""Tor's status, pure: lines as tor writes them become inputs, and scripted input
sequences drive the state machine through its table."""

from __future__ import annotations

import pytest

from peerapp.network.tor.status import (
    INITIAL_STATUS,
    RECONNECT_STATUS,
    RESTART_STATUS,
    TRANSITIONS,
    Bootstrap,
    CircuitsBack,
    CircuitsLost,
    Kind,
    TorInput,
    TorReconnected,
    TorRestarted,
    TorState,
    TorStatus,
    TorStatusMachine,
    TorStopped,
    parse_bootstrap_phase,
    parse_event,
)

S = TorState


def boot(progress: int, phase: str = "conn", summary: str = "Connecting") -> Bootstrap:
    return Bootstrap(TorStatus(phase=phase, progress=progress, summary=summary))


def run(events: list[TorInput]) -> list[TorState]:
    machine = TorStatusMachine()
    return [machine.feed(event)[0].state for event in events]


def test_a_first_start_bootstraps_then_is_ready() -> None:
    states = run([boot(0, "starting"), boot(5), boot(45, "loading_descriptors"), boot(100, "done")])
    assert states == [S.BOOTSTRAPPING, S.BOOTSTRAPPING, S.BOOTSTRAPPING, S.READY]


def test_cached_state_can_be_ready_at_once() -> None:
    assert run([boot(100, "done")]) == [S.READY]


def test_sleep_makes_it_stale_and_circuits_bring_it_back() -> None:
    machine = TorStatusMachine()
    machine.feed(boot(100, "done"))
    view, changed = machine.feed(CircuitsLost("the clock jumped (the computer slept)"))
    assert changed
    assert view.state is S.STALE
    assert view.detail == "the clock jumped (the computer slept)"
    assert view.status.progress == 100
    view, _ = machine.feed(boot(90, "ap_handshake_done"))
    assert view.state is S.STALE  # still catching up
    view, _ = machine.feed(CircuitsBack())
    assert view.state is S.READY
    assert view.detail == ""


def test_a_stopped_tor_fails_until_restarted() -> None:
    states = run([boot(30), TorStopped("tor exited"), boot(100), CircuitsBack(), TorRestarted()])
    assert states == [S.BOOTSTRAPPING, S.FAILED, S.FAILED, S.FAILED, S.RESTARTING]


def test_a_restart_says_so_then_bootstraps_again() -> None:
    machine = TorStatusMachine()
    machine.feed(boot(100, "done"))
    view, _ = machine.feed(TorRestarted())
    assert view.state is S.RESTARTING
    assert view.status == RESTART_STATUS
    assert view.summary == "Tor stopped; starting it again"
    assert run([TorRestarted(), boot(5), boot(100, "done")]) == [
        S.RESTARTING,
        S.BOOTSTRAPPING,
        S.READY,
    ]
    assert run([TorRestarted(), boot(100, "done")])[-1] is S.READY  # cached state


def test_an_existing_tor_reconnected_starts_over() -> None:
    machine = TorStatusMachine()
    machine.feed(boot(100, "done"))
    view, _ = machine.feed(TorStopped("Lost the connection"))
    assert view.summary == "Lost the connection"
    view, _ = machine.feed(TorReconnected())
    assert view.state is S.STARTING
    assert view.status == RECONNECT_STATUS
    assert view.summary == "Connected to Tor again"
    assert machine.view.status != INITIAL_STATUS


def test_inputs_that_do_not_apply_change_nothing() -> None:
    machine = TorStatusMachine()
    for event in (CircuitsLost("x"), CircuitsBack()):
        view, changed = machine.feed(event)
        assert view.state is S.STARTING
        assert not changed
    machine.feed(boot(100, "done"))
    view, changed = machine.feed(CircuitsBack())
    assert view.state is S.READY
    assert not changed


def test_every_state_can_fail_and_restart() -> None:
    for state in TorState:
        assert TRANSITIONS[(state, Kind.STOPPED)] is S.FAILED
        assert TRANSITIONS[(state, Kind.RESTARTED)] is S.RESTARTING
        assert TRANSITIONS[(state, Kind.RECONNECTED)] is S.STARTING


def test_bootstrap_phase_answers_read_as_status() -> None:
    assert parse_bootstrap_phase(
        'NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY="Starting"'
    ) == TorStatus(phase="starting", progress=0, summary="Starting")
    stuck = parse_bootstrap_phase(
        'WARN BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting to a relay" '
        'WARNING="Connection refused" REASON=CONNECTREFUSED COUNT=2 RECOMMENDATION=warn '
        'HOSTID="0000000000000000000000000000000000000000" HOSTADDR="127.0.0.1:9"'
    )
    assert stuck == TorStatus(
        phase="conn", progress=5, summary="Connecting to a relay (Connection refused)"
    )


def test_events_read_as_inputs() -> None:
    assert parse_event(
        'STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"'
    ) == Bootstrap(TorStatus(phase="done", progress=100, summary="Done"))
    assert parse_event("STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED") == CircuitsBack()
    assert parse_event(
        "STATUS_CLIENT NOTICE CIRCUIT_NOT_ESTABLISHED REASON=CLOCK_JUMPED"
    ) == CircuitsLost("the clock jumped (the computer slept)")
    assert parse_event("STATUS_CLIENT WARN CIRCUIT_NOT_ESTABLISHED REASON=WHATEVER") == (
        CircuitsLost("Tor lost its circuits")
    )
    assert parse_event("NETWORK_LIVENESS DOWN") == CircuitsLost("the network is down")
    assert parse_event("NETWORK_LIVENESS UP") == CircuitsBack()


@pytest.mark.parametrize(
    "line",
    [
        "",
        "STATUS_CLIENT",
        "STATUS_CLIENT NOTICE",
        "STATUS_CLIENT NOTICE ENOUGH_DIR_INFO",
        "STATUS_GENERAL NOTICE BOOTSTRAP PROGRESS=5 TAG=conn",
        "NETWORK_LIVENESS SIDEWAYS",
        "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=101 TAG=done",
        "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=-5 TAG=conn",
        "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=1e3 TAG=conn",
        "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5",
        "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=con-n",
        'STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="unterminated',
        "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY=" + "x" * 5000,
        "STATUS_CLIENT EVIL BOOTSTRAP PROGRESS=5 TAG=conn",
    ],
)
def test_lines_that_do_not_read_are_ignored(line: str) -> None:
    assert parse_event(line) is None


def test_summaries_are_bounded_and_printable() -> None:
    status = parse_bootstrap_phase(
        'NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="' + "\\x1b[31m" + "y" * 500 + '"'
    )
    assert status is not None
    assert status.summary.isprintable()
    assert len(status.summary) <= 120
