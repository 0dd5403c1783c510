"""Care flags ("I'm worried about someone") in the facilitator mailbox: the care body's
shape, its strict decoding, and that reports keep theirs (a report still needs a reason;
a care flag's note may be empty)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from peerapp.core import wire
from peerapp.core.circle_events import SIGNATURE_BYTES
from peerapp.core.mailbox_messages import (
    MAX_EVIDENCE_BYTES,
    MAX_FRAME_BYTES,
    MAX_REASON_CHARS,
    MAX_SEALED_BYTES,
    SEAL_OVERHEAD,
    MailboxFrameError,
    NoteBody,
    NoteKind,
    decode_body,
    encode_body,
)

MEMBER = b"\x09" * 32
EVIDENCE = b"\x05" * 300  # crypto/notes.py checks the event inside
CARE = NoteBody(
    NoteKind.CARE,
    "They said they have not slept for days.",
    1_700_000_000_000,
    message=None,
    member=MEMBER,
)
CARE_WITH_MESSAGE = replace(CARE, message=EVIDENCE)
REPORT = NoteBody(NoteKind.REPORT, "Unkind words", 1_700_000_000_000, message=EVIDENCE)


def _document(body: NoteBody, **changes: Any) -> dict[str, Any]:
    document = wire.decode(encode_body(body), MAX_FRAME_BYTES)
    document.update(changes)
    return {key: value for key, value in document.items() if value is not None}


@pytest.mark.parametrize(
    "body",
    [CARE, CARE_WITH_MESSAGE, replace(CARE, reason=""), replace(CARE, member=b"\x01" * 32)],
    ids=["about a member", "with a message", "without a note", "about oneself"],
)
def test_care_bodies_round_trip(body: NoteBody) -> None:
    encoded = encode_body(body)
    assert decode_body(encoded) == body
    assert set(wire.decode(encoded, MAX_FRAME_BYTES)) == {
        "kind",
        "reason",
        "ts",
        "member",
        "message",
    }


def test_no_message_travels_as_empty_bytes() -> None:
    assert wire.decode(encode_body(CARE), MAX_FRAME_BYTES)["message"] == b""
    assert decode_body(encode_body(CARE)).message is None


def test_the_largest_care_flag_fits_the_sealed_limit() -> None:
    body = replace(
        CARE, reason="\U0001f600" * MAX_REASON_CHARS, ts=2**53, message=bytes(MAX_EVIDENCE_BYTES)
    )
    assert len(encode_body(body)) + SEAL_OVERHEAD <= MAX_SEALED_BYTES


MALFORMED_CARE: dict[str, Any] = {
    "no member": {k: v for k, v in _document(CARE).items() if k != "member"},
    "a short member key": _document(CARE, member=b"\x00" * 31),
    "a member as text": _document(CARE, member="Bee"),
    "no message field": {k: v for k, v in _document(CARE).items() if k != "message"},
    "a message as text": _document(CARE, message="hello"),
    "a message too short to be signed": _document(CARE, message=b"\x00" * SIGNATURE_BYTES),
    "a message over the limit": _document(CARE, message=b"\x00" * (MAX_EVIDENCE_BYTES + 1)),
    "a note over 500 characters": _document(CARE, reason="x" * (MAX_REASON_CHARS + 1)),
    "a note as bytes": _document(CARE, reason=b"worried"),
    "no note field": {k: v for k, v in _document(CARE).items() if k != "reason"},
    "an extra field": {**_document(CARE), "extra": 1},
    "a report's fields under the care kind": _document(REPORT, kind="care"),
}


@pytest.mark.parametrize("document", list(MALFORMED_CARE.values()), ids=list(MALFORMED_CARE))
def test_malformed_care_bodies_are_refused(document: Any) -> None:
    with pytest.raises(MailboxFrameError):
        decode_body(wire.encode(document))


def test_reports_are_unchanged_a_reason_is_still_required() -> None:
    encoded = encode_body(REPORT)
    assert decode_body(encoded) == REPORT
    assert set(wire.decode(encoded, MAX_FRAME_BYTES)) == {"kind", "reason", "ts", "message"}
    for reason in ("", "   "):
        with pytest.raises(MailboxFrameError):
            decode_body(wire.encode(_document(REPORT, reason=reason)))
        with pytest.raises(MailboxFrameError):
            encode_body(replace(REPORT, reason=reason))
    # a report carries no member, and its message cannot be left out
    with pytest.raises(MailboxFrameError):
        decode_body(wire.encode({**_document(REPORT), "member": MEMBER}))
    with pytest.raises(MailboxFrameError):
        decode_body(wire.encode(_document(REPORT, message=b"")))
    with pytest.raises(MailboxFrameError):
        encode_body(replace(REPORT, message=None))


def test_a_sender_cannot_encode_a_care_flag_a_facilitator_would_refuse() -> None:
    for bad in (
        replace(CARE, member=None),
        replace(CARE, member=b"\x00" * 16),
        replace(CARE, reason="x" * (MAX_REASON_CHARS + 1)),
    ):
        with pytest.raises(MailboxFrameError):
            encode_body(bad)
