"""Checking the JOIN_REQUEST that an ADD_MEMBER carries, for the resolution in core."""

from __future__ import annotations

from peerapp.core.circle_events import Event, EventError, EventType
from peerapp.core.circle_state import JoinFacts
from peerapp.crypto.invite_keys import check_proof
from peerapp.crypto.signing import verify_signed


def join_facts(add_member: Event) -> JoinFacts | None:
    """What the embedded request proves, or None when it is not a join request at all."""
    if add_member.type is not EventType.ADD_MEMBER:
        return None
    try:
        request = verify_signed(add_member.body["request"]).event
    except EventError:
        return None
    if request.type is not EventType.JOIN_REQUEST or request.circle != add_member.circle:
        return None
    body = request.body
    return JoinFacts(
        joiner=request.author,
        signature_ok=True,
        proof_ok=check_proof(
            body["invite"], body["proof"], request.circle, body["challenge"], request.author
        ),
        invite=body["invite"],
        member_name=body["member_name"],
        exchange=body["exchange"],
        peer=body["peer"],
        addrs=tuple(body["addrs"]),
    )
