"""No plaintext on disk: markers written through the app never appear in any file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from peerapp.crypto.identity import ProfileKeys
from peerapp.storage.database import Database
from peerapp.storage.profile import DATABASE_FILE, unlock_profile

MARKER_TEXT = "HEARTH-PLAINTEXT-MARKER-\u2603-7f3a9c"  # includes a non-ASCII character
MARKER_NAME = "marker-setting-name-5be1"
MARKER_KEY_NAME = "marker-key-record-41d0"
MARKER_KEY_VALUE = bytes.fromhex("deadbeefcafef00d") * 4


def _needles(database_key: bytes, passphrase: str, keys: ProfileKeys) -> dict[str, bytes]:
    """What must never be found on disk, by a name safe to show."""
    needles = {
        "setting value": MARKER_TEXT.encode("utf-8"),
        "setting name": MARKER_NAME.encode("utf-8"),
        "key record name": MARKER_KEY_NAME.encode("utf-8"),
        "key record value": MARKER_KEY_VALUE,
        "database key": database_key,
        "database key as hex": database_key.hex().encode("ascii"),
        "passphrase": passphrase.encode("utf-8"),
        "schema text": b"CREATE TABLE",
        "sqlite header": b"SQLite format 3",
    }
    for name, secret in keys.as_records().items():
        needles[f"profile key {name}"] = secret
    return needles


def _findings(folder: Path, needles: dict[str, bytes]) -> list[str]:
    found: list[str] = []
    for path in sorted(folder.iterdir()):
        content = path.read_bytes()
        found.extend(
            f"{label} in {path.name}" for label, needle in needles.items() if needle in content
        )
    return found


def _write_markers(database: Database) -> None:
    database.set_setting(MARKER_NAME, MARKER_TEXT * 8)
    database.put_keys({MARKER_KEY_NAME: MARKER_KEY_VALUE})


def test_no_plaintext_while_open_and_after_close(profile_folder: Path, passphrases: Any) -> None:
    unlocked = unlock_profile(profile_folder, passphrases.old)
    database = unlocked.open_database()
    try:
        keys = ProfileKeys.from_records(database.keys())
        needles = _needles(unlocked.database_key, passphrases.old, keys)
        _write_markers(database)
        assert database.setting(MARKER_NAME) == MARKER_TEXT * 8  # really written
        wal = profile_folder / f"{DATABASE_FILE}-wal"
        assert wal.is_file() and wal.stat().st_size > 0, "the write should sit in the WAL"
        names = {path.name for path in profile_folder.iterdir()}
        assert {f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", DATABASE_FILE} <= names
        assert _findings(profile_folder, needles) == []
    finally:
        database.close()
    assert not (profile_folder / f"{DATABASE_FILE}-wal").exists()  # checkpointed at close
    assert _findings(profile_folder, needles) == []

    reopened = unlock_profile(profile_folder, passphrases.old).open_database()
    try:
        assert reopened.setting(MARKER_NAME) == MARKER_TEXT * 8
        assert reopened.keys()[MARKER_KEY_NAME] == MARKER_KEY_VALUE
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("cipher_memory_security", "0"),  # off: its cost, not its worth (database.py)
        ("secure_delete", 1),  # deleted content is overwritten, not left in free pages
        ("temp_store", 2),  # MEMORY: temporary tables and indices never hit the disk
        ("journal_mode", "wal"),
        ("synchronous", 1),  # NORMAL: with WAL a commit survives the app being killed
        ("foreign_keys", 1),
    ],
)
def test_at_rest_pragmas_are_in_force(
    profile_folder: Path, passphrases: Any, pragma: str, expected: object
) -> None:
    database = unlock_profile(profile_folder, passphrases.old).open_database()
    try:
        assert database.query(f"PRAGMA {pragma}") == [(expected,)]
    finally:
        database.close()


def test_the_scan_finds_plaintext_in_an_unencrypted_database(tmp_path: Path) -> None:
    """Control: the same scan over a plain SQLite database in WAL mode does find the
    markers, so an empty result above means encryption, not a blind scanner."""
    connection = sqlite3.connect(tmp_path / DATABASE_FILE, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO settings VALUES (?, ?)", (MARKER_NAME, MARKER_TEXT))
        needles = {"setting value": MARKER_TEXT.encode("utf-8")}
        assert _findings(tmp_path, needles) == [f"setting value in {DATABASE_FILE}-wal"]
    finally:
        connection.close()
    assert _findings(tmp_path, needles) == [f"setting value in {DATABASE_FILE}"]


@pytest.mark.parametrize("when", ["open", "closed"])
def test_every_file_looks_random(profile_folder: Path, passphrases: Any, when: str) -> None:
    """Beyond the markers: the database files carry no long runs of readable text."""
    database = unlock_profile(profile_folder, passphrases.old).open_database()
    try:
        _write_markers(database)
        if when == "open":
            _assert_no_readable_runs(profile_folder)
    finally:
        database.close()
    if when == "closed":
        _assert_no_readable_runs(profile_folder)


# A run of printable bytes in random data: p = 95/256 per byte, so a run of 32 somewhere
# in ~100 KB has odds of about 1e5 * p**32 ~ 2e-9. Plain text leaks far longer runs.
def _assert_no_readable_runs(folder: Path, longest: int = 32) -> None:
    for path in folder.iterdir():
        if path.name.startswith(DATABASE_FILE) and not path.name.endswith("-shm"):
            run = best = 0
            for byte in path.read_bytes():
                run = run + 1 if 0x20 <= byte < 0x7F else 0
                best = max(best, run)
            assert best < longest, f"{path.name} holds {best} printable bytes in a row"
