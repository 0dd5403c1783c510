"""The profile is private to its user: folder 0700, every file 0600, also -wal and -shm.

The process umask is set to a lenient 022 around each test: the storage layer must keep
its files private by itself, not because the app happens to set umask 077 at start.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.errors import WrongPassphrase
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.storage.atomic import TEMP_SUFFIX
from peerapp.storage.database import Database
from peerapp.storage.profile import (
    DATABASE_FILE,
    KEY_FILE,
    LOCK_FILE,
    ProfileLock,
    create_profile,
    unlock_profile,
)

SnapshotFn = Callable[[Path], dict[str, str]]


@pytest.fixture(autouse=True)
def lenient_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """Every entry of the folder (symlinks excepted) and the folder itself, by name."""
    found = {".": mode(folder)}
    found.update({path.name: mode(path) for path in folder.iterdir() if not path.is_symlink()})
    return found


def write_while_open(database: Database) -> None:
    """A commit that stays in the WAL: -wal and -shm exist until close."""
    database.set_setting("mode-check", "x" * 10_000)


def test_a_new_profile_is_private_in_use_too(tmp_path: Path, passphrases: Any) -> None:
    folder = tmp_path / "profile"
    unlocked = create_profile(folder, passphrases.old, TEST_KDF)
    lock = ProfileLock.acquire(folder)
    database = unlocked.open_database()
    try:
        write_while_open(database)
        found = modes(folder)
    finally:
        database.close()
        lock.release()
    for name in (KEY_FILE, DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm"):
        assert name in found
    assert LOCK_FILE in found
    assert found == {".": 0o700} | {name: 0o600 for name in found if name != "."}


def test_unlock_tightens_a_profile_others_could_read(
    profile_folder: Path, passphrases: Any, snapshot: SnapshotFn
) -> None:
    lock = ProfileLock.acquire(profile_folder)
    lock.release()
    leftover = profile_folder / (KEY_FILE + TEMP_SUFFIX)
    leftover.write_bytes(b"an interrupted passphrase change")
    outside = profile_folder.parent / "not-ours"
    outside.write_bytes(b"")
    outside.chmod(0o644)
    (profile_folder / "link").symlink_to(outside)
    for path in profile_folder.iterdir():
        if not path.is_symlink():
            path.chmod(0o644)
    profile_folder.chmod(0o777)
    before = snapshot(profile_folder)

    with pytest.raises(WrongPassphrase):
        unlock_profile(profile_folder, passphrases.wrong)
    assert snapshot(profile_folder) == before, "a wrong passphrase changed the modes"
    assert mode(profile_folder) == 0o777

    unlocked = unlock_profile(profile_folder, passphrases.old)
    found = modes(profile_folder)
    assert found == {".": 0o700} | {name: 0o600 for name in found if name != "."}
    assert {KEY_FILE, DATABASE_FILE, LOCK_FILE, leftover.name} <= set(found)
    assert mode(outside) == 0o644, "a symlink was followed out of the profile folder"

    database = unlocked.open_database()
    try:
        write_while_open(database)
        assert mode(profile_folder / f"{DATABASE_FILE}-wal") == 0o600
        assert mode(profile_folder / f"{DATABASE_FILE}-shm") == 0o600
    finally:
        database.close()


def test_a_shared_empty_folder_is_tightened_when_a_profile_is_made_in_it(
    tmp_path: Path, passphrases: Any
) -> None:
    folder = tmp_path / "made-by-someone"
    folder.mkdir()
    folder.chmod(0o777)
    create_profile(folder, passphrases.old, TEST_KDF)
    found = modes(folder)
    assert found == {".": 0o700} | {name: 0o600 for name in found if name != "."}
