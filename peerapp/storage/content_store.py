"""Edits and reactions at rest (issue 15, migration 13): what the accepted EDIT and
REACTION events did to the messages they name.

Storage contract (search reads it): an edit UPDATEs the message's own row in `events`
(text and cw) to its newest version; every version, the original included, stays in
`message_versions` for facilitators until the message is deleted (circle_store's erase
takes them, and the EDIT events that carried them, with the message). Versions and
reactions are ordered by log order (lamport, then event id), so edits and toggles that
arrive in any order end in the same place on every replica.

Only the engine thread touches it (it shares the engine's Database connection).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peerapp.core.circle_events import Event, EventType, decode_event, split_signed
from peerapp.core.content_rules import Target
from peerapp.storage.database import Database


@dataclass(frozen=True)
class Version:
    """One version of a message's text: the original's id, or the EDIT's that wrote it."""

    version: bytes
    lamport: int
    ts: int
    text: str
    cw: str


@dataclass(frozen=True)
class Reaction:
    message: bytes
    member: bytes
    reaction: str


@dataclass(frozen=True)
class ReactionState:
    """A member's newest REACTION of one kind on a message: on or off, and which event
    (by log order) said so."""

    reaction: Reaction
    active: bool
    lamport: int
    event: bytes


class ContentStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def accepted_content_events(self, circle_id: bytes) -> list[tuple[bytes, Event]]:
        """Every accepted EDIT and REACTION the circle holds (not erased), in log order:
        (event id, the event). For rebuilding effects when a resolution changed verdicts
        (rare: a removal or mute concurrent with content)."""
        rows = self._database.query(
            "SELECT id, signed FROM events WHERE circle = ? AND type IN (?, ?) "
            "AND accepted = 1 AND length(signed) > 0 ORDER BY lamport, id",
            (circle_id, EventType.EDIT.value, EventType.REACTION.value),
        )
        return [(bytes(i), decode_event(split_signed(bytes(signed))[0])) for i, signed in rows]

    def rebuild(
        self,
        circle_id: bytes,
        message_id: bytes,
        versions: list[Version],
        reactions: list[ReactionState],
    ) -> None:
        """Replace what the message's EDITs and REACTIONs did with exactly `versions` (the
        accepted edits' ones; the original is kept with them) and `reactions`: the
        message's row gets the newest version's text back (the original's when no edit
        is left)."""
        with self._database.transaction() as connection:
            original = connection.execute(
                "SELECT text, cw FROM message_versions WHERE circle = ? AND message = ? "
                "AND version = ?",
                (circle_id, message_id, message_id),
            ).fetchone()
            row = connection.execute(
                "SELECT lamport, ts, text, cw FROM events WHERE circle = ? AND id = ? "
                "AND type = ? AND length(signed) > 0",
                (circle_id, message_id, EventType.MESSAGE.value),
            ).fetchone()
            connection.execute(
                "DELETE FROM message_versions WHERE circle = ? AND message = ?",
                (circle_id, message_id),
            )
            connection.execute(
                "DELETE FROM reactions WHERE circle = ? AND message = ?", (circle_id, message_id)
            )
            connection.executemany(
                "INSERT INTO reactions(circle, message, member, reaction, active, lamport, event)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        circle_id,
                        message_id,
                        r.reaction.member,
                        r.reaction.reaction,
                        int(r.active),
                        r.lamport,
                        r.event,
                    )
                    for r in reactions
                ],
            )
            if row is None:
                return  # not held, or erased: no text to restore
            lamport, ts, text, cw = row
            if original is not None:
                text, cw = original  # the row holds an edit's text: the original is kept here
            if versions:
                every = [
                    Version(message_id, int(lamport), int(ts), text or "", cw or ""),
                    *versions,
                ]
                connection.executemany(
                    "INSERT OR IGNORE INTO message_versions"
                    "(circle, message, version, lamport, ts, text, cw) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (circle_id, message_id, v.version, v.lamport, v.ts, v.text, v.cw or None)
                        for v in every
                    ],
                )
                newest = max(every, key=lambda v: (v.lamport, v.version))
                text, cw = newest.text, newest.cw or None
            connection.execute(
                "UPDATE events SET text = ?, cw = ? WHERE circle = ? AND id = ?",
                (text, cw, circle_id, message_id),
            )

    def target(self, circle_id: bytes, message_id: bytes) -> Target | None:
        """The accepted MESSAGE `message_id` as content_rules judges it, if held."""
        rows = self._database.query(
            "SELECT author, ts, lamport, length(signed) = 0, mood IS NOT NULL FROM events "
            "WHERE circle = ? AND id = ? AND type = ? AND accepted = 1",
            (circle_id, message_id, EventType.MESSAGE.value),
        )
        if not rows:
            return None
        author, ts, lamport, deleted, check_in = rows[0]
        return Target(bytes(author), int(ts), int(lamport), bool(deleted), bool(check_in))

    def add_version(
        self, circle_id: bytes, message_id: bytes, version: Version
    ) -> tuple[str, str] | None:
        """Keep an edit's version (the original's first, once) and set the message's row to
        the newest version's text and cw: returns that (text, cw), None when the message
        is not held or erased (nothing is kept then)."""
        with self._database.transaction() as connection:
            row = connection.execute(
                "SELECT lamport, ts, text, cw FROM events WHERE circle = ? AND id = ? "
                "AND type = ? AND length(signed) > 0",
                (circle_id, message_id, EventType.MESSAGE.value),
            ).fetchone()
            if row is None:
                return None
            lamport, ts, text, cw = row
            insert = (
                "INSERT OR IGNORE INTO message_versions"
                "(circle, message, version, lamport, ts, text, cw) VALUES (?, ?, ?, ?, ?, ?, ?)"
            )
            # the original, before its row's text is replaced
            connection.execute(
                insert, (circle_id, message_id, message_id, lamport, ts, text or "", cw)
            )
            connection.execute(
                insert,
                (
                    circle_id,
                    message_id,
                    version.version,
                    version.lamport,
                    version.ts,
                    version.text,
                    version.cw or None,
                ),
            )
            newest_text, newest_cw = connection.execute(
                "SELECT text, cw FROM message_versions WHERE circle = ? AND message = ? "
                "ORDER BY lamport DESC, version DESC LIMIT 1",
                (circle_id, message_id),
            ).fetchone()
            connection.execute(
                "UPDATE events SET text = ?, cw = ? WHERE circle = ? AND id = ?",
                (newest_text, newest_cw, circle_id, message_id),
            )
        return str(newest_text), "" if newest_cw is None else str(newest_cw)

    def versions(self, circle_id: bytes, message_id: bytes) -> list[Version]:
        """Every version of an edited message, oldest first ([] when never edited)."""
        rows = self._database.query(
            "SELECT version, lamport, ts, text, cw FROM message_versions "
            "WHERE circle = ? AND message = ? ORDER BY lamport, version",
            (circle_id, message_id),
        )
        return [
            Version(bytes(r[0]), int(r[1]), int(r[2]), str(r[3]), "" if r[4] is None else str(r[4]))
            for r in rows
        ]

    def versions_of(
        self, circle_id: bytes, message_ids: Iterable[bytes]
    ) -> dict[bytes, list[Version]]:
        """`versions` of each of `message_ids` that was edited, in one read per 500."""
        ids = list(set(message_ids))
        found: dict[bytes, list[Version]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._database.query(
                "SELECT message, version, lamport, ts, text, cw FROM message_versions "  # noqa: S608 (only ? marks)
                f"WHERE circle = ? AND message IN ({marks}) ORDER BY lamport, version",
                (circle_id, *chunk),
            )
            for r in rows:
                cw = "" if r[5] is None else str(r[5])
                version = Version(bytes(r[1]), int(r[2]), int(r[3]), str(r[4]), cw)
                found.setdefault(bytes(r[0]), []).append(version)
        return found

    def edited(self, circle_id: bytes, message_ids: Iterable[bytes]) -> set[bytes]:
        """Those of `message_ids` that have been edited."""
        ids = list(set(message_ids))
        found: set[bytes] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._database.query(
                f"SELECT DISTINCT message FROM message_versions WHERE circle = ? "  # noqa: S608 (only ? marks)
                f"AND message IN ({marks})",
                (circle_id, *chunk),
            )
            found.update(bytes(row[0]) for row in rows)
        return found

    def set_reaction(
        self,
        circle_id: bytes,
        reaction: Reaction,
        *,
        active: bool,
        lamport: int,
        event_id: bytes,
    ) -> bool:
        """Record a member's reaction on or off, unless a later one (by log order) is
        already recorded; True when what shows changed."""
        key = (circle_id, reaction.message, reaction.member, reaction.reaction)
        with self._database.transaction() as connection:
            before = connection.execute(
                "SELECT active, lamport, event FROM reactions "
                "WHERE circle = ? AND message = ? AND member = ? AND reaction = ?",
                key,
            ).fetchone()
            if before is not None and (int(before[1]), bytes(before[2])) >= (lamport, event_id):
                return False
            connection.execute(
                "INSERT OR REPLACE INTO reactions"
                "(circle, message, member, reaction, active, lamport, event) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*key, int(active), lamport, event_id),
            )
        was_active = before is not None and bool(before[0])
        return was_active != active

    def active_count(self, circle_id: bytes, message_id: bytes, member: bytes) -> int:
        """How many reactions `member` has on the message now."""
        rows = self._database.query(
            "SELECT count(*) FROM reactions WHERE circle = ? AND message = ? AND member = ? "
            "AND active = 1",
            (circle_id, message_id, member),
        )
        return int(rows[0][0])

    def is_active(self, circle_id: bytes, reaction: Reaction) -> bool:
        rows = self._database.query(
            "SELECT 1 FROM reactions WHERE circle = ? AND message = ? AND member = ? "
            "AND reaction = ? AND active = 1",
            (circle_id, reaction.message, reaction.member, reaction.reaction),
        )
        return bool(rows)

    def reactions(self, circle_id: bytes, message_ids: Iterable[bytes]) -> list[Reaction]:
        """The reactions on now on these messages, in the order they were given."""
        ids = list(set(message_ids))
        found: list[tuple[int, bytes, Reaction]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._database.query(
                "SELECT message, member, reaction, lamport, event FROM reactions "  # noqa: S608 (only ? marks)
                f"WHERE circle = ? AND active = 1 AND message IN ({marks})",
                (circle_id, *chunk),
            )
            found.extend(
                (int(r[3]), bytes(r[4]), Reaction(bytes(r[0]), bytes(r[1]), str(r[2])))
                for r in rows
            )
        return [reaction for _, _, reaction in sorted(found, key=lambda f: (f[0], f[1]))]
