"""Replies, reactions and edits (issue 15), end to end with real `peerapp node` processes
on loopback: a reply quotes its message on the other member, a reaction shows with who
gave it and is taken back, an edit replaces the text everywhere (a facilitator sees the
earlier version), and an edit of someone else's message is refused with a clear reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import form_circle, history_all, poll, quit_node, wait_history


def _message(node: Node, circle: str, message: str) -> dict[str, Any] | None:
    return next((m for m in history_all(node, circle) if m["id"] == message), None)


def _wait(node: Node, circle: str, message: str, what: str, check: Any) -> dict[str, Any]:
    def settled() -> dict[str, Any] | None:
        seen = _message(node, circle, message)
        return seen if seen is not None and check(seen) else None

    return poll(settled, what, pace=[node])


def test_reply_react_unreact_and_edit_travel_between_members(
    start_node: StartNode, tmp_path: Path
) -> None:
    bee_profile = tmp_path / "bee"
    ash, bee = start_node(), start_node(bee_profile)
    circle = form_circle(ash, [(bee, "Bee")], name="Content")

    said = bee.call("send", circle=circle, text="It was a hard dya.")
    assert said["ok"], said
    wait_history(ash, circle, 1, who="Ash")

    # a reply quotes the message it answers, on the other member too
    reply = ash.call("reply", circle=circle, to=said["message"], text="I'm here for you.")
    assert reply["ok"], reply
    seen = _wait(bee, circle, reply["message"], "the reply", lambda m: True)
    assert seen["reply_to"] == said["message"]
    assert seen["quote"] == {
        "author_name": "Bee",
        "text": "It was a hard dya.",
        "cw": "",
        "removed": False,
    }

    # a reaction shows with who gave it; taking it back clears it everywhere
    hug = ash.call("react", circle=circle, message=said["message"], reaction="hug")
    assert hug == {"id": hug["id"], "ok": True, "message": said["message"]}
    reacted = _wait(bee, circle, said["message"], "Ash's hug", lambda m: m["reactions"])
    given = [
        (r["reaction"], r["names"], len(r["members"]), r["mine"]) for r in reacted["reactions"]
    ]
    assert given == [("hug", ["Ash"], 1, False)]
    assert bee.wait_event("message_changed")["message"]["id"] == said["message"]
    assert ash.call("unreact", circle=circle, message=said["message"], reaction="hug")["ok"]
    _wait(bee, circle, said["message"], "the hug taken back", lambda m: m["reactions"] == [])
    heart = ash.call("react", circle=circle, message=said["message"], reaction="heart")
    assert heart["ok"], heart
    _wait(bee, circle, said["message"], "Ash's heart", lambda m: m["reactions"])

    # the author edits; everyone reads the new text and "edited"; the facilitator (Ash,
    # the founder) sees the earlier version, the author's own view does not list it
    edit = bee.call("edit", circle=circle, message=said["message"], text="It was a hard day.")
    assert edit["ok"] and edit["message"] == said["message"], edit
    edited = _wait(ash, circle, said["message"], "the edit", lambda m: m["edited"])
    assert edited["text"] == "It was a hard day."
    assert [v["text"] for v in edited["earlier"]] == ["It was a hard dya."]
    own = _message(bee, circle, said["message"])
    assert own is not None and own["edited"] and own["earlier"] == []
    # the reply's quote follows the newest text
    quoted = _message(ash, circle, reply["message"])
    assert quoted is not None and quoted["quote"]["text"] == "It was a hard day."

    # refused, with a reason that says what to do: an edit of someone else's message, a
    # reaction that is not one, a reply to a message that does not exist
    refused = ash.call("edit", circle=circle, message=said["message"], text="Rewritten.")
    assert (refused["ok"], refused["code"]) == (False, "edit_not_author"), refused
    assert refused["error"] == "Only its author can edit a message."
    wrong = bee.call("react", circle=circle, message=reply["message"], reaction="like")
    assert (wrong["ok"], wrong["code"]) == (False, "not_a_reaction"), wrong
    nowhere = bee.call("reply", circle=circle, to="ab" * 32, text="Hello?")
    assert (nowhere["ok"], nowhere["code"]) == (False, "no_such_message"), nowhere
    # nothing of those reached the other member
    after = _message(bee, circle, said["message"])
    assert after is not None and after["text"] == "It was a hard day."

    # all of it is stored: a restart shows the same (the start-up replays the log with
    # the edits and reactions in it)
    def shown(node: Node) -> list[dict[str, Any]]:
        # delivery counts may move on with the next sync: the rest must not
        return [{k: v for k, v in m.items() if k != "held_by"} for m in history_all(node, circle)]

    before = shown(bee)
    quit_node(bee)
    bee = start_node(bee_profile)
    assert shown(bee) == before
    kept = _message(bee, circle, said["message"])
    assert kept is not None and kept["edited"]
    assert [(r["reaction"], r["names"]) for r in kept["reactions"]] == [("heart", ["Ash"])]
