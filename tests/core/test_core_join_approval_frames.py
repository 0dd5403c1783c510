"""Join approval and preview frames: round trips, strict decoding of what a stranger
sends, and hypothesis fuzzing of the new decoders (they only ever raise FrameError)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core import wire
from peerapp.core.circle_events import MAX_GUIDELINES_CHARS, MAX_NAME_CHARS
from peerapp.core.join_messages import (
    MAX_FRAME_BYTES,
    MAX_PREVIEW_MEMBERS,
    Frame,
    FrameError,
    Pending,
    Preview,
    PreviewAsk,
    Refusal,
    Refused,
    decode_frame,
    encode_frame,
)

KEY = bytes(range(32))
PROOF = bytes(range(64))

FRAMES: dict[str, Frame] = {
    "preview ask": PreviewAsk(KEY, KEY[::-1], PROOF),
    "preview": Preview("Tuesday", "Be kind.", False, 3),
    "preview with approval, no guidelines": Preview("T", "", True, 0),
    "preview at its limits": Preview(
        "n" * MAX_NAME_CHARS, "g" * MAX_GUIDELINES_CHARS, True, MAX_PREVIEW_MEMBERS
    ),
    "preview with wide characters": Preview("Kreis 🌱", "Sé amable. 親切に。", True, 12),
    "pending": Pending("Tuesday"),
    "pending, empty name": Pending(""),
    "refused: rejected": Refused(Refusal.REJECTED),
    "refused: approval required": Refused(Refusal.APPROVAL_REQUIRED),
    "refused: revoked": Refused(Refusal.REVOKED),
}


@pytest.mark.parametrize("frame", list(FRAMES.values()), ids=list(FRAMES))
def test_round_trip(frame: Frame) -> None:
    data = encode_frame(frame)
    assert len(data) <= MAX_FRAME_BYTES
    assert decode_frame(data) == frame


def test_the_documented_shapes() -> None:
    assert wire.decode(encode_frame(PreviewAsk(KEY, KEY, PROOF)), MAX_FRAME_BYTES) == {
        "preview": KEY,
        "joiner": KEY,
        "proof": PROOF,
    }
    assert wire.decode(encode_frame(Preview("T", "G", True, 2)), MAX_FRAME_BYTES) == {
        "name": "T",
        "guidelines": "G",
        "join_approval": True,
        "members": 2,
    }
    assert wire.decode(encode_frame(Pending("T")), MAX_FRAME_BYTES) == {"pending": "T"}
    assert {r.value for r in Refusal} >= {"rejected", "approval_required", "revoked"}


PREVIEW = {"name": "T", "guidelines": "G", "join_approval": True, "members": 2}
MALFORMED: dict[str, Any] = {
    "ask: invite 31 bytes": {"preview": bytes(31), "joiner": KEY, "proof": PROOF},
    "ask: joiner 33 bytes": {"preview": KEY, "joiner": bytes(33), "proof": PROOF},
    "ask: proof 63 bytes": {"preview": KEY, "joiner": KEY, "proof": bytes(63)},
    "ask: proof as text": {"preview": KEY, "joiner": KEY, "proof": "p" * 64},
    "ask: no proof": {"preview": KEY, "joiner": KEY},
    "ask: extra key": {"preview": KEY, "joiner": KEY, "proof": PROOF, "x": 1},
    "preview: name too long": {**PREVIEW, "name": "n" * (MAX_NAME_CHARS + 1)},
    "preview: guidelines too long": {**PREVIEW, "guidelines": "g" * (MAX_GUIDELINES_CHARS + 1)},
    "preview: name as bytes": {**PREVIEW, "name": b"T"},
    "preview: approval as int": {**PREVIEW, "join_approval": 1},
    "preview: members as bool": {**PREVIEW, "members": True},
    "preview: members negative": {**PREVIEW, "members": -1},
    "preview: members too many": {**PREVIEW, "members": MAX_PREVIEW_MEMBERS + 1},
    "preview: members as text": {**PREVIEW, "members": "2"},
    "preview: missing members": {k: v for k, v in PREVIEW.items() if k != "members"},
    "preview: extra key": {**PREVIEW, "more": False},
    "pending: true": {"pending": True},
    "pending: bytes": {"pending": b"T"},
    "pending: too long": {"pending": "n" * (MAX_NAME_CHARS + 1)},
    "pending: null": {"pending": None},
    "pending with hello": {"pending": "T", "hello": bytes(16)},
}


@pytest.mark.parametrize("document", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_frames_raise_frame_error(document: Any) -> None:
    with pytest.raises(FrameError):
        decode_frame(wire.encode(document))


approval_values = st.dictionaries(
    st.sampled_from(
        ["preview", "joiner", "proof", "name", "guidelines", "join_approval", "members", "pending"]
    ),
    st.none()
    | st.booleans()
    | st.integers(-2, MAX_PREVIEW_MEMBERS + 2)
    | st.binary(min_size=30, max_size=66)
    | st.text(max_size=70)
    | st.lists(st.binary(max_size=8), max_size=2),
    min_size=1,
    max_size=5,
)


@settings(max_examples=500, deadline=None)
@given(approval_values)
def test_frame_like_maps_decode_exactly_or_raise_frame_error(document: Any) -> None:
    try:
        frame = decode_frame(wire.encode(document))
    except FrameError:
        return
    assert isinstance(frame, PreviewAsk | Preview | Pending)
    assert encode_frame(frame) == wire.encode(document)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([PreviewAsk(KEY, KEY, PROOF), Preview("T", "G", True, 2), Pending("T")]),
    st.integers(0, 200),
    st.binary(max_size=4),
)
def test_damaged_new_frames_only_raise_frame_error(frame: Frame, cut: int, tail: bytes) -> None:
    data = encode_frame(frame)
    damaged = data[: cut % (len(data) + 1)] + tail
    try:
        decoded = decode_frame(damaged)
    except FrameError:
        return
    assert encode_frame(decoded) == damaged
