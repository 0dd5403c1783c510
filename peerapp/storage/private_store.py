"""Private conversations at rest (engine/private_talk.py runs them; issue 14).

One row per private message we wrote or received, keyed by (circle, id), filed under the
other member of the conversation; `seq` is the order we stored them in, which is the
order each side shows. Each new row's text is indexed for search in the same
transaction (search_store.index_private; migration 17). Our own messages are read; a
received one is unread until `mark_read`. Whether ours reached the other is the mailbox
outbox's receipt (the note of the same id), read here with a join, never copied. Rows go
with their circle (ON DELETE CASCADE). Every write is one transaction. Only the engine
thread touches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerapp.storage.database import Database
from peerapp.storage.search_store import index_private


@dataclass(frozen=True, repr=False)
class StoredPrivate:
    circle: bytes
    member: bytes  # the other person of the conversation
    id: bytes
    author: bytes
    text: str
    ts: int  # ms, the author's clock
    stored_at: int  # ms, ours
    read: bool = False
    delivered: bool = False  # ours: the other's app acknowledged it
    seq: int = 0

    def __repr__(self) -> str:  # texts stay out of logs and failure reports
        return f"StoredPrivate(id={self.id.hex()}, seq={self.seq})"


@dataclass(frozen=True)
class ConversationRow:
    member: bytes
    messages: int
    unread: int
    last_at: int  # ms, ours: when the newest was stored
    opened_by: bytes  # the author of its first message


_COLUMNS = (
    "p.circle, p.member, p.id, p.author, p.text, p.ts, p.stored_at, p.read, "
    "o.delivered_at IS NOT NULL, p.seq"
)
_FROM = (
    "FROM private_messages p LEFT JOIN mailbox_outbox o "
    "ON o.circle = p.circle AND o.id = p.id AND o.recipient = p.member"
)


def _row(r: Any) -> StoredPrivate:
    return StoredPrivate(
        circle=bytes(r[0]),
        member=bytes(r[1]),
        id=bytes(r[2]),
        author=bytes(r[3]),
        text=str(r[4]),
        ts=int(r[5]),
        stored_at=int(r[6]),
        read=bool(r[7]),
        delivered=bool(r[8]),
        seq=int(r[9]),
    )


def insert(connection: Any, message: StoredPrivate) -> None:
    """Store one message in the caller's transaction (the mailbox's, for one we send: the
    note and our copy go together)."""
    cursor = connection.execute(
        "INSERT OR IGNORE INTO private_messages"
        "(circle, member, id, author, text, ts, stored_at, read) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            message.circle,
            message.member,
            message.id,
            message.author,
            message.text,
            message.ts,
            message.stored_at,
            int(message.read),
        ),
    )
    if cursor.rowcount == 1:  # a new row: searchable in the same transaction
        index_private(connection, int(cursor.lastrowid), message.circle, message.text)


class PrivateStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def add(self, message: StoredPrivate) -> None:
        with self._database.transaction() as connection:
            insert(connection, message)

    def author_of(self, circle: bytes, message_id: bytes) -> bytes | None:
        """Who wrote the message with this id, if we hold it (a replay, or an id taken)."""
        rows = self._database.query(
            "SELECT author FROM private_messages WHERE circle = ? AND id = ?", (circle, message_id)
        )
        return bytes(rows[0][0]) if rows else None

    def one(self, circle: bytes, message_id: bytes) -> StoredPrivate | None:
        rows = self._database.query(
            f"SELECT {_COLUMNS} {_FROM} WHERE p.circle = ? AND p.id = ?", (circle, message_id)
        )
        return _row(rows[0]) if rows else None

    def received_since(self, circle: bytes, author: bytes, since: int) -> int:
        rows = self._database.query(
            "SELECT count(*) FROM private_messages WHERE circle = ? AND author = ? "
            "AND member = author AND stored_at >= ?",
            (circle, author, since),
        )
        return int(rows[0][0])

    def wrote_to(self, circle: bytes, author: bytes, member: bytes) -> bool:
        """Whether `author` wrote at least one message in the conversation with `member`."""
        rows = self._database.query(
            "SELECT 1 FROM private_messages WHERE circle = ? AND member = ? AND author = ? LIMIT 1",
            (circle, member, author),
        )
        return bool(rows)

    def messages(
        self, circle: bytes, member: bytes, limit: int, before: bytes | None
    ) -> list[StoredPrivate]:
        """The newest `limit` messages with `member` (before the message `before`, if
        given), oldest first."""
        anchor = ""
        arguments: tuple[Any, ...] = (circle, member)
        if before is not None:
            anchor = "AND p.seq < (SELECT seq FROM private_messages WHERE circle = ? AND id = ?) "
            arguments = (*arguments, circle, before)
        rows = self._database.query(
            f"SELECT {_COLUMNS} {_FROM} WHERE p.circle = ? AND p.member = ? {anchor}"
            "ORDER BY p.seq DESC LIMIT ?",
            (*arguments, limit),
        )
        return [_row(r) for r in reversed(rows)]

    def conversations(self, circle: bytes) -> list[ConversationRow]:
        """Every conversation of the circle, the most recent first."""
        rows = self._database.query(
            "SELECT member, count(*), sum(read = 0), max(stored_at), "
            "(SELECT author FROM private_messages f WHERE f.circle = p.circle "
            " AND f.member = p.member ORDER BY f.seq LIMIT 1) "
            "FROM private_messages p WHERE circle = ? GROUP BY member "
            "ORDER BY max(seq) DESC",
            (circle,),
        )
        return [
            ConversationRow(bytes(r[0]), int(r[1]), int(r[2] or 0), int(r[3]), bytes(r[4]))
            for r in rows
        ]

    def unread(self, circle: bytes, member: bytes) -> int:
        rows = self._database.query(
            "SELECT count(*) FROM private_messages WHERE circle = ? AND member = ? AND read = 0",
            (circle, member),
        )
        return int(rows[0][0])

    def mark_read(self, circle: bytes, member: bytes) -> int:
        """Mark the conversation read; how many were unread."""
        with self._database.transaction() as connection:
            cursor = connection.execute(
                "UPDATE private_messages SET read = 1 WHERE circle = ? AND member = ? AND read = 0",
                (circle, member),
            )
            return int(cursor.rowcount)
