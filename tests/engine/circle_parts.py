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
from typing import Any, NamedTuple, cast

import nacl.public
import nacl.signing
import trio
from trio.testing import MockClock, wait_all_tasks_blocked

from peerapp.core import join_messages as jm
from peerapp.core import mailbox_messages, sync_messages
from peerapp.core.circle_events import EventType
from peerapp.core.events import CircleView, EngineEvent, MemberJoined, MemberView, MessageView
from peerapp.core.invite_code import InviteCode
from peerapp.core.network_mode import NetworkMode
from peerapp.core.quotas import DEFAULT_RULES, QuotaRules
from peerapp.crypto import envelope
from peerapp.crypto.epoch import EpochKeys
from peerapp.crypto.invite_keys import invite_public_key, new_invite_seed
from peerapp.crypto.signing import verify_signed
from peerapp.engine.circle_parts import Surroundings, build_parts
from peerapp.engine.circle_runtime import CircleRuntime, new_membership, to_stored
from peerapp.engine.clock import FakeClock
from peerapp.engine.context import EngineContext
from peerapp.engine.founding import found_circle
from peerapp.engine.join_client import request_admission, signed_join_request
from peerapp.network.framed import DEFAULT_TIMEOUT_SECONDS, FramedStream, StreamOpenFailed
from peerapp.network.host import NetworkNode
from peerapp.network.memory_streams import memory_stream_pair
from peerapp.storage.circle_store import StoredEvent
from peerapp.storage.database import Database

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
    spawns: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)  # name, args
    published: list[Published] = field(default_factory=list)
    counted: list[str] = field(default_factory=list)
    access_changes: int = 0
    forgotten: list[bytes] = field(default_factory=list)
    set_aside: list[bytes] = field(default_factory=list)  # former copies on a rejoin
    proofs: list[tuple[str, bool]] = field(default_factory=list)

    def events(self, kind: type[EngineEvent]) -> list[EngineEvent]:
        return [event for event in self.emitted if isinstance(event, kind)]

    @property
    def spawned(self) -> list[str]:
        """The spawned tasks' names, in order."""
        return [name for name, _ in self.spawns]

    @property
    def retired_later(self) -> list[bytes]:
        """Circles whose old epochs moderation retires after their grace (spawned)."""
        return [args[0].circle_id for name, args in self.spawns if name == "_retire_after_grace"]


class Subscriptions:
    """Stands in for the host CircleTopics subscribes at: the topics, recorded."""

    def __init__(self) -> None:
        self.topics: set[str] = set()

    async def subscribe(self, topic: str) -> None:
        self.topics.add(topic)

    async def unsubscribe(self, topic: str) -> None:
        self.topics.discard(topic)


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
        *,
        reopen: bool = False,
    ) -> None:
        """`reopen`: the database in `folder` exists (a restart), else it is made."""
        folder.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.peer = peer_id(name)
        self.clock = clock
        self.record = Recorded()
        self.online_peers: set[str] = set()  # the peers ingest sees connected
        # where the parts open streams (the mailbox's delivery); None: no host is open
        self.host: MemoryHost | None = None
        self.nursery = nursery  # where its outbox drains (a reopened member's too)
        self.closed = False
        path = folder / "hearth.db"  # a member's folder opened again: a restart
        self.database = Database.open(path, KEY, create=not (reopen or path.exists()))
        self.subscriptions = Subscriptions()
        self.context = EngineContext(clock, self.record.emitted.append, spawn=self._spawn)
        # the parts as the circle service wires them (engine/circle_parts.py), with
        # recorders where they reach the network or the service around them
        self.parts = build_parts(
            self.database,
            self.context,
            Surroundings(
                count=self.record.counted.append,
                give_way=trio.lowlevel.checkpoint,
                # the host's subscriptions, recorded (so ingest knows our topics)
                subscribe_at=lambda circle: cast(NetworkNode, self.subscriptions),
                node=lambda circle: cast(NetworkNode | None, self.host),
                reachable=lambda circle: True,
                reach=lambda: None,
                mode_of=lambda circle: NetworkMode.DIRECT,
                online=lambda: self.online_peers,
                access_changed=self._access_changed,
                disconnect_unless_member=self._disconnect,
                forget=lambda runtime: self.record.forgotten.append(runtime.circle_id),
                set_aside_for_rejoin=self._set_aside,
                proof_judged=lambda peer, proven: self.record.proofs.append((peer, proven)),
                member_joined=self._member_joined,
                circle_view=_view_of,
                row=lambda runtime: None,  # no list of circles here
            ),
            quota_rules,
        )
        parts = self.parts
        self.store = parts.store
        self.runtimes = parts.runtimes
        self.topics = parts.topics
        self.outbox = parts.outbox
        self.outbox.attach(nursery, self._publish)
        self.log = parts.log
        self.late = parts.late
        self.keys = parts.keys
        self.moderation = parts.moderation
        self.safety = parts.safety
        self.boundaries = parts.boundaries
        self.messages = parts.messages
        self.content = parts.content
        self.message_changes = parts.message_changes
        self.circle_changes = parts.circle_changes
        self.joins = parts.joins
        self.ingest = parts.ingest

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

    def _spawn(self, task: Callable[..., Awaitable[None]], *args: Any) -> None:
        self.record.spawns.append((getattr(task, "__name__", repr(task)), args))

    def _access_changed(self) -> None:
        self.record.access_changes += 1

    async def _disconnect(self, peer: str, opened_before: float) -> None:
        return None

    def _set_aside(self, runtime: CircleRuntime) -> None:
        """As the service sets a former copy aside on a rejoin (its history stays stored)."""
        self.record.set_aside.append(runtime.circle_id)
        self.runtimes.remove(runtime.circle_id)
        self.topics.drop(runtime.circle_id)

    def _member_joined(self, runtime: CircleRuntime, key: bytes) -> None:
        member = runtime.member(key)
        assert member is not None
        view = MemberView(member.key.hex(), member.name, member.role.value, False)
        self.record.emitted.append(MemberJoined(runtime.circle_id.hex(), view))

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
        """Close the database (once: a test may close a member early, to reopen its folder
        as a restart would)."""
        if not self.closed:
            self.closed = True
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


def _view_of(runtime: CircleRuntime) -> CircleView:
    """A circle's view as the fronts would get it (the parts' joins answer with one)."""
    state = runtime.state
    return CircleView(runtime.circle_id.hex(), state.name, len(state.members), 0)


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
    """A StreamOpener (join_client) that reaches `member`'s join or mailbox protocol in
    memory: each stream is served by that part's `serve`, as a host's stream handler
    would."""

    def __init__(self, member: Member, nursery: trio.Nursery, joiner_peer: str) -> None:
        self._member = member
        self._nursery = nursery
        self._joiner_peer = joiner_peer

    async def open_stream(
        self, peer_id: str, protocol: str, addrs: list[str] | None = None
    ) -> FramedStream:
        handlers = {
            jm.PROTOCOL: self._member.joins.serve,
            mailbox_messages.PROTOCOL: self._member.parts.mailbox.serve,
            sync_messages.PROTOCOL: self._member.parts.sync.serve,
        }
        handler = handlers[protocol]
        asking, serving = memory_stream_pair(self._joiner_peer, self._member.peer, protocol)

        async def serve() -> None:
            try:
                await handler(serving)
            finally:
                await serving.close()

        self._nursery.start_soon(serve)
        return asking


class MemoryHost:
    """A member's host in memory, for the parts that open streams themselves (the
    mailbox's delivery): a peer in `reachable` is served by that member's parts
    (MemberAt); any other cannot be reached, as a peer that is offline."""

    def __init__(self, member: Member, nursery: trio.Nursery) -> None:
        self.peer_id = member.peer
        self._nursery = nursery
        self.reachable: dict[str, Member] = {}

    async def open_stream(
        self,
        peer_id: str,
        protocol: str,
        addrs: list[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> FramedStream:
        target = self.reachable.get(peer_id)
        if target is None:
            raise StreamOpenFailed(f"could not reach {peer_id}")
        return await MemberAt(target, self._nursery, self.peer_id).open_stream(
            peer_id, protocol, addrs
        )


def open_hosts(network: trio.Nursery, *members: Member) -> None:
    """Each member gets a memory host and its mailbox delivers in `network`."""
    for member in members:
        member.host = MemoryHost(member, network)
        member.parts.mailbox.attach(network)


def in_reach(sender: Member, receiver: Member) -> None:
    """`sender`'s memory host (open_hosts made it) reaches `receiver` from now on."""
    assert sender.host is not None
    sender.host.reachable[receiver.peer] = receiver


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


async def hide_at_first_flag(facilitator: Member, circle_hex: str) -> None:
    """The circle's rules set so one harm flag hides a message at once (no waiting hours):
    the tests of a flag and a restore start from it."""
    await facilitator.moderation.set_settings(
        circle_hex,
        slow_mode_seconds=None,
        join_approval=None,
        guidelines=None,
        harm_flags_to_hide=1,
        flag_after_hours=0,
    )


class Said(NamedTuple):
    """What `admitted_and_said` leaves: the joiner's runtime, its message's view and the
    events the admitter stored of it."""

    runtime: CircleRuntime
    view: MessageView
    stored: list[StoredEvent]


async def admitted_and_said(
    admitter: Member, runtime: CircleRuntime, joiner: Member, text: str
) -> Said:
    """`joiner` joins `admitter`'s circle, hears the events so far, says `text`, and
    `admitter` stores it: the setup many tests about one member's message share."""
    mine = await admit(admitter, runtime, joiner)
    await deliver(admitter, joiner, mine)
    view = await joiner.messages.send_body(mine.circle_id.hex(), {"text": text})
    stored = await deliver(joiner, admitter, runtime)
    return Said(mine, view, stored)
