"""core/permissions.py against the log's real enforcement: for every actor and target among
a founder, two ranked facilitators, a plain member and a muted one, each moderation action
is offered exactly when circle_state.apply would accept its event (and delete likewise)."""

from __future__ import annotations

import itertools
from typing import Any

from peerapp.core.circle_events import Event, EventType
from peerapp.core.circle_state import CircleState, apply
from peerapp.core.permissions import MODERATION_ACTIONS, MemberAction, actions_on, may_delete
from tests.crypto.circle_fixtures import (
    HOUR_MS,
    NOW_MS,
    epoch_secret,
    fold,
    founded_circle,
    identity,
    invite_seed,
)

F = identity("founder-permissions")  # the founder, rank 0
A = identity("ash")  # facilitator, rank 1
B = identity("beech")  # facilitator, rank 2
M = identity("moss")  # plain member
N = identity("nettle-muted")  # plain member, muted by F
STRANGER = identity("stranger-permissions")
EVERYONE = (F, A, B, M, N)
AT_MS = NOW_MS + 2 * HOUR_MS  # the moment the actions are judged
MUTED_UNTIL = NOW_MS + 10 * HOUR_MS

# each action as the log event it leads to: MUTE with a future until, UNMUTE as a MUTE
# whose until has passed (circle_state's "until <= ts" lifts a mute)
EVENT_OF = {
    MemberAction.PROMOTE: (EventType.PROMOTE, None),
    MemberAction.DEMOTE: (EventType.DEMOTE, None),
    MemberAction.MAKE_FOUNDER: (EventType.TRANSFER_FOUNDER, None),
    MemberAction.MUTE: (EventType.MUTE, AT_MS + HOUR_MS),
    MemberAction.UNMUTE: (EventType.MUTE, AT_MS),
    MemberAction.REMOVE: (EventType.REMOVE, None),
    MemberAction.BAN: (EventType.BAN, None),
}


def _state() -> CircleState:
    builder, founder = founded_circle("permissions")
    assert founder == F
    seed = invite_seed("permissions")
    builder.invite(F, seed, max_uses=10)
    for who in (A, B, M, N):
        builder.join(F, who, seed)
    builder.rotate(F, epoch_secret("permissions-1"), list(EVERYONE))
    builder.on(F, EventType.PROMOTE, A)
    builder.on(F, EventType.PROMOTE, B)
    builder.mute(F, N, MUTED_UNTIL)
    state, verdicts = fold(builder)
    assert [v.reason for v in verdicts if not v.accepted] == []
    assert state.facilitators == (F.key, A.key, B.key)
    assert state.is_muted(N.key, AT_MS)
    return state


STATE = _state()
KEYS = tuple(who.key for who in EVERYONE)


def _event(kind: EventType, author: bytes, body: dict[str, Any]) -> Event:
    # unsigned: apply judges the rule, the signature was checked before it by crypto/
    return Event(kind, STATE.circle_id, author, 10_000, 10_000, (), AT_MS, body)


def _accepted(action: MemberAction, actor: bytes, target: bytes) -> bool:
    kind, until = EVENT_OF[action]
    body: dict[str, Any] = {"member": target}
    if until is not None:
        body["until"] = until
    return apply(STATE, _event(kind, actor, body)).accepted


def test_every_moderation_action_is_offered_exactly_when_the_log_accepts_it() -> None:
    checked = 0
    for actor, target in itertools.product(KEYS, KEYS):
        offered = actions_on(STATE, actor, target, AT_MS)
        assert offered <= MODERATION_ACTIONS
        for action in MODERATION_ACTIONS - {MemberAction.MUTE, MemberAction.UNMUTE}:
            assert (action in offered) == _accepted(action, actor, target), (action, actor, target)
            checked += 1
        # the log takes MUTE whether or not the member is muted now; the choice offered is
        # the one that changes something: UNMUTE while muted, MUTE otherwise
        may_mute = _accepted(MemberAction.MUTE, actor, target)
        assert may_mute == _accepted(MemberAction.UNMUTE, actor, target)
        muted = STATE.is_muted(target, AT_MS)
        assert (MemberAction.MUTE in offered) == (may_mute and not muted)
        assert (MemberAction.UNMUTE in offered) == (may_mute and muted)
        checked += 1
    print(f"{checked} actor/target/action verdicts compared")


def test_the_table_reads_as_the_rules_say() -> None:
    """A few rows by name, so a wrong fixture cannot make the comparison above vacuous."""
    assert actions_on(STATE, F.key, A.key, AT_MS) == {
        MemberAction.DEMOTE,
        MemberAction.MAKE_FOUNDER,
        MemberAction.MUTE,
        MemberAction.REMOVE,
        MemberAction.BAN,
    }
    assert actions_on(STATE, A.key, B.key, AT_MS) == {
        MemberAction.DEMOTE,
        MemberAction.MUTE,
        MemberAction.REMOVE,
        MemberAction.BAN,
    }
    assert actions_on(STATE, B.key, A.key, AT_MS) == set()  # never on a senior
    assert actions_on(STATE, B.key, N.key, AT_MS) == {
        MemberAction.PROMOTE,
        MemberAction.UNMUTE,
        MemberAction.REMOVE,
        MemberAction.BAN,
    }
    assert actions_on(STATE, M.key, N.key, AT_MS) == set()  # plain members do not moderate
    assert actions_on(STATE, F.key, F.key, AT_MS) == set()  # nor anyone themselves
    assert actions_on(STATE, F.key, STRANGER.key, AT_MS) == set()  # nor a non-member


def test_delete_is_offered_exactly_when_the_log_accepts_it() -> None:
    for actor, author in itertools.product(KEYS, (*KEYS, STRANGER.key)):
        body = {"message": b"\x01" * 32, "author": author}
        accepted = apply(STATE, _event(EventType.DELETE, actor, body)).accepted
        assert may_delete(STATE, actor, author) == accepted, (actor, author)
    assert may_delete(STATE, M.key, M.key)
    assert not may_delete(STATE, M.key, N.key)
    assert may_delete(STATE, B.key, STRANGER.key)  # a former member ranks as a plain member
