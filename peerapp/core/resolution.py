"""Resolving a whole circle log at once, with the rules `apply` cannot see alone:

    Anything a member does concurrently with a valid REMOVE (or BAN) of that member is
    dropped on every replica; after a valid DEMOTE, its concurrent facilitator-only
    actions are dropped; a message concurrent with a valid MUTE of its author, dated
    before the mute ends, is dropped (a muted member cannot slip a message in by naming
    parents from before the mute).

In log order ((lamport, event id), a topological order), what a removed member does
after its REMOVE is already refused by `apply`: it is no longer a member. The remaining
case is an event by the target that sorts BEFORE the REMOVE yet is not in the REMOVE's
causal past (the remover had not seen it). `resolve` drops exactly those:

- an event E by X, with a valid REMOVE/BAN R of X (X a member when R applied), E before
  R in log order and E not an ancestor of R (through `prev`): refused;
- the same with a valid DEMOTE D of X: E is judged against the state with X already
  demoted; if that refuses it, E is refused (its facilitator-only actions), otherwise E
  is judged normally;
- the same with a valid MUTE U of X (one that mutes: until after its ts): a content
  event E (MESSAGE, EDIT, REACTION) by X with E.ts < until is refused. (A message
  sorting after U is judged by `apply` against the mute in force; its ts cannot run
  ahead of real time, see `admission`.)

Which REMOVE/DEMOTEs are valid depends on what is dropped (a dropped PROMOTE can void a
later REMOVE by the promoted member), so `resolve` folds until the set of valid
removals is stable (at most MAX_ROUNDS folds; ordinary logs take one or two). The result
is a deterministic function of the SET of events, so every replica holding the same
events gets the same Resolution whatever the arrival order.

How the engine uses it:
- Whenever it re-resolves from the stored log (start-up, an out-of-order arrival), call
  `resolve(circle_id, entries)` with every stored event as an Entry (id, decoded event
  with its real `prev`, join facts for ADD_MEMBER), and take `state` and `refused`.
- In the incremental path it keeps calling `circle_state.apply` for events that sort
  after everything applied; that is exact except for the concurrency rule, so after
  accepting a REMOVE, BAN or DEMOTE (REMOVAL_TYPES) incrementally it must re-resolve
  with `resolve` (cheap: removals are rare). A late event by a removed member that sorts
  before the removal is an out-of-order arrival, which already triggers a re-resolve.
- The causal past is walked through the `prev` of the events given: pass every event the
  store holds (messages too, with their real `prev`). Parents the replica does not hold
  end the walk.
- Late events without a whole-log replay: `resolve_log` keeps, for every fold of the
  iteration, a checkpoint every CHECKPOINT_EVERY entries (the state and how many
  removals were found so far). `resume` takes the entries after a checkpoint before the
  earliest new one (`resume_point`) and refolds only those, in every fold; the prefix and
  its removals cannot change, so when each fold finds the same removals as before, the
  iteration `resolve` would take from scratch is the very same, and so is the result.
  When a fold finds other removals (or a new event fills a gap in a removal's causal
  past) it returns None and the caller resolves the whole log.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from peerapp.core.circle_events import CONTENT_TYPES, Event, EventType
from peerapp.core.circle_state import CircleState, JoinFacts, apply, without_role
from peerapp.core.rule_reasons import RuleReason

MAX_ROUNDS = 8
REMOVAL_TYPES = frozenset({EventType.REMOVE, EventType.BAN, EventType.DEMOTE})
# accepted in order, these make earlier concurrent events refusable: resolve the whole log
CONCURRENCY_TYPES = REMOVAL_TYPES | {EventType.MUTE}
MODERATION_TYPES = frozenset(
    {
        EventType.PROMOTE,
        EventType.DEMOTE,
        EventType.TRANSFER_FOUNDER,
        EventType.REMOVE,
        EventType.BAN,
        EventType.MUTE,
        EventType.SETTINGS,
        EventType.INVITE_REVOKE,
        EventType.DELETE,
        EventType.RESTORE,
    }
)

OrderKey = tuple[int, bytes]


@dataclass(frozen=True)
class Entry:
    """One stored event as resolution needs it."""

    id: bytes
    event: Event
    join: JoinFacts | None = None

    @property
    def order(self) -> OrderKey:
        return (self.event.lamport, self.id)


class RemovalKind(Enum):
    REMOVED = "removed"  # REMOVE, or BAN of a member
    DEMOTED = "demoted"
    MUTED = "muted"


@dataclass(frozen=True)
class Removal:
    """A valid REMOVE/BAN/DEMOTE/MUTE in the resolved log."""

    id: bytes
    target: bytes
    kind: RemovalKind
    order: OrderKey
    until: int = 0  # MUTED: when the mute ends (ms)


@dataclass(frozen=True)
class Resolution:
    state: CircleState
    order: tuple[bytes, ...]  # event ids in log order
    refused: dict[bytes, RuleReason] = field(default_factory=dict)  # event id -> reason
    removals: tuple[Removal, ...] = ()

    @property
    def accepted(self) -> tuple[bytes, ...]:
        return tuple(i for i in self.order if i not in self.refused)


def log_order(entries: Iterable[Entry]) -> list[Entry]:
    """Dedupe by id, then ascending (lamport, event id)."""
    unique = {entry.id: entry for entry in entries}
    return sorted(unique.values(), key=lambda e: e.order)


def causal_past(parents: Mapping[bytes, Iterable[bytes]], event_id: bytes) -> frozenset[bytes]:
    """Every ancestor of `event_id` reachable through `parents` (id -> prev), not itself.

    Parents not in `parents` are included but not walked through."""
    seen: set[bytes] = set()
    stack = list(parents.get(event_id, ()))
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(parents.get(current, ()))
    return frozenset(seen)


def is_ancestor(parents: Mapping[bytes, Iterable[bytes]], ancestor: bytes, of: bytes) -> bool:
    return ancestor in causal_past(parents, of)


def _removal_of(before: CircleState, entry: Entry) -> Removal | None:
    event = entry.event
    if event.type is EventType.MUTE:
        target, until = event.body["member"], event.body["until"]
        if until > event.ts and target in before.members:
            return Removal(entry.id, target, RemovalKind.MUTED, entry.order, until)
        return None
    if event.type not in REMOVAL_TYPES:
        return None
    target = event.body["member"]
    if event.type is EventType.DEMOTE:
        return Removal(entry.id, target, RemovalKind.DEMOTED, entry.order)
    if target in before.members:  # a BAN of a former member removes no one
        return Removal(entry.id, target, RemovalKind.REMOVED, entry.order)
    return None


Against = dict[bytes, list[tuple[Removal, frozenset[bytes]]]]

# a fold records where it stood every CHECKPOINT_EVERY entries, so a later resolution can
# start there instead of at the genesis (resume)
CHECKPOINT_EVERY = 128


@dataclass(frozen=True)
class Checkpoint:
    """Where one fold stood after the entry at `index` (log position): its state and how
    many removals it had found so far."""

    index: int
    state: CircleState
    removals: int


@dataclass(frozen=True)
class Fold:
    """One pass over the log against a fixed set of removals, and where it stood."""

    against: Against
    result: Resolution
    checkpoints: tuple[Checkpoint, ...]


@dataclass(frozen=True)
class ResolvedLog:
    """A resolution together with what lets the next one start part-way (resume): each
    fold of `resolve`'s iteration with its checkpoints, the log's order keys, and the
    causal pasts of the removals it met (with the ancestors the replica lacked then)."""

    folds: tuple[Fold, ...]
    keys: tuple[OrderKey, ...]  # log order, aligned with resolution.order
    pasts: dict[bytes, frozenset[bytes]]  # removal id -> its causal past
    missing: frozenset[bytes]  # ids in those pasts that were not held (not walked)
    every: int = CHECKPOINT_EVERY  # entries between checkpoints

    @property
    def resolution(self) -> Resolution:
        return self.folds[-1].result

    def resume_point(self, earliest: OrderKey) -> OrderKey | None:
        """The order key after which a resumed resolution must be given every entry, for
        entries new since no earlier than `earliest`; None: only a whole resolution can."""
        usable = [c for c in self.folds[0].checkpoints if self.keys[c.index] < earliest]
        if not usable:
            return None
        return self.keys[usable[-1].index]


def _judge(
    state: CircleState, entry: Entry, against: Against
) -> tuple[CircleState, RuleReason | None, Removal | None]:
    """One entry in log order: (the state after it, why it was refused or None, the
    removal it makes, if any)."""
    event = entry.event
    demoted = False
    for removal, past in against.get(event.author, ()):
        if entry.order >= removal.order or entry.id in past:
            continue
        if removal.kind is RemovalKind.REMOVED:
            return state, RuleReason.CONCURRENT_REMOVAL, None
        if removal.kind is RemovalKind.MUTED:
            if event.type in CONTENT_TYPES and event.ts < removal.until:
                return state, RuleReason.CONCURRENT_MUTE, None
            continue
        demoted = True
    if demoted and not apply(without_role(state, event.author), event, entry.join).accepted:
        return state, RuleReason.CONCURRENT_DEMOTION, None
    verdict = apply(state, event, entry.join)
    if not verdict.accepted:
        return state, verdict.reason, None
    return verdict.state, None, _removal_of(state, entry)


@dataclass
class _Pass:
    """What one fold has found so far."""

    state: CircleState
    refused: dict[bytes, RuleReason] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)


def _fold(
    circle_id: bytes,
    ordered: list[Entry],
    against: Against,
    every: int,
    start: Checkpoint | None = None,
) -> _Pass:
    """One pass in log order, dropping the events concurrent with `against`
    (author -> [(removal, its causal past)]): over the whole log, or over the entries
    after `start` (`ordered` then holds exactly those)."""
    done = _Pass(start.state if start else CircleState(circle_id))
    first = start.index + 1 if start else 0
    found_before = start.removals if start else 0
    for index, entry in enumerate(ordered, first):
        done.state, reason, removal = _judge(done.state, entry, against)
        if reason:
            done.refused[entry.id] = reason
        if removal is not None:
            done.removals.append(removal)
        if (index + 1) % every == 0:
            done.checkpoints.append(
                Checkpoint(index, done.state, found_before + len(done.removals))
            )
    return done


def _against(
    removals: Iterable[Removal],
    links: Mapping[bytes, Iterable[bytes]],
    pasts: dict[bytes, frozenset[bytes]],
) -> Against:
    found: Against = {}
    for removal in removals:
        if removal.id not in pasts:
            pasts[removal.id] = causal_past(links, removal.id)
        found.setdefault(removal.target, []).append((removal, pasts[removal.id]))
    return found


def resolve_log(
    circle_id: bytes,
    entries: Iterable[Entry],
    parents: Mapping[bytes, Iterable[bytes]] | None = None,
    every: int = CHECKPOINT_EVERY,
) -> ResolvedLog:
    """`resolve`, keeping what lets a later resolution resume part-way (a checkpoint
    every `every` entries)."""
    ordered = log_order(entries)
    links: dict[bytes, tuple[bytes, ...]] = {
        child: tuple(prev) for child, prev in (parents or {}).items()
    }
    links.update({entry.id: entry.event.prev for entry in ordered if entry.event.prev})
    ids = tuple(e.id for e in ordered)
    pasts: dict[bytes, frozenset[bytes]] = {}

    def fold(against: Against) -> Fold:
        done = _fold(circle_id, ordered, against, every)
        result = Resolution(done.state, ids, done.refused, tuple(done.removals))
        return Fold(against, result, tuple(done.checkpoints))

    folds = [fold({})]
    for _ in range(MAX_ROUNDS - 1):
        last = folds[-1]
        if not last.result.removals and not last.against:
            break
        found = _against(last.result.removals, links, pasts)
        if found == last.against:
            break
        folds.append(fold(found))
    held = set(ids)
    missing = frozenset(i for past in pasts.values() for i in past if i not in held)
    return ResolvedLog(tuple(folds), tuple(e.order for e in ordered), pasts, missing, every)


def resolve(
    circle_id: bytes,
    entries: Iterable[Entry],
    parents: Mapping[bytes, Iterable[bytes]] | None = None,
) -> Resolution:
    """The circle the events give, whatever order they came in (see the module doc).

    `parents` (id -> prev) adds DAG links for events given without their `prev` (a store
    that keeps messages' parents apart from their bodies) or not given at all."""
    return resolve_log(circle_id, entries, parents).resolution


def resume(
    log: ResolvedLog, circle_id: bytes, after: OrderKey, suffix: Iterable[Entry]
) -> ResolvedLog | None:
    """The resolution of the log's entries up to `after` (a `resume_point`) plus `suffix`,
    every entry held now that sorts after `after` (those resolved before and new ones),
    without folding the prefix again: each fold of the iteration starts at its checkpoint.

    Exact: the prefix and the removals it holds are unchanged, so when every fold finds
    the same removals as before, `resolve` would take the very same iteration. Returns
    None when it cannot be sure (a fold finds other removals, or a new entry fills a gap
    in a removal's causal past): resolve the whole log then."""
    tail = log_order(suffix)
    if any(entry.order <= after for entry in tail):
        raise ValueError("the suffix holds an entry at or before the resume point")
    if any(entry.id in log.missing for entry in tail):
        return None
    cut = bisect_right(log.keys, after)
    folds: list[Fold] = []
    for fold in log.folds:
        start = next((c for c in fold.checkpoints if c.index == cut - 1), None)
        if start is None:
            raise ValueError("resume only from a resume_point")
        done = _fold(circle_id, tail, fold.against, log.every, start)
        before = fold.result
        removals = before.removals[: start.removals] + tuple(done.removals)
        if removals != before.removals:
            return None
        dropped = set(before.order[cut:])
        refused = {i: why for i, why in before.refused.items() if i not in dropped}
        refused.update(done.refused)
        order = before.order[:cut] + tuple(e.id for e in tail)
        checkpoints = tuple(c for c in fold.checkpoints if c.index < cut) + tuple(done.checkpoints)
        folds.append(
            Fold(fold.against, Resolution(done.state, order, refused, removals), checkpoints)
        )
    keys = log.keys[:cut] + tuple(e.order for e in tail)
    return ResolvedLog(tuple(folds), keys, log.pasts, log.missing, log.every)


# -- the moderation log -----------------------------------------------------------------


@dataclass(frozen=True)
class ModerationAction:
    """One accepted moderation event: who did what to whom, when."""

    event_id: bytes
    actor: bytes
    action: str  # the event type's wire name: "remove", "mute", ...
    target: bytes | None  # a member key (a message's author for "delete"); None otherwise
    ts: int  # ms, the actor's clock
    lamport: int
    details: dict[str, object] = field(default_factory=dict)


def action_of(entry: Entry) -> ModerationAction:
    """The moderation action a MODERATION_TYPES entry records."""
    event = entry.event
    body = event.body
    target: bytes | None = body.get("member")
    details: dict[str, object] = {}
    if event.type is EventType.MUTE:
        details = {"until": body["until"]}
    elif event.type is EventType.SETTINGS:
        details = dict(body)
    elif event.type is EventType.INVITE_REVOKE:
        details = {"invite": body["invite"]}
    elif event.type in (EventType.DELETE, EventType.RESTORE):
        target = body["author"]
        details = {"message": body["message"]}
    if "reason" in body:  # a facilitator's words (remove, ban, mute, delete), when given
        details["reason"] = body["reason"]
    return ModerationAction(
        entry.id, event.author, event.type.value, target, event.ts, event.lamport, details
    )


def moderation_log(entries: Iterable[Entry], resolution: Resolution) -> list[ModerationAction]:
    """The accepted moderation actions among `entries`, in log order."""
    resolved = set(resolution.order)
    return [
        action_of(entry)
        for entry in log_order(entries)
        if entry.event.type in MODERATION_TYPES
        and entry.id in resolved
        and entry.id not in resolution.refused
    ]
