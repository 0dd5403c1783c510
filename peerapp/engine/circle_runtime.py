"""One circle as the engine holds it in memory: our membership keys, the resolved state,
the epoch keys we can use, and which stored events the resolution refused.

Resolution is incremental while events arrive in log order. A late event that only the
whole log can judge (it sorts before control events already applied, or before an
author's later events) is deferred: refused until a whole-log resolution has run. The
service runs that resolution in a worker thread, at most one per circle at a time and
coalescing every late event that arrived meanwhile, so a stream of late events costs
one resolution per round, not one per event, and commands are answered meanwhile
(engine/late_events.py). Every replica ends with the state the full log gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import nacl.public
import nacl.signing

from peerapp.core.circle_events import CONTENT_TYPES, Event, EventType, decode_event, split_signed
from peerapp.core.circle_state import CircleState, JoinFacts, Member, apply, with_equivocator
from peerapp.core.quotas import DEFAULT_RULES, Quotas
from peerapp.core.resolution import CONCURRENCY_TYPES, Entry, ResolvedLog, resolve_log, resume
from peerapp.crypto.epoch import EpochKeys, open_sealed_secret
from peerapp.crypto.join_facts import join_facts
from peerapp.crypto.signing import VerifiedEvent
from peerapp.engine.held_events import HeldEvents
from peerapp.storage.circle_store import Membership, StoredEvent

OrderKey = tuple[int, bytes]
# the events that begin or end a membership
_SPAN_TYPES = frozenset(
    {EventType.GENESIS, EventType.ADD_MEMBER, EventType.REMOVE, EventType.BAN, EventType.LEAVE}
)
# Keep the newest epochs' topics: the current one plus one for members still catching up.
SUBSCRIBED_EPOCHS = 2
# held events, all authors together (each author has DEFAULT_RULES.held_per_author)
MAX_HELD_EVENTS = 1000


def _held_events() -> HeldEvents:
    return HeldEvents(DEFAULT_RULES.held_per_author, MAX_HELD_EVENTS, DEFAULT_RULES.held_seconds)


def _light_event(stored: StoredEvent) -> Event:
    """Content (a MESSAGE, an EDIT, a REACTION) needs only its header to resolve: skip
    decoding the body (a deleted message's body is erased, and its edits' with it)."""
    return Event(
        type=stored.type,
        circle=stored.circle,
        author=stored.author,
        seq=stored.seq,
        lamport=stored.lamport,
        prev=stored.prev,
        ts=stored.ts,
        body={},
    )


def decoded(stored: StoredEvent) -> Event:
    if stored.type in CONTENT_TYPES:
        return _light_event(stored)
    return decode_event(split_signed(stored.signed)[0])


@dataclass(frozen=True)
class Resolved:
    """A whole-log resolution's outcome, as the runtime installs it."""

    state: CircleState
    refused: frozenset[bytes]
    names: dict[bytes, str]
    last_applied: OrderKey
    last_control: OrderKey
    # joiners whose admission was refused: peer id -> (joiner key, admission lamport)
    refused_joiners: dict[str, tuple[bytes, int]]
    # what lets the next resolution start at a checkpoint
    log: ResolvedLog


def refused_admission(
    state: CircleState, event: Event, join: JoinFacts | None, lamport: int
) -> tuple[str, tuple[bytes, int]] | None:
    """(peer, (joiner, lamport)) when this refused event is an ADD_MEMBER whose joiner
    the log never admitted (another admission took the invite's last use first)."""
    if (
        event.type is EventType.ADD_MEMBER
        and join is not None
        and join.signature_ok
        and join.joiner not in state.ever_admitted
    ):
        return join.peer, (join.joiner, lamport)
    return None


def _entries(events: list[StoredEvent]) -> list[Entry]:
    entries = []
    for stored in events:
        event = decoded(stored)
        entries.append(Entry(stored.id, event, join_facts(event)))
    return entries


def _names(entries: list[Entry], refused: frozenset[bytes], names: dict[bytes, str]) -> None:
    """Add the names the accepted GENESIS and ADD_MEMBER entries give (the first wins)."""
    for entry in entries:
        if entry.id in refused:
            continue
        if entry.event.type is EventType.GENESIS:
            names.setdefault(entry.event.author, entry.event.body["member_name"])
        elif entry.join is not None and entry.event.type is EventType.ADD_MEMBER:
            names.setdefault(entry.join.joiner, entry.join.member_name)


def _refused_joiners(
    state: CircleState, entries: list[Entry], refused: frozenset[bytes]
) -> dict[str, tuple[bytes, int]]:
    lost = [
        refused_admission(state, e.event, e.join, e.event.lamport)
        for e in entries
        if e.id in refused
    ]
    return dict(found for found in lost if found is not None)


def _last_control(entries: list[Entry], default: OrderKey) -> OrderKey:
    controls = [(e.event.lamport, e.id) for e in entries if e.event.type not in CONTENT_TYPES]
    return max(controls, default=default)


def resolve_stored(
    circle_id: bytes,
    events: list[StoredEvent],
    parents: Mapping[bytes, tuple[bytes, ...]] | None = None,
) -> Resolved:
    """Resolve stored events with the whole-log rules. Pure (touches no runtime and no
    store), so it may run in a worker thread while the engine keeps answering."""
    entries = _entries(events)
    log = resolve_log(circle_id, entries, parents)
    result = log.resolution
    refused = frozenset(result.refused)
    names: dict[bytes, str] = {}
    _names(entries, refused, names)
    return Resolved(
        result.state,
        refused,
        names,
        max((e.order for e in entries), default=(-1, b"")),
        _last_control(entries, (-1, b"")),
        _refused_joiners(result.state, entries, refused),
        log,
    )


def resume_stored(
    circle_id: bytes, before: Resolved, after: OrderKey, events: list[StoredEvent]
) -> Resolved | None:
    """`before` (a resolution with its log) brought up to date from a checkpoint: `events`
    are every stored event that sorts after `after` (its log's `resume_point`), resolved
    before or new. Pure, like `resolve_stored`; None when only a whole resolution can
    judge them (core.resolution.resume)."""
    entries = _entries(events)
    log = resume(before.log, circle_id, after, entries)
    if log is None:
        return None
    result = log.resolution
    refused = frozenset(result.refused)
    names = dict(before.names)
    _names(entries, refused, names)
    # the prefix's refused admissions stay refused; whether their joiner was admitted
    # after all depends on the new state
    joiners = {
        peer: (key, lamport)
        for peer, (key, lamport) in before.refused_joiners.items()
        if (lamport, b"") <= after and key not in result.state.ever_admitted
    }
    joiners.update(_refused_joiners(result.state, entries, refused))
    return Resolved(
        result.state,
        refused,
        names,
        max((e.order for e in entries), default=before.last_applied),
        _last_control(entries, before.last_control),
        joiners,
        log,
    )


@dataclass
class CircleRuntime:
    membership: Membership
    state: CircleState
    epochs: dict[bytes, EpochKeys] = field(default_factory=dict)
    refused: set[bytes] = field(default_factory=set)
    names: dict[bytes, str] = field(default_factory=dict)
    last_applied: OrderKey = (-1, b"")
    last_control: OrderKey = (-1, b"")
    # events whose parents have not arrived yet (bounded per author, in total, in time)
    held: HeldEvents = field(default_factory=_held_events)
    # per-member quotas on what others send (the service loads them from the store)
    quotas: Quotas | None = None
    # we left: the circle is hidden and forgotten once a member holds our LEAVE
    left: bool = False
    # we were a member here at some point of this run (so losing it means something)
    was_member: bool = False
    # joiners whose ADD_MEMBER the log refused (a single-use invite used twice at once):
    # peer id -> (joiner key, the refused admission's lamport), so they may learn it
    refused_joiners: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    # receiving keys an EXCHANGE_KEY of ours replaced, still in their grace period
    # (engine/receiving_keys.py), newest first
    retired_exchange: list[bytes] = field(default_factory=list)
    # our earlier member keys here (removed, then back with a new invite and a new key;
    # CircleStore.former_keys): what we wrote under them is still ours to see as ours,
    # though no longer ours to act on as its author (the rules know authors by key)
    former_keys: frozenset[bytes] = frozenset()
    # late events waiting for a whole-log resolution (refused until it ran), by id
    pending: dict[bytes, StoredEvent] = field(default_factory=dict)
    # counts whole-log resolutions installed: one that ran on an older log is dropped
    generation: int = 0
    # while a resolution runs in the background: the events stored meanwhile
    journal: list[StoredEvent] | None = None
    # the last resolution of the whole stored log, with its checkpoints
    resolved: Resolved | None = None
    # the earliest event stored since that its log lacks though it sorts inside it (a
    # late message judged on its own, an event stored while the resolution ran)
    unlogged: OrderKey | None = None

    @classmethod
    def for_membership(
        cls,
        membership: Membership,
        secrets: dict[bytes, bytes],
        former_keys: frozenset[bytes] = frozenset(),
    ) -> CircleRuntime:
        """`former_keys`: CircleStore.former_keys, our earlier member keys here."""
        runtime = cls(membership, CircleState(membership.circle_id), former_keys=former_keys)
        for secret in secrets.values():
            runtime.add_epoch_secret(secret)
        return runtime

    @property
    def circle_id(self) -> bytes:
        return self.membership.circle_id

    @property
    def me(self) -> bytes:
        return self.membership.member_key

    def written_by_me(self, author: bytes) -> bool:
        """Whether `author` is us: our member key, or one we had here before a removal."""
        return author == self.me or author in self.former_keys

    def add_epoch_secret(self, secret: bytes) -> EpochKeys:
        keys = EpochKeys(secret)
        self.epochs[keys.epoch_id] = keys
        return keys

    # -- resolution ---------------------------------------------------------------

    def resolve_all(
        self, events: list[StoredEvent], parents: Mapping[bytes, tuple[bytes, ...]] | None = None
    ) -> None:
        """Resolve from scratch with the whole-log rules (core.resolution): `events` in any
        order; `parents` supplies the DAG links of events stored without their `prev`.
        Callers give part of the stored log (the control events, a joiner's first
        answer), so no later resolution may resume from this one."""
        self.install(resolve_stored(self.circle_id, events, parents))
        self.resolved = None

    def install(self, resolved: Resolved) -> None:
        """Take a whole-log resolution's outcome as the circle's state."""
        self.state = resolved.state
        self.refused = set(resolved.refused)
        self.names = dict(resolved.names)
        self.last_applied = resolved.last_applied
        self.last_control = resolved.last_control
        self.refused_joiners = dict(resolved.refused_joiners)
        self.resolved = resolved
        self.unlogged = None
        self.generation += 1

    def note_stored(self, stored: StoredEvent) -> None:
        """An event was stored after the last resolution: a resolution resuming from a
        checkpoint must start before it if it sorts inside that resolution's log."""
        order = (stored.lamport, stored.id)
        keys = self.resolved.log.keys if self.resolved is not None else ()
        if keys and order < keys[-1]:  # keys are in log order: the last is the greatest
            self.unlogged = order if self.unlogged is None else min(self.unlogged, order)

    def resume_point(self) -> OrderKey | None:
        """Where a resolution of the pending late events may start (a checkpoint before
        the earliest of them), if the last resolution of the whole stored log allows."""
        if self.resolved is None or not self.pending:
            return None
        earliest = min((s.lamport, s.id) for s in self.pending.values())
        if self.unlogged is not None:
            earliest = min(earliest, self.unlogged)
        return self.resolved.log.resume_point(earliest)

    def defer(self, stored: StoredEvent) -> None:
        """A late event only a whole-log resolution can judge: refused until it ran."""
        self.refused.add(stored.id)
        self.pending[stored.id] = stored

    def take_decided(self) -> list[StoredEvent]:
        """After a whole-log resolution: the deferred events it accepted (they are no
        longer pending either way)."""
        accepted = [s for s in self.pending.values() if s.id not in self.refused]
        self.pending = {}
        return accepted

    def resume(self, last_seqs: dict[bytes, int], last_applied: OrderKey) -> None:
        """After replaying only control events: take the messages' part of the state (each
        author's newest seq, the newest event) from what the store recorded."""
        merged = dict(self.state.last_seq)
        for author, seq in last_seqs.items():
            merged[author] = max(seq, merged.get(author, -1))
        self.state = replace(self.state, last_seq=merged)
        self.last_applied = max(self.last_applied, last_applied)

    def can_apply_in_order(self, stored: StoredEvent) -> bool:
        return (stored.lamport, stored.id) > self.last_applied

    def apply_in_order(self, stored: StoredEvent) -> bool:
        """Apply an event that sorts after everything applied; True when accepted.

        Exact except for the whole-log concurrency rule: after an accepted REMOVE, BAN or
        DEMOTE (needs_full_resolution) the caller resolves the whole log again."""
        event = decoded(stored)
        facts: JoinFacts | None = join_facts(event)
        verdict = apply(self.state, event, facts)
        self.last_applied = (stored.lamport, stored.id)
        if stored.type not in CONTENT_TYPES:
            self.last_control = self.last_applied
        if not verdict.accepted:
            self.refused.add(stored.id)
            self._note_refused_admission(event, facts, stored.lamport)
            return False
        self.state = verdict.state
        for key, member in self.state.members.items():
            self.names.setdefault(key, member.name)
        return True

    @staticmethod
    def needs_full_resolution(stored: StoredEvent) -> bool:
        return stored.type in CONCURRENCY_TYPES

    def accepts_late_message(self, stored: StoredEvent, equivocated: bool) -> bool | None:
        """Decide a MESSAGE that sorts before events already applied, without starting over.

        Messages change no state, so a late one only needs the membership at its place in
        the log. When no control event sorts after it, that is the current membership.
        Returns None when only a full resolution can decide.
        """
        if stored.type is not EventType.MESSAGE or (stored.lamport, stored.id) < self.last_control:
            return None
        if self.state.slow_mode_seconds or stored.author in self.state.muted:
            return None  # mute and slow mode depend on neighbouring messages: replay
        accepted = stored.author in self.state.members
        if not accepted:
            self.refused.add(stored.id)
        elif equivocated:
            # its author signed two versions of its history: both stay, as evidence
            self.state = with_equivocator(self.state, stored.author)
        return accepted

    # -- keys and topics ----------------------------------------------------------

    def exchange_secrets(self) -> list[bytes]:
        """Our private receiving keys: the current one, then replaced ones still kept."""
        return [self.membership.exchange_secret, *self.retired_exchange]

    def open_rotation(self, event: Event) -> bytes | None:
        """Our secret from a KEY_ROTATE, if it was sealed to us and is the epoch's secret
        (a secret that derives another epoch id is garbage, as is one that does not open)."""
        sealed = event.body["keys"].get(self.me)
        if sealed is None:
            return None
        for exchange in self.exchange_secrets():
            secret = open_sealed_secret(sealed, exchange)
            if secret is not None:
                return secret if EpochKeys(secret).epoch_id == event.body["epoch"] else None
        return None

    def current_keys(self) -> EpochKeys | None:
        """Keys of the newest resolved epoch we hold a secret for."""
        for epoch in reversed(self.state.epochs):
            keys = self.epochs.get(epoch.id)
            if keys is not None:
                return keys
        return None

    def topics(self) -> dict[str, EpochKeys]:
        if not self.state.is_member(self.me):
            return {}  # removed or left: nothing more is for us
        held = [self.epochs[e.id] for e in self.state.epochs if e.id in self.epochs]
        return {keys.topic: keys for keys in held[-SUBSCRIBED_EPOCHS:]}

    def reached_at(self, local_peer: str) -> bool:
        """Whether a stream that reached us at `local_peer` may ask about this circle: it
        arrived at this membership's own peer id (in Tor mode each membership has its own,
        so a stream at one membership's onion learns nothing of another), or it was not
        served by a host ("")."""
        return not local_peer or self.state.peers.get(self.me) == local_peer

    def member_with_peer(self, peer_id: str) -> Member | None:
        """The other member whose libp2p peer id this is, if any."""
        for member in self.state.members.values():
            if member.peer == peer_id and member.key != self.me:
                return member
        return None

    def former_member_span(
        self, peer_id: str, control: list[StoredEvent]
    ) -> tuple[bytes, int, int] | None:
        """(key, admitted at, removed or left at) of the latest former membership joined
        from this peer, if any: a sync may still offer it the log within that span, so a
        member removed while away learns of it (and nothing after). `control`: the stored
        control events."""
        former = {k for k, p in self.state.peers.items() if p == peer_id} - set(self.state.members)
        if not former:
            return None
        since: dict[bytes, int] = {}
        until: dict[bytes, int] = {}
        for stored in control:
            if stored.id in self.refused or stored.type not in _SPAN_TYPES:
                continue
            event = decoded(stored)
            if event.type is EventType.GENESIS:
                key = event.author
                since[key] = stored.lamport
            elif event.type is EventType.ADD_MEMBER:
                facts = join_facts(event)
                if facts is not None:
                    since[facts.joiner] = stored.lamport
            else:
                key = event.author if event.type is EventType.LEAVE else event.body["member"]
                if key in former and key in since:
                    until.setdefault(key, stored.lamport)
        spans = [(since[k], until[k], k) for k in former if k in since and k in until]
        if not spans:
            return None
        admitted, ended, key = max(spans)
        return key, admitted, ended

    def _note_refused_admission(self, event: Event, join: JoinFacts | None, lamport: int) -> None:
        found = refused_admission(self.state, event, join, lamport)
        if found is not None:
            self.refused_joiners[found[0]] = found[1]

    def refused_joiner_span(self, peer_id: str) -> tuple[bytes, int, int] | None:
        """(key, its refused admission's lamport twice) for a joiner asking from this peer
        whose admission the log refused: a sync may offer it the control log up to there,
        which holds what refused it (the admission that took the invite's last use), so its
        app learns it is not a member. No message is offered (none is at or below it that
        it may read)."""
        found = self.refused_joiners.get(peer_id)
        if found is None or found[0] in self.state.ever_admitted:
            return None
        key, lamport = found
        return key, lamport + 1, lamport

    def lost_admission(self) -> bool:
        """We were admitted in this run, and the log now refuses that admission."""
        if self.state.is_member(self.me):
            self.was_member = True
            return False
        return self.was_member and not self.left and self.me not in self.state.ever_admitted

    def member(self, key: bytes) -> Member | None:
        return self.state.members.get(key)

    def name_of(self, key: bytes) -> str:
        return self.names.get(key, "someone")


def new_membership(
    circle_id: bytes,
    name: str,
    signing: nacl.signing.SigningKey,
    exchange: nacl.public.PrivateKey,
    *,
    joined_at: int,
) -> Membership:
    return Membership(
        circle_id=circle_id,
        name=name,
        member_key=bytes(signing.verify_key),
        signing_seed=bytes(signing),
        exchange_secret=bytes(exchange),
        joined_at=joined_at,
        unread=0,
    )


def to_stored(verified: VerifiedEvent) -> StoredEvent:
    event = verified.event
    is_message = event.type is EventType.MESSAGE
    text = event.body["text"] if is_message else None
    return StoredEvent(
        id=verified.id,
        circle=event.circle,
        author=event.author,
        seq=event.seq,
        lamport=event.lamport,
        ts=event.ts,
        type=event.type,
        signed=verified.signed,
        text=text,
        prev=event.prev,
        cw=event.body.get("cw", "") if is_message else "",
        mood=event.body.get("mood", 0) if is_message else 0,
        reply_to=event.body.get("reply_to") if is_message else None,
    )
