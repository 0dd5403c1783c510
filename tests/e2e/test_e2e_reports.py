"""Reports (issue 5) end to end with real `peerapp node` processes: a member reports a
message; it reaches the circle's facilitators and no one else (nothing of it is stored by
another member), waits for a facilitator who is offline, survives restarts, and only
facilitators can read and resolve it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peerapp.storage.profile import unlock_profile
from tests.e2e.node_process import PASSPHRASE, Node, StartNode
from tests.e2e.sync_support import form_circle, free_ports, quit_node, wait_history

REASON = "This was unkind to someone who is having a hard week."
HURTFUL = "a hurtful message"
WAIT = 30.0


def _mailbox_rows(profile: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The mailbox tables of a stopped node's profile, read from its SQLCipher database."""
    database = unlock_profile(profile, PASSPHRASE).open_database()
    try:
        return {
            "inbox": database.query("SELECT id, sender, kind FROM mailbox_inbox"),
            "outbox": database.query("SELECT id, recipient, delivered_at FROM mailbox_outbox"),
        }
    finally:
        database.close()


def _member_id(node: Node, circle: str, name: str) -> str:
    members = node.call("members", circle=circle)
    assert members["ok"], members
    return next(str(m["id"]) for m in members["members"] if m["name"] == name)


def _sent(node: Node, circle: str, text: str) -> str:
    reply = node.call("send", circle=circle, text=text)
    assert reply["ok"], reply
    return str(reply["message"])


def _report_arrives(facilitator: Node, circle: str, report: str) -> None:
    event = facilitator.wait_event("report_received", timeout=WAIT, consume=True)
    # ids only: the event never carries what was reported or why
    assert event == {"event": "report_received", "circle": circle, "report": report}


def _refusal(node: Node, cmd: str, **arguments: Any) -> str:
    reply = node.call(cmd, **arguments)
    assert not reply["ok"], reply
    return str(reply["error"])


def test_a_report_reaches_the_facilitator_and_no_one_else(
    start_node: StartNode, tmp_path: Path
) -> None:
    ash = start_node(tmp_path / "ash")
    bee = start_node(tmp_path / "bee")
    cy = start_node(tmp_path / "cy")
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Report circle")
    hurtful = _sent(cy, circle, HURTFUL)
    own = _sent(bee, circle, "my own words")
    founders = _sent(ash, circle, "welcome, everyone")
    wait_history(bee, circle, 3, who="Bee")
    wait_history(ash, circle, 3, who="Ash")

    reply = bee.call("report", circle=circle, message=hurtful, reason=REASON)
    assert reply["ok"], reply
    report = reply["report"]
    assert len(bytes.fromhex(report)) == 16
    _report_arrives(ash, circle, report)

    listed = ash.call("reports", circle=circle)
    assert listed["ok"], listed
    assert listed["reports"] == [
        {
            "id": report,
            "kind": "report",
            "reporter": _member_id(ash, circle, "Bee"),
            "reporter_name": "Bee",
            "message": hurtful,
            "author": _member_id(ash, circle, "Cy"),
            "author_name": "Cy",
            "excerpt": HURTFUL,
            "reason": REASON,
            "ts": listed["reports"][0]["ts"],
            "received_at": listed["reports"][0]["received_at"],
            "resolved": False,
            "notes": [],  # other facilitators' notes on resolving it (issue 14)
        }
    ]
    assert listed["reports"][0]["ts"] <= listed["reports"][0]["received_at"] + 60_000

    # plain members can neither read nor resolve reports
    for member in (bee, cy):
        assert _refusal(member, "reports", circle=circle) == "Only facilitators can see reports."
        assert (
            _refusal(member, "resolve_report", circle=circle, report=report)
            == "Only facilitators can resolve reports."
        )

    # what a report cannot be
    assert "your own message" in _refusal(bee, "report", circle=circle, message=own, reason="x")
    assert "only facilitator" in _refusal(
        bee, "report", circle=circle, message=founders, reason="x"
    )
    assert "no facilitator to report to" in _refusal(
        ash, "report", circle=circle, message=hurtful, reason="x"
    )
    assert "why" in _refusal(bee, "report", circle=circle, message=hurtful, reason="  ")
    assert "500" in _refusal(bee, "report", circle=circle, message=hurtful, reason="x" * 501)
    assert "not in this circle" in _refusal(
        bee, "report", circle=circle, message="ab" * 32, reason="x"
    )

    assert ash.call("resolve_report", circle=circle, report=report)["ok"]
    assert [r["resolved"] for r in ash.call("reports", circle=circle)["reports"]] == [True]
    assert "no such report" in _refusal(ash, "resolve_report", circle=circle, report="00" * 16)

    # Cy, whose message was reported, heard nothing and stores nothing of it
    assert not [e for e in cy.events if e.get("event") == "report_received"]
    for node in (ash, bee, cy):
        quit_node(node)
    assert _mailbox_rows(tmp_path / "cy") == {"inbox": [], "outbox": []}
    bee_rows = _mailbox_rows(tmp_path / "bee")
    assert bee_rows["inbox"] == []
    assert [bytes(i).hex() for i, _, _ in bee_rows["outbox"]] == [report]
    ash_rows = _mailbox_rows(tmp_path / "ash")
    assert [(bytes(i).hex(), k) for i, _, k in ash_rows["inbox"]] == [(report, "report")]


@pytest.mark.timeout(240)
def test_a_report_waits_for_an_offline_facilitator_across_restarts(
    start_node: StartNode, tmp_path: Path
) -> None:
    (ash_port,) = free_ports(1)
    ash_listen = f"/ip4/127.0.0.1/tcp/{ash_port}"
    ash = start_node(tmp_path / "ash", listen=ash_listen)
    bee = start_node(tmp_path / "bee")
    cy = start_node(tmp_path / "cy")
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Patient circle")
    hurtful = _sent(cy, circle, HURTFUL)
    wait_history(bee, circle, 1, who="Bee")

    quit_node(ash)  # the only facilitator is away when Bee reports
    reply = bee.call("report", circle=circle, message=hurtful, reason=REASON)
    assert reply["ok"], reply
    report = reply["report"]
    quit_node(bee)  # and Bee is gone too before Ash is back: the outbox is on disk
    assert [d for _, _, d in _mailbox_rows(tmp_path / "bee")["outbox"]] == [None]

    ash = start_node(tmp_path / "ash", listen=ash_listen)
    bee = start_node(tmp_path / "bee")
    _report_arrives(ash, circle, report)
    (listed,) = ash.call("reports", circle=circle)["reports"]
    assert (listed["id"], listed["excerpt"], listed["reason"]) == (report, HURTFUL, REASON)
    assert listed["reporter_name"] == "Bee"
    assert not [e for e in cy.events if e.get("event") == "report_received"]

    # a second report goes on the same delivery path after the first one's ack, so once
    # it arrives the first is recorded as delivered (the second's ack may still be in flight)
    again = bee.call("report", circle=circle, message=hurtful, reason="It happened again.")
    assert again["ok"], again
    _report_arrives(ash, circle, again["report"])
    quit_node(bee)
    delivered = {
        bytes(i).hex(): d is not None for i, _, d in _mailbox_rows(tmp_path / "bee")["outbox"]
    }
    assert delivered.keys() == {report, again["report"]} and delivered[report]


def test_every_facilitator_gets_the_report_but_its_author(
    start_node: StartNode, tmp_path: Path
) -> None:
    """With two facilitators: a member's report reaches both; a facilitator's own report
    reaches the other and stays in its own inbox; a facilitator never receives a report
    about its own message."""
    ash = start_node(tmp_path / "ash")
    bee = start_node(tmp_path / "bee")
    cy = start_node(tmp_path / "cy")
    dee = start_node(tmp_path / "dee")
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy"), (dee, "Dee")], name="Two leads")
    promoted = ash.call("promote", circle=circle, member=_member_id(ash, circle, "Bee"))
    assert promoted["ok"], promoted

    def bee_is_facilitator() -> bool:
        members = dee.call("members", circle=circle)["members"]
        return any(m["name"] == "Bee" and m["role"] == "facilitator" for m in members)

    for _ in range(int(WAIT / 0.25)):
        if bee_is_facilitator():
            break
        dee.drain(0.25)
    assert bee_is_facilitator()

    hurtful = _sent(cy, circle, HURTFUL)
    from_bee = _sent(bee, circle, "a facilitator's words")
    for node, who in ((dee, "Dee"), (ash, "Ash")):
        wait_history(node, circle, 2, who=who)

    report = dee.call("report", circle=circle, message=hurtful, reason=REASON)["report"]
    _report_arrives(ash, circle, report)
    _report_arrives(bee, circle, report)

    # about Bee's own message: only Ash hears of it
    about_bee = dee.call("report", circle=circle, message=from_bee, reason=REASON)["report"]
    _report_arrives(ash, circle, about_bee)
    assert [r["id"] for r in bee.call("reports", circle=circle)["reports"]] == [report]

    # a facilitator reports: the other facilitator gets it, and it keeps its own copy
    by_ash = ash.call("report", circle=circle, message=hurtful, reason="Seen it too.")
    assert by_ash["ok"], by_ash
    _report_arrives(bee, circle, by_ash["report"])
    assert by_ash["report"] in [r["id"] for r in ash.call("reports", circle=circle)["reports"]]

    for node in (ash, bee, cy, dee):
        quit_node(node)
    for name in ("cy", "dee"):
        assert _mailbox_rows(tmp_path / name)["inbox"] == []
