"""Facilitators' actions inside the engine: roles, removal with rekey, ban, mute, slow
mode, settings, invite revocation, delete, leave, and the views of them.

Authority lives in the signed log only. Each command authors one event that the core
rules (peerapp.core.circle_state) judge exactly as every other member's app will judge
it; a command those rules would refuse is refused here first, with the reason, and
nothing is signed.

Effects every member's app applies when it accepts a moderation event (ours or not):
- REMOVE/BAN of a member: it is dropped from the member gate (it may still sync the log
  up to its removal, so it learns of it even when GossipSub lost it or it was away), our
  connections to its peer close once it did (or after REMOVAL_NOTICE_SECONDS) unless it
  shares another circle with us, and a KEY_ROTATE to the remaining members
  follows (the remover issues it; rekey_duty repairs it if the remover vanished).
  Epoch secrets older than the current epoch are deleted after EPOCH_GRACE_SECONDS.
- REMOVE/BAN of us: RemovedFromCircle; we unsubscribe, delete every epoch secret and keep
  the history we had, read-only.
- DELETE: the message's text and signed bytes are erased (CircleLog.erase_deleted).
- Every accepted moderation event: a ModerationHappened notice for the fronts.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

import trio

from peerapp.core.api.moderation import (
    DETAILS_OF_ACTION,
    CircleInfoView,
    EquivocationView,
    ModerationEntryView,
    NoDetails,
    VersionView,
)
from peerapp.core.api.refusals import Refusal, rule_refusal, rule_text
from peerapp.core.attachment_policy import (
    DEFAULT_LIMIT_BYTES,
    MAX_LIMIT_BYTES,
    MIN_LIMIT_BYTES,
    is_valid_limit,
)
from peerapp.core.circle_events import (
    MAX_FLAG_AFTER_HOURS,
    MAX_GUIDELINES_CHARS,
    MAX_HARM_FLAGS_TO_HIDE,
    MAX_SLOW_MODE_SECONDS,
    EventType,
)
from peerapp.core.circle_state import CircleState, apply
from peerapp.core.errors import CommandError
from peerapp.core.events import (
    CirclesChanged,
    ModerationHappened,
    RemovedFromCircle,
)
from peerapp.core.invite_code import InvalidInviteCode, decode_invite
from peerapp.core.moderation_policy import (
    MAX_MUTE_DAYS,
    MAX_MUTE_SECONDS,
    MAX_REASON_CHARS,
    clean_reason,
    is_plain_reason,
)
from peerapp.core.resolution import MODERATION_TYPES, REMOVAL_TYPES, Entry, action_of
from peerapp.crypto.invite_keys import invite_public_key
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime, decoded
from peerapp.engine.context import DEFAULT_TIMINGS, EngineContext
from peerapp.engine.ids import id_from_hex
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.topics import CircleTopics
from peerapp.storage.circle_store import CircleStore, StoredEvent

log = logging.getLogger(__name__)

EPOCH_GRACE_SECONDS = 30
# a removed member learns of its removal by GossipSub at once, else by its next periodic
# sync (which a former member may still run up to its removal; we disconnect it after);
# this closes the connection of one that never asks (two of the run's sync rounds)
REMOVAL_NOTICE_SECONDS = 2 * DEFAULT_TIMINGS.sync_interval
LEAVE_DELIVERY_SECONDS = 10
LEAVE_POLL_SECONDS = 0.2

# the removals that take a member out (a demotion leaves it in)
REMOVING_TYPES = REMOVAL_TYPES - {EventType.DEMOTE}


def with_reason(body: dict[str, Any], reason: str) -> dict[str, Any]:
    """`body` with the facilitator's reason, cleaned (core/moderation_policy.py); an empty
    one leaves the body as it was, so its encoding is the one it had before reasons."""
    text = clean_reason(reason)
    if not text:
        return body
    if len(text) > MAX_REASON_CHARS:
        raise CommandError(Refusal.REASON_TOO_LONG, limit=str(MAX_REASON_CHARS))
    if not is_plain_reason(text):
        raise CommandError(Refusal.REASON_NOT_PLAIN)
    return {**body, "reason": text}


def _next_send_at(state: CircleState, me: bytes, now: int) -> int:
    """When slow mode next lets us send (ms), or 0 when we may send now."""
    if not state.slow_mode_seconds or state.is_facilitator(me):
        return 0
    last = state.last_message_ts.get(me)
    if last is None or last + state.slow_mode_seconds * 1000 <= now:
        return 0
    return last + state.slow_mode_seconds * 1000


class Moderation:
    def __init__(
        self,
        store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        log: CircleLog,
        topics: CircleTopics,
        context: EngineContext,
        access_changed: Callable[[], None],
        disconnect_unless_member: Callable[[str, float], Awaitable[None]],
        forget: Callable[[CircleRuntime], None],
        discard_keys: Callable[[CircleRuntime], None],
    ) -> None:
        """`access_changed()`: membership changed, the network gate acts on it now.
        `disconnect_unless_member(peer, opened_before)`: close our connections to a peer
        sharing no circle with us, those opened before that trio time.
        `forget(runtime)`: erase a circle we left. `discard_keys(runtime)`: keep
        no receiving key of a circle we were removed from (receiving_keys)."""
        self._store = store
        self._runtimes = runtimes
        self._log = log
        self._topics = topics
        self._clock = context.clock  # mutes' and invites' ends, slow mode
        self._emit = context.emit
        self._spawn = context.spawn
        self._removal_notice = 2 * context.timings.sync_interval  # REMOVAL_NOTICE_SECONDS
        self._access_changed = access_changed
        self._disconnect_unless_member = disconnect_unless_member
        self._forget = forget
        self._discard_keys = discard_keys

    # -- the rules, checked before anything is signed --------------------------------

    def acting(self, circle_hex: str) -> CircleRuntime:
        runtime = self._runtimes.require(circle_hex)
        if not runtime.state.is_member(runtime.me):
            raise CommandError(Refusal.LEFT_CIRCLE if runtime.left else Refusal.REMOVED_FROM_CIRCLE)
        return runtime

    async def act(
        self, runtime: CircleRuntime, kind: EventType, body: dict[str, Any]
    ) -> StoredEvent:
        """Author, check, store, rekey when someone was removed, publish, announce."""
        circle_log = self._log
        verified = circle_log.author(runtime, kind, body)
        verdict = apply(runtime.state, verified.event)
        if verdict.reason is not None:  # refused (core/circle_state.py Verdict)
            refusal, detail = rule_refusal(verdict.reason)
            raise CommandError(refusal, **detail)
        previous = runtime.current_keys()
        removes_member = kind in REMOVING_TYPES and runtime.state.is_member(body["member"])
        accepted = circle_log.commit(runtime, [verified])
        published = [verified]
        if removes_member:
            # the removed member must not read what comes next: a new epoch for the rest
            rotation = circle_log.new_epoch(runtime)
            accepted += circle_log.commit(runtime, rotation)
            published += rotation
        # under the epoch everyone (the removed member too) still holds, so all learn of it;
        # waited for, since what follows must not overtake it
        await circle_log.publish(runtime, published, previous).wait()
        # then its GossipSub streams are cut (the others cut theirs within the network's
        # gate check, about a second, after they accept the removal)
        self._access_changed()
        await self._topics.sync(runtime)
        await circle_log.announce(runtime, accepted)
        return accepted[0]

    # -- commands ------------------------------------------------------------------

    async def on_member(
        self, circle_hex: str, kind: EventType, member_hex: str, reason: str = ""
    ) -> None:
        """promote, demote, transfer_founder and remove_member (only a removal carries
        a reason)."""
        body = {"member": id_from_hex(member_hex, "member id")}
        if kind is EventType.REMOVE:
            body = with_reason(body, reason)
        runtime = self.acting(circle_hex)
        await self.act(runtime, kind, body)

    async def ban(
        self, circle_hex: str, member_hex: str, *, invitees: bool, reason: str = ""
    ) -> list[str]:
        """Ban a member or former member; with `invitees`, also remove, in the same action,
        the current members it brought in (and they brought in), so its puppets leave with
        it. Returns the ids of those removed besides it. The reason is the ban's: it speaks
        of the banned member, so the invitees' removals carry none."""
        runtime = self.acting(circle_hex)
        target = id_from_hex(member_hex, "member id")
        body = with_reason({"member": target}, reason)
        brought_in = runtime.state.brought_in_by(target) if invitees else []
        for key in brought_in:
            if not runtime.state.outranks(runtime.me, key):
                raise CommandError(Refusal.INVITEES_OUTRANK)
        await self.act(runtime, EventType.BAN, body)
        removed = []
        for key in brought_in:
            if runtime.state.is_member(key):
                await self.act(runtime, EventType.REMOVE, {"member": key})
                removed.append(key.hex())
        return removed

    async def mute(self, circle_hex: str, member_hex: str, seconds: int, reason: str = "") -> int:
        if not 0 <= seconds <= MAX_MUTE_SECONDS:
            raise CommandError(
                Refusal.MUTE_TOO_LONG, high=str(MAX_MUTE_SECONDS), days=str(MAX_MUTE_DAYS)
            )
        member = id_from_hex(member_hex, "member id")
        runtime = self.acting(circle_hex)
        until = self._clock.now_ms() + seconds * 1000 if seconds else 0
        body = with_reason({"member": member, "until": until}, reason)
        await self.act(runtime, EventType.MUTE, body)
        return until

    async def delete_message(self, circle_hex: str, message_hex: str, reason: str = "") -> None:
        runtime = self.acting(circle_hex)
        try:
            message_id = bytes.fromhex(message_hex)
        except ValueError:
            raise CommandError(Refusal.NOT_A_MESSAGE_ID, text=message_hex) from None
        stored = self.message_in(runtime, message_id)
        body = with_reason({"message": message_id, "author": stored.author}, reason)
        await self.act(runtime, EventType.DELETE, body)

    def message_in(self, runtime: CircleRuntime, message_id: bytes) -> StoredEvent:
        """An accepted message of this circle that we hold; refused when there is none."""
        stored = self._store.event(runtime.circle_id, message_id)
        if stored is None or stored.type is not EventType.MESSAGE or stored.id in runtime.refused:
            raise CommandError(Refusal.NO_SUCH_MESSAGE)
        return stored

    async def set_settings(
        self,
        circle_hex: str,
        *,
        slow_mode_seconds: int | None,
        join_approval: bool | None,
        guidelines: str | None,
        harm_flags_to_hide: int | None = None,
        members_invite: bool | None = None,
        flag_after_hours: int | None = None,
        attachment_limit: int | None = None,
        typing: bool | None = None,
    ) -> dict[str, Any]:
        runtime = self.acting(circle_hex)
        state = runtime.state
        slow = state.slow_mode_seconds if slow_mode_seconds is None else slow_mode_seconds
        text = state.guidelines if guidelines is None else guidelines.strip()
        if not 0 <= slow <= MAX_SLOW_MODE_SECONDS:
            raise CommandError(Refusal.SLOW_MODE_TOO_LONG, high=str(MAX_SLOW_MODE_SECONDS))
        if len(text) > MAX_GUIDELINES_CHARS:
            raise CommandError(Refusal.GUIDELINES_TOO_LONG, limit=str(MAX_GUIDELINES_CHARS))
        hours = state.flag_after_hours if flag_after_hours is None else flag_after_hours
        if not 0 <= hours <= MAX_FLAG_AFTER_HOURS:
            raise CommandError(
                Refusal.OUT_OF_RANGE,
                argument="flag_after_hours",
                low="0",
                high=str(MAX_FLAG_AFTER_HOURS),
            )
        flags = state.harm_flags_to_hide if harm_flags_to_hide is None else harm_flags_to_hide
        if not 1 <= flags <= MAX_HARM_FLAGS_TO_HIDE:
            raise CommandError(
                Refusal.OUT_OF_RANGE,
                argument="harm_flags_to_hide",
                low="1",
                high=str(MAX_HARM_FLAGS_TO_HIDE),
            )
        body: dict[str, Any] = {
            "slow_mode_seconds": slow,
            "join_approval": state.join_approval if join_approval is None else join_approval,
            "guidelines": text,
            "harm_flags_to_hide": flags,
            "members_invite": state.members_invite if members_invite is None else members_invite,
            "flag_after_hours": hours,
        }
        limit = state.attachment_limit if attachment_limit is None else attachment_limit
        if not is_valid_limit(limit):
            raise CommandError(
                Refusal.OUT_OF_RANGE,
                argument="attachment_limit",
                low=str(MIN_LIMIT_BYTES),
                high=str(MAX_LIMIT_BYTES),
            )
        if limit != DEFAULT_LIMIT_BYTES:  # absent at the default (circle_events)
            body["attachment_limit"] = limit
        if state.typing if typing is None else typing:
            body["typing"] = True  # only when on: off, the body is as it always was
        await self.act(runtime, EventType.SETTINGS, body)
        return body

    async def revoke_invite(self, circle_hex: str, code: str) -> None:
        runtime = self.acting(circle_hex)
        text = code.strip()
        if text.lower().startswith("hearth:"):
            try:
                invite = decode_invite(text)
            except InvalidInviteCode:
                raise CommandError(Refusal.INVITE_INVALID) from None
            if invite.circle_id != runtime.circle_id:
                raise CommandError(Refusal.INVITE_FOR_OTHER_CIRCLE)
            key = invite_public_key(invite.seed)
        else:
            key = id_from_hex(text, "invite id")
        await self.act(runtime, EventType.INVITE_REVOKE, {"invite": key})

    async def leave(self, circle_hex: str) -> None:
        """Sign a LEAVE, then forget the circle once a member holds it (the others rekey)."""
        runtime = self.acting(circle_hex)
        previous = runtime.current_keys()
        verified = self._log.author(runtime, EventType.LEAVE, {})
        (stored,) = self._log.commit(runtime, [verified])
        self._store.mark_left(runtime.circle_id, self._clock.now_ms())
        runtime.left = True
        # out before we leave the epoch's topic
        await self._log.publish(runtime, [verified], previous).wait()
        await self._topics.sync(runtime)
        self._emit(CirclesChanged())
        self._spawn(self.forget_when_delivered, runtime, stored.lamport)

    def forget_removed(self, circle_hex: str) -> None:
        """Erase a circle we were removed (or banned) from, as its former member asks: the
        log already says we are out, so there is nothing to sign or tell anyone."""
        runtime = self._runtimes.require(circle_hex)
        if runtime.state.is_member(runtime.me):
            raise CommandError(Refusal.STILL_A_MEMBER)
        self._forget(runtime)

    async def forget_when_delivered(self, runtime: CircleRuntime, leave_lamport: int) -> None:
        """Keep serving the circle until another member pulled our LEAVE, then erase it
        (bounded; a circle nobody could reach stays hidden and is retried at start-up)."""
        with trio.move_on_after(LEAVE_DELIVERY_SECONDS):
            while True:
                syncs = self._store.member_syncs(runtime.circle_id)
                if any(sync.holds_through >= leave_lamport for sync in syncs.values()):
                    self._forget(runtime)
                    return
                await trio.sleep(LEAVE_POLL_SECONDS)
        if not runtime.state.members:
            self._forget(runtime)  # we were the last: no one is left to tell

    # -- views --------------------------------------------------------------------

    def circle_info(self, circle_hex: str) -> CircleInfoView:
        return self.info_of(self._runtimes.require(circle_hex))

    def info_of(self, runtime: CircleRuntime) -> CircleInfoView:
        """The circle's settings and our standing in it, as of now."""
        state = runtime.state
        me = runtime.me
        now = self._clock.now_ms()
        member = state.members.get(me)
        muted_until = state.muted.get(me, 0)
        return CircleInfoView(
            circle=runtime.circle_id.hex(),
            name=state.name or runtime.membership.name,
            guidelines=state.guidelines,
            slow_mode_seconds=state.slow_mode_seconds,
            join_approval=state.join_approval,
            harm_flags_to_hide=state.harm_flags_to_hide,
            members_invite=state.members_invite,
            flag_after_hours=state.flag_after_hours,
            attachment_limit=state.attachment_limit,
            typing=state.typing,
            # "" when we may make invites, else why not (the core's rule, for the GUI)
            may_invite=rule_text(why) if (why := state.may_invite(me)) else "",
            my_id=me.hex(),
            my_role=member.role.value if member is not None else None,
            my_rank=state.rank(me) if state.is_facilitator(me) else None,
            muted_until=muted_until if muted_until > now else 0,
            next_send_at=_next_send_at(state, me, now),
            removed=member is None and not runtime.left,
            banned=me in state.banned,
            members=len(state.members),
        )

    def next_send_at(self, circle_hex: str) -> int:
        """When slow mode next lets us send here (ms since the epoch), or 0."""
        runtime = self._runtimes.require(circle_hex)
        return _next_send_at(runtime.state, runtime.me, self._clock.now_ms())

    def why_not_send(self, runtime: CircleRuntime) -> CommandError | None:
        """Why our next message would be refused by every member's app, or None."""
        state = runtime.state
        me = runtime.me
        if not state.is_member(me):
            return CommandError(
                Refusal.LEFT_CIRCLE if runtime.left else Refusal.REMOVED_FROM_CIRCLE
            )
        now = self._clock.now_ms()
        if state.is_muted(me, now):
            minutes = math.ceil((state.muted[me] - now) / 60_000)
            plural = "s" if minutes != 1 else ""
            return CommandError(Refusal.MUTED, minutes=str(minutes), plural=plural)
        if next_send_at := _next_send_at(state, me, now):
            seconds = math.ceil((next_send_at - now) / 1000)
            return CommandError(Refusal.SLOW_MODE, seconds=str(seconds))
        return None

    def invites(self, circle_hex: str) -> list[dict[str, Any]]:
        """The circle's active invites (not revoked, not used up, not expired)."""
        runtime = self._runtimes.require(circle_hex)
        own = self._store.invites(runtime.circle_id)
        creators: dict[bytes, bytes] = {}
        for stored in self._store.control_events_in_order(runtime.circle_id):
            if stored.type is EventType.INVITE_CREATE and stored.id not in runtime.refused:
                creators[decoded(stored).body["invite"]] = stored.author
        now = self._clock.now_ms()
        listed = []
        for key, invite in runtime.state.invites.items():
            if invite.revoked or invite.uses >= invite.max_uses or invite.expires_ms <= now:
                continue
            creator = creators.get(key, b"")
            mine = key in own
            listed.append(
                {
                    "id": key.hex(),
                    "code": own[key].code if mine else None,
                    "uses": invite.uses,
                    "max_uses": invite.max_uses,
                    "expires": invite.expires_ms // 1000,
                    "revoked": invite.revoked,
                    "created_by": creator.hex(),
                    "created_by_name": runtime.name_of(creator),
                    "mine": mine,
                }
            )
        return sorted(listed, key=lambda item: item["expires"])

    def moderation_log(self, circle_hex: str) -> tuple[ModerationEntryView, ...]:
        runtime = self._runtimes.require(circle_hex)
        return tuple(
            self._entry(runtime, stored)
            for stored in self._store.control_events_in_order(runtime.circle_id)
            if stored.type in MODERATION_TYPES and stored.id not in runtime.refused
        )

    def equivocations(self, circle_hex: str) -> tuple[EquivocationView, ...]:
        """For facilitators: each (author, seq) its author signed more than once, with every
        version side by side (a message's text unless erased), so they can judge and delete
        either. Members see both versions in the history, marked."""
        runtime = self.acting(circle_hex)
        if not runtime.state.is_facilitator(runtime.me):
            raise CommandError(Refusal.ONLY_FACILITATORS_COMPARE)
        groups: dict[tuple[bytes, int], list[VersionView]] = {}
        for author in sorted(runtime.state.equivocators):
            for stored in self._store.equivocations(runtime.circle_id, author):
                groups.setdefault((author, stored.seq), []).append(
                    VersionView(
                        id=stored.id.hex(),
                        type=stored.type.value,
                        text=stored.text if stored.type is EventType.MESSAGE else None,
                        deleted=stored.type is EventType.MESSAGE and not stored.signed,
                        ts=stored.ts,
                        lamport=stored.lamport,
                        accepted=stored.id not in runtime.refused,
                    )
                )
        return tuple(
            EquivocationView(
                author=author.hex(),
                author_name=runtime.name_of(author),
                seq=seq,
                versions=tuple(versions),
            )
            for (author, seq), versions in groups.items()
        )

    def _entry(self, runtime: CircleRuntime, stored: StoredEvent) -> ModerationEntryView:
        action = action_of(Entry(stored.id, decoded(stored)))
        # the body passed the event schema when it was decoded: each field's kind is sure
        values: dict[str, Any] = {
            name: value.hex() if isinstance(value, bytes) else value
            for name, value in action.details.items()
        }
        details = DETAILS_OF_ACTION.get(action.action, NoDetails)(**values)
        return ModerationEntryView(
            id=action.event_id.hex(),
            actor=action.actor.hex(),
            actor_name=runtime.name_of(action.actor),
            action=action.action,
            target=None if action.target is None else action.target.hex(),
            target_name=None if action.target is None else runtime.name_of(action.target),
            ts=action.ts,
            lamport=action.lamport,
            details=details,
        )

    # -- effects of accepted events -------------------------------------------------

    async def on_accepted(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        """Announce moderation and apply its effects beyond the log (see the module doc)."""
        circle_hex = runtime.circle_id.hex()
        for stored in accepted:
            if stored.type is EventType.KEY_ROTATE and not runtime.left:
                self.retire_epochs_later(runtime)
            if stored.type not in MODERATION_TYPES:
                continue
            self._emit(ModerationHappened(circle_hex, self._entry(runtime, stored)))
            if stored.type in REMOVING_TYPES:
                await self._after_removal(runtime, stored)

    async def admission_lost(self, runtime: CircleRuntime) -> None:
        """Our admission was refused after all: another member admitted someone with the
        same single-use invite at the same moment, and that admission sorts first. We hold
        no usable key (every epoch secret deleted) and are told, as a removal is."""
        self._store.retire_epochs(runtime.circle_id, keep=())
        runtime.epochs.clear()
        self._discard_keys(runtime)
        await self._topics.sync(runtime)
        self._emit(
            RemovedFromCircle(runtime.circle_id.hex(), "", "", banned=False, admission_lost=True)
        )
        self._emit(CirclesChanged())

    async def _after_removal(self, runtime: CircleRuntime, stored: StoredEvent) -> None:
        target = decoded(stored).body["member"]
        if target == runtime.me:
            if runtime.state.is_member(runtime.me):
                return  # a stale removal another resolution voided
            reason = decoded(stored).body.get("reason", "")
            self._store.retire_epochs(runtime.circle_id, keep=())
            runtime.epochs.clear()
            self._discard_keys(runtime)
            await self._topics.sync(runtime)
            self._emit(
                RemovedFromCircle(
                    runtime.circle_id.hex(),
                    stored.author.hex(),
                    runtime.name_of(stored.author),
                    banned=runtime.me in runtime.state.banned,
                    reason=reason,
                )
            )
            self._emit(CirclesChanged())
            return
        peer = runtime.state.peers.get(target)
        if peer is not None:
            self._spawn(self._disconnect_after_notice, peer, trio.current_time())

    async def _disconnect_after_notice(self, peer: str, removed_at: float) -> None:
        # the removal travels to the removed member over these very connections (GossipSub,
        # under the epoch it still holds, or its next sync): closing at once leaves it
        # unaware. Only the connections it had as a member close: the same peer may be
        # back by then asking to join with a new invite
        await trio.sleep(self._removal_notice)
        await self._disconnect_unless_member(peer, removed_at)

    def retire_epochs_later(self, runtime: CircleRuntime) -> None:
        self._spawn(self._retire_after_grace, runtime)

    async def _retire_after_grace(self, runtime: CircleRuntime) -> None:
        # members still sending under the previous epoch get a moment to catch the rotation
        await trio.sleep(EPOCH_GRACE_SECONDS)
        await self.retire_epochs(runtime)

    async def retire_epochs(self, runtime: CircleRuntime) -> None:
        """Forward secrecy: delete every epoch secret but the current one's."""
        current = runtime.current_keys()
        if not runtime.state.is_member(runtime.me):
            current = None
        keep = {current.epoch_id} if current is not None else set()
        if set(runtime.epochs) <= keep:
            return
        self._store.retire_epochs(runtime.circle_id, keep)
        for epoch_id in set(runtime.epochs) - keep:
            del runtime.epochs[epoch_id]
        await self._topics.sync(runtime)
