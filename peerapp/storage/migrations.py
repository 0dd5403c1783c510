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
    (
        4,
        """
        ALTER TABLE circles ADD COLUMN left_at INTEGER;
        """,
    ),
    (
        5,
        # join approval (storage/join_store.py): requests waiting in a facilitator's queue,
        # and our own joins waiting for a facilitator (with the new membership's keys)
        """
        CREATE TABLE join_queue (
            circle      BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            id          BLOB NOT NULL,
            joiner      BLOB NOT NULL,
            request     BLOB NOT NULL,
            name        TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            state       TEXT NOT NULL DEFAULT 'waiting'
                        CHECK (state IN ('waiting', 'approved', 'rejected')),
            PRIMARY KEY (circle, id)
        ) WITHOUT ROWID;
        CREATE INDEX join_queue_by_joiner ON join_queue(circle, joiner);
        CREATE TABLE joins_waiting (
            circle          BLOB PRIMARY KEY,
            code            TEXT NOT NULL,
            member_name     TEXT NOT NULL,
            signing_seed    BLOB NOT NULL,
            exchange_secret BLOB NOT NULL,
            circle_name     TEXT NOT NULL,
            started_at      INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    (
        6,
        # the facilitator mailbox (storage/mailbox_store.py): notes we owe facilitators,
        # and notes members sent us as a facilitator; neither is part of the circle log
        """
        CREATE TABLE mailbox_outbox (
            circle          BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            id              BLOB NOT NULL,
            recipient       BLOB NOT NULL,
            frame           BLOB NOT NULL,
            created_at      INTEGER NOT NULL,
            delivered_at    INTEGER,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (circle, id, recipient)
        ) WITHOUT ROWID;
        CREATE INDEX mailbox_undelivered ON mailbox_outbox(recipient)
            WHERE delivered_at IS NULL;
        CREATE TABLE mailbox_inbox (
            circle      BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            id          BLOB NOT NULL,
            sender      BLOB NOT NULL,
            kind        TEXT NOT NULL,
            body        BLOB NOT NULL,
            received_at INTEGER NOT NULL,
            resolved_at INTEGER,
            resolved_by BLOB,
            PRIMARY KEY (circle, id)
        ) WITHOUT ROWID;
        CREATE INDEX mailbox_inbox_by_sender ON mailbox_inbox(circle, sender, received_at);
        """,
    ),
    (
        7,
        # a message's content warning and check-in mood (issue 6), kept beside its text so
        # history pages and reader filters read them without decoding the signed event
        """
        ALTER TABLE events ADD COLUMN cw TEXT;
        ALTER TABLE events ADD COLUMN mood INTEGER;
        """,
    ),
    (
        8,
        # a reader's boundaries (storage/boundaries_store.py), on this device only: members
        # blocked per circle, the content-warning filter per topic (a missing topic keeps
        # the default), and breaks (circle NULL is the global break) with quiet hours in
        # minutes after local midnight
        """
        CREATE TABLE blocked_members (
            circle     BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            member     BLOB NOT NULL,
            blocked_at INTEGER NOT NULL,
            PRIMARY KEY (circle, member)
        ) WITHOUT ROWID;
        CREATE TABLE reader_filters (
            topic TEXT PRIMARY KEY,
            mode  TEXT NOT NULL CHECK (mode IN ('show', 'collapse', 'hide'))
        ) WITHOUT ROWID;
        CREATE TABLE breaks (
            circle      BLOB REFERENCES circles(id) ON DELETE CASCADE,
            on_break    INTEGER NOT NULL DEFAULT 0,
            quiet_start INTEGER CHECK (quiet_start BETWEEN 0 AND 1439),
            quiet_end   INTEGER CHECK (quiet_end BETWEEN 0 AND 1439),
            status      INTEGER NOT NULL DEFAULT 0,
            CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
        );
        CREATE UNIQUE INDEX breaks_by_scope ON breaks(coalesce(circle, x''));
        """,
    ),
    (
        9,
        # keys that age out (storage/exchange_key_store.py, issue 11): when the membership's
        # current exchange key was made (NULL: at joined_at), and replaced private keys
        # kept only for a grace period to open rotations still in flight
        """
        ALTER TABLE circles ADD COLUMN exchange_at INTEGER;
        CREATE TABLE retired_exchange_keys (
            circle     BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            secret     BLOB NOT NULL,
            retired_at INTEGER NOT NULL,
            PRIMARY KEY (circle, secret)
        ) WITHOUT ROWID;
        """,
    ),
    (
        10,
        # an author's events in log order: checking an arriving event's seq against the
        # author's later events reads only those (circle_store.breaks_seq_order)
        """
        CREATE INDEX events_by_author_in_order ON events(circle, author, lamport, id);
        """,
    ),
    (
        11,
        # each membership's own network identity (storage/network_identity_store.py,
        # issue 12): a libp2p peer seed and an onion service key, so two circles that
        # share a person see different peer ids and onion addresses. No foreign key to
        # circles: a joiner's identity exists before its membership (the join request
        # carries its peer id and address); forget_circle deletes it. UNIQUE: one key
        # stored for two circles would link them.
        """
        CREATE TABLE network_identities (
            circle        BLOB PRIMARY KEY,
            peer_seed     BLOB NOT NULL UNIQUE CHECK (length(peer_seed) = 32),
            onion_address TEXT UNIQUE,
            onion_key     TEXT,
            CHECK ((onion_address IS NULL) = (onion_key IS NULL))
        ) WITHOUT ROWID;
        """,
    ),
    (
        12,
        # private conversations between a facilitator and a member (issue 14,
        # storage/private_store.py): each message we wrote or received, per circle and
        # other member, in the order we stored them (seq), never in the circle log. The
        # mailbox outbox learns each note's kind: a private message is owed while its
        # reader is a member, a report or care flag while its reader facilitates.
        """
        CREATE TABLE private_messages (
            seq         INTEGER PRIMARY KEY,
            circle      BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            member      BLOB NOT NULL,
            id          BLOB NOT NULL,
            author      BLOB NOT NULL,
            text        TEXT NOT NULL,
            ts          INTEGER NOT NULL,
            stored_at   INTEGER NOT NULL,
            read        INTEGER NOT NULL DEFAULT 0,
            UNIQUE (circle, id)
        );
        CREATE INDEX private_by_member ON private_messages(circle, member, seq);
        CREATE INDEX private_by_author ON private_messages(circle, author, stored_at);
        ALTER TABLE mailbox_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
        """,
    ),
    (
        13,
        # replies, reactions and edits (issue 15, storage/content_store.py). A reply's
        # MESSAGE names the message it answers (events.reply_to). An accepted EDIT
        # UPDATEs its message's events.text and cw to the newest text (search reads that
        # row); every version, the original included, stays in message_versions (by log
        # order: lamport, then the version's event id) for facilitators, until the
        # message is deleted. reactions: each member's newest REACTION per message and
        # reaction (on or off), by log order, so toggles arriving out of order end alike.
        """
        ALTER TABLE events ADD COLUMN reply_to BLOB;
        CREATE TABLE message_versions (
            circle   BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            message  BLOB NOT NULL,
            version  BLOB NOT NULL,
            lamport  INTEGER NOT NULL,
            ts       INTEGER NOT NULL,
            text     TEXT NOT NULL,
            cw       TEXT,
            PRIMARY KEY (circle, message, version)
        ) WITHOUT ROWID;
        CREATE TABLE reactions (
            circle   BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            message  BLOB NOT NULL,
            member   BLOB NOT NULL,
            reaction TEXT NOT NULL,
            active   INTEGER NOT NULL,
            lamport  INTEGER NOT NULL,
            event    BLOB NOT NULL,
            PRIMARY KEY (circle, message, member, reaction)
        ) WITHOUT ROWID;
        """,
    ),
    (
        14,
        # full-text search (issue 15, storage/search_store.py): an FTS5 index of message
        # texts inside this encrypted database, never a file of its own. `events` has no
        # rowid (WITHOUT ROWID), so `search_docs` numbers each indexed message: downwards,
        # the newest smallest, so FTS5 walks matches newest first in its fast (ascending)
        # order. The index keeps no copy of the text: its content is the `search_text`
        # view over `events` (`circle` is the circle id in hex, so a search in one circle
        # is an FTS5 match too). unicode61 with diacritics folded matches "cafe" and
        # "café" in any script that separates words; prefix indexes of 2 and 3 letters
        # keep a short prefix fast; bm25 ranks by the text alone; `secure-delete` takes
        # an erased text's words out of the index at once instead of leaving them in old
        # segments until a merge. New messages are indexed by CircleStore.add_events in
        # their batch's transaction (search_store.index_new: an AFTER INSERT trigger
        # cost 10x the whole insert, SQLCipher's memory security wiping each trigger
        # frame); a text changed or erased (an edit, a delete) and a deleted row (a
        # forgotten circle's cascade) are followed by the triggers, whatever writes them.
        """
        CREATE TABLE search_docs (
            doc   INTEGER PRIMARY KEY,
            event BLOB NOT NULL UNIQUE
        );
        CREATE VIEW search_text(doc, text, circle) AS
            SELECT search_docs.doc, events.text, hex(events.circle)
            FROM search_docs JOIN events ON events.id = search_docs.event;
        CREATE VIRTUAL TABLE message_search USING fts5(
            text,
            circle,
            content = 'search_text',
            content_rowid = 'doc',
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3'
        );
        INSERT INTO message_search(message_search, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
        INSERT INTO message_search(message_search, rank) VALUES ('secure-delete', 1);
        CREATE TRIGGER search_text_changed AFTER UPDATE OF text ON events
        WHEN new.type = 'message'
        BEGIN
            INSERT INTO message_search(message_search, rowid, text, circle)
                SELECT 'delete', doc, old.text, hex(old.circle)
                FROM search_docs WHERE event = old.id;
            DELETE FROM search_docs WHERE event = old.id;
            INSERT INTO search_docs(doc, event)
                SELECT (SELECT coalesce(min(doc), 0) - 1 FROM search_docs), new.id
                WHERE coalesce(new.text, '') != '';
            INSERT INTO message_search(rowid, text, circle)
                SELECT doc, new.text, hex(new.circle) FROM search_docs WHERE event = new.id;
        END;
        CREATE TRIGGER search_message_removed AFTER DELETE ON events
        WHEN old.type = 'message'
        BEGIN
            INSERT INTO message_search(message_search, rowid, text, circle)
                SELECT 'delete', doc, old.text, hex(old.circle)
                FROM search_docs WHERE event = old.id;
            DELETE FROM search_docs WHERE event = old.id;
        END;
        INSERT INTO search_docs(doc, event)
            SELECT -row_number() OVER (ORDER BY ts, id), id FROM events
            WHERE type = 'message' AND coalesce(text, '') != '';
        INSERT INTO message_search(message_search) VALUES ('rebuild');
        """,
    ),
    (
        15,
        # pictures and files (issue 15, storage/attachment_store.py): each attachment a
        # stored message carries (its manifest, read from the signed body once), and its
        # sealed chunks as they arrive, each checked against the signed hash first.
        # `state`: 'wanted' (fetched when a member holds it), 'over_limit' (bigger than
        # the circle's limit: never fetched), 'cleared' (the user cleared it: fetched
        # again only when asked). `have`/`stored` count chunks and bytes held.
        """
        CREATE TABLE attachments (
            circle   BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            message  BLOB NOT NULL,
            author   BLOB NOT NULL,
            lamport  INTEGER NOT NULL,
            ts       INTEGER NOT NULL,
            name     TEXT NOT NULL,
            mime     TEXT NOT NULL,
            size     INTEGER NOT NULL,
            chunk    INTEGER NOT NULL,
            file_key BLOB NOT NULL,
            hashes   BLOB NOT NULL,
            thumb    BLOB NOT NULL,
            state    TEXT NOT NULL DEFAULT 'wanted',
            have     INTEGER NOT NULL DEFAULT 0,
            stored   INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (circle, message)
        ) WITHOUT ROWID;
        CREATE INDEX attachments_wanted ON attachments(circle, state, lamport);
        CREATE TABLE attachment_chunks (
            circle  BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            message BLOB NOT NULL,
            idx     INTEGER NOT NULL,
            data    BLOB NOT NULL,
            PRIMARY KEY (circle, message, idx)
        ) WITHOUT ROWID;
        """,
    ),
    (
        16,
        # this profile's earlier member keys in a circle (issue 14): a member removed and
        # back with a new invite has a new key, and its messages under the old one are
        # still its own (CircleStore.rejoin keeps the old key here; public keys only, no
        # secret). Gone with the circle.
        """
        CREATE TABLE former_member_keys (
            circle     BLOB NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
            member_key BLOB NOT NULL,
            PRIMARY KEY (circle, member_key)
        ) WITHOUT ROWID;
        """,
    ),
    (
        17,
        # search in private conversations (issue 15, storage/search_store.py): an FTS5
        # index of private_messages' texts, in this encrypted database like
        # message_search (14) and built alike (its content the view
        # `private_search_text`, no copy of the text; unicode61, diacritics folded,
        # prefixes 2 and 3, bm25 by the text, secure-delete). Its own table, numbered by
        # private_messages.seq: a private message is no event, and mixing the two in one
        # index would give search_docs a second kind of row on every circle search.
        # New rows are indexed by private_store.insert (the one insert, as for events: no
        # insert trigger under SQLCipher's memory security); a private text is never
        # changed, and a deleted row (a forgotten circle's cascade) leaves by the trigger.
        """
        CREATE VIEW private_search_text(seq, text, circle) AS
            SELECT seq, text, hex(circle) FROM private_messages;
        CREATE VIRTUAL TABLE private_search USING fts5(
            text,
            circle,
            content = 'private_search_text',
            content_rowid = 'seq',
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3'
        );
        INSERT INTO private_search(private_search, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
        INSERT INTO private_search(private_search, rank) VALUES ('secure-delete', 1);
        CREATE TRIGGER private_search_removed AFTER DELETE ON private_messages
        BEGIN
            INSERT INTO private_search(private_search, rowid, text, circle)
                VALUES ('delete', old.seq, old.text, hex(old.circle));
        END;
        INSERT INTO private_search(private_search) VALUES ('rebuild');
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]


def pending(current_version: int) -> list[tuple[int, str]]:
    """Migrations still to apply to a database at `current_version`, in order."""
    return [(number, sql) for number, sql in MIGRATIONS if number > current_version]
