"""A circle's conversation: sending, check-ins and reading (docs/node.md)."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Result, command
from peerapp.core.events import MessageView


@dataclass(frozen=True)
class MessageSent(Result):
    message: str  # its id, once durably stored
    view: MessageView | None = None  # the message as the sender's history shows it
    # when slow mode lets us send again (ms since the epoch), 0 at once: the sender's
    # composer holds back from this, without asking for circle_info after each send
    next_send_at: int = 0

    IN_PROCESS = frozenset({"view", "next_send_at"})


@command("send", "Send a message, optionally with a content warning.")
@dataclass(frozen=True, kw_only=True)
class SendMessage(Command[MessageSent]):
    circle: str
    text: str
    cw: str | None = None


@command("checkin", "Send a check-in: a mood from 1 to 5 and an optional line.")
@dataclass(frozen=True, kw_only=True)
class CheckIn(Command[MessageSent]):
    circle: str
    mood: int
    text: str | None = None


@dataclass(frozen=True)
class HistoryPage(Result):
    messages: tuple[MessageView, ...]  # oldest first


@command("history", "Messages of a circle, oldest first.")
@dataclass(frozen=True, kw_only=True)
class History(Command[HistoryPage]):
    circle: str
    limit: int | None = None
    before: str | None = None
