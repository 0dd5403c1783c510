"""Attachment chunks read and written in a worker thread (issue 15).

Storing or reading a megabyte of chunks is SQLCipher work (a page decrypted or encrypted
every 4 KiB): 10-40 ms that, on the engine thread, stalled every stream and timer of the
node, so a transfer went at the pace of one side's database, then the other's. Here it
runs on a connection of its own (Database.worker_connection) in a worker thread, one job
at a time, while the engine thread keeps moving bytes; SQLite releases the GIL while it
works. Only chunk rows and the attachment's counters are touched from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import trio

from peerapp.storage.attachment_store import AttachmentStore
from peerapp.storage.database import Database

T = TypeVar("T")

# how the work reaches its thread; socket-free tests run it inline (trio's jumping clock
# does not wait for threads)
in_thread: Callable[..., Any] = trio.to_thread.run_sync


class ChunkIO:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._store: AttachmentStore | None = None
        # one job at a time: the worker connection belongs to one thread at a time
        self._lock = trio.Lock()

    async def _run(self, work: Callable[[AttachmentStore], T]) -> T:
        async with self._lock:
            store = self._store
            if store is None:
                store = AttachmentStore(await in_thread(self._database.worker_connection))
                self._store = store
            result: T = await in_thread(work, store)
            return result

    async def add_fetched(self, circle: bytes, message: bytes, chunks: dict[int, bytes]) -> int:
        """Keep checked chunks of a file still wanted; how many were new."""
        return await self._run(
            lambda store: store.add_chunks(circle, message, chunks, wanted_only=True)
        )

    async def chunks(
        self, circle: bytes, message: bytes, indexes: Iterable[int]
    ) -> dict[int, bytes]:
        """The sealed chunks held among `indexes`."""
        wanted = tuple(indexes)
        return await self._run(lambda store: store.chunks(circle, message, wanted))
