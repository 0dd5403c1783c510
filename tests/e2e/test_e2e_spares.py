"""The e2e helper's nodes launched ahead (tests/e2e/node_process.py Spares): what a test
takes is a running node on a profile nothing else used, and what is left is killed."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.node_process import Spares, StartNode


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
