"""Circle events: strict decoding of the header and of every type's body."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import cbor2
import nacl.signing
import pytest

from peerapp.core import wire
from peerapp.core.attachment_policy import (
    CHUNK_BYTES,
    MAX_LIMIT_BYTES,
    MAX_THUMBNAIL_BYTES,
    chunk_count,
)
from peerapp.core.circle_events import (
    BODY_SCHEMAS,
    CONTROL_TYPES,
    MAX_ADDRS,
    MAX_GUIDELINES_CHARS,
    MAX_HARM_FLAGS_TO_HIDE,
    MAX_KEY_RECIPIENTS,
    MAX_NAME_CHARS,
    MAX_PARENTS,
    MAX_SIGNED_BYTES,
    MAX_SLOW_MODE_SECONDS,
    MAX_TEXT_CHARS,
    OPTIONAL_BODY_FIELDS,
    Event,
    EventError,
    EventType,
    decode_event,
    event_id,
    split_signed,
)
from peerapp.core.content_warnings import MAX_CW_CHARS
from peerapp.core.moderation_policy import MAX_REASON_CHARS
from peerapp.crypto.signing import verify_signed
from tests.crypto.circle_fixtures import Identity, identity, one_of_each_type

EACH = one_of_each_type()
ID_A, ID_B, ID_C = bytes([1]) * 32, bytes([2]) * 32, bytes([3]) * 32


def document(kind: EventType) -> dict[str, Any]:
    """A fresh copy of a valid event's wire document, safe to change."""
    return copy.deepcopy(EACH[kind].event.to_wire())


def author_of(kind: EventType) -> Identity:
    labels = {
        EventType.JOIN_REQUEST: "joiner-each",
        EventType.LEAVE: "joiner-each",
    }
    return identity(labels.get(kind, "founder-each"))


def signed_document(doc: dict[str, Any], who: Identity) -> bytes:
    encoded = wire.encode(doc)
    return encoded + nacl.signing.SigningKey(who.signing_seed).sign(encoded).signature


def test_every_type_has_a_schema_and_only_content_is_not_control() -> None:
    assert set(BODY_SCHEMAS) == set(EventType)
    assert frozenset(EventType) - CONTROL_TYPES == {
        EventType.MESSAGE,
        EventType.EDIT,
        EventType.REACTION,
    }


@pytest.mark.parametrize("kind", list(EventType), ids=lambda k: k.value)
def test_valid_event_of_every_type_decodes_to_itself(kind: EventType) -> None:
    verified = EACH[kind]
    encoded, _ = split_signed(verified.signed)
    assert decode_event(encoded) == verified.event
    assert verified.event.encode() == encoded
    assert verified.event.type is kind


def test_event_encoding_sorts_prev() -> None:
    event = EACH[EventType.MESSAGE].event
    shuffled = replace(event, prev=(ID_B, ID_A, ID_C))
    assert shuffled.to_wire()["prev"] == [ID_A, ID_B, ID_C]
    assert decode_event(shuffled.encode()).prev == (ID_A, ID_B, ID_C)


# -- the header -------------------------------------------------------------------------

BAD_HEADER: list[tuple[str, Any]] = [
    ("v", 0),
    ("v", 2),
    ("v", "1"),
    ("v", None),
    ("v", b"\x01"),
    ("type", "unknown"),
    ("type", "MESSAGE"),
    ("type", 1),
    ("type", None),
    ("type", b"message"),
    ("type", ["message"]),
    ("circle", bytes(15)),
    ("circle", bytes(17)),
    ("circle", "c" * 16),
    ("circle", None),
    ("author", bytes(31)),
    ("author", bytes(33)),
    ("author", "a" * 32),
    ("author", [bytes(32)]),
    ("seq", -1),
    ("seq", 2**53 + 1),
    ("seq", True),
    ("seq", 1.5),
    ("seq", "1"),
    ("lamport", -1),
    ("lamport", 2**53 + 1),
    ("lamport", False),
    ("lamport", 2.0),
    ("ts", -1),
    ("ts", 2**53 + 1),
    ("ts", True),
    ("ts", 1.5),
    ("ts", "2024-01-01"),
    ("prev", ID_A),
    ("prev", None),
    ("prev", {"a": ID_A}),
    ("prev", [bytes(31)]),
    ("prev", [bytes(33)]),
    ("prev", ["x" * 32]),
    ("prev", [ID_B, ID_A]),  # unsorted
    ("prev", [ID_A, ID_A]),  # repeated
    ("prev", [bytes([i]) * 32 for i in range(MAX_PARENTS + 1)]),
    ("body", None),
    ("body", []),
    ("body", "text"),
]


@pytest.mark.parametrize(
    ("name", "value"), BAD_HEADER, ids=[f"{n}={v!r}"[:40] for n, v in BAD_HEADER]
)
def test_malformed_header_field_is_refused(name: str, value: Any) -> None:
    doc = document(EventType.MESSAGE)
    doc[name] = value
    with pytest.raises(EventError):
        decode_event(wire.encode(doc))
    # signed by the real author it is still refused, and not as a bad signature
    with pytest.raises(EventError) as refused:
        verify_signed(signed_document(doc, author_of(EventType.MESSAGE)))
    assert "bad signature" not in str(refused.value)


# `v == VERSION` also holds for True and 1.0, and both are canonical CBOR of their own,
# so the same event gets three valid encodings and three event ids.
@pytest.mark.parametrize("value", [True, 1.0], ids=["true", "float 1.0"])
def test_version_must_be_the_integer_one(value: Any) -> None:
    doc = document(EventType.MESSAGE)
    doc["v"] = value
    with pytest.raises(EventError):
        decode_event(wire.encode(doc))


def test_the_header_table_covers_every_field() -> None:
    assert {name for name, _ in BAD_HEADER} == set(document(EventType.MESSAGE))


GOOD_HEADER: list[tuple[str, Any]] = [
    ("seq", 0),
    ("seq", 2**53),
    ("lamport", 2**53),
    ("ts", 0),
    ("ts", 2**53),
    ("prev", []),
    ("prev", [bytes([i]) * 32 for i in range(MAX_PARENTS)]),
]


@pytest.mark.parametrize(("name", "value"), GOOD_HEADER, ids=[n for n, _ in GOOD_HEADER])
def test_header_bounds_are_inclusive(name: str, value: Any) -> None:
    doc = document(EventType.MESSAGE)
    doc[name] = value
    assert getattr(decode_event(wire.encode(doc)), name) == (
        tuple(value) if isinstance(value, list) else value
    )


@pytest.mark.parametrize(
    "name", ["v", "type", "circle", "author", "seq", "lamport", "prev", "ts", "body"]
)
def test_missing_header_field_is_refused(name: str) -> None:
    doc = document(EventType.MESSAGE)
    del doc[name]
    with pytest.raises(EventError, match="exactly the fields"):
        decode_event(wire.encode(doc))


@pytest.mark.parametrize("extra", ["extra", "sig", "id", 1, b"v"])
def test_extra_header_field_is_refused(extra: Any) -> None:
    doc = document(EventType.MESSAGE)
    doc[extra] = 0
    with pytest.raises(EventError, match="exactly the fields"):
        decode_event(wire.encode(doc))


@pytest.mark.parametrize("value", [[], [1, 2], "event", 7, None, b"event"], ids=repr)
def test_an_event_is_a_map(value: Any) -> None:
    with pytest.raises(EventError):
        decode_event(wire.encode(value))


def test_non_canonical_encoding_is_refused() -> None:
    doc = document(EventType.MESSAGE)
    encoded = wire.encode(doc)
    # the same map, keys written in insertion (not canonical) order
    loose = cbor2.dumps(dict(reversed(list(doc.items()))))
    assert loose != encoded
    assert wire.decode(encoded, MAX_SIGNED_BYTES) == cbor2.loads(loose)
    with pytest.raises(EventError, match="canonical"):
        decode_event(loose)


def test_garbage_is_refused() -> None:
    for data in (b"", b"\xff", b"\x00" * 100, b"\xa9" + b"\x00" * 64):
        with pytest.raises(EventError):
            decode_event(data)


# -- bodies -----------------------------------------------------------------------------

LONG = "x"
ADDR = "/ip4/192.0.2.1/tcp/4001"


def good_attachment(size: int = CHUNK_BYTES + 1) -> dict[str, Any]:
    return {
        "name": "photo.jpg",
        "size": size,
        "mime": "image/jpeg",
        "key": bytes(32),
        "chunk": CHUNK_BYTES,
        "hashes": [bytes(32)] * chunk_count(size),
    }


BAD_ATTACHMENTS: list[Any] = [
    None,
    {},
    "photo.jpg",
    {**good_attachment(), "extra": 1},
    {**good_attachment(), "name": "../etc/passwd"},
    {**good_attachment(), "name": ""},
    {**good_attachment(), "name": " x"},
    {**good_attachment(), "name": "a\nb"},
    {**good_attachment(), "size": 0},
    {**good_attachment(), "size": MAX_LIMIT_BYTES + 1},
    {**good_attachment(), "mime": "image"},
    {**good_attachment(), "mime": "Image/JPEG"},
    {**good_attachment(), "key": bytes(31)},
    {**good_attachment(), "chunk": 1024},
    {**good_attachment(), "hashes": [bytes(32)]},  # 2 chunks' worth of size
    {**good_attachment(), "hashes": [bytes(31), bytes(32)]},
    {**good_attachment(), "thumb": b""},
    {**good_attachment(), "thumb": bytes(MAX_THUMBNAIL_BYTES + 1)},
]


BAD_BODY: list[tuple[EventType, str, Any]] = [
    (EventType.GENESIS, "name", ""),
    (EventType.GENESIS, "name", "   \n"),
    (EventType.GENESIS, "name", LONG * (MAX_NAME_CHARS + 1)),
    (EventType.GENESIS, "name", b"name"),
    (EventType.GENESIS, "name", 5),
    (EventType.GENESIS, "guidelines", LONG * (MAX_GUIDELINES_CHARS + 1)),
    (EventType.GENESIS, "guidelines", None),
    (EventType.GENESIS, "member_name", ""),
    (EventType.GENESIS, "member_name", LONG * (MAX_NAME_CHARS + 1)),
    (EventType.GENESIS, "exchange", bytes(31)),
    (EventType.GENESIS, "exchange", bytes(33)),
    (EventType.GENESIS, "exchange", "k" * 32),
    (EventType.GENESIS, "peer", ""),
    (EventType.GENESIS, "peer", "p" * 129),
    (EventType.GENESIS, "peer", b"peer"),
    (EventType.GENESIS, "addrs", ADDR),
    (EventType.GENESIS, "addrs", [""]),
    (EventType.GENESIS, "addrs", ["a" * 257]),
    (EventType.GENESIS, "addrs", [1]),
    (EventType.GENESIS, "addrs", [b"/ip4"]),
    (EventType.GENESIS, "addrs", [ADDR] * (MAX_ADDRS + 1)),
    (EventType.MESSAGE, "text", LONG * (MAX_TEXT_CHARS + 1)),
    (EventType.MESSAGE, "text", b"hello"),
    (EventType.MESSAGE, "text", None),
    (EventType.MESSAGE, "text", ["hello"]),
    (EventType.INVITE_CREATE, "invite", bytes(31)),
    (EventType.INVITE_CREATE, "invite", bytes(33)),
    (EventType.INVITE_CREATE, "max_uses", 0),
    (EventType.INVITE_CREATE, "max_uses", -1),
    (EventType.INVITE_CREATE, "max_uses", 10_001),
    (EventType.INVITE_CREATE, "max_uses", True),
    (EventType.INVITE_CREATE, "max_uses", 1.5),
    (EventType.INVITE_CREATE, "expires", -1),
    (EventType.INVITE_CREATE, "expires", 2**53 + 1),
    (EventType.INVITE_CREATE, "expires", True),
    (EventType.INVITE_CREATE, "expires", "tomorrow"),
    (EventType.JOIN_REQUEST, "invite", bytes(31)),
    (EventType.JOIN_REQUEST, "challenge", bytes(31)),
    (EventType.JOIN_REQUEST, "challenge", bytes(33)),
    (EventType.JOIN_REQUEST, "challenge", "c" * 32),
    (EventType.JOIN_REQUEST, "proof", bytes(63)),
    (EventType.JOIN_REQUEST, "proof", bytes(65)),
    (EventType.JOIN_REQUEST, "member_name", ""),
    (EventType.JOIN_REQUEST, "member_name", LONG * (MAX_NAME_CHARS + 1)),
    (EventType.JOIN_REQUEST, "exchange", bytes(31)),
    (EventType.JOIN_REQUEST, "peer", ""),
    (EventType.JOIN_REQUEST, "addrs", ["a" * 257]),
    (EventType.JOIN_REQUEST, "addrs", [ADDR] * (MAX_ADDRS + 1)),
    (EventType.ADD_MEMBER, "request", "signed"),
    (EventType.ADD_MEMBER, "request", None),
    (EventType.ADD_MEMBER, "request", bytes(16 * 1024 + 1)),
    (EventType.ADD_MEMBER, "request", [b"signed"]),
    (EventType.KEY_ROTATE, "epoch", bytes(15)),
    (EventType.KEY_ROTATE, "epoch", bytes(17)),
    (EventType.KEY_ROTATE, "epoch", "e" * 16),
    (EventType.KEY_ROTATE, "keys", {}),
    (EventType.KEY_ROTATE, "keys", [bytes(32)]),
    (EventType.KEY_ROTATE, "keys", {bytes(31): bytes(80)}),
    (EventType.KEY_ROTATE, "keys", {"k" * 32: bytes(80)}),
    (EventType.KEY_ROTATE, "keys", {bytes(32): bytes(129)}),
    (EventType.KEY_ROTATE, "keys", {bytes(32): "sealed"}),
    (
        EventType.KEY_ROTATE,
        "keys",
        {i.to_bytes(32, "big"): bytes(80) for i in range(MAX_KEY_RECIPIENTS + 1)},
    ),
    *[
        (kind, "member", value)
        for kind in (
            EventType.PROMOTE,
            EventType.DEMOTE,
            EventType.TRANSFER_FOUNDER,
            EventType.REMOVE,
            EventType.BAN,
            EventType.MUTE,
        )
        for value in (bytes(31), bytes(33), "m" * 32, None)
    ],
    (EventType.MUTE, "until", -1),
    (EventType.MUTE, "until", 2**53 + 1),
    (EventType.MUTE, "until", True),
    (EventType.MUTE, "until", 1.5),
    (EventType.SETTINGS, "slow_mode_seconds", -1),
    (EventType.SETTINGS, "slow_mode_seconds", MAX_SLOW_MODE_SECONDS + 1),
    (EventType.SETTINGS, "slow_mode_seconds", True),
    (EventType.SETTINGS, "slow_mode_seconds", "10"),
    (EventType.SETTINGS, "join_approval", 1),
    (EventType.SETTINGS, "join_approval", None),
    (EventType.SETTINGS, "join_approval", "yes"),
    (EventType.SETTINGS, "guidelines", LONG * (MAX_GUIDELINES_CHARS + 1)),
    (EventType.SETTINGS, "guidelines", None),
    (EventType.SETTINGS, "attachment_limit", 0),
    (EventType.SETTINGS, "attachment_limit", MAX_LIMIT_BYTES + 1),
    (EventType.SETTINGS, "attachment_limit", True),
    (EventType.SETTINGS, "attachment_limit", None),
    *[(EventType.MESSAGE, "attachment", bad) for bad in BAD_ATTACHMENTS],
    (EventType.INVITE_REVOKE, "invite", bytes(31)),
    (EventType.INVITE_REVOKE, "invite", "i" * 32),
    (EventType.DELETE, "message", bytes(31)),
    (EventType.DELETE, "message", bytes(33)),
    (EventType.DELETE, "message", "m" * 32),
    (EventType.DELETE, "author", bytes(31)),
    (EventType.DELETE, "author", None),
    *[
        (kind, name, value)
        for kind in (EventType.HARM_FLAG, EventType.RESTORE)
        for name, value in (
            ("message", bytes(31)),
            ("message", "m" * 32),
            ("author", bytes(33)),
            ("author", None),
        )
    ],
    (EventType.STATUS, "on_break", 1),
    (EventType.STATUS, "on_break", None),
    (EventType.EXCHANGE_KEY, "exchange", bytes(31)),
    (EventType.EXCHANGE_KEY, "exchange", None),
    (EventType.EXCHANGE_KEY, "unreadable", bytes(15)),
    (EventType.EXCHANGE_KEY, "unreadable", b""),
    (EventType.SETTINGS, "harm_flags_to_hide", 0),
    (EventType.SETTINGS, "harm_flags_to_hide", MAX_HARM_FLAGS_TO_HIDE + 1),
    (EventType.SETTINGS, "harm_flags_to_hide", True),
    (EventType.SETTINGS, "harm_flags_to_hide", "3"),
    (EventType.SETTINGS, "members_invite", 1),
    (EventType.SETTINGS, "members_invite", "yes"),
    (EventType.SETTINGS, "typing", 1),
    (EventType.SETTINGS, "typing", "on"),
    (EventType.SETTINGS, "flag_after_hours", -1),
    (EventType.SETTINGS, "flag_after_hours", 7 * 24 + 1),
    # optional fields, when present
    (EventType.MESSAGE, "cw", ""),
    (EventType.MESSAGE, "cw", " grief"),  # not in its clean form
    (EventType.MESSAGE, "cw", "a  b"),
    (EventType.MESSAGE, "cw", "x" * (MAX_CW_CHARS + 1)),
    (EventType.MESSAGE, "cw", None),
    (EventType.MESSAGE, "mood", 0),
    (EventType.MESSAGE, "mood", 6),
    (EventType.MESSAGE, "mood", True),
    (EventType.MESSAGE, "mood", "3"),
    (EventType.MESSAGE, "reply_to", bytes(31)),
    (EventType.MESSAGE, "reply_to", bytes(33)),
    (EventType.MESSAGE, "reply_to", "r" * 32),
    (EventType.MESSAGE, "reply_to", None),
    # replies, reactions and edits (issue 15)
    (EventType.EDIT, "message", bytes(31)),
    (EventType.EDIT, "message", None),
    (EventType.EDIT, "text", ""),
    (EventType.EDIT, "text", "  \n"),
    (EventType.EDIT, "text", LONG * (MAX_TEXT_CHARS + 1)),
    (EventType.EDIT, "text", b"hi"),
    (EventType.EDIT, "cw", ""),
    (EventType.EDIT, "cw", None),
    (EventType.REACTION, "message", bytes(33)),
    (EventType.REACTION, "author", bytes(31)),
    (EventType.REACTION, "reaction", ""),
    (EventType.REACTION, "reaction", "like"),
    (EventType.REACTION, "reaction", "Heart"),
    (EventType.REACTION, "reaction", "ab"),
    (EventType.REACTION, "reaction", "\U0001f600\U0001f600"),  # two emoji
    (EventType.REACTION, "reaction", "\U0001f600x"),
    (EventType.REACTION, "reaction", None),
    (EventType.REACTION, "on", 1),
    (EventType.REACTION, "on", None),
    # a facilitator's reason: absent when none, never "" (one encoding per meaning), plain
    # text of at most MAX_REASON_CHARS characters
    *[
        (kind, "reason", value)
        for kind in (EventType.REMOVE, EventType.BAN, EventType.MUTE, EventType.DELETE)
        for value in ("", "   ", "x" * (MAX_REASON_CHARS + 1), 5, None, b"rude", "a\nb", "\x1b[2J")
    ],
]


@pytest.mark.parametrize(
    ("kind", "name", "value"),
    BAD_BODY,
    ids=[f"{k.value}.{n}={v!r}"[:50] for k, n, v in BAD_BODY],
)
def test_malformed_body_field_is_refused(kind: EventType, name: str, value: Any) -> None:
    doc = document(kind)
    doc["body"] = {**doc["body"], name: value}
    with pytest.raises(EventError, match=f"body field '{name}' is malformed"):
        decode_event(wire.encode(doc))
    with pytest.raises(EventError, match="malformed"):
        verify_signed(signed_document(doc, author_of(kind)))


def test_the_body_table_covers_every_field_of_every_type() -> None:
    covered = {(kind, name) for kind, name, _ in BAD_BODY}
    every = [*BODY_SCHEMAS.items(), *OPTIONAL_BODY_FIELDS.items()]
    assert covered == {(kind, name) for kind, schema in every for name in schema}


@pytest.mark.parametrize("text", ["", " \n\t"])
def test_a_message_needs_text_unless_it_is_a_check_in(text: str) -> None:
    doc = document(EventType.MESSAGE)
    doc["body"] = {"text": text}
    with pytest.raises(EventError, match="needs text unless it is a check-in"):
        decode_event(wire.encode(doc))
    doc["body"] = {"text": text, "cw": "grief"}
    with pytest.raises(EventError, match="needs text unless it is a check-in"):
        decode_event(wire.encode(doc))
    doc["body"] = {"text": text, "mood": 1}
    assert decode_event(wire.encode(doc)).body == {"text": text, "mood": 1}


def test_a_message_may_carry_a_warning_and_a_mood() -> None:
    doc = document(EventType.MESSAGE)
    doc["body"] = {"text": "hi", "cw": "x" * MAX_CW_CHARS, "mood": 5}
    assert decode_event(wire.encode(doc)).body == doc["body"]
    doc["body"] = {"text": "hi", "cw": "self-harm"}
    assert decode_event(wire.encode(doc)).body["cw"] == "self-harm"


# what an old MUTE (before reasons existed) encoded to and its id, computed on the code
# before this field: an event without a reason is byte for byte what it always was
OLD_MUTE_ENCODED = (
    "a96176016274731b0000018bcfe56800637365710364626f6479a265756e74696c1b0000018bcfee8fc0"
    "666d656d626572582002020202020202020202020202020202020202020202020202020202020202026470"
    "72657681582001010101010101010101010101010101010101010101010101010101010101016474797065"
    "646d75746566617574686f72582007070707070707070707070707070707070707070707070707070707070"
    "7070766636972636c655000000000000000000000000000000000676c616d706f727409"
)
OLD_MUTE_ID = "a06d3de4e5e75d2b06c86e279f1c9a0f06404d5929009082bbab8bd587efa40c"


def test_an_event_without_a_reason_encodes_and_hashes_as_before() -> None:
    body = {"member": bytes([2]) * 32, "until": 1_700_000_600_000}
    event = Event(
        EventType.MUTE,
        bytes(16),
        bytes([7]) * 32,
        3,
        9,
        (bytes([1]) * 32,),
        1_700_000_000_000,
        body,
    )
    assert event.encode().hex() == OLD_MUTE_ENCODED
    assert event_id(event.encode() + bytes(64)).hex() == OLD_MUTE_ID
    assert decode_event(bytes.fromhex(OLD_MUTE_ENCODED)) == event  # old events stay valid
    reasoned = replace(event, body={**body, "reason": "kept on after two warnings"})
    assert decode_event(reasoned.encode()).body["reason"] == "kept on after two warnings"
    assert event_id(reasoned.encode() + bytes(64)).hex() != OLD_MUTE_ID


@pytest.mark.parametrize(
    "kind", [EventType.REMOVE, EventType.BAN, EventType.MUTE, EventType.DELETE], ids=str
)
def test_a_removal_mute_or_delete_may_carry_a_reason(kind: EventType) -> None:
    doc = document(kind)
    for reason in ("é" * MAX_REASON_CHARS, " spaced ", "🙂 kind words"):  # characters, not bytes
        doc["body"] = {**doc["body"], "reason": reason}
        assert decode_event(wire.encode(doc)).body["reason"] == reason


def test_other_moderation_events_carry_no_reason() -> None:
    doc = document(EventType.PROMOTE)
    doc["body"] = {**doc["body"], "reason": "trusted"}
    with pytest.raises(EventError, match="wrong fields"):
        decode_event(wire.encode(doc))


GOOD_BODY: list[tuple[EventType, str, Any]] = [
    (EventType.GENESIS, "name", LONG * MAX_NAME_CHARS),
    (EventType.GENESIS, "guidelines", ""),
    (EventType.GENESIS, "guidelines", LONG * MAX_GUIDELINES_CHARS),
    (EventType.GENESIS, "addrs", []),
    (EventType.GENESIS, "addrs", ["a" * 256] * MAX_ADDRS),
    (EventType.GENESIS, "peer", "p" * 128),
    (EventType.MESSAGE, "text", "é" * MAX_TEXT_CHARS),  # characters, not bytes
    (EventType.MESSAGE, "text", " a "),
    (EventType.INVITE_CREATE, "max_uses", 1),
    (EventType.INVITE_CREATE, "max_uses", 10_000),
    (EventType.INVITE_CREATE, "expires", 0),
    (EventType.ADD_MEMBER, "request", b""),
    (EventType.MUTE, "until", 0),
    (EventType.MUTE, "until", 2**53),
    (EventType.SETTINGS, "slow_mode_seconds", 0),
    (EventType.SETTINGS, "slow_mode_seconds", MAX_SLOW_MODE_SECONDS),
    (EventType.SETTINGS, "join_approval", True),
    (EventType.SETTINGS, "join_approval", False),
    (EventType.SETTINGS, "guidelines", ""),
    (EventType.SETTINGS, "guidelines", LONG * MAX_GUIDELINES_CHARS),
    (EventType.SETTINGS, "harm_flags_to_hide", 1),
    (EventType.SETTINGS, "harm_flags_to_hide", MAX_HARM_FLAGS_TO_HIDE),
    (EventType.STATUS, "on_break", False),
    (EventType.ADD_MEMBER, "request", bytes(16 * 1024)),
    (EventType.KEY_ROTATE, "keys", {bytes(32): b""}),
    (
        EventType.KEY_ROTATE,
        "keys",
        {i.to_bytes(32, "big"): bytes(128) for i in range(MAX_KEY_RECIPIENTS)},
    ),
]


@pytest.mark.parametrize(
    ("kind", "name", "value"),
    GOOD_BODY,
    ids=[f"{k.value}.{n}" for k, n, _ in GOOD_BODY],
)
def test_body_bounds_are_inclusive(kind: EventType, name: str, value: Any) -> None:
    doc = document(kind)
    doc["body"] = {**doc["body"], name: value}
    assert decode_event(wire.encode(doc)).body[name] == value


@pytest.mark.parametrize("kind", list(EventType), ids=lambda k: k.value)
def test_extra_body_field_is_refused(kind: EventType) -> None:
    doc = document(kind)
    doc["body"] = {**doc["body"], "extra": "x"}
    with pytest.raises(EventError, match="wrong fields"):
        decode_event(wire.encode(doc))


MISSING = [(kind, name) for kind, schema in BODY_SCHEMAS.items() for name in schema]


@pytest.mark.parametrize(("kind", "name"), MISSING, ids=[f"{k.value}.{n}" for k, n in MISSING])
def test_missing_body_field_is_refused(kind: EventType, name: str) -> None:
    doc = document(kind)
    del doc["body"][name]
    with pytest.raises(EventError, match="wrong fields"):
        decode_event(wire.encode(doc))


@pytest.mark.parametrize(
    ("kind", "other"),
    [
        (EventType.MESSAGE, EventType.GENESIS),
        (EventType.LEAVE, EventType.MESSAGE),
        (EventType.ADD_MEMBER, EventType.JOIN_REQUEST),
        (EventType.KEY_ROTATE, EventType.INVITE_CREATE),
    ],
    ids=lambda k: k.value,
)
def test_a_body_of_another_type_is_refused(kind: EventType, other: EventType) -> None:
    doc = document(kind)
    doc["body"] = document(other)["body"]
    with pytest.raises(EventError, match="wrong fields"):
        decode_event(wire.encode(doc))


# -- sizes ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 63, 64, MAX_SIGNED_BYTES + 1, 2 * MAX_SIGNED_BYTES])
def test_split_signed_refuses_impossible_sizes(size: int) -> None:
    with pytest.raises(EventError, match="impossible size"):
        split_signed(bytes(size))


@pytest.mark.parametrize("size", [65, 1000, MAX_SIGNED_BYTES])
def test_split_signed_takes_the_last_64_bytes_as_the_signature(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    encoded, signature = split_signed(data)
    assert encoded + signature == data
    assert len(signature) == 64
