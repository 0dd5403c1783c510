"""Search end to end with real `peerapp node` processes (issue 15): Bee's messages reach
Ash over the network and Ash's `search` finds them, with Bee's name, the circle and a
snippet; words that look like FTS5 syntax are only words; a message Bee deletes leaves
Ash's results (its text was erased from Ash's index); blocking Bee leaves Bee's out."""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import form_circle

WAIT = 30.0
GARDEN = "The garden helped today, thank you all"
SEA = 'Walking by the sea: "NEAR(" the rocks*'


def _found(node: Node, text: str, **options: object) -> list[dict[str, object]]:
    reply = node.call("search", text=text, **options)
    assert reply["ok"], reply
    return list(reply["results"])


def _arrived(node: Node, text: str) -> dict[str, object]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        event = node.wait_event("message", timeout=WAIT, consume=True)
        if event["message"]["text"] == text:
            return dict(event["message"])
    raise AssertionError(f"{text!r} did not arrive")


def test_search_finds_what_another_member_sent_and_only_what_history_shows(
    start_node: StartNode, tmp_path: Path
) -> None:
    ash = start_node(tmp_path / "ash")
    bee = start_node(tmp_path / "bee")
    circle = form_circle(ash, [(bee, "Bee")], name="Evening circle")
    garden = bee.call("send", circle=circle, text=GARDEN)
    sea = bee.call("send", circle=circle, text=SEA)
    assert garden["ok"] and sea["ok"], (garden, sea)
    _arrived(ash, GARDEN)
    bee_id = str(_arrived(ash, SEA)["author"])

    started = time.monotonic()
    (hit,) = _found(ash, "GARDEN thank")
    print(f"search over the network's messages: {(time.monotonic() - started) * 1000:.1f} ms")
    assert hit["circle"] == circle and hit["circle_name"] == "Evening circle"
    assert hit["message"] == garden["message"] and hit["text"] == GARDEN
    assert hit["author"] == bee_id and hit["author_name"] == "Bee" and hit["mine"] is False
    assert hit["cw"] == "" and hit["filter"] == "show"
    assert [p["text"] for p in hit["snippet"] if p["match"]] == ["garden", "thank"]  # type: ignore[attr-defined]
    assert "".join(p["text"] for p in hit["snippet"]) == GARDEN  # type: ignore[attr-defined]
    assert [h["message"] for h in _found(ash, "garden", circle=circle)] == [garden["message"]]

    # FTS5 syntax typed is only words: no error, and the words match as words
    for words in ('"', "NEAR(", "*", "rocks*", "text:sea", "AND OR NOT", '"NEAR( the rocks*"'):
        _found(ash, words)
    assert [h["message"] for h in _found(ash, '"near( rocks*')] == [sea["message"]]
    refused = ash.call("search", text="x" * 201)
    assert not refused["ok"] and refused["code"] == "search_too_long"

    # Bee deletes its message: erased on Ash's machine, and out of Ash's index
    assert bee.call("delete_message", circle=circle, message=garden["message"])["ok"]
    deadline = time.monotonic() + WAIT
    while _found(ash, "garden") and time.monotonic() < deadline:
        ash.wait_event("message_changed", timeout=WAIT, consume=True)
    assert _found(ash, "garden") == []

    # Ash blocks Bee: Bee's messages leave Ash's results (and only Ash's)
    assert [h["message"] for h in _found(ash, "sea")] == [sea["message"]]
    assert ash.call("block", circle=circle, member=bee_id)["ok"]
    assert _found(ash, "sea") == []
    assert [h["mine"] for h in _found(bee, "sea")] == [True]
