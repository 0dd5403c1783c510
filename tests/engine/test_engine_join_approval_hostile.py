"""The member's side of join approval against a stranger's raw libp2p node: previews
without the seed, malformed frames, a queue flooded with requests. Everything is refused
with a reason or dropped, nothing is stored that should not be, and the engine keeps
serving."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import nacl.public
import nacl.signing
import pytest
import trio

from peerapp.core import join_messages as jm
from peerapp.core import wire
from peerapp.core.events import JoinRequestArrived
from peerapp.core.invite_code import InviteCode, decode_invite
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.crypto.invite_keys import invite_public_key, prove
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.engine import circle_join
from peerapp.engine.engine import Engine
from peerapp.engine.join_client import JoinRefused, request_preview, signed_join_request
from peerapp.engine.thread import EngineThread
from peerapp.network.addresses import parse_listen_address
from peerapp.network.framed import FramedStream, StreamError
from peerapp.network.host import NetworkNode, running_node
from peerapp.node.json_requests import request_json
from peerapp.storage.profile import create_profile
from tests.engine.engine_support import EventLog

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
WAIT = 30.0


def _facilitator(tmp_path: Path, events: EventLog) -> tuple[EngineThread, str, InviteCode]:
    profile = create_profile(tmp_path / "facilitator", "facilitator passphrase", TEST_KDF)
    thread = EngineThread(
        lambda emit: Engine(profile, LOOPBACK, emit, network=DIRECT_RUN),
        events,
    )
    thread.start().result(WAIT)
    circle = request_json(thread, "create_circle", name="Harbour", guidelines="Be kind.").result(
        WAIT
    )["circle"]
    request_json(thread, "set_settings", circle=circle, join_approval=True).result(WAIT)
    code = decode_invite(request_json(thread, "invite", circle=circle).result(WAIT)["code"])
    return thread, circle, code


def _signed_request(code: InviteCode, challenge: bytes, peer: str) -> bytes:
    return signed_join_request(
        code,
        challenge=challenge,
        signing=nacl.signing.SigningKey.generate(),
        exchange_public=bytes(nacl.public.PrivateKey.generate().public_key),
        member_name="Stranger",
        peer=peer,
        addrs=[],
    )


async def _exchange(
    node: NetworkNode, code: InviteCode, second: Callable[[bytes], bytes]
) -> jm.Frame | str:
    """hello, then `second(challenge)` as raw bytes; the member's answer (or what broke)."""
    stream: FramedStream = await node.open_stream(
        code.peer_id, jm.PROTOCOL, list(code.dial_addrs())
    )
    try:
        await stream.send(jm.encode_frame(jm.Hello(code.circle_id)))
        challenge = jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))
        assert isinstance(challenge, jm.Challenge)
        await stream.send(second(challenge.nonce))
        with trio.fail_after(WAIT):
            answer: jm.Frame | str = jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))
    except (StreamError, jm.FrameError) as error:
        return type(error).__name__
    finally:
        await stream.close()
    if answer == jm.Refused(jm.Refusal.BAD_PROOF):
        # a failed proof: the member drops a stranger's connection (issue 11); the next
        # probe dials again
        with trio.fail_after(WAIT):
            while code.peer_id in node.connected_peers():
                await trio.sleep(0.01)
    return answer


def _with_stranger(test: Callable[[NetworkNode], Awaitable[None]]) -> None:
    async def main() -> None:
        async with running_node(b"\x0e" * 32, [], lambda p: None, lambda p: None) as node:
            with trio.fail_after(WAIT * 2):
                await test(node)

    trio.run(main)


def test_previews_and_hostile_frames_are_refused_and_the_member_keeps_serving(
    tmp_path: Path,
) -> None:
    events = EventLog()
    member, circle, code = _facilitator(tmp_path, events)
    answers: dict[str, jm.Frame | str] = {}
    try:

        async def probe(node: NetworkNode) -> None:
            invite = invite_public_key(code.seed)
            joiner = b"\x01" * 32
            answers["forged proof"] = await _exchange(
                node,
                code,
                lambda c: jm.encode_frame(jm.PreviewAsk(invite, joiner, b"\x00" * 64)),
            )
            wrong_seed = b"\x02" * 32
            answers["someone else's seed"] = await _exchange(
                node,
                code,
                lambda c: jm.encode_frame(
                    jm.PreviewAsk(
                        invite_public_key(wrong_seed),
                        joiner,
                        prove(wrong_seed, code.circle_id, c, joiner),
                    )
                ),
            )
            answers["stale challenge"] = await _exchange(
                node,
                code,
                lambda c: jm.encode_frame(
                    jm.PreviewAsk(
                        invite, joiner, prove(code.seed, code.circle_id, bytes(32), joiner)
                    )
                ),
            )
            answers["garbage"] = await _exchange(node, code, lambda c: b"\xff\x00 not cbor")
            answers["a member's answer, sent back"] = await _exchange(
                node, code, lambda c: jm.encode_frame(jm.Pending("Harbour"))
            )
            answers["an unknown map"] = await _exchange(
                node, code, lambda c: wire.encode({"approve": True})
            )
            answers["request signed for another challenge"] = await _exchange(
                node,
                code,
                lambda c: jm.encode_frame(
                    jm.Request(_signed_request(code, bytes(32), node.peer_id))
                ),
            )
            preview = await request_preview(
                node,
                code,
                lambda c: jm.PreviewAsk(
                    invite, joiner, prove(code.seed, code.circle_id, c, joiner)
                ),
            )
            answers["genuine preview"] = preview

        _with_stranger(probe)
        bad_proof = jm.Refused(jm.Refusal.BAD_PROOF)
        assert answers["forged proof"] == bad_proof
        # a sound proof for an invite the circle never made
        assert answers["someone else's seed"] == jm.Refused(jm.Refusal.UNKNOWN_INVITE)
        assert answers["stale challenge"] == bad_proof
        assert answers["request signed for another challenge"] == bad_proof
        # nothing to answer: the member drops the stream
        for name in ("garbage", "a member's answer, sent back", "an unknown map"):
            assert isinstance(answers[name], str), (name, answers[name])
        assert answers["genuine preview"] == jm.Preview("Harbour", "Be kind.", True, 1)
        assert events.of_type(JoinRequestArrived) == []
        assert request_json(member, "pending_joins", circle=circle).result(WAIT)["requests"] == []
        assert request_json(member, "status").result(WAIT)["peer_id"]  # still serving
    finally:
        assert member.stop()


def test_a_flooded_queue_answers_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(circle_join, "MAX_WAITING_REQUESTS", 3)
    events = EventLog()
    member, circle, code = _facilitator(tmp_path, events)
    answers: list[jm.Frame | str] = []
    try:

        async def flood(node: NetworkNode) -> None:
            for _ in range(5):
                answers.append(
                    await _exchange(
                        node,
                        code,
                        lambda c: jm.encode_frame(
                            jm.Request(_signed_request(code, c, node.peer_id))
                        ),
                    )
                )

        _with_stranger(flood)
        assert answers[:3] == [jm.Pending("Harbour")] * 3
        assert answers[3:] == [jm.Refused(jm.Refusal.BUSY)] * 2
        requests = request_json(member, "pending_joins", circle=circle).result(WAIT)["requests"]
        assert [r["name"] for r in requests] == ["Stranger"] * 3
        assert [e.request for e in events.of_type(JoinRequestArrived)] == [
            r["id"] for r in requests
        ]
        # rejecting one makes room again
        request_json(member, "reject_join", circle=circle, request=requests[0]["id"]).result(WAIT)

        async def one_more(node: NetworkNode) -> None:
            answers.append(
                await _exchange(
                    node,
                    code,
                    lambda c: jm.encode_frame(jm.Request(_signed_request(code, c, node.peer_id))),
                )
            )

        _with_stranger(one_more)
        assert answers[-1] == jm.Pending("Harbour")
    finally:
        assert member.stop()


def test_a_broken_preview_answer_reads_as_a_refusal(tmp_path: Path) -> None:
    """The joiner's side: a 'member' that answers a preview with nonsense."""
    outcome: list[str] = []

    async def main() -> None:
        async with (
            running_node(
                b"\x21" * 32, [parse_listen_address(LOOPBACK[0])], lambda p: None, lambda p: None
            ) as fake,
            running_node(b"\x22" * 32, [], lambda p: None, lambda p: None) as joiner,
        ):

            async def answer(stream: FramedStream) -> None:
                await stream.receive(jm.MAX_FRAME_BYTES)
                await stream.send(jm.encode_frame(jm.Challenge(bytes(32))))
                await stream.receive(jm.MAX_FRAME_BYTES)
                await stream.send(wire.encode({"name": 7, "guidelines": "", "members": -1}))

            fake.set_stream_handler(jm.PROTOCOL, answer)
            address = fake.dialable_addrs()[0].rsplit("/p2p/", 1)[0]
            code = InviteCode(b"\x03" * 16, b"\x04" * 32, fake.peer_id, (address,), 2**40)
            try:
                with trio.fail_after(WAIT):
                    await request_preview(
                        joiner, code, lambda c: jm.PreviewAsk(bytes(32), bytes(32), bytes(64))
                    )
            except JoinRefused as refusal:
                outcome.append(refusal.text)

    trio.run(main)
    assert outcome == [JoinRefused.REFUSED_TEXT]
