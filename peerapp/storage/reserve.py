"""Space held in reserve next to the database, so a full disk never stops Hearth starting.

SQLite needs room to open a WAL database (its -wal and -shm files) and to run the few
writes of a start-up. A disk filled by anything (another program, or a flood the quotas
did not stop in time) would otherwise lock the user out of the very app that can show
and clear what fills it. So each successful open keeps a file of RESERVE_BYTES in the
profile folder; an open that fails on a full disk deletes it and tries once more. The
reserve is taken back at a later open, once there is room for it and as much again.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

RESERVE_FILE = "space.reserve"
RESERVE_BYTES = 4 * 1024 * 1024
_CHUNK = 64 * 1024


def reserve_path(folder: Path) -> Path:
    return folder / RESERVE_FILE


def keep_reserve(folder: Path) -> bool:
    """Make sure the reserve exists at full size, if the disk has room (best effort: a
    full disk leaves no partial file behind). True when it is in place."""
    path = reserve_path(folder)
    with contextlib.suppress(FileNotFoundError):
        if path.stat().st_size >= RESERVE_BYTES:
            return True
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    if stats.f_bavail * stats.f_frsize < 2 * RESERVE_BYTES:
        return False  # taking it back now would leave the database no room to work
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            # written, not fallocated: tmpfs and some filesystems would not really reserve
            # (no fsync: the blocks are allocated by the writes, durability is not the point)
            for offset in range(0, RESERVE_BYTES, _CHUNK):
                os.pwrite(descriptor, bytes(_CHUNK), offset)
        finally:
            os.close(descriptor)
    except OSError as error:
        with contextlib.suppress(OSError):
            path.unlink()
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            log.warning("could not keep disk space in reserve (%s)", type(error).__name__)
        return False
    return True


def release_reserve(folder: Path) -> bool:
    """Free the reserve; True when there was one to free."""
    try:
        reserve_path(folder).unlink()
    except FileNotFoundError:
        return False
    log.warning("the disk is full: opening with the space held in reserve")
    return True
