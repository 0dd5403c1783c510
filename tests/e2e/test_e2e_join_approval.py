"""Join approval and guidelines before joining, end to end: real `peerapp node` processes
on loopback preview invites, wait for a facilitator, get approved or turned down, and
survive a restart while they wait."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from peerapp.core.invite_code import decode_invite, encode_invite
from peerapp.engine.join_client import JoinRefused
from tests.e2e.node_process import WAIT, Node, StartNode

# a waiting joiner asks again at least every 10 s; one retry may take a dial timeout
APPROVAL_WAIT = 45.0
GUIDELINES = "Be kind. What is said here stays here."
APPROVAL_REQUIRED = (
    "This circle admits new members only with a facilitator's approval. "
    "Ask a facilitator for an invite."
)


def _ok(reply: dict[str, Any]) -> dict[str, Any]:
    assert reply["ok"], reply
    return reply


def _circle_with_approval(founder: Node, name: str = "Harbour") -> str:
    circle = _ok(
        founder.call("create_circle", name=name, guidelines=GUIDELINES, member_name="Ash")
    )["circle"]
    settings = _ok(founder.call("set_settings", circle=circle, join_approval=True))
    assert settings["join_approval"] is True
    return str(circle)


def _wait_text(node: Node, circle: str, text: str, timeout: float = WAIT) -> None:
    """Until a message with `text` is in the node's history (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        messages = _ok(node.call("history", circle=circle, limit=500))["messages"]
        if any(m["text"] == text for m in messages):
            return
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{text!r} did not arrive within {timeout} s"
        node.drain(min(remaining, 0.5))


def _ask_to_join(founder: Node, joiner: Node, circle: str, name: str) -> str:
    """The joiner asks with a fresh invite; returns the facilitator's request id."""
    code = _ok(founder.call("invite", circle=circle))["code"]
    joined = _ok(joiner.call("join", code=code, name=name))
    assert joined == {
        "id": joined["id"],
        "ok": True,
        "circle": circle,
        "name": "Harbour",
        "pending": True,
    }
    assert joiner.wait_event("join_pending", consume=True) == {
        "event": "join_pending",
        "circle": circle,
        "name": "Harbour",
    }
    arrived = founder.wait_event("join_request", consume=True)
    assert arrived["circle"] == circle and arrived["name"] == name
    return str(arrived["request"])


def test_preview_shows_the_guidelines_before_joining(start_node: StartNode) -> None:
    founder = start_node()
    circle = _ok(
        founder.call("create_circle", name="Tuesday", guidelines=GUIDELINES, member_name="Ash")
    )["circle"]
    code = _ok(founder.call("invite", circle=circle))["code"]
    stranger = start_node()

    preview = _ok(stranger.call("preview_invite", code=code))
    assert {
        k: preview[k] for k in ("circle", "name", "guidelines", "join_approval", "members")
    } == {
        "circle": circle,
        "name": "Tuesday",
        "guidelines": GUIDELINES,
        "join_approval": False,
        "members": 1,
    }
    # a preview uses nothing up: the single-use code still admits
    assert _ok(stranger.call("join", code=code, name="Bee"))["circle"] == circle

    late = start_node()
    used = late.call("preview_invite", code=code)
    assert used["ok"] is False and used["error"] == JoinRefused.USED_UP_TEXT
    assert late.call("preview_invite", code="hearth:nope")["error"] == JoinRefused.INVALID_TEXT
    expired = encode_invite(dataclasses.replace(decode_invite(code), expires=int(time.time()) - 1))
    assert late.call("preview_invite", code=expired)["error"] == JoinRefused.EXPIRED_TEXT
    already = stranger.call("preview_invite", code=code)
    assert already["ok"] is False and "already in this circle" in already["error"]

    withdrawn = _ok(founder.call("invite", circle=circle))["code"]
    _ok(founder.call("revoke_invite", circle=circle, code=withdrawn))
    revoked = late.call("preview_invite", code=withdrawn)
    assert revoked["ok"] is False and revoked["error"] == JoinRefused.REFUSED_TEXT
    refused = late.call("join", code=withdrawn, name="Cy")
    assert refused["ok"] is False and refused["error"] == JoinRefused.REFUSED_TEXT

    members = _ok(founder.call("members", circle=circle))["members"]
    assert sorted(m["name"] for m in members) == ["Ash", "Bee"]


def test_approval_admits_the_joiner_who_then_talks(start_node: StartNode) -> None:
    founder = start_node()
    circle = _circle_with_approval(founder)
    joiner = start_node()

    code = _ok(founder.call("invite", circle=circle))["code"]
    preview = _ok(joiner.call("preview_invite", code=code))
    assert preview["join_approval"] is True and preview["guidelines"] == GUIDELINES

    request = _ask_to_join(founder, joiner, circle, "Bee")
    waiting = _ok(joiner.call("joins_waiting"))["joins"]
    assert [(w["circle"], w["name"]) for w in waiting] == [(circle, "Harbour")]
    assert isinstance(waiting[0]["since"], int)
    assert _ok(joiner.call("circles"))["circles"] == []
    pending = _ok(founder.call("pending_joins", circle=circle))["requests"]
    assert [(p["id"], p["name"]) for p in pending] == [(request, "Bee")]
    again = joiner.call("join", code=code, name="Bee")
    assert again["ok"] is False and "already asked" in again["error"]

    _ok(founder.call("approve_join", circle=circle, request=request))
    assert founder.wait_event("member_joined", consume=True)["member"]["name"] == "Bee"
    approved = joiner.wait_event("join_approved", timeout=APPROVAL_WAIT)
    assert approved == {"event": "join_approved", "circle": circle, "name": "Harbour"}
    assert [c["id"] for c in _ok(joiner.call("circles"))["circles"]] == [circle]
    assert _ok(joiner.call("joins_waiting"))["joins"] == []
    assert _ok(founder.call("pending_joins", circle=circle))["requests"] == []
    twice = founder.call("approve_join", circle=circle, request=request)
    assert twice["ok"] is False and "already approved" in twice["error"]

    _ok(joiner.call("send", circle=circle, text="hello from Bee"))
    _wait_text(founder, circle, "hello from Bee")
    _ok(founder.call("send", circle=circle, text="welcome, Bee"))
    _wait_text(joiner, circle, "welcome, Bee")

    # a plain member neither sees nor answers requests, nor makes invites here
    for command, arguments in (
        ("pending_joins", {}),
        ("approve_join", {"request": request}),
        ("reject_join", {"request": request}),
    ):
        refused = joiner.call(command, circle=circle, **arguments)
        assert refused["ok"] is False and "Only facilitators" in refused["error"], refused
    invite = joiner.call("invite", circle=circle)
    assert invite["ok"] is False and "only facilitators can make invites" in invite["error"]
    unknown = founder.call("approve_join", circle=circle, request="ab" * 32)
    assert unknown["ok"] is False and "no such request" in unknown["error"]
    bad = founder.call("reject_join", circle=circle, request="not hex")
    assert bad["ok"] is False and "is not a request id" in bad["error"]


def test_rejection_reaches_the_joiner(start_node: StartNode) -> None:
    founder = start_node()
    circle = _circle_with_approval(founder)
    joiner = start_node()
    request = _ask_to_join(founder, joiner, circle, "Cy")

    _ok(founder.call("reject_join", circle=circle, request=request))
    rejected = joiner.wait_event("join_rejected", timeout=APPROVAL_WAIT)
    assert rejected["circle"] == circle and rejected["name"] == "Harbour"
    assert rejected["reason"] == JoinRefused.REJECTED_TEXT
    assert _ok(joiner.call("joins_waiting"))["joins"] == []
    assert _ok(joiner.call("circles"))["circles"] == []
    assert _ok(founder.call("pending_joins", circle=circle))["requests"] == []
    members = _ok(founder.call("members", circle=circle))["members"]
    assert [m["name"] for m in members] == ["Ash"]


def test_cancel_stops_waiting(start_node: StartNode) -> None:
    founder = start_node()
    circle = _circle_with_approval(founder)
    joiner = start_node()
    _ask_to_join(founder, joiner, circle, "Di")
    _ok(joiner.call("cancel_join", circle=circle))
    assert _ok(joiner.call("joins_waiting"))["joins"] == []
    again = joiner.call("cancel_join", circle=circle)
    assert again["ok"] is False and "not waiting" in again["error"]


def test_a_joiner_restarted_while_waiting_is_still_admitted(
    start_node: StartNode, tmp_path: Path
) -> None:
    founder = start_node()
    circle = _circle_with_approval(founder)
    profile = tmp_path / "joiner"
    joiner = start_node(profile)
    request = _ask_to_join(founder, joiner, circle, "Em")
    _ok(joiner.call("quit"))
    assert joiner.wait_exit() == 0

    _ok(founder.call("approve_join", circle=circle, request=request))
    restarted = start_node(profile)
    approved = restarted.wait_event("join_approved", timeout=APPROVAL_WAIT)
    assert approved["circle"] == circle
    members = _ok(restarted.call("members", circle=circle))["members"]
    assert sorted(m["name"] for m in members) == ["Ash", "Em"]
    _ok(restarted.call("send", circle=circle, text="back and in"))
    _wait_text(founder, circle, "back and in")


def test_a_plain_member_does_not_admit_when_approval_is_on(start_node: StartNode) -> None:
    founder = start_node()
    circle = _ok(founder.call("create_circle", name="Harbour", member_name="Ash"))["circle"]
    member = start_node()
    first = _ok(founder.call("invite", circle=circle))["code"]
    _ok(member.call("join", code=first, name="Bee"))
    _ok(founder.call("set_settings", circle=circle, members_invite=True))
    deadline = time.monotonic() + WAIT
    while _ok(member.call("circle_info", circle=circle))["may_invite"]:  # "" once it may
        assert time.monotonic() < deadline, "the member never learnt it may invite"
        member.drain(0.5)
    # made while approval was off: the plain member's code still points at it
    members_code = _ok(member.call("invite", circle=circle, max_uses=5))["code"]
    # the founder turns approval on after it holds that invite (an invite concurrent with
    # approval turning on would be refused by the rules, as only facilitators then invite)
    deadline = time.monotonic() + WAIT
    while not any(not i["mine"] for i in _ok(founder.call("invites", circle=circle))["invites"]):
        assert time.monotonic() < deadline, "the founder never held the member's invite"
        founder.drain(0.5)

    _ok(founder.call("set_settings", circle=circle, join_approval=True))
    deadline = time.monotonic() + WAIT
    # (not "a settings entry in its log": the members_invite change above is one too)
    while not _ok(member.call("circle_info", circle=circle))["join_approval"]:
        assert time.monotonic() < deadline, "the member never learnt of join approval"
        member.drain(0.5)

    stranger = start_node()
    preview = stranger.call("preview_invite", code=members_code)
    assert preview["ok"] is False and preview["error"] == APPROVAL_REQUIRED
    refused = stranger.call("join", code=members_code, name="Fay")
    assert refused["ok"] is False and refused["error"] == APPROVAL_REQUIRED
    assert _ok(stranger.call("joins_waiting"))["joins"] == []
    invite = member.call("invite", circle=circle)
    assert invite["ok"] is False and "only facilitators can make invites" in invite["error"]
    members = _ok(founder.call("members", circle=circle))["members"]
    assert sorted(m["name"] for m in members) == ["Ash", "Bee"]


def test_turning_approval_off_admits_those_waiting(start_node: StartNode) -> None:
    founder = start_node()
    circle = _circle_with_approval(founder)
    joiner = start_node()
    _ask_to_join(founder, joiner, circle, "Gus")
    _ok(founder.call("set_settings", circle=circle, join_approval=False))
    approved = joiner.wait_event("join_approved", timeout=APPROVAL_WAIT)
    assert approved["circle"] == circle
    assert _ok(founder.call("pending_joins", circle=circle))["requests"] == []
    members = _ok(founder.call("members", circle=circle))["members"]
    assert sorted(m["name"] for m in members) == ["Ash", "Gus"]
