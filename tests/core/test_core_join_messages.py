"""Join protocol frames: round trips, and strict decoding of what a stranger sends."""

from __future__ import annotations

from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core import join_messages as jm
from peerapp.core import wire
from peerapp.core.circle_events import MAX_SIGNED_BYTES
from peerapp.core.join_messages import (
    CHALLENGE_BYTES,
    MAX_EVENTS_PER_FRAME,
    MAX_FRAME_BYTES,
    Challenge,
    Events,
    Frame,
    FrameError,
    Hello,
    Refusal,
    Refused,
    Request,
    decode_frame,
    encode_frame,
)
from tests.crypto.circle_fixtures import circle_id_for, identity, invite_seed, join_request

CIRCLE = circle_id_for("frames")
SIGNED = join_request(CIRCLE, identity("joiner"), invite_seed("frames")).signed

FRAMES: dict[str, Frame] = {
    "hello": Hello(CIRCLE),
    "challenge": Challenge(bytes(range(CHALLENGE_BYTES))),
    "request": Request(SIGNED),
    "request of the largest event": Request(bytes(MAX_SIGNED_BYTES)),
    "no events, done": Events((), False),
    "events, more to come": Events((SIGNED, b"\x01" * 100), True),
    "the most events": Events(
        tuple(bytes([i % 256]) * 8 for i in range(MAX_EVENTS_PER_FRAME)), True
    ),
    **{f"refused {r.value}": Refused(r) for r in Refusal},
}


@pytest.mark.parametrize("frame", list(FRAMES.values()), ids=list(FRAMES))
def test_round_trip(frame: Frame) -> None:
    data = encode_frame(frame)
    assert len(data) <= MAX_FRAME_BYTES
    assert decode_frame(data) == frame


def test_frames_are_canonical_maps_with_the_documented_keys() -> None:
    assert wire.decode(encode_frame(Hello(CIRCLE)), MAX_FRAME_BYTES) == {"hello": CIRCLE}
    assert wire.decode(encode_frame(Events((SIGNED,), True)), MAX_FRAME_BYTES) == {
        "events": [SIGNED],
        "more": True,
    }
    assert wire.decode(encode_frame(Refused(Refusal.USED_UP)), MAX_FRAME_BYTES) == {
        "refused": "used_up"
    }
    assert jm.PROTOCOL == "/hearth/join/1.0.0"


MALFORMED: dict[str, Any] = {
    "empty map": {},
    "a list": [CIRCLE],
    "bytes": CIRCLE,
    "text": "hello",
    "null": None,
    "unknown key": {"goodbye": CIRCLE},
    "hello 15 bytes": {"hello": bytes(15)},
    "hello 17 bytes": {"hello": bytes(17)},
    "hello text": {"hello": "c" * 16},
    "hello with extra key": {"hello": CIRCLE, "extra": 1},
    "challenge 31 bytes": {"challenge": bytes(31)},
    "challenge 33 bytes": {"challenge": bytes(33)},
    "challenge null": {"challenge": None},
    "request text": {"request": "signed"},
    "request list": {"request": [SIGNED]},
    "request over the event limit": {"request": bytes(MAX_SIGNED_BYTES + 1)},
    "request with extra key": {"request": SIGNED, "more": False},
    "events without more": {"events": [SIGNED]},
    "more without events": {"more": False},
    "events not a list": {"events": SIGNED, "more": False},
    "events with text": {"events": [SIGNED, "x"], "more": False},
    "events over the event limit": {"events": [bytes(MAX_SIGNED_BYTES + 1)], "more": False},
    "too many events": {"events": [b"e"] * (MAX_EVENTS_PER_FRAME + 1), "more": True},
    "more as int": {"events": [], "more": 1},
    "more as null": {"events": [], "more": None},
    "events with extra key": {"events": [], "more": False, "x": 0},
    "refused as int": {"refused": 3},
    "refused as bytes": {"refused": b"expired"},
    "refused as list": {"refused": ["expired"]},
    "two frames in one": {"hello": CIRCLE, "challenge": bytes(32)},
}


@pytest.mark.parametrize("document", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_frames_raise_frame_error(document: Any) -> None:
    with pytest.raises(FrameError):
        decode_frame(wire.encode(document))


@pytest.mark.parametrize("reason", ["", "no", "EXPIRED", "expired ", "try_later", "x" * 500])
def test_unknown_refusal_reads_as_bad_proof(reason: str) -> None:
    """By design: a newer member's refusal still shows the joiner a refusal."""
    assert decode_frame(wire.encode({"refused": reason})) == Refused(Refusal.BAD_PROOF)


def test_non_canonical_truncated_and_garbage_raise_frame_error() -> None:
    canonical = encode_frame(Hello(CIRCLE))
    loose = b"\xb9\x00\x01" + canonical[1:]  # map length in a needless two-byte argument
    for data in (loose, canonical[:-1], canonical + b"\x00", b"", b"\xff", b"\xbf\xff"):
        with pytest.raises(FrameError):
            decode_frame(data)


def test_over_size_frame_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_decode(*args: object, **kwargs: object) -> object:
        raise AssertionError("decoded an over-size frame")

    monkeypatch.setattr(cbor2, "loads", must_not_decode)
    with pytest.raises(FrameError, match="over the limit"):
        decode_frame(bytes(MAX_FRAME_BYTES + 1))


def test_cyclic_cbor_from_a_stranger_is_a_frame_error() -> None:
    with pytest.raises(FrameError):
        # shareable {"hello": <reference to itself>}: a map that contains itself
        decode_frame(bytes.fromhex("d81ca165") + b"hello" + bytes.fromhex("d81d00"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_frame_on_arbitrary_bytes_only_raises_frame_error(data: bytes) -> None:
    try:
        frame = decode_frame(data)
    except FrameError:
        return
    assert isinstance(
        frame,
        Hello | Challenge | Request | Events | Refused | jm.PreviewAsk | jm.Preview | jm.Pending,
    )


frame_values = st.dictionaries(
    st.sampled_from(["hello", "challenge", "request", "events", "more", "refused", "x"]),
    st.none()
    | st.booleans()
    | st.integers(-2, 2)
    | st.binary(max_size=40)
    | st.text(max_size=12)
    | st.lists(st.binary(max_size=8) | st.text(max_size=3), max_size=3),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(frame_values)
def test_decode_frame_on_frame_like_maps_decodes_or_raises_frame_error(document: Any) -> None:
    try:
        frame = decode_frame(wire.encode(document))
    except FrameError:
        return
    # whatever decoded re-encodes to the same map (unknown refusals aside)
    if not isinstance(frame, Refused):
        assert encode_frame(frame) == wire.encode(document)
