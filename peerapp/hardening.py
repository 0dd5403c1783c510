"""Process hardening: the profile's secrets leave no trace outside the encrypted database.

A running app or node holds circle names, messages, care notes, keys and (briefly) the
passphrase in plaintext memory. Three side doors would copy them out, and are closed here:

- Core dumps. A crash would write the whole memory to a core file (or hand it to a crash
  collector). `harden_process` sets RLIMIT_CORE to 0 (soft and hard, so nothing in the
  process can raise it again) and, on Linux, marks the process not dumpable
  (prctl(PR_SET_DUMPABLE, 0)): that also covers core pipes (systemd-coredump, apport),
  which ignore RLIMIT_CORE, and keeps other processes of the same user from attaching
  with ptrace or reading /proc/<pid>/mem and /proc/<pid>/environ (those files become
  root's). A side effect: debuggers and py-spy attach only as root.
- Loose file modes. `harden_process` sets the umask to 077, so anything this process
  creates without an explicit mode is private to the user. The storage layer does not rely
  on it (it creates and tightens its own files, see storage/profile.py): the umask is the
  process-wide net for whatever else is written later.
- The environment. `take_environment_variable` reads a secret once and removes it from
  os.environ and from the environment block the kernel shows in /proc/<pid>/environ.

Elsewhere than Linux the prctl and the /proc wipe are skipped (they do not exist there).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import resource
import sys
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
PR_SET_DUMPABLE = 4  # from <linux/prctl.h>
PR_GET_DUMPABLE = 3
# /proc/<pid>/stat fields 50 and 51 (1-based, Linux >= 3.5): where the environment block
# the process was started with lies in its memory. Counted here from field 3, the first
# one after the command name in parentheses (which may itself hold spaces or ')').
_ENV_START_FIELD = 50 - 3
_ENV_END_FIELD = 51 - 3


def harden_process() -> None:
    """Disable core dumps and make new files private; call before anything else runs."""
    os.umask(PRIVATE_UMASK)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            log.warning("could not mark the process not dumpable (errno %d)", ctypes.get_errno())


def is_dumpable() -> bool:
    """What prctl(PR_GET_DUMPABLE) says on Linux; elsewhere whether core dumps are allowed."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        return bool(libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
    return resource.getrlimit(resource.RLIMIT_CORE)[0] != 0


def take_environment_variable(name: str) -> str | None:
    """The variable's value, removed from the environment as it is read.

    Removing it from os.environ calls unsetenv(), which only drops libc's pointer to the
    string: /proc/<pid>/environ shows the block the kernel copied onto the stack at exec,
    and that copy would keep the value for the process's whole life. So the entry's bytes
    in that block are overwritten in place as well. (Re-executing without the variable
    would also work, but costs a second interpreter start and changes what a parent waiting
    on the process sees; a wipe in place has neither cost.)
    """
    value = os.environ.pop(name, None)
    with contextlib.suppress(OSError):
        os.unsetenv(name)  # also when os.environ had not decoded it
    if sys.platform == "linux":
        _wipe_from_original_block(name.encode())
    return value


def _original_block() -> tuple[int, int] | None:
    """(address, length) of the environment block /proc/self/environ reads, if known."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        fields = stat[stat.rindex(")") + 2 :].split()
        start, end = int(fields[_ENV_START_FIELD]), int(fields[_ENV_END_FIELD])
    except (OSError, ValueError, IndexError):
        return None
    return (start, end - start) if 0 < start < end else None


def _wipe_from_original_block(name: bytes) -> None:
    block = _original_block()
    if block is None:
        log.warning("cannot find the process environment to wipe a secret from it")
        return
    address, length = block
    content = ctypes.string_at(address, length)
    offset = 0
    for entry in content.split(b"\0"):
        if entry.startswith(name + b"="):
            # nothing references these bytes any more (unsetenv dropped libc's pointer),
            # so zeroing them is safe; the whole entry goes, name included
            ctypes.memset(address + offset, 0, len(entry))
        offset += len(entry) + 1
