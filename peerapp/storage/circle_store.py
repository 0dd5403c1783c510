"""Circles at rest: memberships with their keys, the signed event log, epoch secrets and
the invites this profile made. Every write is one transaction; batches stay batches.

Only the engine thread touches it (it shares the engine's Database connection).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peerapp.core.circle_events import CONTENT_TYPES, EventType
from peerapp.core.sync_messages import Bucket
from peerapp.storage.boundaries_store import READER_SEES, READER_SEES_PARAMETERS
from peerapp.storage.database import Database
from peerapp.storage.search_store import index_new
from peerapp.storage.sync_summary import BucketSums


@dataclass(frozen=True, repr=False)
class Membership:
    circle_id: bytes
    name: str
    member_key: bytes
    signing_seed: bytes
    exchange_secret: bytes
    joined_at: int
    unread: int

    def __repr__(self) -> str:
        return f"Membership(circle={self.circle_id.hex()}, name=...)"


@dataclass(frozen=True)
class StoredEvent:
    id: bytes
    circle: bytes
    author: bytes
    seq: int
    lamport: int
    ts: int
    type: EventType
    signed: bytes
    text: str | None
    prev: tuple[bytes, ...] = ()
    cw: str = ""  # messages: the content warning, "" when none
    mood: int = 0  # messages: a check-in's mood 1..5, 0 when not a check-in
    reply_to: bytes | None = None  # messages: the message this one answers (issue 15)


@dataclass(frozen=True)
class MemberSync:
    member: bytes
    holds_through: int  # the member holds every event of ours up to this lamport
    last_sync: int | None  # ms since the epoch


@dataclass(frozen=True)
class StoredInvite:
    key: bytes
    code: str
    max_uses: int
    expires: int
    created_at: int


_UNRESOLVED = "unresolved_circle:"  # settings name prefix (mark_unresolved)
NO_LIMIT = 2**62  # above any lamport (they are bounded by 2**53)
HEADS_AMONG = 128  # heads are looked for among this many newest events
_EVENT_COLUMNS = "id, circle, author, seq, lamport, ts, type, signed, text, cw, mood, reply_to"
# content (issue 15): sealed like messages, offered only from a member's message horizon
_CONTENT = "(" + ",".join(f"'{kind.value}'" for kind in sorted(CONTENT_TYPES, key=str)) + ")"
# A deleted message keeps its row (id, author, order, parents: the DAG stays whole) with its
# signed bytes and text erased; sync neither lists nor sends it.
# (queries say so as `length(signed) > 0`)
# history leaves out what the reader chose not to see (blocked members, hidden topics)
# in the SQL itself, so a page of `limit` is exactly that many shown messages
_LATEST_MESSAGES = (
    f"SELECT {_EVENT_COLUMNS} FROM events WHERE circle = ? AND type = ? AND accepted = 1 "  # noqa: S608 (constant)
    f"AND {READER_SEES} ORDER BY lamport DESC, id DESC LIMIT ?"
)
_MESSAGES_BEFORE = (
    f"SELECT {_EVENT_COLUMNS} FROM events WHERE circle = ? AND type = ? AND accepted = 1 "  # noqa: S608 (constant)
    f"AND {READER_SEES} AND (lamport, id) < (?, ?) ORDER BY lamport DESC, id DESC LIMIT ?"
)


class CircleStore:
    def __init__(self, database: Database) -> None:
        self._database = database
        # circle id -> its sync summary's sums, once read (sync_summary.py)
        self._sums: dict[bytes, BucketSums] = {}

    # -- memberships --------------------------------------------------------------

    def add_membership(self, membership: Membership) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "INSERT INTO circles(id, name, member_key, signing_seed, exchange_secret, "
                "joined_at, unread) VALUES (?, ?, ?, ?, ?, ?, 0)",
                (
                    membership.circle_id,
                    membership.name,
                    membership.member_key,
                    membership.signing_seed,
                    membership.exchange_secret,
                    membership.joined_at,
                ),
            )

    def memberships(self) -> list[Membership]:
        rows = self._database.query(
            "SELECT id, name, member_key, signing_seed, exchange_secret, joined_at, unread "
            "FROM circles ORDER BY joined_at, id"
        )
        return [Membership(*row) for row in rows]

    def rename(self, circle_id: bytes, name: str) -> None:
        with self._database.transaction() as connection:
            connection.execute("UPDATE circles SET name = ? WHERE id = ?", (name, circle_id))

    def add_unread(self, circle_id: bytes, count: int) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE circles SET unread = unread + ? WHERE id = ?", (count, circle_id)
            )

    def unread(self, circle_id: bytes) -> int:
        """A circle's unread count (0 for a circle not stored)."""
        rows = self._database.query("SELECT unread FROM circles WHERE id = ?", (circle_id,))
        return int(rows[0][0]) if rows else 0

    def mark_read(self, circle_id: bytes) -> None:
        with self._database.transaction() as connection:
            connection.execute("UPDATE circles SET unread = 0 WHERE id = ?", (circle_id,))

    # -- the event log ------------------------------------------------------------

    def add_events(self, events: Iterable[StoredEvent]) -> list[bytes]:
        """Store new events in one transaction; returns the ids that were not there yet."""
        batch = list({event.id: event for event in events}.values())
        if not batch:
            return []
        held = self.present(event.id for event in batch)
        new = [event for event in batch if event.id not in held]
        with self._database.transaction() as connection:
            connection.executemany(
                "INSERT OR IGNORE INTO events(id, circle, author, seq, lamport, ts, type, "
                "signed, accepted, text, cw, mood, reply_to) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                [
                    (
                        event.id,
                        event.circle,
                        event.author,
                        event.seq,
                        event.lamport,
                        event.ts,
                        event.type.value,
                        event.signed,
                        event.text,
                        event.cw or None,
                        event.mood or None,
                        event.reply_to,
                    )
                    for event in new
                ],
            )
            connection.executemany(
                "INSERT OR IGNORE INTO event_parents(circle, child, parent) VALUES (?, ?, ?)",
                [(event.circle, event.id, parent) for event in new for parent in event.prev],
            )
            # the search index follows in the same transaction (search_store.py)
            index_new(connection, [(event.id, event.type, event.text) for event in new])
        for event in new:
            sums = self._sums.get(event.circle)
            if sums is not None:
                sums.add(event.lamport, event.id, event.type in CONTENT_TYPES)
        return [event.id for event in new]

    def breaks_seq_order(self, circle_id: bytes, stored: StoredEvent) -> bool:
        """Does another stored event of the same author contradict `stored`'s seq, i.e. sort
        after it with a seq not above it, or before it with a seq not below it?

        Two queries, each on its own index, so each reads only the author's events that
        sort after this one, or those whose seq is not below it: for an honest author
        that is none or a few, whatever the log's length (one query with OR read every
        event of the author, 42 ms at 30,000 events)."""
        order = (stored.lamport, stored.lamport, stored.id)
        after = self._database.query(
            "SELECT 1 FROM events INDEXED BY events_by_author_in_order "
            "WHERE circle = ? AND author = ? AND id != ? AND seq <= ? "
            "AND (lamport > ? OR (lamport = ? AND id > ?)) LIMIT 1",
            (circle_id, stored.author, stored.id, stored.seq, *order),
        )
        if after:
            return True
        return bool(
            self._database.query(
                "SELECT 1 FROM events INDEXED BY events_by_author "
                "WHERE circle = ? AND author = ? AND id != ? AND seq >= ? "
                "AND (lamport < ? OR (lamport = ? AND id < ?)) LIMIT 1",
                (circle_id, stored.author, stored.id, stored.seq, *order),
            )
        )

    def parent_facts(
        self, circle_id: bytes, event_ids: Iterable[bytes]
    ) -> dict[bytes, tuple[int, int]]:
        """(lamport, ts) of those of `event_ids` stored in this circle."""
        ids = list(set(event_ids))
        found: dict[bytes, tuple[int, int]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._database.query(
                f"SELECT id, lamport, ts FROM events WHERE circle = ? AND id IN ({marks})",  # noqa: S608 (only ? marks)
                (circle_id, *chunk),
            )
            found.update({bytes(row[0]): (int(row[1]), int(row[2])) for row in rows})
        return found

    def equivocations(self, circle_id: bytes, author: bytes) -> list[StoredEvent]:
        """Every stored event of `author` whose seq another of its stored events shares,
        by seq then log order."""
        rows = self._database.query(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE circle = ? AND author = ? AND seq IN "  # noqa: S608 (constant)
            "(SELECT seq FROM events WHERE circle = ? AND author = ? GROUP BY seq "
            "HAVING count(*) > 1) ORDER BY seq, lamport, id",
            (circle_id, author, circle_id, author),
        )
        return [_stored_event(row) for row in rows]

    def seq_count(self, circle_id: bytes, author: bytes, seq: int) -> int:
        rows = self._database.query(
            "SELECT count(*) FROM events WHERE circle = ? AND author = ? AND seq = ?",
            (circle_id, author, seq),
        )
        return int(rows[0][0])

    def lamports(self, event_ids: Iterable[bytes]) -> dict[bytes, int]:
        ids = list(event_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._database.query(
            f"SELECT id, lamport FROM events WHERE id IN ({marks})",  # noqa: S608 (only ? marks)
            tuple(ids),
        )
        return {bytes(row[0]): int(row[1]) for row in rows}

    def events_in_order(self, circle_id: bytes) -> list[StoredEvent]:
        rows = self._database.query(
            f"SELECT {_EVENT_COLUMNS} FROM events "  # noqa: S608 (constant)
            "WHERE circle = ? ORDER BY lamport, id",
            (circle_id,),
        )
        return [_stored_event(row) for row in rows]

    def events_to_resolve(
        self, circle_id: bytes, after: tuple[int, bytes] = (-1, b""), limit: int = -1
    ) -> list[StoredEvent]:
        """Events as resolution needs them, in log order after `after`, at most `limit`
        (-1: all): messages without their text and signed bytes (resolution reads only
        their header), so a big log loads quickly, and in pages between which the engine
        can answer."""
        rows = self._database.query(
            "SELECT id, circle, author, seq, lamport, ts, type, "  # noqa: S608 (constant)
            f"CASE WHEN type IN {_CONTENT} THEN x'' ELSE signed END, NULL, NULL, NULL, NULL "
            "FROM events WHERE circle = ? AND (lamport, id) > (?, ?) "
            "ORDER BY lamport, id LIMIT ?",
            (circle_id, after[0], after[1], limit),
        )
        return [_stored_event(row) for row in rows]

    def parents_page(
        self, circle_id: bytes, after: tuple[bytes, bytes], limit: int
    ) -> tuple[dict[bytes, list[bytes]], tuple[bytes, bytes] | None]:
        """`parents` in pages: this circle's links among the next `limit` rows above
        `after` in (child, parent) order (every circle's rows count: the key is by child),
        and the last row's key, None when there are no more rows."""
        rows = self._database.query(
            "SELECT child, parent, circle FROM event_parents WHERE (child, parent) > (?, ?) "
            "ORDER BY child, parent LIMIT ?",
            (after[0], after[1], limit),
        )
        links: dict[bytes, list[bytes]] = {}
        for child, parent, circle in rows:
            if bytes(circle) == circle_id:
                links.setdefault(bytes(child), []).append(bytes(parent))
        last = (bytes(rows[-1][0]), bytes(rows[-1][1])) if len(rows) == limit else None
        return links, last

    def mark_unresolved(self, circle_id: bytes, unresolved: bool) -> None:
        """Remember (across a restart) that late events of this circle wait for a
        whole-log resolution."""
        name = _UNRESOLVED + circle_id.hex()
        with self._database.transaction() as connection:
            if unresolved:
                connection.execute(
                    "INSERT OR REPLACE INTO settings(name, value) VALUES (?, '1')", (name,)
                )
            else:
                connection.execute("DELETE FROM settings WHERE name = ?", (name,))

    def unresolved(self, circle_id: bytes) -> bool:
        return self._database.setting(_UNRESOLVED + circle_id.hex()) is not None

    def control_events_in_order(self, circle_id: bytes) -> list[StoredEvent]:
        rows = self._database.query(
            f"SELECT {_EVENT_COLUMNS} FROM events "  # noqa: S608 (constant)
            # the literal matches the partial index events_control: no scan of the messages
            "WHERE circle = ? AND type != 'message' ORDER BY lamport, id",
            (circle_id,),
        )
        return [_stored_event(row) for row in rows]

    def last_seqs(self, circle_id: bytes) -> dict[bytes, int]:
        rows = self._database.query(
            # every stored seq counts, refused ones too: an author's later events are above them
            "SELECT author, max(seq) FROM events WHERE circle = ? GROUP BY author",
            (circle_id,),
        )
        return {bytes(row[0]): int(row[1]) for row in rows}

    def last_lamport_by(self, circle_id: bytes, author: bytes) -> int:
        """The lamport of the author's newest stored event (-1 if none)."""
        rows = self._database.query(
            "SELECT max(lamport) FROM events WHERE circle = ? AND author = ?", (circle_id, author)
        )
        return -1 if rows[0][0] is None else int(rows[0][0])

    def last_order_key(self, circle_id: bytes) -> tuple[int, bytes]:
        rows = self._database.query(
            "SELECT lamport, id FROM events WHERE circle = ? "
            "ORDER BY lamport DESC, id DESC LIMIT 1",
            (circle_id,),
        )
        return (int(rows[0][0]), bytes(rows[0][1])) if rows else (-1, b"")

    def set_refused(self, circle_id: bytes, refused: set[bytes]) -> None:
        """Mark exactly `refused` as not accepted among the circle's events."""
        with self._database.transaction() as connection:
            connection.execute("UPDATE events SET accepted = 1 WHERE circle = ?", (circle_id,))
            connection.executemany(
                "UPDATE events SET accepted = 0 WHERE id = ?", [(i,) for i in refused]
            )

    def update_verdicts(self, refused: Iterable[bytes], accepted: Iterable[bytes]) -> None:
        """Mark the events whose verdict changed (cheaper than set_refused's rewrite)."""
        with self._database.transaction() as connection:
            connection.executemany(
                "UPDATE events SET accepted = 0 WHERE id = ?", [(i,) for i in refused]
            )
            connection.executemany(
                "UPDATE events SET accepted = 1 WHERE id = ?", [(i,) for i in accepted]
            )

    def max_lamport(self, circle_id: bytes) -> int:
        rows = self._database.query(
            "SELECT max(lamport) FROM events WHERE circle = ?", (circle_id,)
        )
        return -1 if rows[0][0] is None else int(rows[0][0])

    def mark_refused(self, event_ids: Iterable[bytes]) -> None:
        with self._database.transaction() as connection:
            connection.executemany(
                "UPDATE events SET accepted = 0 WHERE id = ?", [(i,) for i in event_ids]
            )

    def heads(self, circle_id: bytes, limit: int = 32) -> list[bytes]:
        """Events no other stored event names as a parent, newest first (bounded), among
        the newest HEADS_AMONG events: an older branch nothing built on stays where it is
        (its events are stored and synced all the same), and the query's cost does not
        grow with the log (12 ms a send at 30,000 events before)."""
        rows = self._database.query(
            "SELECT id FROM (SELECT id, lamport FROM events WHERE circle = ? "
            "ORDER BY lamport DESC, id DESC LIMIT ?) AS e WHERE NOT EXISTS "
            "(SELECT 1 FROM event_parents AS p WHERE p.parent = e.id) "
            "ORDER BY lamport DESC, id DESC LIMIT ?",
            (circle_id, HEADS_AMONG, limit),
        )
        return [bytes(row[0]) for row in rows]

    def event_count(self, circle_id: bytes) -> int:
        return int(
            self._database.query("SELECT count(*) FROM events WHERE circle = ?", (circle_id,))[0][0]
        )

    def event(self, circle_id: bytes, event_id: bytes) -> StoredEvent | None:
        rows = self._database.query(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE circle = ? AND id = ?",  # noqa: S608 (constant)
            (circle_id, event_id),
        )
        return _stored_event(rows[0]) if rows else None

    def parents(self, circle_id: bytes) -> dict[bytes, tuple[bytes, ...]]:
        """Every stored event's parents (child -> prev), for causal-past walks."""
        links: dict[bytes, list[bytes]] = {}
        for child, parent in self._database.query(
            "SELECT child, parent FROM event_parents WHERE circle = ?", (circle_id,)
        ):
            links.setdefault(bytes(child), []).append(bytes(parent))
        return {child: tuple(prev) for child, prev in links.items()}

    def erase_messages(
        self, circle_id: bytes, targets: Iterable[tuple[bytes, bytes]]
    ) -> list[bytes]:
        """Erase the text and signed bytes of deleted messages, each only if its stored author
        is the one the DELETE named; returns the ids erased. secure_delete overwrites the
        freed bytes, and a WAL checkpoint drops the old page images."""
        erased: list[bytes] = []
        with self._database.transaction() as connection:
            for message_id, author in targets:
                cursor = connection.execute(
                    "UPDATE events SET signed = x'', text = NULL, cw = NULL, mood = NULL "
                    "WHERE circle = ? AND id = ? "
                    "AND author = ? AND type = ? AND length(signed) > 0",
                    (circle_id, message_id, author, EventType.MESSAGE.value),
                )
                if cursor.rowcount:
                    erased.append(message_id)
            _erase_edits_and_reactions(connection, circle_id, erased)
        if erased:
            self._sums.pop(circle_id, None)  # erased messages leave the sync summary
            self._database.checkpoint()
        return erased

    def erase_events(self, circle_id: bytes, event_ids: Iterable[bytes]) -> None:
        """Erase content events' signed bytes (an EDIT of a deleted message: its text must
        not outlive the message); their rows stay, so the log keeps its shape."""
        with self._database.transaction() as connection:
            connection.executemany(
                "UPDATE events SET signed = x'' WHERE circle = ? AND id = ?",
                [(circle_id, event_id) for event_id in event_ids],
            )
        self._sums.pop(circle_id, None)

    # -- disk use -----------------------------------------------------------------------

    def usage_by_author(self, circle_id: bytes) -> dict[bytes, tuple[int, int]]:
        """author -> (events stored, bytes of signed events kept) for one circle; erased
        messages keep their rows but count no bytes."""
        rows = self._database.query(
            "SELECT author, count(*), coalesce(sum(length(signed)), 0) FROM events "
            "WHERE circle = ? GROUP BY author",
            (circle_id,),
        )
        return {bytes(row[0]): (int(row[1]), int(row[2])) for row in rows}

    def stored_bytes_by_author(self, circle_id: bytes) -> dict[bytes, int]:
        return {a: size for a, (_, size) in self.usage_by_author(circle_id).items()}

    def erase_author_messages(self, circle_id: bytes, author: bytes) -> tuple[int, int]:
        """Erase every stored message of `author` in this circle as a delete does (rows,
        order and parents stay; signed bytes and text go), and its edits and reactions
        with them (content it stored like its messages, charged to the same quota: its
        reactions on others' messages go too); returns (messages, bytes erased)."""
        content = (EventType.MESSAGE.value, EventType.EDIT.value, EventType.REACTION.value)
        with self._database.transaction() as connection:
            # bytes first: erasing the messages' edits below empties some of these rows
            erased = connection.execute(
                "SELECT coalesce(sum(length(signed)), 0) FROM events "
                "WHERE circle = ? AND author = ? AND type IN (?, ?, ?)",
                (circle_id, author, *content),
            ).fetchone()[0]
            messages = connection.execute(
                "SELECT id FROM events WHERE circle = ? AND author = ? AND type = ? "
                "AND length(signed) > 0",
                (circle_id, author, EventType.MESSAGE.value),
            ).fetchall()
            connection.execute(
                "UPDATE events SET signed = x'', text = NULL, cw = NULL, mood = NULL "
                "WHERE circle = ? AND author = ? AND type IN (?, ?, ?) AND length(signed) > 0",
                (circle_id, author, *content),
            )
            _erase_edits_and_reactions(connection, circle_id, [bytes(r[0]) for r in messages])
            connection.execute(
                "DELETE FROM reactions WHERE circle = ? AND member = ?", (circle_id, author)
            )
        count = len(messages)
        if erased:
            self._sums.pop(circle_id, None)  # erased messages leave the sync summary
            self._database.checkpoint()
        return count, int(erased)

    # -- sync -------------------------------------------------------------------------

    def summary(
        self, circle_id: bytes, messages_from: int = 0, through: int = NO_LIMIT
    ) -> dict[int, Bucket]:
        """The sync summary of every event up to lamport `through`, leaving out messages
        older than `messages_from` (erased messages are not offered, so not counted)."""
        sums = self._sums.get(circle_id)
        if sums is None:
            rows = self._database.query(
                f"SELECT lamport, id, type IN {_CONTENT} FROM events "  # noqa: S608 (constant)
                "WHERE circle = ? AND length(signed) > 0",
                (circle_id,),
            )
            sums = BucketSums.of((int(r[0]), bytes(r[1]), bool(r[2])) for r in rows)
            self._sums[circle_id] = sums

        def read_range(low: int, high: int, messages_from: int) -> list[tuple[int, bytes]]:
            rows = self._database.query(
                "SELECT lamport, id FROM events WHERE circle = ? AND lamport BETWEEN ? AND ? "  # noqa: S608 (constant)
                f"AND (type NOT IN {_CONTENT} OR lamport >= ?) AND length(signed) > 0",
                (circle_id, low, high, messages_from),
            )
            return [(int(row[0]), bytes(row[1])) for row in rows]

        return sums.summary(messages_from, through, read_range)

    def ids_between(
        self, circle_id: bytes, low: int, high: int, messages_from: int = 0
    ) -> list[bytes]:
        """Ids with low <= lamport <= high in log order (same message horizon as above)."""
        rows = self._database.query(
            "SELECT id FROM events WHERE circle = ? AND lamport BETWEEN ? AND ? "  # noqa: S608 (constant)
            f"AND (type NOT IN {_CONTENT} OR lamport >= ?) AND length(signed) > 0 "
            "ORDER BY lamport, id",
            (circle_id, low, high, messages_from),
        )
        return [bytes(row[0]) for row in rows]

    def present(self, event_ids: Iterable[bytes]) -> set[bytes]:
        ids = list(event_ids)
        found: set[bytes] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._database.query(
                f"SELECT id FROM events WHERE id IN ({marks})",  # noqa: S608 (only ? marks)
                tuple(chunk),
            )
            found.update(bytes(row[0]) for row in rows)
        return found

    def signed_in_order(self, circle_id: bytes, event_ids: list[bytes]) -> list[bytes]:
        """The signed bytes of those of `event_ids` held for this circle, in log order."""
        found: list[tuple[int, bytes, bytes]] = []
        for start in range(0, len(event_ids), 500):
            chunk = event_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._database.query(
                f"SELECT lamport, id, signed FROM events WHERE circle = ? AND id IN ({marks}) "  # noqa: S608
                "AND length(signed) > 0",
                (circle_id, *chunk),
            )
            found.extend((int(r[0]), bytes(r[1]), bytes(r[2])) for r in rows)
        return [signed for _, _, signed in sorted(found)]

    def record_sync(
        self, circle_id: bytes, member: bytes, holds_through: int | None, when: int
    ) -> bool:
        """Note a finished sync; True when the member now holds more than we knew."""
        rows = self._database.query(
            "SELECT holds_through FROM member_sync WHERE circle = ? AND member = ?",
            (circle_id, member),
        )
        known = int(rows[0][0]) if rows else -1
        with self._database.transaction() as connection:
            connection.execute(
                "INSERT INTO member_sync(circle, member, holds_through, last_sync) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(circle, member) DO UPDATE SET "
                "holds_through = max(holds_through, excluded.holds_through), "
                "last_sync = excluded.last_sync",
                (circle_id, member, -1 if holds_through is None else holds_through, when),
            )
        return holds_through is not None and holds_through > known

    def own_messages_between(
        self, circle_id: bytes, author: bytes, after: int, through: int, limit: int
    ) -> list[tuple[bytes, int]]:
        """(id, lamport) of the `limit` newest accepted messages of `author` with a lamport
        above `after` and up to `through`."""
        rows = self._database.query(
            "SELECT id, lamport FROM events WHERE circle = ? AND author = ? AND type = ? "
            "AND accepted = 1 AND lamport > ? AND lamport <= ? "
            "ORDER BY lamport DESC, id DESC LIMIT ?",
            (circle_id, author, EventType.MESSAGE.value, after, through, limit),
        )
        return [(bytes(row[0]), int(row[1])) for row in rows]

    def member_syncs(self, circle_id: bytes) -> dict[bytes, MemberSync]:
        rows = self._database.query(
            "SELECT member, holds_through, last_sync FROM member_sync WHERE circle = ?",
            (circle_id,),
        )
        return {
            bytes(r[0]): MemberSync(bytes(r[0]), int(r[1]), None if r[2] is None else int(r[2]))
            for r in rows
        }

    def next_seq_and_lamport(self, circle_id: bytes, author: bytes) -> tuple[int, int]:
        (seq,) = self._database.query(
            "SELECT coalesce(max(seq) + 1, 0) FROM events WHERE circle = ? AND author = ?",
            (circle_id, author),
        )[0]
        (lamport,) = self._database.query(
            "SELECT coalesce(max(lamport) + 1, 0) FROM events WHERE circle = ?", (circle_id,)
        )[0]
        return int(seq), int(lamport)

    def check_ins_since(
        self, circle_id: bytes, moods: Iterable[int], since: int
    ) -> dict[bytes, int]:
        """For each author, the time (ms) of its newest accepted check-in of one of
        `moods` written at `since` or later (an erased one no longer counts)."""
        chosen = sorted(moods)
        marks = ",".join("?" * len(chosen)) or "NULL"
        rows = self._database.query(
            "SELECT author, max(ts) FROM events WHERE circle = ? AND type = ? "  # noqa: S608
            f"AND accepted = 1 AND mood IN ({marks}) AND ts >= ? GROUP BY author",
            (circle_id, EventType.MESSAGE.value, *chosen, since),
        )
        return {bytes(row[0]): int(row[1]) for row in rows}

    def messages(
        self, circle_id: bytes, limit: int, before: bytes | None = None
    ) -> list[StoredEvent]:
        """Accepted messages the reader sees (boundaries_store.READER_SEES), oldest first:
        the `limit` newest, or the newest before `before`."""
        anchor = (
            self._database.query("SELECT lamport FROM events WHERE id = ?", (before,))
            if before is not None
            else []
        )
        if anchor:
            rows = self._database.query(
                _MESSAGES_BEFORE,
                (
                    circle_id,
                    EventType.MESSAGE.value,
                    *READER_SEES_PARAMETERS,
                    anchor[0][0],
                    before,
                    limit,
                ),
            )
        else:
            rows = self._database.query(
                _LATEST_MESSAGES,
                (circle_id, EventType.MESSAGE.value, *READER_SEES_PARAMETERS, limit),
            )
        return [_stored_event(row) for row in reversed(rows)]

    # -- epochs and invites -------------------------------------------------------

    def add_epoch(self, circle_id: bytes, epoch_id: bytes, secret: bytes) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO epochs(circle, id, secret) VALUES (?, ?, ?)",
                (circle_id, epoch_id, secret),
            )

    def epoch_secrets(self, circle_id: bytes) -> dict[bytes, bytes]:
        rows = self._database.query("SELECT id, secret FROM epochs WHERE circle = ?", (circle_id,))
        return {bytes(row[0]): bytes(row[1]) for row in rows}

    def retire_epochs(self, circle_id: bytes, keep: Iterable[bytes]) -> None:
        """Delete every epoch secret of the circle but `keep` (forward secrecy)."""
        kept = list(keep)
        marks = ",".join("?" * len(kept)) or "NULL"
        with self._database.transaction() as connection:
            cursor = connection.execute(
                f"DELETE FROM epochs WHERE circle = ? AND id NOT IN ({marks})",  # noqa: S608
                (circle_id, *kept),
            )
        if cursor.rowcount:
            # secure_delete zeroed the main file's pages; the WAL still holds their images
            self._database.checkpoint()

    def invites(self, circle_id: bytes) -> dict[bytes, StoredInvite]:
        """The invites this profile made for the circle, by invite key."""
        rows = self._database.query(
            "SELECT key, code, max_uses, expires, created_at FROM invites WHERE circle = ?",
            (circle_id,),
        )
        return {bytes(r[0]): StoredInvite(bytes(r[0]), str(r[1]), *map(int, r[2:5])) for r in rows}

    # -- leaving --------------------------------------------------------------------

    def mark_left(self, circle_id: bytes, when: int) -> None:
        with self._database.transaction() as connection:
            connection.execute("UPDATE circles SET left_at = ? WHERE id = ?", (when, circle_id))

    def left_circles(self) -> set[bytes]:
        rows = self._database.query("SELECT id FROM circles WHERE left_at IS NOT NULL")
        return {bytes(row[0]) for row in rows}

    def forget_circle(self, circle_id: bytes) -> None:
        """Erase everything held about a circle (after leaving it, or once a removed
        member chose to forget it). A member coming back with a new invite is not
        forgotten: `rejoin` keeps its history (and its network identity)."""
        # the membership's peer seed and onion key (no cascade: a joiner's exists before
        # its circle row; network_identity_store.py)
        tables = ["event_parents", "member_sync", "network_identities"]
        with self._database.transaction() as connection:
            for table in tables:
                connection.execute(f"DELETE FROM {table} WHERE circle = ?", (circle_id,))  # noqa: S608
            # events, epochs and invites go with the circle (ON DELETE CASCADE)
            connection.execute("DELETE FROM circles WHERE id = ?", (circle_id,))
            connection.execute(
                "DELETE FROM settings WHERE name = ?", (_UNRESOLVED + circle_id.hex(),)
            )
        self._sums.pop(circle_id, None)
        self._database.checkpoint()

    def rejoin(self, membership: Membership) -> None:
        """We come back to a circle we were removed from, as a new member with new keys:
        the membership's keys are replaced and the history we held stays (a member reads
        messages only from its admission on, so what came before would never come back:
        the removal notice promised it stays readable). Epoch secrets (none are left after
        a removal) and who held which of our events (our old key's) go. The old member
        key is kept among our former keys: what we wrote under it stays ours."""
        with self._database.transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO former_member_keys(circle, member_key) "
                "SELECT id, member_key FROM circles WHERE id = ? AND member_key != ?",
                (membership.circle_id, membership.member_key),
            )
            connection.execute(
                "UPDATE circles SET name = ?, member_key = ?, signing_seed = ?, "
                "exchange_secret = ?, joined_at = ?, left_at = NULL WHERE id = ?",
                (
                    membership.name,
                    membership.member_key,
                    membership.signing_seed,
                    membership.exchange_secret,
                    membership.joined_at,
                    membership.circle_id,
                ),
            )
            for table in ("epochs", "member_sync"):
                connection.execute(
                    f"DELETE FROM {table} WHERE circle = ?",  # noqa: S608 (constant names)
                    (membership.circle_id,),
                )
        self._database.checkpoint()

    def former_keys(self, circle_id: bytes) -> frozenset[bytes]:
        """This profile's earlier member keys in the circle (before removals it came back
        from), oldest or newest in no particular order."""
        rows = self._database.query(
            "SELECT member_key FROM former_member_keys WHERE circle = ?", (circle_id,)
        )
        return frozenset(bytes(row[0]) for row in rows)

    def add_invite(self, circle_id: bytes, key: bytes, seed: bytes, invite: StoredInvite) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "INSERT INTO invites(circle, key, seed, code, max_uses, expires, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    circle_id,
                    key,
                    seed,
                    invite.code,
                    invite.max_uses,
                    invite.expires,
                    invite.created_at,
                ),
            )


def _erase_edits_and_reactions(connection: Any, circle_id: bytes, messages: list[bytes]) -> None:
    """With erased messages go their earlier versions, the EDIT events that carried them
    (their signed bytes hold the text) and the reactions on them (issue 15)."""
    for message_id in messages:
        connection.execute(
            "UPDATE events SET signed = x'' WHERE circle = ? AND type = ? AND id IN "
            "(SELECT version FROM message_versions WHERE circle = ? AND message = ?)",
            (circle_id, EventType.EDIT.value, circle_id, message_id),
        )
        for table in ("message_versions", "reactions"):
            connection.execute(
                f"DELETE FROM {table} WHERE circle = ? AND message = ?",  # noqa: S608 (constant names)
                (circle_id, message_id),
            )


def _stored_event(row: tuple[object, ...]) -> StoredEvent:
    return StoredEvent(
        id=bytes(row[0]),  # type: ignore[call-overload]
        circle=bytes(row[1]),  # type: ignore[call-overload]
        author=bytes(row[2]),  # type: ignore[call-overload]
        seq=int(row[3]),  # type: ignore[call-overload]
        lamport=int(row[4]),  # type: ignore[call-overload]
        ts=int(row[5]),  # type: ignore[call-overload]
        type=EventType(row[6]),
        signed=bytes(row[7]),  # type: ignore[call-overload]
        text=None if row[8] is None else str(row[8]),
        cw="" if row[9] is None else str(row[9]),
        mood=0 if row[10] is None else int(row[10]),  # type: ignore[call-overload]
        reply_to=None if row[11] is None else bytes(row[11]),  # type: ignore[call-overload]
    )
