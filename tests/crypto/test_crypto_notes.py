"""Mailbox notes: sealed to one facilitator, signed by one member, carrying the reported
message as its author signed it. Round trips, and every way to tamper with one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from peerapp.core.circle_events import EventType
from peerapp.core.mailbox_messages import (
    Note,
    NoteBody,
    NoteKind,
    decode_note_frame,
    encode_body,
    encode_note_frame,
)
from peerapp.crypto.notes import open_note, seal_note, signature_ok
from tests.crypto.circle_fixtures import (
    NOW_MS,
    LogBuilder,
    circle_id_for,
    identity,
    invite_body,
    invite_seed,
)

OTHER_CIRCLE = circle_id_for("elsewhere")
REPORTER = identity("reporter")
FACILITATOR = identity("facilitator")
AUTHOR = identity("author")
STRANGER = identity("stranger")
NOTE_ID = bytes(range(16))
REASON = "This was cruel to a member who is struggling."

LOG = LogBuilder(circle_id_for("notes"))
LOG.genesis(FACILITATOR)
CIRCLE = LOG.circle_id  # the id the genesis commits to
MESSAGE = LOG.message(AUTHOR, "the reported words")


def _body(message: bytes = MESSAGE.signed, reason: str = REASON) -> NoteBody:
    return NoteBody(NoteKind.REPORT, reason, NOW_MS, message=message)


def _note(body: NoteBody | None = None, sender_seed: bytes = REPORTER.signing_seed) -> Note:
    return seal_note(
        circle=CIRCLE,
        note_id=NOTE_ID,
        recipient=FACILITATOR.key,
        recipient_exchange=FACILITATOR.exchange,
        body=body or _body(),
        sender_seed=sender_seed,
    )


def test_the_recipient_opens_a_signed_note_and_sees_the_genuine_message() -> None:
    note = _note()
    assert note.sender == REPORTER.key and note.recipient == FACILITATOR.key
    assert signature_ok(note)
    assert signature_ok(decode_note_frame(encode_note_frame(note)))
    opened = open_note(note, FACILITATOR.exchange_private)
    assert opened is not None
    assert opened.body == _body()
    assert opened.encoded_body == encode_body(_body())
    assert opened.message is not None
    assert opened.message.id == MESSAGE.id
    assert opened.message.event.author == AUTHOR.key
    assert opened.message.event.body["text"] == "the reported words"


def test_only_the_recipient_can_open_it_and_nothing_shows_in_the_clear() -> None:
    note = _note()
    for someone in (REPORTER, AUTHOR, STRANGER):
        assert open_note(note, someone.exchange_private) is None
    frame = encode_note_frame(note)
    assert REASON.encode() not in frame
    assert b"the reported words" not in frame
    # sealing is randomized: two notes of the same report share no sealed bytes
    assert _note().sealed != note.sealed


@pytest.mark.parametrize(
    "change",
    [
        {"circle": OTHER_CIRCLE},
        {"id": bytes(16)},
        {"recipient": STRANGER.key},
        {"sender": AUTHOR.key},
        {"signature": bytes(64)},
    ],
    ids=["moved to another circle", "new id", "re-addressed", "claimed by another", "zeroed"],
)
def test_changing_any_field_breaks_the_signature(change: dict[str, Any]) -> None:
    assert not signature_ok(replace(_note(), **change))


def test_a_changed_sealed_byte_breaks_the_signature_and_the_seal() -> None:
    note = _note()
    sealed = bytearray(note.sealed)
    sealed[-1] ^= 0x01
    tampered = replace(note, sealed=bytes(sealed))
    assert not signature_ok(tampered)
    assert open_note(tampered, FACILITATOR.exchange_private) is None


def test_a_note_signed_by_someone_else_than_its_sender_fails() -> None:
    forged = replace(_note(sender_seed=STRANGER.signing_seed), sender=REPORTER.key)
    assert not signature_ok(forged)


def test_a_reporter_cannot_put_words_in_the_author_s_mouth() -> None:
    """The body carries the author's signed event; altering its text breaks that signature."""
    altered = MESSAGE.signed.replace(b"the reported words", b"the invented words")
    assert len(altered) == len(MESSAGE.signed) and altered != MESSAGE.signed
    assert open_note(_note(_body(message=altered)), FACILITATOR.exchange_private) is None


def test_only_a_message_of_this_circle_is_evidence() -> None:
    elsewhere = LogBuilder(OTHER_CIRCLE)
    elsewhere.genesis(FACILITATOR, bound=False)
    foreign = elsewhere.message(AUTHOR, "said elsewhere")
    invite = LOG.author(FACILITATOR, EventType.INVITE_CREATE, invite_body(invite_seed("notes")))
    for evidence in (foreign.signed, invite.signed, b"\x00" * 100):
        assert open_note(_note(_body(message=evidence)), FACILITATOR.exchange_private) is None


# -- care flags ("I'm worried about someone") -------------------------------------------


def _care(member: bytes, message: bytes | None, note: str = "") -> NoteBody:
    return NoteBody(NoteKind.CARE, note, NOW_MS, message=message, member=member)


def test_a_care_flag_opens_with_or_without_a_message_by_the_flagged_member() -> None:
    for body in (_care(AUTHOR.key, None, "worried"), _care(AUTHOR.key, MESSAGE.signed)):
        note = _note(body)
        assert note.kind is NoteKind.CARE
        opened = open_note(note, FACILITATOR.exchange_private)
        assert opened is not None and opened.body == body
        assert (opened.message is None) == (body.message is None)
    assert b"worried" not in encode_note_frame(_note(_care(AUTHOR.key, None, "worried")))


def test_a_care_flag_s_message_must_be_by_the_flagged_member() -> None:
    by_someone_else = _care(STRANGER.key, MESSAGE.signed)
    assert open_note(_note(by_someone_else), FACILITATOR.exchange_private) is None
    altered = MESSAGE.signed.replace(b"the reported words", b"the invented words")
    assert open_note(_note(_care(AUTHOR.key, altered)), FACILITATOR.exchange_private) is None


def test_a_body_of_another_kind_than_its_note_does_not_open() -> None:
    note = _note(_care(AUTHOR.key, None))
    assert open_note(replace(note, kind=NoteKind.REPORT), FACILITATOR.exchange_private) is None
