"""A real crash in the middle of a passphrase change.

A child process runs change_passphrase with one step of write_atomically replaced by
os._exit(1) (no cleanup, no finally blocks, no flushing: what a kill or power cut leaves
of the process). The parent then checks that the profile opens with exactly one of the
two passphrases: the old one if the crash came before the rename, the new one after.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.errors import WrongPassphrase
from peerapp.storage.atomic import TEMP_SUFFIX
from peerapp.storage.profile import DATABASE_FILE, KEY_FILE, change_passphrase, unlock_profile

BOUND_SECONDS = 30
CRASHED = 70  # exit status of a crash at the chosen point; distinct from errors (1)

CHILD = r"""
import json, os, stat, sys
from pathlib import Path
from peerapp.storage import profile

config = json.loads(sys.stdin.read())
point = config["point"]
CRASHED = config["crashed"]
real_fsync, real_replace, real_write = os.fsync, os.replace, os.write


def is_folder(descriptor):
    return stat.S_ISDIR(os.fstat(descriptor).st_mode)


def write(descriptor, data):
    if point == "mid-write":
        real_write(descriptor, bytes(data[: len(data) // 2]))
        os._exit(CRASHED)
    return real_write(descriptor, data)


def fsync(descriptor):
    if point == "fsync-temp" and not is_folder(descriptor):
        os._exit(CRASHED)
    if point == "fsync-folder" and is_folder(descriptor):
        os._exit(CRASHED)
    real_fsync(descriptor)
    if point == "after-fsync-folder" and is_folder(descriptor):
        os._exit(CRASHED)


def replace(source, target, *args, **kwargs):
    if point == "before-replace":
        os._exit(CRASHED)
    real_replace(source, target, *args, **kwargs)
    if point == "after-replace":
        os._exit(CRASHED)


os.write, os.fsync, os.replace = write, fsync, replace
profile.change_passphrase(Path(config["folder"]), config["old"], config["new"])
os._exit(0)  # the crash point was never reached
"""

# (crash point, which passphrase must open the profile, is a temp file left behind)
POINTS = [
    ("mid-write", "old", True),
    ("fsync-temp", "old", True),
    ("before-replace", "old", True),
    ("after-replace", "new", False),
    ("fsync-folder", "new", False),
    ("after-fsync-folder", "new", False),
]


def _crash_change(folder: Path, passphrases: Any, point: str) -> None:
    # passphrases go over stdin, never on a command line other processes can read
    config = {
        "folder": str(folder),
        "old": passphrases.old,
        "new": passphrases.new,
        "point": point,
        "crashed": CRASHED,
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(config),
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS,
        check=False,
    )
    assert result.returncode == CRASHED, f"child did not crash at {point}: {result.stderr[-2000:]}"


def _opens_with(folder: Path, passphrase: str) -> bool:
    try:
        unlock_profile(folder, passphrase)
    except WrongPassphrase:
        return False
    return True


@pytest.mark.parametrize(
    ("point", "survivor", "temp_left"), POINTS, ids=[point for point, _, _ in POINTS]
)
def test_a_crash_during_a_passphrase_change(
    profile_folder: Path, passphrases: Any, point: str, survivor: str, temp_left: bool
) -> None:
    database_before = (profile_folder / DATABASE_FILE).read_bytes()
    _crash_change(profile_folder, passphrases, point)

    opens_with_old = _opens_with(profile_folder, passphrases.old)
    opens_with_new = _opens_with(profile_folder, passphrases.new)
    assert opens_with_old != opens_with_new, "exactly one passphrase must open the profile"
    assert opens_with_old == (survivor == "old")
    assert opens_with_new == (survivor == "new")

    temp = profile_folder / (KEY_FILE + TEMP_SUFFIX)
    assert temp.exists() == temp_left
    assert (profile_folder / DATABASE_FILE).read_bytes() == database_before

    # the profile stays usable: the next change goes through and clears the leftover
    current = passphrases.old if survivor == "old" else passphrases.new
    change_passphrase(profile_folder, current, "a third passphrase")
    assert not temp.exists()
    unlock_profile(profile_folder, "a third passphrase")
