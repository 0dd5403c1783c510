"""Pictures and files in a circle (issue 15): sending, fetching chunks from members,
answering members' chunk requests, saving, and clearing what a circle's files take.

- Sending: the file is read, a picture re-encoded without metadata, sealed chunk by chunk
  under a fresh key (engine/attachment_files.py); the MESSAGE carries the manifest (name,
  size, type, key, each sealed chunk's hash, a thumbnail) and is written through the log
  like any message, so only members read the key. Our chunks are stored at once.
- Receiving (`on_accepted`): each accepted message's manifest is recorded, with its
  thumbnail only if Pillow decodes it behind its guards; a file over the circle's limit
  is recorded as such and never fetched (every replica judges it).
- Fetching: chunks come by the sync protocol (a chunk session, engine/chunk_session.py)
  from ANY member online, not only the author. Each chunk is checked against the signed
  hash before it is stored; a member that sends one that does not match is counted and
  not asked for this file again, the next member is. A member that vanishes mid-transfer
  costs nothing stored: the next fetch asks only for what is missing. Chunks stored for
  others' files are charged to their author's attachment quota (core/quotas.py), so a
  hostile member cannot fill other members' disks.
- Serving: a current member may ask for chunks of a message it may read (from its
  admission on); we answer with those we hold.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import trio

from peerapp.core import attachment_policy as ap
from peerapp.core import sync_messages as sm
from peerapp.core.api.attachments import MediaItemView, MediaView, PictureView
from peerapp.core.api.refusals import Refusal
from peerapp.core.attachments import Manifest
from peerapp.core.circle_events import EventError, EventType, decode_event, split_signed
from peerapp.core.errors import CommandError
from peerapp.core.events import AttachmentProgress, AttachmentView, HistoryChanged, MessageView
from peerapp.core.quotas import QuotaRules, Quotas, Verdict
from peerapp.engine import attachment_files, chunk_session, images
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.ids import id_from_hex
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.safety import message_body
from peerapp.network.framed import FramedStream, StreamError
from peerapp.network.host import NetworkNode
from peerapp.storage.attachment_store import (
    CLEARED,
    OVER_LIMIT,
    WANTED,
    AttachmentStore,
    StoredAttachment,
)
from peerapp.storage.circle_store import CircleStore, StoredEvent

log = logging.getLogger(__name__)

# what every replica keeps of others' files, per author (chunks count as events)
ATTACHMENT_QUOTA_RULES = QuotaRules(
    events_per_minute=60_000.0,
    event_burst=ap.MAX_CHUNKS * 4,
    bytes_per_day=ap.AUTHOR_BYTES_PER_DAY,
    stored_bytes=ap.AUTHOR_STORED_BYTES,
)
MAX_FETCHES = 2  # files fetched at once, over every circle
STREAMS_PER_PEER = 4  # chunk sessions with one member at once, for one file
# reading, sealing, opening and decoding files runs here, so the engine keeps answering
# (the socket-free tests, on trio's jumping clock, run it inline)
in_thread = trio.to_thread.run_sync


def manifest_of(stored: StoredEvent) -> Manifest | None:
    """The attachment a stored message carries (None: none, or erased)."""
    if stored.type is not EventType.MESSAGE or not stored.signed:
        return None
    if b"attachment" not in stored.signed:  # the body's key, spelled out in its CBOR
        return None
    try:
        body = decode_event(split_signed(stored.signed)[0]).body
    except EventError:  # stored events were checked on arrival; never expected
        return None
    found = body.get("attachment")
    return None if found is None else Manifest.from_body(found)


@dataclass
class _Waiters:
    """Saves waiting on a file's chunks: woken whenever more of it is stored."""

    events: dict[tuple[bytes, bytes], trio.Event] = field(default_factory=dict)

    def event(self, key: tuple[bytes, bytes]) -> trio.Event:
        return self.events.setdefault(key, trio.Event())

    def wake(self, key: tuple[bytes, bytes]) -> None:
        event = self.events.pop(key, None)
        if event is not None:
            event.set()


class Attachments:
    def __init__(
        self,
        attachments: AttachmentStore,
        store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        send_body: Callable[[str, dict[str, Any]], Any],
        message_view: Callable[[CircleRuntime, StoredEvent], MessageView],
        node: Callable[[bytes], NetworkNode | None],
        online: Callable[[], set[str]],
        context: EngineContext,
        count: Callable[[str], None],
        stall_seconds: float = ap.SAVE_STALL_SECONDS,
    ) -> None:
        """`send_body(circle_hex, body)`: Messages.send_body (the one way a message is
        sent); `node(circle_id)`: the host a circle is reached at."""
        self._attachments = attachments
        self._store = store
        self._runtimes = runtimes
        self._send_body = send_body
        self._message_view = message_view
        self._node = node
        self._online = online
        self._emit = context.emit
        self._clock = context.clock
        self._spawn = context.spawn
        self._interval = context.timings.sync_interval
        self._count = count
        self._stall_seconds = stall_seconds
        self._quotas: dict[bytes, Quotas] = {}
        self._fetching: set[tuple[bytes, bytes]] = set()
        self._limiter = trio.CapacityLimiter(MAX_FETCHES)
        self._waiters = _Waiters()
        # (circle, message) -> peers that sent a chunk not matching its hash (this run)
        self._bad_peers: dict[tuple[bytes, bytes], set[str]] = {}

    # -- quotas ------------------------------------------------------------------------

    def quotas(self, runtime: CircleRuntime) -> Quotas:
        quotas = self._quotas.get(runtime.circle_id)
        if quotas is None:
            stored = self._attachments.stored_by_author(runtime.circle_id)
            quotas = Quotas(ATTACHMENT_QUOTA_RULES, stored)
            self._quotas[runtime.circle_id] = quotas
        return quotas

    # -- sending -----------------------------------------------------------------------

    async def attach(
        self, circle_hex: str, path: str, text: str = "", cw: str | None = None
    ) -> MessageView:
        runtime = self._runtimes.require(circle_hex)
        limit = runtime.state.attachment_limit
        outgoing = await in_thread(attachment_files.read_for_sending, path, limit)
        body = message_body(text or "", cw, attachment=True)
        body["attachment"] = outgoing.manifest.to_body()
        view: MessageView = await self._send_body(circle_hex, body)
        message = bytes.fromhex(view.id)
        stored = self._store.event(runtime.circle_id, message)
        if stored is None:  # never: send_body stored it
            raise CommandError(Refusal.NO_SUCH_MESSAGE)
        self._record(runtime, stored, outgoing.manifest, thumb_checked=True)
        self._attachments.add_chunks(runtime.circle_id, message, dict(enumerate(outgoing.chunks)))
        return self._message_view(runtime, stored)

    # -- views -------------------------------------------------------------------------

    def view_of(self, runtime: CircleRuntime, stored: StoredEvent) -> AttachmentView | None:
        """The attachment of a stored message as this reader holds it."""
        if stored.type is not EventType.MESSAGE or not stored.signed:
            return None
        held = self._attachments.get(runtime.circle_id, stored.id)
        if held is not None:
            return _view(held)
        manifest = manifest_of(stored)
        if manifest is None:
            return None
        # not recorded yet (its accepted hook runs after the message's own event): the
        # thumbnail is checked here as the hook would (a view the front keeps)
        state = OVER_LIMIT if manifest.size > runtime.state.attachment_limit else WANTED
        thumb = images.check_thumbnail(manifest.thumb) or b""
        return AttachmentView(manifest.name, manifest.size, manifest.mime, 0, state, thumb)

    # -- receiving ---------------------------------------------------------------------

    async def on_accepted(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        """Record the attachments of accepted messages and fetch them; a DELETE takes its
        message's file with it."""
        deleted: list[bytes] = []
        for stored in accepted:
            if stored.type is EventType.DELETE:
                body = decode_event(split_signed(stored.signed)[0]).body
                deleted.append(body["message"])
            manifest = manifest_of(stored)
            if manifest is not None and self._record(runtime, stored, manifest):
                self.want(runtime, stored.id)
        if deleted:
            self._forget(runtime, deleted)

    def _record(
        self,
        runtime: CircleRuntime,
        stored: StoredEvent,
        manifest: Manifest,
        thumb_checked: bool = False,
    ) -> bool:
        """Keep a message's manifest (once). A thumbnail from a peer is kept only if it
        decodes as a small picture; a file over the circle's limit is never fetched."""
        if self._attachments.get(runtime.circle_id, stored.id) is not None:
            return False
        thumb = manifest.thumb
        if thumb and not thumb_checked and images.check_thumbnail(thumb) is None:
            self._count("attachment_bad_thumbnail")
            thumb = b""
        state = WANTED
        if stored.author != runtime.me and manifest.size > runtime.state.attachment_limit:
            self._count("attachment_over_limit")
            state = OVER_LIMIT
        manifest = Manifest(
            manifest.name,
            manifest.size,
            manifest.mime,
            manifest.key,
            manifest.chunk,
            manifest.hashes,
            thumb,
        )
        return self._attachments.add(
            runtime.circle_id,
            stored.id,
            author=stored.author,
            lamport=stored.lamport,
            ts=stored.ts,
            manifest=manifest,
            state=state,
        )

    def _forget(self, runtime: CircleRuntime, messages: list[bytes]) -> None:
        authors = {
            m: held.author
            for m in messages
            if (held := self._attachments.get(runtime.circle_id, m)) is not None
        }
        for message, author in authors.items():
            freed = self._attachments.forget(runtime.circle_id, [message])
            self.quotas(runtime).forget_stored(author, freed)

    def forget_author(self, runtime: CircleRuntime, author: bytes) -> int:
        """Erase every file a former member stored with us (clear_member, as its
        messages are erased); returns the bytes freed."""
        messages = [
            held.message
            for held in self._attachments.in_circle(runtime.circle_id)
            if held.author == author
        ]
        freed = self._attachments.forget(runtime.circle_id, messages)
        self.quotas(runtime).forget_stored(author, freed)
        return freed

    # -- fetching ----------------------------------------------------------------------

    def want(self, runtime: CircleRuntime, message: bytes) -> None:
        """Fetch a file's missing chunks in the background (once at a time per file)."""
        key = (runtime.circle_id, message)
        if key in self._fetching:
            return
        self._fetching.add(key)
        self._spawn(self.fetch, runtime, message)

    def on_peer_connected(self, peer_id: str) -> None:
        """A member came online: it may hold what we miss."""
        for runtime in self._runtimes.active():
            if runtime.member_with_peer(peer_id) is not None:
                self.want_all(runtime)

    def want_all(self, runtime: CircleRuntime) -> None:
        for held in self._attachments.wanted(runtime.circle_id):
            self.want(runtime, held.message)

    async def run_periodically(self) -> None:
        """Members come and go; what is still missing is asked for again on a timer."""
        while True:
            await trio.sleep(self._interval)
            for runtime in self._runtimes.active():
                self.want_all(runtime)

    async def fetch(self, runtime: CircleRuntime, message: bytes) -> None:
        """Fetch a file's missing chunks from the members online, one after another
        (what `want` spawns)."""
        key = (runtime.circle_id, message)
        try:
            async with self._limiter:
                await self._fetch_from_members(runtime, message)
        finally:
            self._fetching.discard(key)
            self._waiters.wake(key)  # a waiting save looks again (done, or stuck)

    async def _fetch_from_members(self, runtime: CircleRuntime, message: bytes) -> None:
        circle = runtime.circle_id
        online = self._online()
        tried: set[str] = set()
        while True:
            held = self._attachments.get(circle, message)
            if held is None or held.state != WANTED or held.complete:
                return
            bad = self._bad_peers.get((circle, message), set())
            peers = sorted(
                member.peer
                for member in runtime.state.members.values()
                if member.key != runtime.me
                and member.peer in online
                and member.peer not in bad
                and member.peer not in tried
            )
            # the author first: it holds the whole file when it is online
            author = runtime.state.members.get(held.author)
            if author is not None and author.peer in peers:
                peers.remove(author.peer)
                peers.insert(0, author.peer)
            if not peers:
                return  # no one online holds it now: a member connecting starts again
            peer = peers[0]
            tried.add(peer)
            await self._fetch_from(runtime, held, peer)

    async def _fetch_from(self, runtime: CircleRuntime, held: StoredAttachment, peer: str) -> None:
        """The missing chunks from one member, over up to STREAMS_PER_PEER streams at
        once (each stream has its own flow-control window: one alone leaves the loopback
        link idle between window updates)."""
        circle, message = runtime.circle_id, held.message
        missing = sorted(
            set(range(held.manifest.count)) - self._attachments.held_indexes(circle, message)
        )
        if not missing:
            return
        per_stream = sm.MAX_CHUNKS_PER_FRAME * chunk_session.IN_FLIGHT
        streams = max(1, min(STREAMS_PER_PEER, len(missing) // per_stream))
        size = -(-len(missing) // streams)
        async with trio.open_nursery() as nursery:
            for start in range(0, len(missing), size):
                part = missing[start : start + size]
                nursery.start_soon(self._session, runtime, held, peer, part)

    async def _session(
        self, runtime: CircleRuntime, held: StoredAttachment, peer: str, missing: list[int]
    ) -> None:
        node = self._node(runtime.circle_id)
        if node is None:
            return
        circle, message = runtime.circle_id, held.message
        try:
            stream = await node.open_stream(peer, sm.PROTOCOL)
        except Exception as error:  # a member that went away: try another
            log.debug("chunks: no stream (%s)", type(error).__name__)
            return
        mine = held.author == runtime.me

        async def store(chunks: dict[int, bytes]) -> None:
            if not mine:
                quotas = self.quotas(runtime)
                for index, data in chunks.items():
                    if (
                        quotas.charge(held.author, len(data), self._clock.monotonic())
                        is not Verdict.OK
                    ):
                        self._count("attachment_over_quota")
                        raise _OverQuota(index)
            self._attachments.add_chunks(circle, message, chunks)
            now = self._attachments.get(circle, message)
            if now is not None:
                self._emit(
                    AttachmentProgress(
                        circle.hex(), message.hex(), now.have_bytes, now.manifest.size
                    )
                )
            self._waiters.wake((circle, message))

        try:
            outcome = await chunk_session.fetch(
                stream, circle, message, missing, hashes=held.manifest.hashes, store=store
            )
        except _OverQuota:
            log.info("chunks: the author's attachment quota is spent for now")
            return
        except chunk_session.ChunkSessionAborted as error:
            self._count("attachment_session_aborted")
            log.info("chunk session aborted: %s", error)
            self._bad_peers.setdefault((circle, message), set()).add(peer)
            return
        except (StreamError, trio.TooSlowError) as error:
            # the member vanished mid-transfer: what arrived is kept, the rest comes
            # from another member or later
            log.debug("chunk session broke off (%s)", type(error).__name__)
            return
        finally:
            with trio.move_on_after(1) as scope:
                scope.shield = True
                with contextlib.suppress(Exception):  # a stream already gone is fine
                    await stream.close()
        if outcome.tampered:
            self._count("attachment_chunk_tampered")
            log.warning("a member sent a chunk that does not match its signed hash")
            self._bad_peers.setdefault((circle, message), set()).add(peer)

    # -- serving -----------------------------------------------------------------------

    async def serve(self, stream: FramedStream, first: sm.ChunkWant) -> None:
        """Answer a member's chunk requests for one circle."""
        runtime = self._runtimes.by_id().get(first.circle)
        if runtime is None or not runtime.reached_at(stream.local_peer):
            return
        member = runtime.member_with_peer(stream.remote_peer)
        if member is None:
            return  # members only: a former member asks nothing of files

        def lookup(
            circle: bytes, message: bytes, indexes: tuple[int, ...]
        ) -> dict[int, bytes] | None:
            held = self._attachments.get(circle, message)
            if held is None:
                return {}
            if held.lamport < member.since_lamport:
                return None  # from before its admission: not for it
            return self._attachments.chunks(circle, message, indexes)

        try:
            await chunk_session.answer(stream, first, lookup)
        except chunk_session.ChunkSessionAborted as error:
            self._count("attachment_serve_aborted")
            log.info("chunk answer aborted: %s", error)
        except (StreamError, trio.TooSlowError) as error:
            log.debug("chunk answer broke off (%s)", type(error).__name__)

    # -- saving, viewing, clearing -------------------------------------------------------

    async def complete(
        self, circle_hex: str, message_hex: str
    ) -> tuple[CircleRuntime, StoredAttachment]:
        """The attachment once every chunk is held: fetched from members as needed,
        waiting while chunks keep arriving (ATTACHMENT_UNAVAILABLE after a stall)."""
        runtime = self._runtimes.require(circle_hex)
        message = id_from_hex(message_hex, "message id")
        held = self._attachments.get(runtime.circle_id, message)
        if held is None:
            stored = self._store.event(runtime.circle_id, message)
            if stored is None or stored.type is not EventType.MESSAGE:
                raise CommandError(Refusal.NO_SUCH_MESSAGE)
            manifest = manifest_of(stored)
            if manifest is None:
                raise CommandError(Refusal.NO_ATTACHMENT)
            self._record(runtime, stored, manifest)
            held = self._attachments.get(runtime.circle_id, message)
            if held is None:
                raise CommandError(Refusal.NO_ATTACHMENT)
        if held.state == OVER_LIMIT:
            raise CommandError(Refusal.ATTACHMENT_OVER_LIMIT)
        if held.state == CLEARED:
            self._attachments.set_state(runtime.circle_id, message, WANTED)
        key = (runtime.circle_id, message)
        while True:
            held = self._attachments.get(runtime.circle_id, message)
            if held is None:  # deleted meanwhile
                raise CommandError(Refusal.NO_SUCH_MESSAGE)
            if held.complete:
                return runtime, held
            arrived = self._waiters.event(key)
            self._bad_peers.pop(key, None)  # asked again: every member gets a new chance
            self.want(runtime, message)
            with trio.move_on_after(self._stall_seconds):
                await arrived.wait()
                continue
            raise CommandError(Refusal.ATTACHMENT_UNAVAILABLE)

    async def save(self, circle_hex: str, message_hex: str, path: str) -> tuple[str, int]:
        runtime, held = await self.complete(circle_hex, message_hex)
        chunks = self._attachments.chunks(
            runtime.circle_id, held.message, range(held.manifest.count)
        )
        target = attachment_files.target_path(path, held.manifest.name)

        def write() -> None:
            data = attachment_files.assemble(held.manifest, chunks)
            attachment_files.write_file(target, data)

        await in_thread(write)
        return str(target), held.manifest.size

    async def picture(self, circle_hex: str, message_hex: str) -> PictureView:
        runtime, held = await self.complete(circle_hex, message_hex)
        if not held.manifest.is_image:
            raise CommandError(Refusal.BAD_IMAGE, reason="that file is not a picture")
        chunks = self._attachments.chunks(
            runtime.circle_id, held.message, range(held.manifest.count)
        )

        def decode() -> tuple[bytes, int, int]:
            data = attachment_files.assemble(held.manifest, chunks)
            try:
                width, height = images.check_picture(data)
            except images.BadImage as error:
                raise CommandError(Refusal.BAD_IMAGE, reason=str(error)) from None
            return data, width, height

        data, width, height = await in_thread(decode)
        return PictureView(held.manifest.name, held.manifest.mime, width, height, data)

    def media(self, circle_hex: str) -> MediaView:
        runtime = self._runtimes.require(circle_hex)
        items = self._attachments.in_circle(runtime.circle_id)
        return MediaView(
            circle=circle_hex,
            bytes=sum(held.stored for held in items),
            limit=runtime.state.attachment_limit,
            items=tuple(
                MediaItemView(
                    message=held.message.hex(),
                    name=held.manifest.name,
                    mime=held.manifest.mime,
                    size=held.manifest.size,
                    have=held.have_bytes,
                    state=held.state,
                    ts=held.ts,
                    author_name=runtime.name_of(held.author),
                    mine=held.author == runtime.me,
                )
                for held in items
            ),
        )

    def clear(
        self, circle_hex: str, before: int | None = None, message_hex: str | None = None
    ) -> tuple[int, int]:
        """Drop the chunks of a circle's files (older than `before`, or one message);
        the messages and their manifests stay, so a file can be fetched again."""
        runtime = self._runtimes.require(circle_hex)
        chosen = [
            held
            for held in self._attachments.in_circle(runtime.circle_id)
            if held.stored
            and (before is None or held.ts < before)
            and (message_hex is None or held.message.hex() == message_hex.lower())
        ]
        freed = 0
        for held in chosen:
            size = self._attachments.clear(runtime.circle_id, [held.message])
            if held.author != runtime.me:
                self.quotas(runtime).forget_stored(held.author, size)
            freed += size
        if chosen:
            self._emit(HistoryChanged(circle_hex))
        return len(chosen), freed


class _OverQuota(Exception):
    """The file's author has spent its attachment quota with us: stop for now."""

    def __init__(self, index: int) -> None:
        super().__init__(f"chunk {index} over the author's quota")


def _view(held: StoredAttachment) -> AttachmentView:
    manifest = held.manifest
    return AttachmentView(
        manifest.name, manifest.size, manifest.mime, held.have_bytes, held.state, manifest.thumb
    )
