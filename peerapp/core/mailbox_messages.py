"""The facilitator mailbox, `/hearth/mailbox/1.0.0`: notes a member hands directly to each
facilitator, outside the circle log (a report in the log would show every member who
reported). Shapes, limits and strict decoding; no I/O, no crypto (see crypto/notes.py).

    sender:   {"note": {circle, id, kind, recipient, sealed, sender, signature}}
    receiver: {"ack": id}  or  {"refused": REASON}
    ... repeated, one note at a time, up to MAX_NOTES_PER_STREAM per stream.

- `id`: 16 random bytes naming the report; every facilitator's note of one report shares
  it, so two facilitators speak of the same report by the same id.
- `sealed`: a SealedBox to the recipient's exchange key (its `exchange` in the circle
  log) holding the canonical CBOR body {kind, reason, ts, ...the kind's other fields}.
- `signature`: Ed25519 by the sender's member key over SIGNING_LABEL || the canonical
  CBOR of every other field (`Note.signed_part`), so a note cannot be re-addressed,
  moved to another circle or claimed by another member.

Body fields by kind beyond kind and ts, each with its check (KIND_FIELDS):
- report: `reason`, required (1..500 characters, not blank), and `message`, the reported
  MESSAGE as its signed event (header, text, signature). The facilitator checks the
  author's signature, so the text it is shown is the text the author really sent, even
  when it never held that message (joined later, or the message is older than its
  admission).
- care ("I'm worried about someone"): `reason`, the sender's optional note (0..500
  characters, may be empty); `member`, the member key of the person the sender is worried
  about (the sender's own key: "I need support"); and `message`, one of that member's
  MESSAGEs as its signed event, or empty bytes when the flag names no message
  (NoteBody.message is then None).
- private (issue 14): `text`, one message of a private conversation between a facilitator
  and a member (1..4000 characters, not blank; core/private_talk.py says who may write
  to whom). Signed under its own label (PRIVATE_SIGNING_LABEL), so its signature can
  never stand for a report's or a care flag's, nor theirs for it.
- flag_note (issue 14): `flag`, the id of a care flag, and `reason`, what the
  facilitator who resolved it tells the other facilitators (1..500 characters).

Everything from the network is decoded strictly (core/wire.py): size before decoding,
exact field sets, typed and bounded fields. Unknown kinds are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from peerapp.core import wire
from peerapp.core.circle_events import (
    CIRCLE_ID_BYTES,
    KEY_BYTES,
    SIGNATURE_BYTES,
)

PROTOCOL = "/hearth/mailbox/1.0.0"
SIGNING_LABEL = b"peerapp:mailbox-note:v1"
PRIVATE_SIGNING_LABEL = b"peerapp:private-message:v1"
MAX_PRIVATE_TEXT_CHARS = 4000  # core/private_talk_policy.py MAX_TEXT_CHARS
NOTE_ID_BYTES = 16
MAX_REASON_CHARS = 500
MAX_TS = 2**53
# a MESSAGE event is at most ~18 KB (4,000 characters of up to 4 bytes, 32 parents)
MAX_EVIDENCE_BYTES = 32 * 1024
MAX_BODY_BYTES = 36 * 1024
SEAL_OVERHEAD = 48  # SealedBox: ephemeral public key (32) + MAC (16)
MAX_SEALED_BYTES = MAX_BODY_BYTES + SEAL_OVERHEAD
MAX_FRAME_BYTES = 40 * 1024
MAX_ANSWER_BYTES = 256
MAX_NOTES_PER_STREAM = 64


class MailboxFrameError(ValueError):
    """Bytes that are not a well-formed mailbox frame or note body."""


class NoteKind(Enum):
    REPORT = "report"  # a member reports a message to the facilitators
    CARE = "care"  # a member is worried about a member (maybe themselves)
    PRIVATE = "private"  # a private conversation's message (core/private_talk.py)
    FLAG_NOTE = "flag_note"  # a resolved care flag's note to the other facilitators


class Refusal(Enum):
    MALFORMED = "malformed"  # not a note frame
    NOT_FOR_ME = "not_for_me"  # another recipient, a circle we are not in, or not a facilitator
    UNKNOWN_SENDER = "unknown_sender"  # not a member, or not the member of the connecting peer
    BAD_SIGNATURE = "bad_signature"
    UNREADABLE = "unreadable"  # the sealed body does not open, or is not a valid body
    DUPLICATE_ID = "duplicate_id"  # the id is taken by another sender's note
    BUSY = "busy"  # too many notes from this sender lately; try later
    OTHER = "other"  # a reason this version does not know


@dataclass(frozen=True)
class Note:
    circle: bytes
    id: bytes
    kind: NoteKind
    recipient: bytes
    sealed: bytes
    sender: bytes
    signature: bytes

    def _fields(self) -> dict[str, Any]:
        return {
            "circle": self.circle,
            "id": self.id,
            "kind": self.kind.value,
            "recipient": self.recipient,
            "sealed": self.sealed,
            "sender": self.sender,
        }

    def signed_part(self) -> bytes:
        """What the sender signs: the kind's label, then every field but the signature."""
        return SIGNING_LABELS[self.kind] + wire.encode(self._fields())


@dataclass(frozen=True)
class NoteBody:
    """The sealed part. `message` is set for reports and may be for care flags, `member`
    is set for care flags (KIND_FIELDS says which kind has what). For a care flag,
    `reason` is the sender's note and may be empty."""

    kind: NoteKind
    reason: str
    ts: int  # ms since 1970, by the sender's clock
    message: bytes | None = None
    member: bytes | None = None
    text: str | None = None  # a private message's text
    flag: bytes | None = None  # the care flag a flag note is about
    # a report of an edited message: the EDIT, as its author signed it, whose text the
    # reporter saw (issue 15); None when the message was never edited
    edit: bytes | None = None


# a private message has a label of its own: its signature says what it is
SIGNING_LABELS: dict[NoteKind, bytes] = {
    NoteKind.REPORT: SIGNING_LABEL,
    NoteKind.CARE: SIGNING_LABEL,
    NoteKind.PRIVATE: PRIVATE_SIGNING_LABEL,
    NoteKind.FLAG_NOTE: SIGNING_LABEL,
}


@dataclass(frozen=True)
class Ack:
    id: bytes


@dataclass(frozen=True)
class Refused:
    reason: Refusal


Answer = Ack | Refused


def _bytes_of(length: int) -> Any:
    def check(value: Any) -> bool:
        return isinstance(value, bytes) and len(value) == length

    return check


def _bytes_between(low: int, high: int) -> Any:
    def check(value: Any) -> bool:
        return isinstance(value, bytes) and low <= len(value) <= high

    return check


def _kind(value: Any) -> bool:
    return isinstance(value, str) and value in {k.value for k in NoteKind}


def reason_ok(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_REASON_CHARS and bool(value.strip())


def private_text_ok(value: Any) -> bool:
    return (
        isinstance(value, str) and 0 < len(value) <= MAX_PRIVATE_TEXT_CHARS and bool(value.strip())
    )


def note_ok(value: Any) -> bool:
    """A care flag's note: optional, so it may be empty."""
    return isinstance(value, str) and len(value) <= MAX_REASON_CHARS


_evidence = _bytes_between(SIGNATURE_BYTES + 1, MAX_EVIDENCE_BYTES)


def _evidence_or_empty(value: Any) -> bool:
    return value == b"" or bool(_evidence(value))


# fields that travel as empty bytes when the body holds None
EMPTY_WHEN_NONE = frozenset({"message"})

# each kind's body fields beyond kind and ts, with their checks. decode_body checks kind,
# ts, then these in this order, so the order decides which fault a body with several is
# refused for: `reason` first (a report must say why; a care flag's note is optional)
KIND_FIELDS: dict[NoteKind, dict[str, Any]] = {
    NoteKind.REPORT: {"reason": reason_ok, "message": _evidence},
    NoteKind.CARE: {
        "reason": note_ok,
        "member": _bytes_of(KEY_BYTES),
        "message": _evidence_or_empty,
    },
    NoteKind.PRIVATE: {"text": private_text_ok},
    NoteKind.FLAG_NOTE: {"reason": reason_ok, "flag": _bytes_of(NOTE_ID_BYTES)},
}
# fields a body may leave out (absent when None): a report's `edit`, so a report of a
# message never edited is encoded exactly as before the field existed
OPTIONAL_KIND_FIELDS: dict[NoteKind, dict[str, Any]] = {NoteKind.REPORT: {"edit": _evidence}}

_NOTE_CHECKS: dict[str, Any] = {
    "circle": _bytes_of(CIRCLE_ID_BYTES),
    "id": _bytes_of(NOTE_ID_BYTES),
    "kind": _kind,
    "recipient": _bytes_of(KEY_BYTES),
    "sealed": _bytes_between(SEAL_OVERHEAD + 1, MAX_SEALED_BYTES),
    "sender": _bytes_of(KEY_BYTES),
    "signature": _bytes_of(SIGNATURE_BYTES),
}

_BODY_CHECKS: dict[str, Any] = {
    "kind": _kind,
    "ts": lambda v: type(v) is int and 0 <= v <= MAX_TS,
}


def _decode_map(data: bytes, max_size: int) -> dict[Any, Any]:
    try:
        document = wire.decode(data, max_size)
    except wire.WireError as error:
        raise MailboxFrameError(str(error)) from None
    if not isinstance(document, dict):
        raise MailboxFrameError("a frame is a map")
    return document


# -- notes ------------------------------------------------------------------------------


def encode_note_frame(note: Note) -> bytes:
    return wire.encode({"note": {**note._fields(), "signature": note.signature}})


def decode_note_frame(data: bytes) -> Note:
    document = _decode_map(data, MAX_FRAME_BYTES)
    note = document.get("note")
    if set(document) != {"note"} or not isinstance(note, dict) or set(note) != set(_NOTE_CHECKS):
        raise MailboxFrameError("not a note frame")
    for name, check in _NOTE_CHECKS.items():
        if not check(note[name]):
            raise MailboxFrameError(f"note field {name!r} is malformed")
    return Note(
        circle=note["circle"],
        id=note["id"],
        kind=NoteKind(note["kind"]),
        recipient=note["recipient"],
        sealed=note["sealed"],
        sender=note["sender"],
        signature=note["signature"],
    )


# -- bodies -----------------------------------------------------------------------------


def encode_body(body: NoteBody) -> bytes:
    document: dict[str, Any] = {"kind": body.kind.value, "ts": body.ts}
    for name in KIND_FIELDS[body.kind]:
        value = getattr(body, name)
        document[name] = b"" if value is None and name in EMPTY_WHEN_NONE else value
    for name in OPTIONAL_KIND_FIELDS.get(body.kind, {}):
        if getattr(body, name) is not None:
            document[name] = getattr(body, name)
    # the same checks a receiver applies: never seal what a facilitator would refuse
    encoded = wire.encode(document)
    decode_body(encoded)
    return encoded


def decode_body(data: bytes) -> NoteBody:
    document = _decode_map(data, MAX_BODY_BYTES)
    if not _kind(document.get("kind")):
        raise MailboxFrameError("unknown note kind")
    kind = NoteKind(document["kind"])
    own = KIND_FIELDS[kind]
    optional = OPTIONAL_KIND_FIELDS.get(kind, {})
    if not {*_BODY_CHECKS, *own} <= set(document) <= {*_BODY_CHECKS, *own, *optional}:
        raise MailboxFrameError(f"a {kind.value} body has the wrong fields")
    for name, check in {**_BODY_CHECKS, **own, **optional}.items():
        if name in document and not check(document[name]):
            raise MailboxFrameError(f"body field {name!r} is malformed")
    fields: dict[str, Any] = {
        name: None if name in EMPTY_WHEN_NONE and document[name] == b"" else document[name]
        for name in own
    }
    fields.update({name: document[name] for name in optional if name in document})
    fields.setdefault("reason", "")  # a private message has none
    return NoteBody(kind=kind, ts=document["ts"], **fields)


# -- answers ----------------------------------------------------------------------------


def encode_answer(answer: Answer) -> bytes:
    match answer:
        case Ack(note_id):
            return wire.encode({"ack": note_id})
        case Refused(reason):
            return wire.encode({"refused": reason.value})


def decode_answer(data: bytes) -> Answer:
    document = _decode_map(data, MAX_ANSWER_BYTES)
    if set(document) == {"ack"} and _bytes_of(NOTE_ID_BYTES)(document["ack"]):
        return Ack(document["ack"])
    if set(document) == {"refused"} and isinstance(document["refused"], str):
        try:
            return Refused(Refusal(document["refused"]))
        except ValueError:
            return Refused(Refusal.OTHER)
    raise MailboxFrameError("not a mailbox answer")
