"""Joining circles inside the engine: the joiner's side (`join`, `preview_invite`, waiting
joins) and the member's side of `/hearth/join/1.0.0` (`serve`, the facilitator's queue).

JoinService writes through the circle's log (engine/circle_log.py: authoring, storing and
resolving, publishing), finds circles in the registry (engine/runtimes.py) and reaches the
rest of the engine through the callables it is given; what it keeps itself is in
JoinStore.

Rules (the member's answer to a request, first row that applies):

    | the request                                        | answer                           |
    |----------------------------------------------------|----------------------------------|
    | bad signature, other circle, stale challenge, proof | refused: bad_proof               |
    | its key is a member (approved, asking again)        | the control log                  |
    | its key was rejected here                           | refused: rejected                |
    | its key waits here, approval on, we facilitate      | pending                          |
    | its key waits here, approval on, we no longer do    | refused: approval_required       |
    | invite unknown / revoked / expired / used up        | refused: that reason             |
    | approval on, we are not a facilitator               | refused: approval_required       |
    | approval off, members may not invite, we are none   | refused: approval_required       |
    | approval on, queue full (MAX_WAITING_REQUESTS)      | refused: busy                    |
    | approval on                                         | queued (join_request), pending   |
    | otherwise                                           | ADD_MEMBER + KEY_ROTATE, the log |

A preview proves the invite the same way and is answered with the circle's name,
guidelines, join approval and member count, or the same refusals.

A waiting join (ours) ends when the facilitator's answer is the log (we become a member:
join_approved), or a refusal other than busy / not_a_member / no answer (join_rejected
with the reason), or `cancel_join`. It is asked again at start-up, when the code's peer
connects, when that peer nudges us (after approving or rejecting, the facilitator opens
the join protocol to the joiner with a hello for the circle; the joiner answers
not_a_member and asks again at once), and every join_retry (engine/context.py Timings:
10 s), each attempt bounded by ATTEMPT_SECONDS.

The queue lives with the facilitator the joiner reached: another facilitator does not
see it (the request never enters the circle log until it is approved).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nacl.public
import nacl.signing
import nacl.utils
import trio

from peerapp.core import join_messages as jm
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import Event, EventError, EventType
from peerapp.core.errors import CommandError, HearthError
from peerapp.core.events import (
    CirclesChanged,
    CircleView,
    JoinApproved,
    JoinPending,
    JoinRejected,
    JoinRequestArrived,
    RejoinedCircle,
)
from peerapp.core.invite_code import InvalidInviteCode, InviteCode, decode_invite
from peerapp.core.network_mode import check_invite_mode
from peerapp.crypto.epoch import EpochKeys
from peerapp.crypto.invite_keys import check_proof, invite_public_key, prove
from peerapp.crypto.signing import VerifiedEvent, verify_signed
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime, new_membership, to_stored
from peerapp.engine.context import EngineContext
from peerapp.engine.join_client import (
    JoinPending as PendingAnswer,
)
from peerapp.engine.join_client import (
    JoinRefused,
    request_admission,
    request_preview,
    signed_join_request,
)
from peerapp.engine.reach import Reach
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.topics import CircleTopics
from peerapp.network.framed import FramedStream
from peerapp.network.host import NetworkNode
from peerapp.storage.circle_store import CircleStore, Membership
from peerapp.storage.database import Database
from peerapp.storage.join_store import JoinStore, QueuedRequest, RequestState, WaitingJoin

# a background step on one circle (reconnect, settle the break status, repair its epoch)
CircleTask = Callable[[CircleRuntime], Any]

log = logging.getLogger(__name__)

ATTEMPT_SECONDS = 30
NUDGE_SECONDS = 5
GIVE_UP_SECONDS = 2  # to close a join's host (Tor mode) after the join ended without us
MAX_WAITING_REQUESTS = 100  # per circle in a facilitator's queue; more: refused as busy
# refusals that do not end a waiting join: the facilitator may just be busy or not loaded
_TRANSIENT = frozenset({None, jm.Refusal.BUSY, jm.Refusal.NOT_A_MEMBER})

# why a queued request's invite no longer admits (any other reason: STALE_INVITE_REFUSED)
_STALE_INVITE = {
    jm.Refusal.EXPIRED: Refusal.STALE_INVITE_EXPIRED,
    jm.Refusal.USED_UP: Refusal.STALE_INVITE_USED_UP,
    jm.Refusal.REVOKED: Refusal.STALE_INVITE_REVOKED,
    jm.Refusal.UNKNOWN_INVITE: Refusal.STALE_INVITE_UNKNOWN,
}


@dataclass(frozen=True)
class JoinOutcome:
    circle: str
    name: str
    pending: bool = False

    def to_result(self) -> dict[str, Any]:
        result: dict[str, Any] = {"circle": self.circle, "name": self.name}
        if self.pending:
            result["pending"] = True
        return result


class JoinService:
    def __init__(
        self,
        database: Database,
        circle_store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        log: CircleLog,
        topics: CircleTopics,
        context: EngineContext,
        reach: Callable[[], Reach],
        node: Callable[[bytes], NetworkNode | None],
        set_aside_for_rejoin: Callable[[CircleRuntime], None],
        proof_judged: Callable[[str, bool], None],
        member_joined: Callable[[CircleRuntime, bytes], None],
        retire_later: Callable[[CircleRuntime], None],
        reconnect: CircleTask,
        settle_status: CircleTask,
        repair_epoch: CircleTask,
        start_pull: Callable[[CircleRuntime, str], None],
        circle_view: Callable[[CircleRuntime], CircleView],
    ) -> None:
        """`reach()`: the running network (CommandError when it is not). `node(circle)`: a
        membership's host if open. `set_aside_for_rejoin(runtime)`: the read-only copy
        of a circle we come back to leaves memory (its stored history stays).
        `proof_judged(peer, proven)`: the network keeps or drops a stranger.
        `member_joined(runtime, key)`: tell the fronts and the gate.
        `retire_later(runtime)`: forward secrecy after our rotation. `reconnect`,
        `settle_status`, `repair_epoch`: background steps for a circle (spawned).
        `start_pull(runtime, peer)`: sync from a member now. `circle_view(runtime)`: the
        circle's view for the fronts."""
        self._circles = circle_store
        self._runtimes = runtimes
        self._log = log
        self._topics = topics
        self._clock = context.clock  # invites' ends; when requests arrive and joins start
        self._emit = context.emit
        self._spawn = context.spawn
        self._retry = context.timings.join_retry
        self._reach = reach
        self._node = node
        self._set_aside_for_rejoin = set_aside_for_rejoin
        self._proof_judged = proof_judged
        self._member_joined = member_joined
        self._retire_later = retire_later
        self._reconnect = reconnect
        self._settle_status = settle_status
        self._repair_epoch = repair_epoch
        self._start_pull = start_pull
        self._circle_view = circle_view
        self._store = JoinStore(database)
        self._wake = trio.Event()

    # -- the joiner's side ------------------------------------------------------------

    def _code_to_use(self, code_text: str) -> InviteCode:
        try:
            code = decode_invite(code_text)
        except InvalidInviteCode:
            raise CommandError(Refusal.INVITE_INVALID) from None
        if code.is_expired(self._clock.wall()):
            raise CommandError(Refusal.INVITE_EXPIRED)
        if self._already_member(code.circle_id):
            raise CommandError(Refusal.ALREADY_IN_CIRCLE)
        # a code of the other mode gets its own refusal (InviteModeMismatch): never a
        # silent fallback from Tor to direct
        check_invite_mode(self._reach().mode, code.addrs)
        return code

    def _already_member(self, circle: bytes) -> bool:
        """A removed member (or one whose leaving is still being delivered) may come back
        with a new invite, as a new member: the old read-only copy gives way."""
        existing = self._runtimes.get(circle)
        return existing is not None and existing.state.is_member(existing.me)

    async def _request_admission(
        self,
        node: NetworkNode,
        code: InviteCode,
        signing: nacl.signing.SigningKey,
        exchange: nacl.public.PrivateKey,
        member_name: str,
    ) -> list[bytes]:
        """One run of the join protocol with this membership key (PendingAnswer or
        JoinRefused when it does not admit us)."""
        return await request_admission(
            node,
            code,
            lambda challenge: signed_join_request(
                code,
                challenge=challenge,
                signing=signing,
                exchange_public=bytes(exchange.public_key),
                member_name=member_name,
                peer=node.peer_id,
                addrs=node.dialable_addrs()[:8],
                now_ms=self._clock.now_ms(),
            ),
        )

    async def preview_invite(self, code_text: str) -> dict[str, Any]:
        code = self._code_to_use(code_text)
        node = await self._reach().open(code.circle_id)
        # any key will do: the proof binds it, and nothing is signed with it
        joiner = bytes(nacl.signing.SigningKey.generate().verify_key)

        def ask(challenge: bytes) -> jm.PreviewAsk:
            proof = prove(code.seed, code.circle_id, challenge, joiner)
            return jm.PreviewAsk(invite_public_key(code.seed), joiner, proof)

        try:
            preview = await request_preview(node, code, ask)
        except JoinRefused as refusal:
            raise CommandError(refusal.refusal) from None
        return {
            "circle": code.circle_id.hex(),
            "name": preview.name,
            "guidelines": preview.guidelines,
            "join_approval": preview.join_approval,
            "members": preview.members,
        }

    async def join(self, code_text: str, member_name: str) -> JoinOutcome:
        code = self._code_to_use(code_text)
        if self._store.waiting_join(code.circle_id) is not None:
            raise CommandError(Refusal.ALREADY_ASKED)
        # Tor mode: the membership's own host, which the request names (kept if the
        # answer is to wait; closed and its identity erased if we are refused)
        node = await self._reach().open(code.circle_id)
        signing = nacl.signing.SigningKey.generate()
        exchange = nacl.public.PrivateKey.generate()
        try:
            signed_events = await self._request_admission(
                node, code, signing, exchange, member_name
            )
        except PendingAnswer as pending:
            return self._wait_for_approval(
                code_text,
                code,
                member_name=member_name,
                signing=signing,
                exchange=exchange,
                pending=pending,
            )
        except JoinRefused as refusal:
            await self._give_up_host(code.circle_id)
            raise CommandError(refusal.refusal) from None
        except BaseException:
            await self._give_up_host(code.circle_id)
            raise
        view = await self.become_member(code, signing, exchange, signed_events)
        return JoinOutcome(view.id, view.name)

    def _wait_for_approval(
        self,
        code_text: str,
        code: InviteCode,
        *,
        member_name: str,
        signing: nacl.signing.SigningKey,
        exchange: nacl.public.PrivateKey,
        pending: PendingAnswer,
    ) -> JoinOutcome:
        """Keep the new membership's keys: the approval admits exactly this key."""
        self._store.add_waiting_join(
            WaitingJoin(
                circle=code.circle_id,
                code=code_text,
                member_name=member_name,
                signing_seed=bytes(signing),
                exchange_secret=bytes(exchange),
                circle_name=pending.circle_name,
                started_at=self._clock.now_ms(),
            )
        )
        circle = code.circle_id.hex()
        self._emit(JoinPending(circle, pending.circle_name))
        return JoinOutcome(circle, pending.circle_name, pending=True)

    def waiting_circles(self) -> set[bytes]:
        return {waiting.circle for waiting in self._store.waiting_joins()}

    def joins_waiting(self) -> list[dict[str, Any]]:
        return [
            {"circle": w.circle.hex(), "name": w.circle_name, "since": w.started_at}
            for w in self._store.waiting_joins()
        ]

    def cancel_join(self, circle_hex: str) -> None:
        circle_id = _circle_id(circle_hex)
        if self._store.waiting_join(circle_id) is None:
            raise CommandError(Refusal.NOT_WAITING_TO_JOIN)
        self._store.remove_waiting_join(circle_id)
        self._spawn(self._give_up_host, circle_id)

    async def become_member(
        self,
        code: InviteCode,
        signing: nacl.signing.SigningKey,
        exchange: nacl.public.PrivateKey,
        signed_events: list[bytes],
    ) -> CircleView:
        membership = new_membership(
            code.circle_id, "", signing, exchange, joined_at=self._clock.now_ms()
        )
        runtime = CircleRuntime.for_membership(membership, {})
        verified = self._log.verify(runtime, signed_events)
        stored = sorted((to_stored(v) for v in verified), key=lambda s: (s.lamport, s.id))
        runtime.resolve_all(stored)
        secrets = _secrets_for_me(runtime, verified)
        if not runtime.state.is_member(runtime.me):
            raise CommandError(Refusal.INVITE_REFUSED)
        membership = Membership(**{**membership.__dict__, "name": runtime.state.name})
        runtime.membership = membership
        former = self._runtimes.get(runtime.circle_id)
        if former is None:
            self._circles.add_membership(membership)
            self._circles.add_events(stored)
            self._circles.set_refused(runtime.circle_id, runtime.refused)
        else:
            # back after a removal: the history we held stays readable (a member reads
            # messages only from its admission on, so it would never come back), and the
            # circle is resolved again over it and the log the admitter sent
            self._set_aside_for_rejoin(former)
            self._circles.rejoin(membership)
            runtime.former_keys = self._circles.former_keys(runtime.circle_id)
            self._circles.add_events(stored)
            self._log.resolve_from_store(runtime, announce=False)
            circle_id = runtime.circle_id
            runtime.resume(
                self._circles.last_seqs(circle_id), self._circles.last_order_key(circle_id)
            )
        for secret in secrets:
            self._circles.add_epoch(runtime.circle_id, EpochKeys(secret).epoch_id, secret)
            runtime.add_epoch_secret(secret)
        self._runtimes.add(runtime)
        await self._topics.sync(runtime)
        self._spawn(self._reconnect, runtime)
        self._spawn(self._settle_status, runtime)
        # anything sent while our admission travelled: fetch it from the inviter
        self._start_pull(runtime, code.peer_id)
        if not secrets:
            # the admitter sealed us nothing readable: we start an epoch of our own
            self._spawn(self._repair_epoch, runtime)
        if former is not None:
            self._emit(RejoinedCircle(runtime.circle_id.hex()))
        self._emit(CirclesChanged())
        return self._circle_view(runtime)

    # -- waiting joins: asking again --------------------------------------------------

    async def run(self) -> None:
        """Ask again for each waiting join: at start, when the code's peer connects, and
        every join_retry seconds (a new waiting join is simply in the next round)."""
        while True:
            self._wake = trio.Event()
            for waiting in self._store.waiting_joins():
                await self._ask_again(waiting)
            with trio.move_on_after(self._retry):
                await self._wake.wait()

    def on_peer_connected(self, peer_id: str) -> None:
        for waiting in self._store.waiting_joins():
            if _peer_of(waiting) == peer_id:
                self._wake.set()
                return

    def _woken_by(self, circle: bytes, peer_id: str) -> None:
        """A hello for a circle we wait to join, from the peer our code names: a nudge."""
        waiting = self._store.waiting_join(circle)
        if waiting is not None and _peer_of(waiting) == peer_id:
            self._wake.set()

    async def _waiting_host(self, waiting: WaitingJoin) -> tuple[InviteCode, NetworkNode] | None:
        """A waiting join's code and the host its request named (Tor mode: opened again
        after a restart); None when there is nothing to ask (yet)."""
        try:
            code = decode_invite(waiting.code)
        except InvalidInviteCode:
            return None  # stored only after it decoded; never expected
        if self._already_member(code.circle_id):
            return None
        try:
            return code, await self._reach().open(code.circle_id)
        except HearthError as error:  # tor not there yet, or gone: the next round
            log.info("join: no host to ask from (%s)", type(error).__name__)
            return None

    async def _ask_again(self, waiting: WaitingJoin) -> None:
        found = await self._waiting_host(waiting)
        if found is None:
            return
        code, node = found
        signing = nacl.signing.SigningKey(waiting.signing_seed)
        exchange = nacl.public.PrivateKey(waiting.exchange_secret)
        signed_events: list[bytes] = []
        with trio.move_on_after(ATTEMPT_SECONDS):
            try:
                signed_events = await self._request_admission(
                    node, code, signing, exchange, waiting.member_name
                )
            except PendingAnswer:
                return
            except JoinRefused as refusal:
                if refusal.reason not in _TRANSIENT:
                    self._end_waiting(waiting, refusal.refusal)
                return
        if not signed_events or self._store.waiting_join(waiting.circle) is None:
            return  # no answer in time, or cancelled meanwhile
        try:
            view = await self.become_member(code, signing, exchange, signed_events)
        except CommandError:
            log.info("join: an answer to a waiting join did not admit us; asking again later")
            return
        self._store.remove_waiting_join(waiting.circle)
        self._emit(JoinApproved(view.id, view.name))

    def _end_waiting(self, waiting: WaitingJoin, refusal: Refusal) -> None:
        self._store.remove_waiting_join(waiting.circle)
        self._spawn(self._give_up_host, waiting.circle)
        self._emit(
            JoinRejected(waiting.circle.hex(), waiting.circle_name, refusal.text(), refusal.value)
        )

    async def _give_up_host(self, circle: bytes) -> None:
        """A join that ended without a membership: its host closes and its network
        identity is erased (Tor mode), unless a copy of the circle (we were a member
        before) or a waiting join still uses it."""
        if circle in self._runtimes or self._store.waiting_join(circle) is not None:
            return
        with trio.CancelScope(shield=True), trio.move_on_after(GIVE_UP_SECONDS):
            await self._reach().close(circle, forget=True)

    # -- the facilitator's queue --------------------------------------------------------

    def _facilitating(self, circle_hex: str, refusal: Refusal) -> CircleRuntime:
        runtime = self._runtimes.require(circle_hex)
        # after leaving or a removal we are in no rank order: no facilitator either
        if not runtime.state.is_facilitator(runtime.me):
            raise CommandError(refusal)
        return runtime

    def pending_joins(self, circle_hex: str) -> list[dict[str, Any]]:
        runtime = self._facilitating(circle_hex, Refusal.ONLY_FACILITATORS_SEE_REQUESTS)
        return [
            {"id": q.id.hex(), "name": q.name, "received_at": q.received_at}
            for q in self._store.waiting_requests(runtime.circle_id)
        ]

    def _waiting_request(self, runtime: CircleRuntime, request_hex: str) -> QueuedRequest:
        try:
            request_id = bytes.fromhex(request_hex)
        except ValueError:
            raise CommandError(Refusal.NOT_A_REQUEST_ID, text=request_hex) from None
        queued = self._store.queued(runtime.circle_id, request_id)
        if queued is None:
            raise CommandError(Refusal.NO_SUCH_REQUEST)
        if queued.state is not RequestState.WAITING:
            raise CommandError(Refusal.REQUEST_ALREADY_ANSWERED, state=queued.state.value)
        return queued

    async def approve_join(self, circle_hex: str, request_hex: str) -> None:
        runtime = self._facilitating(circle_hex, Refusal.ONLY_FACILITATORS_APPROVE)
        queued = self._waiting_request(runtime, request_hex)
        request = verify_signed(queued.request).event
        state = runtime.state
        if request.author in state.ever_admitted:
            raise CommandError(Refusal.ALREADY_ADMITTED)
        if request.author in state.banned or request.body["peer"] in state.banned_peers:
            raise CommandError(Refusal.BANNED)
        refusal = _invite_refusal(runtime, request.body["invite"], self._clock.now_ms())
        if refusal is not None:
            raise CommandError(_STALE_INVITE.get(refusal, Refusal.STALE_INVITE_REFUSED))
        previous_keys = runtime.current_keys()
        admitted = self._log.author(runtime, EventType.ADD_MEMBER, {"request": queued.request})
        self._log.commit(runtime, [admitted])
        self._store.set_request_state(runtime.circle_id, queued.id, RequestState.APPROVED)
        await self._publish_admission(runtime, admitted, previous_keys)
        self._member_joined(runtime, request.author)
        self._spawn(self._reconnect, runtime)
        self._nudge(runtime, request)

    async def _publish_admission(
        self, runtime: CircleRuntime, admitted: VerifiedEvent, previous_keys: EpochKeys | None
    ) -> None:
        """After an ADD_MEMBER of ours: a new epoch for the members with the joiner, then
        both out under the epoch the others still hold, before we leave its topic."""
        rotation = self._log.new_epoch(runtime)
        self._log.store(runtime, rotation)
        await self._log.publish(runtime, [admitted, *rotation], previous_keys).wait()
        await self._topics.sync(runtime)
        # forward secrecy: the epoch before the admission goes after the grace, as with
        # every rotation (it was never scheduled for the admitter's own)
        self._retire_later(runtime)

    def reject_join(self, circle_hex: str, request_hex: str) -> None:
        runtime = self._facilitating(circle_hex, Refusal.ONLY_FACILITATORS_APPROVE)
        queued = self._waiting_request(runtime, request_hex)
        self._store.set_request_state(runtime.circle_id, queued.id, RequestState.REJECTED)
        self._nudge(runtime, verify_signed(queued.request).event)

    def _nudge(self, runtime: CircleRuntime, request: Event) -> None:
        """Tell a waiting joiner its answer is ready, so it asks now rather than at its next
        round: a hello for the circle from the peer its code names wakes it (see serve)."""
        node = self._node(runtime.circle_id)
        if node is None:
            return
        peer, addrs = request.body["peer"], list(request.body["addrs"])

        async def nudge() -> None:
            with trio.move_on_after(NUDGE_SECONDS):
                try:
                    stream = await node.open_stream(peer, jm.PROTOCOL, addrs, NUDGE_SECONDS)
                    try:
                        await stream.send(jm.encode_frame(jm.Hello(runtime.circle_id)))
                        await stream.receive(jm.MAX_FRAME_BYTES)
                    finally:
                        await stream.close()
                except Exception as error:  # a missed nudge only delays the answer
                    log.debug("join: nudge failed (%s)", type(error).__name__)

        self._spawn(nudge)  # a no-op when the engine is not running

    # -- the member's side --------------------------------------------------------------

    async def serve(self, stream: FramedStream) -> None:
        hello = jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))
        runtime = self._runtimes.get(hello.circle) if isinstance(hello, jm.Hello) else None
        if runtime is not None and not runtime.reached_at(stream.local_peer):
            # a circle reached at another of our hosts (Tor mode): answering would tell a
            # stranger that this onion and that membership are the same person
            runtime = None
        if runtime is None and isinstance(hello, jm.Hello):
            self._woken_by(hello.circle, stream.remote_peer)
        if runtime is None or not runtime.state.is_member(runtime.me):
            await stream.send(jm.encode_frame(jm.Refused(jm.Refusal.NOT_A_MEMBER)))
            return
        challenge = nacl.utils.random(jm.CHALLENGE_BYTES)
        await stream.send(jm.encode_frame(jm.Challenge(challenge)))
        frame = jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))
        # the network keeps a stranger that proves an invite while it joins, and drops one
        # that fails (after it has the refusal)
        if isinstance(frame, jm.PreviewAsk):
            preview = self._preview(runtime, frame, challenge)
            await stream.send(jm.encode_frame(preview))
            self._proof_judged(stream.remote_peer, preview != jm.Refused(jm.Refusal.BAD_PROOF))
            return
        if not isinstance(frame, jm.Request):
            return
        request = self._verified_request(runtime, frame.signed, challenge)
        if request is None:
            await stream.send(jm.encode_frame(jm.Refused(jm.Refusal.BAD_PROOF)))
            self._proof_judged(stream.remote_peer, False)
            return
        self._proof_judged(stream.remote_peer, True)
        if runtime.state.is_member(request.author):
            # approved while it waited, and asking again with the same key: it is in
            await self._send_log(stream, runtime)
            return
        answer = self._answer_without_admitting(runtime, request, frame.signed)
        if answer is not None:
            await stream.send(jm.encode_frame(answer))
            return
        await self._admit(stream, runtime, request, frame.signed)

    def _preview(self, runtime: CircleRuntime, ask: jm.PreviewAsk, challenge: bytes) -> jm.Frame:
        if not check_proof(ask.invite, ask.proof, runtime.circle_id, challenge, ask.joiner):
            return jm.Refused(jm.Refusal.BAD_PROOF)
        state = runtime.state
        refusal = _invite_refusal(runtime, ask.invite, self._clock.now_ms())
        if refusal is None and state.may_invite(runtime.me):
            refusal = jm.Refusal.APPROVAL_REQUIRED  # only facilitators admit here
        if refusal is not None:
            return jm.Refused(refusal)
        return jm.Preview(state.name, state.guidelines, state.join_approval, len(state.members))

    def _verified_request(
        self, runtime: CircleRuntime, signed: bytes, challenge: bytes
    ) -> Event | None:
        """The JOIN_REQUEST, if it is signed, for this circle, this challenge and proves
        the invite's seed."""
        try:
            request = verify_signed(signed).event
        except EventError:
            return None
        body = request.body
        if (
            request.type is not EventType.JOIN_REQUEST
            or request.circle != runtime.circle_id
            or body["challenge"] != challenge
            or not check_proof(
                body["invite"], body["proof"], request.circle, challenge, request.author
            )
        ):
            return None
        return request

    def _answer_without_admitting(
        self, runtime: CircleRuntime, request: Event, signed: bytes
    ) -> jm.Frame | None:
        """Refused, or pending (queued for a facilitator); None: admit it now."""
        state = runtime.state
        answer = self._answer_to_queued(runtime, request.author)
        if answer is not None:
            return answer
        refusal = _invite_refusal(runtime, request.body["invite"], self._clock.now_ms())
        if refusal is None and request.author in state.ever_admitted:
            refusal = jm.Refusal.BAD_PROOF  # a membership key admits once (core rule)
        if refusal is not None:
            return jm.Refused(refusal)
        if not state.join_approval:
            if state.may_invite(runtime.me):
                # members may not admit in this circle (the core would refuse our ADD_MEMBER)
                return jm.Refused(jm.Refusal.APPROVAL_REQUIRED)
            return None
        return self._queue_or_refuse(runtime, request, signed)

    def _answer_to_queued(self, runtime: CircleRuntime, joiner: bytes) -> jm.Frame | None:
        """The answer for a key that asked here before, if its request decides it."""
        queued = self._store.queued_for(runtime.circle_id, joiner)
        if queued is None:
            return None
        if queued.state is RequestState.REJECTED:
            return jm.Refused(jm.Refusal.REJECTED)
        if queued.state is not RequestState.WAITING or not runtime.state.join_approval:
            return None
        if not runtime.state.is_facilitator(runtime.me):
            return jm.Refused(jm.Refusal.APPROVAL_REQUIRED)
        return jm.Pending(runtime.state.name)

    def _queue_or_refuse(self, runtime: CircleRuntime, request: Event, signed: bytes) -> jm.Frame:
        if not runtime.state.is_facilitator(runtime.me):
            return jm.Refused(jm.Refusal.APPROVAL_REQUIRED)
        if len(self._store.waiting_requests(runtime.circle_id)) >= MAX_WAITING_REQUESTS:
            return jm.Refused(jm.Refusal.BUSY)
        self._queue(runtime, request, signed)
        return jm.Pending(runtime.state.name)

    def _queue(self, runtime: CircleRuntime, request: Event, signed: bytes) -> None:
        queued = QueuedRequest(
            circle=runtime.circle_id,
            id=verify_signed(signed).id,
            joiner=request.author,
            request=signed,
            name=request.body["member_name"],
            received_at=self._clock.now_ms(),
        )
        self._store.queue_request(queued)
        self._emit(JoinRequestArrived(runtime.circle_id.hex(), queued.id.hex(), queued.name))

    async def _admit(
        self, stream: FramedStream, runtime: CircleRuntime, request: Event, signed: bytes
    ) -> None:
        previous_keys = runtime.current_keys()
        admitted = self._log.author(runtime, EventType.ADD_MEMBER, {"request": signed})
        accepted = self._log.store(runtime, [admitted])
        if not accepted:
            await stream.send(jm.encode_frame(jm.Refused(jm.Refusal.BAD_PROOF)))
            return
        queued = self._store.queued_for(runtime.circle_id, request.author)
        if queued is not None:
            # it waited while join approval was on; approval is off now
            self._store.set_request_state(runtime.circle_id, queued.id, RequestState.APPROVED)
        await self._publish_admission(runtime, admitted, previous_keys)
        await self._send_log(stream, runtime)
        self._member_joined(runtime, request.author)

    async def _send_log(self, stream: FramedStream, runtime: CircleRuntime) -> None:
        """The control log (no earlier messages: a newcomer reads from their admission on)."""
        control = [
            e.signed
            for e in self._circles.control_events_in_order(runtime.circle_id)
            if e.id not in runtime.refused
        ]
        for start in range(0, max(len(control), 1), jm.MAX_EVENTS_PER_FRAME):
            batch = tuple(control[start : start + jm.MAX_EVENTS_PER_FRAME])
            more = start + jm.MAX_EVENTS_PER_FRAME < len(control)
            await stream.send(jm.encode_frame(jm.Events(batch, more)))


def _secrets_for_me(runtime: CircleRuntime, events: list[VerifiedEvent]) -> list[bytes]:
    """The epoch secrets sealed to us in the accepted KEY_ROTATEs of a joiner's first log."""
    secrets = []
    for verified in events:
        if verified.event.type is EventType.KEY_ROTATE and verified.id not in runtime.refused:
            secret = runtime.open_rotation(verified.event)
            if secret is not None:
                secrets.append(secret)
    return secrets


def _invite_refusal(runtime: CircleRuntime, invite_key: bytes, now_ms: int) -> jm.Refusal | None:
    invite = runtime.state.invites.get(invite_key)
    if invite is None:
        return jm.Refusal.UNKNOWN_INVITE
    if invite.revoked:
        return jm.Refusal.REVOKED
    if now_ms >= invite.expires_ms:
        return jm.Refusal.EXPIRED
    if invite.uses >= invite.max_uses:
        return jm.Refusal.USED_UP
    return None


def _circle_id(circle_hex: str) -> bytes:
    try:
        return bytes.fromhex(circle_hex)
    except ValueError:
        raise CommandError(Refusal.NOT_A_CIRCLE_ID, text=circle_hex) from None


def _peer_of(waiting: WaitingJoin) -> str | None:
    try:
        return decode_invite(waiting.code).peer_id
    except InvalidInviteCode:
        return None
