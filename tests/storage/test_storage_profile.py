"""The profile folder: create, unlock, wrong passphrase, damage, passphrase change."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.errors import (
    PassphraseRejected,
    ProfileDamaged,
    ProfileExists,
    ProfileMissing,
    WrongPassphrase,
)
from peerapp.crypto import keyfile
from peerapp.crypto.identity import EXCHANGE_KEY, PEER_KEY, SIGNING_KEY, ProfileKeys
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.storage.atomic import TEMP_SUFFIX
from peerapp.storage.database import Database
from peerapp.storage.profile import (
    DATABASE_FILE,
    KEY_FILE,
    ProfilePaths,
    change_passphrase,
    create_profile,
    profile_exists,
    unlock_profile,
)
from peerapp.storage.reserve import RESERVE_FILE

WRONG_MESSAGE = "That passphrase does not unlock this profile."
SnapshotFn = Callable[[Path], dict[str, str]]


def same(a: bytes, b: bytes) -> bool:
    """Compare keys without pytest printing them on failure."""
    return a == b


# -- create and unlock ---------------------------------------------------------------


def test_create_then_unlock(tmp_path: Path, passphrases: Any) -> None:
    folder = tmp_path / "new" / "profile"
    created = create_profile(folder, passphrases.old, TEST_KDF)
    assert profile_exists(folder)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([DATABASE_FILE, KEY_FILE, RESERVE_FILE])
    assert stat.S_IMODE((folder / RESERVE_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / KEY_FILE).stat().st_mode) == 0o600
    assert keyfile.kdf_params_of((folder / KEY_FILE).read_bytes()) == TEST_KDF
    unlocked = unlock_profile(folder, passphrases.old)
    assert unlocked.folder == folder
    assert same(unlocked.database_key, created.database_key)
    assert len(unlocked.database_key) == keyfile.DATABASE_KEY_BYTES


def test_the_keys_table_holds_the_three_records(profile_folder: Path, passphrases: Any) -> None:
    database = unlock_profile(profile_folder, passphrases.old).open_database()
    try:
        records = database.keys()
    finally:
        database.close()
    assert set(records) == {PEER_KEY, SIGNING_KEY, EXCHANGE_KEY}
    assert all(isinstance(value, bytes) and len(value) == 32 for value in records.values())
    assert len(set(records.values())) == 3
    keys = ProfileKeys.from_records(records)
    assert len(keys.signing_public) == 32


def test_two_profiles_have_different_keys(tmp_path: Path, passphrases: Any) -> None:
    first = create_profile(tmp_path / "a", passphrases.old, TEST_KDF)
    second = create_profile(tmp_path / "b", passphrases.old, TEST_KDF)
    assert not same(first.database_key, second.database_key)
    databases = [first.open_database(), second.open_database()]
    try:
        peer_seeds = {database.keys()[PEER_KEY] for database in databases}
    finally:
        for database in databases:
            database.close()
    assert len(peer_seeds) == 2


def test_unlocked_profile_repr_hides_the_key(profile_folder: Path, passphrases: Any) -> None:
    unlocked = unlock_profile(profile_folder, passphrases.old)
    for text in (repr(unlocked), str(unlocked), f"{unlocked}"):
        assert unlocked.database_key.hex() not in text
        assert repr(unlocked.database_key) not in text
        assert str(profile_folder) in text


def test_create_with_calibrated_kdf(tmp_path: Path, passphrases: Any) -> None:
    """The production path: no `kdf` means Argon2id calibrated on this machine."""
    folder = tmp_path / "profile"
    create_profile(folder, passphrases.old)
    params = keyfile.kdf_params_of((folder / KEY_FILE).read_bytes())
    assert keyfile.MIN_OPSLIMIT <= params.opslimit <= keyfile.MAX_OPSLIMIT
    assert params.memlimit == keyfile.CALIBRATION_MEMLIMIT
    unlock_profile(folder, passphrases.old)


# -- wrong passphrase -----------------------------------------------------------------


@pytest.mark.parametrize("attempt", ["wrong", "empty", "old-with-newline"])
def test_a_wrong_passphrase_changes_no_byte(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn, attempt: str
) -> None:
    passphrase = {
        "wrong": passphrases.wrong,
        "empty": "",
        "old-with-newline": passphrases.old + "\n",
    }
    before = snapshot(profile_folder)
    with pytest.raises(WrongPassphrase) as raised:
        unlock_profile(profile_folder, passphrase[attempt])
    assert raised.value.message == WRONG_MESSAGE
    assert snapshot(profile_folder) == before


def test_a_wrong_passphrase_while_the_database_is_open_changes_no_byte(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn
) -> None:
    database = unlock_profile(profile_folder, passphrases.old).open_database()
    try:
        database.set_setting("theme", "dark")
        before = snapshot(profile_folder)
        assert f"{DATABASE_FILE}-wal" in before  # the WAL is there and must stay as it is
        with pytest.raises(WrongPassphrase):
            unlock_profile(profile_folder, passphrases.wrong)
        assert snapshot(profile_folder) == before
    finally:
        database.close()


# -- damaged profiles -----------------------------------------------------------------


def _truncate(size: int) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with path.open("r+b") as handle:
            handle.truncate(size)

    return damage


def _overwrite(offset_of: Callable[[int], int], length: int = 64) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.seek(offset_of(size))
            handle.write(os.urandom(length))

    return damage


DATABASE_DAMAGE = {
    # An empty file is what a crash between creating and writing the database leaves.
    # Today it opens as a NEW empty database: unlock succeeds and writes a schema without
    # keys into it (see report).
    "truncated-to-0": _truncate(0),
    "truncated-to-5": _truncate(5),
    "truncated-to-100": _truncate(100),
    "truncated-to-one-page": _truncate(4096),
    "middle-overwritten": _overwrite(lambda size: size // 2 - 32),
    "first-bytes-overwritten": _overwrite(lambda size: 0, 16),
    "last-bytes-overwritten": _overwrite(lambda size: size - 64),
    "deleted": lambda path: path.unlink(),
}


@pytest.mark.parametrize("damage", DATABASE_DAMAGE.values(), ids=DATABASE_DAMAGE.keys())
def test_a_damaged_database_is_reported_as_damaged(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn, damage: Callable[[Path], None]
) -> None:
    damage(ProfilePaths(profile_folder).database)
    before = snapshot(profile_folder)
    with pytest.raises(ProfileDamaged) as raised:
        unlock_profile(profile_folder, passphrases.old)
    assert raised.value.message != WRONG_MESSAGE
    assert "database" in raised.value.message
    # a failed unlock does not "repair" (overwrite) what is left
    assert snapshot(profile_folder) == before


KEY_FILE_DAMAGE = {
    "empty": b"",
    "truncated": None,  # replaced below by the first half of the real file
    "garbage": b"\x00\x01garbage\xff",
    "sqlite-bytes": b"SQLite format 3\x00" + bytes(64),
    "json-without-key": b'{"format": "hearth-keyfile", "version": 1}\n',
}


@pytest.mark.parametrize("content", KEY_FILE_DAMAGE.values(), ids=KEY_FILE_DAMAGE.keys())
def test_a_damaged_key_file_is_reported_as_damaged(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn, content: bytes | None
) -> None:
    key_file = ProfilePaths(profile_folder).key_file
    key_file.write_bytes(key_file.read_bytes()[:100] if content is None else content)
    before = snapshot(profile_folder)
    with pytest.raises(ProfileDamaged) as raised:
        unlock_profile(profile_folder, passphrases.old)
    assert raised.value.message != WRONG_MESSAGE
    assert "key file" in raised.value.message
    assert snapshot(profile_folder) == before


def test_a_key_file_from_another_profile_is_damage_not_a_wrong_passphrase(
    tmp_path: Path, profile_folder: Path, passphrases: Any
) -> None:
    other = tmp_path / "other"
    create_profile(other, passphrases.old, TEST_KDF)
    ProfilePaths(profile_folder).key_file.write_bytes(ProfilePaths(other).key_file.read_bytes())
    with pytest.raises(ProfileDamaged):
        unlock_profile(profile_folder, passphrases.old)


@pytest.mark.parametrize("state", ["no-folder", "empty-folder", "database-only"])
def test_no_key_file_means_no_profile(tmp_path: Path, passphrases: Any, state: str) -> None:
    folder = tmp_path / "profile"
    if state != "no-folder":
        folder.mkdir()
    if state == "database-only":
        (folder / DATABASE_FILE).write_bytes(os.urandom(4096))
    with pytest.raises(ProfileMissing):
        unlock_profile(folder, passphrases.old)
    assert not profile_exists(folder)


# -- create refusals and orphans ------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 9])
def test_create_refuses_a_short_passphrase(tmp_path: Path, length: int) -> None:
    folder = tmp_path / "profile"
    with pytest.raises(PassphraseRejected) as raised:
        create_profile(folder, "x" * length, TEST_KDF)
    assert raised.value.message == "Use at least 10 characters."
    assert not folder.exists()


def test_create_accepts_exactly_the_minimum(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    create_profile(folder, "x" * 10, TEST_KDF)
    unlock_profile(folder, "x" * 10)


def test_create_refuses_an_existing_profile(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn
) -> None:
    before = snapshot(profile_folder)
    with pytest.raises(ProfileExists):
        create_profile(profile_folder, passphrases.new, TEST_KDF)
    assert snapshot(profile_folder) == before
    unlock_profile(profile_folder, passphrases.old)


def test_an_orphaned_database_is_set_aside(tmp_path: Path, passphrases: Any) -> None:
    folder = tmp_path / "profile"
    folder.mkdir()
    orphan_bytes = os.urandom(8192)
    (folder / DATABASE_FILE).write_bytes(orphan_bytes)
    (folder / f"{DATABASE_FILE}-wal").write_bytes(b"stale wal")
    (folder / f"{DATABASE_FILE}-shm").write_bytes(b"stale shm")
    create_profile(folder, passphrases.old, TEST_KDF)
    set_aside = sorted(folder.glob(f"{DATABASE_FILE}.orphaned-*"))
    assert len(set_aside) == 1
    assert set_aside[0].read_bytes() == orphan_bytes
    assert set_aside[0].name.removeprefix(f"{DATABASE_FILE}.orphaned-").isdigit()
    assert not (folder / f"{DATABASE_FILE}-wal").exists()
    assert not (folder / f"{DATABASE_FILE}-shm").exists()
    database = unlock_profile(folder, passphrases.old).open_database()
    try:
        assert len(database.keys()) == 3
    finally:
        database.close()


# -- passphrase change ----------------------------------------------------------------


def test_change_passphrase(profile_folder: Path, passphrases: Any) -> None:
    paths = ProfilePaths(profile_folder)
    key_before = unlock_profile(profile_folder, passphrases.old).database_key
    change_passphrase(profile_folder, passphrases.old, passphrases.new)
    with pytest.raises(WrongPassphrase):
        unlock_profile(profile_folder, passphrases.old)
    unlocked = unlock_profile(profile_folder, passphrases.new)
    assert same(unlocked.database_key, key_before)  # the database key stays
    assert keyfile.kdf_params_of(paths.key_file.read_bytes()) == TEST_KDF  # params kept
    names = sorted(p.name for p in profile_folder.iterdir())
    assert names == sorted([DATABASE_FILE, KEY_FILE, RESERVE_FILE])
    assert stat.S_IMODE(paths.key_file.stat().st_mode) == 0o600


def test_change_passphrase_leaves_the_database_untouched(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn
) -> None:
    before = snapshot(profile_folder)
    change_passphrase(profile_folder, passphrases.old, passphrases.new)
    after = snapshot(profile_folder)
    assert set(after) == set(before)
    assert after[DATABASE_FILE] == before[DATABASE_FILE]
    assert after[KEY_FILE] != before[KEY_FILE]


def test_change_passphrase_with_new_kdf_params(profile_folder: Path, passphrases: Any) -> None:
    stronger = keyfile.KdfParams(TEST_KDF.opslimit + 1, TEST_KDF.memlimit * 2)
    change_passphrase(profile_folder, passphrases.old, passphrases.new, kdf=stronger)
    key_file = ProfilePaths(profile_folder).key_file
    assert keyfile.kdf_params_of(key_file.read_bytes()) == stronger
    unlock_profile(profile_folder, passphrases.new)


def test_change_passphrase_with_a_wrong_old_passphrase_changes_nothing(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn
) -> None:
    before = snapshot(profile_folder)
    with pytest.raises(WrongPassphrase):
        change_passphrase(profile_folder, passphrases.wrong, passphrases.new)
    assert snapshot(profile_folder) == before


def test_change_passphrase_refuses_a_short_new_passphrase(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn
) -> None:
    before = snapshot(profile_folder)
    with pytest.raises(PassphraseRejected):
        change_passphrase(profile_folder, passphrases.old, "short")
    assert snapshot(profile_folder) == before
    unlock_profile(profile_folder, passphrases.old)


def test_change_passphrase_without_a_profile(tmp_path: Path, passphrases: Any) -> None:
    with pytest.raises(ProfileMissing):
        change_passphrase(tmp_path, passphrases.old, passphrases.new)


def test_change_passphrase_removes_a_leftover_temp_file(
    profile_folder: Path, passphrases: Any
) -> None:
    leftover = ProfilePaths(profile_folder).key_file.with_name(KEY_FILE + TEMP_SUFFIX)
    leftover.write_bytes(b"half a key file from a crash")
    unlock_profile(profile_folder, passphrases.old)  # a leftover does not disturb unlocking
    change_passphrase(profile_folder, passphrases.old, passphrases.new)
    assert not leftover.exists()
    unlock_profile(profile_folder, passphrases.new)


def test_no_database_file_starts_with_the_sqlite_header(
    profile_folder: Path, passphrases: Any
) -> None:
    database = unlock_profile(profile_folder, passphrases.old).open_database()
    try:
        database.set_setting("theme", "dark")
        open_files = list(profile_folder.iterdir())
        assert len(open_files) == 5  # key file, db, -wal, -shm, reserve
        for path in open_files:
            assert not path.read_bytes().startswith(b"SQLite format 3"), path.name
    finally:
        database.close()
    for path in profile_folder.iterdir():
        assert not path.read_bytes().startswith(b"SQLite format 3"), path.name


def test_open_database_directly(profile_folder: Path, passphrases: Any) -> None:
    unlocked = unlock_profile(profile_folder, passphrases.old)
    database = Database.open(ProfilePaths(profile_folder).database, unlocked.database_key)
    try:
        assert len(database.keys()) == 3
    finally:
        database.close()
