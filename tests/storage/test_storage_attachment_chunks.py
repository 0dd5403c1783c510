"""Attachment chunks through a worker connection (engine/chunk_io.py): a second SQLCipher
connection on the profile's file, used from a worker thread while the first stays with
the engine thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from peerapp.core import attachment_policy as ap
from peerapp.core.attachments import Manifest
from peerapp.storage.attachment_store import CLEARED, WANTED, AttachmentStore
from peerapp.storage.database import Database

KEY = bytes(range(32))
CIRCLE, MESSAGE, AUTHOR = b"\x01" * 32, b"\x02" * 32, b"\x03" * 32
CHUNKS = 3


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "profile.db", KEY, create=True)
    with database.transaction() as connection:
        connection.execute(
            "INSERT INTO circles(id, name, member_key, signing_seed, exchange_secret, "
            "joined_at) VALUES (?, 'Circle', ?, ?, ?, 0)",
            (CIRCLE, AUTHOR, b"\x00" * 32, b"\x00" * 32),
        )
    manifest = Manifest(
        name="notes.txt",
        mime="text/plain",
        size=ap.CHUNK_BYTES * CHUNKS,
        chunk=ap.CHUNK_BYTES,
        key=b"\x04" * 32,
        hashes=tuple(bytes([i]) * ap.HASH_BYTES for i in range(CHUNKS)),
        thumb=b"",
    )
    AttachmentStore(database).add(
        CIRCLE, MESSAGE, author=AUTHOR, lamport=1, ts=1, manifest=manifest, state=WANTED
    )
    try:
        yield database
    finally:
        database.close()


def in_another_thread(work: Callable[[], object]) -> object:
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and result, "the worker thread did not finish"
    return result[0]


def test_chunks_stored_from_a_worker_thread_are_seen_by_the_engine_connection(
    database: Database,
) -> None:
    worker = in_another_thread(database.worker_connection)
    assert isinstance(worker, Database)
    chunk = b"\x05" * (ap.CHUNK_BYTES + ap.SEAL_OVERHEAD)
    added = in_another_thread(
        lambda: AttachmentStore(worker).add_chunks(CIRCLE, MESSAGE, {0: chunk}, wanted_only=True)
    )
    assert added == 1
    mine = AttachmentStore(database)
    held = mine.get(CIRCLE, MESSAGE)
    assert held is not None and held.have == 1 and held.have_bytes == ap.CHUNK_BYTES
    assert mine.chunks(CIRCLE, MESSAGE, [0, 1]) == {0: chunk}
    # and read back through the worker, from yet another thread
    assert in_another_thread(lambda: AttachmentStore(worker).chunks(CIRCLE, MESSAGE, [0])) == {
        0: chunk
    }


def test_chunks_of_a_file_cleared_meanwhile_are_not_kept(database: Database) -> None:
    AttachmentStore(database).clear(CIRCLE, [MESSAGE], CLEARED)
    worker = AttachmentStore(database.worker_connection())
    assert worker.add_chunks(CIRCLE, MESSAGE, {0: b"late"}, wanted_only=True) == 0
    held = AttachmentStore(database).get(CIRCLE, MESSAGE)
    assert held is not None and held.have == 0 and held.state == CLEARED
    assert AttachmentStore(database).held_indexes(CIRCLE, MESSAGE) == set()
    AttachmentStore(database).forget(CIRCLE, [MESSAGE])
    assert worker.add_chunks(CIRCLE, MESSAGE, {1: b"later"}, wanted_only=True) == 0
    assert AttachmentStore(database).held_indexes(CIRCLE, MESSAGE) == set()


def test_closing_the_database_closes_its_worker_connections(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "profile.db", KEY, create=True)
    worker = database.worker_connection()
    database.close()
    with pytest.raises(Exception, match="closed"):
        worker.query("SELECT 1")
    # the file reopens cleanly: the WAL was checkpointed after the worker let go
    Database.open(tmp_path / "profile.db", KEY).close()
