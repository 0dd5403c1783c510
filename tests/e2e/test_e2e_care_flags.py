"""Care flags ("I'm worried about someone", issue 6) end to end with real `peerapp node`
processes: a circle of a founder (Ash), a second facilitator (Bee) and two members (Cy,
Dee). A member's flag about another reaches both facilitators and no one else; the
flagged member is never told; a flag about a facilitator skips them; a member may flag
themselves; a flag waits for a facilitator who is offline."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from peerapp.storage.profile import unlock_profile
from tests.e2e.node_process import PASSPHRASE, Node, StartNode
from tests.e2e.sync_support import form_circle, free_ports, poll, quit_node, wait_history

NOTE = "Cy said they have not slept for days and sounded very low."
WORDS = "I don't see the point of anything lately"
WAIT = 30.0


def _member_id(node: Node, circle: str, name: str) -> str:
    members = node.call("members", circle=circle)
    assert members["ok"], members
    return next(str(m["id"]) for m in members["members"] if m["name"] == name)


def _refusal(node: Node, cmd: str, **arguments: Any) -> str:
    reply = node.call(cmd, **arguments)
    assert not reply["ok"], reply
    return str(reply["error"])


def _answer(node: Node, cmd: str, circle: str) -> dict[str, Any]:
    """A command's reply without its request id, to compare two replies."""
    reply = node.call(cmd, circle=circle)
    assert reply["ok"], reply
    return {key: value for key, value in reply.items() if key != "id"}


def _care_events(node: Node) -> list[dict[str, Any]]:
    node.drain(0.05)
    return [e for e in node.events if e.get("event") == "care_flag"]


def _care_rows(profile: Path) -> list[tuple[str, str]]:
    """(id, kind) of the mailbox inbox of a stopped node's profile."""
    database = unlock_profile(profile, PASSPHRASE).open_database()
    try:
        rows = database.query("SELECT id, kind FROM mailbox_inbox")
    finally:
        database.close()
    return [(bytes(i).hex(), str(k)) for i, k in rows]


def _circle_of_four(start_node: Any, tmp_path: Path, bee_listen: str | None = None) -> Any:
    ash = start_node(tmp_path / "ash")
    bee = start_node(tmp_path / "bee", **({"listen": bee_listen} if bee_listen else {}))
    cy = start_node(tmp_path / "cy")
    dee = start_node(tmp_path / "dee")
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy"), (dee, "Dee")], name="Care circle")
    promoted = ash.call("promote", circle=circle, member=_member_id(ash, circle, "Bee"))
    assert promoted["ok"], promoted

    def everyone_knows_bee_leads() -> bool:
        for node in (bee, cy, dee):
            members = node.call("members", circle=circle)["members"]
            if not any(m["name"] == "Bee" and m["role"] == "facilitator" for m in members):
                return False
        return True

    poll(everyone_knows_bee_leads, "Bee's promotion to reach everyone", WAIT, [dee])
    return ash, bee, cy, dee, circle


def _arrives(facilitator: Node, circle: str, flag: str, member: str) -> float:
    """Waits for the care_flag event; returns when it was seen (monotonic)."""
    event = facilitator.wait_event("care_flag", timeout=WAIT, consume=True)
    # ids only: the event never carries the note or who sent it
    assert event == {"event": "care_flag", "circle": circle, "flag": flag, "member": member}
    return time.monotonic()


def test_a_care_flag_reaches_the_facilitators_and_no_one_else(
    start_node: StartNode, tmp_path: Path
) -> None:
    ash, bee, cy, dee, circle = _circle_of_four(start_node, tmp_path)
    cy_id, dee_id = _member_id(dee, circle, "Cy"), _member_id(dee, circle, "Dee")
    bee_id, ash_id = _member_id(dee, circle, "Bee"), _member_id(dee, circle, "Ash")
    words = cy.call("send", circle=circle, text=WORDS)["message"]
    for node, who in ((dee, "Dee"), (ash, "Ash"), (bee, "Bee")):
        wait_history(node, circle, 1, who=who)

    def held_by_everyone() -> bool:
        # held_by moves as acknowledgements come in: let it settle before comparing
        (own,) = cy.call("history", circle=circle)["messages"]
        return bool(own.get("held_by", 0) == 3)

    poll(held_by_everyone, "Cy's message to be held by the three others", WAIT, [cy])
    quiet = {"cy": cy, "dee": dee}
    histories = {name: _answer(node, "history", circle) for name, node in quiet.items()}
    logs = {name: _answer(node, "moderation_log", circle) for name, node in quiet.items()}

    sent_at = time.monotonic()
    reply = dee.call("flag", circle=circle, kind="care", member=cy_id, message=words, note=NOTE)
    assert reply["ok"], reply
    flag = reply["flag"]
    assert len(bytes.fromhex(flag)) == 16
    latencies = [_arrives(f, circle, flag, cy_id) - sent_at for f in (ash, bee)]
    print(f"care flag arrival: {max(latencies) * 1000:.0f} ms to both facilitators")

    for facilitator in (ash, bee):
        listed = facilitator.call("flags", circle=circle)
        assert listed["ok"], listed
        (view,) = listed["flags"]
        assert view == {
            "id": flag,
            "member": cy_id,
            "member_name": "Cy",
            "message": words,
            "message_text": WORDS,
            "note": NOTE,
            "from": dee_id,
            "from_name": "Dee",
            "received_at": view["received_at"],
            "resolved": False,
            "notes": [],
        }
        # a care flag is not a report
        assert facilitator.call("reports", circle=circle)["reports"] == []

    # the flagged member and the other member: nothing, and no way to look
    for member in (cy, dee):
        assert _refusal(member, "flags", circle=circle) == "Only facilitators can see care flags."
        assert (
            _refusal(member, "resolve_flag", circle=circle, flag=flag)
            == "Only facilitators can resolve care flags."
        )
    assert _care_events(cy) == [] and _care_events(dee) == []
    for name, node in quiet.items():
        assert _answer(node, "history", circle) == histories[name]
        assert _answer(node, "moderation_log", circle) == logs[name]

    # resolving is each facilitator's own bookkeeping
    assert ash.call("resolve_flag", circle=circle, flag=flag)["ok"]
    assert [f["resolved"] for f in ash.call("flags", circle=circle)["flags"]] == [True]
    assert [f["resolved"] for f in bee.call("flags", circle=circle)["flags"]] == [False]
    assert "no such care flag" in _refusal(ash, "resolve_flag", circle=circle, flag="00" * 16)

    # "I need support": a member flags themselves, with no message and no note
    own = cy.call("flag", circle=circle, kind="care", member=cy_id)
    assert own["ok"], own
    for facilitator in (ash, bee):
        _arrives(facilitator, circle, own["flag"], cy_id)
        newest = facilitator.call("flags", circle=circle)["flags"][0]
        assert (newest["id"], newest["from_name"], newest["member_name"]) == (
            own["flag"],
            "Cy",
            "Cy",
        )
        assert (newest["message"], newest["message_text"], newest["note"]) == (None, "", "")

    # about a facilitator: only the other facilitator hears of it
    about_bee = dee.call("flag", circle=circle, kind="care", member=bee_id, note="Bee seems tired")
    assert about_bee["ok"], about_bee
    _arrives(ash, circle, about_bee["flag"], bee_id)
    assert about_bee["flag"] not in [f["id"] for f in bee.call("flags", circle=circle)["flags"]]
    # a facilitator flags someone: the other facilitator gets it, and it keeps a copy
    by_ash = ash.call("flag", circle=circle, kind="care", member=dee_id)
    assert by_ash["ok"], by_ash
    _arrives(bee, circle, by_ash["flag"], dee_id)
    assert by_ash["flag"] in [f["id"] for f in ash.call("flags", circle=circle)["flags"]]

    # what a flag cannot be
    assert "no one else" in _refusal(bee, "flag", circle=circle, kind="care", member=ash_id)
    assert "no one else" in _refusal(ash, "flag", circle=circle, kind="care", member=bee_id)
    assert "worried about" in _refusal(dee, "flag", circle=circle, kind="care")
    assert "not written by" in _refusal(
        dee, "flag", circle=circle, kind="care", member=dee_id, message=words
    )
    assert "not a member" in _refusal(dee, "flag", circle=circle, kind="care", member="ab" * 32)
    assert "not a member id" in _refusal(dee, "flag", circle=circle, kind="care", member="xyz")
    assert "not in this circle" in _refusal(
        dee, "flag", circle=circle, kind="care", member=cy_id, message="ab" * 32
    )
    assert "500" in _refusal(dee, "flag", circle=circle, kind="care", member=cy_id, note="x" * 501)
    assert '"care" or "harm"' in _refusal(dee, "flag", circle=circle, kind="gossip", member=cy_id)
    assert "needs the message" in _refusal(dee, "flag", circle=circle, kind="harm")

    # nobody but the facilitators ever heard of any of it, and nothing is stored elsewhere
    assert _care_events(cy) == [] and _care_events(dee) == []
    for node in (ash, bee, cy, dee):
        quit_node(node)
    assert _care_rows(tmp_path / "cy") == [] and _care_rows(tmp_path / "dee") == []
    assert sorted(_care_rows(tmp_path / "bee")) == sorted(
        [(flag, "care"), (own["flag"], "care"), (by_ash["flag"], "care")]
    )


@pytest.mark.timeout(240)
def test_a_care_flag_waits_for_an_offline_facilitator(
    start_node: StartNode, tmp_path: Path
) -> None:
    (bee_port,) = free_ports(1)
    bee_listen = f"/ip4/127.0.0.1/tcp/{bee_port}"
    ash, bee, cy, dee, circle = _circle_of_four(start_node, tmp_path, bee_listen)
    cy_id = _member_id(dee, circle, "Cy")

    quit_node(bee)  # Bee is away when Dee flags
    reply = dee.call("flag", circle=circle, kind="care", member=cy_id, note=NOTE)
    assert reply["ok"], reply
    flag = reply["flag"]
    _arrives(ash, circle, flag, cy_id)

    restarted_at = time.monotonic()
    bee = start_node(tmp_path / "bee", listen=bee_listen)
    seen = _arrives(bee, circle, flag, cy_id)
    print(f"care flag to a restarted facilitator: {(seen - restarted_at) * 1000:.0f} ms")
    (view,) = bee.call("flags", circle=circle)["flags"]
    assert (view["id"], view["note"], view["from_name"]) == (flag, NOTE, "Dee")
    assert _care_events(cy) == []
