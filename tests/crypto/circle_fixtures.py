"""Shared helpers for the circle protocol tests.

Deterministic identities (keys derived from a label, so hypothesis examples replay), body
builders for every event type, and a LogBuilder that authors properly signed events with
rising seq, lamport clocks above every parent, and `prev` naming the current heads.
`resolve` folds a set of signed events the way the engine does: dedupe by id, sort by
(lamport, event id), apply each with the join facts the crypto layer derives.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import nacl.public
import nacl.signing

from peerapp.core.circle_events import MAX_PARENTS, Event, EventType, bound_genesis
from peerapp.core.circle_state import CircleState, Verdict, apply
from peerapp.core.resolution import Entry, Resolution
from peerapp.core.resolution import resolve as resolve_entries
from peerapp.crypto.epoch import EpochKeys, seal_secret
from peerapp.crypto.invite_keys import invite_public_key, prove
from peerapp.crypto.join_facts import join_facts
from peerapp.crypto.signing import VerifiedEvent, sign_event

NOW_MS = 1_700_000_000_000
HOUR_MS = 3_600_000


def derive(label: str, size: int = 32) -> bytes:
    """Test key material: stable per label, never printed."""
    return hashlib.blake2b(label.encode(), digest_size=size, person=b"hearth-tests").digest()


@dataclass(frozen=True, repr=False)
class Identity:
    label: str
    signing_seed: bytes
    exchange_private: bytes

    def __repr__(self) -> str:
        return f"Identity({self.label})"

    @functools.cached_property
    def key(self) -> bytes:
        return bytes(nacl.signing.SigningKey(self.signing_seed).verify_key)

    @functools.cached_property
    def exchange(self) -> bytes:
        return bytes(nacl.public.PrivateKey(self.exchange_private).public_key)

    @property
    def name(self) -> str:
        return self.label.capitalize()

    @property
    def peer(self) -> str:
        return f"12D3KooW{self.label}"

    @property
    def addrs(self) -> list[str]:
        return [f"/ip4/10.0.0.{len(self.label)}/tcp/4001"]


@functools.cache
def identity(label: str) -> Identity:
    return Identity(label, derive(f"sign:{label}"), derive(f"exchange:{label}"))


def circle_id_for(label: str) -> bytes:
    return derive(f"circle:{label}", 16)


def invite_seed(label: str) -> bytes:
    return derive(f"invite:{label}")


def epoch_secret(label: str) -> bytes:
    return derive(f"epoch:{label}")


# -- bodies ---------------------------------------------------------------------------


def genesis_body(founder: Identity, name: str = "Tuesday circle") -> dict[str, Any]:
    return {
        "name": name,
        "guidelines": "Listen first. What is said here stays here.",
        "member_name": founder.name,
        "exchange": founder.exchange,
        "peer": founder.peer,
        "addrs": founder.addrs,
    }


def message_body(text: str = "hello, circle") -> dict[str, Any]:
    return {"text": text}


def invite_body(seed: bytes, max_uses: int = 1, expires: int = NOW_MS + HOUR_MS) -> dict[str, Any]:
    return {"invite": invite_public_key(seed), "max_uses": max_uses, "expires": expires}


def rotate_body(secret: bytes, recipients: Iterable[Identity]) -> dict[str, Any]:
    return {
        "epoch": EpochKeys(secret).epoch_id,
        "keys": {m.key: seal_secret(secret, m.exchange) for m in recipients},
    }


def member_body(who: Identity) -> dict[str, Any]:
    """The body of PROMOTE, DEMOTE, TRANSFER_FOUNDER, REMOVE and BAN."""
    return {"member": who.key}


def mute_body(who: Identity, until: int) -> dict[str, Any]:
    return {"member": who.key, "until": until}


def settings_body(
    *,
    slow_mode_seconds: int = 0,
    join_approval: bool = False,
    guidelines: str = "Be kind.",
    harm_flags_to_hide: int = 3,
    members_invite: bool = False,
    flag_after_hours: int = 24,
) -> dict[str, Any]:
    return {
        "slow_mode_seconds": slow_mode_seconds,
        "join_approval": join_approval,
        "guidelines": guidelines,
        "harm_flags_to_hide": harm_flags_to_hide,
        "members_invite": members_invite,
        "flag_after_hours": flag_after_hours,
    }


def delete_body(message: VerifiedEvent) -> dict[str, Any]:
    return {"message": message.id, "author": message.event.author}


def join_request_body(
    circle_id: bytes, joiner: Identity, seed: bytes, challenge: bytes
) -> dict[str, Any]:
    return {
        "invite": invite_public_key(seed),
        "challenge": challenge,
        "proof": prove(seed, circle_id, challenge, joiner.key),
        "member_name": joiner.name,
        "exchange": joiner.exchange,
        "peer": joiner.peer,
        "addrs": joiner.addrs,
    }


def join_request(
    circle_id: bytes,
    joiner: Identity,
    seed: bytes,
    challenge: bytes | None = None,
    *,
    body: dict[str, Any] | None = None,
    ts: int = NOW_MS,
) -> VerifiedEvent:
    """The joiner's signed JOIN_REQUEST (seq 0, lamport 0, no parents), as the engine makes."""
    challenge = challenge if challenge is not None else derive(f"challenge:{joiner.label}")
    event = Event(
        type=EventType.JOIN_REQUEST,
        circle=circle_id,
        author=joiner.key,
        seq=0,
        lamport=0,
        prev=(),
        ts=ts,
        body=body if body is not None else join_request_body(circle_id, joiner, seed, challenge),
    )
    return sign_event(event, joiner.signing_seed)


def sign(event: Event, who: Identity) -> VerifiedEvent:
    return sign_event(event, who.signing_seed)


# -- a log ----------------------------------------------------------------------------


@dataclass
class LogBuilder:
    """Authors one circle's events in order, as honest replicas would."""

    circle_id: bytes
    clock_ms: int = NOW_MS
    events: list[VerifiedEvent] = field(default_factory=list)
    heads: set[bytes] = field(default_factory=set)
    max_lamport: int = -1
    seqs: dict[bytes, int] = field(default_factory=dict)

    def make(
        self,
        who: Identity,
        kind: EventType,
        body: dict[str, Any],
        *,
        seq: int | None = None,
        lamport: int | None = None,
        prev: Iterable[bytes] | None = None,
        ts: int | None = None,
    ) -> Event:
        """An unsigned event with the next seq/lamport and the current heads as parents."""
        if ts is None:
            self.clock_ms += 1000
            ts = self.clock_ms
        parents = sorted(self.heads)[-MAX_PARENTS:] if prev is None else sorted(prev)
        return Event(
            type=kind,
            circle=self.circle_id,
            author=who.key,
            seq=self.seqs.get(who.key, -1) + 1 if seq is None else seq,
            lamport=self.max_lamport + 1 if lamport is None else lamport,
            prev=tuple(parents),
            ts=ts,
            body=body,
        )

    def record(self, verified: VerifiedEvent) -> VerifiedEvent:
        event = verified.event
        self.events.append(verified)
        self.heads = (self.heads - set(event.prev)) | {verified.id}
        self.max_lamport = max(self.max_lamport, event.lamport)
        self.seqs[event.author] = max(self.seqs.get(event.author, -1), event.seq)
        return verified

    def author(
        self, who: Identity, kind: EventType, body: dict[str, Any], **overrides: Any
    ) -> VerifiedEvent:
        return self.record(sign(self.make(who, kind, body, **overrides), who))

    def concurrently(
        self, *actions: tuple[Identity, EventType, dict[str, Any]]
    ) -> list[VerifiedEvent]:
        """Events authored at once by different members: same parents, same lamport."""
        prev = set(self.heads)
        lamport = self.max_lamport + 1
        made = [
            sign(self.make(who, kind, body, prev=prev, lamport=lamport), who)
            for who, kind, body in actions
        ]
        return [self.record(verified) for verified in made]

    # conveniences -----------------------------------------------------------------

    def genesis(self, founder: Identity, **overrides: Any) -> VerifiedEvent:
        """The circle's genesis; the builder's circle id becomes the one it commits to
        (`bound=False`: keep the builder's id, e.g. for a second, unbound genesis)."""
        bound = overrides.pop("bound", True)
        event = self.make(founder, EventType.GENESIS, genesis_body(founder), **overrides)
        if bound:
            event = bound_genesis(event)
            self.circle_id = event.circle
        return self.record(sign(event, founder))

    def message(
        self, who: Identity, text: str = "hello, circle", **overrides: Any
    ) -> VerifiedEvent:
        return self.author(who, EventType.MESSAGE, message_body(text), **overrides)

    def invite(
        self,
        who: Identity,
        seed: bytes,
        max_uses: int = 1,
        expires: int = NOW_MS + HOUR_MS,
        **overrides: Any,
    ) -> VerifiedEvent:
        return self.author(
            who, EventType.INVITE_CREATE, invite_body(seed, max_uses, expires), **overrides
        )

    def rotate(
        self, who: Identity, secret: bytes, recipients: Iterable[Identity], **overrides: Any
    ) -> VerifiedEvent:
        return self.author(who, EventType.KEY_ROTATE, rotate_body(secret, recipients), **overrides)

    def admit(
        self,
        who: Identity,
        request: VerifiedEvent | bytes,
        **overrides: Any,
    ) -> VerifiedEvent:
        signed = request.signed if isinstance(request, VerifiedEvent) else request
        return self.author(who, EventType.ADD_MEMBER, {"request": signed}, **overrides)

    def join(self, who: Identity, joiner: Identity, seed: bytes, **overrides: Any) -> VerifiedEvent:
        """ADD_MEMBER by `who` carrying `joiner`'s real, correctly proven request."""
        return self.admit(who, join_request(self.circle_id, joiner, seed), **overrides)

    def leave(self, who: Identity, **overrides: Any) -> VerifiedEvent:
        return self.author(who, EventType.LEAVE, {}, **overrides)

    def on(
        self, who: Identity, kind: EventType, target: Identity, **overrides: Any
    ) -> VerifiedEvent:
        """PROMOTE, DEMOTE, TRANSFER_FOUNDER, REMOVE or BAN of `target` by `who`."""
        return self.author(who, kind, member_body(target), **overrides)

    def mute(self, who: Identity, target: Identity, until: int, **overrides: Any) -> VerifiedEvent:
        return self.author(who, EventType.MUTE, mute_body(target, until), **overrides)

    def settings(self, who: Identity, **values: Any) -> VerifiedEvent:
        overrides = {k: values.pop(k) for k in ("seq", "lamport", "prev", "ts") if k in values}
        return self.author(who, EventType.SETTINGS, settings_body(**values), **overrides)

    def revoke(self, who: Identity, seed: bytes, **overrides: Any) -> VerifiedEvent:
        body = {"invite": invite_public_key(seed)}
        return self.author(who, EventType.INVITE_REVOKE, body, **overrides)

    def delete(self, who: Identity, message: VerifiedEvent, **overrides: Any) -> VerifiedEvent:
        return self.author(who, EventType.DELETE, delete_body(message), **overrides)

    def harm_flag(self, who: Identity, message: VerifiedEvent, **overrides: Any) -> VerifiedEvent:
        return self.author(who, EventType.HARM_FLAG, delete_body(message), **overrides)

    def restore(self, who: Identity, message: VerifiedEvent, **overrides: Any) -> VerifiedEvent:
        return self.author(who, EventType.RESTORE, delete_body(message), **overrides)

    def edit(
        self, who: Identity, message: VerifiedEvent, text: str, **overrides: Any
    ) -> VerifiedEvent:
        body = {"message": message.id, "text": text}
        return self.author(who, EventType.EDIT, body, **overrides)

    def reaction(
        self,
        who: Identity,
        message: VerifiedEvent,
        reaction: str = "heart",
        on: bool = True,
        **overrides: Any,
    ) -> VerifiedEvent:
        body = {**delete_body(message), "reaction": reaction, "on": on}
        return self.author(who, EventType.REACTION, body, **overrides)

    def status(self, who: Identity, on_break: bool, **overrides: Any) -> VerifiedEvent:
        return self.author(who, EventType.STATUS, {"on_break": on_break}, **overrides)

    def exchange_key(
        self, who: Identity, exchange: bytes, unreadable: bytes | None = None, **overrides: Any
    ) -> VerifiedEvent:
        body: dict[str, Any] = {"exchange": exchange}
        if unreadable is not None:
            body["unreadable"] = unreadable
        return self.author(who, EventType.EXCHANGE_KEY, body, **overrides)


# -- resolution -----------------------------------------------------------------------


def apply_verified(state: CircleState, verified: VerifiedEvent) -> Verdict:
    return apply(state, verified.event, join_facts(verified.event))


def fold(builder: LogBuilder) -> tuple[CircleState, list[Verdict]]:
    """Apply the builder's events in the order authored; every verdict kept."""
    state = CircleState(builder.circle_id)
    verdicts = []
    for verified in builder.events:
        verdict = apply_verified(state, verified)
        verdicts.append(verdict)
        if verdict.accepted:
            state = verdict.state
    return state, verdicts


def log_order(events: Iterable[VerifiedEvent]) -> list[VerifiedEvent]:
    """Dedupe by id, then ascending (lamport, event id): the engine's log order."""
    unique = {verified.id: verified for verified in events}
    return sorted(unique.values(), key=lambda v: (v.event.lamport, v.id))


def resolve(
    circle_id: bytes, events: Iterable[VerifiedEvent]
) -> tuple[CircleState, frozenset[bytes]]:
    """The resolved state and the ids of refused events."""
    state = CircleState(circle_id)
    refused: set[bytes] = set()
    for verified in log_order(events):
        verdict = apply_verified(state, verified)
        if verdict.accepted:
            state = verdict.state
        else:
            refused.add(verified.id)
    return state, frozenset(refused)


def entry(verified: VerifiedEvent) -> Entry:
    return Entry(verified.id, verified.event, join_facts(verified.event))


def resolution(circle_id: bytes, events: Iterable[VerifiedEvent]) -> Resolution:
    """`peerapp.core.resolution.resolve` over signed events, with the concurrency rule."""
    return resolve_entries(circle_id, [entry(v) for v in events])


def founded_circle(label: str = "main") -> tuple[LogBuilder, Identity]:
    """A circle with its genesis and the founder's first epoch."""
    founder = identity(f"founder-{label}")
    builder = LogBuilder(circle_id_for(label))
    builder.genesis(founder)
    builder.rotate(founder, epoch_secret(f"{label}-0"), [founder])
    return builder, founder


def one_of_each_type(label: str = "each") -> dict[EventType, VerifiedEvent]:
    """A well-formed, signed event of every type, from one small circle's log (the last two,
    REMOVE and TRANSFER_FOUNDER, are refused by its resolution; all others accepted)."""
    builder, founder = founded_circle(label)
    joiner = identity(f"joiner-{label}")
    seed = invite_seed(label)
    events = {
        EventType.GENESIS: builder.events[0],
        EventType.KEY_ROTATE: builder.events[1],
        EventType.INVITE_CREATE: builder.invite(founder, seed),
        EventType.MESSAGE: builder.message(founder, "welcome"),
    }
    events[EventType.EDIT] = builder.edit(founder, events[EventType.MESSAGE], "welcome, all")
    events[EventType.REACTION] = builder.reaction(founder, events[EventType.MESSAGE])
    request = join_request(builder.circle_id, joiner, seed)
    events[EventType.JOIN_REQUEST] = request
    events[EventType.ADD_MEMBER] = builder.admit(founder, request)
    events[EventType.PROMOTE] = builder.on(founder, EventType.PROMOTE, joiner)
    events[EventType.DEMOTE] = builder.on(founder, EventType.DEMOTE, joiner)
    events[EventType.MUTE] = builder.mute(founder, joiner, NOW_MS + HOUR_MS)
    events[EventType.SETTINGS] = builder.settings(founder, slow_mode_seconds=30)
    events[EventType.INVITE_REVOKE] = builder.revoke(founder, seed)
    events[EventType.STATUS] = builder.status(joiner, True)
    events[EventType.EXCHANGE_KEY] = builder.exchange_key(joiner, derive(f"exchange-{label}"))
    flagged = builder.message(joiner, "a hard day")
    events[EventType.HARM_FLAG] = builder.harm_flag(founder, flagged)
    events[EventType.DELETE] = builder.delete(founder, events[EventType.MESSAGE])
    events[EventType.LEAVE] = builder.leave(joiner)
    events[EventType.BAN] = builder.on(founder, EventType.BAN, joiner)
    # well-formed, though this log refuses them (the joiner is gone, no co-facilitator;
    # the flagged message is not hidden: one flag of three)
    events[EventType.RESTORE] = builder.restore(founder, flagged)
    events[EventType.REMOVE] = builder.on(founder, EventType.REMOVE, joiner)
    events[EventType.TRANSFER_FOUNDER] = builder.on(founder, EventType.TRANSFER_FOUNDER, joiner)
    return events
