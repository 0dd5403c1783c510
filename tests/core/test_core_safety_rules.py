"""Harm flags, facilitator review and the "taking a break" status as circle-log rules:
who may flag or restore, when a message is hidden pending review, and that every
replica reaches the same verdict whatever order the events arrive in."""

from __future__ import annotations

import random

import pytest

from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import (
    DEFAULT_FLAG_AFTER_HOURS,
    DEFAULT_HARM_FLAGS_TO_HIDE,
    HOUR_MS,
    MessageRef,
)
from peerapp.crypto.signing import VerifiedEvent
from tests.core.test_core_roles import SEED, A, B, Circle, F, M, N, circle
from tests.crypto.circle_fixtures import Identity, identity, resolution, resolve

# each test flags Maple's message; Maple (M) is a plain member
FLAGGERS = (N, A, B)


def ref(message: VerifiedEvent) -> MessageRef:
    return (message.id, message.event.author)


def day_old() -> Circle:
    """The roles circle a day later: its plain members may flag."""
    made = circle()
    made.builder.clock_ms += DEFAULT_FLAG_AFTER_HOURS * HOUR_MS
    return made


def flagged(by: tuple[Identity, ...]) -> tuple[Circle, MessageRef]:
    made = day_old()
    message = made.said["maple"]
    for who in by:
        made.builder.harm_flag(who, message)
        assert made.last().accepted, made.last().reason
    return made, ref(message)


def test_the_default_threshold_is_three() -> None:
    assert DEFAULT_HARM_FLAGS_TO_HIDE == 3
    assert circle().state().harm_flags_to_hide == 3


def test_a_message_is_hidden_once_enough_members_flagged_it() -> None:
    made, message = flagged(FLAGGERS[:2])
    state = made.state()
    assert not state.is_hidden(message) and state.pending_review() == []
    made.builder.harm_flag(FLAGGERS[2], made.said["maple"])
    state = made.state()
    assert state.is_hidden(message)
    assert state.pending_review() == [message]
    assert state.harm_flags[message] == frozenset(who.key for who in FLAGGERS)
    assert message[1] == M.key


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        (M, "members cannot flag their own messages"),
        (N, "already flagged by this member"),
    ],
    ids=["own message", "twice"],
)
def test_refused_flags(who: Identity, reason: str) -> None:
    made, _ = flagged((N,))
    made.builder.harm_flag(who, made.said["maple"])
    assert (made.last().accepted, made.last().reason) == (False, reason)


def test_a_flag_naming_another_author_blocks_no_honest_flag() -> None:
    """A hostile member flags the message naming a wrong author first: that names a message
    that does not exist, and the honest flags still hide the real one."""
    made = day_old()
    maple = made.said["maple"]
    made.builder.author(N, EventType.HARM_FLAG, {"message": maple.id, "author": F.key})
    assert made.last().accepted
    for who in (A, B, F):
        made.builder.harm_flag(who, maple)
        assert made.last().accepted, made.last().reason
    state = made.state()
    assert state.is_hidden(ref(maple)) and not state.is_hidden((maple.id, F.key))


def test_a_delete_naming_another_author_blocks_no_honest_delete() -> None:
    made = circle()
    maple = made.said["maple"]
    made.builder.author(N, EventType.DELETE, {"message": maple.id, "author": N.key})
    assert made.last().accepted  # N "deletes its own" message of that id: there is none
    made.builder.delete(A, maple)
    assert made.last().accepted, made.last().reason
    assert made.state().deleted[ref(maple)] == A.key


def test_a_plain_member_flags_only_after_its_first_day() -> None:
    made = circle()
    made.builder.harm_flag(N, made.said["maple"])
    assert made.last().reason == "too new in the circle to flag"
    made.builder.harm_flag(A, made.said["maple"])  # facilitators may at once
    assert made.last().accepted


def test_how_long_a_member_waits_to_flag_is_a_circle_setting() -> None:
    made = circle()
    made.builder.settings(F, flag_after_hours=0)
    made.builder.harm_flag(N, made.said["maple"])
    assert made.last().accepted, made.last().reason
    made.builder.settings(F, flag_after_hours=2)
    made.builder.harm_flag(M, made.said["nettle"])
    assert made.last().reason == "too new in the circle to flag"
    made.builder.clock_ms += 2 * HOUR_MS
    made.builder.harm_flag(M, made.said["nettle"])
    assert made.last().accepted, made.last().reason


def test_puppets_count_as_the_member_who_brought_them_in() -> None:
    """With members allowed to invite, N admits three puppets; their flags and N's count as
    one person, so they cannot hide Maple's message (threshold 3)."""
    made = circle()
    made.builder.settings(F, members_invite=True)
    puppets = [identity(f"puppet-{i}") for i in range(3)]
    for puppet in puppets:
        made.builder.join(N, puppet, SEED)
        assert made.last().accepted, made.last().reason
    made.builder.clock_ms += DEFAULT_FLAG_AFTER_HOURS * HOUR_MS
    maple = made.said["maple"]
    for who in (N, *puppets):
        made.builder.harm_flag(who, maple)
        assert made.last().accepted, made.last().reason
    state = made.state()
    assert len(state.harm_flags[ref(maple)]) == 4
    assert state.harm_flag_count(ref(maple)) == 1 and not state.is_hidden(ref(maple))
    made.builder.harm_flag(A, maple)
    made.builder.harm_flag(B, maple)
    assert made.state().is_hidden(ref(maple))


def test_only_another_facilitator_restores_and_a_restored_message_stays_reviewed() -> None:
    made, message = flagged(FLAGGERS)
    builder = made.builder
    builder.restore(N, made.said["maple"])
    assert made.last().reason == "only facilitators can restore messages"
    builder.restore(B, made.said["maple"])
    assert made.last().accepted
    state = made.state()
    assert not state.is_hidden(message) and message in state.restored
    builder.harm_flag(F, made.said["maple"])
    assert made.last().reason == "a facilitator already reviewed this message"
    builder.restore(A, made.said["maple"])
    assert made.last().reason == "the message is not hidden pending review"


def test_a_facilitator_does_not_review_their_own_message() -> None:
    made = day_old()
    for who in (N, M, B):
        made.builder.harm_flag(who, made.said["alder"])
    assert made.state().is_hidden(ref(made.said["alder"]))
    made.builder.restore(A, made.said["alder"])
    assert made.last().reason == "a facilitator does not review their own message"
    made.builder.restore(F, made.said["alder"])
    assert made.last().accepted


def test_a_restore_of_a_message_not_hidden_is_refused() -> None:
    made, _ = flagged((N,))
    made.builder.restore(A, made.said["maple"])
    assert made.last().reason == "the message is not hidden pending review"


def test_a_delete_ends_the_review_and_no_more_flags_count() -> None:
    made, message = flagged(FLAGGERS)
    made.builder.delete(A, made.said["maple"])
    assert not made.state().is_hidden(message)
    made.builder.harm_flag(F, made.said["maple"])
    assert made.last().reason == "message already deleted"


def test_the_threshold_is_a_circle_setting_applied_to_flags_already_made() -> None:
    made, message = flagged(FLAGGERS[:1])
    made.builder.settings(A, harm_flags_to_hide=1)
    assert made.state().is_hidden(message)
    made.builder.settings(A, harm_flags_to_hide=2)
    assert not made.state().is_hidden(message)
    made.builder.settings(M, harm_flags_to_hide=1)
    assert made.last().reason == "only facilitators can change the settings"


def test_status_shows_and_ends_a_break() -> None:
    made = circle()
    made.builder.status(M, True)
    made.builder.status(N, True)
    assert made.state().on_break == {M.key, N.key}
    made.builder.status(M, False)
    assert made.state().on_break == {N.key}


def test_every_arrival_order_reaches_the_same_review() -> None:
    made, message = flagged(FLAGGERS)
    made.builder.restore(A, made.said["maple"])
    made.builder.status(N, True)
    events = list(made.builder.events)
    expected = resolve(made.builder.circle_id, events)[0]
    shuffler = random.Random(6)  # a fixed order: the test replays the same shuffles
    for _ in range(5):
        shuffler.shuffle(events)
        state = resolution(made.builder.circle_id, events).state
        assert (state.harm_flags, state.restored, state.on_break) == (
            expected.harm_flags,
            expected.restored,
            expected.on_break,
        )
        assert not state.is_hidden(message)


def test_a_flag_concurrent_with_its_authors_removal_is_dropped() -> None:
    made = circle()
    builder = made.builder
    # N flags without having seen its removal; the removal does not have the flag in its past
    removal = builder.on(A, EventType.REMOVE, N)
    flag = builder.harm_flag(
        N, made.said["maple"], prev=removal.event.prev, lamport=removal.event.lamport
    )
    result = resolution(builder.circle_id, builder.events)
    assert flag.id in result.refused
    assert result.state.harm_flags == {}
