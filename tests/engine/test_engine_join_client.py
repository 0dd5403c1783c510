"""The joiner's side of the join protocol (engine/join_client.py) without sockets:
request_preview and request_admission against a scripted member over the in-memory framed
stream. Each way a member can answer (a preview, the log in pages, a wait for approval,
each refusal) and each way it can misbehave (garbage, the wrong frame, vanishing,
silence, an endless log) ends in the joiner's own outcome and text, never a traceback.

The member's side (JoinService, which needs CircleService) is tested through sockets in
test_engine_join_approval_hostile.py and the e2e join tests."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import nacl.signing
import pytest
import trio

from peerapp.core import join_messages as jm
from peerapp.core.circle_events import EventType
from peerapp.core.invite_code import InviteCode
from peerapp.crypto.signing import verify_signed
from peerapp.engine import join_client
from peerapp.engine.join_client import (
    JoinPending,
    JoinRefused,
    request_admission,
    request_preview,
    signed_join_request,
)
from peerapp.network.framed import FramedStream, StreamError, StreamOpenFailed
from peerapp.network.memory_streams import memory_stream_pair
from tests.crypto.circle_fixtures import founded_circle
from tests.engine.conversation import run

MEMBER_PEER = "12D3KooWMember"
JOINER_PEER = "12D3KooWJoiner"
CIRCLE = hashlib.blake2b(b"join-client-circle", digest_size=16).digest()
NONCE = hashlib.sha256(b"join-client-nonce").digest()
DIRECT = InviteCode(CIRCLE, b"\x04" * 32, MEMBER_PEER, ("/ip4/127.0.0.1/tcp/4001",), 2**40)

Member = Callable[[FramedStream], Awaitable[None]]


@dataclass
class InMemoryMember:
    """A node whose every stream reaches `member` (a script of the member's side), or no
    one when `member` is None. Records the dials and how the member's side ended."""

    member: Member | None
    nursery: trio.Nursery
    closing: int = 0  # this many first stream opens fail, as on a connection closing
    dials: list[str] = field(default_factory=list)
    ended: list[Exception | None] = field(default_factory=list)

    async def open_stream(
        self, peer_id: str, protocol: str, addrs: list[str] | None = None
    ) -> FramedStream:
        assert peer_id == MEMBER_PEER and protocol == jm.PROTOCOL
        self.dials.extend(addrs or [])
        if self.member is None or len(self.dials) <= self.closing:
            raise StreamOpenFailed(f"could not reach {peer_id}")
        joiner, member = memory_stream_pair(JOINER_PEER, MEMBER_PEER, protocol)
        self.nursery.start_soon(self._serve, self.member, member)
        return joiner

    async def _serve(self, script: Member, stream: FramedStream) -> None:
        # as streams.serving runs a handler: closed after it, reset when it failed
        try:
            await script(stream)
        except Exception as error:
            self.ended.append(error)
            await stream.reset()
            return
        self.ended.append(None)
        await stream.close()


@dataclass
class Joined:
    result: object = None
    error: Exception | None = None
    member: InMemoryMember | None = None


def _join(
    member: Member | None,
    ask: Callable[[InMemoryMember], Awaitable[object]],
    closing: int = 0,
) -> Joined:
    joined = Joined()

    async def body() -> None:
        async with trio.open_nursery() as nursery:
            node = InMemoryMember(member, nursery, closing)
            joined.member = node
            try:
                joined.result = await ask(node)
            except Exception as error:
                joined.error = error

    run(body)
    return joined


def _preview_ask(challenge: bytes) -> jm.PreviewAsk:
    assert challenge == NONCE  # the joiner answers the member's own challenge
    return jm.PreviewAsk(b"\x01" * 32, b"\x02" * 32, b"\x03" * 64)


def _preview(member: Member | None, code: InviteCode = DIRECT) -> Joined:
    return _join(member, lambda node: request_preview(node, code, _preview_ask))


async def _greet(stream: FramedStream) -> jm.Frame:
    """The member's first steps: read the hello, send the challenge, read the answer."""
    hello = jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))
    assert hello == jm.Hello(CIRCLE)
    await stream.send(jm.encode_frame(jm.Challenge(NONCE)))
    return jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))


def _refused_text(joined: Joined) -> str:
    assert isinstance(joined.error, JoinRefused), joined.error
    return joined.error.text


# -- previews ------------------------------------------------------------------------------


def test_a_preview_comes_back_as_the_member_sent_it() -> None:
    shown = jm.Preview("Tuesday circle", "Be kind.", True, 7)

    async def member(stream: FramedStream) -> None:
        ask = await _greet(stream)
        assert ask == _preview_ask(NONCE)
        await stream.send(jm.encode_frame(shown))

    joined = _preview(member)
    assert joined.error is None and joined.result == shown
    assert joined.member is not None and joined.member.ended == [None]
    assert joined.member.dials == DIRECT.dial_addrs()


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (jm.Refusal.EXPIRED, JoinRefused.EXPIRED_TEXT),
        (jm.Refusal.USED_UP, JoinRefused.USED_UP_TEXT),
        (jm.Refusal.APPROVAL_REQUIRED, JoinRefused.APPROVAL_REQUIRED_TEXT),
        (jm.Refusal.BUSY, JoinRefused.BUSY_TEXT),
        (jm.Refusal.UNKNOWN_INVITE, JoinRefused.REFUSED_TEXT),
        (jm.Refusal.NOT_A_MEMBER, JoinRefused.REFUSED_TEXT),
    ],
)
def test_each_refusal_of_a_preview_has_its_text(reason: jm.Refusal, text: str) -> None:
    async def at_hello(stream: FramedStream) -> None:
        await stream.receive(jm.MAX_FRAME_BYTES)
        await stream.send(jm.encode_frame(jm.Refused(reason)))

    async def after_ask(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(jm.encode_frame(jm.Refused(reason)))

    for member in (at_hello, after_ask):
        joined = _preview(member)
        assert _refused_text(joined) == text
        assert isinstance(joined.error, JoinRefused) and joined.error.reason is reason


@pytest.mark.parametrize(
    "answer",
    [
        b"",
        b"\xff\x00garbage",
        jm.encode_frame(jm.Hello(CIRCLE)),
        jm.encode_frame(jm.Events((), False)),
        jm.encode_frame(jm.Pending("name")),
    ],
    ids=["empty", "garbage", "hello", "events", "pending"],
)
def test_a_preview_answered_with_garbage_or_the_wrong_frame_is_refused(answer: bytes) -> None:
    async def member(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(answer)

    assert _refused_text(_preview(member)) == JoinRefused.REFUSED_TEXT


def test_a_member_that_vanishes_or_falls_silent_is_a_refusal_not_a_traceback() -> None:
    async def resets(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.reset()

    async def closes(stream: FramedStream) -> None:
        await stream.receive(jm.MAX_FRAME_BYTES)

    async def silent(stream: FramedStream) -> None:
        await _greet(stream)
        # the joiner gives up after ANSWER_TIMEOUT_SECONDS (virtual: the clock jumps)
        with pytest.raises(StreamError):
            await stream.receive(jm.MAX_FRAME_BYTES, timeout=1000)

    async def oversized(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(b"\x00" * (jm.MAX_FRAME_BYTES + 1))

    for member in (resets, closes, silent, oversized):
        joined = _preview(member)
        assert _refused_text(joined) == JoinRefused.REFUSED_TEXT, member.__name__
        assert joined.member is not None and len(joined.member.ended) == 1


def test_no_member_reachable_is_unreachable_after_each_address_and_bounded_retries() -> None:
    direct = _preview(None)
    assert _refused_text(direct) == JoinRefused.UNREACHABLE_TEXT
    # direct: each address twice (a second round after a short pause), then no more
    assert direct.member is not None
    assert direct.member.dials == DIRECT.dial_addrs() * join_client.DIRECT_ROUNDS
    # onion addresses are dialled round after round (a fresh onion service is not
    # reachable at once), within ONION_REACH_SECONDS of the mock clock
    onion = InviteCode(CIRCLE, b"\x04" * 32, MEMBER_PEER, ("/onion3/" + "a" * 56 + ":4001",), 2**40)
    retried = _preview(None, onion)
    assert _refused_text(retried) == JoinRefused.UNREACHABLE_TEXT
    assert retried.member is not None
    rounds = len(retried.member.dials)
    assert 1 < rounds <= join_client.MAX_DIAL_ROUNDS
    print(f"onion invite: {rounds} dial rounds within {join_client.ONION_REACH_SECONDS} s")


def test_a_connection_closing_under_the_first_stream_is_dialled_again() -> None:
    """Issue 14: a removed member coming back at once with a new invite still holds its
    old connection to the member, which that member closes a little after the removal;
    a stream opened on it just then failed, and the join with it (invite_unreachable)
    although the member was there. The second round dials afresh and gets in."""

    async def member(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(jm.encode_frame(jm.Preview("Back again", "", False, 1)))

    joined = _join(member, lambda node: request_preview(node, DIRECT, _preview_ask), closing=1)
    assert joined.error is None and isinstance(joined.result, jm.Preview)
    assert joined.member is not None and joined.member.dials == DIRECT.dial_addrs() * 2


# -- admission -----------------------------------------------------------------------------


def _admission(member: Member, joiner: nacl.signing.SigningKey | None = None) -> Joined:
    signing = joiner or nacl.signing.SigningKey(b"\x09" * 32)

    def make_request(challenge: bytes) -> bytes:
        return signed_join_request(
            DIRECT,
            challenge=challenge,
            signing=signing,
            exchange_public=b"\x05" * 32,
            member_name="Robin",
            peer=JOINER_PEER,
            addrs=["/ip4/127.0.0.1/tcp/4002"],
        )

    return _join(member, lambda node: request_admission(node, DIRECT, make_request))


def _log(count: int) -> list[bytes]:
    builder, founder = founded_circle("join-client")
    for n in range(count):
        builder.message(founder, f"before you came {n}")
    return [v.signed for v in builder.events]


def test_admission_brings_the_whole_log_across_pages_for_a_valid_request() -> None:
    log = _log(600)
    requests: list[bytes] = []

    async def member(stream: FramedStream) -> None:
        request = await _greet(stream)
        assert isinstance(request, jm.Request)
        verified = verify_signed(request.signed)  # the joiner signed it with its new key
        assert verified.event.type is EventType.JOIN_REQUEST
        assert verified.event.body["challenge"] == NONCE
        assert verified.event.body["peer"] == JOINER_PEER
        requests.append(request.signed)
        pages = [log[i : i + jm.MAX_EVENTS_PER_FRAME] for i in range(0, len(log), 256)]
        for n, page in enumerate(pages):
            await stream.send(jm.encode_frame(jm.Events(tuple(page), n < len(pages) - 1)))

    joined = _admission(member)
    assert joined.error is None and joined.result == log
    assert len(requests) == 1


def test_a_wait_for_approval_is_pending_with_the_circle_name() -> None:
    async def member(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(jm.encode_frame(jm.Pending("Tuesday circle")))

    joined = _admission(member)
    assert isinstance(joined.error, JoinPending) and joined.error.circle_name == "Tuesday circle"


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (jm.Refusal.REJECTED, JoinRefused.REJECTED_TEXT),
        (jm.Refusal.USED_UP, JoinRefused.USED_UP_TEXT),
        (jm.Refusal.ALREADY_MEMBER, "You are already a member of this circle."),
        (jm.Refusal.BAD_PROOF, JoinRefused.REFUSED_TEXT),
        (jm.Refusal.REVOKED, JoinRefused.REFUSED_TEXT),
    ],
)
def test_each_refusal_of_an_admission_has_its_text(reason: jm.Refusal, text: str) -> None:
    async def member(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(jm.encode_frame(jm.Refused(reason)))

    joined = _admission(member)
    assert _refused_text(joined) == text
    assert isinstance(joined.error, JoinRefused) and joined.error.reason is reason


def test_a_log_broken_off_or_mixed_with_other_frames_is_refused_whole() -> None:
    log = _log(3)

    async def pending_after_events(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(jm.encode_frame(jm.Events(tuple(log), True)))
        await stream.send(jm.encode_frame(jm.Pending("too late to wait")))

    async def vanishes_mid_log(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(jm.encode_frame(jm.Events(tuple(log), True)))
        await stream.reset()

    async def garbage_mid_log(stream: FramedStream) -> None:
        await _greet(stream)
        await stream.send(jm.encode_frame(jm.Events(tuple(log), True)))
        await stream.send(b"\x81\x00")

    for member in (pending_after_events, vanishes_mid_log, garbage_mid_log):
        joined = _admission(member)
        # no part of a log is taken: the joiner has nothing to store
        assert joined.result is None, member.__name__
        assert _refused_text(joined) == JoinRefused.REFUSED_TEXT


def test_an_endless_log_is_cut_at_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(join_client, "MAX_LOG_EVENTS", 500)
    log = _log(4)
    sent: list[int] = []

    async def endless(stream: FramedStream) -> None:
        await _greet(stream)
        with pytest.raises(StreamError):  # the joiner stops reading and goes
            for _ in range(10_000):
                await stream.send(jm.encode_frame(jm.Events(tuple(log * 64), True)))
                sent.append(1)

    joined = _admission(endless)
    assert _refused_text(joined) == JoinRefused.REFUSED_TEXT
    assert len(sent) < 10_000
