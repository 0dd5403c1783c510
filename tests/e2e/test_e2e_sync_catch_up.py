"""Nothing lost (issue 4), end to end with real `peerapp node` processes on loopback:
a member that was offline catches up after a restart, from the author or from any other
member that holds the messages; `sync_status` and `held_by` report what was synced."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import (
    form_circle,
    free_ports,
    history_all,
    ids_of,
    poll,
    quit_node,
    send_many,
    sync_status,
    wait_connected,
    wait_history,
)

CATCH_UP_WAIT = 60.0


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_offline_member_catches_up_on_1000_messages_after_restart(
    start_node: StartNode, tmp_path: Path
) -> None:
    founder = start_node()
    returning = tmp_path / "returning"
    member = start_node(returning)
    circle = form_circle(founder, [(member, "Bee")])
    wait_connected(founder, [member.ready["peer_id"]])
    quit_node(member)

    texts = [f"message {i:04d} while Bee is away" for i in range(1000)]
    started = time.monotonic()
    sent = send_many(founder, circle, texts)
    sending = time.monotonic() - started
    print(f"\n1000 pipelined sends took {sending:.2f} s")
    authored = history_all(founder, circle)
    assert sorted(ids_of(authored)) == sorted(sent)

    # same profile, a fresh port: the member dials the circle by itself and catches up
    started = time.monotonic()
    member = start_node(returning)
    caught_up = wait_history(member, circle, 1000, timeout=CATCH_UP_WAIT)
    print(f"catch-up of 1000 messages (incl. start-up) took {time.monotonic() - started:.2f} s")

    assert ids_of(caught_up) == ids_of(authored), "the histories differ in content or order"
    assert [m["text"] for m in caught_up] == [m["text"] for m in authored]
    assert {m["author_name"] for m in caught_up} == {"Ash"}
    assert not any(m["mine"] for m in caught_up)


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_third_member_catches_up_from_the_second_while_the_author_is_offline(
    start_node: StartNode, tmp_path: Path
) -> None:
    author = start_node()
    holder = start_node()
    late_profile = tmp_path / "late"
    late = start_node(late_profile)
    circle = form_circle(author, [(holder, "Bee"), (late, "Cy")])
    wait_connected(author, [holder.ready["peer_id"], late.ready["peer_id"]])
    quit_node(late)

    count = 300  # several batches, and more than any "recent past" window
    sent = send_many(author, circle, [f"note {i:03d} for the circle" for i in range(count)])
    authored = history_all(author, circle)
    assert sorted(ids_of(authored)) == sorted(sent)
    held = wait_history(holder, circle, count, timeout=CATCH_UP_WAIT)
    assert ids_of(held) == ids_of(authored)
    quit_node(author)

    # only the holder is online now: the late member must get all of it from the holder
    started = time.monotonic()
    late = start_node(late_profile)
    caught_up = wait_history(late, circle, count, timeout=CATCH_UP_WAIT)
    print(f"\n{count} messages from the second member: {time.monotonic() - started:.2f} s")
    assert ids_of(caught_up) == ids_of(authored)
    assert {m["author_name"] for m in caught_up} == {"Ash"}
    connected = late.call("status")["connected_peers"]
    assert author.ready["peer_id"] not in connected

    # sync_status: the same log as the holder's; the author offline, the holder synced
    def in_step() -> tuple[dict[str, Any], dict[str, Any]] | None:
        mine, theirs = sync_status(late, circle), sync_status(holder, circle)
        return (mine, theirs) if mine["events"] == theirs["events"] else None

    mine, theirs = poll(in_step, "the same event count as the holder", pace=[late])
    assert sorted(mine["heads"]) == sorted(theirs["heads"])
    peers = {p["name"]: p for p in mine["peers"]}
    assert set(peers) == {"Ash", "Bee"}
    assert peers["Ash"]["online"] is False
    assert peers["Ash"]["peer"] == author.ready["peer_id"]
    assert peers["Bee"]["online"] is True
    assert isinstance(peers["Bee"]["last_sync"], int)


def test_sync_status_reports_events_heads_peers_and_held_by(
    start_node: StartNode, tmp_path: Path
) -> None:
    founder = start_node()
    member_profile = tmp_path / "member"
    member = start_node(member_profile)
    circle = form_circle(founder, [(member, "Bee")])
    wait_connected(founder, [member.ready["peer_id"]])
    member_ids = {m["name"]: m["id"] for m in founder.call("members", circle=circle)["members"]}

    # both replicas converge: same event count and heads, each lists the other as a peer
    def converged() -> tuple[dict[str, Any], dict[str, Any]] | None:
        mine, theirs = sync_status(founder, circle), sync_status(member, circle)
        same = mine["events"] == theirs["events"] and sorted(mine["heads"]) == sorted(
            theirs["heads"]
        )
        synced = all(p["last_sync"] is not None for p in mine["peers"] + theirs["peers"])
        return (mine, theirs) if same and synced else None

    before = time.time() * 1000
    mine, theirs = poll(converged, "both replicas in sync", pace=[founder, member])
    for status, other, other_node in ((mine, "Bee", member), (theirs, "Ash", founder)):
        assert isinstance(status["events"], int) and status["events"] >= 3
        assert status["held_back"] == 0
        assert status["heads"] and all(isinstance(h, str) and len(h) == 64 for h in status["heads"])
        assert [p["id"] for p in status["peers"]] == [member_ids[other]], status["peers"]
        (peer,) = status["peers"]
        assert {"id", "name", "peer", "online", "last_sync"} <= set(peer), peer
        assert peer["name"] == other
        assert peer["peer"] == other_node.ready["peer_id"]
        assert peer["online"] is True
        assert isinstance(peer["last_sync"], int)
        assert before - 120_000 <= peer["last_sync"] <= time.time() * 1000 + 1000

    # a message sent while the only other member is away stays pending
    quit_node(member)
    poll(
        lambda: sync_status(founder, circle)["peers"][0]["online"] is False,
        "the member shown offline",
        pace=[founder],
    )
    events_before = sync_status(founder, circle)["events"]
    sent = founder.call("send", circle=circle, text="are you there?")
    assert sent["ok"], sent
    status = sync_status(founder, circle)
    assert status["events"] == events_before + 1
    assert sent["message"] in status["heads"]
    (own,) = [m for m in history_all(founder, circle) if m["id"] == sent["message"]]
    assert own["mine"] is True
    assert own.get("held_by", 0) == 0, own

    # once the member is back and has synced, the message is held by 1 (of 1 other)
    member = start_node(member_profile)

    def held() -> dict[str, Any] | None:
        (message,) = [m for m in history_all(founder, circle) if m["id"] == sent["message"]]
        return message if message.get("held_by", 0) >= 1 else None

    assert poll(held, "held_by to reach 1", timeout=CATCH_UP_WAIT, pace=[founder])["held_by"] == 1
    caught_up = wait_history(member, circle, 1)
    assert ids_of(caught_up) == [sent["message"]]
    final = poll(converged, "both replicas in sync again", pace=[founder, member])
    assert final[0]["events"] == final[1]["events"] == events_before + 1


def test_a_newcomer_syncs_from_its_admission_on_never_earlier_messages(
    start_node: StartNode,
) -> None:
    founder = start_node()
    newcomer = start_node()
    created = founder.call("create_circle", name="Earlier talk", member_name="Ash")
    circle = created["circle"]
    send_many(founder, circle, [f"before Bee came, {i}" for i in range(20)])
    code = founder.call("invite", circle=circle)["code"]
    assert newcomer.call("join", code=code, name="Bee")["ok"]
    joined_at = time.time() * 1000
    after = founder.call("send", circle=circle, text="welcome, Bee")
    assert after["ok"], after

    assert ids_of(wait_history(newcomer, circle, 1)) == [after["message"]]

    # after a full sync session with the founder, still nothing from before the admission
    def synced() -> bool:
        (peer,) = sync_status(newcomer, circle)["peers"]
        return peer["last_sync"] is not None and peer["last_sync"] >= joined_at

    poll(synced, "a sync session with the founder", pace=[newcomer])
    assert [m["text"] for m in history_all(newcomer, circle)] == ["welcome, Bee"]


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_two_members_who_each_wrote_while_apart_converge(
    start_node: StartNode, tmp_path: Path
) -> None:
    """Concurrent branches longer than any "recent past" window: each member wrote 100
    messages while the other was offline; after both are back, both hold all 200 in the
    same order. Fixed --listen addresses: each finds the other where the log says."""
    ports = dict(zip(("ash", "bee"), free_ports(2), strict=True))
    profiles = {name: tmp_path / name for name in ports}

    def start(name: str) -> Node:
        return start_node(profiles[name], listen=f"/ip4/127.0.0.1/tcp/{ports[name]}")

    ash, bee = start("ash"), start("bee")
    circle = form_circle(ash, [(bee, "Bee")])
    wait_connected(ash, [bee.ready["peer_id"]])

    quit_node(bee)
    mine = send_many(ash, circle, [f"Ash alone, {i:03d}" for i in range(100)])
    quit_node(ash)
    bee = start("bee")
    theirs = send_many(bee, circle, [f"Bee alone, {i:03d}" for i in range(100)])
    ash = start("ash")

    histories = [wait_history(node, circle, 200, CATCH_UP_WAIT) for node in (ash, bee)]
    assert set(ids_of(histories[0])) == set(mine) | set(theirs)
    assert ids_of(histories[0]) == ids_of(histories[1]), "the two replicas order differently"
