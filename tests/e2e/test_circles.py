"""Circles end to end: real `peerapp node` processes on loopback create, invite, join and
talk, and every member ends with the same history in the same order."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from peerapp.core.invite_code import decode_invite, encode_invite
from tests.e2e.node_process import WAIT, Node, StartNode


def _wait_history(
    node: Node, circle: str, count: int, timeout: float = WAIT
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        reply = node.call("history", circle=circle, limit=500)
        assert reply["ok"], reply
        if len(reply["messages"]) >= count or time.monotonic() > deadline:
            return list(reply["messages"])
        node.wait_event("message", timeout=max(deadline - time.monotonic(), 0.05), consume=True)


def test_three_members_create_invite_join_and_talk(start_node: StartNode) -> None:
    founder = start_node()
    created = founder.call(
        "create_circle", name="Tuesday circle", guidelines="Be kind.", member_name="Ash"
    )
    assert created["ok"], created
    circle = created["circle"]

    joiners = []
    for name in ("Bee", "Cy"):
        code = founder.call("invite", circle=circle)
        assert code["ok"] and code["code"].startswith("hearth:"), code
        joiner = start_node()
        joined = joiner.call("join", code=code["code"], name=name)
        assert joined == {
            "id": joined["id"],
            "ok": True,
            "circle": circle,
            "name": "Tuesday circle",
        }
        joiners.append(joiner)

    members = founder.call("members", circle=circle)["members"]
    assert [(m["name"], m["role"]) for m in members] == [
        ("Ash", "founder"),
        ("Bee", "member"),
        ("Cy", "member"),
    ]
    # the engine sends what we may do to each member (core/permissions.py), sorted
    moderating = ["ban", "mute", "promote", "remove_member"]
    assert [m["actions"] for m in members] == [[], moderating, moderating]
    seen_by_bee = joiners[0].call("members", circle=circle)["members"]
    # (Bee may not have heard of Cy yet: every row it has is empty)
    assert seen_by_bee and all(m["actions"] == [] for m in seen_by_bee), seen_by_bee

    everyone = [founder, *joiners]
    sent = []
    for index, node in enumerate(everyone):
        reply = node.call("send", circle=circle, text=f"hello from member {index}")
        assert reply["ok"], reply
        sent.append(reply["message"])

    histories = [_wait_history(node, circle, len(sent)) for node in everyone]
    for history in histories:
        assert sorted(m["id"] for m in history) == sorted(sent)
    orders = {tuple(m["id"] for m in history) for history in histories}
    assert len(orders) == 1, "members disagree on the order"
    first = histories[0]
    assert {m["author_name"] for m in first} == {"Ash", "Bee", "Cy"}
    assert all(isinstance(m["ts"], int) for m in first)

    circles = joiners[1].call("circles")["circles"]
    assert [(c["id"], c["name"], c["members"]) for c in circles] == [(circle, "Tuesday circle", 3)]


def test_invite_refusals_have_specific_reasons(start_node: StartNode) -> None:
    founder = start_node()
    circle = founder.call("create_circle", name="Refusals", member_name="Ash")["circle"]
    code = founder.call("invite", circle=circle, max_uses=1)["code"]
    stranger = start_node()

    typo = code[:20] + ("a" if code[20] != "a" else "b") + code[21:]
    assert "not a valid invite code" in stranger.call("join", code=typo, name="Em")["error"]
    assert "not a valid invite code" in stranger.call("join", code="hello", name="Em")["error"]

    # the same code with its expiry moved into the past: caught before any network work
    decoded = decode_invite(code)
    expired = encode_invite(dataclasses.replace(decoded, expires=int(time.time()) - 1))
    assert "expired" in stranger.call("join", code=expired, name="Em")["error"]

    assert stranger.call("join", code=code, name="Em")["ok"] is True
    late = start_node()
    used = late.call("join", code=code, name="Fi")
    assert used["ok"] is False and "already been used" in used["error"]

    # a valid, unexpired code whose only member has gone
    orphan_code = founder.call("invite", circle=circle)["code"]
    founder.call("quit")
    founder.wait_exit()
    unreachable = late.call("join", code=orphan_code, name="Gil")
    assert unreachable["ok"] is False
    assert "could be reached" in unreachable["error"]


def test_bad_circle_commands_are_refused(start_node: StartNode) -> None:
    node = start_node()
    assert "not in that circle" in node.call("send", circle="00" * 16, text="hi")["error"]
    assert "not a circle id" in node.call("history", circle="zz")["error"]
    circle = node.call("create_circle", name="Mine")["circle"]
    assert "nothing to send" in node.call("send", circle=circle, text="   ")["error"]
    assert "at most 4000" in node.call("send", circle=circle, text="x" * 4001)["error"]
    assert "between 60" in node.call("invite", circle=circle, expires_in=5)["error"]
    assert node.call("create_circle", name="  ")["ok"] is False


def test_member_joined_event_and_reconnect_after_restart(
    start_node: StartNode, tmp_path: Path
) -> None:
    founder = start_node(listen="/ip4/127.0.0.1/tcp/0")
    circle = founder.call("create_circle", name="Evenings", member_name="Ash")["circle"]
    code = founder.call("invite", circle=circle)["code"]
    profile = tmp_path / "returning"
    joiner = start_node(profile)
    assert joiner.call("join", code=code, name="Bee")["ok"]
    joined = founder.wait_event("member_joined")
    assert joined["circle"] == circle
    assert joined["member"]["name"] == "Bee" and joined["member"]["role"] == "member"

    joiner.call("quit")
    assert joiner.wait_exit() == 0
    # same profile, a new port: the member dials the circle by itself from the stored log
    again = start_node(profile)
    deadline = time.monotonic() + WAIT
    while founder.ready["peer_id"] not in again.call("status")["connected_peers"]:
        assert time.monotonic() < deadline, "the restarted member did not reconnect"
        again.wait_event(
            "peer_connected", timeout=max(deadline - time.monotonic(), 0.05), consume=True
        )
    assert founder.call("send", circle=circle, text="welcome back")["ok"]
    history = _wait_history(again, circle, 1)
    assert [m["author_name"] for m in history] == ["Ash"]
    members = again.call("members", circle=circle)["members"]
    assert {m["name"]: m["online"] for m in members} == {"Ash": True, "Bee": True}
