"""Invite keys and join proofs: a proof is bound to the circle, the challenge and the joiner."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.crypto.invite_keys import (
    CHALLENGE_BYTES,
    SEED_BYTES,
    check_proof,
    invite_public_key,
    new_invite_seed,
    prove,
)
from peerapp.crypto.signing import public_signing_key, verify_detached
from tests.crypto.circle_fixtures import circle_id_for, derive, identity, invite_seed

SEED = invite_seed("proofs")
INVITE = invite_public_key(SEED)
CIRCLE = circle_id_for("proofs")
CHALLENGE = derive("challenge", CHALLENGE_BYTES)
JOINER = identity("joiner").key
PROOF = prove(SEED, CIRCLE, CHALLENGE, JOINER)


def test_invite_public_key_is_the_seeds_ed25519_key() -> None:
    assert invite_public_key(SEED) == public_signing_key(SEED)
    assert len(INVITE) == 32
    assert invite_public_key(invite_seed("other")) != INVITE


def test_new_invite_seed_uses_the_injected_randomness() -> None:
    requests: list[int] = []

    def random(size: int) -> bytes:
        requests.append(size)
        return SEED

    assert new_invite_seed(random=random) == SEED
    assert requests == [SEED_BYTES]
    assert new_invite_seed() != new_invite_seed()


def test_round_trip() -> None:
    assert len(PROOF) == 64
    assert check_proof(INVITE, PROOF, CIRCLE, CHALLENGE, JOINER)
    assert prove(SEED, CIRCLE, CHALLENGE, JOINER) == PROOF  # deterministic


def test_proof_is_over_the_labelled_message() -> None:
    message = b"peerapp:join-proof:v1" + CIRCLE + CHALLENGE + JOINER
    assert verify_detached(message, PROOF, INVITE)


OTHER = {
    "circle": dict(circle_id=circle_id_for("elsewhere")),
    "challenge": dict(challenge=derive("another challenge")),
    "joiner": dict(joiner=identity("someone else").key),
    "invite key": dict(invite_public=invite_public_key(invite_seed("other"))),
    "proof byte": dict(proof=bytes([PROOF[0] ^ 1]) + PROOF[1:]),
    "proof truncated": dict(proof=PROOF[:-1]),
    "proof empty": dict(proof=b""),
    "invite key malformed": dict(invite_public=INVITE[:31]),
    "proof of zeros": dict(proof=bytes(64)),
}


@pytest.mark.parametrize("changed", list(OTHER.values()), ids=list(OTHER))
def test_changing_anything_fails(changed: dict[str, bytes]) -> None:
    arguments = {
        "invite_public": INVITE,
        "proof": PROOF,
        "circle_id": CIRCLE,
        "challenge": CHALLENGE,
        "joiner": JOINER,
        **changed,
    }
    assert not check_proof(**arguments)


def test_proof_by_another_seed_fails_for_this_invite() -> None:
    forged = prove(invite_seed("guessed"), CIRCLE, CHALLENGE, JOINER)
    assert not check_proof(INVITE, forged, CIRCLE, CHALLENGE, JOINER)


def test_field_boundaries_cannot_be_shifted() -> None:
    """Moving a byte from the circle id to the challenge must not keep the proof valid."""
    shifted_circle = CIRCLE[:-1]
    shifted_challenge = CIRCLE[-1:] + CHALLENGE
    assert not check_proof(INVITE, PROOF, shifted_circle, shifted_challenge[:32], JOINER)


@settings(max_examples=100, deadline=None)
@given(
    st.binary(min_size=16, max_size=16),
    st.binary(min_size=32, max_size=32),
    st.binary(min_size=32, max_size=32),
    st.binary(min_size=32, max_size=32),
)
def test_proof_holds_only_for_what_it_was_made_over(
    circle: bytes, challenge: bytes, joiner: bytes, other: bytes
) -> None:
    proof = prove(SEED, circle, challenge, joiner)
    assert check_proof(INVITE, proof, circle, challenge, joiner)
    if other != challenge:
        assert not check_proof(INVITE, proof, circle, other, joiner)
    if other != joiner:
        assert not check_proof(INVITE, proof, circle, challenge, other)
    if other[:16] != circle:
        assert not check_proof(INVITE, proof, other[:16], challenge, joiner)
