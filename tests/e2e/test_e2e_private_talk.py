"""A private conversation end to end with real `peerapp node` processes (issue 14): Ash
founds a circle, Bee and Cy join. Ash reaches out to Bee privately; Bee answers; both
keep the conversation, and nothing of it is in anyone's circle history. Cy, a plain
member, is refused with its code when writing to Bee (and to Ash, who never wrote to
her)."""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import form_circle

HELLO = "Hi Bee, how are you holding up this week?"
ANSWER = "Thank you for asking. A bit better."
WAIT = 30.0


def _member_id(node: Node, circle: str, name: str) -> str:
    members = node.call("members", circle=circle)
    assert members["ok"], members
    return next(str(m["id"]) for m in members["members"] if m["name"] == name)


def _texts(node: Node, circle: str, member: str) -> list[tuple[str, bool]]:
    reply = node.call("private_messages", circle=circle, member=member)
    assert reply["ok"], reply
    return [(str(m["text"]), bool(m["mine"])) for m in reply["messages"]]


def test_a_facilitator_reaches_out_and_a_member_answers(
    start_node: StartNode, tmp_path: Path
) -> None:
    ash = start_node(tmp_path / "ash")
    bee = start_node(tmp_path / "bee")
    cy = start_node(tmp_path / "cy")
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Quiet circle")
    ash_id, bee_id = _member_id(bee, circle, "Ash"), _member_id(ash, circle, "Bee")

    started = time.monotonic()
    sent = ash.call("private_send", circle=circle, member=bee_id, text=HELLO)
    assert sent["ok"], sent
    arrived = bee.wait_event("private_message", timeout=WAIT, consume=True)
    print(f"private message arrival: {(time.monotonic() - started) * 1000:.0f} ms")
    assert arrived["circle"] == circle and arrived["member"] == ash_id
    assert arrived["silent"] is False
    message = arrived["message"]
    assert message["id"] == sent["message"] and message["text"] == HELLO
    assert message["author"] == ash_id and message["mine"] is False

    (talk,) = bee.call("private_conversations", circle=circle)["conversations"]
    assert talk["member"] == ash_id and talk["unread"] == 1 and talk["may_write"] is True
    assert talk["opened_by_me"] is False
    assert bee.call("private_read", circle=circle, member=ash_id)["ok"]
    (talk,) = bee.call("private_conversations", circle=circle)["conversations"]
    assert talk["unread"] == 0

    answered = bee.call("private_send", circle=circle, member=ash_id, text=ANSWER)
    assert answered["ok"], answered
    back = ash.wait_event("private_message", timeout=WAIT, consume=True)
    assert back["member"] == bee_id and back["message"]["text"] == ANSWER

    assert _texts(ash, circle, bee_id) == [(HELLO, True), (ANSWER, False)]
    assert _texts(bee, circle, ash_id) == [(HELLO, False), (ANSWER, True)]
    (first, _) = ash.call("private_messages", circle=circle, member=bee_id)["messages"]
    assert first["delivered"] is True

    # a plain member may not open a conversation: refused with its code, nothing sent
    for to in (bee_id, ash_id):
        refused = cy.call("private_send", circle=circle, member=to, text="hello")
        assert not refused["ok"] and refused["code"] == "private_only_facilitators_start"
    assert cy.call("private_conversations", circle=circle)["conversations"] == []

    # nothing of it is in the circle's shared history
    for node in (ash, bee, cy):
        history = node.call("history", circle=circle)
        assert history["ok"] and history["messages"] == [], history
