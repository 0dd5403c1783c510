"""A full disk, for real: a tiny tmpfs, filled up, under a real profile.

Mounting needs root (as on the project's machines and CI). Where mount is not permitted
the tests skip with the reason; nothing here fakes ENOSPC.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.errors import StorageFull, WrongPassphrase
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.storage.atomic import TEMP_SUFFIX, write_atomically
from peerapp.storage.profile import (
    DATABASE_FILE,
    KEY_FILE,
    change_passphrase,
    create_profile,
    unlock_profile,
)
from tests.tmpfs import mounted_tmpfs

# room for a new profile's schema (the search index and attachment tables of issue 15
# outgrew 256 KiB) and little more: the tests fill the rest
TMPFS_BYTES = 1024 * 1024
CHUNK = 4096


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "tiny", TMPFS_BYTES) as mountpoint:
        yield mountpoint


def _fill(disk: Path) -> Path:
    """Write a filler file until the disk refuses; return it (delete it to free space)."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for _ in range(TMPFS_BYTES // CHUNK + 16):  # bounded: the disk is that small
            try:
                os.write(descriptor, bytes(CHUNK))
            except OSError as error:
                assert error.errno == errno.ENOSPC
                return filler
        raise AssertionError("the tmpfs never filled up")
    finally:
        os.close(descriptor)


def test_change_passphrase_on_a_full_disk(tiny_disk: Path, passphrases: Any) -> None:
    folder = tiny_disk / "profile"
    create_profile(folder, passphrases.old, TEST_KDF)
    key_before = (folder / KEY_FILE).read_bytes()
    filler = _fill(tiny_disk)

    with pytest.raises(StorageFull) as raised:
        change_passphrase(folder, passphrases.old, passphrases.new)
    assert "nothing was changed" in raised.value.message
    assert (folder / KEY_FILE).read_bytes() == key_before
    assert not (folder / (KEY_FILE + TEMP_SUFFIX)).exists()

    filler.unlink()
    with pytest.raises(WrongPassphrase):
        unlock_profile(folder, passphrases.new)
    unlock_profile(folder, passphrases.old)
    change_passphrase(folder, passphrases.old, passphrases.new)  # works with space again
    unlock_profile(folder, passphrases.new)


def test_write_atomically_on_a_full_disk_keeps_the_old_content(tiny_disk: Path) -> None:
    target = tiny_disk / "settings.json"
    write_atomically(target, b"old content")
    filler = _fill(tiny_disk)
    with pytest.raises(StorageFull):
        write_atomically(target, b"new content " * 1000)
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "settings.json"]
    filler.unlink()


def test_a_database_write_on_a_full_disk(tiny_disk: Path, passphrases: Any) -> None:
    folder = tiny_disk / "profile"
    create_profile(folder, passphrases.old, TEST_KDF)
    database = unlock_profile(folder, passphrases.old).open_database()
    try:
        database.set_setting("before", "kept")
        filler = _fill(tiny_disk)
        with pytest.raises(StorageFull):
            database.set_setting("big", "x" * 100_000)
        assert database.setting("big") is None
        assert database.setting("before") == "kept"
        filler.unlink()
        database.set_setting("after", "written")  # the same connection recovers
    finally:
        database.close()
    reopened = unlock_profile(folder, passphrases.old).open_database()
    try:
        values = [reopened.setting(name) for name in ("before", "big", "after")]
        assert values == ["kept", None, "written"]
    finally:
        reopened.close()


def test_create_profile_on_a_full_disk_leaves_nothing_behind(
    tiny_disk: Path, passphrases: Any
) -> None:
    """StorageFull says "nothing was changed": a failed creation must not leave a
    half-made database (today it does; the next attempt then sets it aside as an orphan,
    and every retry on a full disk adds another)."""
    folder = tiny_disk / "profile"
    folder.mkdir()
    filler = _fill(tiny_disk)
    with pytest.raises(StorageFull):
        create_profile(folder, passphrases.old, TEST_KDF)
    filler.unlink()
    assert sorted(p.name for p in folder.iterdir()) == []
    create_profile(folder, passphrases.old, TEST_KDF)
    assert sorted(p.name for p in folder.iterdir()) == [DATABASE_FILE, KEY_FILE]
