"""Attachments at rest (issue 15, migration 15): each message's manifest and its sealed
chunks, inside the encrypted profile database. A chunk is stored only after its hash was
checked against the signed manifest (engine/attachments.py); here it is only kept.

Only the engine thread touches it (it shares the engine's Database connection).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peerapp.core import attachment_policy as ap
from peerapp.core.attachments import Manifest
from peerapp.storage.database import Database

WANTED = "wanted"  # fetched whenever a member holding it is online
OVER_LIMIT = "over_limit"  # bigger than the circle's limit: never fetched
CLEARED = "cleared"  # the user cleared it: fetched again only when asked for


@dataclass(frozen=True, repr=False)
class StoredAttachment:
    circle: bytes
    message: bytes
    author: bytes
    lamport: int
    ts: int
    manifest: Manifest
    state: str
    have: int  # chunks held
    stored: int  # bytes of sealed chunks held

    def __repr__(self) -> str:
        return f"StoredAttachment(message={self.message.hex()}, have={self.have})"

    @property
    def complete(self) -> bool:
        return self.have == self.manifest.count

    @property
    def have_bytes(self) -> int:
        """Plaintext bytes held (what progress shows against `size`)."""
        return max(0, self.stored - self.have * ap.SEAL_OVERHEAD)


_COLUMNS = (
    "circle, message, author, lamport, ts, name, mime, size, chunk, file_key, hashes, "
    "thumb, state, have, stored"
)


def _row(row: tuple[Any, ...]) -> StoredAttachment:
    hashes = bytes(row[10])
    manifest = Manifest(
        name=str(row[5]),
        mime=str(row[6]),
        size=int(row[7]),
        chunk=int(row[8]),
        key=bytes(row[9]),
        hashes=tuple(hashes[i : i + ap.HASH_BYTES] for i in range(0, len(hashes), ap.HASH_BYTES)),
        thumb=bytes(row[11]),
    )
    return StoredAttachment(
        circle=bytes(row[0]),
        message=bytes(row[1]),
        author=bytes(row[2]),
        lamport=int(row[3]),
        ts=int(row[4]),
        manifest=manifest,
        state=str(row[12]),
        have=int(row[13]),
        stored=int(row[14]),
    )


class AttachmentStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def add(
        self,
        circle: bytes,
        message: bytes,
        *,
        author: bytes,
        lamport: int,
        ts: int,
        manifest: Manifest,
        state: str,
    ) -> bool:
        """Record a message's attachment (once; False when it was already known)."""
        with self._database.transaction() as connection:
            cursor = connection.execute(
                f"INSERT OR IGNORE INTO attachments({_COLUMNS}) "  # noqa: S608 (constant)
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                (
                    circle,
                    message,
                    author,
                    lamport,
                    ts,
                    manifest.name,
                    manifest.mime,
                    manifest.size,
                    manifest.chunk,
                    manifest.key,
                    b"".join(manifest.hashes),
                    manifest.thumb,
                    state,
                ),
            )
            return bool(cursor.rowcount)

    def get(self, circle: bytes, message: bytes) -> StoredAttachment | None:
        rows = self._database.query(
            f"SELECT {_COLUMNS} FROM attachments WHERE circle = ? AND message = ?",  # noqa: S608 (constant)
            (circle, message),
        )
        return _row(rows[0]) if rows else None

    def of_messages(
        self, circle: bytes, messages: Iterable[bytes]
    ) -> dict[bytes, StoredAttachment]:
        wanted = list(messages)
        found: dict[bytes, StoredAttachment] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._database.query(
                f"SELECT {_COLUMNS} FROM attachments WHERE circle = ? "  # noqa: S608 (constant)
                f"AND message IN ({marks})",
                (circle, *part),
            )
            for row in rows:
                found[bytes(row[1])] = _row(row)
        return found

    def in_circle(self, circle: bytes) -> list[StoredAttachment]:
        """Every attachment of a circle, newest first."""
        rows = self._database.query(
            f"SELECT {_COLUMNS} FROM attachments WHERE circle = ? "  # noqa: S608 (constant)
            "ORDER BY lamport DESC, message DESC",
            (circle,),
        )
        return [_row(row) for row in rows]

    def wanted(self, circle: bytes) -> list[StoredAttachment]:
        """Attachments still to fetch, oldest first (a conversation fills in order)."""
        rows = self._database.query(
            f"SELECT {_COLUMNS} FROM attachments WHERE circle = ? AND state = ? "  # noqa: S608 (constant)
            "AND have < length(hashes) / ? ORDER BY lamport, message",
            (circle, WANTED, ap.HASH_BYTES),
        )
        return [_row(row) for row in rows]

    def held_indexes(self, circle: bytes, message: bytes) -> set[int]:
        rows = self._database.query(
            "SELECT idx FROM attachment_chunks WHERE circle = ? AND message = ?",
            (circle, message),
        )
        return {int(row[0]) for row in rows}

    def add_chunks(
        self, circle: bytes, message: bytes, chunks: dict[int, bytes], *, wanted_only: bool = False
    ) -> int:
        """Keep checked chunks; returns how many were new (a chunk twice is kept once).

        wanted_only: keep them only if the attachment is still WANTED, checked in the same
        transaction (a fetch stores from a worker connection: the user may have cleared
        the file, or its message been deleted, since the chunks were asked for)."""
        added = 0
        added_bytes = 0
        with self._database.transaction() as connection:
            if (
                wanted_only
                and not connection.execute(
                    "SELECT 1 FROM attachments WHERE circle = ? AND message = ? AND state = ?",
                    (circle, message, WANTED),
                ).fetchone()
            ):
                return 0
            for index, data in chunks.items():
                cursor = connection.execute(
                    "INSERT OR IGNORE INTO attachment_chunks(circle, message, idx, data) "
                    "VALUES (?, ?, ?, ?)",
                    (circle, message, index, data),
                )
                if cursor.rowcount:
                    added += 1
                    added_bytes += len(data)
            if added:
                connection.execute(
                    "UPDATE attachments SET have = have + ?, stored = stored + ? "
                    "WHERE circle = ? AND message = ?",
                    (added, added_bytes, circle, message),
                )
        return added

    def chunks(self, circle: bytes, message: bytes, indexes: Iterable[int]) -> dict[int, bytes]:
        """The sealed chunks held among `indexes`."""
        wanted = sorted(set(indexes))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._database.query(
            "SELECT idx, data FROM attachment_chunks WHERE circle = ? AND message = ? "  # noqa: S608 (constant)
            f"AND idx IN ({marks})",
            (circle, message, *wanted),
        )
        return {int(row[0]): bytes(row[1]) for row in rows}

    def set_state(self, circle: bytes, message: bytes, state: str) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE attachments SET state = ? WHERE circle = ? AND message = ?",
                (state, circle, message),
            )

    def clear(self, circle: bytes, messages: Iterable[bytes], state: str = CLEARED) -> int:
        """Drop the chunks of these attachments (the manifests stay, marked `state`);
        returns the sealed bytes freed."""
        return self._drop_chunks(
            circle,
            messages,
            "UPDATE attachments SET state = ?, have = 0, stored = 0 "
            "WHERE circle = ? AND message = ?",
            (state,),
        )

    def forget(self, circle: bytes, messages: Iterable[bytes]) -> int:
        """Erase attachments whole (their messages were deleted): manifest, key, chunks."""
        return self._drop_chunks(
            circle, messages, "DELETE FROM attachments WHERE circle = ? AND message = ?", ()
        )

    def _drop_chunks(
        self,
        circle: bytes,
        messages: Iterable[bytes],
        then: str,
        then_first: tuple[str, ...],
    ) -> int:
        """Delete these attachments' chunks, then run `then` on each manifest (with
        `then_first` before the circle and the message), in one transaction; returns the
        sealed bytes freed."""
        freed = 0
        with self._database.transaction() as connection:
            for message in messages:
                row = connection.execute(
                    "SELECT stored FROM attachments WHERE circle = ? AND message = ?",
                    (circle, message),
                ).fetchone()
                if row is None:
                    continue
                freed += int(row[0])
                connection.execute(
                    "DELETE FROM attachment_chunks WHERE circle = ? AND message = ?",
                    (circle, message),
                )
                connection.execute(then, (*then_first, circle, message))
        return freed

    def forget_circle(self, circle: bytes) -> None:
        with self._database.transaction() as connection:
            connection.execute("DELETE FROM attachment_chunks WHERE circle = ?", (circle,))
            connection.execute("DELETE FROM attachments WHERE circle = ?", (circle,))

    def stored_by_author(self, circle: bytes) -> dict[bytes, int]:
        """Sealed bytes kept per author (what the attachment quotas start from)."""
        rows = self._database.query(
            "SELECT author, SUM(stored) FROM attachments WHERE circle = ? GROUP BY author",
            (circle,),
        )
        return {bytes(row[0]): int(row[1] or 0) for row in rows}
