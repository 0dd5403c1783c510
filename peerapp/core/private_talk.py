"""Private conversations between a facilitator and a member of one circle (issue 14):
who may write to whom, stated once (sans-IO). The engine asks it when sending and when a
private message arrives; the GUI asks it (through core/permissions.py) before offering
"Talk privately", so the three cannot drift apart.

Rules, in the order they are judged (the first that holds decides; RULES below):
1. The writer must be a current member: a removed member keeps the history readable but
   can no longer send (`WRITER_GONE`).
2. Nobody writes privately to themselves (`ONESELF`).
3. The other must be a current member too: a removed member no longer receives
   (`READER_GONE`).
4. A facilitator (the founder included) may start a conversation with any other member.
   A plain member may only answer: write to a facilitator who already wrote to them in
   this conversation. A plain member never opens one, and never writes to another plain
   member (`ONLY_FACILITATORS_START`).
5. The writer has not blocked the other (`BLOCKED`). Blocks are local: the writer knows
   only its own; a reader who blocked the writer drops what arrives silently (the engine
   counts it), so the writer learns nothing it did not already know.
Otherwise `ALLOWED`.

The receiving side asks the same rules from the writer's point of view with what the
reader knows (`Talk.as_writer_seen_by_reader`): the reader's own blocks are not the
writer's, so rule 5 is the reader's drop, not a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class PrivateVerdict(Enum):
    ALLOWED = "allowed"
    WRITER_GONE = "writer_gone"
    ONESELF = "oneself"
    READER_GONE = "reader_gone"
    ONLY_FACILITATORS_START = "only_facilitators_start"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Talk:
    """The facts one private message is judged on, from the writer's side."""

    writer_member: bool
    writer_leads: bool  # a facilitator or the founder
    reader_member: bool
    reader_leads: bool
    oneself: bool
    # the reader (a facilitator) already wrote to the writer in this conversation
    opened_by_reader: bool
    writer_blocked_reader: bool = False


# the rules, in order: the first whose condition holds gives its verdict
RULES: tuple[tuple[PrivateVerdict, Callable[[Talk], bool]], ...] = (
    (PrivateVerdict.WRITER_GONE, lambda t: not t.writer_member),
    (PrivateVerdict.ONESELF, lambda t: t.oneself),
    (PrivateVerdict.READER_GONE, lambda t: not t.reader_member),
    (
        PrivateVerdict.ONLY_FACILITATORS_START,
        lambda t: not t.writer_leads and not (t.reader_leads and t.opened_by_reader),
    ),
    (PrivateVerdict.BLOCKED, lambda t: t.writer_blocked_reader),
)


def judge(talk: Talk) -> PrivateVerdict:
    """The verdict on one private message (RULES, first match)."""
    for verdict, holds in RULES:
        if holds(talk):
            return verdict
    return PrivateVerdict.ALLOWED


def may_write(talk: Talk) -> bool:
    return judge(talk) is PrivateVerdict.ALLOWED
