"""The e2e helper's nodes launched ahead (tests/e2e/node_process.py Spares): what a test
takes is a running node on a profile nothing else used, and what is left is killed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.node_process import (
    COVERAGE_VARIABLES,
    MEASURE_NODES_VARIABLE,
    MEASURED_TEST_FILES,
    Spares,
    StartNode,
    measured_here,
    node_environment,
)


def test_start_node_hands_out_running_fresh_distinct_nodes(start_node: StartNode) -> None:
    first, second = start_node(), start_node()
    assert first.process.poll() is None and second.process.poll() is None
    assert first.ready["event"] == "ready" and second.ready["event"] == "ready"
    assert first.profile != second.profile
    assert first.ready["peer_id"] != second.ready["peer_id"]
    for node in (first, second):
        status = node.call("status")
        assert status["ok"], status
        assert status["profile"] == str(node.profile)
        circles = node.call("circles")
        assert circles["ok"] and circles["circles"] == [], "a spare must be unused"


def test_spares_launch_a_replacement_per_node_taken_and_close_kills_the_rest(
    tmp_path: Path,
) -> None:
    spares = Spares(tmp_path, ahead=1)
    try:
        taken = spares.take()
        try:
            waiting = spares.waiting
            assert len(waiting) == 1
            assert taken not in waiting
            assert len({taken.profile, *(node.profile for node in waiting)}) == 2
            assert taken.call("status")["ok"]
        finally:
            taken.kill()
    finally:
        spares.close()
    assert spares.waiting == ()
    # killed where they stood (maybe before their ready line): the process, not `process`
    assert all(node._process.poll() is not None for node in waiting)


def test_an_unmeasured_node_gets_no_coverage_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Node(measured=False) (for a node the test SIGKILLs, which writes no coverage data)
    starts without what starts coverage in a child; every other node keeps it."""
    for variable in COVERAGE_VARIABLES:
        monkeypatch.setenv(variable, "as coverage's subprocess patch sets it")
    measured = node_environment(measured=True)
    unmeasured = node_environment(measured=False)
    for variable in COVERAGE_VARIABLES:
        assert measured[variable] == "as coverage's subprocess patch sets it"
        assert variable not in unmeasured
    assert {k: v for k, v in measured.items() if k not in COVERAGE_VARIABLES} == unmeasured


def test_only_the_node_front_tests_measure_their_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default a node is measured only while a test of MEASURED_TEST_FILES runs
    (PYTEST_CURRENT_TEST names it); HEARTH_MEASURE_NODES=all measures every node, spares
    included."""
    for variable in COVERAGE_VARIABLES:
        monkeypatch.setenv(variable, "as coverage's subprocess patch sets it")
    monkeypatch.delenv(MEASURE_NODES_VARIABLE, raising=False)
    monkeypatch.setenv("PYTEST_CURRENT_TEST", f"{MEASURED_TEST_FILES[0]}::test_x (call)")
    assert measured_here()
    assert all(v in node_environment() for v in COVERAGE_VARIABLES)
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/e2e/test_circles.py::test_x (call)")
    assert not measured_here()
    assert not any(v in node_environment() for v in COVERAGE_VARIABLES)
    assert not Spares(Path("unused")).measured
    monkeypatch.setenv(MEASURE_NODES_VARIABLE, "all")
    assert measured_here()
    assert all(v in node_environment() for v in COVERAGE_VARIABLES)
    assert Spares(Path("unused")).measured
