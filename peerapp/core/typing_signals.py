"""The typing signal's shape (issue 15; sans-IO): what a member signs to say it is
typing in a circle. It is not a circle event: it is never stored, never synced and has no
place in the log; it travels once, encrypted, on the circle's GossipSub topic
(crypto/envelope.py's signal envelope) and is forgotten.

    payload = canonical CBOR {"kind": "typing", "circle": circle id, "member": member key,
                              "ts": ms}
    signed  = payload || Ed25519 signature of payload by `member` (crypto/signals.py)

`decode` is strict (a member's modified app may send anything): exactly these keys, of
these kinds and sizes.

`RateGate` is the receiver's limit, one per engine: at most one signal per (circle,
member) every `ACCEPT_EVERY_SECONDS`; the rest are dropped and counted by the caller.
It remembers at most MAX_TRACKED pairs (the oldest are forgotten first), so a flood of
forged members cannot grow it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from peerapp.core import wire
from peerapp.core.circle_events import CIRCLE_ID_BYTES, KEY_BYTES
from peerapp.core.typing_policy import ACCEPT_EVERY_SECONDS, MAX_TRACKED

KIND = "typing"
MAX_PAYLOAD_BYTES = 256


class SignalError(ValueError):
    """Bytes that are not a typing signal."""


@dataclass(frozen=True)
class TypingSignal:
    circle: bytes
    member: bytes
    ts: int  # ms, by the sender's clock


def encode(signal: TypingSignal) -> bytes:
    return wire.encode(
        {"kind": KIND, "circle": signal.circle, "member": signal.member, "ts": signal.ts}
    )


def decode(payload: bytes) -> TypingSignal:
    try:
        document = wire.decode(payload, MAX_PAYLOAD_BYTES)
    except wire.WireError as error:
        raise SignalError(str(error)) from None
    shaped = (
        isinstance(document, dict)
        and set(document) == {"kind", "circle", "member", "ts"}
        and document["kind"] == KIND
        and isinstance(document["circle"], bytes)
        and len(document["circle"]) == CIRCLE_ID_BYTES
        and isinstance(document["member"], bytes)
        and len(document["member"]) == KEY_BYTES
        and type(document["ts"]) is int
        and 0 <= document["ts"] < 2**63
    )
    if not shaped:
        raise SignalError("not a typing signal")
    return TypingSignal(document["circle"], document["member"], document["ts"])


class RateGate:
    """At most one signal per (circle, member) every ACCEPT_EVERY_SECONDS (monotonic)."""

    def __init__(self, every: float = ACCEPT_EVERY_SECONDS, tracked: int = MAX_TRACKED) -> None:
        self._every = every
        self._tracked = tracked
        self._last: OrderedDict[tuple[bytes, bytes], float] = OrderedDict()

    def admit(self, circle: bytes, member: bytes, now: float) -> bool:
        key = (circle, member)
        last = self._last.get(key)
        if last is not None and now - last < self._every:
            return False
        self._last[key] = now
        self._last.move_to_end(key)
        while len(self._last) > self._tracked:
            self._last.popitem(last=False)
        return True
