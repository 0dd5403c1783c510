"""Invite codes: what a member hands to someone so they can join a circle.

Text form: "hearth:" + base32 (lowercase, no padding) of
    canonical CBOR [version, circle_id, seed, peer_id, [addrs...], expires]
    || BLAKE2b-32bit checksum of that CBOR
The checksum catches a typo before any network work. Spaces, dashes and line breaks that
mail or chat programs add are ignored; letters are case-insensitive.
The seed is a secret: whoever holds the code can ask to join until it expires or is used up.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from peerapp.core import wire
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import CIRCLE_ID_BYTES, MAX_ADDR_CHARS

PREFIX = "hearth:"
VERSION = 1
SEED_BYTES = 32
CHECKSUM_BYTES = 4
MAX_CODE_ADDRS = 3
MAX_PAYLOAD_BYTES = 2048
_IGNORED = re.compile(r"[\s\-]+")


class InvalidInviteCode(ValueError):
    def __init__(self) -> None:
        super().__init__(Refusal.INVITE_INVALID.text())


@dataclass(frozen=True, repr=False)
class InviteCode:
    circle_id: bytes
    seed: bytes
    peer_id: str
    addrs: tuple[str, ...]  # without the /p2p/ suffix
    expires: int  # unix seconds

    def __repr__(self) -> str:
        circle = self.circle_id.hex()
        return f"InviteCode(circle={circle}, peer={self.peer_id}, expires={self.expires})"

    def dial_addrs(self) -> list[str]:
        return [f"{address}/p2p/{self.peer_id}" for address in self.addrs]

    def is_expired(self, now_seconds: float) -> bool:
        return now_seconds >= self.expires


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=CHECKSUM_BYTES, person=b"hearth-invite").digest()


def encode_invite(code: InviteCode) -> str:
    """The text form; ValueError for a code no joiner could use (no address, bad sizes)."""
    usable = (
        len(code.circle_id) == CIRCLE_ID_BYTES
        and len(code.seed) == SEED_BYTES
        and 0 < len(code.peer_id) <= 128
        and len(code.addrs) > 0
        and all(0 < len(a) <= MAX_ADDR_CHARS for a in code.addrs)
        and code.expires >= 0
    )
    if not usable:
        raise ValueError("an invite needs at least one address and well-formed fields")
    payload = wire.encode(
        [
            VERSION,
            code.circle_id,
            code.seed,
            code.peer_id,
            list(code.addrs[:MAX_CODE_ADDRS]),
            code.expires,
        ]
    )
    raw = payload + _checksum(payload)
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=").lower()


def decode_invite(text: str) -> InviteCode:
    compact = _IGNORED.sub("", text).lower()
    if not compact.startswith(PREFIX):
        raise InvalidInviteCode()
    body = compact[len(PREFIX) :].upper()
    if not body or len(body) > 2 * MAX_PAYLOAD_BYTES:
        raise InvalidInviteCode()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        raise InvalidInviteCode() from None
    # base32's last letter may carry unused bits: one code must have one text
    if base64.b32encode(raw).decode("ascii").rstrip("=") != body:
        raise InvalidInviteCode()
    payload, checksum = raw[:-CHECKSUM_BYTES], raw[-CHECKSUM_BYTES:]
    if len(raw) <= CHECKSUM_BYTES or _checksum(payload) != checksum:
        raise InvalidInviteCode()
    try:
        document = wire.decode(payload, MAX_PAYLOAD_BYTES)
    except wire.WireError:
        raise InvalidInviteCode() from None
    valid = (
        isinstance(document, list)
        and len(document) == 6
        and type(document[0]) is int
        and document[0] == VERSION
        and isinstance(document[1], bytes)
        and len(document[1]) == CIRCLE_ID_BYTES
        and isinstance(document[2], bytes)
        and len(document[2]) == SEED_BYTES
        and isinstance(document[3], str)
        and 0 < len(document[3]) <= 128
        and isinstance(document[4], list)
        and 0 < len(document[4]) <= MAX_CODE_ADDRS
        and all(isinstance(a, str) and 0 < len(a) <= MAX_ADDR_CHARS for a in document[4])
        and type(document[5]) is int
        and document[5] >= 0
    )
    if not valid:
        raise InvalidInviteCode()
    return InviteCode(document[1], document[2], document[3], tuple(document[4]), document[5])
