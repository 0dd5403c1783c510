"""Invite keys: a one-off seed in the invite code; its Ed25519 public key in the log.

The joiner proves it holds the seed by signing a member's fresh challenge together with
the circle id and the joiner's own key, so a proof cannot be replayed elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

import nacl.signing
import nacl.utils

from peerapp.crypto.signing import sign_detached, verify_detached

SEED_BYTES = 32
CHALLENGE_BYTES = 32
_PROOF_LABEL = b"peerapp:join-proof:v1"


def new_invite_seed(random: Callable[[int], bytes] = nacl.utils.random) -> bytes:
    return random(SEED_BYTES)


def invite_public_key(seed: bytes) -> bytes:
    return bytes(nacl.signing.SigningKey(seed).verify_key)


def _proof_message(circle_id: bytes, challenge: bytes, joiner: bytes) -> bytes:
    return _PROOF_LABEL + circle_id + challenge + joiner


def prove(seed: bytes, circle_id: bytes, challenge: bytes, joiner: bytes) -> bytes:
    return sign_detached(_proof_message(circle_id, challenge, joiner), seed)


def check_proof(
    invite_public: bytes, proof: bytes, circle_id: bytes, challenge: bytes, joiner: bytes
) -> bool:
    return verify_detached(_proof_message(circle_id, challenge, joiner), proof, invite_public)
