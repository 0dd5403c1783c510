"""A circle's resolved state: who is in it, which invites and epochs hold, which events
count. Pure: the same events in the same order give the same state on every replica.

Events are applied in log order: ascending (lamport, event id). Lamport clocks exceed
every parent's, so this order is topological, and it is total, so replicas agree.

Rules (each row of ACCEPTANCE says who may do what):
- GENESIS: only as the first event, seq 0, by its author, who becomes the founder, and only
  the genesis the circle id commits to (`genesis_circle_id`): a circle has one genesis.
- Every other event: only by a current member.
- INVITE_CREATE: a facilitator, or any member when the circle lets members invite
  (SETTINGS members_invite, off by default: a plain member cannot bring in puppets).
- ADD_MEMBER: the embedded JOIN_REQUEST must be signed by the joiner, prove the invite's
  seed, name an invite created earlier in the log, not revoked, that has uses left and
  had not expired when the member admitted the joiner; the joiner's key must never have
  been admitted before (a join request admits once: replaying it after a leave is
  refused); neither the joiner's key nor its libp2p peer id may be banned (joiners use a
  fresh key per join, the peer id is per profile). Only a facilitator may admit, unless
  members_invite is on and join approval off.
  Each member has a sponsor: a member admitted by a facilitator sponsors itself; one
  admitted by a plain member has that member's sponsor. Harm flags count sponsors, so a
  member and everyone it brought in (and they brought in) count as one person.
- KEY_ROTATE: the sealed keys go to current members only.
- Each author's seq rises in log order. An author whose seq repeats or steps back has
  equivocated (signed two versions of its history): both events are kept and judged on
  their own, and the author is recorded in `equivocators`; nothing is silently replaced.
  (A replay of the same event is the same event id: stored once.)
- A refused event stays in the store for audit but changes nothing and is never shown.

Roles and rank:
- Facilitators are ranked by promotion order: rank 0 is the founder, then each
  facilitator in the order it was promoted. Plain members rank below every facilitator,
  all at the same rank. "X outranks Y" means X is a facilitator with a smaller rank than
  Y's. A facilitator acts only on members it outranks: no one acts on an equal or a
  senior, so two facilitators can never remove each other.
- PROMOTE {member}: a facilitator makes a plain member a facilitator, ranked last.
- DEMOTE {member}: a facilitator makes a facilitator it outranks a plain member.
- TRANSFER_FOUNDER {member}: only the founder, to another facilitator, who takes rank 0;
  the former founder takes rank 1, the others keep their order.
- REMOVE {member}: a facilitator removes a member it outranks (who may rejoin later with
  a new invite, unless banned).
- BAN {member}: a facilitator bans a member it outranks (removing it) or a former member
  (anyone once admitted who is no longer a member); the key and the peer id it joined
  with can never be admitted again. Banning twice is refused.
- MUTE {member, until}: a facilitator mutes a member it outranks until `until` (ms); an
  `until` not after the event's ts lifts the mute.
- SETTINGS {slow_mode_seconds, join_approval, guidelines}: a facilitator sets them all
  (attachment_limit, when absent, is the default: core/attachment_policy.py).
- INVITE_REVOKE {invite}: a facilitator revokes a known invite; a revoked invite admits
  no one. Revoking twice is refused.
- DELETE {message, author}: the message's own author, or a facilitator that outranks the
  author (a former member ranks as a plain member). The message is named by the pair
  (message id, author), a MessageRef: `deleted` records ref -> deleter, and a replica
  erases a stored message only if its stored author is the ref's. A delete, flag or
  restore naming the wrong author names a message that does not exist: it can never
  block one naming the real author. Deleting the same ref twice is refused.
- MESSAGE: refused while its author is muted (event ts < until; `resolution` also refuses
  a message concurrent with the mute, whatever parents it names); with slow mode on, a
  plain member's message less than slow_mode_seconds (by event ts) after that member's
  previous message accepted while slow mode was on is refused; facilitators are exempt.
- EDIT {message, text, cw?}: as a MESSAGE for mute and slow mode (it counts as the
  author's previous message); REACTION {message, author, reaction, on}: refused while its
  author is muted. What they name is judged by core/content_rules.py.
- HARM_FLAG {message, author}: any member but the message's author flags it as harmful,
  once per member. Not after the message was deleted or restored (a facilitator has
  reviewed it). A plain member may flag once it has been in the circle flag_after_hours
  (a circle setting, default a day; by the flag's ts against its admission's: ts cannot
  run ahead of real time, see `admission`). Once harm_flags_to_hide (a circle setting,
  default 3) distinct sponsors flagged it, it is hidden pending review on every
  replica: no facilitator needs to be online, and no member can hide a message with
  puppets.
- RESTORE {message, author}: a facilitator other than the message's author ends the
  review of a hidden message; it shows again and cannot be flagged again. (DELETE also
  ends it.) A flagged facilitator's message is reviewed by another facilitator.
- STATUS {on_break}: a member shows, or stops showing, "taking a break".
- EXCHANGE_KEY {exchange, unreadable?}: a member replaces its own X25519 receiving key
  (a different one); later KEY_ROTATEs seal to it. With `unreadable` it reports that the
  named epoch, sealed to it under the key it is replacing, did not open: the epoch's
  author is counted in `unreadable_reports` (a report, not a proof: the reporter could
  lie), unless the epoch's lamport is not above the replaced key's own event (then the
  rotation may have been concurrent with the key change). Each epoch records the key it
  sealed to per recipient; an epoch some recipient has since replaced its key for is
  stale, and rekey_duty then falls to that recipient (the smallest such key), which
  needs nobody's help to start an epoch it can read.
- SETTINGS also sets harm_flags_to_hide (1..MAX_HARM_FLAGS_TO_HIDE); lowering it may hide
  messages already flagged that often, raising it may show them again.
- LEAVE: a member leaves. If the founder leaves, the next-ranked facilitator becomes the
  founder; if there is none, the longest-standing member (earliest admission, then
  smallest key) becomes the founder, so the circle never dies with its creator.
- Concurrency (applied by `peerapp.core.resolution.resolve`, not by `apply` alone): an
  event whose author is the target of a valid REMOVE/BAN (or DEMOTE) that sorts after it
  in log order but does not have it in its causal past is refused (for DEMOTE: only if
  it would be refused once its author is demoted, i.e. its facilitator-only actions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum

from peerapp.core.attachment_policy import DEFAULT_LIMIT_BYTES
from peerapp.core.circle_events import Event, EventType, genesis_circle_id
from peerapp.core.rule_reasons import RuleReason

DEFAULT_HARM_FLAGS_TO_HIDE = 3
DEFAULT_FLAG_AFTER_HOURS = 24  # a plain member's first day: its flags are refused
HOUR_MS = 3600 * 1000

# A message as moderation names it: (event id, the author the event names). A replica acts
# on a stored message only when its stored author is the ref's author.
MessageRef = tuple[bytes, bytes]


class Role(Enum):
    FOUNDER = "founder"
    FACILITATOR = "facilitator"
    MEMBER = "member"


@dataclass(frozen=True)
class Member:
    key: bytes
    name: str
    exchange: bytes
    peer: str
    addrs: tuple[str, ...]
    role: Role
    since_lamport: int
    admitted_ms: int = 0  # the ts of its GENESIS or ADD_MEMBER
    admitted_by: bytes = b""  # who wrote its ADD_MEMBER (b"" for the founder)
    # lamport of the EXCHANGE_KEY that set `exchange` (-1: the key it joined with)
    exchange_lamport: int = -1


@dataclass(frozen=True)
class Invite:
    key: bytes
    max_uses: int
    expires_ms: int
    uses: int = 0
    revoked: bool = False


@dataclass(frozen=True)
class Epoch:
    id: bytes
    author: bytes
    lamport: int
    recipients: frozenset[bytes]
    # (recipient, the exchange key the log held for it when the epoch was applied)
    sealed_to: frozenset[tuple[bytes, bytes]] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class JoinFacts:
    """What the crypto layer verified about an ADD_MEMBER's embedded JOIN_REQUEST."""

    joiner: bytes
    signature_ok: bool
    proof_ok: bool
    invite: bytes
    member_name: str
    exchange: bytes
    peer: str
    addrs: tuple[str, ...]


@dataclass(frozen=True)
class CircleState:
    circle_id: bytes
    name: str = ""
    guidelines: str = ""
    founded: bool = False
    members: dict[bytes, Member] = field(default_factory=dict)
    invites: dict[bytes, Invite] = field(default_factory=dict)
    epochs: tuple[Epoch, ...] = ()
    last_seq: dict[bytes, int] = field(default_factory=dict)
    ever_admitted: frozenset[bytes] = frozenset()
    # rank order: index 0 is the founder, then facilitators in promotion order
    facilitators: tuple[bytes, ...] = ()
    # the peer id every member ever admitted joined with (to ban a former member's peer)
    peers: dict[bytes, str] = field(default_factory=dict)
    banned: frozenset[bytes] = frozenset()
    banned_peers: frozenset[str] = frozenset()
    muted: dict[bytes, int] = field(default_factory=dict)  # member -> until (ms)
    slow_mode_seconds: int = 0
    join_approval: bool = False
    members_invite: bool = False  # may plain members invite and admit?
    flag_after_hours: int = DEFAULT_FLAG_AFTER_HOURS  # a plain member's wait before flagging
    attachment_limit: int = DEFAULT_LIMIT_BYTES  # bytes per attached file (issue 15)
    typing: bool = False  # members see who is typing (SETTINGS' optional field; off)
    deleted: dict[MessageRef, bytes] = field(default_factory=dict)  # ref -> deleter
    # ts of each member's last message accepted while slow mode was on
    last_message_ts: dict[bytes, int] = field(default_factory=dict)
    harm_flags_to_hide: int = DEFAULT_HARM_FLAGS_TO_HIDE
    harm_flags: dict[MessageRef, frozenset[bytes]] = field(default_factory=dict)  # -> flaggers
    restored: frozenset[MessageRef] = frozenset()  # reviewed by a facilitator and restored
    on_break: frozenset[bytes] = frozenset()  # members showing "taking a break"
    # everyone ever admitted -> its sponsor (itself, or its plain-member admitter's sponsor)
    sponsors: dict[bytes, bytes] = field(default_factory=dict)
    equivocators: frozenset[bytes] = frozenset()  # authors whose seq repeated or went back
    # epoch author -> how many times a recipient reported its sealed secret unreadable
    unreadable_reports: dict[bytes, int] = field(default_factory=dict)

    def harm_flag_count(self, ref: MessageRef) -> int:
        """How many people flagged `ref`: flaggers with one sponsor count once."""
        return len({self.sponsors.get(f, f) for f in self.harm_flags.get(ref, ())})

    def is_hidden(self, ref: MessageRef) -> bool:
        """Hidden pending review: flagged by enough people, not yet restored or deleted."""
        return (
            self.harm_flag_count(ref) >= self.harm_flags_to_hide
            and ref not in self.restored
            and ref not in self.deleted
        )

    def pending_review(self) -> list[MessageRef]:
        """Messages hidden pending review, in no particular order."""
        return [ref for ref in self.harm_flags if self.is_hidden(ref)]

    def brought_in_by(self, key: bytes) -> list[bytes]:
        """The current members `key` admitted, and those they admitted, and so on."""
        found: list[bytes] = []
        frontier = {key}
        while frontier:
            admitted = sorted(
                m.key for m in self.members.values() if m.admitted_by in frontier and m.key != key
            )
            admitted = [k for k in admitted if k not in found]
            found += admitted
            frontier = set(admitted)
        return found

    def may_invite(self, key: bytes) -> RuleReason | None:
        """Why `key` may not make invites or admit joiners here, or None when it may."""
        if key not in self.members:
            return RuleReason.ONLY_MEMBERS_INVITE
        if self.is_facilitator(key):
            return None
        if self.join_approval:
            return RuleReason.APPROVAL_ONLY_FACILITATORS_ADMIT
        if not self.members_invite:
            return RuleReason.ONLY_FACILITATORS_INVITE
        return None

    @property
    def current_epoch(self) -> Epoch | None:
        return self.epochs[-1] if self.epochs else None

    @property
    def founder(self) -> bytes | None:
        return self.facilitators[0] if self.facilitators else None

    def is_member(self, key: bytes) -> bool:
        return key in self.members

    def is_facilitator(self, key: bytes) -> bool:
        return key in self.facilitators

    def rank(self, key: bytes) -> int:
        """0 for the founder, the promotion order for facilitators; everyone else
        (plain members, former members, strangers) ranks below every facilitator."""
        if key in self.facilitators:
            return self.facilitators.index(key)
        return len(self.facilitators)

    def outranks(self, actor: bytes, target: bytes) -> bool:
        return actor in self.facilitators and self.rank(actor) < self.rank(target)

    def is_muted(self, key: bytes, at_ms: int) -> bool:
        return at_ms < self.muted.get(key, -1)

    def rekey_duty(self) -> bytes | None:
        """Who must issue a KEY_ROTATE now, or None when the current epoch fits the members.

        The author of the current epoch repairs it; if that author is gone, the member
        with the smallest key does, so exactly one member is responsible. An epoch that
        covers the members but was sealed to a key some recipient has since replaced
        (EXCHANGE_KEY) is repaired by that recipient (stale_recipients).
        """
        epoch = self.current_epoch
        members = frozenset(self.members)
        if not members:
            return None
        if epoch is not None and epoch.recipients == members:
            return min(stale_recipients(self, epoch), default=None)
        if epoch is not None and epoch.author in members:
            return epoch.author
        return min(members)


@dataclass(frozen=True)
class Verdict:
    state: CircleState
    accepted: bool
    reason: RuleReason | None = None  # why it was refused; None when accepted

    def __post_init__(self) -> None:
        # a refusal always says why, and only a refusal does: callers read either field
        if self.accepted != (self.reason is None):
            raise ValueError("a verdict is accepted, or refused with a reason")


def _refuse(state: CircleState, reason: RuleReason) -> Verdict:
    return Verdict(state, False, reason)


def _role_at(facilitators: tuple[bytes, ...], key: bytes) -> Role:
    if facilitators and facilitators[0] == key:
        return Role.FOUNDER
    return Role.FACILITATOR if key in facilitators else Role.MEMBER


def _ranked(
    state: CircleState, members: dict[bytes, Member], facilitators: tuple[bytes, ...]
) -> CircleState:
    """`state` with these members and this rank order, each member's role matching it."""
    facilitators = tuple(key for key in facilitators if key in members)
    if not facilitators and members:
        # the circle never lacks a founder: the longest-standing member leads
        eldest = min(members.values(), key=lambda m: (m.since_lamport, m.key))
        facilitators = (eldest.key,)
    fitted = {}
    for key, member in members.items():
        role = _role_at(facilitators, key)
        fitted[key] = member if member.role is role else replace(member, role=role)
    muted = {key: until for key, until in state.muted.items() if key in members}
    return replace(state, members=fitted, facilitators=facilitators, muted=muted)


def without_role(state: CircleState, key: bytes) -> CircleState:
    """`state` with `key` holding no facilitator rank (a founder's role passes on)."""
    return _ranked(state, state.members, tuple(k for k in state.facilitators if k != key))


def _without(state: CircleState, key: bytes) -> CircleState:
    members = {k: m for k, m in state.members.items() if k != key}
    return _ranked(state, members, state.facilitators)


def _genesis(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if state.founded or event.seq != 0:
        return _refuse(state, RuleReason.SECOND_GENESIS)
    if genesis_circle_id(event) != state.circle_id:
        return _refuse(state, RuleReason.GENESIS_NOT_COMMITTED)
    founder = Member(
        key=event.author,
        name=event.body["member_name"],
        exchange=event.body["exchange"],
        peer=event.body["peer"],
        addrs=tuple(event.body["addrs"]),
        role=Role.FOUNDER,
        since_lamport=event.lamport,
        admitted_ms=event.ts,
    )
    return Verdict(
        replace(
            state,
            name=event.body["name"],
            guidelines=event.body["guidelines"],
            founded=True,
            members={event.author: founder},
            ever_admitted=frozenset({event.author}),
            facilitators=(event.author,),
            peers={event.author: founder.peer},
            sponsors={event.author: event.author},
        ),
        True,
    )


def _message(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    author = event.author
    if state.is_muted(author, event.ts):
        return _refuse(state, RuleReason.AUTHOR_MUTED)
    if not state.slow_mode_seconds or state.is_facilitator(author):
        return Verdict(state, True)
    previous = state.last_message_ts.get(author)
    if previous is not None and event.ts - previous < state.slow_mode_seconds * 1000:
        return _refuse(state, RuleReason.SLOW_MODE)
    return Verdict(
        replace(state, last_message_ts={**state.last_message_ts, author: event.ts}), True
    )


def _reaction(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    """A reaction obeys mute (not slow mode: a heart is no flood); what it names is judged
    by core/content_rules.py."""
    if state.is_muted(event.author, event.ts):
        return _refuse(state, RuleReason.AUTHOR_MUTED)
    return Verdict(state, True)


def _invite_create(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    key = event.body["invite"]
    if reason := state.may_invite(event.author):
        return _refuse(state, reason)
    if key in state.invites:
        return _refuse(state, RuleReason.INVITE_CREATED_TWICE)
    invite = Invite(key, event.body["max_uses"], event.body["expires"])
    return Verdict(replace(state, invites={**state.invites, key: invite}), True)


def _why_not_admitted(
    state: CircleState, event: Event, join: JoinFacts | None
) -> RuleReason | None:
    if join is None or not join.signature_ok or not join.proof_ok:
        return RuleReason.JOIN_NOT_PROVEN
    invite = state.invites.get(join.invite)
    if invite is None:
        return RuleReason.UNKNOWN_INVITE
    checks = [
        (bool(may_not := state.may_invite(event.author)), may_not),
        (invite.revoked, RuleReason.INVITE_REVOKED),
        (invite.uses >= invite.max_uses, RuleReason.INVITE_USED_UP),
        (event.ts >= invite.expires_ms, RuleReason.INVITE_EXPIRED),
        (join.joiner in state.banned or join.peer in state.banned_peers, RuleReason.BANNED),
        # a join request is single-use: replaying one after its member left would
        # re-admit them without their consent. Rejoining takes a new membership key.
        (join.joiner in state.ever_admitted, RuleReason.ALREADY_ADMITTED),
    ]
    return next((reason for failed, reason in checks if failed), None)


def _add_member(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if reason := _why_not_admitted(state, event, join):
        return _refuse(state, reason)
    assert join is not None
    invite = state.invites[join.invite]
    member = Member(
        key=join.joiner,
        name=join.member_name,
        exchange=join.exchange,
        peer=join.peer,
        addrs=join.addrs,
        role=Role.MEMBER,
        since_lamport=event.lamport,
        admitted_ms=event.ts,
        admitted_by=event.author,
    )
    # a facilitator vouches for whoever it admits; a plain member's invitees are its own
    sponsor = (
        join.joiner
        if state.is_facilitator(event.author)
        else state.sponsors.get(event.author, event.author)
    )
    return Verdict(
        replace(
            state,
            members={**state.members, join.joiner: member},
            invites={**state.invites, invite.key: replace(invite, uses=invite.uses + 1)},
            ever_admitted=state.ever_admitted | {join.joiner},
            peers={**state.peers, join.joiner: join.peer},
            sponsors={**state.sponsors, join.joiner: sponsor},
        ),
        True,
    )


def _key_rotate(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    recipients = frozenset(event.body["keys"])
    if not recipients <= frozenset(state.members):
        return _refuse(state, RuleReason.KEYS_TO_NON_MEMBERS)
    sealed_to = frozenset((key, state.members[key].exchange) for key in recipients)
    epoch = Epoch(event.body["epoch"], event.author, event.lamport, recipients, sealed_to)
    if any(existing.id == epoch.id for existing in state.epochs):
        return _refuse(state, RuleReason.EPOCH_REUSED)
    return Verdict(replace(state, epochs=(*state.epochs, epoch)), True)


def _leave(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    # _ranked hands the founder role on: to the next-ranked facilitator, else the eldest
    return Verdict(_without(state, event.author), True)


def _standalone_join_request(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    return _refuse(state, RuleReason.STANDALONE_JOIN_REQUEST)


# -- roles and moderation -------------------------------------------------------------


def _acting_on_a_junior(
    state: CircleState, event: Event, not_facilitator: RuleReason
) -> RuleReason | None:
    """Why the author may not act on body["member"], or None when it may
    (`not_facilitator` when the author is no facilitator)."""
    target = event.body["member"]
    if not state.is_facilitator(event.author):
        return not_facilitator
    if target not in state.members:
        return RuleReason.TARGET_NOT_MEMBER
    if not state.outranks(event.author, target):
        return RuleReason.RANKED_BELOW_ONLY
    return None


def _promote(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    target = event.body["member"]
    if not state.is_facilitator(event.author):
        return _refuse(state, RuleReason.ONLY_FACILITATORS_PROMOTE)
    if target not in state.members:
        return _refuse(state, RuleReason.TARGET_NOT_MEMBER)
    if state.is_facilitator(target):
        return _refuse(state, RuleReason.ALREADY_FACILITATOR)
    return Verdict(_ranked(state, state.members, (*state.facilitators, target)), True)


def _demote(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    target = event.body["member"]
    if reason := _acting_on_a_junior(state, event, RuleReason.ONLY_FACILITATORS_DEMOTE):
        return _refuse(state, reason)
    if not state.is_facilitator(target):
        return _refuse(state, RuleReason.NOT_A_FACILITATOR)
    return Verdict(without_role(state, target), True)


def _transfer_founder(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    target = event.body["member"]
    if event.author != state.founder:
        return _refuse(state, RuleReason.ONLY_FOUNDER_TRANSFERS)
    if target == event.author or not state.is_facilitator(target):
        return _refuse(state, RuleReason.FOUNDER_TO_FACILITATOR)
    rest = tuple(key for key in state.facilitators[1:] if key != target)
    return Verdict(_ranked(state, state.members, (target, event.author, *rest)), True)


def _remove(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if reason := _acting_on_a_junior(state, event, RuleReason.ONLY_FACILITATORS_REMOVE):
        return _refuse(state, reason)
    return Verdict(_without(state, event.body["member"]), True)


def _ban(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    target = event.body["member"]
    if not state.is_facilitator(event.author):
        return _refuse(state, RuleReason.ONLY_FACILITATORS_BAN)
    if target in state.banned:
        return _refuse(state, RuleReason.ALREADY_BANNED)
    if target in state.members:
        if not state.outranks(event.author, target):
            return _refuse(state, RuleReason.RANKED_BELOW_ONLY)
        state = _without(state, target)
    elif target not in state.ever_admitted:
        return _refuse(state, RuleReason.NEVER_A_MEMBER)
    peers = {state.peers[target]} if target in state.peers else set()
    banned = replace(state, banned=state.banned | {target}, banned_peers=state.banned_peers | peers)
    return Verdict(banned, True)


def _mute(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if reason := _acting_on_a_junior(state, event, RuleReason.ONLY_FACILITATORS_MUTE):
        return _refuse(state, reason)
    target, until = event.body["member"], event.body["until"]
    muted = {key: value for key, value in state.muted.items() if key != target}
    if until > event.ts:
        muted[target] = until
    return Verdict(replace(state, muted=muted), True)


def _settings(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if not state.is_facilitator(event.author):
        return _refuse(state, RuleReason.ONLY_FACILITATORS_SETTINGS)
    body = event.body
    return Verdict(
        replace(
            state,
            slow_mode_seconds=body["slow_mode_seconds"],
            join_approval=body["join_approval"],
            guidelines=body["guidelines"],
            harm_flags_to_hide=body["harm_flags_to_hide"],
            members_invite=body["members_invite"],
            flag_after_hours=body["flag_after_hours"],
            attachment_limit=body.get("attachment_limit", DEFAULT_LIMIT_BYTES),
            typing=body.get("typing", False),
        ),
        True,
    )


def _invite_revoke(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if not state.is_facilitator(event.author):
        return _refuse(state, RuleReason.ONLY_FACILITATORS_REVOKE)
    invite = state.invites.get(event.body["invite"])
    if invite is None:
        return _refuse(state, RuleReason.UNKNOWN_INVITE)
    if invite.revoked:
        return _refuse(state, RuleReason.ALREADY_REVOKED)
    revoked = {**state.invites, invite.key: replace(invite, revoked=True)}
    return Verdict(replace(state, invites=revoked), True)


def message_ref(event: Event) -> MessageRef:
    """The message a DELETE, HARM_FLAG or RESTORE names."""
    return (event.body["message"], event.body["author"])


def _delete(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    ref = message_ref(event)
    author = ref[1]
    if ref in state.deleted:
        return _refuse(state, RuleReason.ALREADY_DELETED)
    if event.author != author and not state.outranks(event.author, author):
        return _refuse(state, RuleReason.DELETE_NOT_ALLOWED)
    return Verdict(replace(state, deleted={**state.deleted, ref: event.author}), True)


def _too_new_to_flag(state: CircleState, event: Event) -> bool:
    flagger = state.members[event.author]
    waited = event.ts - flagger.admitted_ms
    return not state.is_facilitator(event.author) and waited < state.flag_after_hours * HOUR_MS


def _harm_flag(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    ref = message_ref(event)
    flaggers = state.harm_flags.get(ref, frozenset())
    checks = [
        (event.author == ref[1], RuleReason.OWN_MESSAGE_FLAG),
        (ref in state.deleted, RuleReason.ALREADY_DELETED),
        (ref in state.restored, RuleReason.ALREADY_REVIEWED),
        (event.author in flaggers, RuleReason.ALREADY_FLAGGED),
        (_too_new_to_flag(state, event), RuleReason.TOO_NEW_TO_FLAG),
    ]
    if reason := next((reason for failed, reason in checks if failed), None):
        return _refuse(state, reason)
    return Verdict(
        replace(state, harm_flags={**state.harm_flags, ref: flaggers | {event.author}}), True
    )


def _restore(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    ref = message_ref(event)
    checks = [
        (not state.is_facilitator(event.author), RuleReason.ONLY_FACILITATORS_RESTORE),
        (event.author == ref[1], RuleReason.OWN_MESSAGE_REVIEW),
        (not state.is_hidden(ref), RuleReason.NOT_PENDING_REVIEW),
    ]
    if reason := next((reason for failed, reason in checks if failed), None):
        return _refuse(state, reason)
    return Verdict(replace(state, restored=state.restored | {ref}), True)


def _status(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if event.body["on_break"]:
        return Verdict(replace(state, on_break=state.on_break | {event.author}), True)
    return Verdict(replace(state, on_break=state.on_break - {event.author}), True)


# -- keys that age out (issue 11) --------------------------------------------------


def stale_recipients(state: CircleState, epoch: Epoch) -> list[bytes]:
    """Current members the epoch was sealed to under a key they have since replaced."""
    return [
        key
        for key in sorted(epoch.recipients)
        if key in state.members and (key, state.members[key].exchange) not in epoch.sealed_to
    ]


def _exchange_key(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    member = state.members[event.author]
    if event.body["exchange"] == member.exchange:
        return _refuse(state, RuleReason.EXCHANGE_KEY_UNCHANGED)
    reports = state.unreadable_reports
    if "unreadable" in event.body:
        epoch = next((e for e in state.epochs if e.id == event.body["unreadable"]), None)
        if epoch is None or event.author not in epoch.recipients:
            return _refuse(state, RuleReason.EPOCH_NOT_SEALED_TO_AUTHOR)
        # counted only when the epoch sealed to the key being replaced and came causally
        # after it could have been known (lamport above the key's own event): a rotation
        # concurrent with the key change is nobody's fault
        known_since = max(member.since_lamport, member.exchange_lamport)
        sealed_to_this_key = (event.author, member.exchange) in epoch.sealed_to
        if sealed_to_this_key and epoch.lamport > known_since and epoch.author != event.author:
            reports = {**reports, epoch.author: reports.get(epoch.author, 0) + 1}
    renewed = replace(member, exchange=event.body["exchange"], exchange_lamport=event.lamport)
    members = {**state.members, event.author: renewed}
    return Verdict(replace(state, members=members, unreadable_reports=reports), True)


Rule = Callable[[CircleState, Event, JoinFacts | None], Verdict]

# event type -> (must the author be a current member?, rule)
ACCEPTANCE: dict[EventType, tuple[bool, Rule]] = {
    EventType.GENESIS: (False, _genesis),
    EventType.MESSAGE: (True, _message),
    EventType.INVITE_CREATE: (True, _invite_create),
    EventType.JOIN_REQUEST: (False, _standalone_join_request),
    EventType.ADD_MEMBER: (True, _add_member),
    EventType.KEY_ROTATE: (True, _key_rotate),
    EventType.LEAVE: (True, _leave),
    EventType.PROMOTE: (True, _promote),
    EventType.DEMOTE: (True, _demote),
    EventType.TRANSFER_FOUNDER: (True, _transfer_founder),
    EventType.REMOVE: (True, _remove),
    EventType.BAN: (True, _ban),
    EventType.MUTE: (True, _mute),
    EventType.SETTINGS: (True, _settings),
    EventType.INVITE_REVOKE: (True, _invite_revoke),
    EventType.DELETE: (True, _delete),
    EventType.HARM_FLAG: (True, _harm_flag),
    EventType.RESTORE: (True, _restore),
    EventType.STATUS: (True, _status),
    EventType.EXCHANGE_KEY: (True, _exchange_key),
    # an edit is a message for mute and slow mode; what it names: core/content_rules.py
    EventType.EDIT: (True, _message),
    EventType.REACTION: (True, _reaction),
}


def apply(state: CircleState, event: Event, join: JoinFacts | None = None) -> Verdict:
    if event.circle != state.circle_id:
        return _refuse(state, RuleReason.ANOTHER_CIRCLE)
    if not state.founded and event.type is not EventType.GENESIS:
        return _refuse(state, RuleReason.BEFORE_GENESIS)
    needs_member, rule = ACCEPTANCE[event.type]
    if needs_member and event.author not in state.members:
        return _refuse(state, RuleReason.AUTHOR_NOT_MEMBER)
    verdict = rule(state, event, join)
    if not verdict.accepted:
        return verdict
    # an honest author's events carry rising seq and lamport numbers, so in log order each
    # author's seq only grows; a repeat or a step back is equivocation: evidence, kept
    if event.seq <= state.last_seq.get(event.author, -1):
        return replace(verdict, state=with_equivocator(verdict.state, event.author))
    last_seq = {**verdict.state.last_seq, event.author: event.seq}
    return replace(verdict, state=replace(verdict.state, last_seq=last_seq))


def with_equivocator(state: CircleState, author: bytes) -> CircleState:
    if author in state.equivocators:
        return state
    return replace(state, equivocators=state.equivocators | {author})
