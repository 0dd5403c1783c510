"""Sealing, signing, checking and opening facilitator mailbox notes
(core/mailbox_messages.py has their shapes).

- The body is sealed (X25519 SealedBox) to the recipient facilitator's exchange key: only
  that facilitator reads it, and the sealed bytes say nothing about who sealed them.
- The note is signed by the sender's per-circle member key over the label and every
  other field, so the facilitator knows which member sent it and for whom it was meant.
- A report's body carries the reported message as its signed event; opening checks that
  signature, so a reporter cannot put words in another member's mouth. A care flag may
  carry one too: it must be a message by the member the flag is about.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import nacl.exceptions
import nacl.public

from peerapp.core.circle_events import EventError, EventType
from peerapp.core.mailbox_messages import (
    MailboxFrameError,
    Note,
    NoteBody,
    decode_body,
    encode_body,
)
from peerapp.crypto.signing import (
    VerifiedEvent,
    public_signing_key,
    sign_detached,
    verify_detached,
    verify_signed,
)


@dataclass(frozen=True)
class OpenedNote:
    body: NoteBody
    encoded_body: bytes  # canonical CBOR, as sealed: what the inbox keeps
    message: VerifiedEvent | None  # a report's (or care flag's) message, its signature checked


def seal_note(
    *,
    circle: bytes,
    note_id: bytes,
    recipient: bytes,
    recipient_exchange: bytes,
    body: NoteBody,
    sender_seed: bytes,
) -> Note:
    sealed = nacl.public.SealedBox(nacl.public.PublicKey(recipient_exchange)).encrypt(
        encode_body(body)
    )
    unsigned = Note(
        circle=circle,
        id=note_id,
        kind=body.kind,
        recipient=recipient,
        sealed=bytes(sealed),
        sender=public_signing_key(sender_seed),
        signature=b"",
    )
    signature = sign_detached(unsigned.signed_part(), sender_seed)
    return replace(unsigned, signature=signature)


def signature_ok(note: Note) -> bool:
    return verify_detached(note.signed_part(), note.signature, note.sender)


def evidence(body: NoteBody, circle: bytes) -> VerifiedEvent | None:
    """The reported (or flagged) message, when the body carries one that is a genuine,
    signed MESSAGE of this circle (for a care flag, by the member it is about); None when
    it carries none. EventError when it carries a bad one."""
    if body.message is None:
        return None
    verified = verify_signed(body.message)
    if verified.event.type is not EventType.MESSAGE or verified.event.circle != circle:
        raise EventError("the reported event is not a message of this circle")
    if body.member is not None and verified.event.author != body.member:
        raise EventError("the flagged message is not by the member the flag is about")
    if body.edit is not None:
        edit = verify_signed(body.edit)
        genuine = (
            edit.event.type is EventType.EDIT
            and edit.event.circle == circle
            and edit.event.author == verified.event.author
            and edit.event.body["message"] == verified.id
        )
        if not genuine:
            raise EventError("the reported edit is not its author's edit of that message")
    return verified


def open_note(note: Note, exchange_private: bytes) -> OpenedNote | None:
    """The body of a note sealed to this key, checked; None when it does not open, is not a
    valid body of the note's kind, or carries a message that is not genuine."""
    try:
        encoded = bytes(
            nacl.public.SealedBox(nacl.public.PrivateKey(exchange_private)).decrypt(note.sealed)
        )
        body = decode_body(encoded)
        if body.kind is not note.kind:
            return None
        return OpenedNote(body, encoded, evidence(body, note.circle))
    except (nacl.exceptions.CryptoError, ValueError, MailboxFrameError, EventError):
        return None
