"""The profile folder: a passphrase key file, the SQLCipher database and a lock file.

Layout (nothing in it is plaintext user data):
    profile.key   JSON: Argon2id parameters + the wrapped database key
    hearth.db     SQLCipher 4 database (and its -wal / -shm while open)
    profile.lock  empty; an flock on it keeps a second app or node off this profile

Rules:
- The key file is written last at creation: its presence marks a complete profile.
- Unlocking reads only (and tightens modes, below); a wrong passphrase changes nothing.
- A passphrase change rewrites only the key file, atomically; the database key stays.
- Private to the user: the folder is 0700 and every file in it 0600, as created (explicit
  modes; SQLite gives -wal/-shm the database file's own mode) and as tightened on every
  unlock (a folder or file another tool made readable to others loses those bits).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from peerapp.core.errors import (
    PassphraseRejected,
    ProfileDamaged,
    ProfileExists,
    ProfileInUse,
    ProfileMissing,
    StorageFull,
)
from peerapp.core.passphrase_policy import MIN_LENGTH
from peerapp.crypto import identity, keyfile
from peerapp.storage.atomic import remove_leftover_temp, write_atomically
from peerapp.storage.database import Database
from peerapp.storage.reserve import keep_reserve, release_reserve

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
# group and other bits: what make_private strips; owner bits are never added or removed
SHARED_BITS = 0o077

KEY_FILE = "profile.key"
DATABASE_FILE = "hearth.db"
LOCK_FILE = "profile.lock"


@dataclass(frozen=True)
class ProfilePaths:
    folder: Path

    @property
    def key_file(self) -> Path:
        return self.folder / KEY_FILE

    @property
    def database(self) -> Path:
        return self.folder / DATABASE_FILE

    @property
    def lock(self) -> Path:
        return self.folder / LOCK_FILE


def _strip_shared_bits(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & SHARED_BITS:
        path.chmod(mode & ~SHARED_BITS)


def make_private(folder: Path) -> None:
    """Take group and other permissions off the folder and everything directly in it
    (0777 -> 0700, 0644 -> 0600). Symlinks inside are left alone: chmod would follow them
    out of the folder (the folder itself may be one; its target is what gets tightened).
    A file we may not chmod (another owner's) is logged, not fatal."""
    paths = [folder, *(path for path in folder.iterdir() if not path.is_symlink())]
    for path in paths:
        try:
            _strip_shared_bits(path)
        except FileNotFoundError:
            pass  # a -wal or temp file that went away meanwhile
        except PermissionError:
            log.warning("cannot make %s private to this user", path.name)


def profile_exists(folder: Path) -> bool:
    return ProfilePaths(folder).key_file.is_file()


class ProfileLock:
    """An exclusive advisory lock on the profile, released when the process ends.

    It remembers what acquiring it made (the lock file, and the folders that did not
    exist yet), so a run that ends with no profile made can take exactly that away again
    (`release_and_tidy`): a welcome screen closed unanswered leaves no empty folder."""

    def __init__(
        self,
        descriptor: int,
        made_folders: tuple[Path, ...] = (),
        made_lock_file: Path | None = None,
    ) -> None:
        self._descriptor: int | None = descriptor
        self._made_folders = made_folders  # deepest first
        self._made_lock_file = made_lock_file

    @classmethod
    def acquire(cls, folder: Path) -> ProfileLock:
        made_folders = _missing_folders(folder)
        folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        lock_path = ProfilePaths(folder).lock
        lock_existed = lock_path.exists()
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise ProfileInUse() from None
        return cls(descriptor, made_folders, None if lock_existed else lock_path)

    def release(self) -> None:
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None

    def release_and_tidy(self) -> None:
        """Release; and when no profile was made in the folder, remove what `acquire` made
        in this run: its lock file, then each folder it created, deepest first, while
        empty (anything else found there, another program's or a failed creation's, stays
        with the folders holding it)."""
        lock_file = self._made_lock_file
        tidy = lock_file is not None and not profile_exists(lock_file.parent)
        if tidy and lock_file is not None:
            # unlinked while still held: no other process can lock this file meanwhile
            with contextlib.suppress(FileNotFoundError):
                lock_file.unlink()
        self.release()
        if not tidy:
            return
        for made in self._made_folders:
            try:
                made.rmdir()
            except OSError:
                break  # not empty (or gone): the folders above it hold it, so they stay
        log.info("no profile was made: removed what this run had created for it")


def _missing_folders(folder: Path) -> tuple[Path, ...]:
    """`folder` and its ancestors that do not exist yet, deepest first."""
    missing: list[Path] = []
    current = folder.absolute()
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    return tuple(missing)


@dataclass(frozen=True, repr=False)
class UnlockedProfile:
    """A profile whose database key is known. Never printed: repr hides the key."""

    folder: Path
    database_key: bytes

    @property
    def paths(self) -> ProfilePaths:
        return ProfilePaths(self.folder)

    def open_database(self) -> Database:
        """Open the database; on a full disk, with the space held in reserve (reserve.py)."""
        try:
            database = Database.open(self.paths.database, self.database_key)
        except StorageFull:
            if not release_reserve(self.folder):
                raise
            return Database.open(self.paths.database, self.database_key)
        keep_reserve(self.folder)
        return database

    def __repr__(self) -> str:
        return f"UnlockedProfile(folder={str(self.folder)!r})"


def _check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise PassphraseRejected(f"Use at least {MIN_LENGTH} characters.")


def _remove_database_files(paths: ProfilePaths) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            paths.database.with_name(DATABASE_FILE + suffix).unlink()


def create_profile(
    folder: Path, passphrase: str, kdf: keyfile.KdfParams | None = None
) -> UnlockedProfile:
    """Create keys, database and key file. `kdf` None calibrates Argon2id on this machine."""
    _check_new_passphrase(passphrase)
    paths = ProfilePaths(folder)
    if profile_exists(folder):
        raise ProfileExists(f"A profile already exists in {folder}.")
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    make_private(folder)
    if paths.database.exists():
        # A database without a key file is the remains of an interrupted creation: its key
        # was never saved, so nothing in it can be read. Keep it aside rather than delete.
        orphan = paths.database.with_name(f"{DATABASE_FILE}.orphaned-{time.time_ns()}")
        paths.database.rename(orphan)
        _remove_database_files(paths)
        log.warning("set aside an orphaned database from an interrupted profile creation")
    database_key = keyfile.new_database_key()
    # wrap first (the slow, failure-free part) so the window for a half-made profile is short
    key_file = keyfile.wrap(database_key, passphrase, kdf or keyfile.calibrate())
    try:
        database = Database.open(paths.database, database_key, create=True)
        try:
            database.put_keys(identity.new_profile_keys().as_records())
        finally:
            database.close()
        write_atomically(paths.key_file, key_file)
    except BaseException:
        # without its key file the database can never be read: remove it, so a retry (on a
        # disk with room again) starts clean. Never when the key file made it to disk.
        if not paths.key_file.exists():
            _remove_database_files(paths)
        raise
    keep_reserve(folder)
    log.info("profile created")
    return UnlockedProfile(folder, database_key)


def _read_key_file(paths: ProfilePaths) -> bytes:
    try:
        return paths.key_file.read_bytes()
    except FileNotFoundError:
        raise ProfileMissing(f"There is no Hearth profile in {paths.folder}.") from None


def unlock_profile(folder: Path, passphrase: str) -> UnlockedProfile:
    """Check the passphrase and that the database opens; read-only on failure."""
    paths = ProfilePaths(folder)
    database_key = keyfile.unwrap(_read_key_file(paths), passphrase)
    if not paths.database.is_file():
        raise ProfileDamaged("The profile's database file is missing.")
    # only after the passphrase checked out: a wrong one changes nothing, modes included
    make_private(folder)
    unlocked = UnlockedProfile(folder, database_key)
    unlocked.open_database().close()
    return unlocked


def change_passphrase(
    folder: Path, old_passphrase: str, new_passphrase: str, kdf: keyfile.KdfParams | None = None
) -> None:
    """Re-wrap the database key under a new passphrase; the database is not touched."""
    _check_new_passphrase(new_passphrase)
    paths = ProfilePaths(folder)
    current = _read_key_file(paths)
    database_key = keyfile.unwrap(current, old_passphrase)
    params = kdf or keyfile.kdf_params_of(current)
    remove_leftover_temp(paths.key_file)
    write_atomically(paths.key_file, keyfile.wrap(database_key, new_passphrase, params))
    log.info("profile passphrase changed")
