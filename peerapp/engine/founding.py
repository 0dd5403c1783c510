"""Founding a circle: our genesis, our membership and the first epoch, in the log.

Kept apart from the circle service so that the service (with its host) and the
socket-free feature tests (tests/engine/circle_parts.py) found circles the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import nacl.public
import nacl.signing

from peerapp.core.circle_events import CIRCLE_ID_BYTES, Event, EventType, bound_genesis
from peerapp.crypto.signing import sign_event
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime, new_membership
from peerapp.engine.clock import Clock
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.storage.circle_store import CircleStore


def found_circle(
    *,
    name: str,
    guidelines: str,
    member_name: str,
    peer: str,
    addrs: Sequence[str],
    clock: Clock,
    store: CircleStore,
    runtimes: CircleRuntimes,
    log: CircleLog,
    named: Callable[[bytes], None] = lambda circle_id: None,
) -> CircleRuntime:
    """A new circle with us as its founder, stored and resolved; nothing is published (no
    one else holds it yet). `named(circle_id)` runs once the id is known, before the
    membership is stored (the service renames the host it opened under a provisional id)."""
    signing = nacl.signing.SigningKey.generate()
    exchange = nacl.public.PrivateKey.generate()
    # the circle id is the hash of its genesis: no one can found it a second time
    unbound = Event(
        type=EventType.GENESIS,
        circle=bytes(CIRCLE_ID_BYTES),
        author=bytes(signing.verify_key),
        seq=0,
        lamport=0,
        prev=(),
        ts=clock.now_ms(),
        body={
            "name": name,
            "guidelines": guidelines.strip(),
            "member_name": member_name,
            "exchange": bytes(exchange.public_key),
            "peer": peer,
            "addrs": list(addrs),
        },
    )
    genesis = sign_event(bound_genesis(unbound), bytes(signing))
    membership = new_membership(
        genesis.event.circle, name, signing, exchange, joined_at=clock.now_ms()
    )
    runtime = CircleRuntime.for_membership(membership, {})
    named(membership.circle_id)
    store.add_membership(membership)
    runtimes.add(runtime)
    log.commit(runtime, [genesis])
    log.commit(runtime, log.new_epoch(runtime, fresh_key=False))
    return runtime
