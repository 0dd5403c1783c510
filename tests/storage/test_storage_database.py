"""The SQLCipher database: migrations, version checks, transactions, small stores."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from peerapp.core.errors import ProfileDamaged, WrongPassphrase
from peerapp.storage import migrations
from peerapp.storage.database import Database
from peerapp.storage.profile import ProfilePaths, unlock_profile

KEY = bytes(range(32))  # a throwaway key for databases made outside a profile


def _raw_user_version(path: Path, key: bytes) -> int:
    """Read user_version with a bare SQLCipher connection, bypassing Database.open."""
    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        return int(version)
    finally:
        connection.close()


# -- migrations -----------------------------------------------------------------------


def test_migrations_are_numbered_one_up_without_gaps() -> None:
    numbers = [number for number, _ in migrations.MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))
    assert numbers[-1] == migrations.LATEST_VERSION


@pytest.mark.parametrize("current", range(migrations.LATEST_VERSION + 2))
def test_pending(current: int) -> None:
    pending = migrations.pending(current)
    assert [number for number, _ in pending] == list(
        range(current + 1, migrations.LATEST_VERSION + 1)
    )


def test_a_new_database_reaches_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    database = Database.open(path, KEY, create=True)
    try:
        assert database.schema_version == migrations.LATEST_VERSION
        rows = database.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {name for (name,) in rows}
        assert {"keys", "settings"} <= tables
    finally:
        database.close()
    assert _raw_user_version(path, KEY) == migrations.LATEST_VERSION


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Database.open(path, KEY, create=True).close()
    # a second run of migration 1 would fail on CREATE TABLE keys; opening must not
    database = Database.open(path, KEY)
    try:
        assert database.schema_version == migrations.LATEST_VERSION
    finally:
        database.close()


def test_a_profile_database_is_at_the_latest_version(
    profile_folder: Path, passphrases: Any
) -> None:
    unlocked = unlock_profile(profile_folder, passphrases.old)
    database = unlocked.open_database()
    try:
        assert database.schema_version == migrations.LATEST_VERSION
    finally:
        database.close()
    path = ProfilePaths(profile_folder).database
    assert _raw_user_version(path, unlocked.database_key) == migrations.LATEST_VERSION


def test_a_database_from_a_newer_version_is_refused(profile_folder: Path, passphrases: Any) -> None:
    unlocked = unlock_profile(profile_folder, passphrases.old)
    database = unlocked.open_database()
    try:
        database.query(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    finally:
        database.close()
    with pytest.raises(ProfileDamaged) as raised:
        unlock_profile(profile_folder, passphrases.old)
    assert "newer version" in raised.value.message
    assert raised.value.message != WrongPassphrase().message
    with pytest.raises(ProfileDamaged, match="newer version"):
        unlocked.open_database()
    # refused, not downgraded
    path = ProfilePaths(profile_folder).database
    assert _raw_user_version(path, unlocked.database_key) == migrations.LATEST_VERSION + 1


# -- open refusals ----------------------------------------------------------------------


def test_open_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileDamaged, match="missing"):
        Database.open(tmp_path / "absent.db", KEY)
    assert not (tmp_path / "absent.db").exists()


def test_create_over_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "there.db"
    path.write_bytes(b"something")
    with pytest.raises(ProfileDamaged):
        Database.open(path, KEY, create=True)
    assert path.read_bytes() == b"something"


def test_open_with_the_wrong_key(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Database.open(path, KEY, create=True).close()
    before = path.read_bytes()
    with pytest.raises(ProfileDamaged):
        Database.open(path, bytes(32))
    assert path.read_bytes() == before


def test_open_a_file_of_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(3 * 4096))
    with pytest.raises(ProfileDamaged):
        Database.open(path, KEY)


# -- transactions and stores ------------------------------------------------------------


@pytest.fixture
def database(tmp_path: Path) -> Any:
    opened = Database.open(tmp_path / "store.db", KEY, create=True)
    yield opened
    opened.close()


def test_settings_round_trip_and_overwrite(database: Database) -> None:
    assert database.setting("theme") is None
    assert database.setting("theme", "light") == "light"
    database.set_setting("theme", "dark")
    database.set_setting("theme", "high contrast")
    assert database.setting("theme") == "high contrast"
    assert database.query("SELECT count(*) FROM settings") == [(1,)]


def test_a_failed_transaction_rolls_back(database: Database) -> None:
    database.set_setting("kept", "yes")
    with pytest.raises(RuntimeError), database.transaction() as connection:
        connection.execute("INSERT INTO settings(name, value) VALUES ('lost', 'no')")
        raise RuntimeError("boom")
    assert database.setting("lost") is None
    assert database.setting("kept") == "yes"
    database.set_setting("after", "works")  # the connection is usable again


def test_duplicate_keys_are_refused_whole(database: Database) -> None:
    database.put_keys({"a": b"1"})
    with pytest.raises(sqlcipher3.dbapi2.IntegrityError):
        database.put_keys({"b": b"2", "a": b"3"})
    assert database.keys() == {"a": b"1"}  # 'b' was rolled back with the failing 'a'


def test_keys_are_returned_as_bytes(database: Database) -> None:
    database.put_keys({"x": b"\x00\x01", "y": bytes(32)})
    records = database.keys()
    assert records == {"x": b"\x00\x01", "y": bytes(32)}
    assert all(type(value) is bytes for value in records.values())
