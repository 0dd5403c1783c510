"""The facilitator mailbox at rest (engine/mailbox.py runs it).

- outbox: notes we owe facilitators, one row per (report, facilitator), with the encoded
  frame until it is delivered (then the frame is emptied and the row stays as a receipt).
  Undelivered rows survive restarts and are retried.
- inbox: notes members sent us as a facilitator (and our own copy of a report or care
  flag we made as a facilitator): who sent it, its kind ("report", "care") and its opened
  body (canonical CBOR), inside SQLCipher like everything else. Reports and care flags
  share the table and are listed and resolved by kind.

Every write is one transaction. Only the engine thread touches it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from peerapp.core.circle_events import EventType
from peerapp.storage.database import Database


@dataclass(frozen=True)
class OutgoingNote:
    circle: bytes
    id: bytes
    recipient: bytes
    frame: bytes
    created_at: int
    attempts: int = 0
    next_attempt_at: int = 0
    kind: str = ""  # the note's kind ("" for rows stored before kinds were kept)


@dataclass(frozen=True, repr=False)
class IncomingNote:
    circle: bytes
    id: bytes
    sender: bytes
    kind: str
    body: bytes
    received_at: int
    resolved_at: int | None = None
    resolved_by: bytes | None = None

    def __repr__(self) -> str:
        return f"IncomingNote(id={self.id.hex()}, kind={self.kind})"


@dataclass(frozen=True)
class StoredMessage:
    author: bytes
    signed: bytes


class MailboxStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    # -- outbox -------------------------------------------------------------------------

    def add_outgoing(
        self,
        notes: Iterable[OutgoingNote],
        own_copy: IncomingNote | None,
        also: Callable[[Any], None] | None = None,
    ) -> None:
        """The notes of one report (and our own copy of it) in one transaction; `also`
        writes what else belongs with them (a private message's copy) in the same one."""
        with self._database.transaction() as connection:
            connection.executemany(
                "INSERT INTO mailbox_outbox(circle, id, recipient, frame, created_at, kind) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(n.circle, n.id, n.recipient, n.frame, n.created_at, n.kind) for n in notes],
            )
            if own_copy is not None:
                _insert_incoming(connection, own_copy)
            if also is not None:
                also(connection)

    def undelivered(self) -> list[OutgoingNote]:
        rows = self._database.query(
            "SELECT circle, id, recipient, frame, created_at, attempts, next_attempt_at, kind "
            "FROM mailbox_outbox WHERE delivered_at IS NULL ORDER BY created_at, id"
        )
        return [
            OutgoingNote(
                circle=bytes(r[0]),
                id=bytes(r[1]),
                recipient=bytes(r[2]),
                frame=bytes(r[3]),
                created_at=int(r[4]),
                attempts=int(r[5]),
                next_attempt_at=int(r[6]),
                kind=str(r[7]),
            )
            for r in rows
        ]

    def mark_delivered(self, note: OutgoingNote, when: int) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE mailbox_outbox SET delivered_at = ?, frame = x'' "
                "WHERE circle = ? AND id = ? AND recipient = ?",
                (when, note.circle, note.id, note.recipient),
            )

    def mark_failed(self, note: OutgoingNote, next_attempt_at: int) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE mailbox_outbox SET attempts = attempts + 1, next_attempt_at = ? "
                "WHERE circle = ? AND id = ? AND recipient = ?",
                (next_attempt_at, note.circle, note.id, note.recipient),
            )

    def drop_outgoing(self, notes: Iterable[OutgoingNote]) -> int:
        keys = [(n.circle, n.id, n.recipient) for n in notes]
        if keys:
            with self._database.transaction() as connection:
                connection.executemany(
                    "DELETE FROM mailbox_outbox WHERE circle = ? AND id = ? AND recipient = ?",
                    keys,
                )
        return len(keys)

    def outgoing_count(self, circle: bytes) -> tuple[int, int]:
        """(delivered, undelivered) notes of ours for a circle."""
        rows = self._database.query(
            "SELECT count(delivered_at), count(*) - count(delivered_at) "
            "FROM mailbox_outbox WHERE circle = ?",
            (circle,),
        )
        return int(rows[0][0]), int(rows[0][1])

    # -- inbox --------------------------------------------------------------------------

    def add_incoming(self, note: IncomingNote) -> None:
        with self._database.transaction() as connection:
            _insert_incoming(connection, note)

    def incoming_sender(self, circle: bytes, note_id: bytes) -> bytes | None:
        """Who sent the note with this id, if we hold it."""
        rows = self._database.query(
            "SELECT sender FROM mailbox_inbox WHERE circle = ? AND id = ?", (circle, note_id)
        )
        return bytes(rows[0][0]) if rows else None

    def incoming_since(self, circle: bytes, sender: bytes, since: int) -> int:
        rows = self._database.query(
            "SELECT count(*) FROM mailbox_inbox WHERE circle = ? AND sender = ? "
            "AND received_at >= ?",
            (circle, sender, since),
        )
        return int(rows[0][0])

    def open_count(self, circle: bytes, kind: str) -> int:
        """How many notes of `kind` are not resolved yet (one query)."""
        rows = self._database.query(
            "SELECT count(*) FROM mailbox_inbox WHERE circle = ? AND kind = ? "
            "AND resolved_at IS NULL",
            (circle, kind),
        )
        return int(rows[0][0])

    def inbox(self, circle: bytes, kind: str) -> list[IncomingNote]:
        """The notes of `kind`, newest first."""
        rows = self._database.query(
            "SELECT circle, id, sender, kind, body, received_at, resolved_at, resolved_by "
            "FROM mailbox_inbox WHERE circle = ? AND kind = ? "
            "ORDER BY received_at DESC, id DESC",
            (circle, kind),
        )
        return [
            IncomingNote(
                circle=bytes(r[0]),
                id=bytes(r[1]),
                sender=bytes(r[2]),
                kind=str(r[3]),
                body=bytes(r[4]),
                received_at=int(r[5]),
                resolved_at=None if r[6] is None else int(r[6]),
                resolved_by=None if r[7] is None else bytes(r[7]),
            )
            for r in rows
        ]

    def resolve(self, circle: bytes, note_id: bytes, by: bytes, when: int, kind: str) -> bool:
        """Mark a note resolved (the first resolution stays); False when we hold no note of
        `kind` with this id."""
        rows = self._database.query(
            "SELECT 1 FROM mailbox_inbox WHERE circle = ? AND id = ? AND kind = ?",
            (circle, note_id, kind),
        )
        if not rows:
            return False
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE mailbox_inbox SET resolved_at = ?, resolved_by = ? "
                "WHERE circle = ? AND id = ? AND resolved_at IS NULL",
                (when, by, circle, note_id),
            )
        return True

    # -- the circle log, read-only ------------------------------------------------------

    def message(self, circle: bytes, message_id: bytes) -> StoredMessage | None:
        """An accepted message we hold, as its author signed it (evidence for a report); a
        deleted message (its signed bytes erased) is not found. Reads the circle store's
        table: the mailbox never writes the log."""
        rows = self._database.query(
            "SELECT author, signed FROM events WHERE circle = ? AND id = ? AND type = ? "
            "AND accepted = 1 AND length(signed) > 0",
            (circle, message_id, EventType.MESSAGE.value),
        )
        return StoredMessage(bytes(rows[0][0]), bytes(rows[0][1])) if rows else None

    def newest_edit(self, circle: bytes, message_id: bytes) -> bytes | None:
        return newest_edit(self._database, circle, message_id)


def newest_edit(database: Any, circle: bytes, message_id: bytes) -> bytes | None:
    """The signed EDIT that wrote an edited message's text as we show it now (its newest
    version, storage/content_store.py), None when never edited: a report carries it."""
    rows = database.query(
        "SELECT e.signed FROM message_versions v JOIN events e "
        "ON e.circle = v.circle AND e.id = v.version "
        "WHERE v.circle = ? AND v.message = ? AND v.version != ? AND length(e.signed) > 0 "
        "ORDER BY v.lamport DESC, v.version DESC LIMIT 1",
        (circle, message_id, message_id),
    )
    return bytes(rows[0][0]) if rows else None


def _insert_incoming(connection: Any, note: IncomingNote) -> None:
    connection.execute(
        "INSERT OR IGNORE INTO mailbox_inbox(circle, id, sender, kind, body, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (note.circle, note.id, note.sender, note.kind, note.body, note.received_at),
    )
