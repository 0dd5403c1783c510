"""Each circle membership's own network identity at rest (issue 12): a libp2p peer seed
and the onion service key, so two circles that share a person cannot link them by peer
id or onion address.

Rules:
- The peer seed is made (32 random bytes) the first time a membership's identity is
  asked for, and kept for the membership's life: members store its peer id.
- The onion key is made by tor (the first ADD_ONION of the membership) and kept as tor
  wrote it, with its address; the first one kept stays (`keep_onion`): replacing it would
  move the address members stored. Storage does not read it (it is the network's
  `OnionKey` blob, opaque here).
- No seed and no onion address is ever stored for two circles (UNIQUE in the schema).
- `forget` erases it (with the circle, or when a join is given up), checkpointing so the
  WAL keeps no copy. Nothing here is ever logged: `NetworkIdentity`'s repr hides keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import nacl.utils
import sqlcipher3

from peerapp.core.errors import HearthError
from peerapp.crypto.identity import SEED_BYTES
from peerapp.storage.database import Database


class OnionKeyTaken(HearthError):
    def __init__(self) -> None:
        super().__init__(
            "This onion address is already kept for another circle; each circle needs "
            "its own. Let Tor make a new onion service for this circle."
        )


@dataclass(frozen=True)
class NetworkIdentity:
    circle: bytes
    peer_seed: bytes = field(repr=False)
    onion_address: str | None = None  # 56 base32 characters, None until tor made one
    onion_key: str | None = field(default=None, repr=False)


def _identity(row: tuple[Any, ...]) -> NetworkIdentity:
    return NetworkIdentity(
        circle=bytes(row[0]),
        peer_seed=bytes(row[1]),
        onion_address=None if row[2] is None else str(row[2]),
        onion_key=None if row[3] is None else str(row[3]),
    )


_SELECT = "SELECT circle, peer_seed, onion_address, onion_key FROM network_identities"


class NetworkIdentityStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def find(self, circle: bytes) -> NetworkIdentity | None:
        rows = self._database.query(_SELECT + " WHERE circle = ?", (circle,))
        return _identity(rows[0]) if rows else None

    def identity(self, circle: bytes) -> NetworkIdentity:
        """The membership's identity, made with a new random peer seed on first use."""
        with self._database.transaction() as connection:
            connection.execute(
                "INSERT INTO network_identities(circle, peer_seed) VALUES (?, ?) "
                "ON CONFLICT(circle) DO NOTHING",
                (circle, nacl.utils.random(SEED_BYTES)),
            )
        found = self.find(circle)
        if found is None:  # the row was just written in this connection
            raise RuntimeError("a network identity was written but cannot be read back")
        return found

    def keep_onion(self, circle: bytes, address: str, key: str) -> NetworkIdentity:
        """Keep the onion service key tor made for this membership, unless one is kept
        already: the identity returned holds the one to use from now on. OnionKeyTaken
        when this address is kept for another circle."""
        self.identity(circle)
        try:
            with self._database.transaction() as connection:
                connection.execute(
                    "UPDATE network_identities SET onion_address = ?, onion_key = ? "
                    "WHERE circle = ? AND onion_key IS NULL",
                    (address, key, circle),
                )
        except sqlcipher3.dbapi2.IntegrityError:
            raise OnionKeyTaken() from None
        return self.identity(circle)

    def rename(self, provisional: bytes, circle: bytes) -> None:
        """Keep the identity made under a provisional id (a circle being founded: its id
        is the hash of a genesis that names the identity's peer id) under its circle id."""
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE network_identities SET circle = ? WHERE circle = ?", (circle, provisional)
            )

    def circles(self) -> list[bytes]:
        """Every membership (or join under way) holding a network identity."""
        rows = self._database.query("SELECT circle FROM network_identities ORDER BY circle")
        return [bytes(row[0]) for row in rows]

    def forget(self, circle: bytes) -> None:
        with self._database.transaction() as connection:
            connection.execute("DELETE FROM network_identities WHERE circle = ?", (circle,))
        self._database.checkpoint()
