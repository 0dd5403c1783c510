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
    (
        2,
        """
        CREATE TABLE circles (
            id              BLOB PRIMARY KEY,
            name            TEXT NOT NULL,
            member_key      BLOB NOT NULL,
            signing_seed    BLOB NOT NULL,
            exchange_secret BLOB NOT NULL,
            joined_at       INTEGER NOT NULL,
            unread          INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE events (
            id       BLOB PRIMARY KEY,
            circle   BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            author   BLOB NOT NULL,
            seq      INTEGER NOT NULL,
            lamport  INTEGER NOT NULL,
            ts       INTEGER NOT NULL,
            type     TEXT NOT NULL,
            signed   BLOB NOT NULL,
            accepted INTEGER NOT NULL DEFAULT 1,
            text     TEXT
        ) WITHOUT ROWID;
        CREATE INDEX events_in_order ON events(circle, lamport, id);
        CREATE INDEX events_by_author ON events(circle, author, seq);
        CREATE TABLE epochs (
            circle BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            id     BLOB NOT NULL,
            secret BLOB NOT NULL,
            PRIMARY KEY (circle, id)
        ) WITHOUT ROWID;
        CREATE TABLE invites (
            circle     BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            key        BLOB NOT NULL,
            seed       BLOB NOT NULL,
            code       TEXT NOT NULL,
            max_uses   INTEGER NOT NULL,
            expires    INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (circle, key)
        ) WITHOUT ROWID;
        """,
    ),
    (
        3,
        """
        CREATE TABLE event_parents (
            circle BLOB NOT NULL,
            child  BLOB NOT NULL,
            parent BLOB NOT NULL,
            PRIMARY KEY (child, parent)
        ) WITHOUT ROWID;
        CREATE INDEX parents_by_parent ON event_parents(parent);
        CREATE INDEX events_control ON events(circle, lamport, id) WHERE type != 'message';
        CREATE TABLE member_sync (
            circle        BLOB NOT NULL,
            member        BLOB NOT NULL,
            holds_through INTEGER NOT NULL DEFAULT -1,
            last_sync     INTEGER,
            PRIMARY KEY (circle, member)
        ) WITHOUT ROWID;
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]


def pending(current_version: int) -> list[tuple[int, str]]:
    """Migrations still to apply to a database at `current_version`, in order."""
    return [(number, sql) for number, sql in MIGRATIONS if number > current_version]
