"""join_facts: what an ADD_MEMBER's embedded JOIN_REQUEST proves, from real signed events."""

from __future__ import annotations

import pytest

from peerapp.core.circle_events import SIGNATURE_BYTES, EventType
from peerapp.core.circle_state import JoinFacts
from peerapp.crypto.invite_keys import invite_public_key
from peerapp.crypto.join_facts import join_facts
from tests.crypto.circle_fixtures import (
    circle_id_for,
    founded_circle,
    identity,
    invite_seed,
    join_request,
    join_request_body,
)

JOINER = identity("joiner")
SEED = invite_seed("join-facts")


def test_facts_of_a_real_admission() -> None:
    builder, founder = founded_circle("facts")
    request = join_request(builder.circle_id, JOINER, SEED)
    added = builder.admit(founder, request)
    assert join_facts(added.event) == JoinFacts(
        joiner=JOINER.key,
        signature_ok=True,
        proof_ok=True,
        invite=invite_public_key(SEED),
        member_name=JOINER.name,
        exchange=JOINER.exchange,
        peer=JOINER.peer,
        addrs=tuple(JOINER.addrs),
    )


def test_proof_by_the_wrong_seed_is_reported() -> None:
    builder, founder = founded_circle("facts")
    body = join_request_body(builder.circle_id, JOINER, invite_seed("guessed"), bytes(32))
    body["invite"] = invite_public_key(SEED)  # names the real invite, proves another seed
    added = builder.admit(founder, join_request(builder.circle_id, JOINER, SEED, body=body))
    facts = join_facts(added.event)
    assert facts is not None
    assert facts.signature_ok and not facts.proof_ok


def test_proof_for_another_joiner_is_reported() -> None:
    builder, founder = founded_circle("facts")
    body = join_request_body(builder.circle_id, identity("someone else"), SEED, bytes(32))
    body["exchange"] = JOINER.exchange
    added = builder.admit(founder, join_request(builder.circle_id, JOINER, SEED, body=body))
    facts = join_facts(added.event)
    assert facts is not None and not facts.proof_ok


def test_request_for_another_circle_is_not_a_join() -> None:
    builder, founder = founded_circle("facts")
    elsewhere = join_request(circle_id_for("elsewhere"), JOINER, SEED)
    assert join_facts(builder.admit(founder, elsewhere).event) is None


@pytest.mark.parametrize(
    "request_bytes",
    ["a message", "broken signature", "garbage", "empty", "truncated"],
)
def test_a_request_that_is_not_a_signed_join_request_is_none(request_bytes: str) -> None:
    builder, founder = founded_circle("facts")
    real = join_request(builder.circle_id, JOINER, SEED).signed
    embedded = {
        "a message": builder.message(founder, "not a request").signed,
        "broken signature": real[:-1] + bytes([real[-1] ^ 1]),
        "garbage": bytes(200),
        "empty": b"",
        "truncated": real[:-SIGNATURE_BYTES],
    }[request_bytes]
    assert join_facts(builder.admit(founder, embedded).event) is None


@pytest.mark.parametrize("kind", [t for t in EventType if t is not EventType.ADD_MEMBER])
def test_other_event_types_have_no_join_facts(kind: EventType) -> None:
    builder, founder = founded_circle("facts")
    event = builder.make(founder, kind, {})
    assert join_facts(event) is None


def test_hostile_embedded_request_is_not_a_join() -> None:
    """A member may embed any bytes up to 16 KiB; cyclic CBOR must not crash resolution."""
    builder, founder = founded_circle("facts")
    cyclic = bytes.fromhex("d81c82d81d00") + bytes([0x78, 80]) + b"x" * 80
    added = builder.admit(founder, cyclic + bytes(SIGNATURE_BYTES))
    assert join_facts(added.event) is None
