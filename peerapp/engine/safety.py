"""The circle-log side of a safe support space: content warnings and check-ins on
messages, harm flags and facilitator review, the "taking a break" status.

- Harm flags and restores are log events (core/circle_state.py has the rules), so every
  member's app counts the same flags and hides a message pending review by itself, with
  no facilitator online. Our own flag or restore is checked against those rules first
  and refused with the reason; nothing is signed then.
- The app never shows who flagged a message (the signed HARM_FLAG names its author, as
  every log event does: a modified app could read it; docs/protocol.md says so).
- What accepted flags, restores and deletes change in the messages' views (hidden,
  shown again, flag counts) is announced by engine/message_changes.py.
- Care flags ("I'm worried about someone") do not belong here: they are private notes in
  the facilitator mailbox (engine/mailbox.py), never in the log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from peerapp.core.api.refusals import Refusal
from peerapp.core.api.safety import PendingReviewView
from peerapp.core.circle_events import MAX_TEXT_CHARS, MOODS, EventType
from peerapp.core.content_warnings import clean_label
from peerapp.core.errors import CommandError
from peerapp.core.events import MessageView
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.ids import id_from_hex
from peerapp.engine.moderation import Moderation
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.storage.circle_store import CircleStore, StoredEvent

# sends a MESSAGE with this body in a circle (the circle service's messages)
SendBody = Callable[[str, dict[str, Any]], Awaitable[MessageView]]


def message_body(
    text: str, cw: str | None = None, mood: int | None = None, *, attachment: bool = False
) -> dict[str, Any]:
    """A MESSAGE body from what a person typed; CommandError says what is wrong with it.
    `attachment`: a file goes with it (then text may be empty; the caller adds it)."""
    if mood is None and not attachment and not text.strip():
        raise CommandError(Refusal.NOTHING_TO_SEND)
    if len(text) > MAX_TEXT_CHARS:
        raise CommandError(Refusal.MESSAGE_TOO_LONG, limit=str(MAX_TEXT_CHARS))
    body: dict[str, Any] = {"text": text}
    if cw is not None and cw.strip():
        try:
            body["cw"] = clean_label(cw)
        except ValueError as error:
            raise CommandError(Refusal.BAD_CW_LABEL, reason=str(error)) from None
    if mood is not None:
        if mood not in MOODS:
            raise CommandError(Refusal.BAD_MOOD)
        body["mood"] = mood
    return body


def is_hidden(runtime: CircleRuntime, stored: StoredEvent) -> bool:
    """Hidden pending review, judged as DELETE is: by flags naming its stored author."""
    return runtime.state.is_hidden((stored.id, stored.author))


class Safety:
    def __init__(
        self,
        store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        moderation: Moderation,
        send_body: SendBody,
        context: EngineContext,
    ) -> None:
        """Flags, restores and the break status are moderation's kind of write (checked
        against the rules, then `Moderation.act`); a check-in is a message (`send_body`)."""
        self._store = store
        self._runtimes = runtimes
        self._moderation = moderation
        self._send_body = send_body
        self._emit = context.emit

    # -- commands -------------------------------------------------------------------

    async def checkin(self, circle_hex: str, mood: int, text: str) -> MessageView:
        return await self._send_body(circle_hex, message_body(text, mood=mood))

    async def flag_harm(self, circle_hex: str, message_hex: str) -> dict[str, Any]:
        moderation = self._moderation
        runtime = moderation.acting(circle_hex)
        stored = moderation.message_in(runtime, id_from_hex(message_hex, "message id"))
        body = {"message": stored.id, "author": stored.author}
        await moderation.act(runtime, EventType.HARM_FLAG, body)
        state = runtime.state
        return {
            "hidden": is_hidden(runtime, stored),
            "harm_flags": state.harm_flag_count((stored.id, stored.author)),
        }

    async def restore(self, circle_hex: str, message_hex: str) -> None:
        moderation = self._moderation
        runtime = moderation.acting(circle_hex)
        stored = moderation.message_in(runtime, id_from_hex(message_hex, "message id"))
        body = {"message": stored.id, "author": stored.author}
        await moderation.act(runtime, EventType.RESTORE, body)

    async def announce_break(self, circle_hex: str, on: bool) -> None:
        """Show (or stop showing) "taking a break" to the circle; no-op when unchanged or
        when we are no longer a member."""
        runtime = self._runtimes.require(circle_hex)
        state = runtime.state
        if not state.is_member(runtime.me) or (runtime.me in state.on_break) == on:
            return
        await self._moderation.act(runtime, EventType.STATUS, {"on_break": on})

    def pending_review(self, circle_hex: str) -> tuple[PendingReviewView, ...]:
        """Messages hidden pending review, oldest first, for a facilitator to look at."""
        runtime = self._runtimes.require(circle_hex)
        state = runtime.state
        views = []
        for message, author in state.pending_review():
            stored = self._store.event(runtime.circle_id, message)
            if stored is None or stored.author != author:
                continue  # not held here (before our admission), or flags name another author
            views.append(
                PendingReviewView(
                    message=message.hex(),
                    author=stored.author.hex(),
                    author_name=runtime.name_of(stored.author),
                    harm_flags=state.harm_flag_count((message, author)),
                    ts=stored.ts,
                    lamport=stored.lamport,
                )
            )
        return tuple(sorted(views, key=lambda view: (view.lamport, view.message)))
