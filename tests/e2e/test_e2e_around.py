"""Around the list end to end with real `peerapp node` processes (issue 15): Ash founds
a circle and Bee joins. Ash's membership log has "Bee joined"; the circle list's row
previews the last message (its content warning, never its text, is what a front shows);
with typing off Bee's `typing` is refused; once Ash turns it on, Bee's typing reaches
Ash as a `typing` event over GossipSub, never stored."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import form_circle, poll

WAIT = 30.0


def _row(node: Node, circle: str) -> dict[str, Any]:
    circles = node.call("circles")
    assert circles["ok"], circles
    return next(row for row in circles["circles"] if row["id"] == circle)


def test_joins_previews_and_typing_between_two_nodes(start_node: StartNode, tmp_path: Path) -> None:
    ash = start_node(tmp_path / "ash")
    bee = start_node(tmp_path / "bee")
    circle = form_circle(ash, [(bee, "Bee")], name="Evening circle")

    # who joined: in the log, with its place in the circle's order
    log = poll(lambda: ash.call("membership_log", circle=circle)["entries"], "Bee's join", WAIT)
    assert [(e["action"], e["member_name"]) for e in log] == [("joined", "Bee")]
    assert log[0]["lamport"] > 0

    # the preview: Bee's message with a content warning reaches Ash's row
    assert _row(ash, circle)["last_message"] is None
    sent = bee.call("send", circle=circle, text="it was a hard week", cw="grief")
    assert sent["ok"], sent
    last = poll(
        lambda: (row := _row(ash, circle)["last_message"]) and row["id"] == sent["message"] and row,
        "Bee's message in Ash's row",
        WAIT,
        pace=[ash],
    )
    assert last["cw"] == "grief" and last["author_name"] == "Bee"

    # typing: off by default, refused with its code
    refused = bee.call("typing", circle=circle)
    assert not refused["ok"] and refused["code"] == "typing_off"
    settings = ash.call("set_settings", circle=circle, typing=True)
    assert settings["ok"] and settings["typing"] is True, settings
    poll(lambda: bee.call("circle_info", circle=circle).get("typing"), "typing on at Bee", WAIT)

    started = time.monotonic()
    asked: list[float] = []

    def typing_seen() -> dict[str, Any] | None:
        # a signal is sent once (never retried by the engine): ask again every 3 s until
        # the GossipSub mesh carries one
        if not asked or time.monotonic() - asked[-1] >= 3:
            assert bee.call("typing", circle=circle)["ok"]
            asked.append(time.monotonic())
        return next((e for e in ash.events if e.get("event") == "typing"), None)

    seen = poll(typing_seen, "Bee typing at Ash", WAIT, pace=[ash])
    print(f"typing seen after {time.monotonic() - started:.2f} s, {len(asked)} asked")
    assert seen["circle"] == circle and seen["member_name"] == "Bee" and seen["seconds"] > 0
    # once the mesh carries them: one signal, one event (the figure is printed, not asserted)
    ash.events[:] = [e for e in ash.events if e.get("event") != "typing"]
    # the sender's own limit: one signal per 3 s. drain() returns at Bee's first line of
    # output (an event), so it is asked again until the 3 s are over (bounded: 3 s of
    # waits, at most 100 lines)
    for _ in range(100):
        pause = 3 - (time.monotonic() - asked[-1])
        if pause <= 0:
            break
        bee.drain(pause)
    sent_at = time.monotonic()
    assert bee.call("typing", circle=circle)["ok"]
    again = ash.wait_event("typing", timeout=WAIT)
    print(f"typing signal to event: {(time.monotonic() - sent_at) * 1000:.0f} ms")
    assert again["member"] == seen["member"]
    # never stored: the history holds the one message
    history = ash.call("history", circle=circle)
    assert [m["id"] for m in history["messages"]] == [sent["message"]]
