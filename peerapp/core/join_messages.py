"""Frames of the join protocol, `/hearth/join/1.0.0`, a direct stream joiner -> member.

    joiner: {"hello": circle_id}
    member: {"challenge": 32 random bytes}           or {"refused": REASON}
    then either (joining)
    joiner: {"request": signed JOIN_REQUEST}
    member: {"events": [signed...], "more": bool}     repeated while more,
            or {"pending": circle name}               (join approval: a facilitator decides)
            or {"refused": REASON}
    or (looking before joining)
    joiner: {"preview": invite key, "joiner": 32 B, "proof": the invite key's signature}
    member: {"name", "guidelines", "join_approval", "members"}  or {"refused": REASON}

The member admits the joiner (ADD_MEMBER + KEY_ROTATE) before answering with events, so
the joiner's first batch holds the circle's control log and its own admission. With join
approval on, a facilitator keeps the request in its queue and answers "pending"; the
joiner asks again later with a fresh request from the same membership key, and is
answered with the log once admitted, "rejected" once turned down, "pending" meanwhile.
A preview's proof is the same as a request's (any joiner key: the proof binds it), so
only a holder of the invite learns the circle's name and guidelines.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from peerapp.core import wire
from peerapp.core.circle_events import (
    CIRCLE_ID_BYTES,
    KEY_BYTES,
    MAX_GUIDELINES_CHARS,
    MAX_NAME_CHARS,
    MAX_SIGNED_BYTES,
    SIGNATURE_BYTES,
)

PROTOCOL = "/hearth/join/1.0.0"
MAX_FRAME_BYTES = 1024 * 1024
MAX_EVENTS_PER_FRAME = 256
CHALLENGE_BYTES = 32
MAX_PREVIEW_MEMBERS = 1_000_000


class Refusal(Enum):
    NOT_A_MEMBER = "not_a_member"
    UNKNOWN_INVITE = "unknown_invite"
    EXPIRED = "expired"
    USED_UP = "used_up"
    ALREADY_MEMBER = "already_member"
    BAD_PROOF = "bad_proof"
    BUSY = "busy"
    REVOKED = "revoked"
    REJECTED = "rejected"  # a facilitator turned the waiting request down
    APPROVAL_REQUIRED = "approval_required"  # join approval is on; we are no facilitator


class FrameError(ValueError):
    pass


@dataclass(frozen=True)
class Hello:
    circle: bytes


@dataclass(frozen=True)
class Challenge:
    nonce: bytes


@dataclass(frozen=True)
class Request:
    signed: bytes


@dataclass(frozen=True)
class Events:
    signed: tuple[bytes, ...]
    more: bool


@dataclass(frozen=True)
class Refused:
    reason: Refusal


@dataclass(frozen=True)
class PreviewAsk:
    invite: bytes
    joiner: bytes
    proof: bytes


@dataclass(frozen=True)
class Preview:
    name: str
    guidelines: str
    join_approval: bool
    members: int


@dataclass(frozen=True)
class Pending:
    name: str  # the circle's name, for the joiner's list of waiting joins


Frame = Hello | Challenge | Request | Events | Refused | PreviewAsk | Preview | Pending


def encode_frame(frame: Frame) -> bytes:
    document: dict[str, Any]
    match frame:
        case Hello(circle):
            document = {"hello": circle}
        case Challenge(nonce):
            document = {"challenge": nonce}
        case Request(signed):
            document = {"request": signed}
        case Events(signed, more):
            document = {"events": list(signed), "more": more}
        case Refused(reason):
            document = {"refused": reason.value}
        case PreviewAsk(invite, joiner, proof):
            document = {"preview": invite, "joiner": joiner, "proof": proof}
        case Preview(name, guidelines, join_approval, members):
            document = {
                "name": name,
                "guidelines": guidelines,
                "join_approval": join_approval,
                "members": members,
            }
        case Pending(name):
            document = {"pending": name}
    return wire.encode(document)


def decode_frame(data: bytes) -> Frame:
    try:
        document = wire.decode(data, MAX_FRAME_BYTES)
    except wire.WireError as error:
        raise FrameError(str(error)) from None
    if not isinstance(document, dict):
        raise FrameError("a frame is a map")
    keys = set(document)
    if keys == {"hello"} and _is_bytes(document["hello"], CIRCLE_ID_BYTES):
        return Hello(document["hello"])
    if keys == {"challenge"} and _is_bytes(document["challenge"], CHALLENGE_BYTES):
        return Challenge(document["challenge"])
    request = document.get("request")
    if keys == {"request"} and isinstance(request, bytes) and len(request) <= MAX_SIGNED_BYTES:
        return Request(request)
    if keys == {"events", "more"} and isinstance(document["more"], bool):
        events = document["events"]
        if (
            isinstance(events, list)
            and len(events) <= MAX_EVENTS_PER_FRAME
            and all(isinstance(e, bytes) and len(e) <= MAX_SIGNED_BYTES for e in events)
        ):
            return Events(tuple(events), document["more"])
    return _decode_other_frame(document)


def _decode_other_frame(document: dict[Any, Any]) -> Frame:
    """Refusals, and the frames join approval and previews added."""
    keys = set(document)
    if keys == {"refused"} and isinstance(document["refused"], str):
        try:
            return Refused(Refusal(document["refused"]))
        except ValueError:
            return Refused(Refusal.BAD_PROOF)
    if (
        keys == {"preview", "joiner", "proof"}
        and _is_bytes(document["preview"], KEY_BYTES)
        and _is_bytes(document["joiner"], KEY_BYTES)
        and _is_bytes(document["proof"], SIGNATURE_BYTES)
    ):
        return PreviewAsk(document["preview"], document["joiner"], document["proof"])
    if (
        keys == {"name", "guidelines", "join_approval", "members"}
        and _is_text(document["name"], MAX_NAME_CHARS)
        and _is_text(document["guidelines"], MAX_GUIDELINES_CHARS)
        and isinstance(document["join_approval"], bool)
        and _is_count(document["members"])
    ):
        return Preview(
            document["name"],
            document["guidelines"],
            document["join_approval"],
            document["members"],
        )
    if keys == {"pending"} and _is_text(document["pending"], MAX_NAME_CHARS):
        return Pending(document["pending"])
    raise FrameError("not a join protocol frame")


def _is_text(value: object, max_chars: int) -> bool:
    return isinstance(value, str) and len(value) <= max_chars


def _is_count(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PREVIEW_MEMBERS
    )


def _is_bytes(value: object, length: int) -> bool:
    return isinstance(value, bytes) and len(value) == length
