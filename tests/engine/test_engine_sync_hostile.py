"""A member that answers sync with garbage, with another circle's events, or with a
never-ending stream is cut off; nothing it sent is stored and the engine keeps running."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import nacl.public
import nacl.signing
import pytest
import trio

from peerapp.core import join_messages as jm
from peerapp.core import sync_messages as sm
from peerapp.core.events import PeerDisconnected
from peerapp.core.invite_code import InviteCode, decode_invite
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.crypto.identity import ProfileKeys
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.engine.engine import Engine
from peerapp.engine.join_client import request_admission, signed_join_request
from peerapp.engine.thread import EngineThread
from peerapp.network.framed import FramedStream, StreamError
from peerapp.network.host import running_node
from peerapp.node.json_requests import request_json
from peerapp.storage.circle_store import CircleStore
from peerapp.storage.profile import UnlockedProfile, create_profile
from tests.engine.engine_support import QUICK_SYNC, EventLog

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
WAIT = 30.0


def _engine(profile: UnlockedProfile, events: EventLog | None = None) -> EngineThread:
    thread = EngineThread(
        lambda emit: Engine(profile, LOOPBACK, emit, network=DIRECT_RUN, timings=QUICK_SYNC),
        events or (lambda e: None),
    )
    thread.start().result(WAIT)
    return thread


def _peer_seed(profile: UnlockedProfile) -> bytes:
    database = profile.open_database()
    try:
        return ProfileKeys.from_records(database.keys()).peer_seed
    finally:
        database.close()


def _event_count(profile_engine: EngineThread, circle: str) -> int:
    return int(request_json(profile_engine, "sync_status", circle=circle).result(WAIT)["events"])


def _other_circle_events(tmp_path: Path) -> list[bytes]:
    """Valid signed events, but of a circle the victim is not in."""
    profile = create_profile(tmp_path / "elsewhere", "elsewhere passphrase", TEST_KDF)
    engine = _engine(profile)
    try:
        circle = request_json(engine, "create_circle", name="Elsewhere").result(WAIT)["circle"]
        request_json(engine, "send", circle=circle, text="not for you").result(WAIT)
    finally:
        assert engine.stop()
    database = profile.open_database()
    try:
        return [e.signed for e in CircleStore(database).events_in_order(bytes.fromhex(circle))]
    finally:
        database.close()


Handler = Callable[[FramedStream], Awaitable[None]]


async def _garbage(stream: FramedStream) -> None:
    await stream.receive(sm.MAX_FRAME_BYTES)
    await stream.send(b"\xff\x00 this is not a frame")


def _foreign(events: list[bytes]) -> Handler:
    async def answer(stream: FramedStream) -> None:
        await stream.receive(sm.MAX_FRAME_BYTES)
        fake_ids = tuple(bytes([i]) * 32 for i in range(len(events)))
        await stream.send(sm.encode_sync_frame(sm.IdList(fake_ids, False)))
        await stream.receive(sm.MAX_FRAME_BYTES)  # the want
        await stream.send(jm.encode_frame(jm.Events(tuple(events), False)))
        await trio.sleep_forever()

    return answer


async def _endless(stream: FramedStream) -> None:
    await stream.receive(sm.MAX_FRAME_BYTES)
    for frame_number in range(1000):  # far past the session's id cap
        ids = tuple(
            (frame_number * sm.MAX_IDS_PER_FRAME + i).to_bytes(32, "big")
            for i in range(sm.MAX_IDS_PER_FRAME)
        )
        await stream.send(sm.encode_sync_frame(sm.IdList(ids, True)))


def _admission_request(code: InviteCode, node_peer: str) -> Callable[[bytes], bytes]:
    """A genuine join request for a bare libp2p node: it becomes a real member."""
    signing = nacl.signing.SigningKey.generate()
    exchange = nacl.public.PrivateKey.generate()

    def make(challenge: bytes) -> bytes:
        return signed_join_request(
            code,
            challenge=challenge,
            signing=signing,
            exchange_public=bytes(exchange.public_key),
            member_name="R",
            peer=node_peer,
            addrs=[],
        )

    return make


@pytest.mark.parametrize("kind", ["garbage", "foreign", "endless"])
def test_a_hostile_member_is_cut_off_and_nothing_it_sent_is_stored(
    tmp_path: Path, kind: str
) -> None:
    victim_profile = create_profile(tmp_path / "victim", "victim passphrase", TEST_KDF)
    events = EventLog()
    victim = _engine(victim_profile, events)
    try:
        circle = request_json(victim, "create_circle", name="Target", member_name="V").result(WAIT)[
            "circle"
        ]
        code = decode_invite(request_json(victim, "invite", circle=circle).result(WAIT)["code"])
        handler = {"garbage": _garbage, "endless": _endless}.get(kind) or _foreign(
            _other_circle_events(tmp_path)
        )
        counts: list[int] = []

        def cut_off() -> bool:
            return any(isinstance(e, PeerDisconnected) for e in events.seen)

        async def misbehave() -> None:
            async with running_node(b"\x0d" * 32, [], lambda p: None, lambda p: None) as node:
                node.set_stream_handler(sm.PROTOCOL, handler)
                # a genuine admission: from here on the victim treats this node as a member
                await request_admission(node, code, _admission_request(code, node.peer_id))
                counts.append(await trio.to_thread.run_sync(lambda: _event_count(victim, circle)))
                with trio.fail_after(WAIT):
                    # the victim pulls from a member on connect and every few seconds
                    while not cut_off():
                        await trio.sleep(0.02)

        with contextlib.suppress(StreamError):
            trio.run(misbehave)
        assert cut_off(), events.seen
        assert _event_count(victim, circle) == counts[0]
        assert request_json(victim, "status").result(WAIT)["peer_id"]  # still serving
    finally:
        assert victim.stop()
