"""Nothing lost (issue 4): `send` returns only after the event is durably stored, so a
SIGKILL right after the reply loses nothing; the restarted sender delivers it later."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.e2e.node_process import StartNode
from tests.e2e.sync_support import (
    form_circle,
    history_all,
    ids_of,
    quit_node,
    wait_connected,
    wait_history,
)

ROUNDS = 10


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_kill_9_right_after_send_loses_nothing(start_node: StartNode, tmp_path: Path) -> None:
    founder = start_node()
    witness_profile = tmp_path / "witness"
    witness = start_node(witness_profile)
    sender_profile = tmp_path / "sender"
    sender = start_node(sender_profile, measured=False)  # killed below: see the rounds
    circle = form_circle(founder, [(witness, "Cy"), (sender, "Bee")])
    wait_connected(founder, [witness.ready["peer_id"], sender.ready["peer_id"]])
    sender.kill()
    quit_node(witness)  # away during the crashes: it can only get them afterwards

    sent: list[str] = []
    for round_number in range(ROUNDS):
        # killed below with SIGKILL, so it would leave no coverage data: unmeasured, its
        # start (on this test's path, ten times) is 0.35-0.6 s shorter
        sender = start_node(sender_profile, measured=False)
        reply = sender.call("send", circle=circle, text=f"crash round {round_number}")
        sender.process.send_signal(signal.SIGKILL)  # at once: no await between reply and kill
        assert reply["ok"], reply
        sent.append(reply["message"])
        assert sender.process.wait(10) == -signal.SIGKILL

    # the sender's own log kept every message, in the order sent
    sender = start_node(sender_profile)
    own = history_all(sender, circle)
    assert ids_of(own) == sent
    assert all(m["mine"] for m in own)
    assert [m["text"] for m in own] == [f"crash round {i}" for i in range(ROUNDS)]

    # and, with the sender running again, every message reaches both other members
    witness = start_node(witness_profile)
    for other in (founder, witness):
        received = wait_history(other, circle, ROUNDS, timeout=60)
        assert ids_of(received) == sent
        assert {m["author_name"] for m in received} == {"Bee"}
