"""Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync folder.

At every instant the target path holds either the whole old content or the whole new
content. A leftover temp file (crash before the rename) is ignored and cleaned later.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from peerapp.core.errors import StorageFull

TEMP_SUFFIX = ".tmp"


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    temp = path.with_name(path.name + TEMP_SUFFIX)
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(data)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temp, path)
        _fsync_folder(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull() from error
        raise


def remove_leftover_temp(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.with_name(path.name + TEMP_SUFFIX).unlink()
