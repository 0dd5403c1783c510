"""Facilitator mailbox frames and note bodies: round trips, limits that fit the largest
legal note, and strict decoding of whatever a hostile member sends."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core import wire
from peerapp.core.circle_events import (
    MAX_PARENTS,
    MAX_TEXT_CHARS,
    SIGNATURE_BYTES,
    Event,
    EventType,
)
from peerapp.core.mailbox_messages import (
    MAX_ANSWER_BYTES,
    MAX_BODY_BYTES,
    MAX_EVIDENCE_BYTES,
    MAX_FRAME_BYTES,
    MAX_REASON_CHARS,
    MAX_SEALED_BYTES,
    SEAL_OVERHEAD,
    SIGNING_LABEL,
    Ack,
    MailboxFrameError,
    Note,
    NoteBody,
    NoteKind,
    Refusal,
    Refused,
    decode_answer,
    decode_body,
    decode_note_frame,
    encode_answer,
    encode_body,
    encode_note_frame,
)

CIRCLE = bytes(range(16))
NOTE_ID = bytes(range(100, 116))
NOTE = Note(
    circle=CIRCLE,
    id=NOTE_ID,
    kind=NoteKind.REPORT,
    recipient=b"\x01" * 32,
    sealed=b"\x02" * 200,
    sender=b"\x03" * 32,
    signature=b"\x04" * SIGNATURE_BYTES,
)
EVIDENCE = b"\x05" * 300  # the body does not look inside; crypto/notes.py checks it
BODY = NoteBody(NoteKind.REPORT, "Unkind words", 1_700_000_000_000, message=EVIDENCE)


def _note_document(**changes: Any) -> dict[str, Any]:
    document = wire.decode(encode_note_frame(NOTE), MAX_FRAME_BYTES)["note"]
    document.update(changes)
    return {key: value for key, value in document.items() if value is not None}


def _body_document(**changes: Any) -> dict[str, Any]:
    document = wire.decode(encode_body(BODY), MAX_FRAME_BYTES)
    document.update(changes)
    return {key: value for key, value in document.items() if value is not None}


# -- round trips and shapes -------------------------------------------------------------


def test_note_frame_round_trip_and_documented_keys() -> None:
    data = encode_note_frame(NOTE)
    assert decode_note_frame(data) == NOTE
    assert set(wire.decode(data, MAX_FRAME_BYTES)) == {"note"}
    assert set(_note_document()) == {
        "circle",
        "id",
        "kind",
        "recipient",
        "sealed",
        "sender",
        "signature",
    }


def test_signed_part_is_the_label_then_every_field_but_the_signature() -> None:
    part = NOTE.signed_part()
    assert part.startswith(SIGNING_LABEL)
    fields = wire.decode(part[len(SIGNING_LABEL) :], MAX_FRAME_BYTES)
    assert fields == {k: v for k, v in _note_document().items() if k != "signature"}
    assert replace(NOTE, signature=b"\x00" * 64).signed_part() == part
    changes: tuple[dict[str, Any], ...] = (
        {"recipient": b"\x09" * 32},
        {"circle": b"\x09" * 16},
        {"id": b"\x09" * 16},
        {"sender": b"\x09" * 32},
        {"sealed": b"\x09" * 200},
    )
    for change in changes:
        assert replace(NOTE, **change).signed_part() != part


def test_body_round_trip() -> None:
    encoded = encode_body(BODY)
    assert decode_body(encoded) == BODY
    assert set(wire.decode(encoded, MAX_FRAME_BYTES)) == {"kind", "reason", "ts", "message"}


@pytest.mark.parametrize(
    "answer",
    [Ack(NOTE_ID), *(Refused(r) for r in Refusal)],
    ids=["ack", *(r.value for r in Refusal)],
)
def test_answer_round_trip(answer: Ack | Refused) -> None:
    data = encode_answer(answer)
    assert len(data) <= MAX_ANSWER_BYTES
    assert decode_answer(data) == answer


@pytest.mark.parametrize("reason", ["", "later", "NOT_FOR_ME", "x" * 100])
def test_an_unknown_refusal_reads_as_other(reason: str) -> None:
    """A newer facilitator's reason still reads as a refusal."""
    assert decode_answer(wire.encode({"refused": reason})) == Refused(Refusal.OTHER)


def test_the_largest_legal_note_fits_every_limit() -> None:
    # the largest MESSAGE event a member can sign: 4,000 four-byte characters, 32 parents
    event = Event(
        type=EventType.MESSAGE,
        circle=CIRCLE,
        author=b"\x07" * 32,
        seq=2**53,
        lamport=2**53,
        prev=tuple(bytes([i]) * 32 for i in range(MAX_PARENTS)),
        ts=2**53,
        body={"text": "\U0001f600" * MAX_TEXT_CHARS},
    )
    largest_message = event.encode() + b"\x00" * SIGNATURE_BYTES
    assert len(largest_message) <= MAX_EVIDENCE_BYTES
    body = NoteBody(
        NoteKind.REPORT, "\U0001f600" * MAX_REASON_CHARS, 2**53, bytes(MAX_EVIDENCE_BYTES)
    )
    sealed_size = len(encode_body(body)) + SEAL_OVERHEAD
    assert sealed_size <= MAX_SEALED_BYTES
    frame = encode_note_frame(replace(NOTE, sealed=bytes(sealed_size)))
    assert len(frame) <= MAX_FRAME_BYTES
    assert decode_note_frame(frame).sealed == bytes(sealed_size)


# -- strict decoding --------------------------------------------------------------------

MALFORMED_NOTES: dict[str, Any] = {
    "not a map": [1, 2],
    "no note key": {"notes": _note_document()},
    "an extra top-level key": {"note": _note_document(), "x": 1},
    "a note that is not a map": {"note": b"\x00" * 40},
    "a missing field": {"note": {k: v for k, v in _note_document().items() if k != "sender"}},
    "an extra field": {"note": {**_note_document(), "extra": 1}},
    "a short circle": {"note": _note_document(circle=b"\x00" * 15)},
    "a long id": {"note": _note_document(id=b"\x00" * 17)},
    "an unknown kind": {"note": _note_document(kind="gossip")},
    "a kind of the wrong type": {"note": _note_document(kind=1)},
    "a recipient as text": {"note": _note_document(recipient="a" * 32)},
    "a sealed body too small to be sealed": {"note": _note_document(sealed=b"\x00" * 48)},
    "a sealed body over the limit": {
        "note": _note_document(sealed=b"\x00" * (MAX_SEALED_BYTES + 1))
    },
    "a short signature": {"note": _note_document(signature=b"\x00" * 63)},
}


@pytest.mark.parametrize("document", list(MALFORMED_NOTES.values()), ids=list(MALFORMED_NOTES))
def test_malformed_note_frames_are_refused(document: Any) -> None:
    with pytest.raises(MailboxFrameError):
        decode_note_frame(wire.encode(document))


MALFORMED_BODIES: dict[str, Any] = {
    "not a map": ["report"],
    "an unknown kind": _body_document(kind="gossip"),
    "no kind": {k: v for k, v in _body_document().items() if k != "kind"},
    "an empty reason": _body_document(reason=""),
    "a blank reason": _body_document(reason="   \n"),
    "a reason over 500 characters": _body_document(reason="x" * (MAX_REASON_CHARS + 1)),
    "a reason as bytes": _body_document(reason=b"unkind"),
    "a negative ts": _body_document(ts=-1),
    "a ts that is a flag": _body_document(ts=True),
    "a ts beyond 2**53": _body_document(ts=2**53 + 1),
    "a report without its message": {k: v for k, v in _body_document().items() if k != "message"},
    "a message as text": _body_document(message="hello"),
    "a message too short to be signed": _body_document(message=b"\x00" * SIGNATURE_BYTES),
    "a message over the limit": _body_document(message=b"\x00" * (MAX_EVIDENCE_BYTES + 1)),
    "an extra field": {**_body_document(), "member": b"\x00" * 32},
}


@pytest.mark.parametrize("document", list(MALFORMED_BODIES.values()), ids=list(MALFORMED_BODIES))
def test_malformed_bodies_are_refused(document: Any) -> None:
    with pytest.raises(MailboxFrameError):
        decode_body(wire.encode(document))


def test_a_sender_cannot_encode_a_body_a_facilitator_would_refuse() -> None:
    with pytest.raises(MailboxFrameError):
        encode_body(replace(BODY, reason=""))
    with pytest.raises(MailboxFrameError):
        encode_body(replace(BODY, reason="x" * (MAX_REASON_CHARS + 1)))


@pytest.mark.parametrize(
    "document",
    [{"ack": b"\x00" * 15}, {"ack": "id"}, {"ack": NOTE_ID, "x": 1}, {"refused": 3}, {}, [1]],
)
def test_malformed_answers_are_refused(document: Any) -> None:
    with pytest.raises(MailboxFrameError):
        decode_answer(wire.encode(document))


def test_non_canonical_truncated_and_garbage_are_refused() -> None:
    canonical = encode_note_frame(NOTE)
    loose = b"\xb9\x00\x01" + canonical[1:]  # map length in a needless two-byte argument
    for data in (loose, canonical[:-1], canonical + b"\x00", b"", b"\xff", b"\xbf\xff"):
        with pytest.raises(MailboxFrameError):
            decode_note_frame(data)


def test_over_size_input_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_decode(*args: object, **kwargs: object) -> object:
        raise AssertionError("decoded an over-size frame")

    monkeypatch.setattr(cbor2, "loads", must_not_decode)
    for decode, limit in (
        (decode_note_frame, MAX_FRAME_BYTES),
        (decode_body, MAX_BODY_BYTES),
        (decode_answer, MAX_ANSWER_BYTES),
    ):
        with pytest.raises(MailboxFrameError, match="over the limit"):
            decode(bytes(limit + 1))


# -- fuzzing ----------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decode_or_raise_the_frame_error(data: bytes) -> None:
    for decode in (decode_note_frame, decode_body, decode_answer):
        with contextlib.suppress(MailboxFrameError):
            decode(data)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_valid_frame_with_bytes_changed_decodes_or_raises_the_frame_error(
    data: st.DataObject,
) -> None:
    frame = bytearray(encode_note_frame(NOTE))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(frame) - 1))
        frame[position] = data.draw(st.integers(0, 255))
    try:
        note = decode_note_frame(bytes(frame))
    except MailboxFrameError:
        return
    assert encode_note_frame(note) == bytes(frame)  # canonical: one note, one encoding


field_values = (
    st.none()
    | st.booleans()
    | st.integers(-2, 2**54)
    | st.binary(max_size=70)
    | st.text(max_size=12)
    | st.sampled_from(["report", "care"])
    | st.lists(st.binary(max_size=8), max_size=2)
)
note_like = st.dictionaries(
    st.sampled_from(
        ["circle", "id", "kind", "recipient", "sealed", "sender", "signature", "extra"]
    ),
    field_values,
    max_size=8,
)
body_like = st.dictionaries(
    st.sampled_from(["kind", "reason", "ts", "message", "member", "extra"]),
    field_values,
    max_size=6,
)


@settings(max_examples=400, deadline=None)
@given(note_like)
def test_note_like_maps_decode_to_the_same_note_or_raise(document: dict[str, Any]) -> None:
    encoded = wire.encode({"note": document})
    try:
        note = decode_note_frame(encoded)
    except MailboxFrameError:
        return
    assert encode_note_frame(note) == encoded


@settings(max_examples=400, deadline=None)
@given(body_like)
def test_body_like_maps_decode_to_the_same_body_or_raise(document: dict[str, Any]) -> None:
    encoded = wire.encode(document)
    try:
        body = decode_body(encoded)
    except MailboxFrameError:
        return
    assert encode_body(body) == encoded
