"""Private conversations in the engine (issue 14): a facilitator writes privately to a
member of its circle, and the member may answer. The rules are core/private_talk.py's;
the mailbox (engine/mailbox.py) carries each message as a note of kind `private`: sealed
to the reader's current exchange key from the log, signed by the writer under its own
label, stored in the outbox with our copy in one transaction, retried with back-off
until acknowledged. Nothing of it enters the circle log.

Rules:
- private_send {circle, member, text}: refused (before anything is stored) with the
  verdict's refusal when core/private_talk.py says no: we were removed, ourselves, they
  were removed, a plain member opening a conversation (or writing to a plain member), a
  member we blocked. The text is 1..4000 characters, not blank.
- Receiving (the mailbox hands us each `private` note): the note must be addressed to us
  while we are a member, come from a current member whose peer opened the stream, carry
  that member's signature, pass the rules from the writer's side (as we know them: a
  plain member writes only to a facilitator who wrote to it first), stay under
  MAX_PER_SENDER_PER_DAY, and open with one of our exchange keys. Anything else is
  refused and counted, nothing stored. A note we hold already (same id, same writer) is
  acknowledged again, never stored twice; the same id from another writer is refused.
- From a member we blocked: acknowledged, dropped, counted (`private_dropped_blocked`):
  the writer's app stops retrying and learns nothing of the block.
- Accepted: stored unread, and `private_message` emitted; `silent` while the circle is
  silenced by a break or quiet hours (shown, no notification).
- A note still owed is dropped when the rules no longer let it be written (the reader or
  we were removed, a facilitator who was the only reason we may write was demoted, we
  blocked them since); what we wrote stays in our history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import nacl.utils

from peerapp.core import private_talk_policy as policy
from peerapp.core.api.private_talk import PrivateConversationView, PrivateMessageView
from peerapp.core.api.refusals import Refusal as Why
from peerapp.core.circle_events import KEY_BYTES
from peerapp.core.errors import CommandError
from peerapp.core.events import PrivateMessageArrived
from peerapp.core.mailbox_messages import (
    NOTE_ID_BYTES,
    Ack,
    Answer,
    Note,
    NoteBody,
    NoteKind,
    Refusal,
    Refused,
)
from peerapp.core.private_talk import PrivateVerdict, Talk, judge
from peerapp.crypto.notes import open_note, signature_ok
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.ids import id_from_hex
from peerapp.engine.mailbox import DAY_MS, KindRules, Mailbox
from peerapp.storage.private_store import PrivateStore, StoredPrivate, insert

log = logging.getLogger(__name__)

# the command refusal for each verdict that refuses a message we would write
REFUSALS: dict[PrivateVerdict, Why] = {
    PrivateVerdict.WRITER_GONE: Why.NO_LONGER_MEMBER,
    PrivateVerdict.ONESELF: Why.PRIVATE_ONESELF,
    PrivateVerdict.READER_GONE: Why.PRIVATE_NOT_A_MEMBER,
    PrivateVerdict.ONLY_FACILITATORS_START: Why.PRIVATE_ONLY_FACILITATORS_START,
    PrivateVerdict.BLOCKED: Why.PRIVATE_BLOCKED,
}


class PrivateTalk:
    def __init__(
        self,
        store: PrivateStore,
        *,
        mailbox: Mailbox,
        boundaries: Boundaries,
        runtime: Callable[[str], CircleRuntime],
        context: EngineContext,
    ) -> None:
        self._store = store
        self._mailbox = mailbox
        self._boundaries = boundaries
        self._runtime = runtime
        self._clock = context.clock
        self._emit = context.emit
        # the mailbox sends a reader's notes in created_at order: two messages written in
        # one millisecond get distinct times, so they arrive in the order written
        self._last_ms = 0
        mailbox.carry(NoteKind.PRIVATE, KindRules(accept=self._accept, owed=self._owed))

    # -- the rules' facts ---------------------------------------------------------------

    def _talk(self, runtime: CircleRuntime, writer: bytes, reader: bytes) -> Talk:
        state = runtime.state
        # a conversation is filed under the other person, whichever side we are
        other = reader if writer == runtime.me else writer
        return Talk(
            writer_member=state.is_member(writer),
            writer_leads=state.is_facilitator(writer),
            reader_member=state.is_member(reader),
            reader_leads=state.is_facilitator(reader),
            oneself=writer == reader,
            opened_by_reader=self._store.wrote_to(runtime.circle_id, reader, other),
            # only our own blocks are known here: a reader's are its own drop
            writer_blocked_reader=writer == runtime.me
            and self._boundaries.is_blocked(runtime.circle_id, reader),
        )

    def verdict(self, runtime: CircleRuntime, member: bytes) -> PrivateVerdict:
        """Whether we may write to `member` now."""
        return judge(self._talk(runtime, runtime.me, member))

    # -- commands -----------------------------------------------------------------------

    async def send(self, circle_hex: str, member_hex: str, text: str) -> PrivateMessageView:
        runtime = self._runtime(circle_hex)
        member = id_from_hex(member_hex, "member id", KEY_BYTES)
        if not text.strip():
            raise CommandError(Why.PRIVATE_TEXT_EMPTY)
        if len(text) > policy.MAX_TEXT_CHARS:
            raise CommandError(Why.MESSAGE_TOO_LONG, limit=str(policy.MAX_TEXT_CHARS))
        verdict = self.verdict(runtime, member)
        if verdict is not PrivateVerdict.ALLOWED:
            raise CommandError(REFUSALS[verdict])
        now = self._last_ms = max(self._clock.now_ms(), self._last_ms + 1)
        note_id = nacl.utils.random(NOTE_ID_BYTES)
        mine = StoredPrivate(
            runtime.circle_id, member, note_id, runtime.me, text, now, now, read=True
        )
        self._mailbox.send_sealed(
            runtime,
            [member],
            NoteBody(NoteKind.PRIVATE, "", now, text=text),
            note_id,
            also=lambda connection: insert(connection, mine),
        )
        return self._view(runtime, mine)

    def messages(
        self, circle_hex: str, member_hex: str, before: str | None, limit: int | None
    ) -> tuple[PrivateMessageView, ...]:
        runtime = self._runtime(circle_hex)
        member = id_from_hex(member_hex, "member id", KEY_BYTES)
        count = policy.DEFAULT_PAGE if limit is None else limit
        if not 1 <= count <= policy.MAX_PAGE:
            raise CommandError(
                Why.OUT_OF_RANGE, argument="limit", low="1", high=str(policy.MAX_PAGE)
            )
        anchor = None
        if before is not None:
            anchor = id_from_hex(before, "private message id", NOTE_ID_BYTES)
            held = self._store.one(runtime.circle_id, anchor)
            if held is None or held.member != member:
                raise CommandError(Why.PRIVATE_NOT_HERE)
        rows = self._store.messages(runtime.circle_id, member, count, anchor)
        return tuple(self._view(runtime, row) for row in rows)

    def conversations(self, circle_hex: str) -> tuple[PrivateConversationView, ...]:
        runtime = self._runtime(circle_hex)
        return tuple(
            PrivateConversationView(
                member=row.member.hex(),
                member_name=runtime.name_of(row.member),
                messages=row.messages,
                unread=row.unread,
                last_at=row.last_at,
                opened_by_me=row.opened_by == runtime.me,
                may_write=self.verdict(runtime, row.member) is PrivateVerdict.ALLOWED,
            )
            for row in self._store.conversations(runtime.circle_id)
        )

    def read(self, circle_hex: str, member_hex: str) -> None:
        runtime = self._runtime(circle_hex)
        member = id_from_hex(member_hex, "member id", KEY_BYTES)
        self._store.mark_read(runtime.circle_id, member)

    def _view(self, runtime: CircleRuntime, row: StoredPrivate) -> PrivateMessageView:
        mine = row.author == runtime.me
        return PrivateMessageView(
            id=row.id.hex(),
            author=row.author.hex(),
            author_name=runtime.name_of(row.author),
            text=row.text,
            ts=row.ts,
            stored_at=row.stored_at,
            mine=mine,
            read=row.read or mine,
            delivered=row.delivered or not mine,
        )

    # -- the mailbox's side -------------------------------------------------------------

    def _owed(self, runtime: CircleRuntime, recipient: bytes) -> bool:
        return self.verdict(runtime, recipient) is PrivateVerdict.ALLOWED

    def _accept(self, runtime: CircleRuntime, peer_id: str, note: Note) -> Answer:
        answer = self._judge_note(runtime, peer_id, note)
        if isinstance(answer, Refused):
            self._mailbox.count(f"private_refused_{answer.reason.value}")
        return answer

    def _outside(self, runtime: CircleRuntime, peer_id: str, note: Note) -> Refusal | None:
        """Why a private note may not be taken, as far as its outside tells."""
        state = runtime.state
        if note.recipient != runtime.me or not state.is_member(runtime.me):
            return Refusal.NOT_FOR_ME
        writer = state.members.get(note.sender)
        if (
            writer is None
            or writer.peer != peer_id
            or note.sender == runtime.me
            or not state.is_member(note.sender)
        ):
            return Refusal.UNKNOWN_SENDER
        if not signature_ok(note):
            return Refusal.BAD_SIGNATURE
        return None

    def _judge_note(self, runtime: CircleRuntime, peer_id: str, note: Note) -> Answer:
        refusal = self._outside(runtime, peer_id, note)
        if refusal is not None:
            return Refused(refusal)
        held_from = self._store.author_of(runtime.circle_id, note.id)
        if held_from is not None:
            # a retry of what we hold: acknowledged again, never stored twice
            return Ack(note.id) if held_from == note.sender else Refused(Refusal.DUPLICATE_ID)
        if judge(self._talk(runtime, note.sender, runtime.me)) is not PrivateVerdict.ALLOWED:
            return Refused(Refusal.NOT_FOR_ME)
        now = self._clock.now_ms()
        recent = self._store.received_since(runtime.circle_id, note.sender, now - DAY_MS)
        if recent >= policy.MAX_PER_SENDER_PER_DAY:
            return Refused(Refusal.BUSY)
        return self._take(runtime, note, now)

    def _take(self, runtime: CircleRuntime, note: Note, now: int) -> Answer:
        """Open a note that passed every outside check; store it unless we blocked its
        writer."""
        # sealed to our receiving key as the writer's log knew it: maybe one just replaced
        keys = runtime.exchange_secrets()
        opened = next((o for k in keys if (o := open_note(note, k)) is not None), None)
        if opened is None or opened.body.text is None:
            return Refused(Refusal.UNREADABLE)
        if self._boundaries.is_blocked(runtime.circle_id, note.sender):
            # dropped as if taken: the writer's app stops retrying and learns nothing
            self._mailbox.count("private_dropped_blocked")
            log.info("private: dropped a message from a member we blocked")
            return Ack(note.id)
        row = StoredPrivate(
            runtime.circle_id,
            note.sender,
            note.id,
            note.sender,
            opened.body.text,
            opened.body.ts,
            now,
        )
        self._store.add(row)
        self._emit(
            PrivateMessageArrived(
                runtime.circle_id.hex(),
                note.sender.hex(),
                self._view(runtime, row),
                silent=self._boundaries.is_silenced(runtime.circle_id),
            )
        )
        return Ack(note.id)
