"""Receiving keys at rest (issue 11): each membership's current X25519 exchange key is
`circles.exchange_secret`; a replaced one moves to `retired_exchange_keys` and is deleted
once its grace period is over, so a device seized later holds no key that opens the
epochs sealed to it.

Deleting is only half of forgetting: `secure_delete` zeroes the freed pages of the main
file, and a WAL checkpoint drops the page images the write-ahead log still holds.
"""

from __future__ import annotations

from peerapp.storage.database import Database


class ExchangeKeyStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def made_at(self, circle_id: bytes) -> int | None:
        """When the current exchange key was made (ms), None for an unknown circle."""
        rows = self._database.query(
            "SELECT coalesce(exchange_at, joined_at) FROM circles WHERE id = ?", (circle_id,)
        )
        return int(rows[0][0]) if rows else None

    def replace(self, circle_id: bytes, secret: bytes, now_ms: int) -> None:
        """Make `secret` the current key; the one it replaces is retired at `now_ms`."""
        with self._database.transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO retired_exchange_keys(circle, secret, retired_at) "
                "SELECT id, exchange_secret, ? FROM circles WHERE id = ?",
                (now_ms, circle_id),
            )
            connection.execute(
                "UPDATE circles SET exchange_secret = ?, exchange_at = ? WHERE id = ?",
                (secret, now_ms, circle_id),
            )

    def retired(self, circle_id: bytes) -> list[bytes]:
        """Replaced keys still in their grace period, newest first."""
        rows = self._database.query(
            "SELECT secret FROM retired_exchange_keys WHERE circle = ? "
            "ORDER BY retired_at DESC, secret",
            (circle_id,),
        )
        return [bytes(row[0]) for row in rows]

    def discard(self, circle_id: bytes, unused: bytes) -> None:
        """Removed from the circle: its current key becomes `unused` (a key no event
        names), its replaced keys are deleted."""
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE circles SET exchange_secret = ? WHERE id = ?", (unused, circle_id)
            )
            connection.execute("DELETE FROM retired_exchange_keys WHERE circle = ?", (circle_id,))
        self._database.checkpoint()

    def forget_retired(self, retired_before_ms: int) -> int:
        """Delete every replaced key retired before that time; returns how many."""
        with self._database.transaction() as connection:
            cursor = connection.execute(
                "DELETE FROM retired_exchange_keys WHERE retired_at < ?", (retired_before_ms,)
            )
            deleted = int(cursor.rowcount)
        if deleted:
            self._database.checkpoint()
        return deleted
