"""Replies, reactions and edits (issue 15; docs/node.md "Replies, reactions and edits")."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Result, command
from peerapp.core.api.messages import MessageSent
from peerapp.core.events import MessageView


@command("reply", "Answer one message of a circle: the reply quotes it.")
@dataclass(frozen=True, kw_only=True)
class Reply(Command[MessageSent]):
    circle: str
    to: str
    text: str
    cw: str | None = None


@dataclass(frozen=True)
class MessageEdited(Result):
    message: str  # the edited message's id
    view: MessageView | None = None  # the message as our history shows it now

    IN_PROCESS = frozenset({"view"})


@command("edit", "Edit one of our own messages (within a day of sending it).")
@dataclass(frozen=True, kw_only=True)
class Edit(Command[MessageEdited]):
    circle: str
    message: str
    text: str


@dataclass(frozen=True)
class ReactionSet(Result):
    message: str  # the message reacted to
    view: MessageView | None = None  # the message as our history shows it now

    IN_PROCESS = frozenset({"view"})


@command("react", "Add a reaction to a message: one of the support set, or one emoji.")
@dataclass(frozen=True, kw_only=True)
class React(Command[ReactionSet]):
    circle: str
    message: str
    reaction: str


@command("unreact", "Take back a reaction of ours on a message.")
@dataclass(frozen=True, kw_only=True)
class Unreact(Command[ReactionSet]):
    circle: str
    message: str
    reaction: str
