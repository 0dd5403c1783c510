"""A circle's resolved state: who is in it, which invites and epochs hold, which events
count. Pure: the same events in the same order give the same state on every replica.

Events are applied in log order: ascending (lamport, event id). Lamport clocks exceed
every parent's, so this order is topological, and it is total, so replicas agree.

Rules (each row of ACCEPTANCE says who may do what):
- GENESIS: only as the first event, seq 0, by its author, who becomes the founder.
- MESSAGE, INVITE_CREATE, KEY_ROTATE, ADD_MEMBER, LEAVE: only by a current member.
- ADD_MEMBER: the embedded JOIN_REQUEST must be signed by the joiner, prove the invite's
  seed, name an invite created earlier in the log that has uses left and had not expired
  when the member admitted the joiner; the joiner's key must never have been admitted
  before (a join request admits once: replaying it after a leave is refused).
- KEY_ROTATE: the sealed keys go to current members only.
- Each author's seq must rise in log order: a repeated or lower seq is refused
  (equivocation or replay).
- A refused event stays in the store for audit but changes nothing and is never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum

from peerapp.core.circle_events import Event, EventType


class Role(Enum):
    FOUNDER = "founder"
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


@dataclass(frozen=True)
class Invite:
    key: bytes
    max_uses: int
    expires_ms: int
    uses: int = 0


@dataclass(frozen=True)
class Epoch:
    id: bytes
    author: bytes
    lamport: int
    recipients: frozenset[bytes]


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

    @property
    def current_epoch(self) -> Epoch | None:
        return self.epochs[-1] if self.epochs else None

    def is_member(self, key: bytes) -> bool:
        return key in self.members

    def rekey_duty(self) -> bytes | None:
        """Who must issue a KEY_ROTATE now, or None when the current epoch fits the members.

        The author of the current epoch repairs it; if that author is gone, the member
        with the smallest key does, so exactly one member is responsible.
        """
        epoch = self.current_epoch
        members = frozenset(self.members)
        if not members or (epoch is not None and epoch.recipients == members):
            return None
        if epoch is not None and epoch.author in members:
            return epoch.author
        return min(members)


@dataclass(frozen=True)
class Verdict:
    state: CircleState
    accepted: bool
    reason: str = ""


def _refuse(state: CircleState, reason: str) -> Verdict:
    return Verdict(state, False, reason)


def _genesis(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if state.founded or event.seq != 0:
        return _refuse(state, "a second genesis")
    founder = Member(
        key=event.author,
        name=event.body["member_name"],
        exchange=event.body["exchange"],
        peer=event.body["peer"],
        addrs=tuple(event.body["addrs"]),
        role=Role.FOUNDER,
        since_lamport=event.lamport,
    )
    return Verdict(
        replace(
            state,
            name=event.body["name"],
            guidelines=event.body["guidelines"],
            founded=True,
            members={event.author: founder},
            ever_admitted=frozenset({event.author}),
        ),
        True,
    )


def _message(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    return Verdict(state, True)


def _invite_create(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    key = event.body["invite"]
    if key in state.invites:
        return _refuse(state, "invite created twice")
    invite = Invite(key, event.body["max_uses"], event.body["expires"])
    return Verdict(replace(state, invites={**state.invites, key: invite}), True)


def _add_member(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    if join is None or not join.signature_ok or not join.proof_ok:
        return _refuse(state, "join request without a valid signature and invite proof")
    invite = state.invites.get(join.invite)
    if invite is None:
        return _refuse(state, "unknown invite")
    if invite.uses >= invite.max_uses:
        return _refuse(state, "invite used up")
    if event.ts >= invite.expires_ms:
        return _refuse(state, "invite expired")
    if join.joiner in state.ever_admitted:
        # a join request is single-use: replaying one after its member left would
        # re-admit them without their consent. Rejoining takes a new membership key.
        return _refuse(state, "already a member, or was one")
    member = Member(
        key=join.joiner,
        name=join.member_name,
        exchange=join.exchange,
        peer=join.peer,
        addrs=join.addrs,
        role=Role.MEMBER,
        since_lamport=event.lamport,
    )
    return Verdict(
        replace(
            state,
            members={**state.members, join.joiner: member},
            invites={**state.invites, invite.key: replace(invite, uses=invite.uses + 1)},
            ever_admitted=state.ever_admitted | {join.joiner},
        ),
        True,
    )


def _key_rotate(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    recipients = frozenset(event.body["keys"])
    if not recipients <= frozenset(state.members):
        return _refuse(state, "keys sealed to non-members")
    epoch = Epoch(event.body["epoch"], event.author, event.lamport, recipients)
    if any(existing.id == epoch.id for existing in state.epochs):
        return _refuse(state, "epoch reused")
    return Verdict(replace(state, epochs=(*state.epochs, epoch)), True)


def _leave(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    members = {key: member for key, member in state.members.items() if key != event.author}
    return Verdict(replace(state, members=members), True)


def _standalone_join_request(state: CircleState, event: Event, join: JoinFacts | None) -> Verdict:
    return _refuse(state, "a join request travels inside ADD_MEMBER only")


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
}


def apply(state: CircleState, event: Event, join: JoinFacts | None = None) -> Verdict:
    if event.circle != state.circle_id:
        return _refuse(state, "another circle's event")
    if not state.founded and event.type is not EventType.GENESIS:
        return _refuse(state, "before genesis")
    # an honest author's events carry rising seq and lamport numbers, so in log order each
    # author's seq only grows; a repeat or a step back is equivocation or a replay
    if event.seq <= state.last_seq.get(event.author, -1):
        return _refuse(state, "equivocation or replay: a sequence number not above the last")
    needs_member, rule = ACCEPTANCE[event.type]
    if needs_member and event.author not in state.members:
        return _refuse(state, "the author is not a member")
    verdict = rule(state, event, join)
    if not verdict.accepted:
        return verdict
    last_seq = {**verdict.state.last_seq, event.author: event.seq}
    return replace(verdict, state=replace(verdict.state, last_seq=last_seq))
