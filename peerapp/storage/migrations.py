"""Numbered schema migrations. Append only: a released migration never changes.

The database's `user_version` is the number of the last migration applied. Each
migration runs in its own transaction together with the version bump, so a crash leaves
the schema at a whole version.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE keys (
            name  TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE settings (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]


def pending(current_version: int) -> list[tuple[int, str]]:
    """Migrations still to apply to a database at `current_version`, in order."""
    return [(number, sql) for number, sql in MIGRATIONS if number > current_version]
