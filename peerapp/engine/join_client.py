"""The joiner's side of `/hearth/join/1.0.0`: reach a member from the invite, prove the
seed, and bring back the circle's log (or word that a facilitator must approve first), or
a preview of the circle. Each way it can fail has its own message."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from typing import Protocol

import nacl.signing
import trio

from peerapp.core import join_messages as jm
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import Event, EventType
from peerapp.core.invite_code import InviteCode
from peerapp.crypto.invite_keys import invite_public_key, prove
from peerapp.crypto.signing import sign_event
from peerapp.engine.clock import Clock
from peerapp.network.framed import FramedStream, StreamError

log = logging.getLogger(__name__)

DIAL_TIMEOUT_SECONDS = 8
# A fresh onion service answers "Host unreachable" until tor has published its descriptor
# (1-2 s on the private test network, tens of seconds on the real one; a circle's invite
# is often used right after the circle was made, or after the inviter's app started):
# an invite's onion addresses are dialled again, round after round, within this bound.
ONION_REACH_SECONDS = 60
ONION_RETRY_PAUSE_SECONDS = 1.0
# Direct mode: the addresses are dialled a second time after a short pause when no round
# got a stream. A connection that closes just as we open a stream on it (a member
# closing a removed member's old connection while it comes back with a new invite, a
# stranger budget turning it out) fails the stream, not the member's answer; the second
# round dials afresh.
DIRECT_RETRY_PAUSE_SECONDS = 0.5
DIRECT_ROUNDS = 2
MAX_DIAL_ROUNDS = 100  # far above what the bound allows; every loop is bounded
ANSWER_TIMEOUT_SECONDS = 15
MAX_LOG_EVENTS = 100_000


class JoinRefused(Exception):
    """The join did not admit us: `refusal` says why (its text in core/api/refusals.py),
    `reason` the member's own answer when it gave one (a waiting join ends on some)."""

    # the texts, for the callers and tests that show or compare them
    INVALID_TEXT = Refusal.INVITE_INVALID.text()
    EXPIRED_TEXT = Refusal.INVITE_EXPIRED.text()
    UNREACHABLE_TEXT = Refusal.INVITE_UNREACHABLE.text()
    REFUSED_TEXT = Refusal.INVITE_REFUSED.text()
    USED_UP_TEXT = Refusal.INVITE_USED_UP.text()
    APPROVAL_REQUIRED_TEXT = Refusal.JOIN_NEEDS_FACILITATOR_INVITE.text()
    REJECTED_TEXT = Refusal.JOIN_DECLINED.text()
    BUSY_TEXT = Refusal.JOIN_BUSY.text()

    def __init__(self, refusal: Refusal, reason: jm.Refusal | None = None) -> None:
        super().__init__(refusal.text())
        self.refusal = refusal
        self.text = refusal.text()
        self.reason = reason


# what each of the member's answers means to the joiner; any other is INVITE_REFUSED
_REFUSALS = {
    jm.Refusal.EXPIRED: Refusal.INVITE_EXPIRED,
    jm.Refusal.USED_UP: Refusal.INVITE_USED_UP,
    jm.Refusal.ALREADY_MEMBER: Refusal.ALREADY_MEMBER,
    jm.Refusal.APPROVAL_REQUIRED: Refusal.JOIN_NEEDS_FACILITATOR_INVITE,
    jm.Refusal.REJECTED: Refusal.JOIN_DECLINED,
    jm.Refusal.BUSY: Refusal.JOIN_BUSY,
}


class StreamOpener(Protocol):
    """What the joiner needs of a node: a framed stream to a peer (NetworkNode has it; a
    test gives an in-memory member, peerapp/network/memory_streams.py)."""

    async def open_stream(
        self, peer_id: str, protocol: str, addrs: list[str] | None = None
    ) -> FramedStream: ...


class JoinPending(Exception):
    """The circle keeps our request until a facilitator approves it."""

    def __init__(self, circle_name: str) -> None:
        super().__init__("waiting for a facilitator")
        self.circle_name = circle_name


async def _open(node: StreamOpener, code: InviteCode) -> FramedStream:
    onion = all(address.startswith("/onion3/") for address in code.addrs)
    if onion:
        deadline, pause, rounds = (
            trio.current_time() + ONION_REACH_SECONDS,
            ONION_RETRY_PAUSE_SECONDS,
            MAX_DIAL_ROUNDS,
        )
    else:
        deadline, pause, rounds = math.inf, DIRECT_RETRY_PAUSE_SECONDS, DIRECT_ROUNDS
    for round_number in range(1, rounds + 1):
        for address in code.dial_addrs():
            try:
                with trio.fail_after(DIAL_TIMEOUT_SECONDS):
                    return await node.open_stream(code.peer_id, jm.PROTOCOL, [address])
            except (trio.TooSlowError, StreamError, OSError) as error:
                log.info("join: no answer at one invite address (%s)", type(error).__name__)
            except Exception as error:  # py-libp2p's dial errors have no common base
                log.info("join: dial failed (%s)", type(error).__name__)
        if round_number == rounds or trio.current_time() + pause >= deadline:
            break
        await trio.sleep(pause)
    raise JoinRefused(Refusal.INVITE_UNREACHABLE)


async def _next_frame(stream: FramedStream) -> jm.Frame:
    try:
        with trio.fail_after(ANSWER_TIMEOUT_SECONDS):
            data = await stream.receive(jm.MAX_FRAME_BYTES)
        return jm.decode_frame(data)
    except (trio.TooSlowError, StreamError, jm.FrameError) as error:
        log.info("join: the member's answer broke off (%s)", type(error).__name__)
        raise JoinRefused(Refusal.INVITE_REFUSED) from None


def _refused(frame: jm.Frame) -> JoinRefused:
    if isinstance(frame, jm.Refused):
        return JoinRefused(_REFUSALS.get(frame.reason, Refusal.INVITE_REFUSED), frame.reason)
    return JoinRefused(Refusal.INVITE_REFUSED)


async def _challenge(stream: FramedStream, code: InviteCode) -> bytes:
    await stream.send(jm.encode_frame(jm.Hello(code.circle_id)))
    challenge = await _next_frame(stream)
    if not isinstance(challenge, jm.Challenge):
        raise _refused(challenge)
    return challenge.nonce


async def _close(stream: FramedStream) -> None:
    with trio.move_on_after(1) as scope:
        scope.shield = True
        await stream.close()


async def request_preview(
    node: StreamOpener, code: InviteCode, make_ask: Callable[[bytes], jm.PreviewAsk]
) -> jm.Preview:
    """What the circle shows before joining (name, guidelines, approval, size), or
    JoinRefused."""
    stream = await _open(node, code)
    try:
        challenge = await _challenge(stream, code)
        await stream.send(jm.encode_frame(make_ask(challenge)))
        answer = await _next_frame(stream)
        if not isinstance(answer, jm.Preview):
            raise _refused(answer)
        return answer
    except StreamError:
        raise JoinRefused(Refusal.INVITE_REFUSED) from None
    finally:
        await _close(stream)


def signed_join_request(
    code: InviteCode,
    *,
    challenge: bytes,
    signing: nacl.signing.SigningKey,
    exchange_public: bytes,
    member_name: str,
    peer: str,
    addrs: Sequence[str],
    now_ms: int | None = None,
) -> bytes:
    """The JOIN_REQUEST we answer a member's challenge with: the invite's proof bound to
    our new membership key, our exchange key and where we can be reached. `now_ms`: its
    timestamp, by the engine's clock (a test's raw client may leave it to the system's)."""
    me = bytes(signing.verify_key)
    request = Event(
        type=EventType.JOIN_REQUEST,
        circle=code.circle_id,
        author=me,
        seq=0,
        lamport=0,
        prev=(),
        ts=Clock().now_ms() if now_ms is None else now_ms,
        body={
            "invite": invite_public_key(code.seed),
            "challenge": challenge,
            "proof": prove(code.seed, code.circle_id, challenge, me),
            "member_name": member_name,
            "exchange": exchange_public,
            "peer": peer,
            "addrs": list(addrs),
        },
    )
    return sign_event(request, bytes(signing)).signed


async def request_admission(
    node: StreamOpener, code: InviteCode, make_request: Callable[[bytes], bytes]
) -> list[bytes]:
    """The signed events the member sends once it admitted us, JoinPending when a
    facilitator must approve first, or JoinRefused."""
    stream = await _open(node, code)
    try:
        challenge = await _challenge(stream, code)
        await stream.send(jm.encode_frame(jm.Request(make_request(challenge))))
        events: list[bytes] = []
        while True:
            frame = await _next_frame(stream)
            if isinstance(frame, jm.Pending) and not events:
                raise JoinPending(frame.name)
            if not isinstance(frame, jm.Events):
                raise _refused(frame)
            events.extend(frame.signed)
            if len(events) > MAX_LOG_EVENTS:
                raise JoinRefused(Refusal.INVITE_REFUSED)
            if not frame.more:
                return events
    except StreamError:
        raise JoinRefused(Refusal.INVITE_REFUSED) from None
    finally:
        await _close(stream)
