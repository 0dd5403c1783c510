"""The message rules the GUI asks (core/permissions.py, over roles and ranks as `members`
and `circle_info` tell them) against the engine's real enforcement: delete, harm flags
and restores against circle_state.apply, report and care flags against the facilitator
mailbox's choice of recipients, for every viewer and author among a founder, two ranked
facilitators, a plain and a muted member (and a former member as author)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import cast

import pytest

from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import CircleState, MessageRef, Role, apply
from peerapp.core.errors import CommandError
from peerapp.core.permissions import (
    FACILITATOR,
    FOUNDER,
    MEMBER,
    PLAIN_MEMBER,
    Standing,
    may_care,
    may_delete,
    may_delete_message,
    may_flag,
    may_report,
    may_restore,
    someone_to_tell,
)
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.mailbox import _facilitators_to_tell
from tests.core.test_core_permissions import KEYS, STATE, STRANGER, _event

MESSAGE = b"\x01" * 32  # the message a flag, a restore or a delete names


def _standing(state: CircleState, key: bytes) -> Standing:
    """A member's standing as the engine lists it (engine/circle_service.member_views)."""
    member = state.members.get(key)
    if member is None:
        return PLAIN_MEMBER  # a former member, as the GUI reads one not listed
    rank = state.rank(key) if state.is_facilitator(key) else None
    return Standing(member.role.value, rank)


def _leaders(state: CircleState) -> list[str]:
    """The ids the GUI sees leading: members listed as founder or facilitator."""
    return [key.hex() for key in state.members if _standing(state, key).leads]


@dataclass(frozen=True)
class _Runtime:
    """What the mailbox reads of a circle's runtime to choose recipients."""

    state: CircleState
    me: bytes


def _mailbox_would_send(state: CircleState, me: bytes, about: bytes) -> bool:
    try:
        _facilitators_to_tell(
            cast(CircleRuntime, _Runtime(state, me)),
            about,
            Refusal.NO_FACILITATOR,
            Refusal.ONLY_FACILITATOR_IS_AUTHOR,
        )
    except CommandError:
        return False
    return True


def test_delete_over_standings_is_the_logs_rule() -> None:
    checked = 0
    for actor, author in itertools.product(KEYS, (*KEYS, STRANGER.key)):
        body = {"message": b"\x01" * 32, "author": author}
        accepted = apply(STATE, _event(EventType.DELETE, actor, body)).accepted
        offered = may_delete_message(
            _standing(STATE, actor),
            _standing(STATE, author),
            mine=actor == author,
            deleted=False,
            removed=False,
        )
        assert offered == accepted == may_delete(STATE, actor, author), (actor, author)
        checked += 1
    print(f"{checked} delete verdicts compared")


def _message_states(author: bytes, flagger: bytes) -> dict[str, CircleState]:
    """A message by `author` as it may stand: plain, deleted, restored, hidden pending
    review (flagged by `flagger`; one flag hides it), with no wait before flagging."""
    ref: MessageRef = (MESSAGE, author)
    base = replace(STATE, flag_after_hours=0, harm_flags_to_hide=1)
    hidden = replace(base, harm_flags={ref: frozenset({flagger})})
    assert hidden.is_hidden(ref)
    return {
        "plain": base,
        "deleted": replace(base, deleted={ref: author}),
        "restored": replace(base, restored=frozenset({ref})),
        "hidden": hidden,
    }


def test_flag_and_restore_are_offered_exactly_when_the_log_accepts_them() -> None:
    checked = 0
    for actor, author in itertools.product(KEYS, KEYS):
        flagger = next(key for key in KEYS if key not in (actor, author))
        for name, state in _message_states(author, flagger).items():
            ref: MessageRef = (MESSAGE, author)
            body = {"message": MESSAGE, "author": author}
            mine, deleted = actor == author, ref in state.deleted
            flag = apply(state, _event(EventType.HARM_FLAG, actor, body)).accepted
            offered = may_flag(
                mine=mine, deleted=deleted, restored=ref in state.restored, removed=False
            )
            assert offered == flag, ("flag", name, actor, author)
            restore = apply(state, _event(EventType.RESTORE, actor, body)).accepted
            offered = may_restore(
                facilitating=_standing(state, actor).leads,
                hidden=state.is_hidden(ref),
                deleted=deleted,
                mine=mine,
            )
            assert offered == restore, ("restore", name, actor, author)
            checked += 2
    print(f"{checked} flag/restore verdicts compared")


def test_report_and_care_are_offered_exactly_when_the_mailbox_has_someone_to_send_to() -> None:
    leaders = _leaders(STATE)
    checked = 0
    for me, author in itertools.product(KEYS, KEYS):
        if me == author:
            continue  # one's own message: neither is offered, the mailbox refuses it too
        sends = _mailbox_would_send(STATE, me, author)
        someone = someone_to_tell(leaders, me.hex(), author.hex())
        assert someone == sends, (me, author)
        assert may_report(mine=False, deleted=False, removed=False, someone_to_tell=someone) == (
            sends
        )
        assert may_care(
            mine=False, deleted=False, removed=False, author_here=True, someone_to_tell=someone
        ) == (sends)
        checked += 1
    print(f"{checked} report/care verdicts compared")


def test_the_message_rules_read_as_stated() -> None:
    """A few rows by name, so a wrong fixture cannot make the comparisons above vacuous."""
    founder, first, second, plain = KEYS[0], KEYS[1], KEYS[2], KEYS[3]
    leaders = _leaders(STATE)
    assert len(leaders) == 3
    # the only facilitators besides the founder are told about a plain member's message
    assert someone_to_tell(leaders, plain.hex(), founder.hex())
    # a facilitator reporting the founder still has the other facilitator to tell
    assert someone_to_tell(leaders, first.hex(), founder.hex())
    # with only the viewer and the author leading, nobody is left to tell
    assert not someone_to_tell([first.hex(), second.hex()], first.hex(), second.hex())
    assert not may_report(mine=True, deleted=False, removed=False, someone_to_tell=True)
    assert not may_report(mine=False, deleted=False, removed=True, someone_to_tell=True)
    assert not may_care(
        mine=False, deleted=False, removed=False, author_here=False, someone_to_tell=True
    )
    senior, junior = _standing(STATE, first), _standing(STATE, second)
    assert may_delete_message(senior, junior, mine=False, deleted=False, removed=False)
    assert not may_delete_message(junior, senior, mine=False, deleted=False, removed=False)
    assert not may_delete_message(senior, junior, mine=False, deleted=True, removed=False)
    assert not may_delete_message(senior, junior, mine=True, deleted=False, removed=True)


FOUNDER_0 = Standing(FOUNDER, 0)
FACILITATOR_1 = Standing(FACILITATOR, 1)
FACILITATOR_2 = Standing(FACILITATOR, 2)


@pytest.mark.parametrize(
    ("viewer", "author", "mine", "allowed"),
    [
        (PLAIN_MEMBER, PLAIN_MEMBER, True, True),  # one's own
        (PLAIN_MEMBER, PLAIN_MEMBER, False, False),
        (FACILITATOR_1, PLAIN_MEMBER, False, True),
        (FACILITATOR_1, FACILITATOR_2, False, True),
        (FACILITATOR_2, FACILITATOR_1, False, False),
        (FACILITATOR_1, FOUNDER_0, False, False),
        (FOUNDER_0, FACILITATOR_1, False, True),
    ],
)
def test_delete_for_everyone_follows_rank(
    viewer: Standing, author: Standing, mine: bool, allowed: bool
) -> None:
    assert may_delete_message(viewer, author, mine=mine, deleted=False, removed=False) is allowed


def test_only_others_messages_still_showing_can_be_reported_to_someone() -> None:
    assert may_report(mine=False, deleted=False, removed=False, someone_to_tell=True)
    assert not may_report(mine=True, deleted=False, removed=False, someone_to_tell=True)
    assert not may_report(mine=False, deleted=True, removed=False, someone_to_tell=True)
    assert not may_report(mine=False, deleted=False, removed=False, someone_to_tell=False)


def test_the_role_names_are_the_logs() -> None:
    """The roles `members` and `circle_info` name are circle_state's role names."""
    assert {FOUNDER, FACILITATOR, MEMBER} == {role.value for role in Role}


def test_flag_and_restore_read_as_stated() -> None:
    assert may_flag(mine=False, deleted=False, restored=False, removed=False)
    assert not may_flag(mine=True, deleted=False, restored=False, removed=False)
    assert not may_flag(mine=False, deleted=False, restored=True, removed=False)
    assert not may_flag(mine=False, deleted=False, restored=False, removed=True)
    assert may_restore(facilitating=True, hidden=True, deleted=False, mine=False)
    assert not may_restore(facilitating=False, hidden=True, deleted=False, mine=False)
    assert not may_restore(facilitating=True, hidden=True, deleted=False, mine=True)
    assert not may_restore(facilitating=True, hidden=False, deleted=False, mine=False)
