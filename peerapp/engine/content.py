"""Replies, reactions and edits (issue 15): our own, and what accepted ones change.

Writing: a reply is a MESSAGE whose body names the message it answers (`reply_to`); an
edit and a reaction are events of their own (EDIT, REACTION), content like a message
(sealed with the epoch's message key, circle_log.publish). Each is checked before it is
signed against the rules every member's app applies (the log's: a current member, not
muted, an edit in slow mode's pace; core/content_rules.py: the message named, its
author, the edit window, the reaction limit), so our app never sends one they refuse.

Receiving (`on_accepted`, the write path's announce step, ours and the network's alike):

    | accepted event | judged by (with the message this replica holds) | its effect           |
    |----------------|-------------------------------------------------|----------------------|
    | EDIT           | content_rules.why_not_edit                      | a version kept; the  |
    |                |                                                 | message's text newest|
    | REACTION       | content_rules.why_not_react                     | the member's reaction|
    |                |                                                 | on or off            |

A refused one is counted (`received_dropped` "content_refused") and its effect is never
stored; an edit of a deleted message has its own text erased too. Each message whose
view changed is announced once (`message_changed`, only to a reader who sees it: never a
blocked member's or a hidden topic's message); a reaction never makes a notification.

Following the resolution (`follow_verdicts`, CircleLog's verdict hook): an edit or a
reaction applied on arrival can be refused later, when a concurrent REMOVE, BAN or MUTE
of its author arrives and the whole-log resolution drops it (and a deferred one can be
accepted). Then the effects on every message such a flipped event names are rebuilt
from that message's accepted EDITs and REACTIONs, judged in log order (`effects_of`), so
every replica ends where `core.resolution.resolve` puts it, whatever the arrival order.
The fronts reload (the resolution's HistoryChanged).
"""

from __future__ import annotations

from collections.abc import Callable

from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import MAX_TEXT_CHARS, Event, EventType, decode_event, split_signed
from peerapp.core.content_policy import (
    EDIT_WINDOW_MS,
    MAX_REACTIONS_PER_MEMBER_PER_MESSAGE,
    SUPPORT_REACTIONS,
    is_valid_reaction,
)
from peerapp.core.content_rules import Target, why_not_edit, why_not_react
from peerapp.core.errors import CommandError
from peerapp.core.events import HistoryChanged, MessageChanged, MessageView
from peerapp.core.rule_reasons import RuleReason
from peerapp.crypto.signing import VerifiedEvent
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.ids import id_from_hex
from peerapp.engine.message_changes import MAX_CHANGED_VIEWS
from peerapp.engine.messages import Messages
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.safety import message_body
from peerapp.storage.circle_store import CircleStore, StoredEvent
from peerapp.storage.content_store import ContentStore, Reaction, ReactionState, Version

Sees = Callable[[CircleRuntime, StoredEvent], bool]
WhyNotSend = Callable[[CircleRuntime], CommandError | None]


def effects_of(
    target: Target | None, events: list[tuple[bytes, Event]]
) -> tuple[list[Version], list[ReactionState]]:
    """What a message's accepted EDITs and REACTIONs (in log order: (id, event)) leave on
    it, each judged by the content rules against what came before it in that order: the
    edits' versions and each member's newest reaction of each kind."""
    versions: list[Version] = []
    reactions: dict[tuple[bytes, str], ReactionState] = {}
    for event_id, event in events:
        if event.type is EventType.EDIT:
            if why_not_edit(target, event) is None:
                body = event.body
                versions.append(
                    Version(event_id, event.lamport, event.ts, body["text"], body.get("cw", ""))
                )
            continue
        reaction = Reaction(event.body["message"], event.author, event.body["reaction"])
        active = sum(
            s.active and s.reaction.member == event.author and s.reaction != reaction
            for s in reactions.values()
        )
        if why_not_react(target, event, active) is None:
            key = (event.author, reaction.reaction)
            reactions[key] = ReactionState(reaction, event.body["on"], event.lamport, event_id)
    return versions, list(reactions.values())


def _refusal(reason: RuleReason) -> CommandError:
    """Our own command refused by a content rule, with the numbers its text names."""
    details = {
        RuleReason.EDIT_WINDOW_CLOSED: {"hours": str(EDIT_WINDOW_MS // 3_600_000)},
        RuleReason.TOO_MANY_REACTIONS: {"limit": str(MAX_REACTIONS_PER_MEMBER_PER_MESSAGE)},
    }
    refusal = {
        RuleReason.UNKNOWN_MESSAGE: Refusal.NO_SUCH_MESSAGE,
        RuleReason.EDIT_NOT_AUTHOR: Refusal.EDIT_NOT_AUTHOR,
        RuleReason.EDIT_CHECK_IN: Refusal.EDIT_CHECK_IN,
        RuleReason.EDIT_WINDOW_CLOSED: Refusal.EDIT_WINDOW_CLOSED,
        RuleReason.TOO_MANY_REACTIONS: Refusal.TOO_MANY_REACTIONS,
        RuleReason.ALREADY_DELETED: Refusal.NO_SUCH_MESSAGE,
    }[reason]
    return CommandError(refusal, **details.get(reason, {}))


class Content:
    def __init__(
        self,
        store: CircleStore,
        content: ContentStore,
        *,
        runtimes: CircleRuntimes,
        log: CircleLog,
        messages: Messages,
        why_not_send: WhyNotSend,
        sees: Sees,
        context: EngineContext,
        count: Callable[[str], None],
    ) -> None:
        """`why_not_send(runtime)`: why every member's app would refuse our next message
        (removed, muted, slow mode). `sees(runtime, stored)`: whether a message reaches
        this reader at all (boundaries)."""
        self._store = store
        self._content = content
        self._runtimes = runtimes
        self._log = log
        self._messages = messages
        self._why_not_send = why_not_send
        self._sees = sees
        self._emit = context.emit
        self._count = count

    # -- our own ------------------------------------------------------------------------

    async def reply(self, circle_hex: str, to_hex: str, text: str, cw: str | None) -> MessageView:
        runtime = self._runtimes.require(circle_hex)
        to = id_from_hex(to_hex, "message id")
        target = self._content.target(runtime.circle_id, to)
        if target is None or target.deleted:
            raise CommandError(Refusal.NO_SUCH_MESSAGE)
        body = message_body(text, cw)
        body["reply_to"] = to
        return await self._messages.send_body(circle_hex, body)

    async def edit(self, circle_hex: str, message_hex: str, text: str) -> MessageView:
        runtime = self._runtimes.require(circle_hex)
        message = id_from_hex(message_hex, "message id")
        if not text.strip():
            raise CommandError(Refusal.NOTHING_TO_SEND)
        if len(text) > MAX_TEXT_CHARS:
            raise CommandError(Refusal.MESSAGE_TOO_LONG, limit=str(MAX_TEXT_CHARS))
        target = self._content.target(runtime.circle_id, message)
        self._check_target(target, runtime, EventType.EDIT)
        if (refused := self._why_not_send(runtime)) is not None:
            raise refused
        body: dict[str, object] = {"message": message, "text": text}
        held = self._store.event(runtime.circle_id, message)
        if held is not None and held.cw:
            body["cw"] = held.cw  # an edit keeps the message's content warning
        edit = self._log.author(runtime, EventType.EDIT, body)
        if (reason := why_not_edit(target, edit.event)) is not None:
            raise _refusal(reason)
        return await self._write(runtime, edit, message)

    async def react(
        self, circle_hex: str, message_hex: str, reaction: str, *, on: bool
    ) -> MessageView:
        runtime = self._runtimes.require(circle_hex)
        message = id_from_hex(message_hex, "message id")
        if not is_valid_reaction(reaction):
            raise CommandError(
                Refusal.NOT_A_REACTION,
                text=reaction[:40],
                choices=", ".join(repr(r) for r in SUPPORT_REACTIONS),
            )
        target = self._content.target(runtime.circle_id, message)
        self._check_target(target, runtime, EventType.REACTION)
        assert target is not None
        mine = Reaction(message, runtime.me, reaction)
        if self._content.is_active(runtime.circle_id, mine) == on:
            # already so: nothing to sign (a second heart is not a second reaction)
            return self._view_of(runtime, message)
        refused = self._why_not_send(runtime)
        if refused is not None and refused.refusal is not Refusal.SLOW_MODE:
            raise refused  # a reaction obeys mute, not slow mode
        if runtime.current_keys() is None:
            raise CommandError(Refusal.NO_KEYS_YET)
        body = {"message": message, "author": target.author, "reaction": reaction, "on": on}
        event = self._log.author(runtime, EventType.REACTION, body)
        active = self._content.active_count(runtime.circle_id, message, runtime.me)
        if (reason := why_not_react(target, event.event, active)) is not None:
            raise _refusal(reason)
        return await self._write(runtime, event, message)

    def _check_target(self, target: Target | None, runtime: CircleRuntime, kind: EventType) -> None:
        """Refuse, before signing, a message this reader cannot act on."""
        if target is None or target.deleted:
            raise CommandError(Refusal.NO_SUCH_MESSAGE)
        if kind is EventType.EDIT and target.author != runtime.me:
            raise CommandError(Refusal.EDIT_NOT_AUTHOR)

    async def _write(
        self, runtime: CircleRuntime, verified: VerifiedEvent, message: bytes
    ) -> MessageView:
        # stored durably first (the log's publish rule), then its effect: the hook below
        accepted, _ = self._log.append(runtime, [verified])
        await self._log.announce(runtime, accepted)
        return self._view_of(runtime, message)

    def _view_of(self, runtime: CircleRuntime, message: bytes) -> MessageView:
        stored = self._store.event(runtime.circle_id, message)
        if stored is None:
            raise CommandError(Refusal.NO_SUCH_MESSAGE)
        return self._messages.view(runtime, stored)

    # -- what accepted ones change --------------------------------------------------------

    async def on_accepted(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        """Judge and apply the accepted EDITs and REACTIONs; announce the messages whose
        view changed."""
        changed: dict[bytes, None] = {}
        for stored in accepted:
            if stored.type not in (EventType.EDIT, EventType.REACTION) or not stored.signed:
                continue
            event = decode_event(split_signed(stored.signed)[0])
            if self._apply(runtime, stored, event):
                changed[event.body["message"]] = None
        if not changed:
            return
        circle_hex = runtime.circle_id.hex()
        if len(changed) > MAX_CHANGED_VIEWS:
            self._emit(HistoryChanged(circle_hex))
            return
        for message in changed:
            held = self._store.event(runtime.circle_id, message)
            if held is not None and held.id not in runtime.refused and self._sees(runtime, held):
                self._emit(MessageChanged(circle_hex, self._messages.view(runtime, held)))

    def follow_verdicts(self, runtime: CircleRuntime, flipped: set[bytes]) -> None:
        """A resolution changed the verdicts of `flipped` (stored already): rebuild the
        effects on every message a flipped EDIT or REACTION names (or a flipped MESSAGE
        is) from its accepted ones."""
        circle_id = runtime.circle_id
        named: set[bytes] = set()
        for event_id in flipped:
            stored = self._store.event(circle_id, event_id)
            if stored is None or not stored.signed:
                continue
            if stored.type is EventType.MESSAGE:
                named.add(event_id)
            elif stored.type in (EventType.EDIT, EventType.REACTION):
                named.add(decode_event(split_signed(stored.signed)[0]).body["message"])
        if not named:
            return
        by_message: dict[bytes, list[tuple[bytes, Event]]] = {m: [] for m in named}
        for event_id, event in self._content.accepted_content_events(circle_id):
            if event.body["message"] in by_message:
                by_message[event.body["message"]].append((event_id, event))
        for message, events in by_message.items():
            target = self._content.target(circle_id, message)
            if target is not None and target.deleted:
                continue  # erased with its edits and reactions: nothing to rebuild
            versions, reactions = effects_of(target, events)
            self._content.rebuild(circle_id, message, versions, reactions)

    def _apply(self, runtime: CircleRuntime, stored: StoredEvent, event: Event) -> bool:
        """One accepted content event: its effect if the rules allow it (True when a
        message's view changed); refused ones are counted."""
        circle_id = runtime.circle_id
        message = event.body["message"]
        target = self._content.target(circle_id, message)
        if event.type is EventType.EDIT:
            reason = why_not_edit(target, event)
            if reason is None:
                version = Version(
                    stored.id,
                    stored.lamport,
                    stored.ts,
                    event.body["text"],
                    event.body.get("cw", ""),
                )
                return self._content.add_version(circle_id, message, version) is not None
            if target is not None and target.deleted:
                # its text must not outlive the message it edits
                self._store.erase_events(circle_id, [stored.id])
        else:
            reaction = Reaction(message, stored.author, event.body["reaction"])
            active = self._content.active_count(circle_id, message, stored.author)
            active -= int(self._content.is_active(circle_id, reaction))
            reason = why_not_react(target, event, active)
            if reason is None:
                return self._content.set_reaction(
                    circle_id,
                    reaction,
                    active=event.body["on"],
                    lamport=stored.lamport,
                    event_id=stored.id,
                )
        self._count("content_refused")
        return False
