"""Circles inside the engine: create, invite, join, send, receive, list.

Everything here runs in the engine's trio thread. Events are stored before anything is
published; what arrives from the network is verified, stored in one transaction per
batch and resolved before the fronts hear of it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import nacl.public
import nacl.signing
import nacl.utils
import trio

from peerapp.core import invite_policy, mailbox_messages, sync_messages
from peerapp.core import join_messages as jm
from peerapp.core.api.refusals import Refusal, rule_refusal
from peerapp.core.circle_events import (
    CIRCLE_ID_BYTES,
    EventType,
)
from peerapp.core.errors import CommandError, StorageFull
from peerapp.core.events import (
    CirclesChanged,
    CircleView,
    EngineEvent,
    MemberJoined,
    MemberView,
    MessageView,
)
from peerapp.core.invite_code import InviteCode, encode_invite
from peerapp.core.network_mode import ASLEEP_CIRCLE, ASLEEP_REFUSAL, NetworkMode
from peerapp.core.quotas import DEFAULT_RULES, QuotaRules
from peerapp.core.resolution import CONCURRENCY_TYPES
from peerapp.crypto.invite_keys import invite_public_key, new_invite_seed
from peerapp.engine.circle_join import JoinOutcome
from peerapp.engine.circle_parts import Surroundings, build_parts
from peerapp.engine.circle_runtime import (
    CircleRuntime,
    decoded,
)
from peerapp.engine.context import EngineContext
from peerapp.engine.founding import found_circle
from peerapp.engine.reach import Reach
from peerapp.network.admission import JOINING_SECONDS
from peerapp.network.framed import FramedStream
from peerapp.network.host import NetworkNode
from peerapp.network.pubsub import PUBSUB_PROTOCOLS, PubsubMessage
from peerapp.storage.circle_store import StoredEvent, StoredInvite
from peerapp.storage.database import Database
from peerapp.storage.network_identity_store import NetworkIdentityStore

log = logging.getLogger(__name__)

Emit = Callable[[EngineEvent], None]

MAX_CIRCLE_NAME_CHARS = 64
INBOX_SIZE = 4096
# scheduler rounds bulk work lets a waiting command run before its next step
GIVE_WAY_ROUNDS = 20
DISK_FULL_RETRY_SECONDS = 30  # a standing loop that met a full disk starts over then
SIGNAL_TIMEOUT_SECONDS = 1.0  # a typing signal not out by then is not worth sending


class PublishUnreachable(Exception):
    """A topic's circle has no open host (its events stay stored and go by sync)."""


class CircleService:
    def __init__(
        self,
        database: Database,
        context: EngineContext,
        quota_rules: QuotaRules = DEFAULT_RULES,
        *,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        """`context`: the engine's one clock and emit and the run's timings
        (engine/context.py), handed on to the parts with this service's spawn.
        `busy`: whether a command waits to be answered; bulk work (a large batch, a log
        loaded for resolution) gives way to it between steps."""
        # the parts spawn into this run's nursery (no-op until it runs)
        self.context = replace(context, spawn=self._start)
        self.clock = context.clock
        emit = context.emit
        self._identities = NetworkIdentityStore(database)
        self._busy = busy
        # peers that proved an invite here lately (peer id -> monotonic end): a removed
        # member asking to come back is one of them, and the removal's delayed
        # disconnects must not cut its join (disconnect_unless_member)
        self._joining: dict[str, float] = {}
        self._emit = emit
        self._reach: Reach | None = None
        self._nursery: trio.Nursery | None = None
        self._inbox_send, self._inbox_receive = trio.open_memory_channel[PubsubMessage](INBOX_SIZE)
        self.dropped: dict[str, int] = {}
        # the parts, wired to each other in one place (engine/circle_parts.py)
        parts = build_parts(
            database,
            self.context,
            Surroundings(
                count=self._count,
                give_way=self._give_way,
                subscribe_at=self.node_for,
                node=self.node_for,
                reachable=lambda circle: self.node_for(circle) is not None,
                reach=lambda: self._reach,
                mode_of=self.circle_mode,
                online=self._online_peers,
                access_changed=self.access_changed,
                disconnect_unless_member=self.disconnect_unless_member,
                forget=self.forget,
                set_aside_for_rejoin=self.set_aside,
                proof_judged=self.proof_judged,
                member_joined=self.member_joined,
                circle_view=self._circle_view,
                row=self.circle_view,
            ),
            quota_rules,
        )
        self.store = parts.store
        self.runtimes = parts.runtimes
        self.topics = parts.topics
        self.outbox = parts.outbox
        self.log = parts.log
        self.late = parts.late
        self._sync = parts.sync
        self.keys = parts.keys
        self.moderation = parts.moderation
        self.reconnects = parts.reconnects
        self.safety = parts.safety
        self.boundaries = parts.boundaries
        self.messages = parts.messages
        self.content = parts.content
        self.message_changes = parts.message_changes
        self.circle_changes = parts.circle_changes
        self.member_views_of = parts.members_of
        self.attachments = parts.attachments
        self.joins = parts.joins
        self.ingest = parts.ingest
        self.disk_usage = parts.disk_usage
        self.search = parts.search
        self.mailbox = parts.mailbox
        self.private = parts.private
        self.membership = parts.membership
        self.typing = parts.typing
        self.typing.publish = self._publish_signal

    # -- start-up -----------------------------------------------------------------

    def configure(self, node: NetworkNode) -> None:
        """Equip a host (the profile's one, or a membership's in Tor mode): who may use
        which protocol, which pubsub messages are authentic, Hearth's stream protocols."""
        local = node.peer_id
        node.set_gate(lambda peer_id, protocol: self._allow(peer_id, protocol, local))
        node.set_validator(self._authentic)
        node.set_stream_handler(jm.PROTOCOL, self._guarded(self.joins.serve))
        node.set_stream_handler(sync_messages.PROTOCOL, self._guarded(self._sync.serve))
        node.set_stream_handler(mailbox_messages.PROTOCOL, self._guarded(self.mailbox.serve))

    @property
    def reach(self) -> Reach:
        if self._reach is None:
            raise CommandError(Refusal.NETWORK_NOT_RUNNING)
        return self._reach

    def node_for(self, circle: bytes) -> NetworkNode | None:
        """The host a membership is reached at; None when the network is not running or
        the circle belongs to the other network mode (it sleeps: stored, never sent)."""
        if self._reach is None or self.circle_mode(circle) is not self._reach.mode:
            return None
        return self._reach.node_for(circle)

    def circle_mode(self, circle: bytes) -> NetworkMode:
        """A membership's network mode: Tor when it has an onion service of its own."""
        identity = self._identities.find(circle)
        if identity is not None and identity.onion_address is not None:
            return NetworkMode.TOR
        return NetworkMode.DIRECT

    def _asleep(self, mode: NetworkMode) -> str:
        """Why a circle of `mode` sleeps in this run; "" when this run reaches it."""
        if self._reach is None or mode is self._reach.mode:
            return ""
        return ASLEEP_CIRCLE[mode]

    def _forget_orphan_identities(self) -> None:
        """Network identities of no membership and no waiting join: a circle being founded
        when the app stopped, an invite previewed but not used. Erased at start."""
        kept = {membership.circle_id for membership in self.store.memberships()}
        kept |= self.joins.waiting_circles()
        for circle in self._identities.circles():
            if circle not in kept:
                self._identities.forget(circle)

    async def open_membership(self, circle: bytes) -> NetworkNode:
        """The host to make or join a circle at (Tor mode: its own, opened now)."""
        return await self.reach.open(circle)

    async def run(self, reach: Reach, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        """Load circles, open their hosts, subscribe, serve the pubsub inbox. The hosts
        come equipped by `configure` (the reach calls it for each one it opens)."""
        self._reach = reach
        self._forget_orphan_identities()
        left = self.store.left_circles()
        for membership in self.store.memberships():
            runtime = CircleRuntime.for_membership(
                membership,
                self.store.epoch_secrets(membership.circle_id),
                self.store.former_keys(membership.circle_id),
            )
            runtime.left = membership.circle_id in left
            self.keys.load(runtime)
            self._load_from_store(runtime)
            self.message_changes.remember(runtime)
            self.runtimes.add(runtime)
            await self.reconnects.open_host(runtime)
            # grace periods do not outlive a run: only the current epoch's secret stays
            try:
                await self.moderation.retire_epochs(runtime)
            except StorageFull:
                self._count("disk_full")  # a full disk never stops the engine starting
            await self.topics.sync(runtime)
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            self.outbox.attach(nursery, self._publish_on_topic)
            self.late.attach()
            for runtime in self.runtimes.all():
                if runtime.left:
                    leave = self.store.last_lamport_by(runtime.circle_id, runtime.me)
                    self._start(self.moderation.forget_when_delivered, runtime, leave)
                self._start(self.reconnects.reconnect, runtime)
                self._start(self.boundaries.settle_status, runtime)
            self._sync.attach(nursery)
            self.mailbox.attach(nursery)
            standing = [
                self._sync.run_periodically,
                self.attachments.run_periodically,
                self.late.run,
                self.mailbox.run_periodically,
                self.joins.run,
                # at start too: keys that aged while we were away, epochs left to repair
                self.keys.run_periodically,
            ]
            if reach.mode is NetworkMode.TOR:
                standing.append(self.reconnects.redial_periodically)
            for loop in standing:
                nursery.start_soon(self._resilient, loop)
            task_status.started()
            async for message in self._inbox_receive:
                if self.typing.is_signal(message):
                    self.typing.receive(message)
                else:
                    await self.ingest.receive(message)

    def _authentic(self, message: PubsubMessage) -> bool:
        """The GossipSub validator: a typing signal's, or the events' (ingest)."""
        if self.typing.is_signal(message):
            return self.typing.authentic(message)
        return self.ingest.authentic(message)

    async def _publish_signal(self, topic: str, data: bytes) -> None:
        """A typing signal, published at once (no outbox: it is not an event); a member
        slow to drain is not waited for."""
        await self._publish_on_topic(topic, data, SIGNAL_TIMEOUT_SECONDS, False)

    async def _publish_on_topic(
        self, topic: str, data: bytes, timeout: float, send_when_stalled: bool
    ) -> None:
        """The outbox's publish: on the host of the circle the topic belongs to."""
        known = self.topics.get(topic)
        node = None if known is None else self.node_for(known[0])
        if node is None:
            raise PublishUnreachable("the circle's host is not open")
        await node.publish(topic, data, timeout, send_when_stalled)

    def _guarded(
        self, handler: Callable[[FramedStream], Awaitable[None]]
    ) -> Callable[[FramedStream], Awaitable[None]]:
        """A stream handler whose writes meeting a full disk end the stream, not the engine."""

        async def serve(stream: FramedStream) -> None:
            try:
                await handler(stream)
            except StorageFull:
                self._count("disk_full")

        return serve

    def on_pubsub(self, message: PubsubMessage) -> None:
        """Called by the network for each message on a subscribed topic."""
        try:
            self._inbox_send.send_nowait(message)
        except trio.WouldBlock:
            self._count("inbox_full")

    def _count(self, what: str) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + 1

    @property
    def resolutions(self) -> dict[str, int]:
        """Late-event resolutions by kind (engine/late_events.py), for `status`."""
        return self.late.resolutions

    def _start(self, task: Callable[..., Awaitable[None]], *args: Any) -> None:
        """Run `task` in the background of this run (no-op before the run started); a
        write of its meeting a full disk ends it, counted, never the engine."""
        if self._nursery is not None:
            self._nursery.start_soon(self._disk_guarded, task, *args)

    async def _disk_guarded(self, task: Callable[..., Awaitable[None]], *args: Any) -> None:
        try:
            await task(*args)
        except StorageFull:
            self._count("disk_full")

    async def _resilient(self, loop: Callable[[], Awaitable[None]]) -> None:
        """One of the engine's standing loops (sync, resolver, mailbox, joins, keys): a
        write meeting a full disk is counted and the loop starts over a little later."""
        while True:
            try:
                await loop()
                return
            except StorageFull:
                self._count("disk_full")
                await trio.sleep(DISK_FULL_RETRY_SECONDS)

    def forget(self, runtime: CircleRuntime) -> None:
        """Erase a circle we left (or were removed from and chose to forget): runtime,
        topics and everything stored, and close its host (Tor mode)."""
        if self.runtimes.remove(runtime.circle_id) is None:
            return
        self.topics.drop(runtime.circle_id)
        self.store.forget_circle(runtime.circle_id)
        self._start(self._close_host, runtime.circle_id)
        self._emit(CirclesChanged())

    def set_aside(self, runtime: CircleRuntime) -> None:
        """A rejoin: the former (read-only) copy leaves memory; its stored history stays
        and so does its host (we asked to join at it with the new invite)."""
        if self.runtimes.remove(runtime.circle_id) is not None:
            self.topics.drop(runtime.circle_id)

    async def disconnect_unless_member(self, peer_id: str, opened_before: float) -> None:
        """Close our connections to a peer that no longer shares a circle with us (at any
        host: in Tor mode, each host's peers are its own circle's). A removal closes its
        peer's connections a while after it (the notice's time, or once it synced up to
        its removal); by then the same peer may be back asking to join with a new
        invite (direct mode keeps one peer id for the profile, Tor mode the
        membership's): a peer that proved an invite within JOINING_SECONDS is kept, its
        join (or preview) is not cut, and the gate already keeps it from anything else.
        Only connections opened before `opened_before` (trio's clock: the removal, or the
        former member's sync) close: one the peer opened since is a stranger's, the
        stranger budget's to keep or drop."""
        if self._joining.get(peer_id, 0.0) > self.clock.monotonic():
            self._count("joiner_kept")
            return
        for node in self._nodes():
            if self._shares_circle(peer_id, node.peer_id):
                continue
            try:
                await node.disconnect(peer_id, opened_before)
            except Exception as error:  # closing an already broken connection may fail
                log.debug("disconnect failed: %s", type(error).__name__)

    async def _close_host(self, circle: bytes) -> None:
        if self._reach is not None:
            await self._reach.close(circle, forget=False)  # its identity went with the circle

    def _nodes(self) -> list[NetworkNode]:
        return [] if self._reach is None else self._reach.nodes()

    def _node_or_fail(self, circle: bytes) -> NetworkNode:
        node = self.node_for(circle)
        if node is None:
            asleep = self._asleep(self.circle_mode(circle))
            if asleep:
                raise CommandError(ASLEEP_REFUSAL[self.circle_mode(circle)])
            raise CommandError(Refusal.NETWORK_NOT_RUNNING)
        return node

    def _allow(self, peer_id: str, protocol: str, local: str) -> bool:
        """Strangers may only ask to join (within the network's stranger budget); GossipSub
        and Hearth's other protocols are for members only (a peer allowed GossipSub is a
        member to the network layer), except that a former member may still sync up to
        its removal (circle_sync). Only the circles reached at `local`, the peer id the
        peer reached us at, count (CircleRuntime.reached_at)."""
        if protocol == jm.PROTOCOL:
            return True
        if protocol in PUBSUB_PROTOCOLS:
            return self._shares_circle(peer_id, local)
        if protocol == sync_messages.PROTOCOL and self._was_member(peer_id, local):
            return True
        return self._shares_circle(peer_id, local)

    def _reached_at(self, local: str) -> list[CircleRuntime]:
        return [runtime for runtime in self.runtimes.all() if runtime.reached_at(local)]

    def _was_member(self, peer_id: str, local: str) -> bool:
        """A former member, or a joiner whose admission the log refused: either may still
        sync what tells it so."""
        return any(
            peer_id in runtime.state.peers.values() or peer_id in runtime.refused_joiners
            for runtime in self._reached_at(local)
        )

    def _shares_circle(self, peer_id: str, local: str) -> bool:
        """Whether the peer is a member of a circle we hold (left ones included, while
        we still serve them), among those reached at `local`."""
        return any(
            member.peer == peer_id
            for runtime in self._reached_at(local)
            for member in runtime.state.members.values()
        )

    # -- looking things up ----------------------------------------------------------

    def _online_peers(self) -> set[str]:
        return {peer for node in self._nodes() for peer in node.connected_peers()}

    def circle_views(self) -> list[CircleView]:
        unread = {m.circle_id: m.unread for m in self.store.memberships()}
        return [
            self._view_of(runtime, unread.get(runtime.circle_id, 0))
            for runtime in self.runtimes.active()
        ]

    def circle_view(self, runtime: CircleRuntime) -> CircleView | None:
        """One circle's row as `circles` lists it; None when it is not listed."""
        if runtime.left or self.runtimes.by_id().get(runtime.circle_id) is not runtime:
            return None
        return self._view_of(runtime, self.store.unread(runtime.circle_id))

    def _view_of(self, runtime: CircleRuntime, unread: int) -> CircleView:
        circle_id = runtime.circle_id
        mode = self.circle_mode(circle_id)
        return CircleView(
            id=circle_id.hex(),
            name=runtime.state.name or runtime.membership.name,
            members=len(runtime.state.members),
            unread=unread,
            quiet=self.boundaries.is_silenced(circle_id),
            on_break=self.boundaries.on_break(circle_id),
            network=mode.value,
            asleep=self._asleep(mode),
            # 0 and 0 unless we facilitate: members never see what waits for care
            care_flags=self.mailbox.open_flag_count(runtime),
            to_review=self._to_review(runtime),
            last_message=self.messages.latest(runtime),
        )

    def _to_review(self, runtime: CircleRuntime) -> int:
        if not runtime.state.is_facilitator(runtime.me):
            return 0
        # messages hidden pending review, and open reports (issue 14: reports had no place)
        pending = len(self.safety.pending_review(runtime.circle_id.hex()))
        return pending + self.mailbox.open_report_count(runtime)

    def _circle_view(self, runtime: CircleRuntime) -> CircleView:
        view = self.circle_view(runtime)
        assert view is not None, "a circle just made or joined is listed"
        return view

    def member_views(self, circle_hex: str) -> list[MemberView]:
        return self.member_views_of(self.runtimes.require(circle_hex))

    def sync_status(self, circle_hex: str) -> dict[str, Any]:
        runtime = self.runtimes.require(circle_hex)
        online = self._online_peers()
        syncs = self.store.member_syncs(runtime.circle_id)
        return {
            "events": self.store.event_count(runtime.circle_id),
            "heads": [h.hex() for h in self.store.heads(runtime.circle_id)],
            "held_back": len(runtime.held),
            "late_waiting": len(runtime.pending),
            "peers": [
                {
                    "id": member.key.hex(),
                    "name": member.name,
                    "peer": member.peer,
                    "online": member.peer in online,
                    "last_sync": syncs[member.key].last_sync if member.key in syncs else None,
                }
                for member in runtime.state.members.values()
                if member.key != runtime.me
            ],
        }

    def history(self, circle_hex: str, limit: int | None, before: str | None) -> list[MessageView]:
        return self.messages.history(circle_hex, limit, before)

    def mark_read(self, circle_hex: str) -> None:
        self.messages.mark_read(circle_hex)

    # -- commands ---------------------------------------------------------------------

    async def create_circle(self, name: str, guidelines: str, member_name: str) -> CircleView:
        name = name.strip()
        if not name:
            raise CommandError(Refusal.CIRCLE_NEEDS_NAME)
        if len(name) > MAX_CIRCLE_NAME_CHARS:
            raise CommandError(Refusal.CIRCLE_NAME_TOO_LONG, limit=str(MAX_CIRCLE_NAME_CHARS))
        # the circle id is the hash of its genesis, which names the founder's peer id and
        # addresses: the host (Tor mode: the membership's own) is opened under a
        # provisional id first, renamed once the id is known
        provisional = nacl.utils.random(CIRCLE_ID_BYTES)
        node = await self.reach.open(provisional)
        try:
            return await self._found(node, provisional, name, guidelines, member_name)
        except BaseException:
            await self.reach.close(provisional, forget=True)
            raise

    async def _found(
        self, node: NetworkNode, provisional: bytes, name: str, guidelines: str, member_name: str
    ) -> CircleView:
        runtime = found_circle(
            name=name,
            guidelines=guidelines,
            member_name=member_name,
            peer=node.peer_id,
            addrs=node.dialable_addrs()[:8],
            clock=self.clock,
            store=self.store,
            runtimes=self.runtimes,
            log=self.log,
            named=lambda circle_id: self.reach.rename(provisional, circle_id),
        )
        await self.topics.sync(runtime)
        await self.boundaries.settle_status(runtime)
        self._emit(CirclesChanged())
        return self._circle_view(runtime)

    async def invite(self, circle_hex: str, max_uses: int | None, expires_in: int | None) -> str:
        runtime = self.runtimes.require(circle_hex)
        node = self._node_or_fail(runtime.circle_id)
        approval = runtime.state.join_approval
        if why_not := runtime.state.may_invite(runtime.me):
            refusal, detail = rule_refusal(why_not)
            raise CommandError(refusal, **detail)
        # with approval on, one code can serve a group: each use still needs a yes
        uses = invite_policy.default_uses(approval) if max_uses is None else max_uses
        seconds = invite_policy.DEFAULT_SECONDS if expires_in is None else expires_in
        if not invite_policy.MIN_USES <= uses <= invite_policy.MAX_USES:
            raise CommandError(
                Refusal.OUT_OF_RANGE,
                argument="max_uses",
                low=str(invite_policy.MIN_USES),
                high=str(invite_policy.MAX_USES),
            )
        if not invite_policy.MIN_SECONDS <= seconds <= invite_policy.MAX_SECONDS:
            raise CommandError(
                Refusal.OUT_OF_RANGE_SECONDS,
                argument="expires_in",
                low=str(invite_policy.MIN_SECONDS),
                high=str(invite_policy.MAX_SECONDS),
            )
        seed = new_invite_seed()
        now = int(self.clock.wall())
        expires = now + seconds
        created = self.log.author(
            runtime,
            EventType.INVITE_CREATE,
            {"invite": invite_public_key(seed), "max_uses": uses, "expires": expires * 1000},
        )
        self.log.commit(runtime, [created])
        code = encode_invite(
            InviteCode(
                circle_id=runtime.circle_id,
                seed=seed,
                peer_id=node.peer_id,
                addrs=tuple(_invite_addrs(node.dialable_addrs(), node.peer_id)),
                expires=expires,
            )
        )
        self.store.add_invite(
            runtime.circle_id,
            invite_public_key(seed),
            seed,
            StoredInvite(invite_public_key(seed), code, uses, expires, now),
        )
        # waited for, as before the write path was shared: the other members hold the invite
        # by the time its code is handed out (another facilitator may list or revoke it)
        await self.log.publish(runtime, [created]).wait()
        return code

    async def send(self, circle_hex: str, text: str, cw: str | None = None) -> MessageView:
        return await self.messages.send(circle_hex, text, cw)

    async def join(self, code_text: str, member_name: str) -> JoinOutcome:
        return await self.joins.join(code_text, member_name)

    # -- receiving ------------------------------------------------------------------

    def access_changed(self) -> None:
        """Membership changed: the network acts on the gate's new answers now (pubsub to
        a new member opens, to a removed one closes) rather than at its next check."""
        for node in self._nodes():
            node.gate_changed()

    def proof_judged(self, peer_id: str, proven: bool) -> None:
        """A stranger proved an invite's seed (it may stay connected while it joins), or
        failed to (its connections close now)."""
        now = self.clock.monotonic()
        self._joining = {peer: end for peer, end in self._joining.items() if end > now}
        if proven:
            self._joining[peer_id] = now + JOINING_SECONDS
        else:
            self._joining.pop(peer_id, None)
        for node in self._nodes():
            if peer_id in node.connected_peers():
                if proven:
                    node.vouch(peer_id)
                else:
                    node.distrust(peer_id)

    async def _give_way(self) -> None:
        """Yield to the scheduler, and while a command waits, let it run first: up to
        GIVE_WAY_ROUNDS scheduler rounds (a command takes a few; one waiting on the
        network does not hold bulk work back for long, nor does a stream of them)."""
        await trio.sleep(0)
        for _ in range(GIVE_WAY_ROUNDS):
            if not self._busy():
                return
            await trio.sleep(0)

    def _load_from_store(self, runtime: CircleRuntime) -> None:
        """Start-up: messages were resolved when they arrived and their verdicts are stored;
        replaying only the control events rebuilds the state in a fraction of the time.
        Two rules need the messages too: slow mode (each member's last message time) and
        removals (the causal past runs through messages); circles that ever used them are
        resolved whole, as are circles whose late events were still waiting for it."""
        circle_id = runtime.circle_id
        control = self.store.control_events_in_order(circle_id)
        if self.store.unresolved(circle_id) or any(_needs_whole_log(s) for s in control):
            self.log.resolve_from_store(runtime, announce=False)
        else:
            runtime.resolve_all(control)
        runtime.resume(self.store.last_seqs(circle_id), self.store.last_order_key(circle_id))

    def member_joined(self, runtime: CircleRuntime, key: bytes) -> None:
        """Tell the fronts of a new member, and the network gate (pubsub to it opens)."""
        member = runtime.member(key)
        if member is None:
            return
        # its join ended: a later removal's disconnects are no longer a join's to spare
        self._joining.pop(member.peer, None)
        online = member.peer in self._online_peers()
        view = MemberView(member.key.hex(), member.name, member.role.value, online)
        self.access_changed()
        self._emit(MemberJoined(runtime.circle_id.hex(), view))
        # its row (the member count), the members and the settings, each with its view
        self.circle_changes.member_joined(runtime)

    def on_peer_connected(self, peer_id: str) -> None:
        self._sync.on_peer_connected(peer_id)
        self.attachments.on_peer_connected(peer_id)
        self.mailbox.on_peer_connected(peer_id)
        self.joins.on_peer_connected(peer_id)

    # -- topics and connections -----------------------------------------------------

    def reconnect_soon(self) -> None:
        """Tor became ready: dial every member not connected, now and in a short series."""
        self.reconnects.reconnect_soon()


def _needs_whole_log(stored: StoredEvent) -> bool:
    if stored.type in CONCURRENCY_TYPES:
        return True
    return stored.type is EventType.SETTINGS and decoded(stored).body["slow_mode_seconds"] > 0


def _invite_addrs(dialable: list[str], peer_id: str) -> list[str]:
    """Up to 3 addresses for an invite, LAN/public before loopback, without /p2p/."""
    suffix = f"/p2p/{peer_id}"
    bare = [a[: -len(suffix)] if a.endswith(suffix) else a for a in dialable]
    ordered = [a for a in bare if "/127.0.0.1/" not in a and "/::1/" not in a] + [
        a for a in bare if "/127.0.0.1/" in a or "/::1/" in a
    ]
    return ordered[:3]
