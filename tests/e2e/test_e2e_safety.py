"""A safe support space, end to end with real `peerapp node` processes on loopback:
content warnings and check-ins travel inside the encrypted event; harm flags hide a
message pending review on every member, with no facilitator online; a facilitator's
restore shows it again everywhere; "taking a break" shows in the members list."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.binding import bound
from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import form_circle, history_all, poll, quit_node, wait_history


def _ids(node: Node, circle: str) -> dict[str, str]:
    return {m["name"]: m["id"] for m in node.call("members", circle=circle)["members"]}


def _refused(reply: dict[str, Any], text: str) -> None:
    assert reply["ok"] is False, reply
    assert reply["error"] == text, reply


def _message(node: Node, circle: str, message: str) -> dict[str, Any] | None:
    return next((m for m in history_all(node, circle) if m["id"] == message), None)


TOO_NEW_TO_FLAG = (
    "You can flag messages once you have been in this circle a little longer "
    "(the circle's settings say how long)."
)


def _wait_review(nodes: list[Node], circle: str, message: str, hidden: bool, flags: int) -> None:
    """Every node holds the message with this review state."""
    for node in nodes:

        def settled(node: Node = node) -> bool:
            seen = _message(node, circle, message)
            return seen is not None and (seen["hidden"], seen["harm_flags"]) == (hidden, flags)

        poll(settled, f"hidden={hidden} with {flags} flags", pace=[node])


def test_content_warnings_and_check_ins_arrive_with_their_message(start_node: StartNode) -> None:
    ash, bee = start_node(), start_node()
    circle = form_circle(ash, [(bee, "Bee")], name="Warnings")

    listed = bee.call("send", circle=circle, text="It has been a year today.", cw="grief")
    custom = bee.call("send", circle=circle, text="About the hospital.", cw="  medical   stuff ")
    plain = bee.call("send", circle=circle, text="Thanks for listening.")
    checkin = bee.call("checkin", circle=circle, mood=2, text="Tired, but here.")
    quiet_checkin = bee.call("checkin", circle=circle, mood=4)
    assert all(r["ok"] for r in (listed, custom, plain, checkin, quiet_checkin))

    arrived = {m["id"]: m for m in wait_history(ash, circle, 5, who="Ash")}
    assert arrived[listed["message"]]["cw"] == "grief"
    assert arrived[custom["message"]]["cw"] == "medical stuff"  # cleaned before signing
    assert arrived[plain["message"]]["cw"] == ""
    assert (arrived[checkin["message"]]["mood"], arrived[checkin["message"]]["text"]) == (
        2,
        "Tired, but here.",
    )
    assert (
        arrived[quiet_checkin["message"]]["mood"],
        arrived[quiet_checkin["message"]]["text"],
    ) == (4, "")
    assert arrived[plain["message"]]["mood"] == 0
    # the reader's default for every topic is collapse
    assert arrived[listed["message"]]["filter"] == "collapse"
    assert arrived[custom["message"]]["filter"] == "collapse"
    assert arrived[plain["message"]]["filter"] == "show"

    _refused(
        bee.call("send", circle=circle, text="hi", cw="x" * 41),
        "A content warning can be at most 40 characters.",
    )
    _refused(
        bee.call("checkin", circle=circle, mood=6), "A check-in's mood is a number from 1 to 5."
    )
    _refused(
        bee.call("checkin", circle=circle, mood=0), "A check-in's mood is a number from 1 to 5."
    )
    _refused(bee.call("send", circle=circle, text="  "), "There is nothing to send.")
    assert len(history_all(ash, circle)) == 5


def test_harm_flags_hide_a_message_everywhere_until_a_facilitator_restores_it(
    start_node: StartNode, tmp_path: Path
) -> None:
    ash = start_node(tmp_path / "ash")
    bee, cy, dee, eve = (start_node() for _ in range(4))
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy"), (dee, "Dee"), (eve, "Eve")], name="Review")
    everyone_but_ash = [bee, cy, dee, eve]
    harsh = bee.call("send", circle=circle, text="something hurtful")["message"]
    for node in everyone_but_ash:
        wait_history(node, circle, 1)
    # members who just arrived cannot flag yet (puppets would): the circle says how long
    _refused(cy.call("flag", circle=circle, kind="harm", message=harsh), TOO_NEW_TO_FLAG)
    assert ash.call("set_settings", circle=circle, flag_after_hours=0)["ok"]
    for node in everyone_but_ash:
        poll(
            bound(node, lambda n: n.call("circle_info", circle=circle)["flag_after_hours"] == 0),
            "members may flag at once",
            pace=[node],
        )

    # the only facilitator goes offline: the members' flags still take effect
    quit_node(ash)
    _refused(
        bee.call("flag", circle=circle, kind="harm", message=harsh),
        "You can't flag your own message.",
    )
    first = cy.call("flag", circle=circle, kind="harm", message=harsh)
    assert first == {**first, "ok": True, "hidden": False, "harm_flags": 1}, first
    _refused(
        cy.call("flag", circle=circle, kind="harm", message=harsh),
        "You have already flagged this message.",
    )
    assert dee.call("flag", circle=circle, kind="harm", message=harsh)["ok"]
    _wait_review(everyone_but_ash, circle, harsh, hidden=False, flags=2)
    flagged_at = time.monotonic()
    third = eve.call("flag", circle=circle, kind="harm", message=harsh)
    assert third["ok"] and third["hidden"] is True, third
    _wait_review(everyone_but_ash, circle, harsh, hidden=True, flags=3)
    print(f"third flag to hidden on all 4 members: {(time.monotonic() - flagged_at) * 1000:.0f} ms")
    for node in everyone_but_ash:
        review = node.wait_event("message_review")
        assert review == {**review, "circle": circle, "message": harsh, "hidden": True}
    seen_by_bee = _message(bee, circle, harsh)
    assert (
        seen_by_bee is not None and seen_by_bee["text"] == "something hurtful"
    )  # collapsed, not erased
    assert not seen_by_bee["flagged"] and _message(cy, circle, harsh)["flagged"]  # type: ignore[index]

    # a plain member cannot end the review
    _refused(
        cy.call("restore_message", circle=circle, message=harsh),
        "Only facilitators can restore messages.",
    )

    # the facilitator comes back, catches up, sees it pending review and restores it
    ash = start_node(tmp_path / "ash")
    _wait_review([ash], circle, harsh, hidden=True, flags=3)
    restored = ash.call("restore_message", circle=circle, message=harsh)
    assert restored["ok"], restored
    _wait_review([ash, *everyone_but_ash], circle, harsh, hidden=False, flags=3)
    for node in everyone_but_ash:
        assert _message(node, circle, harsh)["restored"] is True  # type: ignore[index]
    log = ash.call("moderation_log", circle=circle)["entries"]
    assert [(e["action"], e["actor_name"], e["target_name"]) for e in log][-1] == (
        "restore",
        "Ash",
        "Bee",
    )
    # reviewed: it cannot be flagged again, nor restored twice
    _refused(
        cy.call("flag", circle=circle, kind="harm", message=harsh),
        "A facilitator has already reviewed this message.",
    )
    _refused(
        ash.call("restore_message", circle=circle, message=harsh),
        "That message is not hidden pending review.",
    )


def test_a_lower_threshold_hides_at_once_and_a_delete_ends_the_review(
    start_node: StartNode,
) -> None:
    ash, bee, cy = start_node(), start_node(), start_node()
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Small")
    assert ash.call("set_settings", circle=circle, harm_flags_to_hide=1, flag_after_hours=0)["ok"]
    _refused(
        ash.call("set_settings", circle=circle, harm_flags_to_hide=0),
        "'harm_flags_to_hide' must be between 1 and 20",
    )
    poll(
        lambda: cy.call("circle_info", circle=circle)["flag_after_hours"] == 0,
        "the new threshold at Cy",
        pace=[cy],
    )
    harsh = bee.call("send", circle=circle, text="harsh words")["message"]
    wait_history(cy, circle, 1)
    assert cy.call("flag", circle=circle, kind="harm", message=harsh)["hidden"] is True
    _wait_review([ash, bee, cy], circle, harsh, hidden=True, flags=1)
    pending = ash.call("flags", circle=circle)
    assert pending["ok"], pending
    assert [
        (p["message"], p["author_name"], p["harm_flags"]) for p in pending["pending_review"]
    ] == [(harsh, "Bee", 1)]
    assert ash.call("delete_message", circle=circle, message=harsh)["ok"]
    for node in (ash, bee, cy):
        poll(
            bound(
                node,
                lambda n: (
                    (m := _message(n, circle, harsh)) is not None
                    and m["deleted"] == "facilitator"
                    and not m["hidden"]
                ),
            ),
            "the tombstone",
            pace=[node],
        )


def test_taking_a_break_shows_to_the_members(start_node: StartNode) -> None:
    ash, bee = start_node(), start_node()
    circle = form_circle(ash, [(bee, "Bee")], name="Breaks")
    reply = bee.call("set_break", circle=circle, on=True, status=True)
    assert reply["ok"], reply

    def bee_on_break(expected: bool) -> bool:
        members = {m["name"]: m for m in ash.call("members", circle=circle)["members"]}
        return members["Bee"]["on_break"] is expected and members["Ash"]["on_break"] is False

    poll(lambda: bee_on_break(True), "Bee taking a break, at Ash", pace=[ash])
    assert bee.call("set_break", circle=circle, on=False, status=True)["ok"]
    poll(lambda: bee_on_break(False), "Bee back, at Ash", pace=[ash])
