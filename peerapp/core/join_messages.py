"""Frames of the join protocol, `/hearth/join/1.0.0`, a direct stream joiner -> member.

    joiner: {"hello": circle_id}
    member: {"challenge": 32 random bytes}           or {"refused": REASON}
    joiner: {"request": signed JOIN_REQUEST}
    member: {"events": [signed...], "more": bool}     repeated while more, or {"refused": REASON}

The member admits the joiner (ADD_MEMBER + KEY_ROTATE) before answering with events, so
the joiner's first batch holds the circle's control log and its own admission.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from peerapp.core import wire
from peerapp.core.circle_events import CIRCLE_ID_BYTES, MAX_SIGNED_BYTES

PROTOCOL = "/hearth/join/1.0.0"
MAX_FRAME_BYTES = 1024 * 1024
MAX_EVENTS_PER_FRAME = 256
CHALLENGE_BYTES = 32


class Refusal(Enum):
    NOT_A_MEMBER = "not_a_member"
    UNKNOWN_INVITE = "unknown_invite"
    EXPIRED = "expired"
    USED_UP = "used_up"
    ALREADY_MEMBER = "already_member"
    BAD_PROOF = "bad_proof"
    BUSY = "busy"


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


Frame = Hello | Challenge | Request | Events | Refused


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
    if keys == {"refused"} and isinstance(document["refused"], str):
        try:
            return Refused(Refusal(document["refused"]))
        except ValueError:
            return Refused(Refusal.BAD_PROOF)
    raise FrameError("not a join protocol frame")


def _is_bytes(value: object, length: int) -> bool:
    return isinstance(value, bytes) and len(value) == length
