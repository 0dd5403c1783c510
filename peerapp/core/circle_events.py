"""Circle log events: their shape, canonical encoding and strict decoding.

    Event    = canonical CBOR {v, type, circle, author, seq, lamport, prev, ts, body}
    Signed   = encoded Event || 64-byte Ed25519 signature by `author`
    event id = BLAKE2b-256(Signed)

Rules:
- Every field has one type and fixed bounds; unknown fields or types are refused.
- Sizes are checked before decoding (MAX_SIGNED_BYTES), lists are bounded (MAX_PARENTS,
  MAX_KEY_RECIPIENTS, MAX_ADDRS).
- `lamport` is greater than every parent's lamport (checked by the log once parents are
  known), so ordering by (lamport, event id) is a topological order that every replica
  computes identically.
- Bodies are checked per type by the table BODY_SCHEMAS; a body with a missing, extra or
  mistyped field is refused. OPTIONAL_BODY_FIELDS lists the few fields a body may leave
  out (a message's content warning, check-in mood, reply_to and attachment, a
  moderation action's reason, an edit's content warning, a circle's attachment limit);
  BODY_RULES holds the checks that span fields (a message has text unless it is a
  check-in or carries a file).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from peerapp.core import attachment_policy as ap
from peerapp.core import wire
from peerapp.core.content_policy import is_valid_reaction
from peerapp.core.content_warnings import is_valid_label
from peerapp.core.moderation_policy import is_plain_reason

VERSION = 1
CIRCLE_ID_BYTES = 16
KEY_BYTES = 32
EVENT_ID_BYTES = 32
SIGNATURE_BYTES = 64
EPOCH_ID_BYTES = 16

MAX_SIGNED_BYTES = 256 * 1024
MAX_PARENTS = 32
MAX_KEY_RECIPIENTS = 256
MAX_ADDRS = 8
MAX_TEXT_CHARS = 4000
MAX_NAME_CHARS = 64
MAX_GUIDELINES_CHARS = 8000
MAX_ADDR_CHARS = 256
MAX_SLOW_MODE_SECONDS = 86_400
MAX_HARM_FLAGS_TO_HIDE = 20
MAX_FLAG_AFTER_HOURS = 7 * 24  # how long a plain member may be kept from flagging
MOODS = range(1, 6)  # a check-in's mood: 1 (struggling) .. 5 (doing well)


class EventType(Enum):
    GENESIS = "genesis"
    MESSAGE = "message"
    INVITE_CREATE = "invite_create"
    JOIN_REQUEST = "join_request"
    ADD_MEMBER = "add_member"
    KEY_ROTATE = "key_rotate"
    LEAVE = "leave"
    # facilitators and moderation (issue 5)
    PROMOTE = "promote"
    DEMOTE = "demote"
    TRANSFER_FOUNDER = "transfer_founder"
    REMOVE = "remove"
    BAN = "ban"
    MUTE = "mute"
    SETTINGS = "settings"
    INVITE_REVOKE = "invite_revoke"
    DELETE = "delete"
    # a safe support space (issue 6)
    HARM_FLAG = "harm_flag"
    RESTORE = "restore"
    STATUS = "status"
    # keys that age out (issue 11)
    EXCHANGE_KEY = "exchange_key"
    # replies, reactions and edits (issue 15)
    EDIT = "edit"
    REACTION = "reaction"


# Content: what members say. Sealed with the epoch's message key like a MESSAGE, offered
# by sync only from a member's message horizon, resolved from the header alone (so an
# erased one still resolves), erased with the message it names.
CONTENT_TYPES = frozenset({EventType.MESSAGE, EventType.EDIT, EventType.REACTION})
CONTROL_TYPES = frozenset(EventType) - CONTENT_TYPES


class EventError(ValueError):
    """An event that is malformed, badly signed or not allowed."""


@dataclass(frozen=True)
class Event:
    type: EventType
    circle: bytes
    author: bytes
    seq: int
    lamport: int
    prev: tuple[bytes, ...]
    ts: int  # milliseconds since the epoch, as the author's clock said
    body: dict[str, Any] = field(hash=False)

    def to_wire(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "type": self.type.value,
            "circle": self.circle,
            "author": self.author,
            "seq": self.seq,
            "lamport": self.lamport,
            "prev": sorted(self.prev),
            "ts": self.ts,
            "body": self.body,
        }

    def encode(self) -> bytes:
        return wire.encode(self.to_wire())


def event_id(signed: bytes) -> bytes:
    return hashlib.blake2b(signed, digest_size=EVENT_ID_BYTES).digest()


GENESIS_BINDING_LABEL = b"peerapp:circle-id:v1"


def genesis_circle_id(genesis: Event) -> bytes:
    """The circle id a GENESIS commits to: a hash of the whole event with its `circle`
    field zeroed. A circle's id is this hash of its one genesis, so a second GENESIS
    (another founder, another name) would need a preimage of the id: every replica and
    every invite (which carries the id) names exactly one genesis."""
    unbound = replace(genesis, circle=bytes(CIRCLE_ID_BYTES)).encode()
    return hashlib.blake2b(GENESIS_BINDING_LABEL + unbound, digest_size=CIRCLE_ID_BYTES).digest()


def bound_genesis(genesis: Event) -> Event:
    """`genesis` with its `circle` set to the id it commits to."""
    return replace(genesis, circle=genesis_circle_id(genesis))


# -- schema checking ---------------------------------------------------------------


def _bytes_of(length: int) -> Any:
    def check(value: Any) -> bool:
        return isinstance(value, bytes) and len(value) == length

    return check


def _text_up_to(limit: int, *, allow_empty: bool = True) -> Any:
    def check(value: Any) -> bool:
        return (
            isinstance(value, str) and len(value) <= limit and (allow_empty or bool(value.strip()))
        )

    return check


def _whole(low: int, high: int) -> Any:
    def check(value: Any) -> bool:
        return type(value) is int and low <= value <= high

    return check


def _flag(value: Any) -> bool:
    return type(value) is bool


def _addrs(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_ADDRS
        and all(isinstance(a, str) and 0 < len(a) <= MAX_ADDR_CHARS for a in value)
    )


def _sealed_keys(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and 0 < len(value) <= MAX_KEY_RECIPIENTS
        and all(isinstance(k, bytes) and len(k) == KEY_BYTES for k in value)
        and all(isinstance(v, bytes) and len(v) <= 128 for v in value.values())
    )


def _signed_bytes(value: Any) -> bool:
    return isinstance(value, bytes) and len(value) <= 16 * 1024


_MIME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-/")


def _file_name(value: Any) -> bool:
    """A file's name as its author gave it: plain text, no folders (a saver never
    writes where a peer says; it still cleans the name before use)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= ap.MAX_NAME_CHARS
        and value.strip() == value
        and value not in {".", ".."}
        and value.isprintable()
        and not any(c in value for c in "/\\")
    )


def _mime(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= ap.MAX_MIME_CHARS
        and value.count("/") == 1
        and set(value) <= _MIME_CHARACTERS
    )


# an attachment: what a member needs to fetch, check and open a file; every chunk's hash
# is signed, so a chunk from any member is checked before it is stored
_ATTACHMENT_FIELDS: dict[str, Any] = {
    "name": _file_name,
    "size": _whole(1, ap.MAX_LIMIT_BYTES),
    "mime": _mime,
    "key": _bytes_of(ap.FILE_KEY_BYTES),  # the file's own key, fresh per file
    "chunk": lambda v: type(v) is int and v == ap.CHUNK_BYTES,
    "hashes": lambda v: (
        isinstance(v, list)
        and 0 < len(v) <= ap.MAX_CHUNKS
        and all(isinstance(h, bytes) and len(h) == ap.HASH_BYTES for h in v)
    ),
}
_ATTACHMENT_OPTIONAL: dict[str, Any] = {
    # a small JPEG preview (decoded on receipt only behind Pillow's guards)
    "thumb": lambda v: isinstance(v, bytes) and 0 < len(v) <= ap.MAX_THUMBNAIL_BYTES,
}


def _attachment(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    if not set(_ATTACHMENT_FIELDS) <= set(value) <= {*_ATTACHMENT_FIELDS, *_ATTACHMENT_OPTIONAL}:
        return False
    checks = {**_ATTACHMENT_FIELDS, **_ATTACHMENT_OPTIONAL}
    if not all(check(value[name]) for name, check in checks.items() if name in value):
        return False
    return len(value["hashes"]) == ap.chunk_count(value["size"], value["chunk"])


_NAME = _text_up_to(MAX_NAME_CHARS, allow_empty=False)
_KEY = _bytes_of(KEY_BYTES)
_PEER = _text_up_to(128, allow_empty=False)
_TIME = _whole(0, 2**53)

# What each event type's body holds: field -> check.
BODY_SCHEMAS: dict[EventType, dict[str, Any]] = {
    EventType.GENESIS: {
        "name": _NAME,
        "guidelines": _text_up_to(MAX_GUIDELINES_CHARS),
        "member_name": _NAME,
        "exchange": _KEY,
        "peer": _PEER,
        "addrs": _addrs,
    },
    # text may be empty only in a check-in (see BODY_RULES)
    EventType.MESSAGE: {"text": _text_up_to(MAX_TEXT_CHARS)},
    EventType.INVITE_CREATE: {
        "invite": _KEY,
        "max_uses": _whole(1, 10_000),
        "expires": _TIME,
    },
    # Signed by the joiner; carried inside ADD_MEMBER so every replica can check the proof.
    EventType.JOIN_REQUEST: {
        "invite": _KEY,
        "challenge": _bytes_of(32),
        "proof": _bytes_of(SIGNATURE_BYTES),
        "member_name": _NAME,
        "exchange": _KEY,
        "peer": _PEER,
        "addrs": _addrs,
    },
    EventType.ADD_MEMBER: {"request": _signed_bytes},
    EventType.KEY_ROTATE: {"epoch": _bytes_of(EPOCH_ID_BYTES), "keys": _sealed_keys},
    EventType.LEAVE: {},
    EventType.PROMOTE: {"member": _KEY},
    EventType.DEMOTE: {"member": _KEY},
    EventType.TRANSFER_FOUNDER: {"member": _KEY},
    EventType.REMOVE: {"member": _KEY},
    EventType.BAN: {"member": _KEY},
    # until: ms; a time not after the event's ts lifts a mute
    EventType.MUTE: {"member": _KEY, "until": _TIME},
    # every field present: a SETTINGS event states the whole settings
    EventType.SETTINGS: {
        "slow_mode_seconds": _whole(0, MAX_SLOW_MODE_SECONDS),
        "join_approval": _flag,
        "guidelines": _text_up_to(MAX_GUIDELINES_CHARS),
        "harm_flags_to_hide": _whole(1, MAX_HARM_FLAGS_TO_HIDE),
        # may plain members make invites and admit? (off by default: see circle_state)
        "members_invite": _flag,
        # hours a plain member is in the circle before its harm flags are accepted
        "flag_after_hours": _whole(0, MAX_FLAG_AFTER_HOURS),
    },
    EventType.INVITE_REVOKE: {"invite": _KEY},
    # message: the deleted MESSAGE's event id; author: that message's author, so every
    # replica judges the delete from the control log alone (newcomers do not hold earlier
    # messages). A replica erases a stored message only if its author matches.
    EventType.DELETE: {"message": _bytes_of(EVENT_ID_BYTES), "author": _KEY},
    # A member flags a message as harmful; `author` as in DELETE. Enough flags hide it
    # pending review on every replica; RESTORE (a facilitator) ends the review.
    EventType.HARM_FLAG: {"message": _bytes_of(EVENT_ID_BYTES), "author": _KEY},
    EventType.RESTORE: {"message": _bytes_of(EVENT_ID_BYTES), "author": _KEY},
    # the "taking a break" status a member chose to show
    EventType.STATUS: {"on_break": _flag},
    # a member's fresh X25519 receiving key: later KEY_ROTATEs seal to it (see
    # OPTIONAL_BODY_FIELDS for `unreadable`)
    EventType.EXCHANGE_KEY: {"exchange": _KEY},
    # the author's new text for its own MESSAGE (the rules: core/content_rules.py); the
    # message's author is the edit's own, so it needs no `author` field
    EventType.EDIT: {
        "message": _bytes_of(EVENT_ID_BYTES),
        "text": _text_up_to(MAX_TEXT_CHARS, allow_empty=False),
    },
    # a member adds (on) or takes back (off) a reaction to a message; `author` as in DELETE
    EventType.REACTION: {
        "message": _bytes_of(EVENT_ID_BYTES),
        "author": _KEY,
        "reaction": is_valid_reaction,
        "on": _flag,
    },
}

# fields a body may leave out: field -> check when present
OPTIONAL_BODY_FIELDS: dict[EventType, dict[str, Any]] = {
    EventType.MESSAGE: {
        "cw": is_valid_label,
        "mood": _whole(MOODS.start, MOODS.stop - 1),
        # a picture or file (issue 15); absent in a message without one, so older
        # messages encode, and hash, exactly as before
        "attachment": _attachment,
        # the event id of the message this one answers (issue 15)
        "reply_to": _bytes_of(EVENT_ID_BYTES),
    },
    # an edit's content warning: absent when the new text carries none
    EventType.EDIT: {"cw": is_valid_label},
    # the epoch whose secret, sealed to the author's previous key, did not open (a repair)
    EventType.EXCHANGE_KEY: {"unreadable": _bytes_of(EPOCH_ID_BYTES)},
    # a facilitator's reason, shown to the member and in the moderation log: absent when
    # none was given (never ""), so an event without one encodes, and hashes, exactly as
    # before the field existed; present, 1..MAX_REASON_CHARS plain characters
    EventType.REMOVE: {"reason": is_plain_reason},
    EventType.BAN: {"reason": is_plain_reason},
    EventType.MUTE: {"reason": is_plain_reason},
    EventType.DELETE: {"reason": is_plain_reason},
    EventType.SETTINGS: {
        # whether members see "Sam is typing…" (issue 15): absent means off, so every
        # SETTINGS event made before the field existed encodes, and hashes, as it did
        "typing": _flag,
        # the circle's size limit per attached file, in bytes: absent while it is the
        # default (attachment_policy.DEFAULT_LIMIT_BYTES), likewise
        "attachment_limit": _whole(ap.MIN_LIMIT_BYTES, ap.MAX_LIMIT_BYTES),
    },
}


def _message_has_content(body: dict[str, Any]) -> str:
    if "mood" in body or "attachment" in body or body["text"].strip():
        return ""
    return "a message needs text unless it is a check-in or carries a file"


# checks across a body's fields: body -> why it is malformed, or ""
BODY_RULES: dict[EventType, Any] = {EventType.MESSAGE: _message_has_content}


def _check_body(kind: EventType, body: Any) -> dict[str, Any]:
    schema = BODY_SCHEMAS[kind]
    optional = OPTIONAL_BODY_FIELDS.get(kind, {})
    if not isinstance(body, dict) or not set(schema) <= set(body) <= {*schema, *optional}:
        raise EventError(f"{kind.value} body has the wrong fields")
    for name, check in {**schema, **optional}.items():
        if name in body and not check(body[name]):
            raise EventError(f"{kind.value} body field {name!r} is malformed")
    rule = BODY_RULES.get(kind)
    if rule is not None and (reason := rule(body)):
        raise EventError(reason)
    return body


_HEADER_CHECKS: dict[str, Any] = {
    "v": lambda v: type(v) is int and v == VERSION,
    "circle": _bytes_of(CIRCLE_ID_BYTES),
    "author": _KEY,
    "seq": _whole(0, 2**53),
    "lamport": _whole(0, 2**53),
    "ts": _TIME,
    "prev": lambda v: (
        isinstance(v, list)
        and len(v) <= MAX_PARENTS
        and all(isinstance(p, bytes) and len(p) == EVENT_ID_BYTES for p in v)
        and v == sorted(set(v))
    ),
}


def decode_event(encoded: bytes) -> Event:
    """The Event in `encoded` (canonical CBOR, no signature), or EventError."""
    try:
        document = wire.decode(encoded, MAX_SIGNED_BYTES)
    except wire.WireError as error:
        raise EventError(str(error)) from None
    if not isinstance(document, dict) or set(document) != {*_HEADER_CHECKS, "type", "body"}:
        raise EventError(
            "an event has exactly the fields v, type, circle, author, seq, lamport, prev, ts, body"
        )
    for name, check in _HEADER_CHECKS.items():
        if not check(document[name]):
            raise EventError(f"event field {name!r} is malformed")
    try:
        kind = EventType(document["type"])
    except ValueError:
        raise EventError("unknown event type") from None
    return Event(
        type=kind,
        circle=document["circle"],
        author=document["author"],
        seq=document["seq"],
        lamport=document["lamport"],
        prev=tuple(document["prev"]),
        ts=document["ts"],
        body=_check_body(kind, document["body"]),
    )


def split_signed(signed: bytes) -> tuple[bytes, bytes]:
    """(encoded event, signature), checking only sizes."""
    if not SIGNATURE_BYTES < len(signed) <= MAX_SIGNED_BYTES:
        raise EventError("a signed event has an impossible size")
    return signed[:-SIGNATURE_BYTES], signed[-SIGNATURE_BYTES:]
