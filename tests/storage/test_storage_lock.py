"""The profile lock: one app or node per profile, released when its process ends."""

from __future__ import annotations

import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerapp.core.errors import ProfileInUse
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.storage.profile import LOCK_FILE, ProfileLock, create_profile, profile_exists

BOUND_SECONDS = 20

HOLDER = r"""
import sys
from pathlib import Path
from peerapp.storage.profile import ProfileLock
lock = ProfileLock.acquire(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.read()  # hold the lock until stdin closes or the process is killed
lock.release()
"""


def test_a_second_acquire_in_the_same_process_is_refused(tmp_path: Path) -> None:
    first = ProfileLock.acquire(tmp_path)
    try:
        with pytest.raises(ProfileInUse) as raised:
            ProfileLock.acquire(tmp_path)
        assert "already open" in raised.value.message
    finally:
        first.release()
    second = ProfileLock.acquire(tmp_path)
    second.release()


def test_release_is_idempotent_and_creates_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    lock = ProfileLock.acquire(folder)
    assert (folder / LOCK_FILE).is_file()
    lock.release()
    lock.release()
    ProfileLock.acquire(folder).release()


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], BOUND_SECONDS)
        assert ready, "the lock holder did not start in time"
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=BOUND_SECONDS)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def test_a_lock_held_by_another_process_blocks_until_it_is_killed(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(ProfileInUse):
        ProfileLock.acquire(tmp_path)
    holder.kill()
    # the condition: the holder has died, so the kernel has dropped its flock
    holder.wait(timeout=BOUND_SECONDS)
    lock = ProfileLock.acquire(tmp_path)
    lock.release()


def test_a_lock_held_by_another_process_is_free_after_it_releases(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(ProfileInUse):
        ProfileLock.acquire(tmp_path)
    assert holder.stdin is not None
    holder.stdin.close()  # the holder releases and exits normally
    assert holder.wait(timeout=BOUND_SECONDS) == 0
    ProfileLock.acquire(tmp_path).release()


def test_tidying_removes_only_what_this_run_made_when_no_profile_was(tmp_path: Path) -> None:
    kept = tmp_path / "data"
    kept.mkdir()
    folder = kept / "hearth" / "profile"
    lock = ProfileLock.acquire(folder)
    assert (folder / LOCK_FILE).is_file()
    lock.release_and_tidy()
    assert not (kept / "hearth").exists()  # the two folders it made, gone
    assert kept.is_dir()  # the one that was there before, kept
    ProfileLock.acquire(folder).release()  # and the lock was let go


def test_tidying_keeps_a_folder_that_was_there_or_holds_anything(tmp_path: Path) -> None:
    there = tmp_path / "there"
    there.mkdir()
    ProfileLock.acquire(there).release_and_tidy()
    assert there.is_dir() and list(there.iterdir()) == []  # only our lock file went

    folder = tmp_path / "new" / "profile"
    lock = ProfileLock.acquire(folder)
    (folder / "notes.txt").write_text("someone else's")
    lock.release_and_tidy()
    assert (folder / "notes.txt").is_file()
    assert not (folder / LOCK_FILE).exists()


def test_tidying_leaves_a_profile_alone(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "profile"
    lock = ProfileLock.acquire(folder)
    create_profile(folder, "kettle river moon lantern", TEST_KDF)
    lock.release_and_tidy()
    assert profile_exists(folder) and (folder / LOCK_FILE).is_file()
