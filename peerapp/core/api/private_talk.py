"""Private conversations between a facilitator and a member (docs/node.md "Private
conversations"; the rules in core/private_talk.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from peerapp.core.api.contract import Command, Done, Result, command


@dataclass(frozen=True, kw_only=True)
class PrivateMessageView:
    """One message of a private conversation, as this reader sees it."""

    id: str
    author: str
    author_name: str = field(repr=False)  # names and texts stay out of logs
    text: str = field(repr=False)
    ts: int  # ms, the author's clock
    stored_at: int  # ms, ours: sent or received
    mine: bool
    read: bool
    delivered: bool  # ours: the other's app has it (theirs: always true)


@dataclass(frozen=True, kw_only=True)
class PrivateConversationView:
    """One conversation of a circle: the other person, what waits unread, and whether we
    may write in it now (core/private_talk.py, judged by the engine)."""

    member: str
    member_name: str = field(repr=False)
    messages: int
    unread: int
    last_at: int  # ms, ours
    opened_by_me: bool
    may_write: bool


@dataclass(frozen=True)
class PrivateSent(Result):
    message: str  # its id (32 hex characters)
    view: PrivateMessageView

    IN_PROCESS = frozenset({"view"})


@command(
    "private_send",
    "Write privately to one member (a facilitator starts; the member may answer).",
)
@dataclass(frozen=True, kw_only=True)
class PrivateSend(Command[PrivateSent]):
    circle: str
    member: str
    text: str


@dataclass(frozen=True)
class PrivateMessages(Result):
    messages: tuple[PrivateMessageView, ...]  # oldest first


@command("private_messages", "A private conversation's messages, oldest first.")
@dataclass(frozen=True, kw_only=True)
class PrivateHistory(Command[PrivateMessages]):
    circle: str
    member: str
    before: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class PrivateConversations(Result):
    conversations: tuple[PrivateConversationView, ...]  # the most recent first


@command("private_conversations", "Our private conversations in a circle, most recent first.")
@dataclass(frozen=True, kw_only=True)
class PrivateConversationList(Command[PrivateConversations]):
    circle: str


@command("private_read", "Mark a private conversation as read.")
@dataclass(frozen=True, kw_only=True)
class PrivateRead(Command[Done]):
    circle: str
    member: str
