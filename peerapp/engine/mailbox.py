"""The facilitator mailbox in the engine: a member's report travels directly to each
facilitator over `/hearth/mailbox/1.0.0` (core/mailbox_messages.py), never through the
circle log, so no other member learns who reported what.

Rules:
- report {circle, message, reason}: the message must be an accepted, undeleted message
  we hold, not our own; the reason 1..500 characters. One note per current facilitator
  other than us and other than the message's author (a report never reaches the person
  it is about). A facilitator who reports keeps a copy in its own inbox. No one to send
  it to: refused, and nothing is stored.
- Delivery: the notes are stored (outbox) before the command answers, then sent at once
  in the background, again on every new connection to a recipient's peer, and every
  mailbox_interval (engine/context.py Timings: 5 s) to connected recipients whose retry
  time has come. A failed attempt backs off (Timings.mailbox_retry_base: 5 s, doubling,
  at most RETRY_MAX_MS); a new connection
  retries at once. A note whose recipient is no longer a facilitator (or member), or
  whose circle we left or were removed from, is dropped (counted, never logged by content).
- Serving: a note is stored only if it names a circle we are in, is addressed to us and
  we are a facilitator there, its sender is the member whose peer opened the stream, the
  signature holds, it opens with our exchange key into a valid body (a report's message
  signed by its author, in this circle), and the sender has sent fewer than
  MAX_NOTES_PER_SENDER_PER_DAY. Anything else is refused and nothing is stored. A note
  we already hold (same id, same sender) is acknowledged and not stored twice.
- reports / resolve_report: facilitators only. Resolving is our own bookkeeping; other
  facilitators keep their own. resolve_report may carry a note, as resolve_flag (below),
  sealed to each other current facilitator but the reported message's author.
- care flag {circle, member, message?, note?} ("I'm worried about someone"): `member` is
  any current member, ourselves included ("I need support"); `message`, if given, an
  accepted, undeleted message we hold written by that member; the note 0..500 characters
  (blank is no note). One note per current facilitator other than us and other than the
  flagged member: a flag about a facilitator goes to the other facilitators only, and
  with none, it is refused and nothing is stored. A facilitator who flags someone else
  keeps a copy. Delivered exactly like reports. Serving one also checks that the flag is
  not about us (we would be the flagged member) and that its message, if any, is by the
  flagged member. The facilitator gets `care_flag {circle, flag, member}` (no note); the
  flagged member gets nothing: no event, no log line, nothing in the circle log.
- flags / resolve_flag: like reports / resolve_report, for care flags. resolve_flag may
  carry a note (1..500 characters, issue 14): a `flag_note` sealed to each other current
  facilitator but the member the flag is about, delivered like a care flag, accepted
  only from a facilitator, shown under that flag in `flags`; stored, it raises
  `resolution_note {circle, about}` (ids only) so the others' open lists read it; we
  keep a copy.
- What waits: a facilitator's open care flags are counted on the circle's row
  (`open_flag_count`, CircleView.care_flags: one COUNT over the inbox, since every row
  built asks; a flag opened into a valid body before it was stored); a flag stored
  (sent to us, or our own copy) or resolved calls `care_changed(runtime)`, which
  announces the row (`circle_changed`). Open reports wait on the row too, in
  `to_review` with the messages hidden pending review (`open_report_count`): a report
  stored or resolved announces the row the same way.

Transitions of one outbox note (rows of the mailbox_outbox table):

    | state   | on                                        | to        |
    |---------|-------------------------------------------|-----------|
    | pending | ack with its id                           | delivered |
    | pending | refusal, no answer, no stream             | pending (attempts + 1, retry later) |
    | pending | recipient no longer a facilitator/member  | dropped   |
    | pending | we are no longer in the circle            | dropped   |
    | pending | (a carried kind, e.g. private) its part says it is no longer owed | dropped |
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import nacl.utils
import trio

# the mailbox protocol has its own Refusal (mailbox_messages): the command refusals are "Why"
from peerapp.core.api.refusals import Refusal as Why
from peerapp.core.api.safety import CareFlagView, FlagNoteView, ReportView
from peerapp.core.circle_events import (
    EVENT_ID_BYTES,
    KEY_BYTES,
    Event,
    EventError,
    decode_event,
    event_id,
    split_signed,
)
from peerapp.core.errors import CommandError, StorageFull
from peerapp.core.events import CareFlagReceived, ReportReceived, ResolutionNoteReceived
from peerapp.core.mailbox_messages import (
    MAX_ANSWER_BYTES,
    MAX_FRAME_BYTES,
    MAX_NOTES_PER_STREAM,
    MAX_REASON_CHARS,
    NOTE_ID_BYTES,
    PROTOCOL,
    Ack,
    Answer,
    MailboxFrameError,
    Note,
    NoteBody,
    NoteKind,
    Refusal,
    Refused,
    decode_answer,
    decode_body,
    decode_note_frame,
    encode_answer,
    encode_body,
    encode_note_frame,
)
from peerapp.crypto.notes import OpenedNote, open_note, seal_note, signature_ok
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import DEFAULT_TIMINGS, EngineContext
from peerapp.engine.ids import id_from_hex
from peerapp.network.framed import FramedStream, StreamClosed, StreamError
from peerapp.network.host import NetworkNode
from peerapp.storage.mailbox_store import (
    IncomingNote,
    MailboxStore,
    OutgoingNote,
    StoredMessage,
)

log = logging.getLogger(__name__)

DIAL_TIMEOUT_SECONDS = 10
ANSWER_TIMEOUT_SECONDS = 10
RETRY_BASE_MS = round(DEFAULT_TIMINGS.mailbox_retry_base * 1000)  # the app's (Timings)
RETRY_MAX_MS = 10 * 60_000
MAX_NOTES_PER_SENDER_PER_DAY = 50
DAY_MS = 24 * 3600 * 1000
MAX_DELIVERY_ROUNDS = 8  # streams per delivery task; then a fresh task takes over


View = TypeVar("View")


@dataclass(frozen=True)
class KindRules:
    """How a note kind of another part (engine/private_talk.py) is taken and owed: the
    mailbox carries it (sealing, outbox, retries, back-off), the part judges it."""

    # answer a note of this kind a peer sent (its outside decoded, its circle ours)
    accept: Callable[[CircleRuntime, str, Note], Answer]
    # whether an undelivered note of this kind to `recipient` is still owed
    owed: Callable[[CircleRuntime, bytes], bool]


class Mailbox:
    def __init__(
        self,
        store: MailboxStore,
        *,
        context: EngineContext,
        runtime: Callable[[str], CircleRuntime],
        runtimes: Callable[[], dict[bytes, CircleRuntime]],
        node: Callable[[bytes], NetworkNode | None],
        online: Callable[[], set[str]],
        care_flag_arrived: Callable[[CircleRuntime], None],
        care_changed: Callable[[CircleRuntime], None] = lambda _runtime: None,
    ) -> None:
        """`node(circle)`: the host a membership is reached at (Tor mode: its own).
        `context.clock`: when notes are sent, received, resolved and next due.
        `care_flag_arrived(runtime)`: a care flag reached us, so a member's
        asked_for_support_at moved (engine/care.py): the members are announced again.
        `care_changed(runtime)`: the circle's open care flags changed (its row says so)."""
        self._store = store
        self._clock = context.clock
        self._emit = context.emit
        self._interval = context.timings.mailbox_interval
        self._retry_base_ms = round(context.timings.mailbox_retry_base * 1000)
        self._runtime = runtime
        self._runtimes = runtimes
        self._node = node
        self._online = online
        self._care_flag_arrived = care_flag_arrived
        self._care_changed = care_changed
        self._nursery: trio.Nursery | None = None
        self._delivering: set[str] = set()
        self._again: dict[str, bool] = {}  # peer -> force, for a trigger during a delivery
        self._kinds: dict[NoteKind, KindRules] = {}
        self.counts: dict[str, int] = {}

    def attach(self, nursery: trio.Nursery) -> None:
        self._nursery = nursery

    def carry(self, kind: NoteKind, rules: KindRules) -> None:
        """Carry notes of `kind` for another part, which judges them (`rules`)."""
        self._kinds[kind] = rules

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    # -- commands -----------------------------------------------------------------------

    async def report(self, circle_hex: str, message_hex: str, reason: str) -> str:
        runtime = self._runtime(circle_hex)
        state = runtime.state
        if not state.is_member(runtime.me):
            raise CommandError(Why.NO_LONGER_MEMBER)
        reason = reason.strip()
        if not reason:
            raise CommandError(Why.REPORT_NEEDS_REASON)
        if len(reason) > MAX_REASON_CHARS:
            raise CommandError(Why.REASON_TOO_LONG, limit=str(MAX_REASON_CHARS))
        message = self._held_message(runtime, message_hex)
        if runtime.written_by_me(message.author):  # also under an earlier key of ours
            raise CommandError(Why.OWN_MESSAGE_REPORT)
        recipients = _facilitators_to_tell(
            runtime, message.author, Why.NO_FACILITATOR, Why.ONLY_FACILITATOR_IS_AUTHOR
        )
        # an edited message: the report holds the version the reporter saw (its EDIT,
        # signed by the author), beside the message itself
        edit = self._store.newest_edit(runtime.circle_id, id_from_hex(message_hex, "message id"))
        body = NoteBody(
            NoteKind.REPORT, reason, self._clock.now_ms(), message=message.signed, edit=edit
        )
        keep = state.is_facilitator(runtime.me)
        report_id = self._send(runtime, recipients, body, keep_copy=keep)
        if keep:
            self._care_changed(runtime)  # our copy waits on the row too (to_review)
        return report_id

    def _held_message(self, runtime: CircleRuntime, message_hex: str) -> StoredMessage:
        """An accepted, undeleted message we hold, for a report or a care flag."""
        message_id = id_from_hex(message_hex, "message id", EVENT_ID_BYTES)
        message = self._store.message(runtime.circle_id, message_id)
        if message is None:
            raise CommandError(Why.MESSAGE_NOT_HERE)
        return message

    def _send(
        self, runtime: CircleRuntime, recipients: list[bytes], body: NoteBody, *, keep_copy: bool
    ) -> str:
        """Seal the body to each recipient, store the notes (and our copy), start delivery."""
        note_id = nacl.utils.random(NOTE_ID_BYTES)
        self.send_sealed(runtime, recipients, body, note_id, keep_copy=keep_copy)
        return note_id.hex()

    def send_sealed(
        self,
        runtime: CircleRuntime,
        recipients: list[bytes],
        body: NoteBody,
        note_id: bytes,
        *,
        keep_copy: bool = False,
        also: Callable[[Any], None] | None = None,
    ) -> None:
        """Seal the body to each recipient's current exchange key, store the notes (with
        our copy, and `also`'s rows, in the same transaction), start delivery."""
        state = runtime.state
        now = body.ts
        outgoing = [
            OutgoingNote(
                circle=runtime.circle_id,
                id=note_id,
                recipient=recipient,
                frame=encode_note_frame(
                    seal_note(
                        circle=runtime.circle_id,
                        note_id=note_id,
                        recipient=recipient,
                        recipient_exchange=state.members[recipient].exchange,
                        body=body,
                        sender_seed=runtime.membership.signing_seed,
                    )
                ),
                created_at=now,
                kind=body.kind.value,
            )
            for recipient in recipients
        ]
        own_copy = None
        if keep_copy:
            own_copy = IncomingNote(
                runtime.circle_id, note_id, runtime.me, body.kind.value, encode_body(body), now
            )
        self._store.add_outgoing(outgoing, own_copy, also)
        for recipient in recipients:
            self._start_delivery(state.members[recipient].peer, force=True)

    def reports(self, circle_hex: str) -> list[ReportView]:
        notes = self._resolution_notes(self._runtime(circle_hex))

        def view(runtime: CircleRuntime, note: IncomingNote) -> ReportView | None:
            shown = _report_view(runtime, note)
            if shown is None:
                return None
            return replace(shown, notes=tuple(notes.get(note.id, ())))

        return self._inbox(circle_hex, NoteKind.REPORT, view, Why.ONLY_FACILITATORS_SEE_REPORTS)

    def resolve(self, circle_hex: str, report_hex: str, note: str = "") -> None:
        """Resolve a report (our own bookkeeping); a note, if any, goes privately to the
        other current facilitators but the reported message's author."""
        note = note.strip()
        if len(note) > MAX_REASON_CHARS:  # checked first: a refusal leaves it open
            raise CommandError(Why.NOTE_TOO_LONG, limit=str(MAX_REASON_CHARS))
        self._resolve_note(
            circle_hex,
            report_hex,
            NoteKind.REPORT,
            what="report id",
            refusal=Why.ONLY_FACILITATORS_RESOLVE_REPORTS,
            missing=Why.NO_SUCH_REPORT,
        )
        self._care_changed(self._runtime(circle_hex))
        if note:
            runtime = self._runtime(circle_hex)
            report_id = bytes.fromhex(report_hex)
            self._tell_resolution(
                runtime, report_id, self._reported_author(runtime, report_id), note
            )

    def _inbox(
        self,
        circle_hex: str,
        kind: NoteKind,
        view: Callable[[CircleRuntime, IncomingNote], View | None],
        refusal: Why,
    ) -> list[View]:
        """A facilitator's notes of one kind, newest first; unreadable ones are counted."""
        runtime = self._runtime(circle_hex)
        if not runtime.state.is_facilitator(runtime.me):
            raise CommandError(refusal)
        views = []
        for note in self._store.inbox(runtime.circle_id, kind.value):
            shown = view(runtime, note)
            if shown is None:
                self.count("unreadable_stored")
                continue
            views.append(shown)
        return views

    def _resolve_note(
        self,
        circle_hex: str,
        note_hex: str,
        kind: NoteKind,
        *,
        what: str,
        refusal: Why,
        missing: Why,
    ) -> None:
        """Mark one of our notes of `kind` resolved: our own bookkeeping, facilitators only."""
        runtime = self._runtime(circle_hex)
        if not runtime.state.is_facilitator(runtime.me):
            raise CommandError(refusal)
        note_id = id_from_hex(note_hex, what, NOTE_ID_BYTES)
        resolved = self._store.resolve(
            runtime.circle_id, note_id, runtime.me, self._clock.now_ms(), kind.value
        )
        if not resolved:
            raise CommandError(missing)

    async def care_flag(
        self, circle_hex: str, member_hex: str, message_hex: str | None, note: str
    ) -> str:
        runtime = self._runtime(circle_hex)
        state = runtime.state
        if not state.is_member(runtime.me):
            raise CommandError(Why.NO_LONGER_MEMBER)
        member = id_from_hex(member_hex, "member id", KEY_BYTES)
        if not state.is_member(member):
            raise CommandError(Why.NOT_A_MEMBER)
        note = note.strip()
        if len(note) > MAX_REASON_CHARS:
            raise CommandError(Why.NOTE_TOO_LONG, limit=str(MAX_REASON_CHARS))
        signed = None
        if message_hex:
            message = self._held_message(runtime, message_hex)
            if message.author != member:
                raise CommandError(Why.NOT_THE_AUTHOR_WORRIED_ABOUT)
            signed = message.signed
        recipients = _facilitators_to_tell(
            runtime, member, Why.NO_FACILITATOR_FOR_CARE, Why.ONLY_FACILITATOR_IS_FLAGGED
        )
        body = NoteBody(NoteKind.CARE, note, self._clock.now_ms(), message=signed, member=member)
        # our own copy: a facilitator keeps what it sent about someone else (not about itself)
        keep = state.is_facilitator(runtime.me) and member != runtime.me
        flag_id = self._send(runtime, recipients, body, keep_copy=keep)
        if keep:
            self._care_changed(runtime)
        return flag_id

    def _resolution_notes(self, runtime: CircleRuntime) -> dict[bytes, list[FlagNoteView]]:
        """The notes facilitators left on resolving, by what they are about (a care flag's
        or a report's id), oldest first under each; none unless we facilitate."""
        notes: dict[bytes, list[FlagNoteView]] = {}
        if runtime.state.is_facilitator(runtime.me):
            # the inbox lists newest first
            for incoming in reversed(
                self._store.inbox(runtime.circle_id, NoteKind.FLAG_NOTE.value)
            ):
                shown = _flag_note(runtime, incoming)
                if shown is not None:
                    notes.setdefault(shown[0], []).append(shown[1])
        return notes

    def flags(self, circle_hex: str) -> list[CareFlagView]:
        notes = self._resolution_notes(self._runtime(circle_hex))

        def view(runtime: CircleRuntime, note: IncomingNote) -> CareFlagView | None:
            shown = _care_view(runtime, note)
            if shown is None:
                return None
            return replace(shown, notes=tuple(notes.get(note.id, ())))

        return self._inbox(circle_hex, NoteKind.CARE, view, Why.ONLY_FACILITATORS_SEE_FLAGS)

    def care_flagged_since(self, runtime: CircleRuntime, since: int) -> dict[bytes, int]:
        """For each member a care flag in our facilitator mailbox is about (one asking for
        support for themselves, or someone worried about them), when the newest of those
        received at `since` or later arrived (ms); resolved ones count too."""
        newest: dict[bytes, int] = {}
        for note in self._store.inbox(runtime.circle_id, NoteKind.CARE.value):
            if note.received_at < since:
                break  # newest first
            shown = _care_view(runtime, note)
            if shown is None:
                continue
            member = bytes.fromhex(shown.member)
            newest[member] = max(newest.get(member, 0), note.received_at)
        return newest

    def resolve_flag(self, circle_hex: str, flag_hex: str, note: str = "") -> None:
        """Resolve a care flag (our own bookkeeping); a note, if any, goes privately to the
        other current facilitators (never to the member the flag is about), sealed to
        each like a care flag, and we keep our copy."""
        note = note.strip()
        if len(note) > MAX_REASON_CHARS:  # checked first: a refusal leaves it open
            raise CommandError(Why.NOTE_TOO_LONG, limit=str(MAX_REASON_CHARS))
        self._resolve_note(
            circle_hex,
            flag_hex,
            NoteKind.CARE,
            what="care flag id",
            refusal=Why.ONLY_FACILITATORS_RESOLVE_FLAGS,
            missing=Why.NO_SUCH_CARE_FLAG,
        )
        self._care_changed(self._runtime(circle_hex))
        if not note:
            return
        runtime = self._runtime(circle_hex)
        flag_id = bytes.fromhex(flag_hex)
        self._tell_resolution(runtime, flag_id, self._flagged_member(runtime, flag_id), note)

    def _tell_resolution(
        self, runtime: CircleRuntime, about_id: bytes, about: bytes | None, note: str
    ) -> None:
        """A resolution's note (a `flag_note` naming the flag or report) to each other
        current facilitator but `about` (the member it concerns); we keep our copy."""
        state = runtime.state
        recipients = [
            key
            for key in state.facilitators
            if key not in (runtime.me, about) and key in state.members
        ]
        body = NoteBody(NoteKind.FLAG_NOTE, note, self._clock.now_ms(), flag=about_id)
        if recipients:
            self.send_sealed(
                runtime, recipients, body, nacl.utils.random(NOTE_ID_BYTES), keep_copy=True
            )
        else:  # no one else to tell: our own list keeps the note
            own = IncomingNote(
                runtime.circle_id,
                nacl.utils.random(NOTE_ID_BYTES),
                runtime.me,
                body.kind.value,
                encode_body(body),
                body.ts,
            )
            self._store.add_incoming(own)

    def _reported_author(self, runtime: CircleRuntime, report_id: bytes) -> bytes | None:
        for incoming in self._store.inbox(runtime.circle_id, NoteKind.REPORT.value):
            if incoming.id == report_id:
                try:
                    message = decode_body(incoming.body).message
                    return None if message is None else _signed_message(message)[1].author
                except (MailboxFrameError, EventError):
                    return None
        return None

    def _flagged_member(self, runtime: CircleRuntime, flag_id: bytes) -> bytes | None:
        for incoming in self._store.inbox(runtime.circle_id, NoteKind.CARE.value):
            if incoming.id == flag_id:
                try:
                    return decode_body(incoming.body).member
                except MailboxFrameError:
                    return None
        return None

    def open_flag_count(self, runtime: CircleRuntime) -> int:
        """How many care flags `flags` lists as open; 0 when we do not facilitate."""
        if not runtime.state.is_facilitator(runtime.me):
            return 0
        # one COUNT, not the inbox decoded per row (issue 14): every flag stored was opened
        # into a valid body first (_opened), so each one stored is one `flags` lists
        return self._store.open_count(runtime.circle_id, NoteKind.CARE.value)

    def open_report_count(self, runtime: CircleRuntime) -> int:
        """How many reports `reports` lists as open (one query); 0 unless we facilitate."""
        if not runtime.state.is_facilitator(runtime.me):
            return 0
        return self._store.open_count(runtime.circle_id, NoteKind.REPORT.value)

    # -- delivery -----------------------------------------------------------------------

    def on_peer_connected(self, peer_id: str) -> None:
        """A new connection: whatever we owe a facilitator on that peer goes now."""
        if any(peer == peer_id for _, peer in self._pending()):
            self._start_delivery(peer_id, force=True)

    async def run_periodically(self) -> None:
        while True:
            await trio.sleep(self._interval)
            self.deliver_due()

    def deliver_due(self) -> list[str]:
        """One periodic round: start delivering to each online facilitator owed a note
        whose back-off has passed (by the clock); returns their peer ids."""
        now = self._clock.now_ms()
        due = {peer for note, peer in self._pending() if note.next_attempt_at <= now}
        peers = sorted(due & self._online())
        for peer in peers:
            self._start_delivery(peer, force=False)
        return peers

    def _pending(self) -> list[tuple[OutgoingNote, str]]:
        """Undelivered notes still owed, with their recipient's peer; drops the others."""
        owed: list[tuple[OutgoingNote, str]] = []
        stale: list[OutgoingNote] = []
        runtimes = self._runtimes()
        for note in self._store.undelivered():
            runtime = runtimes.get(note.circle)
            recipient = None if runtime is None else runtime.state.members.get(note.recipient)
            if (
                runtime is None
                or recipient is None
                or not self._owed(runtime, note)
                or not runtime.state.is_member(runtime.me)
            ):
                stale.append(note)
            else:
                owed.append((note, recipient.peer))
        if stale:
            dropped = self._store.drop_outgoing(stale)
            log.info(
                "mailbox: dropped %d notes whose recipient is no longer a facilitator", dropped
            )
        return owed

    def _owed(self, runtime: CircleRuntime, note: OutgoingNote) -> bool:
        """A report or care flag is owed while its recipient facilitates; another kind
        while its part says so."""
        rules = next((r for k, r in self._kinds.items() if k.value == note.kind), None)
        if rules is not None:
            return rules.owed(runtime, note.recipient)
        return runtime.state.is_facilitator(note.recipient)

    def _start_delivery(self, peer_id: str, *, force: bool) -> None:
        if self._nursery is None:
            return
        if peer_id in self._delivering:
            # a delivery is under way: run once more after it, so nothing new waits for a timer
            self._again[peer_id] = self._again.get(peer_id, False) or force
            return
        self._delivering.add(peer_id)
        self._nursery.start_soon(self._deliver, peer_id, force)

    async def _deliver(self, peer_id: str, force: bool) -> None:
        try:
            for _ in range(MAX_DELIVERY_ROUNDS):
                more = await self._deliver_once(peer_id, force)
                again = self._again.pop(peer_id, None)
                if not more and again is None:
                    return
                # only a new trigger skips the back-off: notes just refused wait their turn
                force = bool(again)
        except StorageFull:
            # a delivery's bookkeeping met a full disk: the notes stay owed, the periodic
            # round tries again; the engine carries on
            self.count("disk_full")
            return
        finally:
            self._delivering.discard(peer_id)
        # out of rounds while reports keep coming (or more notes are due than one stream
        # takes): a fresh task carries on; every round settled or backed off its notes
        self._start_delivery(peer_id, force=force)

    async def _deliver_once(self, peer_id: str, force: bool) -> bool:
        """One stream to the peer with the notes due for it; True when more are due."""
        now = self._clock.now_ms()
        due = [
            note
            for note, peer in self._pending()
            if peer == peer_id and (force or note.next_attempt_at <= now)
        ]
        if not due:
            return False
        # one stream carries one circle's notes: in Tor mode each circle has its own host
        circle = due[0].circle
        node = self._node(circle)
        if node is None:
            return False
        batch = [note for note in due if note.circle == circle][:MAX_NOTES_PER_STREAM]
        addrs = None
        if peer_id not in self._online():
            addrs = self._addresses(peer_id)
        try:
            stream = await node.open_stream(
                peer_id, PROTOCOL, addrs=addrs, timeout=DIAL_TIMEOUT_SECONDS
            )
        except StreamError as error:
            log.debug("mailbox: no stream to a facilitator (%s)", type(error).__name__)
            self._failed(batch)
            return False
        delivered = 0
        try:
            for index, note in enumerate(batch):
                try:
                    await stream.send(note.frame, timeout=ANSWER_TIMEOUT_SECONDS)
                    answer = decode_answer(
                        await stream.receive(MAX_ANSWER_BYTES, timeout=ANSWER_TIMEOUT_SECONDS)
                    )
                except (StreamError, MailboxFrameError) as error:
                    log.debug("mailbox: delivery broke off (%s)", type(error).__name__)
                    self._failed(batch[index:])
                    return False
                if isinstance(answer, Ack) and answer.id == note.id:
                    self._store.mark_delivered(note, self._clock.now_ms())
                    delivered += 1
                else:
                    reason = answer.reason.value if isinstance(answer, Refused) else "wrong ack"
                    log.info("mailbox: a facilitator refused a note (%s)", reason)
                    self._failed([note])
        finally:
            with trio.move_on_after(1) as scope:
                scope.shield = True
                await stream.close()
            if delivered:
                log.info("mailbox: delivered %d notes", delivered)
        return len(due) > len(batch)

    def _addresses(self, peer_id: str) -> list[str] | None:
        for runtime in self._runtimes().values():
            for member in runtime.state.members.values():
                if member.peer == peer_id and member.addrs:
                    return list(member.addrs)
        return None

    def _failed(self, notes: list[OutgoingNote]) -> None:
        now = self._clock.now_ms()
        for note in notes:
            delay = min(self._retry_base_ms * 2 ** min(note.attempts, 16), RETRY_MAX_MS)
            self._store.mark_failed(note, now + delay)

    # -- serving ------------------------------------------------------------------------

    async def serve(self, stream: FramedStream) -> None:
        """Answer each note on the stream; anything from a hostile peer ends as a refusal
        (or, for an oversized or broken frame, a reset by the network layer)."""
        for _ in range(MAX_NOTES_PER_STREAM):
            try:
                data = await stream.receive(MAX_FRAME_BYTES)
            except StreamClosed:
                return  # the sender is done
            answer = self._accept(stream.remote_peer, stream.local_peer, data)
            if isinstance(answer, Refused):
                self.count(f"refused_{answer.reason.value}")
                log.info("mailbox: refused a note (%s)", answer.reason.value)
            await stream.send(encode_answer(answer))

    def _accept(self, peer_id: str, local_peer: str, data: bytes) -> Answer:
        try:
            note = decode_note_frame(data)
        except MailboxFrameError:
            return Refused(Refusal.MALFORMED)
        runtime = self._runtimes().get(note.circle)
        if runtime is not None and not runtime.reached_at(local_peer):
            runtime = None  # a circle reached at another host: as if we were not in it
        rules = self._kinds.get(note.kind)
        if rules is not None and runtime is not None:
            return rules.accept(runtime, peer_id, note)  # another part's kind: it judges
        return self._accept_note(runtime, peer_id, note)

    def _accept_note(self, runtime: CircleRuntime | None, peer_id: str, note: Note) -> Answer:
        """A report, care flag or flag note: stored when every check holds."""
        refusal = _refusal(runtime, peer_id, note)
        if refusal is not None or runtime is None:
            return Refused(refusal or Refusal.NOT_FOR_ME)
        held_from = self._store.incoming_sender(note.circle, note.id)
        if held_from is not None:
            return Ack(note.id) if held_from == note.sender else Refused(Refusal.DUPLICATE_ID)
        now = self._clock.now_ms()
        recent = self._store.incoming_since(note.circle, note.sender, now - DAY_MS)
        if recent >= MAX_NOTES_PER_SENDER_PER_DAY:
            return Refused(Refusal.BUSY)
        opened = _opened(runtime, note)
        if isinstance(opened, Refusal):
            return Refused(opened)
        flagged = opened.body.member
        kind = note.kind.value
        self._store.add_incoming(
            IncomingNote(note.circle, note.id, note.sender, kind, opened.encoded_body, now)
        )
        if flagged is not None:
            self._emit(CareFlagReceived(note.circle.hex(), note.id.hex(), flagged.hex()))
            self._care_flag_arrived(runtime)
            self._care_changed(runtime)
        elif note.kind is NoteKind.REPORT:
            self._emit(ReportReceived(note.circle.hex(), note.id.hex()))
            self._care_changed(runtime)  # the row's to_review counts open reports
        elif opened.body.flag is not None:
            # a resolution's note: the open "Care and review" lists read again (issue 14)
            self._emit(ResolutionNoteReceived(note.circle.hex(), opened.body.flag.hex()))
        return Ack(note.id)


def _opened(runtime: CircleRuntime, note: Note) -> OpenedNote | Refusal:
    """The note opened with our exchange key, or why it may not be stored: it does not open
    into a valid body, or it is a care flag about us (the flagged member never sees one)."""
    # sealed to our receiving key as the sender's log knew it: maybe one we just replaced
    keys = runtime.exchange_secrets()
    opened = next((o for k in keys if (o := open_note(note, k)) is not None), None)
    if opened is None:
        return Refusal.UNREADABLE
    if opened.body.member == runtime.me:
        return Refusal.NOT_FOR_ME
    return opened


def _refusal(runtime: CircleRuntime | None, peer_id: str, note: Note) -> Refusal | None:
    """Why a note may not be stored, as far as its outside tells; None when it may."""
    if (
        runtime is None
        or note.recipient != runtime.me
        or not runtime.state.is_facilitator(runtime.me)
    ):
        return Refusal.NOT_FOR_ME
    sender = runtime.state.members.get(note.sender)
    if sender is None or sender.peer != peer_id or sender.key == runtime.me:
        return Refusal.UNKNOWN_SENDER
    if note.kind is NoteKind.FLAG_NOTE and not runtime.state.is_facilitator(note.sender):
        return Refusal.UNKNOWN_SENDER  # only facilitators resolve care flags
    if not signature_ok(note):
        return Refusal.BAD_SIGNATURE
    return None


def _flag_note(runtime: CircleRuntime, note: IncomingNote) -> tuple[bytes, FlagNoteView] | None:
    """(the care flag's id, the view) of a stored flag note; None if unreadable."""
    try:
        body = decode_body(note.body)
    except MailboxFrameError:
        return None
    if body.flag is None:
        return None
    return body.flag, FlagNoteView(
        sender=note.sender.hex(),
        sender_name=runtime.name_of(note.sender),
        note=body.reason,
        received_at=note.received_at,
    )


def _facilitators_to_tell(
    runtime: CircleRuntime, excluded: bytes, none_text: Why, only_text: Why
) -> list[bytes]:
    """Each current facilitator but us and `excluded` (the person a note is about);
    `none_text` refuses when there is no other facilitator at all, `only_text` when the
    only ones are `excluded`."""
    state = runtime.state
    others = [key for key in state.facilitators if key != runtime.me and key in state.members]
    recipients = [key for key in others if key != excluded]
    if not others:
        raise CommandError(none_text)
    if not recipients:
        raise CommandError(only_text)
    return recipients


def _signed_message(signed: bytes) -> tuple[str, Event]:
    """(id in hex, event) of a message as its author signed it; EventError if unreadable."""
    event = decode_event(split_signed(signed)[0])
    return event_id(signed).hex(), event


def _report_view(runtime: CircleRuntime, note: IncomingNote) -> ReportView | None:
    """What a facilitator is shown; None for a stored body this version cannot read."""
    try:
        body = decode_body(note.body)
        message = author = author_name = None
        excerpt = ""
        if body.message is not None:
            message, event = _signed_message(body.message)
            author = event.author.hex()
            author_name = runtime.name_of(event.author)
            excerpt = str(event.body.get("text", ""))
        if body.edit is not None:  # the version reported (crypto/notes.evidence checked it)
            excerpt = str(decode_event(split_signed(body.edit)[0]).body.get("text", ""))
    except (MailboxFrameError, EventError):
        return None
    return ReportView(
        id=note.id.hex(),
        kind=body.kind.value,
        reporter=note.sender.hex(),
        reporter_name=runtime.name_of(note.sender),
        message=message,
        author=author,
        author_name=author_name,
        excerpt=excerpt,
        reason=body.reason,
        ts=body.ts,
        received_at=note.received_at,
        resolved=note.resolved_at is not None,
    )


def _care_view(runtime: CircleRuntime, note: IncomingNote) -> CareFlagView | None:
    """What a facilitator is shown of a care flag; None for a body this version cannot read."""
    try:
        body = decode_body(note.body)
        if body.member is None:
            return None
        message = None
        text = ""
        if body.message is not None:
            message, event = _signed_message(body.message)
            text = str(event.body.get("text", ""))
    except (MailboxFrameError, EventError):
        return None
    return CareFlagView(
        id=note.id.hex(),
        member=body.member.hex(),
        member_name=runtime.name_of(body.member),
        message=message,
        message_text=text,
        note=body.reason,
        sender=note.sender.hex(),
        sender_name=runtime.name_of(note.sender),
        received_at=note.received_at,
        resolved=note.resolved_at is not None,
    )
