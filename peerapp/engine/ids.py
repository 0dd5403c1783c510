"""Ids as commands give them: hex text, checked for its length, refused with a clear reason."""

from __future__ import annotations

from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError


def id_from_hex(text: str, what: str, length: int = 32) -> bytes:
    """The `length` bytes `text` spells in hex; CommandError(Refusal.NOT_AN_ID) else.
    `what` names the id: "member id", "message id", ..."""
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    if len(value) != length:
        raise CommandError(Refusal.NOT_AN_ID, text=text[:80], what=what)
    return value
