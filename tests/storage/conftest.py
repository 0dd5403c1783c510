"""Fixtures for the storage suites: real SQLCipher profiles in tmp_path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from peerapp.crypto.keyfile import TEST_KDF
from peerapp.storage.profile import create_profile

Snapshot = dict[str, str]


@dataclass(frozen=True, repr=False)
class Passphrases:
    """Test passphrases. Not secrets, but kept out of failure reports all the same
    (pytest shows fixture values there; this object's repr is opaque)."""

    old: str = "kettle river moon lantern"
    new: str = "harbour lights at dawn"
    wrong: str = "kettle river moon lanterns"

    def __repr__(self) -> str:
        return "<test passphrases>"


def snapshot_folder(folder: Path) -> Snapshot:
    """Every file under `folder` by relative name, with a hash of its bytes and its mode."""
    result: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            result[str(path.relative_to(folder))] = f"{digest}:{path.stat().st_mode:o}"
    return result


@pytest.fixture
def snapshot() -> Callable[[Path], Snapshot]:
    return snapshot_folder


@pytest.fixture
def passphrases() -> Passphrases:
    return Passphrases()


@pytest.fixture
def profile_folder(tmp_path: Path, passphrases: Passphrases) -> Path:
    """A freshly created profile (cheap KDF) locked with `passphrases.old`."""
    folder = tmp_path / "profile"
    create_profile(folder, passphrases.old, TEST_KDF)
    return folder
