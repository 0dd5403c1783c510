"""One member's engine parts wired as CircleService wires them, without a host: a real
SQLCipher database, the engine's FakeClock, and recorders where the service would reach
the network or the fronts (emit, spawn, the outbox's publish, the gate, forget).

The features under test (moderation, safety, boundaries, joins, receiving keys) get the
very interfaces the service gives them (engine/circle_log.py, engine/runtimes.py), so a
feature is tested alone: no socket, no libp2p, no other member's app. Another member is
a second `Member`; what one publishes the other stores with `receive`, as the circle
service's ingest does (verify, then the same `CircleLog.store`); `Member.ingest` is the
service's very ingest part (engine/ingest.py), for tests of ingest itself."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import nacl.public
import nacl.signing
import trio
from trio.testing import MockClock, wait_all_tasks_blocked

from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.events import EngineEvent, MemberJoined, MemberView, MessageView
from peerapp.core.invite_code import InviteCode
from peerapp.core.quotas import DEFAULT_RULES, QuotaRules
from peerapp.crypto import envelope
from peerapp.crypto.epoch import EpochKeys
from peerapp.crypto.invite_keys import invite_public_key, new_invite_seed
from peerapp.crypto.signing import verify_signed
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.circle_changes import CircleChanges
from peerapp.engine.circle_join import JoinService
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime, new_membership, to_stored
from peerapp.engine.clock import FakeClock
from peerapp.engine.context import EngineContext
from peerapp.engine.founding import found_circle
from peerapp.engine.ingest import Ingest
from peerapp.engine.join_client import request_admission, signed_join_request
from peerapp.engine.late_events import LateEvents
from peerapp.engine.member_views import member_views
from peerapp.engine.message_changes import MessageChanges
from peerapp.engine.messages import Messages
from peerapp.engine.moderation import Moderation
from peerapp.engine.outbox import Outbox
from peerapp.engine.reach import Reach
from peerapp.engine.receiving_keys import ReceivingKeys
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.safety import Safety
from peerapp.engine.topics import CircleTopics
from peerapp.network.framed import FramedStream
from peerapp.network.host import NetworkNode
from peerapp.network.memory_streams import memory_stream_pair
from peerapp.storage.boundaries_store import BoundariesStore
from peerapp.storage.circle_store import CircleStore, StoredEvent
from peerapp.storage.database import Database
from peerapp.storage.exchange_key_store import ExchangeKeyStore

KEY = bytes(range(32))  # a throwaway database key (no profile, no KDF)
ADDRS = ["/ip4/127.0.0.1/tcp/4001"]


def peer_id(name: str) -> str:
    return f"12D3KooW{name}"


@dataclass(frozen=True)
class Published:
    """One pubsub message the outbox handed to the network: its topic and the signed
    events inside the envelope."""

    topic: str
    signed: list[bytes]


@dataclass
class Recorded:
    emitted: list[EngineEvent] = field(default_factory=list)
    spawned: list[str] = field(default_factory=list)  # the tasks' names
    published: list[Published] = field(default_factory=list)
    counted: list[str] = field(default_factory=list)
    retired_later: list[bytes] = field(default_factory=list)  # circle ids
    access_changes: int = 0
    forgotten: list[bytes] = field(default_factory=list)
    proofs: list[tuple[str, bool]] = field(default_factory=list)
    sent_bodies: list[dict[str, Any]] = field(default_factory=list)
    # deferred events the background resolver found accepted, and when it did
    decided: list[StoredEvent] = field(default_factory=list)
    decided_event: trio.Event = field(default_factory=trio.Event)
    # sync pulls ingest asked for (circle id, peer), and members it announced joined
    pulls: list[tuple[bytes, str]] = field(default_factory=list)

    def events(self, kind: type[EngineEvent]) -> list[EngineEvent]:
        return [event for event in self.emitted if isinstance(event, kind)]


class Subscriptions:
    """Stands in for the host CircleTopics subscribes at: the topics, recorded."""

    def __init__(self) -> None:
        self.topics: set[str] = set()

    async def subscribe(self, topic: str) -> None:
        self.topics.add(topic)

    async def unsubscribe(self, topic: str) -> None:
        self.topics.discard(topic)


def _no_network() -> Reach:
    raise CommandError(Refusal.NETWORK_NOT_RUNNING)


class Member:
    """One profile's parts. `nursery` runs the outbox's drain (publishing is real up to
    the network, which a recorder stands in for)."""

    def __init__(
        self,
        folder: Path,
        name: str,
        clock: FakeClock,
        nursery: trio.Nursery,
        quota_rules: QuotaRules = DEFAULT_RULES,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.peer = peer_id(name)
        self.clock = clock
        self.record = Recorded()
        self.online_peers: set[str] = set()  # the peers ingest sees connected
        self.database = Database.open(folder / "hearth.db", KEY, create=True)
        self.store = CircleStore(self.database)
        self.runtimes = CircleRuntimes()
        self.subscriptions = Subscriptions()
        # the host's subscriptions, recorded (so ingest knows our topics)
        self.topics = CircleTopics(lambda circle: cast(NetworkNode, self.subscriptions))
        self.outbox = Outbox()
        self.outbox.attach(nursery, self._publish)
        emit = self.record.emitted.append
        self.log = CircleLog(
            self.store,
            clock=clock,
            emit=emit,
            outbox=self.outbox,
            reachable=lambda circle: True,
            count=self.record.counted.append,
            fresh_key=lambda runtime: self.keys.fresh_key(runtime),  # noqa: PLW0108 (made below)
            # judged at once unless a test attaches the resolver (self.late)
            defer=lambda runtime: self.late.hand(runtime),  # noqa: PLW0108 (made below)
            decided=lambda runtime, decided: None,
        )
        self.late = LateEvents(
            self.store,
            runtimes=self.runtimes,
            log=self.log,
            emit=emit,
            count=self.record.counted.append,
            give_way=trio.lowlevel.checkpoint,
            decided=self._decided,
        )
        self.context = EngineContext(clock, emit, spawn=self._spawn)
        self.keys = ReceivingKeys(
            ExchangeKeyStore(self.database),
            self.store,
            runtimes=self.runtimes,
            log=self.log,
            topics=self.topics,
            context=self.context,
            count=self.record.counted.append,
            retire_later=lambda runtime: self.record.retired_later.append(runtime.circle_id),
        )
        self.moderation = Moderation(
            self.store,
            runtimes=self.runtimes,
            log=self.log,
            topics=self.topics,
            context=self.context,
            access_changed=self._access_changed,
            disconnect_unless_member=self._disconnect,
            forget=lambda runtime: self.record.forgotten.append(runtime.circle_id),
            discard_keys=self.keys.discard_all,
        )
        self.safety = Safety(
            self.store,
            runtimes=self.runtimes,
            moderation=self.moderation,
            send_body=self.send_body,
            emit=emit,
        )
        self.log.on_accepted(self.moderation.on_accepted)
        self.boundaries = Boundaries(
            BoundariesStore(self.database),
            runtimes=self.runtimes,
            context=self.context,
            announce_break=self.safety.announce_break,
        )
        self.messages = Messages(
            self.store,
            runtimes=self.runtimes,
            log=self.log,
            boundaries=self.boundaries,
            why_not_send=self.moderation.why_not_send,
            emit=emit,
        )
        self.message_changes = MessageChanges(
            self.store, view=self.messages.view, sees=self.boundaries.reader_sees, emit=emit
        )
        self.circle_changes = CircleChanges(
            members=lambda runtime: member_views(
                runtime,
                online=self.online_peers,
                is_blocked=self.boundaries.is_blocked,
                now=clock.now_ms(),
            ),
            info=self.moderation.info_of,
            row=lambda runtime: None,  # no list of circles here
            emit=emit,
        )
        self.log.on_accepted(self.message_changes.on_accepted)
        self.log.on_accepted(self.circle_changes.on_accepted)
        self.joins = JoinService(
            self.database,
            self.store,
            runtimes=self.runtimes,
            log=self.log,
            topics=self.topics,
            context=self.context,
            reach=_no_network,
            node=lambda circle: None,
            forget_for_rejoin=lambda runtime: self.record.forgotten.append(runtime.circle_id),
            proof_judged=lambda peer, proven: self.record.proofs.append((peer, proven)),
            member_joined=self._member_joined,
            retire_later=lambda runtime: self.record.retired_later.append(runtime.circle_id),
            reconnect=self._nothing,
            settle_status=self.boundaries.settle_status,
            repair_epoch=self.keys.repair_epoch,
            start_pull=lambda runtime, peer: None,
            circle_view=lambda runtime: _no_view(),
        )
        self.ingest = Ingest(
            self.store,
            runtimes=self.runtimes,
            log=self.log,
            topics=self.topics,
            boundaries=self.boundaries,
            context=self.context,
            count=self.record.counted.append,
            give_way=trio.lowlevel.checkpoint,
            online=lambda: self.online_peers,
            start_pull=lambda runtime, peer: self.record.pulls.append((runtime.circle_id, peer)),
            member_joined=self._member_joined,
            reconnect=self._nothing,
            message_view=self.messages.view,
            admission_lost=self._nothing,
            repair_epoch=self.keys.repair_epoch,
            quota_rules=quota_rules,
        )

    # -- the recorders --------------------------------------------------------------

    async def _publish(self, topic: str, data: bytes, timeout: float, stalled: bool) -> None:
        for runtime in self.runtimes.all():
            for keys in runtime.epochs.values():
                if keys.topic == topic:
                    signed = envelope.open_envelope(
                        data, [keys.message_key, keys.control_key], runtime.circle_id, keys.epoch_id
                    )
                    self.record.published.append(Published(topic, signed))
                    return
        raise AssertionError("published on a topic of no epoch we hold")

    async def _decided(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        self.record.decided.extend(accepted)
        self.record.decided_event.set()

    def _spawn(self, task: Callable[..., Awaitable[None]], *args: Any) -> None:
        self.record.spawned.append(getattr(task, "__name__", repr(task)))

    def _access_changed(self) -> None:
        self.record.access_changes += 1

    async def _disconnect(self, peer: str) -> None:
        return None

    async def _nothing(self, runtime: CircleRuntime) -> None:
        return None

    def _member_joined(self, runtime: CircleRuntime, key: bytes) -> None:
        member = runtime.member(key)
        assert member is not None
        view = MemberView(member.key.hex(), member.name, member.role.value, False)
        self.record.emitted.append(MemberJoined(runtime.circle_id.hex(), view))

    async def send_body(self, circle_hex: str, body: dict[str, Any]) -> MessageView:
        """Messages.send_body, with the body recorded (safety's check-ins come here)."""
        self.record.sent_bodies.append(body)
        return await self.messages.send_body(circle_hex, body)

    # -- acting as a member ---------------------------------------------------------

    def found(self, circle_name: str = "Evening circle") -> CircleRuntime:
        """A new circle with us as its founder (as CircleService founds one, without a host)."""
        return found_circle(
            name=circle_name,
            guidelines="Be kind.",
            member_name=self.name,
            peer=self.peer,
            addrs=ADDRS,
            clock=self.clock,
            store=self.store,
            runtimes=self.runtimes,
            log=self.log,
        )

    def invite(self, runtime: CircleRuntime, uses: int = 1, seconds: int = 3600) -> InviteCode:
        """An INVITE_CREATE of ours, committed, and its code (as CircleService.invite)."""
        seed = new_invite_seed()
        expires = int(self.clock.wall()) + seconds
        body = {"invite": invite_public_key(seed), "max_uses": uses, "expires": expires * 1000}
        self.log.commit(runtime, [self.log.author(runtime, EventType.INVITE_CREATE, body)])
        return InviteCode(runtime.circle_id, seed, self.peer, tuple(ADDRS), expires)

    def receive(self, runtime: CircleRuntime, signed: list[bytes]) -> list[StoredEvent]:
        """Events from another member, stored and resolved as ingest does."""
        return self.log.store(runtime, self.log.verify(runtime, signed))

    def close(self) -> None:
        self.database.close()


def joined_runtime(
    code: InviteCode,
    signing: nacl.signing.SigningKey,
    exchange: nacl.public.PrivateKey,
    signed_events: list[bytes],
) -> CircleRuntime:
    """The joiner's runtime from the log its admitter sent (resolved, its epoch opened)."""
    membership = new_membership(code.circle_id, "", signing, exchange, joined_at=0)
    runtime = CircleRuntime.for_membership(membership, {})
    verified = [verify_signed(signed) for signed in signed_events]
    runtime.resolve_all(sorted((to_stored(v) for v in verified), key=lambda s: (s.lamport, s.id)))
    for v in verified:
        if v.event.type is EventType.KEY_ROTATE:
            secret = runtime.open_rotation(v.event)
            if secret is not None:
                runtime.add_epoch_secret(secret)
    return runtime


def epoch_of(runtime: CircleRuntime) -> EpochKeys:
    keys = runtime.current_keys()
    assert keys is not None
    return keys


def _no_view() -> Any:
    raise AssertionError("no circle view in these tests")


@asynccontextmanager
async def circle_of(
    folder: Path, *names: str, quota_rules: QuotaRules = DEFAULT_RULES
) -> AsyncIterator[list[Member]]:
    """Members (one database each, one FakeClock for all) whose outboxes drain in a
    nursery that ends with the block."""
    clock = FakeClock()
    async with trio.open_nursery() as nursery:
        made = [Member(folder / name, name, clock, nursery, quota_rules) for name in names]
        try:
            yield made
        finally:
            nursery.cancel_scope.cancel()
            for member in made:
                member.close()


def run(test: Callable[[], Awaitable[None]]) -> None:
    """A test on trio's jumping clock (the outbox's pauses pass at once), bounded."""

    async def bounded() -> None:
        with trio.fail_after(60):
            await test()

    trio.run(bounded, clock=MockClock(autojump_threshold=0))


class MemberAt:
    """A StreamOpener (join_client) that reaches `member`'s join protocol in memory: each
    stream is served by its JoinService.serve, as a host's stream handler would."""

    def __init__(self, member: Member, nursery: trio.Nursery, joiner_peer: str) -> None:
        self._member = member
        self._nursery = nursery
        self._joiner_peer = joiner_peer

    async def open_stream(
        self, peer_id: str, protocol: str, addrs: list[str] | None = None
    ) -> FramedStream:
        asking, serving = memory_stream_pair(self._joiner_peer, self._member.peer, protocol)

        async def serve() -> None:
            try:
                await self._member.joins.serve(serving)
            finally:
                await serving.close()

        self._nursery.start_soon(serve)
        return asking


@dataclass
class Joiner:
    """Someone with an invite code: a membership key pair and a peer id."""

    code: InviteCode
    name: str = "Bee"
    signing: nacl.signing.SigningKey = field(default_factory=nacl.signing.SigningKey.generate)
    exchange: nacl.public.PrivateKey = field(default_factory=nacl.public.PrivateKey.generate)

    @property
    def peer(self) -> str:
        return peer_id(self.name)

    @property
    def key(self) -> bytes:
        return bytes(self.signing.verify_key)

    async def ask(self, member: Member, nursery: trio.Nursery) -> list[bytes]:
        """The join protocol's client (join_client.request_admission) against `member`."""

        def request(challenge: bytes) -> bytes:
            return signed_join_request(
                self.code,
                challenge=challenge,
                signing=self.signing,
                exchange_public=bytes(self.exchange.public_key),
                member_name=self.name,
                peer=self.peer,
                addrs=ADDRS,
                now_ms=member.clock.now_ms(),
            )

        return await request_admission(MemberAt(member, nursery, self.peer), self.code, request)

    def adopt(self, member: Member, signed_events: list[bytes]) -> CircleRuntime:
        """Become `member`'s parts' circle: the admitter's log stored, its epoch opened
        (as JoinService does for a joiner)."""
        runtime = joined_runtime(self.code, self.signing, self.exchange, signed_events)
        member.store.add_membership(runtime.membership)
        member.store.add_events(
            sorted((to_stored(verify_signed(s)) for s in signed_events), key=lambda s: s.lamport)
        )
        member.store.set_refused(runtime.circle_id, runtime.refused)
        for keys in runtime.epochs.values():
            member.store.add_epoch(runtime.circle_id, keys.epoch_id, keys.secret)
        member.runtimes.add(runtime)
        return runtime


def signed_in(published: list[Published]) -> list[bytes]:
    return [signed for message in published for signed in message.signed]


def types_in(published: list[Published]) -> list[EventType]:
    return [verify_signed(signed).event.type for signed in signed_in(published)]


async def admit(admitter: Member, runtime: CircleRuntime, joiner: Member) -> CircleRuntime:
    """`joiner` joins `admitter`'s circle with a fresh invite: its runtime there."""
    asking = Joiner(admitter.invite(runtime), joiner.name)
    async with trio.open_nursery() as nursery:
        signed = await asking.ask(admitter, nursery)
    return asking.adopt(joiner, signed)


async def deliver(sender: Member, receiver: Member, runtime: CircleRuntime) -> list[StoredEvent]:
    """What `sender` published so far (its outbox drained first: the write path queues),
    stored by `receiver` as ingest does (duplicates are no-ops)."""
    await wait_all_tasks_blocked()
    return receiver.receive(runtime, signed_in(sender.record.published))


async def deliver_and_announce(
    sender: Member, receiver: Member, runtime: CircleRuntime
) -> list[StoredEvent]:
    accepted = await deliver(sender, receiver, runtime)
    await receiver.log.announce(runtime, accepted)
    return accepted
