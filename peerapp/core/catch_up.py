"""Frames of the catch-up protocol, `/hearth/catchup/1.0.0`, member to member.

    asker:    {"circle": id, "since": lamport}
    answerer: {"events": [signed...], "more": bool}   repeated while more, or {"refused": REASON}

The answerer sends the accepted events whose lamport is above `since`, oldest first, up
to MAX_EVENTS per session. It runs whenever a member connects, so a message published
while a link or a mesh was still forming is not lost. (A heads-based DAG sync that also
fills older gaps is the next step; this covers the recent past.)
"""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core import wire
from peerapp.core.circle_events import CIRCLE_ID_BYTES

PROTOCOL = "/hearth/catchup/1.0.0"
MAX_EVENTS = 10_000
LOOKBACK = 64  # ask from a little before our newest event: concurrent branches sort there


class CatchUpError(ValueError):
    pass


@dataclass(frozen=True)
class CatchUpRequest:
    circle: bytes
    since: int


def encode_request(request: CatchUpRequest) -> bytes:
    return wire.encode({"circle": request.circle, "since": request.since})


def decode_request(data: bytes) -> CatchUpRequest:
    try:
        document = wire.decode(data, 256)
    except wire.WireError as error:
        raise CatchUpError(str(error)) from None
    valid = (
        isinstance(document, dict)
        and set(document) == {"circle", "since"}
        and isinstance(document["circle"], bytes)
        and len(document["circle"]) == CIRCLE_ID_BYTES
        and type(document["since"]) is int
        and -1 <= document["since"] < 2**53
    )
    if not valid:
        raise CatchUpError("not a catch-up request")
    return CatchUpRequest(document["circle"], document["since"])
