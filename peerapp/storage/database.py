"""One SQLCipher connection, opened with the raw 32-byte database key.

The connection belongs to the thread that opened it (the engine's). Pragmas follow the
protocol's "at rest" rules: memory wiping, secure delete, temp data in memory, WAL.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from peerapp.core.errors import ProfileDamaged, StorageFull
from peerapp.storage import migrations

log = logging.getLogger(__name__)

DatabaseError = sqlcipher3.dbapi2.DatabaseError
PRIVATE_FILE_MODE = 0o600
_FULL_MARKERS = ("database or disk is full", "disk i/o error")


def _is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    return any(marker in str(error).lower() for marker in _FULL_MARKERS)


def _create_private(path: Path) -> None:
    """An empty 0600 file for SQLite to fill (it takes an empty file for a new database).

    SQLite would create the file 0644 less the umask, and it gives every -wal and -shm it
    creates later the database file's own mode: a private database file is what keeps
    those private too, whatever the process umask.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        raise ProfileDamaged("A database file already exists where a new one was to go.") from None
    except OSError as error:
        if _is_disk_full(error):
            raise StorageFull() from error
        raise


def _statements(sql: str) -> list[str]:
    """A migration's statements, one by one: split at the semicolons that end one (SQLite's
    own complete_statement says which), so a trigger's BEGIN ... ; ... END stays whole."""
    statements: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlcipher3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                statements.append(pending)
            pending = ""
    if pending.strip(" \n\t;"):
        statements.append(pending)
    return statements


class Database:
    def __init__(self, connection: Any, path: Path) -> None:
        self._connection = connection
        self.path = path
        # opens a worker connection on the same file (worker_connection); set by open()
        self._reopen: Callable[[], Database] | None = None
        self._workers: list[Database] = []

    @classmethod
    def open(
        cls, path: Path, key: bytes, *, create: bool = False, worker: bool = False
    ) -> Database:
        """Open (or with `create`, create) the database; migrate it to the latest schema.

        Raises ProfileDamaged when the file is missing, truncated or not ours.
        worker: a second connection to a file this process has open and checked
        (worker_connection): usable from another thread than the one that opened it, one
        thread at a time (the caller serialises its use); not checked (quick_check reads
        the whole file) nor migrated again, and with a small page cache.
        """
        if not create and not path.is_file():
            raise ProfileDamaged("The profile's database file is missing.")
        if not create and path.stat().st_size == 0:
            # SQLCipher would take an empty file for a new database and write a schema
            # into it: an emptied profile must be reported, not silently re-created
            raise ProfileDamaged(
                "The profile's database is damaged or incomplete and cannot be opened."
            )
        if create:
            _create_private(path)
        connection = sqlcipher3.connect(
            str(path), isolation_level=None, check_same_thread=not worker
        )
        try:
            # SQLCipher logs HMAC failures on stderr; they carry no secrets but are noise
            connection.execute("PRAGMA cipher_log_level = NONE")
            connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            # Off (SQLCipher's own default since 4.5): wiping and mlock-ing every allocation
            # cost two system calls per malloc (1.9 million mlock/munlock pairs in the
            # storage tests alone, a third of the engine's CPU) and bought little here: the
            # same plaintext and the key also live in Python objects nobody can wipe.
            connection.execute("PRAGMA cipher_memory_security = OFF")
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA temp_store = MEMORY")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL: a commit survives the app being killed (it is in the WAL); only a
            # power cut can lose the newest commits, which members re-send on sync
            connection.execute("PRAGMA synchronous = NORMAL")
            # 32 MiB of page cache (SQLite's default is 2 MiB): with a log of 30,000 events
            # the per-event lookups of ingest missed the cache and decrypted pages again
            # and again (breaks_seq_order 42 ms -> 6 ms a call)
            # a worker moves attachment chunks, read or written once: SQLite's default 2 MiB
            connection.execute(f"PRAGMA cache_size = {-2048 if worker else -32768}")
            database = cls(connection, path)
            if worker:
                return database
            database._check_readable()
            if not create and database.schema_version == 0:
                raise ProfileDamaged("The profile's database is empty: it was never completed.")
            database._migrate()
        except DatabaseError as error:
            connection.close()
            if _is_disk_full(error):
                raise StorageFull() from error
            raise ProfileDamaged(
                "The profile's database is damaged or incomplete and cannot be opened."
            ) from error
        except BaseException:
            connection.close()
            raise
        database._reopen = lambda: cls.open(path, key, worker=True)
        return database

    def worker_connection(self) -> Database:
        """A second connection on the same file, for bulk work in a worker thread (the
        chunks of attachments) while this one stays with the engine thread. SQLite's WAL
        lets it read alongside this one; its writes wait for this one's (BEGIN IMMEDIATE,
        the driver's 5 s busy timeout) and this one's for its. Closed with this one."""
        if self._reopen is None:
            raise RuntimeError("a worker connection needs a database made by Database.open")
        worker = self._reopen()
        self._workers.append(worker)
        return worker

    def _check_readable(self) -> None:
        self._connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        (result,) = self._connection.execute("PRAGMA quick_check(1)").fetchone()
        if result != "ok":
            raise ProfileDamaged("The profile's database is damaged (integrity check failed).")

    @property
    def schema_version(self) -> int:
        (version,) = self._connection.execute("PRAGMA user_version").fetchone()
        return int(version)

    def _migrate(self) -> None:
        current = self.schema_version
        if current > migrations.LATEST_VERSION:
            raise ProfileDamaged(
                "This profile was written by a newer version of Hearth. Update Hearth to open it."
            )
        for number, sql in migrations.pending(current):
            with self.transaction():
                for statement in _statements(sql):
                    self._connection.execute(statement)
                self._connection.execute(f"PRAGMA user_version = {int(number)}")
            # fold each step into the main file: otherwise the WAL holds every step's pages
            # at once, and a new profile needs twice its size on disk
            self.checkpoint()
            log.info("database migrated to schema %d", number)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; a full disk becomes StorageFull."""
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield self._connection
        except BaseException as error:
            self._connection.execute("ROLLBACK")
            if isinstance(error, DatabaseError) and _is_disk_full(error):
                raise StorageFull() from error
            raise
        try:
            self._connection.execute("COMMIT")
        except DatabaseError as error:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            if _is_disk_full(error):
                raise StorageFull() from error
            raise

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return list(self._connection.execute(sql, parameters).fetchall())

    def checkpoint(self) -> None:
        """Copy the WAL into the main file and empty it: erased content then survives in
        neither (secure_delete zeroes what the main file frees)."""
        try:
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError:
            log.warning("WAL checkpoint failed; the WAL stays until the next one (or open)")

    def close(self) -> None:
        """Close the worker connections, then checkpoint the WAL into the main file and close."""
        for worker in self._workers:
            worker._connection.close()
        self._workers.clear()
        self.checkpoint()
        self._connection.close()

    # -- small typed stores on top of the schema ------------------------------------

    def put_keys(self, records: dict[str, bytes]) -> None:
        with self.transaction() as connection:
            connection.executemany(
                "INSERT INTO keys(name, value) VALUES (?, ?)", sorted(records.items())
            )

    def keys(self) -> dict[str, bytes]:
        return {name: bytes(value) for name, value in self.query("SELECT name, value FROM keys")}

    def set_setting(self, name: str, value: str) -> None:
        with self.transaction() as connection:
            connection.execute(
                "INSERT INTO settings(name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    def setting(self, name: str, default: str | None = None) -> str | None:
        rows = self.query("SELECT value FROM settings WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else default
