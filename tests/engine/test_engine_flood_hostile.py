"""A member that floods: answers a pull with more of its own events than its quota allows,
with events nobody asked for, with events whose parents never exist, or with a stream of
late events that only the whole log can judge. Every time the victim's history keeps
what honest members wrote, the flood is bounded and counted, and commands are answered.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import trio

from peerapp.core import sync_messages as sm
from peerapp.core.api.circles import Invite
from peerapp.core.circle_events import EventType
from peerapp.core.events import MessageArrived, PeerDisconnected
from peerapp.core.invite_code import decode_invite
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.core.quotas import DEFAULT_RULES
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.engine.engine import Engine
from peerapp.engine.thread import EngineThread
from peerapp.network.framed import StreamError
from peerapp.network.host import running_node
from peerapp.node.json_requests import request_json
from peerapp.storage.profile import create_profile
from tests.engine.engine_support import QUICK_SYNC, EventLog
from tests.engine.hostile_member import HostileMember, admit, answering

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
WAIT = 60.0

Scenario = Callable[[Any, HostileMember], Awaitable[None]]


class Victim:
    """An honest member's engine with one circle it founded."""

    def __init__(self, tmp_path: Path) -> None:
        profile = create_profile(tmp_path / "victim", "victim passphrase", TEST_KDF)
        self.events = EventLog()
        self.engine = EngineThread(
            lambda emit: Engine(profile, LOOPBACK, emit, network=DIRECT_RUN, timings=QUICK_SYNC),
            self.events,
        )
        self.engine.start().result(WAIT)
        self.circle = self.call("create_circle", name="Target", member_name="V")["circle"]

    def call(self, command: str, **arguments: Any) -> dict[str, Any]:
        result: dict[str, Any] = request_json(self.engine, command, **arguments).result(WAIT)
        return result

    async def acall(self, command: str, **arguments: Any) -> dict[str, Any]:
        return await trio.to_thread.run_sync(lambda: self.call(command, **arguments))

    async def invites(self, count: int) -> None:
        """`count` invites (control events of the victim's), asked for all at once. An
        invite is answered once its event left the outbox, which sends one envelope per
        COALESCE_SECONDS while busy: one after the other, sixty took 12 s; asked together
        they leave in a few envelopes."""
        futures = [self.engine.request(Invite(circle=self.circle)) for _ in range(count)]
        codes = await trio.to_thread.run_sync(lambda: [f.result(WAIT).code for f in futures])
        assert len(set(codes)) == count

    def usage_of(self, member: bytes) -> dict[str, Any]:
        (circle,) = self.call("circle_usage", circle=self.circle)["circles"]
        for entry in circle["members"]:
            if entry["id"] == member.hex():
                return dict(entry)
        return {"events": 0, "bytes": 0, "refused": 0}

    def all_texts(self) -> list[str]:
        """Every message's text, paging back through the history (bounded)."""
        texts: list[str] = []
        before: dict[str, str] = {}
        for _ in range(50):
            page = self.call("history", circle=self.circle, limit=500, **before)["messages"]
            texts += [m["text"] for m in page]
            if len(page) < 500:
                return texts
            before = {"before": page[0]["id"]}
        raise AssertionError("more history than expected")

    def cut_off(self) -> bool:
        return bool(self.events.of_type(PeerDisconnected))

    def stop(self) -> None:
        assert self.engine.stop()


def _run(victim: Victim, seed: bytes, scenario: Scenario) -> None:
    code = decode_invite(victim.call("invite", circle=victim.circle)["code"])

    async def main() -> None:
        async with running_node(seed, [], lambda p: None, lambda p: None) as node:
            member = await admit(node, code)
            await scenario(node, member)

    with contextlib.suppress(StreamError):
        trio.run(main)


async def _until(condition: Callable[[], bool]) -> None:
    """Wait for `condition` (checked in a worker thread: it may call the engine)."""
    with trio.fail_after(WAIT):
        while not await trio.to_thread.run_sync(condition):
            await trio.sleep(0.05)


def test_a_flood_past_the_quota_is_cut_off_and_bounded(tmp_path: Path) -> None:
    victim = Victim(tmp_path)
    burst = DEFAULT_RULES.event_burst
    flood = burst + 500
    try:
        victim.call("send", circle=victim.circle, text="before the flood")
        stored: dict[str, Any] = {}

        async def scenario(node: Any, member: HostileMember) -> None:
            node.set_stream_handler(sm.PROTOCOL, answering(member.messages(flood, size=100)))
            # the victim pulls from a member every few seconds; the quota stops the flood
            await _until(lambda: victim.cut_off() and victim.usage_of(member.key)["refused"] > 0)
            # commands answered after the flood, and the attacker's share stayed bounded
            await victim.acall("send", circle=victim.circle, text="after the flood")
            stored.update(await trio.to_thread.run_sync(lambda: victim.usage_of(member.key)))

        _run(victim, b"\x21" * 32, scenario)
        assert victim.cut_off()
        assert burst <= stored["events"] < flood
        assert stored["refused"] >= 1
        texts = victim.all_texts()
        assert "before the flood" in texts and "after the flood" in texts
        assert victim.call("status")["peer_id"]
    finally:
        victim.stop()


def test_events_that_were_not_asked_for_cut_the_member_off_and_store_nothing(
    tmp_path: Path,
) -> None:
    victim = Victim(tmp_path)
    try:
        before: list[int] = []

        async def scenario(node: Any, member: HostileMember) -> None:
            offered = member.messages(20)
            unasked = member.messages(20)  # valid, signed by a member, but never asked for
            before.append((await victim.acall("sync_status", circle=victim.circle))["events"])
            node.set_stream_handler(sm.PROTOCOL, answering(offered, sent=unasked))
            await _until(victim.cut_off)

        _run(victim, b"\x22" * 32, scenario)
        assert victim.cut_off()
        assert victim.call("sync_status", circle=victim.circle)["events"] == before[0]
    finally:
        victim.stop()


def test_orphans_fill_only_their_authors_share_of_the_held_events(tmp_path: Path) -> None:
    victim = Victim(tmp_path)
    cap = DEFAULT_RULES.held_per_author
    try:
        held: list[int] = []

        async def scenario(node: Any, member: HostileMember) -> None:
            orphans = member.orphans(cap * 3)
            node.set_stream_handler(sm.PROTOCOL, answering(orphans))

            def some_held() -> bool:
                status = victim.call("sync_status", circle=victim.circle)
                held.append(int(status["held_back"]))
                return held[-1] > 0

            await _until(some_held)
            await victim.acall("send", circle=victim.circle, text="still here")

        _run(victim, b"\x23" * 32, scenario)
        assert 0 < max(held) <= cap
        assert "still here" in victim.all_texts()
    finally:
        victim.stop()


def test_a_stream_of_late_events_is_judged_in_the_background(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="peerapp.engine.late_events")
    victim = Victim(tmp_path)
    try:

        async def scenario(node: Any, member: HostileMember) -> None:
            # control events of the victim's that sort after all of the member's below:
            # each of those arrives late and only the whole log can judge it
            await victim.invites(30)
            late = member.statuses(25)  # on, off, ..., on
            late += member.chain(1, lambda n: (EventType.MESSAGE, {"text": "late hello"}), late[-1])
            node.set_stream_handler(sm.PROTOCOL, answering(late))

            def on_break() -> bool:
                members = victim.call("members", circle=victim.circle)["members"]
                return any(m["id"] == member.key.hex() and m["on_break"] for m in members)

            await _until(on_break)
            await victim.acall("send", circle=victim.circle, text="judged")

        _run(victim, b"\x24" * 32, scenario)
        status = victim.call("sync_status", circle=victim.circle)
        assert status["held_back"] == 0 and status["late_waiting"] == 0
        assert any("late events judged" in r.getMessage() for r in caplog.records)
        # a late message, once judged, is announced like any other
        arrived = [e.message.text for e in victim.events.of_type(MessageArrived)]
        assert "late hello" in arrived and "late hello" in victim.all_texts()
        assert "judged" in victim.all_texts()
    finally:
        victim.stop()


def test_later_late_events_are_judged_from_a_checkpoint(tmp_path: Path) -> None:
    victim = Victim(tmp_path)
    try:
        # a log long enough for checkpoints (one every 128 events) before the member joins
        for number in range(300):
            victim.call("send", circle=victim.circle, text=f"before {number}")

        async def scenario(node: Any, member: HostileMember) -> None:
            await victim.invites(60)  # control events that the member's statuses sort before

            def on_break() -> bool:
                members = victim.call("members", circle=victim.circle)["members"]
                return any(m["id"] == member.key.hex() and m["on_break"] for m in members)

            first = member.statuses(25)  # on, off, ..., on: judged by the whole log
            node.set_stream_handler(sm.PROTOCOL, answering(first))
            await _until(on_break)
            second = member.chain(
                20, lambda n: (EventType.STATUS, {"on_break": n % 2 == 0}), first[-1]
            )  # ..., off
            node.set_stream_handler(sm.PROTOCOL, answering(second))
            await _until(lambda: not on_break())
            # what arrived while a round ran waits for the next one
            await _until(
                lambda: victim.call("sync_status", circle=victim.circle)["late_waiting"] == 0
            )

        _run(victim, b"\x25" * 32, scenario)
        resolutions = victim.call("status")["resolutions"]
        assert resolutions.get("whole", 0) >= 1
        # the second round started at a checkpoint before the member's events
        assert resolutions.get("resumed", 0) >= 1, resolutions
        texts = victim.all_texts()
        assert texts.count("before 0") == 1 and "before 299" in texts
    finally:
        victim.stop()


def test_what_a_removed_member_stored_can_be_cleared(tmp_path: Path) -> None:
    victim = Victim(tmp_path)
    try:
        key: list[bytes] = []

        async def scenario(node: Any, member: HostileMember) -> None:
            key.append(member.key)
            node.set_stream_handler(sm.PROTOCOL, answering(member.messages(40)))
            await _until(lambda: victim.usage_of(member.key)["events"] == 40)
            refused = await trio.to_thread.run_sync(
                lambda: request_json(
                    victim.engine, "clear_member", circle=victim.circle, member=member.key.hex()
                ).exception(WAIT)
            )
            assert refused is not None and "removed or banned" in str(refused)
            await victim.acall("remove_member", circle=victim.circle, member=member.key.hex())

        _run(victim, b"\x25" * 32, scenario)
        (member,) = key
        assert victim.usage_of(member)["bytes"] > 0
        cleared = victim.call("clear_member", circle=victim.circle, member=member.hex())
        assert cleared["messages"] == 40 and cleared["bytes"] > 0
        after = victim.usage_of(member)
        assert after["bytes"] == 0 and after["events"] == 40  # rows kept, content erased
        shown = victim.call("history", circle=victim.circle, limit=100)["messages"]
        assert not any(m["author"] == member.hex() and m["text"] for m in shown)
    finally:
        victim.stop()
