"""A member who turns hostile cannot take over, silence, rewrite or sink a circle through
the circle LOG RULES (issue 11). Honest members are real `peerapp node` processes; the
hostile member is tests/hostile/member.py, a real member that signs whatever it likes and
delivers it by sync (and GossipSub). Each test mounts one attack and asserts what honest
members see afterwards: the same history, members and roles, moderation log and name on
every honest member, and their commands (`send`, `invite`, `remove_member`) answered."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from peerapp.core import join_messages as jm
from peerapp.core import mailbox_messages as mm
from peerapp.core import sync_messages as sm
from peerapp.core import wire
from peerapp.core.circle_events import EventType
from peerapp.core.invite_code import decode_invite, encode_invite
from peerapp.crypto.signing import VerifiedEvent
from peerapp.engine.join_client import JoinRefused
from tests.binding import bound
from tests.e2e.hostile_support import (
    HonestPool,
    Scene,
    agree,
    honest_pool,
    member_ids,
    snapshot,
    start_scene,
    still_answered,
    texts,
)
from tests.e2e.node_process import WAIT, Node, Spares
from tests.e2e.sync_support import history_all, poll
from tests.hostile.member import HostileMember, Puppet, now_ms

MAX_GRIND = 200_000  # tries to find an event id that sorts first (about 1 in 2 to 1 in 1000)


@pytest.fixture
def pool(spare_nodes: Spares) -> Iterator[HonestPool]:
    """Fresh honest nodes for every test: an attack that leaves a node disturbed (its
    connections cut, its peers distrusted) must not decide the next test's outcome.
    They are spares launched while the previous test ran (tests/e2e/conftest.py)."""
    yield from honest_pool(spare_nodes)


@pytest.fixture
def scene(pool: HonestPool) -> Iterator[Scene]:
    current = start_scene(pool)
    try:
        yield current
    finally:
        current.close()


def _sent(node: Node, circle: str, text: str) -> str:
    reply = node.call("send", circle=circle, text=text)
    assert reply["ok"], reply
    return str(reply["message"])


def _visible(node: Node, circle: str, message: str) -> None:
    poll(
        lambda: message in [m["id"] for m in node.call("history", circle=circle)["messages"]],
        "the message to arrive",
        pace=[node],
    )


def _first_before(make: Any, rival: VerifiedEvent) -> VerifiedEvent:
    """make(i) for the first i whose event sorts before `rival` in log order."""
    for attempt in range(MAX_GRIND):
        candidate: VerifiedEvent = make(attempt)
        if (candidate.event.lamport, candidate.id) < (rival.event.lamport, rival.id):
            return candidate
    raise AssertionError("no event id sorting first was found")


def members_of(node: Node, circle: str) -> list[dict[str, Any]]:
    return list(node.call("members", circle=circle)["members"])


def _message_row(snap: dict[str, Any], message: str) -> tuple[Any, ...] | None:
    return next((row for row in snap["history"] if row[0] == message), None)


# -- 0. the harness itself ------------------------------------------------------------------


def test_the_hostile_member_is_a_real_member_heard_by_sync_and_gossip(scene: Scene) -> None:
    """A positive control: what the harness signs the honest way reaches every honest
    member by either path, and it reads what they say."""
    by_gossip = scene.mallory.message("hello by gossip")
    scene.publish_to_honest(scene.mallory, [by_gossip])
    by_sync = scene.mallory.message("hello by sync")
    scene.push_to_honest(scene.mallory, [by_sync])
    for node in scene.honest:
        _visible(node, scene.circle, by_gossip.id.hex())
        _visible(node, scene.circle, by_sync.id.hex())
    snap = agree(scene.honest, scene.circle)
    assert [t for t in texts(snap) if "hello" in t] == ["hello by gossip", "hello by sync"]
    said = _sent(scene.bee, scene.circle, "hello Mallory")

    def heard() -> bool:
        scene.mallory.pull(scene.peer(scene.ash))
        return any(v.id.hex() == said for v in scene.mallory.events(EventType.MESSAGE))

    poll(heard, "Mallory to read Bee", pace=scene.honest)
    still_answered(scene, remove=scene.mallory)


# -- 1. takeover by a second genesis ------------------------------------------------------


def test_a_second_genesis_sorting_first_takes_nothing_over(scene: Scene, pool: HonestPool) -> None:
    before = agree(scene.honest, scene.circle)
    (genesis,) = scene.mallory.events(EventType.GENESIS)
    usurper = Puppet.generate()
    body = genesis.event.body

    def fake(attempt: int) -> VerifiedEvent:
        return scene.mallory.sign(
            EventType.GENESIS,
            {**body, "name": "Mallory's circle", "guidelines": f"mine {attempt}",
             "member_name": "Mallory", "exchange": bytes(usurper.exchange.public_key),
             "peer": scene.mallory.peer_id, "addrs": []},
            signer=usurper.signing, seq=0, lamport=genesis.event.lamport, prev=(),
            ts=genesis.event.ts, keep=False,
        )  # fmt: skip

    takeover = _first_before(fake, genesis)
    scene.push_to_honest(scene.mallory, [takeover])
    scene.publish_to_honest(scene.mallory, [takeover])

    for restarted in (False, True):
        after = agree(scene.honest, scene.circle)
        assert after["name"] == before["name"], f"restarted: {restarted}"
        assert after["members"] == before["members"], f"restarted: {restarted}"
        assert after["history"] == before["history"], f"restarted: {restarted}"
        assert after["log"] == before["log"], f"restarted: {restarted}"
        if not restarted:  # the founder's app reads its whole log again on start
            scene.ash = pool.restart("ash")
    still_answered(scene, remove=scene.mallory)


# -- 2. lamport at the edge of the numbers --------------------------------------------------


@pytest.mark.parametrize("lamport", [2**53 - 1, 2**53])
def test_a_lamport_at_the_limit_stops_no_honest_command(scene: Scene, lamport: int) -> None:
    before = agree(scene.honest, scene.circle)
    huge = scene.mallory.message("the end of time", lamport=lamport)
    scene.publish_to_honest(scene.mallory, [huge])
    scene.push_to_honest(scene.mallory, [huge])

    after = still_answered(scene, remove=scene.mallory)
    assert all(node.process.poll() is None for node in scene.honest)
    assert after["name"] == before["name"]
    assert after["log"][: len(before["log"])] == before["log"]


# -- 3. equivocation after a report ---------------------------------------------------------


def test_an_equivocation_after_a_report_replaces_nothing(scene: Scene) -> None:
    abusive = scene.mallory.message("ABUSIVE original")
    scene.push_to_honest(scene.mallory, [abusive])
    _visible(scene.bee, scene.circle, abusive.id.hex())
    reported = scene.bee.call(
        "report", circle=scene.circle, message=abusive.id.hex(), reason="it is abusive"
    )
    assert reported["ok"], reported

    def report_arrived() -> bool:
        reports = scene.ash.call("reports", circle=scene.circle)["reports"]
        return any(r["id"] == reported["report"] for r in reports)

    poll(report_arrived, "the report at Ash", pace=[scene.ash])
    # the same author seq, other content, sorting first in the log
    twin = _first_before(
        lambda i: scene.mallory.message(
            f"harmless twin {i}",
            seq=abusive.event.seq,
            lamport=abusive.event.lamport,
            prev=abusive.event.prev,
            keep=False,
        ),
        abusive,
    )
    scene.publish_to_honest(scene.mallory, [twin])
    scene.push_to_honest(scene.mallory, [twin])

    # both signed versions are kept and shown, each marked, never one in place of the other;
    # every honest member sees the same, and Mallory is marked as having equivocated
    def both_marked(node: Node) -> bool:
        rows = {m["id"]: m for m in history_all(node, scene.circle)}
        original, second = rows.get(abusive.id.hex()), rows.get(twin.id.hex())
        return (
            original is not None
            and second is not None
            and original["text"] == "ABUSIVE original"
            and original["equivocated"]
            and second["equivocated"]
        )

    for node in scene.honest:
        poll(bound(node, both_marked), "both versions, marked", pace=[node])
    agree(scene.honest, scene.circle)
    marked = {m["name"]: m["equivocated"] for m in members_of(scene.ash, scene.circle)}
    assert marked["Mallory"] and not marked["Bee"], marked
    versions = scene.ash.call("equivocations", circle=scene.circle)["equivocations"]
    assert [sorted(v["text"] for v in group["versions"]) for group in versions] == [
        sorted(["ABUSIVE original", twin.event.body["text"]])
    ], versions
    refused = scene.bee.call("equivocations", circle=scene.circle)
    assert refused["ok"] is False  # facilitators only
    deleted = scene.ash.call("delete_message", circle=scene.circle, message=abusive.id.hex())
    assert deleted["ok"], deleted
    for node in scene.honest:

        def erased(n: Node = node) -> bool:
            row = _message_row(snapshot(n, scene.circle), abusive.id.hex())
            return row is None or (row[2] == "" and row[3] == "facilitator")

        poll(erased, "the abusive original erased", pace=[node])
    (report,) = [
        r
        for r in scene.ash.call("reports", circle=scene.circle)["reports"]
        if r["id"] == reported["report"]
    ]
    assert report["excerpt"] == "ABUSIVE original"
    still_answered(scene, remove=scene.mallory)


# -- 4. a flag or delete naming a wrong author first ---------------------------------------


@pytest.mark.parametrize("pre_empted_by", ["flag", "delete"])
def test_a_wrong_author_named_first_blocks_no_flag_or_delete(
    scene: Scene, pre_empted_by: str
) -> None:
    abusive = scene.mallory.message("ABUSIVE and protected")
    scene.push_to_honest(scene.mallory, [abusive])
    for node in scene.honest:
        _visible(node, scene.circle, abusive.id.hex())
    bee_key = next(k for k in member_ids(scene.ash, scene.circle) if _is(scene, k, "Bee"))
    accomplice = scene.hostile("Trent")
    accomplice.learn([abusive])
    if pre_empted_by == "flag":  # names Bee as the author
        body = {"message": abusive.id, "author": bytes.fromhex(bee_key)}
        pre_emptive = accomplice.sign(EventType.HARM_FLAG, body)
    else:  # names its own signer, so it counts as the author deleting "their" message
        body = {"message": abusive.id, "author": accomplice.key}
        pre_emptive = accomplice.sign(EventType.DELETE, body)
    scene.push_to_honest(accomplice, [pre_emptive])

    if pre_empted_by == "flag":
        # Bee has just arrived: let members flag at once in this circle
        assert scene.ash.call("set_settings", circle=scene.circle, flag_after_hours=0)["ok"]
        poll(
            lambda: scene.bee.call("circle_info", circle=scene.circle)["flag_after_hours"] == 0,
            "Bee may flag",
            pace=[scene.bee],
        )
        flag = scene.bee.call("flag", circle=scene.circle, kind="harm", message=abusive.id.hex())
        assert flag["ok"], flag
    deleted = scene.ash.call("delete_message", circle=scene.circle, message=abusive.id.hex())
    assert deleted["ok"], deleted
    snap = agree(scene.honest, scene.circle)
    row = _message_row(snap, abusive.id.hex())
    assert row is None or (row[2] == "" and row[3] == "facilitator"), row
    still_answered(scene, remove=scene.mallory)


def _is(scene: Scene, key: str, name: str) -> bool:
    members = scene.ash.call("members", circle=scene.circle)["members"]
    return any(m["id"] == key and m["name"] == name for m in members)


# -- 5. sybil flags -------------------------------------------------------------------------


def test_puppets_admitted_by_one_member_cannot_hide_an_honest_message(scene: Scene) -> None:
    honest = _sent(scene.bee, scene.circle, "an honest message")
    bee_key = next(k for k in member_ids(scene.ash, scene.circle) if _is(scene, k, "Bee"))
    # Mallory is allowed to invite: Ash makes her a facilitator
    promoted = scene.ash.call("promote", circle=scene.circle, member=scene.mallory.key.hex())
    assert promoted["ok"], promoted
    for node in scene.honest:
        poll(
            bound(
                node,
                lambda n: member_ids(n, scene.circle)[scene.mallory.key.hex()] == "facilitator",
            ),
            "Mallory promoted",
            pace=[node],
        )
    scene.mallory.pull(scene.peer(scene.ash))
    seed, invite = scene.mallory.new_invite(max_uses=3)
    admitted = [scene.mallory.admit(seed, f"Puppet {i}") for i in range(3)]
    target = {"message": bytes.fromhex(honest), "author": bytes.fromhex(bee_key)}
    flags = [scene.mallory.sign(EventType.HARM_FLAG, target)] + [
        scene.mallory.sign(EventType.HARM_FLAG, target, signer=puppet.signing)
        for puppet, _ in admitted
    ]
    scene.push_to_honest(scene.mallory, [invite, *(add for _, add in admitted), *flags])

    snap = agree(scene.honest, scene.circle)
    row = _message_row(snap, honest)
    assert row is not None and row[2] == "an honest message"
    assert row[4] is False, "puppets' flags hid an honest member's message"
    still_answered(scene, remove=scene.mallory)


# -- 6. mute and slow mode ------------------------------------------------------------------


@pytest.mark.parametrize("trick", ["back-dated parents", "timestamp after the mute"])
def test_a_muted_member_is_shown_to_no_one(scene: Scene, trick: str) -> None:
    parents_before = [v.id for v in scene.mallory.heads()]
    muted = scene.ash.call(
        "mute", circle=scene.circle, member=scene.mallory.key.hex(), seconds=3600
    )
    assert muted["ok"], muted
    scene.mallory.pull(scene.peer(scene.ash))
    (mute,) = scene.mallory.events(EventType.MUTE)
    if trick == "back-dated parents":
        sneaked = _first_before(
            lambda i: scene.mallory.message(f"muted words {i}", prev=parents_before, keep=False),
            mute,
        )
    else:
        sneaked = scene.mallory.message("muted words", ts=muted["until"] + 60_000)
    scene.publish_to_honest(scene.mallory, [sneaked])
    scene.push_to_honest(scene.mallory, [sneaked])

    snap = agree(scene.honest, scene.circle)
    assert not any(text.startswith("muted words") for text in texts(snap)), snap["history"]
    still_answered(scene, remove=scene.mallory)


@pytest.mark.parametrize("direction", [-1, 1], ids=["back-dated", "forward-dated"])
def test_slow_mode_holds_against_fake_spaced_timestamps(scene: Scene, direction: int) -> None:
    settings = scene.ash.call("set_settings", circle=scene.circle, slow_mode_seconds=600)
    assert settings["ok"], settings
    for node in scene.honest:
        poll(
            bound(
                node,
                lambda n: n.call("circle_info", circle=scene.circle)["slow_mode_seconds"] == 600,
            ),
            "slow mode on",
            pace=[node],
        )
    scene.mallory.pull(scene.peer(scene.ash))
    now = now_ms()
    # an hour apart by their timestamps, milliseconds apart in reality
    hours = range(-4, 1) if direction < 0 else range(5)
    burst = [
        scene.mallory.message(f"fast {i}", ts=now + hour * 3_600_000)
        for i, hour in enumerate(hours)
    ]
    scene.publish_to_honest(scene.mallory, burst)
    scene.push_to_honest(scene.mallory, burst)

    snap = agree(scene.honest, scene.circle)
    shown = [text for text in texts(snap) if text.startswith("fast ")]
    assert len(shown) <= 1, shown
    still_answered(scene, remove=scene.mallory)


# -- 7. self-admission ----------------------------------------------------------------------


def test_a_member_cannot_admit_a_second_key_of_its_own(scene: Scene) -> None:
    before = agree(scene.honest, scene.circle)
    seed, invite = scene.mallory.new_invite()
    sock, admitted = scene.mallory.admit(seed, "Sock")
    hello = scene.mallory.message("hello from the sock", signer=sock.signing)
    scene.push_to_honest(scene.mallory, [invite, admitted, hello])

    snap = agree(scene.honest, scene.circle)
    assert snap["members"] == before["members"]
    assert "hello from the sock" not in texts(snap)
    still_answered(scene, remove=scene.mallory)


# -- 8. a removed member's withheld events -------------------------------------------------


def test_events_a_removed_member_withheld_change_nothing(scene: Scene) -> None:
    honest = _sent(scene.bee, scene.circle, "Bee before the removal")
    accomplice = scene.hostile("Trent")
    for member in (scene.mallory, accomplice):
        member.pull(scene.peer(scene.bee))
    bee_key = next(k for k in member_ids(scene.ash, scene.circle) if _is(scene, k, "Bee"))
    # signed while a member, all on today's heads (so they sort before the removal that
    # follows), and kept back until after it
    base = [v.id for v in scene.mallory.heads()]
    seed, invite = scene.mallory.new_invite(prev=base)
    _, admitted = scene.mallory.admit(seed, "Ghost", prev=[*base, invite.id])
    withheld = [
        scene.mallory.message("withheld 1", prev=base),
        scene.mallory.message("withheld 2", prev=base),
        invite,
        admitted,
        scene.mallory.sign(
            EventType.HARM_FLAG,
            {"message": bytes.fromhex(honest), "author": bytes.fromhex(bee_key)},
            prev=base,
        ),
    ]
    for text in ("Ash before the removal 1", "Ash before the removal 2"):
        _sent(scene.ash, scene.circle, text)
    removed = scene.ash.call("remove_member", circle=scene.circle, member=scene.mallory.key.hex())
    assert removed["ok"], removed
    for node in scene.honest:
        poll(
            bound(node, lambda n: scene.mallory.key.hex() not in member_ids(n, scene.circle)),
            "Mallory removed",
            pace=[node],
        )
    before = agree(scene.honest, scene.circle)
    # and new ones, signed once she knows of her removal (a former member syncs up to it)
    scene.mallory.pull(scene.peer(scene.ash))
    _, late_invite = scene.mallory.new_invite()
    withheld += [
        scene.mallory.message("after the removal"),
        late_invite,
        scene.mallory.message("after the removal, at the end of time", lamport=2**53 - 1),
    ]
    # after the removal: on the epoch topic Mallory still holds, and through her friend
    scene.publish_to_honest(scene.mallory, withheld)
    accomplice.learn(withheld)
    scene.push_to_honest(accomplice, withheld)

    snap = agree(scene.honest, scene.circle)
    assert snap["members"] == before["members"]
    assert snap["history"] == before["history"]
    assert snap["log"] == before["log"]
    still_answered(scene, remove=accomplice)


# -- 9. a stolen single-use invite ----------------------------------------------------------


def test_a_single_use_invite_used_at_two_members_at_once_admits_one(scene: Scene) -> None:
    code = scene.ash.call("invite", circle=scene.circle, max_uses=1)
    assert code["ok"], code

    def bee_knows_the_invite() -> bool:
        return len(scene.bee.call("invites", circle=scene.circle)["invites"]) >= 1

    poll(bee_knows_the_invite, "the invite at Bee", pace=[scene.bee])
    thieves = [HostileMember("Thief A").start(), HostileMember("Thief B").start()]
    scene.hostiles.extend(thieves)
    places = [None, scene.address(scene.bee)]
    outcomes: list[str] = ["", ""]
    go = threading.Barrier(2, timeout=WAIT)

    def use(index: int) -> None:
        try:
            # both requests leave once both members have sent their challenge
            thieves[index].join(code["code"], at=places[index], before_request=go.wait)
            outcomes[index] = "admitted"
        except JoinRefused as refusal:
            outcomes[index] = refusal.text

    runs = [threading.Thread(target=use, args=(i,)) for i in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(WAIT * 2)
    assert "admitted" in outcomes, outcomes

    def settled() -> dict[str, Any] | None:
        snap = agree(scene.honest, scene.circle)
        statuses = [
            scene.ash.call("sync_status", circle=scene.circle)["held_back"],
            scene.bee.call("sync_status", circle=scene.circle)["held_back"],
        ]
        return snap if statuses == [0, 0] else None

    snap = poll(settled, "the admissions to settle", pace=scene.honest)
    in_circle = [t for t in thieves if any(m[0] == t.key.hex() for m in snap["members"])]
    assert len(in_circle) == 1, (outcomes, [t.name for t in in_circle])
    (winner,) = in_circle
    (loser,) = [t for t in thieves if t is not winner]
    still_answered(scene, remove=scene.mallory)
    # the loser holds no key to what the circle says from now on
    latest = _sent(scene.ash, scene.circle, "after the stolen invite")

    def winner_reads_it() -> bool:
        winner.pull(scene.peer(scene.ash))
        return any(v.id.hex() == latest for v in winner.events(EventType.MESSAGE))

    poll(winner_reads_it, "the winner to read the newest message", pace=[scene.ash])
    assert not any(v.id.hex() == latest for v in loser.events(EventType.MESSAGE)), outcomes


def test_a_stolen_single_use_invite_at_two_members_at_once_tells_the_loser(
    scene: Scene, pool: HonestPool
) -> None:
    """The same attack with two real apps: the thief edits the code so that one copy asks
    Bee instead of Ash, and both copies are used at the same moment."""
    cy, dee = pool.get("cy"), pool.get("dee")
    # both Ash and Bee may admit (by default only facilitators do)
    bee_key = next(k for k in member_ids(scene.ash, scene.circle) if _is(scene, k, "Bee"))
    assert scene.ash.call("promote", circle=scene.circle, member=bee_key)["ok"]
    poll(
        lambda: scene.bee.call("circle_info", circle=scene.circle)["my_role"] == "facilitator",
        "Bee a facilitator",
        pace=[scene.bee],
    )
    code = scene.ash.call("invite", circle=scene.circle, max_uses=1)
    assert code["ok"], code
    poll(
        lambda: len(scene.bee.call("invites", circle=scene.circle)["invites"]) >= 1,
        "the invite at Bee",
        pace=[scene.bee],
    )
    original = decode_invite(code["code"])
    address, bee_peer = scene.address(scene.bee).rsplit("/p2p/", 1)
    copy = encode_invite(dataclasses.replace(original, peer_id=bee_peer, addrs=(address,)))
    for node, text, name in ((cy, code["code"], "Cy"), (dee, copy, "Dee")):
        request = {"id": f"steal {name}", "cmd": "join", "code": text, "name": name}
        node.send_raw(json.dumps(request).encode() + b"\n")
    replies = {"Cy": cy.reply_to("steal Cy"), "Dee": dee.reply_to("steal Dee")}
    assert any(reply["ok"] for reply in replies.values()), replies

    def settled() -> dict[str, Any] | None:
        snap = agree(scene.honest, scene.circle)
        held = [n.call("sync_status", circle=scene.circle)["held_back"] for n in scene.honest]
        return snap if held == [0, 0] else None

    snap = poll(settled, "the admissions to settle", pace=scene.honest)
    names = [name for _, name, _ in snap["members"]]
    assert sorted(n for n in names if n in ("Cy", "Dee")) in (["Cy"], ["Dee"]), replies
    winner, loser = (cy, dee) if "Cy" in names else (dee, cy)

    def role(node: Node) -> str | None:
        info = node.call("circle_info", circle=scene.circle)
        return info["my_role"] if info["ok"] else None

    # the winner is a member; the loser was told (refused, or shown it is not a member)
    poll(lambda: role(winner) == "member", "the winner to be a member", pace=[winner])
    poll(lambda: role(loser) is None, "the loser to be told", pace=[loser])
    still_answered(scene, remove=scene.mallory)


# -- raw frames -----------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [sm.PROTOCOL, jm.PROTOCOL, mm.PROTOCOL])
def test_raw_garbage_on_a_hearth_protocol_changes_nothing(scene: Scene, protocol: str) -> None:
    before = agree(scene.honest, scene.circle)
    garbage = [b"\xff\x00 not a frame", wire.encode({"summary": {"circle": b"x"}}), b""]
    for node in scene.honest:
        scene.mallory.send_frames(scene.peer(node), protocol, garbage, replies=2)
    after = still_answered(scene, remove=scene.mallory)
    assert after["history"][: len(before["history"])] == before["history"]


def test_a_signed_event_outside_the_schema_changes_nothing(scene: Scene) -> None:
    before = agree(scene.honest, scene.circle)
    valid = scene.mallory.message("a template", keep=False).event.to_wire()
    outside = [
        {**valid, "lamport": 2**53 + 1},
        {**valid, "seq": -1},
        {**valid, "prev": [b"\x00" * 32] * 40},
        {**valid, "body": {"text": "x" * 5000}},
        {**valid, "type": "takeover"},
    ]
    signed = [scene.mallory.sign_encoded(wire.encode(document)) for document in outside]
    scene.push_to_honest(scene.mallory, signed)
    after = still_answered(scene, remove=scene.mallory)
    assert after["history"][: len(before["history"])] == before["history"]
