"""The rules of private conversations (core/private_talk.py), table by table, and the
private note kind's wire shape (its own signing label, its body)."""

from __future__ import annotations

import pytest

from peerapp.core import mailbox_messages as mm
from peerapp.core import wire
from peerapp.core.private_talk import RULES, PrivateVerdict, Talk, judge, may_write

V = PrivateVerdict


def talk(**facts: bool) -> Talk:
    """Two current members, neither leads, nothing opened or blocked, unless told."""
    base = {
        "writer_member": True,
        "writer_leads": False,
        "reader_member": True,
        "reader_leads": False,
        "oneself": False,
        "opened_by_reader": False,
        "writer_blocked_reader": False,
    }
    return Talk(**{**base, **facts})


CASES = [
    # (facts, verdict, why)
    ({"writer_leads": True}, V.ALLOWED, "a facilitator starts with a plain member"),
    ({"writer_leads": True, "reader_leads": True}, V.ALLOWED, "a facilitator to a facilitator"),
    ({}, V.ONLY_FACILITATORS_START, "a plain member to a plain member"),
    ({"reader_leads": True}, V.ONLY_FACILITATORS_START, "a member may not open one"),
    (
        {"opened_by_reader": True},
        V.ONLY_FACILITATORS_START,
        "a plain reader's words do not let a member write to it",
    ),
    ({"reader_leads": True, "opened_by_reader": True}, V.ALLOWED, "a member answers"),
    ({"writer_member": False, "writer_leads": True}, V.WRITER_GONE, "a removed writer"),
    (
        {"writer_leads": True, "reader_member": False},
        V.READER_GONE,
        "a removed reader receives nothing",
    ),
    ({"writer_leads": True, "oneself": True}, V.ONESELF, "nobody writes to themselves"),
    (
        {"writer_leads": True, "writer_blocked_reader": True},
        V.BLOCKED,
        "a facilitator who blocked the member",
    ),
    (
        {"reader_leads": True, "opened_by_reader": True, "writer_blocked_reader": True},
        V.BLOCKED,
        "a member who blocked the facilitator",
    ),
    # the order of the rules decides which reason a message with several faults gets
    (
        {"writer_member": False, "reader_member": False},
        V.WRITER_GONE,
        "we were removed: that first",
    ),
    ({"reader_member": False}, V.READER_GONE, "a removed reader before who may start"),
    ({"writer_blocked_reader": True}, V.ONLY_FACILITATORS_START, "the role before the block"),
]


@pytest.mark.parametrize(("facts", "verdict", "why"), CASES, ids=[c[2] for c in CASES])
def test_private_talk_rules(facts: dict[str, bool], verdict: PrivateVerdict, why: str) -> None:
    assert judge(talk(**facts)) is verdict, why
    assert may_write(talk(**facts)) is (verdict is V.ALLOWED)


def test_every_refusing_verdict_has_a_rule() -> None:
    assert {verdict for verdict, _ in RULES} == set(PrivateVerdict) - {V.ALLOWED}


def test_a_private_note_is_signed_under_its_own_label() -> None:
    fields = {
        "circle": b"c" * 16,
        "id": b"i" * 16,
        "recipient": b"r" * 32,
        "sealed": b"s" * 60,
        "sender": b"w" * 32,
        "signature": b"",
    }
    private = mm.Note(kind=mm.NoteKind.PRIVATE, **fields)
    care = mm.Note(kind=mm.NoteKind.CARE, **fields)
    assert private.signed_part().startswith(mm.PRIVATE_SIGNING_LABEL)
    assert care.signed_part().startswith(mm.SIGNING_LABEL)
    assert mm.PRIVATE_SIGNING_LABEL != mm.SIGNING_LABEL
    assert set(mm.SIGNING_LABELS) == set(mm.NoteKind)


def test_a_private_body_round_trips_and_refuses_blank_or_oversize_text() -> None:
    body = mm.NoteBody(mm.NoteKind.PRIVATE, "", 7, text="How are you?")
    assert mm.decode_body(mm.encode_body(body)) == body
    for bad in ("", "   ", "x" * (mm.MAX_PRIVATE_TEXT_CHARS + 1)):
        with pytest.raises(mm.MailboxFrameError):
            mm.encode_body(mm.NoteBody(mm.NoteKind.PRIVATE, "", 7, text=bad))
    # a report's fields under the private kind are not a private body
    forged = wire.encode({"kind": "private", "ts": 7, "reason": "why"})
    with pytest.raises(mm.MailboxFrameError):
        mm.decode_body(forged)
