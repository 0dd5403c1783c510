"""A hostile member for tests: a real member of a real circle, driven by a script instead
of by the engine's rules.

It is built from Hearth's own code: a py-libp2p host from `peerapp.network.host`, admitted
through a real invite code by the project's join client (`request_admission`), so it
holds valid member keys (signing key, exchange key) and the epoch secrets sealed to it.
It keeps the circle's events it receives (from the join, from GossipSub, from its own
pulls) and can then

- sign any Event with its member key or a puppet's key: any type, seq, lamport, prev, ts
  or body, including ones the engine would never write (`sign`, `new_invite`, `admit`),
  and any bytes at all in the signed-event layout (`sign_encoded`);
- publish signed events in a valid envelope on the circle's GossipSub topic (`publish`);
- push events to a member through sync: it answers that member's next pull with exactly
  the chosen events, and triggers the pull by dialling the member again (`push`);
- pull from a member like an honest member would (`pull`);
- send raw frames on any Hearth protocol and read the answers (`send_frames`).

Why a background thread rather than a subprocess: the tests need the harness's state
(event ids, keys, what was served) after every step, and a thread shares it without a
second protocol. The host runs in its own `trio.run` in a daemon thread; every public
method is a plain blocking call, bounded by WAIT, that hands its work to that thread with
`trio.from_thread.run`. Shared state is guarded by one lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import multiaddr
import nacl.public
import nacl.signing
import nacl.utils
import trio
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.peer.id import ID

from peerapp.core import join_messages as jm
from peerapp.core import sync_messages as sm
from peerapp.core.circle_events import MAX_PARENTS, Event, EventType, event_id
from peerapp.core.invite_code import InviteCode, decode_invite
from peerapp.crypto import envelope
from peerapp.crypto.epoch import EpochKeys, open_sealed_secret
from peerapp.crypto.invite_keys import invite_public_key, new_invite_seed
from peerapp.crypto.signing import VerifiedEvent, sign_event, verify_signed
from peerapp.engine import sync_session
from peerapp.engine.join_client import request_admission, signed_join_request
from peerapp.network.framed import FramedStream, StreamError
from peerapp.network.host import NetworkNode, running_node
from peerapp.network.pubsub import PubsubMessage

WAIT = 30.0
LOOPBACK = "/ip4/127.0.0.1/tcp/0"
PEERS_WITHIN_SECONDS = 5.0  # how long publish() waits for members on the topic
MAX_SERVED_FRAMES = 1000  # a bound on one sync session we answer
T = TypeVar("T")


def now_ms() -> int:
    return int(time.time() * 1000)


def _fresh_peer_id() -> str:
    """A well-formed libp2p peer id no host listens on (a puppet's)."""
    return str(ID.from_pubkey(create_new_key_pair(nacl.utils.random(32)).public_key).to_base58())


@dataclass(frozen=True)
class Puppet:
    """A second member key the hostile member holds (e.g. one it admitted itself)."""

    signing: nacl.signing.SigningKey
    exchange: nacl.public.PrivateKey
    peer: str

    @classmethod
    def generate(cls) -> Puppet:
        return cls(
            nacl.signing.SigningKey.generate(), nacl.public.PrivateKey.generate(), _fresh_peer_id()
        )

    @property
    def key(self) -> bytes:
        return bytes(self.signing.verify_key)


class HostileMember:
    """See the module docstring. Use as a context manager, or start() and close()."""

    def __init__(self, name: str = "Mallory") -> None:
        self.name = name
        self.signing = nacl.signing.SigningKey.generate()
        self.exchange = nacl.public.PrivateKey.generate()
        self.circle = b""
        self._peer_seed = nacl.utils.random(32)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._events: dict[bytes, VerifiedEvent] = {}
        self._epochs: dict[bytes, EpochKeys] = {}  # epoch id -> keys we could open
        self._subscribed: set[str] = set()
        self._offers: dict[str, tuple[int, list[bytes]]] = {}  # peer -> (generation, events)
        self._generation = 0
        self._served: dict[str, int] = {}  # peer -> newest offer generation a session ended
        self._addrs: dict[str, str] = {}  # peer id -> the address we dialled it at
        # chunks of files we answer chunk requests with: peer id (or "" for anyone) ->
        # (message id, index) -> the sealed chunk, true or tampered (see serve_chunks)
        self._chunks: dict[str, dict[tuple[bytes, int], bytes]] = {}
        self.gossip_received = 0
        self._thread: threading.Thread | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._node: NetworkNode | None = None
        self._nursery: trio.Nursery | None = None
        self._stop: trio.Event | None = None

    # -- life cycle -------------------------------------------------------------------

    def __enter__(self) -> HostileMember:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> HostileMember:
        ready = threading.Event()
        failure: list[BaseException] = []

        def main() -> None:
            try:
                trio.run(self._main, ready)
            except BaseException as error:  # reported to the test thread below
                failure.append(error)
                ready.set()

        self._thread = threading.Thread(target=main, name=f"hostile-{self.name}", daemon=True)
        self._thread.start()
        if not ready.wait(WAIT) or failure:
            raise AssertionError(f"the hostile member did not start: {failure!r}")
        return self

    async def _main(self, ready: threading.Event) -> None:
        async with running_node(
            self._peer_seed,
            [multiaddr.Multiaddr(LOOPBACK)],
            lambda peer: None,
            lambda peer: None,
            self._on_gossip,
        ) as node:
            node.set_stream_handler(sm.PROTOCOL, self._serve_sync)
            async with trio.open_nursery() as nursery:
                self._node, self._nursery = node, nursery
                self._token = trio.lowlevel.current_trio_token()
                self._stop = trio.Event()
                ready.set()
                await self._stop.wait()
                nursery.cancel_scope.cancel()

    def close(self) -> None:
        thread, token, stop = self._thread, self._token, self._stop
        if thread is None or not thread.is_alive() or token is None or stop is None:
            return
        with contextlib.suppress(trio.RunFinishedError):
            trio.from_thread.run_sync(stop.set, trio_token=token)
        thread.join(WAIT)
        assert not thread.is_alive(), "the hostile member's thread did not end"

    def _run(self, function: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run `function(*args)` in the host's trio thread, bounded by WAIT."""
        assert self._token is not None, "start() first"

        async def bounded() -> T:
            with trio.fail_after(WAIT):
                return await function(*args)

        return trio.from_thread.run(bounded, trio_token=self._token)

    @property
    def node(self) -> NetworkNode:
        assert self._node is not None, "start() first"
        return self._node

    @property
    def key(self) -> bytes:
        """Our member key (the circle's id for us)."""
        return bytes(self.signing.verify_key)

    @property
    def peer_id(self) -> str:
        return self.node.peer_id

    # -- joining and connecting ---------------------------------------------------------

    def join(
        self,
        code_text: str,
        at: str | None = None,
        before_request: Callable[[], object] | None = None,
    ) -> list[VerifiedEvent]:
        """Join through a real invite code with the project's join client; `at` (a full
        /.../p2p/PEER address) asks that member instead of the one named in the code, as
        a thief with a copy of the code could. `before_request` runs once the member's
        challenge is in, just before our request goes out (to line up two joins). Returns
        the log the member sent."""
        code = decode_invite(code_text)
        if at is not None:
            address, peer = at.rsplit("/p2p/", 1)
            code = dataclasses.replace(code, peer_id=peer, addrs=(address,))
            self._addrs[peer] = at
        else:
            self._addrs[code.peer_id] = code.dial_addrs()[0]
        node = self.node

        def request(challenge: bytes) -> bytes:
            if before_request is not None:
                before_request()
            return signed_join_request(
                code,
                challenge=challenge,
                signing=self.signing,
                exchange_public=bytes(self.exchange.public_key),
                member_name=self.name,
                peer=node.peer_id,
                addrs=node.dialable_addrs()[:8],
            )

        signed = self._run(request_admission, node, code, request)
        self.circle = code.circle_id
        taken = self.take(signed)
        self._run(self._subscribe_current)
        return taken

    def connect(self, address: str) -> str:
        """Dial a member (a full /.../p2p/PEER address); remembered for push()."""
        peer: str = self._run(self.node.connect, address)
        self._addrs[peer] = address
        return peer

    # -- what we hold -------------------------------------------------------------------

    def take(self, signed_events: Iterable[bytes]) -> list[VerifiedEvent]:
        """Keep these events (checked like any peer's; invalid ones are skipped), opening
        every epoch secret sealed to our exchange key. Returns the new ones."""
        new: list[VerifiedEvent] = []
        for signed in signed_events:
            try:
                verified = verify_signed(signed)
            except ValueError:
                continue
            with self._lock:
                if verified.id in self._events:
                    continue
                self._events[verified.id] = verified
            new.append(verified)
            event = verified.event
            if event.type is EventType.KEY_ROTATE and self.key in event.body["keys"]:
                secret = open_sealed_secret(event.body["keys"][self.key], bytes(self.exchange))
                if secret is not None:
                    keys = EpochKeys(secret)
                    with self._lock:
                        self._epochs[keys.epoch_id] = keys
        return new

    def learn(self, events: Iterable[VerifiedEvent]) -> None:
        """Keep events another harness made (e.g. an accomplice's)."""
        self.take(v.signed for v in events)

    def events(self, kind: EventType | None = None) -> list[VerifiedEvent]:
        """What we hold, in log order (lamport, id)."""
        with self._lock:
            held = list(self._events.values())
        held.sort(key=lambda v: (v.event.lamport, v.id))
        return [v for v in held if kind is None or v.event.type is kind]

    def heads(self) -> list[VerifiedEvent]:
        """Held events no held event names as a parent, highest lamport first."""
        with self._lock:
            named = {p for v in self._events.values() for p in v.event.prev}
            heads = [v for i, v in self._events.items() if i not in named]
        return sorted(heads, key=lambda v: (-v.event.lamport, v.id))

    def current_keys(self) -> EpochKeys:
        """The newest epoch (by log order) whose secret was sealed to us."""
        for rotation in reversed(self.events(EventType.KEY_ROTATE)):
            keys = self._epochs.get(rotation.event.body["epoch"])
            if keys is not None:
                return keys
        raise AssertionError("no epoch secret was sealed to the hostile member")

    # -- signing ------------------------------------------------------------------------

    def sign(
        self,
        kind: EventType,
        body: dict[str, Any],
        *,
        signer: nacl.signing.SigningKey | None = None,
        seq: int | None = None,
        lamport: int | None = None,
        prev: Sequence[bytes] | None = None,
        ts: int | None = None,
        circle: bytes | None = None,
        keep: bool = True,
    ) -> VerifiedEvent:
        """A signed event with our member key (or `signer`'s). Whatever is not given is
        chosen as an honest member would: prev = the heads we hold, lamport = one more than
        the highest parent, seq = one more than the author's highest, ts = now. `keep`:
        add it to what we hold (so later events may name it)."""
        key = signer or self.signing
        author = bytes(key.verify_key)
        heads = self.heads()
        if prev is None:
            prev = [v.id for v in heads[:MAX_PARENTS]]
        if lamport is None:
            with self._lock:
                parents = [self._events[p].event.lamport for p in prev if p in self._events]
            lamport = 1 + max(parents, default=-1)
        if seq is None:
            with self._lock:
                own = [v.event.seq for v in self._events.values() if v.event.author == author]
            seq = 1 + max(own, default=-1)
        event = Event(
            type=kind,
            circle=circle or self.circle,
            author=author,
            seq=seq,
            lamport=lamport,
            prev=tuple(sorted(set(prev))),
            ts=now_ms() if ts is None else ts,
            body=body,
        )
        verified = sign_event(event, bytes(key))
        if keep:
            with self._lock:
                self._events[verified.id] = verified
        return verified

    def sign_encoded(self, encoded: bytes, signer: nacl.signing.SigningKey | None = None) -> bytes:
        """`encoded` (any bytes: an event no schema allows, say) with a valid signature
        by our member key or `signer`'s, in the signed-event layout."""
        return encoded + bytes((signer or self.signing).sign(encoded).signature)

    def message(self, text: str, **options: Any) -> VerifiedEvent:
        return self.sign(EventType.MESSAGE, {"text": text}, **options)

    def new_invite(
        self, max_uses: int = 1, expires_in: int = 3600, **options: Any
    ) -> tuple[bytes, VerifiedEvent]:
        """(seed, INVITE_CREATE) for an invite we write ourselves."""
        seed = new_invite_seed()
        body = {
            "invite": invite_public_key(seed),
            "max_uses": max_uses,
            "expires": now_ms() + expires_in * 1000,
        }
        return seed, self.sign(EventType.INVITE_CREATE, body, **options)

    def admit(
        self, seed: bytes, name: str, puppet: Puppet | None = None, **options: Any
    ) -> tuple[Puppet, VerifiedEvent]:
        """(puppet, ADD_MEMBER) admitting a key we hold with the invite seed `seed`: a
        genuine JOIN_REQUEST signed by the puppet, proving the seed, inside an ADD_MEMBER
        we (or options["signer"]) sign."""
        puppet = puppet or Puppet.generate()
        code = InviteCode(self.circle, seed, peer_id=self.peer_id, addrs=(), expires=0)
        request = signed_join_request(
            code,
            challenge=nacl.utils.random(32),
            signing=puppet.signing,
            exchange_public=bytes(puppet.exchange.public_key),
            member_name=name,
            peer=puppet.peer,
            addrs=[],
        )
        return puppet, self.sign(EventType.ADD_MEMBER, {"request": request}, **options)

    # -- sending ------------------------------------------------------------------------

    def publish(
        self,
        events: Sequence[VerifiedEvent],
        peers: Sequence[str] = (),
        keys: EpochKeys | None = None,
        peers_within: float = PEERS_WITHIN_SECONDS,
    ) -> list[str]:
        """Each event in a valid envelope on the epoch's GossipSub topic (the newest epoch
        sealed to us unless `keys`), once the `peers` are known to be subscribed or after
        `peers_within` seconds (a member that left the topic gets nothing then). Returns
        the peers subscribed when it was sent; GossipSub gives no receipt."""
        return self._run(
            self._publish, list(events), list(peers), keys or self.current_keys(), peers_within
        )

    async def _publish(
        self, events: list[VerifiedEvent], peers: list[str], keys: EpochKeys, within: float
    ) -> list[str]:
        node = self.node
        await self._subscribe(keys)
        with trio.move_on_after(within):
            while not set(peers) <= set(node.topic_peers(keys.topic)):
                await trio.sleep(0.05)
        for verified in events:
            key = keys.message_key if verified.event.type is EventType.MESSAGE else keys.control_key
            sealed = envelope.seal(verified.signed, key, self.circle, keys.epoch_id)
            await node.publish(keys.topic, sealed)
        return node.topic_peers(keys.topic)

    def push(self, peer: str, events: Sequence[VerifiedEvent | bytes]) -> None:
        """Have member `peer` store `events` through sync: its next pull from us is
        answered with exactly these ids and events (whatever its summary says), and we
        dial it again so it pulls at once. Returns when that pull has ended (the member
        has ingested the batch, or cut us off)."""
        signed = [e.signed if isinstance(e, VerifiedEvent) else e for e in events]
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._offers[peer] = (generation, signed)
        self._run(self._redial, peer)
        deadline = time.monotonic() + WAIT
        with self._changed:
            while self._served.get(peer, 0) < generation:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the member did not pull from the hostile member")
                self._changed.wait(remaining)
            if self._offers.get(peer, (0, []))[0] == generation:
                del self._offers[peer]

    async def _redial(self, peer: str) -> None:
        # a member pulls from a member as soon as a connection to it opens
        with contextlib.suppress(Exception):  # not connected: nothing to close
            await self.node.disconnect(peer)
        await self.node.connect(self._addrs[peer])

    def serve_chunks(self, chunks: dict[tuple[bytes, int], bytes], peer: str = "") -> None:
        """Answer chunk requests (issue 15) from `peer` ("" for anyone else) with these
        chunks: whatever bytes we choose, matching their signed hash or not."""
        with self._lock:
            self._chunks[peer] = dict(chunks)

    async def _answer_chunks(self, stream: FramedStream, first: sm.ChunkWant) -> None:
        with self._lock:
            chunks = self._chunks.get(stream.remote_peer, self._chunks.get("", {}))
        request: sm.SyncFrame = first
        for _ in range(MAX_SERVED_FRAMES):
            if not isinstance(request, sm.ChunkWant):
                return
            held = tuple(
                (i, chunks[(request.message, i)])
                for i in request.indexes
                if (request.message, i) in chunks
            )
            await stream.send(sm.encode_sync_frame(sm.ChunkData(held)))
            request = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))

    async def _serve_sync(self, stream: FramedStream) -> None:
        peer = stream.remote_peer
        with self._lock:
            generation, offered = self._offers.get(peer, (0, []))
        by_id = {event_id(s): s for s in offered}
        try:
            first = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
            if isinstance(first, sm.ChunkWant):  # a member fetching a file's chunks
                generation = 0  # not a pull: no offer was served
                await self._answer_chunks(stream, first)
                return
            # its summary: we offer what we chose
            await stream.send(sm.encode_sync_frame(sm.IdList(tuple(by_id), False)))
            for _ in range(MAX_SERVED_FRAMES):
                frame = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
                if not isinstance(frame, sm.Want):
                    break
                wanted = tuple(by_id[i] for i in frame.ids if i in by_id)
                await stream.send(jm.encode_frame(jm.Events(wanted, False)))
        except (StreamError, sm.SyncFrameError):
            pass  # the member may cut us off: the session is over either way
        finally:
            with self._changed:
                self._served[peer] = max(self._served.get(peer, 0), generation)
                self._changed.notify_all()

    def pull(self, peer: str) -> int:
        """Pull from member `peer` as an honest member would; returns how many events
        arrived. Raises SyncAborted when the member refuses us."""
        return self._run(self._pull, peer)

    async def _pull(self, peer: str) -> int:
        stream = await self.node.open_stream(peer, sm.PROTOCOL)

        async def store_batch(signed: list[bytes]) -> bool:
            self.take(signed)
            return True

        try:
            outcome = await sync_session.pull(
                stream,
                self.circle,
                mine=sm.summarize((v.event.lamport, v.id) for v in self.events()),
                present=lambda ids: {i for i in ids if i in self._events},
                store_batch=store_batch,
                progress=lambda received, total: None,
            )
        finally:
            with trio.move_on_after(1) as scope, contextlib.suppress(StreamError):
                scope.shield = True
                await stream.close()
        await self._subscribe_current()
        return outcome.received

    def send_frames(
        self, peer: str, protocol: str, frames: Sequence[bytes], replies: int = 1
    ) -> list[bytes]:
        """Open `protocol` to `peer`, send raw `frames`, read up to `replies` frames back
        (fewer if the peer closes the stream)."""
        return self._run(self._send_frames, peer, protocol, list(frames), replies)

    async def _send_frames(
        self, peer: str, protocol: str, frames: list[bytes], replies: int
    ) -> list[bytes]:
        stream = await self.node.open_stream(peer, protocol)
        answers: list[bytes] = []
        try:
            for frame in frames:
                await stream.send(frame)
            for _ in range(replies):
                answers.append(await stream.receive(sm.MAX_FRAME_BYTES))
        except StreamError:
            pass
        finally:
            with trio.move_on_after(1) as scope, contextlib.suppress(StreamError):
                scope.shield = True
                await stream.close()
        return answers

    # -- GossipSub ----------------------------------------------------------------------

    def _on_gossip(self, message: PubsubMessage) -> None:
        with self._lock:
            keys = next((k for k in self._epochs.values() if k.topic == message.topic), None)
        if keys is None:
            return
        try:
            epoch, nonce, ciphertext = envelope.peek_epoch(message.data)
            signed = envelope.open_with(
                [keys.message_key, keys.control_key], self.circle, epoch, nonce, ciphertext
            )
        except envelope.EnvelopeError:
            return
        self.gossip_received += 1
        if self.take([signed]) and self._nursery is not None:
            self._nursery.start_soon(self._subscribe_current)

    async def _subscribe_current(self) -> None:
        with contextlib.suppress(AssertionError):  # no epoch for us yet
            await self._subscribe(self.current_keys())

    async def _subscribe(self, keys: EpochKeys) -> None:
        if keys.topic not in self._subscribed:
            self._subscribed.add(keys.topic)
            await self.node.subscribe(keys.topic)
