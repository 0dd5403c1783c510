"""The one write path of a circle's log: author our events, store them, resolve them
incrementally, publish them on the circle's host, announce what they mean.

Every feature that writes (messages and check-ins, invites, moderation, join admissions,
boundaries' break status, safety's flags, epoch rotations) goes through a `CircleLog`;
events from the network are stored and resolved by the same `store` (the circle service's
ingest verifies them first). In order:

    | step      | what                                                 | method            |
    |-----------|------------------------------------------------------|-------------------|
    | author    | sign with the next seq, lamport and ts every replica | author, new_epoch |
    |           | admits (core.admission)                              |                   |
    | store     | one transaction, before anything is published        | store, commit     |
    | resolve   | incrementally; a late event only the whole log can   | store, judge      |
    |           | judge is deferred to the background resolver         |                   |
    | publish   | queued on the circle's outbox, in order              | publish, append   |
    | announce  | the features' hooks: moderation notices and effects, | announce          |
    |           | review states (the events the fronts get)            |                   |

The publish rule: publishing is always queued (the outbox keeps the circle's order) and
the log never waits for it, because an event is durable once stored (whoever misses the
fast path gets it by sync) and a slow member can stall a publish for seconds. `publish`
returns the `trio.Event` set once the events left the queue: a caller waits on it only
before a step that needs them out first (cutting a removed member's streams, leaving an
epoch's topic, answering a joiner).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import Any

import trio

from peerapp.core.admission import ParentFacts, from_the_future, next_numbers, why_not_admissible
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import CONTENT_TYPES, Event, EventError, EventType
from peerapp.core.errors import CommandError, StorageFull
from peerapp.core.events import HistoryChanged
from peerapp.crypto.epoch import EpochKeys, new_epoch, seal_secret
from peerapp.crypto.signing import VerifiedEvent, sign_event, verify_signed
from peerapp.engine.circle_runtime import CircleRuntime, decoded, resolve_stored, to_stored
from peerapp.engine.context import EngineContext
from peerapp.engine.outbox import Outbox, Outgoing
from peerapp.storage.circle_store import CircleStore, StoredEvent

log = logging.getLogger(__name__)

MAX_PARENTS_REFERENCED = 8

# what accepted events mean beyond the log, for one feature (moderation, safety)
Announcer = Callable[[CircleRuntime, list[StoredEvent]], Awaitable[None]]
# what stored effects follow from a resolution that changed verdicts (the ids flipped)
VerdictHook = Callable[[CircleRuntime, set[bytes]], None]


class CircleLog:
    def __init__(
        self,
        store: CircleStore,
        *,
        context: EngineContext,
        outbox: Outbox,
        reachable: Callable[[bytes], bool],
        count: Callable[[str], None],
        fresh_key: Callable[[CircleRuntime], bytes],
        defer: Callable[[CircleRuntime], bool],
        decided: Callable[[CircleRuntime, list[StoredEvent]], None],
    ) -> None:
        """`reachable(circle)`: whether the circle's host is open in this run (nothing is
        published when not; sync delivers later). `count`: the engine's dropped
        counters. `fresh_key(runtime)`: a new receiving key of ours, stored (receiving_keys).
        `defer(runtime)`: hand a circle with late events to the background resolver;
        False when none runs (they are judged at once then). `decided(runtime, accepted)`:
        deferred events a whole-log resolution accepted, for their effects."""
        self._store = store
        self._clock = context.clock
        self._emit = context.emit
        self._outbox = outbox
        self._reachable = reachable
        self._count = count
        self._fresh_key = fresh_key
        self._defer_to_resolver = defer
        self._decided = decided
        self._announcers: list[Announcer] = []
        self._verdict_hooks: list[VerdictHook] = []

    def on_accepted(self, announcer: Announcer) -> None:
        """Register a feature's hook, run (in registration order) on accepted events."""
        self._announcers.append(announcer)

    def on_verdicts_changed(self, hook: VerdictHook) -> None:
        """Register a feature's hook, run when a whole-log resolution flipped verdicts of
        stored events (an edit applied on arrival, refused once a concurrent mute came):
        the feature's stored effects must follow the resolution."""
        self._verdict_hooks.append(hook)

    def verdicts_changed(self, runtime: CircleRuntime, flipped: set[bytes]) -> None:
        """The store holds the new verdicts of `flipped`: every feature's hook, in order."""
        if flipped:
            for hook in self._verdict_hooks:
                hook(runtime, flipped)

    # -- authoring ------------------------------------------------------------------

    def author(
        self,
        runtime: CircleRuntime,
        kind: EventType,
        body: dict[str, Any],
        after: VerifiedEvent | None = None,
    ) -> VerifiedEvent:
        """Sign an event of ours (not stored yet). `after`: our own event not stored yet,
        which this one follows directly."""
        seq, _ = self._store.next_seq_and_lamport(runtime.circle_id, runtime.me)
        if after is None:
            # the newest heads (the first is the newest event stored): every replica admits
            # exactly 1 + their highest lamport, and a ts not before theirs
            prev = tuple(self._store.heads(runtime.circle_id)[:MAX_PARENTS_REFERENCED])
            facts = self.parent_facts(runtime, prev)
        else:
            seq, prev = after.event.seq + 1, (after.id,)
            facts = {after.id: ParentFacts(after.event.lamport, after.event.ts)}
        lamport, ts = next_numbers(facts, self._clock.now_ms())
        event = Event(
            type=kind,
            circle=runtime.circle_id,
            author=runtime.me,
            seq=seq,
            lamport=lamport,
            prev=prev,
            ts=ts,
            body=body,
        )
        return sign_event(event, runtime.membership.signing_seed)

    def parent_facts(
        self, runtime: CircleRuntime, ids: Iterable[bytes]
    ) -> dict[bytes, ParentFacts]:
        found = self._store.parent_facts(runtime.circle_id, ids)
        return {i: ParentFacts(lamport, ts) for i, (lamport, ts) in found.items()}

    def new_epoch(
        self, runtime: CircleRuntime, *, unreadable: bytes | None = None, fresh_key: bool = True
    ) -> list[VerifiedEvent]:
        """EXCHANGE_KEY with our fresh receiving key (with `unreadable`: the epoch we could
        not open), then a KEY_ROTATE sealing a fresh secret to every current member's key,
        our new one included; neither stored yet. We keep the new private key and the
        secret (stored before the events exist, so a crash never leaves an epoch we cannot
        read). `fresh_key` False: the KEY_ROTATE alone (a genesis just named a fresh key)."""
        events: list[VerifiedEvent] = []
        exchange = {key: member.exchange for key, member in runtime.state.members.items()}
        if fresh_key and runtime.me in exchange:
            exchange[runtime.me] = self._fresh_key(runtime)
            body: dict[str, Any] = {"exchange": exchange[runtime.me]}
            if unreadable is not None:
                body["unreadable"] = unreadable
            events.append(self.author(runtime, EventType.EXCHANGE_KEY, body))
        keys = new_epoch()
        sealed = {key: seal_secret(keys.secret, public) for key, public in exchange.items()}
        self._store.add_epoch(runtime.circle_id, keys.epoch_id, keys.secret)
        runtime.add_epoch_secret(keys.secret)
        rotation = {"epoch": keys.epoch_id, "keys": sealed}
        last = events[-1] if events else None
        events.append(self.author(runtime, EventType.KEY_ROTATE, rotation, after=last))
        return events

    # -- storing and resolving --------------------------------------------------------

    def verify(self, runtime: CircleRuntime, signed_events: list[bytes]) -> list[VerifiedEvent]:
        """The events from the network that are signed and for this circle (the others are
        dropped and counted); not stored yet."""
        verified: list[VerifiedEvent] = []
        for signed in signed_events:
            try:
                event = verify_signed(signed)
            except EventError:
                self._count("invalid")
                continue
            if event.event.circle != runtime.circle_id:
                self._count("other_circle")
                continue
            verified.append(event)
        return verified

    def commit(self, runtime: CircleRuntime, events: list[VerifiedEvent]) -> list[StoredEvent]:
        """Store our own new events durably and resolve them; all must be accepted (a
        CommandError otherwise: the features check the rules before they sign)."""
        accepted = self.store(runtime, events)
        if len(accepted) != len(events):
            raise CommandError(Refusal.REFUSED_BY_RULES)
        return accepted

    def store(self, runtime: CircleRuntime, events: list[VerifiedEvent]) -> list[StoredEvent]:
        """Store new events in one transaction and resolve; returns new accepted ones."""
        fitting = [
            _erased_if_deleted(runtime, to_stored(v)) for v in self._admissible(runtime, events)
        ]
        added_ids = set(self._store.add_events(fitting))
        added = sorted((s for s in fitting if s.id in added_ids), key=lambda s: (s.lamport, s.id))
        if not added:
            return []
        if runtime.journal is not None:
            runtime.journal.extend(added)  # a background resolution runs on an older log
        resolve_again = self.judge(runtime, added)
        if resolve_again:
            self.resolve_from_store(runtime)
        accepted = [s for s in added if s.id not in runtime.refused]
        self.erase_deleted(runtime, accepted)
        return accepted

    def judge(self, runtime: CircleRuntime, added: list[StoredEvent]) -> bool:
        """Resolve newly stored events (in log order) as far as the incremental rules can;
        True when an accepted removal needs the whole log resolved now."""
        resolve_again = False
        for stored in added:
            runtime.note_stored(stored)
            if runtime.can_apply_in_order(stored):
                if not runtime.apply_in_order(stored):
                    self._store.mark_refused([stored.id])
                elif runtime.needs_full_resolution(stored):
                    # a removal drops its target's concurrent events, even earlier ones
                    resolve_again = True
                continue
            equivocated = self._store.breaks_seq_order(runtime.circle_id, stored)
            late = runtime.accepts_late_message(stored, equivocated)
            if late is None:
                # it changes what came after it: only the whole log can judge it
                self._defer(runtime, stored)
            elif not late:
                self._store.mark_refused([stored.id])
        return resolve_again

    def _defer(self, runtime: CircleRuntime, stored: StoredEvent) -> None:
        """A late event: refused until a whole-log resolution judged it (in the background
        when the resolver runs; at once otherwise)."""
        runtime.defer(stored)
        self._store.mark_refused([stored.id])
        first = len(runtime.pending) == 1
        if not self._defer_to_resolver(runtime):
            self.resolve_from_store(runtime)
        elif first:
            # in the store too, so a restart resolves it
            self._store.mark_unresolved(runtime.circle_id, True)

    def resolve_from_store(self, runtime: CircleRuntime, *, announce: bool = True) -> None:
        """Resolve the whole stored log now. `announce`: tell the fronts when verdicts
        changed (not at start-up, before the engine is ready). Judges every deferred event
        too."""
        before = set(runtime.refused)
        circle_id = runtime.circle_id
        runtime.install(
            resolve_stored(
                circle_id, self._store.events_to_resolve(circle_id), self._store.parents(circle_id)
            )
        )
        decided = runtime.take_decided()
        try:
            self._store.set_refused(circle_id, runtime.refused)
            self._store.mark_unresolved(circle_id, False)
            if announce:
                # the features' stored effects follow the stored verdicts (at start-up
                # they already do)
                self.verdicts_changed(runtime, before ^ runtime.refused)
        except StorageFull:
            # the verdicts hold in memory; the store takes them at the next resolution
            self._count("disk_full")
        if announce and before != runtime.refused:
            # verdicts changed (a removal dropped concurrent messages): views reload
            self._emit(HistoryChanged(circle_id.hex()))
        if decided and announce:
            self._decided(runtime, decided)

    def _admissible(
        self, runtime: CircleRuntime, events: list[VerifiedEvent]
    ) -> list[VerifiedEvent]:
        """The events whose numbers every replica admits (core.admission), in log order;
        the rest are dropped and counted. A parent in the same batch counts once admitted."""
        in_batch = {v.id for v in events}
        facts = self.parent_facts(
            runtime, {p for v in events for p in v.event.prev if p not in in_batch}
        )
        now = self._clock.now_ms()
        admitted: list[VerifiedEvent] = []
        for verified in sorted(events, key=lambda v: (v.event.lamport, v.id)):
            event = verified.event
            if any(p in in_batch and p not in facts for p in event.prev):
                reason = "a parent that sorts after it"  # or was itself refused
            else:
                reason = why_not_admissible(event, facts, now)
            if reason:
                self._count("future_ts" if from_the_future(reason) else "inadmissible")
                log.debug("dropped an event: %s", reason)
                continue
            facts[verified.id] = ParentFacts(event.lamport, event.ts)
            admitted.append(verified)
        return admitted

    def erase_deleted(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        """Erase the messages accepted DELETEs name (the store erases only where the stored
        author is the one the DELETE names). The fronts hear of each as a changed message
        (engine/message_changes.py, at the announce step), not as a new history."""
        targets = [_delete_target(s) for s in accepted if s.type is EventType.DELETE]
        if targets:
            self._store.erase_messages(runtime.circle_id, targets)

    # -- publishing and announcing ----------------------------------------------------

    def publish(
        self, runtime: CircleRuntime, events: Iterable[VerifiedEvent], keys: EpochKeys | None = None
    ) -> trio.Event:
        """Queue events for GossipSub, in order, after what is already queued, under `keys`
        (default: the current epoch's). Returns the trio.Event set once they left the queue
        (at once when the circle has no host or no keys here: they go by sync). A failure
        only delays delivery: the events are stored."""
        keys = keys or runtime.current_keys()
        if not self._reachable(runtime.circle_id) or keys is None:
            done = trio.Event()
            done.set()
            return done
        outgoing = [
            Outgoing(
                verified.signed,
                keys.topic,
                runtime.circle_id,
                keys.epoch_id,
                # content (messages, edits, reactions) under the message key
                keys.message_key if verified.event.type in CONTENT_TYPES else keys.control_key,
            )
            for verified in events
        ]
        return self._outbox.put(runtime.circle_id, outgoing)

    def append(
        self, runtime: CircleRuntime, events: list[VerifiedEvent], keys: EpochKeys | None = None
    ) -> tuple[list[StoredEvent], trio.Event]:
        """Our own events, each one accepted (commit), then queued (publish): the accepted
        events and when they left the queue."""
        accepted = self.commit(runtime, events)
        return accepted, self.publish(runtime, events, keys)

    async def announce(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        """What accepted events mean beyond the log, whoever authored them: every
        registered feature's hook, in order (moderation notices and effects, review
        states that changed)."""
        for announcer in self._announcers:
            await announcer(runtime, accepted)


def _delete_target(stored: StoredEvent) -> tuple[bytes, bytes]:
    body = decoded(stored).body
    return body["message"], body["author"]


def _erased_if_deleted(runtime: CircleRuntime, stored: StoredEvent) -> StoredEvent:
    """A message whose DELETE is already accepted is stored erased on arrival."""
    if stored.type is not EventType.MESSAGE:
        return stored
    if (stored.id, stored.author) not in runtime.state.deleted:
        return stored
    return replace(stored, signed=b"", text=None)
