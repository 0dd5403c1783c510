"""What a non-member can see and do: nothing on the circle's topic (no subscription, no
message), and no way in through the join protocol without the invite's seed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import nacl.signing
import trio

from peerapp.core import join_messages as jm
from peerapp.core import sync_messages
from peerapp.core.circle_events import EventType
from peerapp.core.invite_code import InviteCode, decode_invite
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.crypto import envelope
from peerapp.crypto.epoch import EpochKeys
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.crypto.signing import sign_event
from peerapp.engine.circle_service import CircleService
from peerapp.engine.engine import Engine
from peerapp.engine.join_client import JoinRefused, request_admission
from peerapp.engine.safety import message_body
from peerapp.engine.thread import EngineThread
from peerapp.network.framed import StreamError
from peerapp.network.host import running_node
from peerapp.network.pubsub import PubsubMessage
from peerapp.node.json_requests import request_json
from peerapp.storage.circle_store import CircleStore
from peerapp.storage.profile import UnlockedProfile, create_profile

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
WAIT = 20.0
MARKER = "a-very-distinctive-plaintext-marker"
T = TypeVar("T")


def _member(tmp_path: Path, name: str = "member") -> tuple[EngineThread, UnlockedProfile]:
    profile = create_profile(tmp_path / name, "member passphrase!", TEST_KDF)
    thread = EngineThread(
        lambda emit: Engine(profile, LOOPBACK, emit, network=DIRECT_RUN),
        lambda event: None,
    )
    thread.start().result(WAIT)
    return thread, profile


def _current_topic(profile: UnlockedProfile, circle_hex: str) -> str:
    """Read the member's epoch secrets the way only the member's own machine can."""
    database = profile.open_database()
    try:
        secrets = CircleStore(database).epoch_secrets(bytes.fromhex(circle_hex))
    finally:
        database.close()
    assert len(secrets) == 1
    return EpochKeys(next(iter(secrets.values()))).topic


def test_a_connected_stranger_learns_no_topic_and_receives_nothing(tmp_path: Path) -> None:
    """Issue 11, the stranger's view: GossipSub is for members' peers only. A stranger
    that knows the topic (read here from the member's own database), subscribes to it
    and connects sees no subscription of ours and no message, and what it publishes on
    the topic reaches no one."""
    member, profile = _member(tmp_path)
    try:
        circle = request_json(member, "create_circle", name="Private", member_name="Ash").result(
            WAIT
        )["circle"]
        topic = _current_topic(profile, circle)
        address = request_json(member, "status").result(WAIT)["addrs"][0]
        seen: list[PubsubMessage] = []
        learnt: list[list[str]] = []

        async def eavesdrop() -> None:
            async with running_node(
                b"\x07" * 32, [], lambda p: None, lambda p: None, seen.append
            ) as outsider:
                await outsider.subscribe(topic)
                await outsider.connect(address)

                def parked() -> bool:
                    counts = request_json(member, "status").result(WAIT)["network"]
                    return bool(counts["pubsub_streams_parked"] >= 1)

                with trio.fail_after(WAIT):  # our pubsub stream is held unread
                    while not await trio.to_thread.run_sync(parked):
                        await trio.sleep(0.05)
                await outsider.publish(topic, b"garbage on the circle topic")
                for number in range(3):
                    await trio.to_thread.run_sync(
                        lambda n=number: request_json(
                            member, "send", circle=circle, text=f"{MARKER} {n}"
                        ).result(WAIT)
                    )
                    learnt.append(outsider.topic_peers(topic))

        trio.run(eavesdrop)
        assert seen == [] and learnt == [[], [], []]
        history = request_json(member, "history", circle=circle).result(WAIT)["messages"]
        assert [m["text"] for m in history] == [f"{MARKER} {n}" for n in range(3)]
        assert request_json(member, "status").result(WAIT)["network"]["delivered"] == 0
    finally:
        assert member.stop()


def _inside(thread: EngineThread, work: Callable[[CircleService], Awaitable[T]]) -> T:
    """Run `work` in the engine's own trio thread, with its circle service."""
    engine = thread._engine
    assert engine is not None and engine._circles_service is not None
    service = engine._circles_service
    return trio.from_thread.run(lambda: work(service), trio_token=thread._token)


def test_members_neither_take_nor_relay_what_does_not_authenticate(tmp_path: Path) -> None:
    """Issue 11: a member's peer puts on the circle's topic bytes that open under no epoch
    and an event signed by a key that is no member, sealed under the real epoch; the
    other member's validator refuses both (not delivered, so never relayed), and a
    genuine message still arrives."""
    ash, _ = _member(tmp_path, "ash")
    bee, _ = _member(tmp_path, "bee")
    try:
        circle = request_json(ash, "create_circle", name="Guarded", member_name="Ash").result(WAIT)[
            "circle"
        ]
        code = request_json(ash, "invite", circle=circle).result(WAIT)["code"]
        assert request_json(bee, "join", code=code, name="Bee").result(WAIT)["circle"] == circle
        outsider = nacl.signing.SigningKey.generate()

        async def forge(service: CircleService) -> None:
            runtime = service.runtimes.require(circle)
            keys = runtime.current_keys()
            node = service.node_for(runtime.circle_id)
            assert keys is not None and node is not None
            genuine = service.log.author(runtime, EventType.MESSAGE, message_body("forged", None))
            event = replace(genuine.event, author=bytes(outsider.verify_key))
            forged = sign_event(event, bytes(outsider))
            sealed = envelope.seal(
                forged.signed, keys.message_key, runtime.circle_id, keys.epoch_id
            )
            await node.publish(keys.topic, b"garbage on the circle topic")
            await node.publish(keys.topic, sealed)

        def refused() -> int:
            return int(request_json(ash, "status").result(WAIT)["network"]["relay_refused"])

        async def attack() -> None:
            with trio.fail_after(WAIT):
                for number in range(20):  # until the mesh carries them (bounded)
                    await trio.to_thread.run_sync(lambda: _inside(bee, forge))
                    await trio.to_thread.run_sync(
                        lambda n=number: request_json(
                            bee, "send", circle=circle, text=f"real {n}"
                        ).result(WAIT)
                    )
                    with trio.move_on_after(1.0):
                        while await trio.to_thread.run_sync(refused) < 2:
                            await trio.sleep(0.05)
                    if await trio.to_thread.run_sync(refused) >= 2:
                        return

        trio.run(attack)
        texts = [
            m["text"] for m in request_json(ash, "history", circle=circle).result(WAIT)["messages"]
        ]
        assert texts and all(text.startswith("real ") for text in texts)
        assert refused() >= 2
    finally:
        assert ash.stop() and bee.stop()


def test_the_join_protocol_refuses_without_the_invite_seed(tmp_path: Path) -> None:
    member, _ = _member(tmp_path)
    try:
        circle = request_json(member, "create_circle", name="Guarded", member_name="Ash").result(
            WAIT
        )["circle"]
        real = decode_invite(request_json(member, "invite", circle=circle).result(WAIT)["code"])
        forged = InviteCode(real.circle_id, b"\x01" * 32, real.peer_id, real.addrs, real.expires)
        other_circle = InviteCode(b"\x02" * 16, real.seed, real.peer_id, real.addrs, real.expires)
        outcomes: list[str] = []

        async def try_to_join() -> None:
            # one outsider per try: a peer that fails a proof is disconnected at once
            for number, code in enumerate((forged, other_circle)):
                seed = bytes([0x09 + number]) * 32
                async with running_node(seed, [], lambda p: None, lambda p: None) as outsider:
                    try:
                        await request_admission(outsider, code, lambda challenge: b"\xa0")
                    except JoinRefused as refusal:
                        outcomes.append(refusal.text)
                    else:
                        outcomes.append("admitted")

        trio.run(try_to_join)
        assert outcomes == [JoinRefused.REFUSED_TEXT, JoinRefused.REFUSED_TEXT]
        members = request_json(member, "members", circle=circle).result(WAIT)["members"]
        assert [m["name"] for m in members] == ["Ash"]
    finally:
        assert member.stop()


def test_refusal_frames_name_the_reason() -> None:
    assert jm.decode_frame(jm.encode_frame(jm.Refused(jm.Refusal.NOT_A_MEMBER))) == jm.Refused(
        jm.Refusal.NOT_A_MEMBER
    )


def test_a_stranger_cannot_sync_a_circle(tmp_path: Path) -> None:
    member, _ = _member(tmp_path)
    try:
        circle = request_json(member, "create_circle", name="Closed", member_name="Ash").result(
            WAIT
        )["circle"]
        status = request_json(member, "status").result(WAIT)
        outcome: list[str] = []

        async def ask() -> None:
            async with running_node(b"\x0b" * 32, [], lambda p: None, lambda p: None) as outsider:
                summary = sync_messages.Summary(bytes.fromhex(circle), ())
                request = sync_messages.encode_sync_frame(summary)
                try:
                    stream = await outsider.open_stream(
                        status["peer_id"], sync_messages.PROTOCOL, [status["addrs"][0]]
                    )
                    await stream.send(request)
                    outcome.append(repr(jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))))
                except StreamError as error:
                    outcome.append(type(error).__name__)

        trio.run(ask)
        # the gate resets the stream before the engine sees it: nothing of the log comes back
        assert len(outcome) == 1
        assert "Events" not in outcome[0]
    finally:
        assert member.stop()
