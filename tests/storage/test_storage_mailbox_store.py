"""The facilitator mailbox at rest, on real SQLCipher: the outbox survives a reopen, a
delivered note keeps only a receipt, the inbox holds a note once, resolving sticks."""

from __future__ import annotations

from pathlib import Path

from peerapp.storage.circle_store import CircleStore, Membership
from peerapp.storage.database import Database
from peerapp.storage.mailbox_store import IncomingNote, MailboxStore, OutgoingNote

KEY = bytes(range(32))
CIRCLE = b"\x01" * 16
NOTE_ID = b"\x02" * 16
ALICE, BEA, CY = b"\xaa" * 32, b"\xbb" * 32, b"\xcc" * 32


def _open(path: Path, create: bool = False) -> Database:
    database = Database.open(path, KEY, create=create)
    if create:
        CircleStore(database).add_membership(
            Membership(CIRCLE, "Circle", ALICE, b"\x00" * 32, b"\x00" * 32, 0, 0)
        )
    return database


def _outgoing(recipient: bytes) -> OutgoingNote:
    return OutgoingNote(CIRCLE, NOTE_ID, recipient, b"frame for " + recipient[:1], 1000)


def test_the_outbox_survives_a_reopen_and_a_delivered_note_keeps_only_a_receipt(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mailbox.db"
    database = _open(path, create=True)
    MailboxStore(database).add_outgoing([_outgoing(BEA), _outgoing(CY)], None)
    database.close()

    database = _open(path)
    store = MailboxStore(database)
    pending = store.undelivered()
    assert [(n.recipient, n.frame) for n in pending] == [
        (BEA, b"frame for \xbb"),
        (CY, b"frame for \xcc"),
    ]
    store.mark_failed(pending[0], next_attempt_at=5000)
    store.mark_delivered(pending[1], when=2000)
    (left,) = store.undelivered()
    assert (left.recipient, left.attempts, left.next_attempt_at) == (BEA, 1, 5000)
    assert store.outgoing_count(CIRCLE) == (1, 1)
    frames = database.query("SELECT recipient, frame FROM mailbox_outbox ORDER BY recipient")
    assert [(bytes(r), bytes(f)) for r, f in frames] == [(BEA, b"frame for \xbb"), (CY, b"")]
    assert store.drop_outgoing([left]) == 1
    assert store.undelivered() == []
    database.close()


def test_the_inbox_holds_a_note_once_and_resolving_sticks(tmp_path: Path) -> None:
    database = _open(tmp_path / "mailbox.db", create=True)
    store = MailboxStore(database)
    note = IncomingNote(CIRCLE, NOTE_ID, BEA, "report", b"body", 1000)
    store.add_incoming(note)
    store.add_incoming(IncomingNote(CIRCLE, NOTE_ID, CY, "report", b"other", 2000))
    assert store.incoming_sender(CIRCLE, NOTE_ID) == BEA
    assert store.incoming_since(CIRCLE, BEA, 1000) == 1
    assert store.incoming_since(CIRCLE, BEA, 1001) == 0
    assert store.inbox(CIRCLE, "report") == [note]
    assert store.resolve(CIRCLE, NOTE_ID, ALICE, 3000, "report")
    assert store.resolve(CIRCLE, NOTE_ID, BEA, 4000, "report")  # already resolved: the first stays
    (resolved,) = store.inbox(CIRCLE, "report")
    assert (resolved.resolved_at, resolved.resolved_by) == (3000, ALICE)
    assert not store.resolve(CIRCLE, b"\x09" * 16, ALICE, 3000, "report")
    database.close()
