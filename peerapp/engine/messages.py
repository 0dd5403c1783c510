"""A circle's conversation for this reader: sending a message (a check-in is one with a
mood), reading the history, and the view of each message the fronts get.

A message is written through the circle's log (engine/circle_log.py) like every event;
its reply does not wait for GossipSub (the log's publish rule). A view carries what
this reader's boundaries make of it (its content-warning filter) and, for our own
messages, how many other members are known to hold it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peerapp.core import history_policy
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.content_policy import QUOTE_CHARS, SUPPORT_REACTIONS
from peerapp.core.errors import CommandError
from peerapp.core.events import (
    AttachmentView,
    EarlierVersionView,
    MessageView,
    QuoteView,
    ReactionView,
    UnreadChanged,
)
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.safety import is_hidden, message_body
from peerapp.storage.circle_store import CircleStore, StoredEvent
from peerapp.storage.content_store import ContentStore, Reaction


@dataclass(frozen=True)
class PageContent:
    """What a page of views shares, read once: who holds our messages, the reactions on
    the page's messages and which were edited."""

    holders: list[int]
    reactions: dict[bytes, list[Reaction]]
    edited: set[bytes]
    # a facilitator's page: each edited message's earlier versions (empty for others)
    earlier: dict[bytes, tuple[EarlierVersionView, ...]]


class Messages:
    def __init__(
        self,
        store: CircleStore,
        *,
        content: ContentStore,
        runtimes: CircleRuntimes,
        log: CircleLog,
        boundaries: Boundaries,
        why_not_send: Callable[[CircleRuntime], CommandError | None],
        context: EngineContext,
        attachment_of: Callable[[CircleRuntime, StoredEvent], AttachmentView | None] = (
            lambda runtime, stored: None
        ),
    ) -> None:
        """`why_not_send(runtime)`: why every member's app would refuse our next message
        (moderation: removed, muted, slow mode), or None. `attachment_of`: a message's
        picture or file as this reader holds it (engine/attachments.py)."""
        self._store = store
        self._content = content
        self._runtimes = runtimes
        self._log = log
        self._boundaries = boundaries
        self._why_not_send = why_not_send
        self._attachment_of = attachment_of
        self._emit = context.emit

    async def send(self, circle_hex: str, text: str, cw: str | None = None) -> MessageView:
        return await self.send_body(circle_hex, message_body(text, cw))

    async def send_body(self, circle_hex: str, body: dict[str, Any]) -> MessageView:
        """Send a MESSAGE with this body (safety.message_body checked it)."""
        runtime = self._runtimes.require(circle_hex)
        if (refused := self._why_not_send(runtime)) is not None:
            raise refused
        if runtime.current_keys() is None:
            raise CommandError(Refusal.NO_KEYS_YET)
        message = self._log.author(runtime, EventType.MESSAGE, body)
        # stored durably: the reply does not wait for GossipSub (circle_log's publish rule)
        (stored,), _ = self._log.append(runtime, [message])
        return self.view(runtime, stored)

    def history(self, circle_hex: str, limit: int | None, before: str | None) -> list[MessageView]:
        runtime = self._runtimes.require(circle_hex)
        count = history_policy.DEFAULT_PAGE if limit is None else limit
        if not 1 <= count <= history_policy.MAX_PAGE:
            raise CommandError(
                Refusal.OUT_OF_RANGE,
                argument="limit",
                low="1",
                high=str(history_policy.MAX_PAGE),
            )
        anchor = None
        if before is not None:
            try:
                anchor = bytes.fromhex(before)
            except ValueError:
                raise CommandError(Refusal.NOT_A_MESSAGE_ID, text=before) from None
        rows = self._store.messages(runtime.circle_id, count, anchor)
        page = self.page_content(runtime, [row.id for row in rows])
        return [self.view(runtime, row, page) for row in rows]

    def page_content(self, runtime: CircleRuntime, ids: list[bytes]) -> PageContent:
        reactions: dict[bytes, list[Reaction]] = {}
        for reaction in self._content.reactions(runtime.circle_id, ids):
            reactions.setdefault(reaction.message, []).append(reaction)
        if not runtime.state.is_facilitator(runtime.me):
            edited = self._content.edited(runtime.circle_id, ids)
            return PageContent(self._holders(runtime), reactions, edited, {})
        # facilitators read what edited messages said before (in the same read)
        versions = self._content.versions_of(runtime.circle_id, ids)
        earlier = {
            message: tuple(EarlierVersionView(v.text, v.ts, v.cw) for v in found[:-1])
            for message, found in versions.items()
        }
        return PageContent(self._holders(runtime), reactions, set(versions), earlier)

    def latest(self, runtime: CircleRuntime) -> MessageView | None:
        """The newest message this reader sees (a circle's row previews it)."""
        rows = self._store.messages(runtime.circle_id, 1)
        return self.view(runtime, rows[-1]) if rows else None

    def mark_read(self, circle_hex: str) -> None:
        runtime = self._runtimes.require(circle_hex)
        self._store.mark_read(runtime.circle_id)
        self._emit(UnreadChanged(circle_hex, 0))

    def view(
        self, runtime: CircleRuntime, stored: StoredEvent, page: PageContent | None = None
    ) -> MessageView:
        """A stored message as this reader sees it. `page`: page_content, when a caller
        makes many views at once."""
        if page is None:
            page = self.page_content(runtime, [stored.id])
        mine = stored.author == runtime.me
        # written by us under an earlier member key (before a removal we came back from):
        # ours to see as ours; no delivery to count (who held it went with that key)
        before_rejoin = not mine and stored.author in runtime.former_keys
        held_by = 0
        if mine:
            held_by = sum(1 for through in page.holders if through >= stored.lamport)
        ref = (stored.id, stored.author)
        deleted = ""
        if not stored.signed:
            deleter = runtime.state.deleted.get(ref)
            deleted = "author" if deleter == stored.author else "facilitator"
        flaggers = runtime.state.harm_flags.get(ref, frozenset())
        edited = stored.id in page.edited and not deleted
        return MessageView(
            id=stored.id.hex(),
            author=stored.author.hex(),
            author_name=runtime.name_of(stored.author),
            text=stored.text or "",
            ts=stored.ts,
            mine=mine or before_rejoin,
            earlier_membership=before_rejoin,
            lamport=stored.lamport,
            held_by=held_by,
            deleted=deleted,
            cw=stored.cw,
            mood=stored.mood,
            hidden=is_hidden(runtime, stored),
            harm_flags=runtime.state.harm_flag_count(ref),
            flagged=runtime.me in flaggers,
            restored=ref in runtime.state.restored,
            filter=self._boundaries.filter_of(runtime, stored),
            equivocated=stored.author in runtime.state.equivocators
            and self._store.seq_count(runtime.circle_id, stored.author, stored.seq) > 1,
            attachment=self._attachment_of(runtime, stored),
            reply_to=stored.reply_to.hex() if stored.reply_to else "",
            quote=self._quote(runtime, stored.reply_to) if stored.reply_to else None,
            reactions=self._reaction_views(runtime, page.reactions.get(stored.id, [])),
            edited=edited,
            earlier=page.earlier.get(stored.id, ()) if edited else (),
        )

    def _quote(self, runtime: CircleRuntime, reply_to: bytes) -> QuoteView:
        """A reply's quote of the message it answers, as this reader would see that one."""
        quoted = self._store.event(runtime.circle_id, reply_to)
        if (
            quoted is None
            or quoted.type is not EventType.MESSAGE
            or quoted.id in runtime.refused
            or not quoted.signed
            or is_hidden(runtime, quoted)
            or not self._boundaries.reader_sees(runtime, quoted)
        ):
            return QuoteView(removed=True)
        text = quoted.text or ""
        if len(text) > QUOTE_CHARS:
            text = text[: QUOTE_CHARS - 1] + "\u2026"
        return QuoteView(runtime.name_of(quoted.author), text, quoted.cw)

    def _reaction_views(
        self, runtime: CircleRuntime, reactions: list[Reaction]
    ) -> tuple[ReactionView, ...]:
        """Reactions as counts with who gave them (in the order they gave them); a member
        this reader blocked is left out."""
        givers: dict[str, list[bytes]] = {}
        for reaction in reactions:
            if reaction.member != runtime.me and self._boundaries.is_blocked(
                runtime.circle_id, reaction.member
            ):
                continue
            givers.setdefault(reaction.reaction, []).append(reaction.member)
        # the support set in its own order, then emoji as first given: chips keep their place
        order = {name: place for place, name in enumerate(SUPPORT_REACTIONS)}
        ranked = sorted(givers.items(), key=lambda item: order.get(item[0], len(order)))
        return tuple(
            ReactionView(
                reaction=name,
                names=tuple(runtime.name_of(member) for member in members),
                members=tuple(member.hex() for member in members),
                mine=runtime.me in members,
            )
            for name, members in ranked
        )

    def delivery(self, runtime: CircleRuntime, after: int, through: int) -> dict[str, int]:
        """How many other members hold each of our messages whose lamport is above `after`
        and up to `through` (those a member's finished pull moved on), by id: the newest
        history_policy.MAX_PAGE of them, as many as a pane shows."""
        holders = self._holders(runtime)
        rows = self._store.own_messages_between(
            runtime.circle_id, runtime.me, after, through, history_policy.MAX_PAGE
        )
        return {
            message.hex(): sum(1 for held in holders if held >= lamport)
            for message, lamport in rows
        }

    def _holders(self, runtime: CircleRuntime) -> list[int]:
        """For each other current member, up to which lamport it holds all our events."""
        syncs = self._store.member_syncs(runtime.circle_id)
        return [
            syncs[key].holds_through if key in syncs else -1
            for key in runtime.state.members
            if key != runtime.me
        ]
