"""What the fronts (GUI, node) may do with a profile before and around the engine.

The fronts depend on the engine package only; this module is their one door to profile
storage and the passphrase key file, so the layering rule (ui -> engine -> storage) holds.
"""

from __future__ import annotations

from peerapp.crypto.keyfile import TEST_KDF, KdfParams
from peerapp.network.addresses import parse_listen_address
from peerapp.storage.profile import (
    DATABASE_FILE,
    ProfileLock,
    UnlockedProfile,
    change_passphrase,
    create_profile,
    profile_exists,
    unlock_profile,
)

__all__ = [
    "DATABASE_FILE",
    "TEST_KDF",
    "KdfParams",
    "ProfileLock",
    "UnlockedProfile",
    "change_passphrase",
    "create_profile",
    "parse_listen_address",
    "profile_exists",
    "unlock_profile",
]
