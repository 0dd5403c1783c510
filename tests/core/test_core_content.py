"""Replies, reactions and edits in the core (issue 15): the one-emoji check, the new event
shapes (hypothesis: whatever a peer sends decodes to exactly what was signed, or is
refused), the rules that need the named message, and the log's rules for mute and slow
mode."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core import wire
from peerapp.core.circle_events import (
    EVENT_ID_BYTES,
    MAX_TEXT_CHARS,
    EventError,
    EventType,
    decode_event,
)
from peerapp.core.content_policy import (
    EDIT_WINDOW_MS,
    MAX_REACTIONS_PER_MEMBER_PER_MESSAGE,
    SUPPORT_REACTIONS,
    SUPPORT_SYMBOLS,
    is_single_emoji,
    is_valid_reaction,
    symbol_of,
)
from peerapp.core.content_rules import Target, why_not_edit, why_not_react
from peerapp.core.mailbox_messages import NoteBody, NoteKind, decode_body, encode_body
from peerapp.core.rule_reasons import RuleReason
from peerapp.crypto.notes import evidence
from tests.crypto.circle_fixtures import (
    HOUR_MS,
    NOW_MS,
    fold,
    founded_circle,
    identity,
    invite_seed,
    join_request,
    one_of_each_type,
)

EACH = one_of_each_type("content")
AUTHOR = bytes([7]) * 32
OTHER = bytes([8]) * 32

ONE_EMOJI = [
    "\U0001f600",  # grinning face
    "\u2764\ufe0f",  # heart with VS16
    "\u2764",  # heart without
    "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",  # family: a ZWJ sequence
    "\U0001f1f5\U0001f1f1",  # a flag (two regional indicators)
    "1\ufe0f\u20e3",  # a keycap
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland
    *SUPPORT_SYMBOLS,
]
NOT_ONE_EMOJI = [
    "",
    "a",
    ":)",
    "\U0001f600\U0001f600",  # two
    "\U0001f600 ",
    "\U0001f3fd",  # a skin tone alone
    "\U0001f1f5",  # half a flag
    "\u200d\U0001f600",  # a joiner first
    "\U0001f600\u200d",  # a joiner last
    "\U0001f600\u200d" * 8 + "\U0001f600",  # too many parts
    "\u202e\U0001f600",  # a direction override
    "\x00",
    "\U0001f600\ufe0f\ufe0f",
    "12",
]


@pytest.mark.parametrize("value", ONE_EMOJI)
def test_one_emoji_is_a_reaction(value: str) -> None:
    assert is_single_emoji(value) and is_valid_reaction(value)


@pytest.mark.parametrize("value", NOT_ONE_EMOJI)
def test_anything_else_is_not(value: str) -> None:
    assert not is_single_emoji(value) and not is_valid_reaction(value)


def test_the_support_set_is_words_each_with_its_symbol() -> None:
    assert len(SUPPORT_REACTIONS) == len(SUPPORT_SYMBOLS) == 6
    assert all(is_valid_reaction(r) and not is_single_emoji(r) for r in SUPPORT_REACTIONS)
    assert symbol_of("heart") == SUPPORT_SYMBOLS[0] and symbol_of("\U0001f600") == "\U0001f600"
    assert not is_valid_reaction(5) and not is_valid_reaction(b"heart")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_a_reaction_is_the_set_or_one_emoji_whatever_the_text(value: str) -> None:
    if is_valid_reaction(value):
        assert value in SUPPORT_REACTIONS or is_single_emoji(value)
        assert (value.strip() == value and value.isprintable()) or "\u200d" in value


def _document(kind: EventType) -> dict[str, Any]:
    return copy.deepcopy(EACH[kind].event.to_wire())


@settings(max_examples=200, deadline=None)
@given(
    message=st.binary(min_size=0, max_size=40),
    text=st.text(max_size=60),
    cw=st.none() | st.text(max_size=45),
)
def test_an_edit_body_decodes_to_what_was_signed_or_is_refused(
    message: bytes, text: str, cw: str | None
) -> None:
    doc = _document(EventType.EDIT)
    doc["body"] = {"message": message, "text": text, **({} if cw is None else {"cw": cw})}
    valid = len(message) == EVENT_ID_BYTES and bool(text.strip()) and len(text) <= MAX_TEXT_CHARS
    try:
        event = decode_event(wire.encode(doc))
    except EventError:
        return
    assert valid
    assert event.body == doc["body"]  # nothing added, nothing lost


@settings(max_examples=200, deadline=None)
@given(
    reaction=st.sampled_from([*SUPPORT_REACTIONS, *ONE_EMOJI, *NOT_ONE_EMOJI])
    | st.text(max_size=6),
    on=st.sampled_from([True, False, 0, 1, None]),
    author=st.binary(min_size=31, max_size=33),
)
def test_a_reaction_body_decodes_to_what_was_signed_or_is_refused(
    reaction: str, on: object, author: bytes
) -> None:
    doc = _document(EventType.REACTION)
    doc["body"] = {**doc["body"], "reaction": reaction, "on": on, "author": author}
    try:
        event = decode_event(wire.encode(doc))
    except EventError:
        assert not (is_valid_reaction(reaction) and type(on) is bool and len(author) == 32)
        return
    assert is_valid_reaction(reaction) and type(on) is bool and len(author) == 32
    assert event.body == doc["body"]


def test_a_message_without_reply_to_encodes_as_before() -> None:
    """The optional field is absent, never empty: old messages hash as they did."""
    message = EACH[EventType.MESSAGE].event
    assert "reply_to" not in message.body
    doc = _document(EventType.MESSAGE)
    doc["body"]["reply_to"] = bytes(32)
    assert decode_event(wire.encode(doc)).body["reply_to"] == bytes(32)
    doc["body"]["reply_to"] = b""
    with pytest.raises(EventError, match="reply_to"):
        decode_event(wire.encode(doc))


# -- the rules that need the named message -------------------------------------------


def _edit(ts: int, lamport: int = 10, author: bytes = AUTHOR) -> Any:
    event = EACH[EventType.EDIT].event
    return type(event)(
        type=EventType.EDIT,
        circle=event.circle,
        author=author,
        seq=1,
        lamport=lamport,
        prev=(),
        ts=ts,
        body={"message": bytes(32), "text": "fixed"},
    )


def _reaction(on: bool = True, author: bytes = AUTHOR) -> Any:
    event = EACH[EventType.REACTION].event
    body = {"message": bytes(32), "author": author, "reaction": "hug", "on": on}
    return type(event)(
        type=EventType.REACTION,
        circle=event.circle,
        author=OTHER,
        seq=1,
        lamport=10,
        prev=(),
        ts=NOW_MS,
        body=body,
    )


TARGET = Target(author=AUTHOR, ts=NOW_MS, lamport=5, deleted=False)


@pytest.mark.parametrize(
    ("target", "edit", "reason"),
    [
        (TARGET, _edit(NOW_MS + 60_000), None),
        (TARGET, _edit(NOW_MS + EDIT_WINDOW_MS), None),  # the window's last moment
        (TARGET, _edit(NOW_MS + EDIT_WINDOW_MS + 1), RuleReason.EDIT_WINDOW_CLOSED),
        (TARGET, _edit(NOW_MS + 1, lamport=5), RuleReason.EDIT_WINDOW_CLOSED),  # not after
        (TARGET, _edit(NOW_MS + 1, author=OTHER), RuleReason.EDIT_NOT_AUTHOR),
        (None, _edit(NOW_MS + 1), RuleReason.UNKNOWN_MESSAGE),
        (Target(AUTHOR, NOW_MS, 5, True), _edit(NOW_MS + 1), RuleReason.ALREADY_DELETED),
        (Target(AUTHOR, NOW_MS, 5, False, True), _edit(NOW_MS + 1), RuleReason.EDIT_CHECK_IN),
    ],
)
def test_an_edit_is_its_authors_within_the_window(
    target: Target | None, edit: Any, reason: RuleReason | None
) -> None:
    assert why_not_edit(target, edit) == reason


def test_a_reaction_names_a_held_message_and_its_author_within_the_limit() -> None:
    limit = MAX_REACTIONS_PER_MEMBER_PER_MESSAGE
    assert why_not_react(TARGET, _reaction(), 0) is None
    assert why_not_react(TARGET, _reaction(), limit - 1) is None
    assert why_not_react(TARGET, _reaction(), limit) == RuleReason.TOO_MANY_REACTIONS
    assert why_not_react(TARGET, _reaction(on=False), limit) is None  # taking one back
    assert why_not_react(TARGET, _reaction(author=OTHER), 0) == RuleReason.UNKNOWN_MESSAGE
    assert why_not_react(None, _reaction(), 0) == RuleReason.UNKNOWN_MESSAGE
    deleted = Target(AUTHOR, NOW_MS, 5, True)
    assert why_not_react(deleted, _reaction(), 0) == RuleReason.ALREADY_DELETED


# -- the log's rules: mute for both, slow mode for edits ---------------------------------


def test_a_muted_member_can_neither_edit_nor_react_and_an_edit_obeys_slow_mode() -> None:
    builder, founder = founded_circle("content-rules")
    member = identity("content-rules-member")
    seed = invite_seed("content-rules")
    builder.invite(founder, seed)
    builder.admit(founder, join_request(builder.circle_id, member, seed))
    builder.settings(founder, slow_mode_seconds=60)
    said = builder.message(member, "hello")
    too_soon = builder.edit(member, said, "hello!")  # a second after: slow mode
    builder.clock_ms += 60_000
    in_time = builder.edit(member, said, "hello, all!")
    hug = builder.reaction(member, said)  # no slow mode for a reaction
    builder.mute(founder, member, builder.clock_ms + HOUR_MS)
    muted_edit = builder.edit(member, said, "HELLO")
    muted_hug = builder.reaction(member, said, "strong")
    _, verdicts = fold(builder)
    by_id = {v.id: verdict for v, verdict in zip(builder.events, verdicts, strict=True)}
    assert by_id[too_soon.id].reason == RuleReason.SLOW_MODE
    assert by_id[in_time.id].accepted and by_id[hug.id].accepted
    assert by_id[muted_edit.id].reason == RuleReason.AUTHOR_MUTED
    assert by_id[muted_hug.id].reason == RuleReason.AUTHOR_MUTED


# -- a report holds the version that was reported ----------------------------------------


def test_a_report_of_an_edited_message_carries_the_edit_the_reporter_saw() -> None:
    builder, founder = founded_circle("content-report")
    said = builder.message(founder, "a hard dya")
    fixed = builder.edit(founder, said, "a hard day")
    other = builder.message(founder, "another")
    body = NoteBody(NoteKind.REPORT, "unkind", NOW_MS, message=said.signed, edit=fixed.signed)
    decoded = decode_body(encode_body(body))
    assert decoded == body
    assert evidence(decoded, builder.circle_id) is not None
    # a report of a message never edited encodes as before: no `edit` key at all
    plain = NoteBody(NoteKind.REPORT, "unkind", NOW_MS, message=said.signed)
    assert b"edit" not in encode_body(plain) and decode_body(encode_body(plain)) == plain
    # an edit of another message (or none at all) is no evidence for this one
    wrong = builder.edit(founder, other, "changed")
    for lying in (wrong.signed, other.signed):
        forged = NoteBody(NoteKind.REPORT, "unkind", NOW_MS, message=said.signed, edit=lying)
        with pytest.raises(EventError):
            evidence(decode_body(encode_body(forged)), builder.circle_id)
