"""The rules for replies, reactions and edits (issue 15) that need the message they name.

The circle's rules table (core/circle_state.py) judges an EDIT or a REACTION as it judges
a MESSAGE: its author is a current member and not muted; an edit obeys slow mode. What a
rule needs beyond the control log (the message named: its author, its ts, whether it was
deleted, the member's reactions on it) is judged here, by every replica, from what it
stores: an edit or a reaction whose message a replica does not hold, that names the wrong
author, that comes after the window or goes over the limit is refused there, and its
effect is never stored. A modified app's lying event is refused on receipt.

Rules:
- EDIT {message, text, cw?}: the message is a MESSAGE (not a check-in) by the edit's own
  author, not deleted; the edit's ts is at most EDIT_WINDOW_MS after the message's ts and
  its lamport is above the message's (it came after it: the same numbers a mute window
  reads, core/admission keeps a ts from running ahead of real time).
- REACTION {message, author, reaction, on}: the message exists with that author and is
  not deleted; turning one on past MAX_REACTIONS_PER_MEMBER_PER_MESSAGE of the member's
  reactions on it is refused. Turning off one that is not on is harmless (no effect).
- MESSAGE {reply_to?}: a reply names a message this replica holds; one it does not hold
  shows "message removed" (a newcomer does not hold earlier messages), so a reply is
  never refused on receipt for it; our own app refuses to send one to an unknown message.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.circle_events import Event, EventType
from peerapp.core.content_policy import EDIT_WINDOW_MS, MAX_REACTIONS_PER_MEMBER_PER_MESSAGE
from peerapp.core.rule_reasons import RuleReason


@dataclass(frozen=True)
class Target:
    """What a replica holds of the message an edit or a reaction names."""

    author: bytes
    ts: int
    lamport: int
    deleted: bool
    check_in: bool = False


def why_not_edit(target: Target | None, edit: Event) -> RuleReason | None:
    """Why every replica refuses this EDIT of `target` (None: the message is not held)."""
    assert edit.type is EventType.EDIT
    if target is None:
        return RuleReason.UNKNOWN_MESSAGE
    checks = [
        (target.author != edit.author, RuleReason.EDIT_NOT_AUTHOR),
        (target.deleted, RuleReason.ALREADY_DELETED),
        (target.check_in, RuleReason.EDIT_CHECK_IN),
        (
            edit.lamport <= target.lamport or edit.ts - target.ts > EDIT_WINDOW_MS,
            RuleReason.EDIT_WINDOW_CLOSED,
        ),
    ]
    return next((reason for failed, reason in checks if failed), None)


def why_not_react(target: Target | None, reaction: Event, active: int) -> RuleReason | None:
    """Why every replica refuses this REACTION; `active`: how many of the member's
    reactions on the message are on now, this one left out."""
    assert reaction.type is EventType.REACTION
    if target is None or target.author != reaction.body["author"]:
        return RuleReason.UNKNOWN_MESSAGE
    if target.deleted:
        return RuleReason.ALREADY_DELETED
    if reaction.body["on"] and active >= MAX_REACTIONS_PER_MEMBER_PER_MESSAGE:
        return RuleReason.TOO_MANY_REACTIONS
    return None
