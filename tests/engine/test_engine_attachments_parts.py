"""Pictures and files between members, socket-free (issue 15): the parts as the service
wires them (tests/engine/circle_parts.py), chunks over in-memory sync streams
(network/memory_streams.py), real SQLCipher files, real Pillow.

- a file is fetched from any member who holds it, so its author may be offline;
- a chunk that does not match its signed hash is refused, counted, not stored, and the
  file comes from another member;
- a member that vanishes mid-transfer costs nothing stored: the rest comes later;
- a file over the circle's limit is refused when sent and never fetched when received;
- a picture is re-encoded without its metadata; a malformed picture or a decompression
  bomb is refused with a reason.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import trio
from PIL import Image

from peerapp.core import attachment_policy as ap
from peerapp.core import sync_messages as sm
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.events import AttachmentProgress
from peerapp.engine import attachments as attachments_module
from peerapp.engine.attachment_files import seal
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.network.framed import FramedStream
from peerapp.storage.attachment_store import OVER_LIMIT
from tests.engine.circle_parts import (
    Member,
    admit,
    circle_of,
    in_reach,
    open_hosts,
    run,
)

CHUNKS = 5
SIZE = ap.CHUNK_BYTES * (CHUNKS - 1) + 1234  # five chunks, the last one short


async def inline(work: Any, *args: Any) -> Any:
    """Files are read and sealed in a worker thread in the app; here inline, since trio's
    jumping clock (circle_parts.run) does not wait for threads."""
    return work(*args)


@pytest.fixture(autouse=True)
def work_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments_module, "in_thread", inline)


@asynccontextmanager
async def members(folder: Path) -> AsyncIterator[tuple[trio.Nursery, list[Member]]]:
    """Ann, Bee and Cat with memory hosts whose streams are served in `network`, which
    ends with the block (also when it fails)."""
    async with trio.open_nursery() as network:
        try:
            async with circle_of(folder, "Ann", "Bee", "Cat") as made:
                yield network, made
        finally:
            network.cancel_scope.cancel()


class Circle:
    """Ann (founder), Bee and Cat, each with its runtime, all knowing each other."""

    def __init__(self, members: list[Member], runtimes: list[CircleRuntime]) -> None:
        self.ann, self.bee, self.cat = members
        self.rt = dict(zip(("ann", "bee", "cat"), runtimes, strict=True))
        self.hex = runtimes[0].circle_id.hex()

    def online(self, member: Member, *others: Member) -> None:
        """`member` sees exactly `others` online, and reaches them."""
        member.online_peers.clear()
        assert member.host is not None
        member.host.reachable.clear()
        for other in others:
            member.online_peers.add(other.peer)
            in_reach(member, other)


async def three(folder: Path, network: trio.Nursery, members: list[Member]) -> Circle:
    ann, bee, cat = members
    ann_rt = ann.found()
    bee_rt = await admit(ann, ann_rt, bee)
    cat_rt = await admit(ann, ann_rt, cat)
    log = [stored.signed for stored in ann.store.events_in_order(ann_rt.circle_id)]
    bee.receive(bee_rt, log)  # Bee learns of Cat's admission
    cat.receive(cat_rt, log)
    open_hosts(network, ann, bee, cat)
    return Circle(members, [ann_rt, bee_rt, cat_rt])


def a_file(folder: Path, size: int = SIZE, name: str = "notes.pdf") -> tuple[Path, bytes]:
    data = os.urandom(size)
    path = folder / name
    path.write_bytes(data)
    return path, data


async def hand_over(circle: Circle, message: bytes, *to: str) -> None:
    """Ann's event `message` stored and announced by the members `to`, as a pull (or
    GossipSub) stores it."""
    signed = circle.ann.store.signed_in_order(circle.rt["ann"].circle_id, [message])
    for who in to:
        member: Member = getattr(circle, who)
        accepted = member.receive(circle.rt[who], signed)
        assert [s.id for s in accepted] == [message]
        await member.log.announce(circle.rt[who], accepted)


async def sent(circle: Circle, path: Path) -> bytes:
    """Ann attaches `path`; Bee and Cat store her message (not its chunks yet)."""
    view = await circle.ann.parts.attachments.attach(circle.hex, str(path), "for you")
    assert view.attachment is not None and view.attachment.have == view.attachment.size
    message = bytes.fromhex(view.id)
    await hand_over(circle, message, "bee", "cat")
    return message


async def fetch(circle: Circle, who: str, message: bytes) -> None:
    member = getattr(circle, who)
    await member.parts.attachments.fetch(circle.rt[who], message)


def held(member: Member, circle: Circle, who: str, message: bytes) -> Any:
    stored = member.store.event(circle.rt[who].circle_id, message)
    assert stored is not None
    return member.parts.attachments.view_of(circle.rt[who], stored)


def test_a_file_comes_from_another_member_while_its_author_is_offline(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with members(tmp_path) as (network, made):
            circle = await three(tmp_path, network, made)
            path, data = a_file(tmp_path)
            message = await sent(circle, path)
            before = held(circle.bee, circle, "bee", message)
            assert (before.name, before.size, before.have) == ("notes.pdf", SIZE, 0)

            circle.online(circle.bee, circle.ann)
            await fetch(circle, "bee", message)
            assert held(circle.bee, circle, "bee", message).have == SIZE
            progress = circle.bee.record.events(AttachmentProgress)
            assert progress and progress[-1] == AttachmentProgress(
                circle.hex, message.hex(), SIZE, SIZE
            )

            # Ann goes offline: Cat gets the whole file from Bee
            circle.online(circle.cat, circle.bee)
            await fetch(circle, "cat", message)  # (the service spawns it; a recorder here)
            out = tmp_path / "saved"
            out.mkdir()
            saved, size = await circle.cat.parts.attachments.save(
                circle.hex, message.hex(), str(out)
            )
            assert (Path(saved), size) == (out / "notes.pdf", SIZE)
            assert Path(saved).read_bytes() == data

    run(scenario)


def test_a_tampered_chunk_is_refused_counted_and_fetched_from_another_member(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with members(tmp_path) as (network, made):
            circle = await three(tmp_path, network, made)
            path, data = a_file(tmp_path)
            message = await sent(circle, path)
            circle.online(circle.bee, circle.ann)
            await fetch(circle, "bee", message)
            # Bee's copy of chunk 2 is changed (a hostile member, or a bad disk)
            with circle.bee.database.transaction() as connection:
                connection.execute(
                    "UPDATE attachment_chunks SET data = zeroblob(length(data)) WHERE idx = 2"
                )

            circle.online(circle.cat, circle.bee)  # only Bee online
            await fetch(circle, "cat", message)
            assert circle.cat.record.counted.count("attachment_chunk_tampered") == 1
            stored = circle.cat.parts.attachments  # nothing of chunk 2 or after was kept
            kept = circle.cat.database.query(
                "SELECT idx FROM attachment_chunks WHERE message = ? ORDER BY idx", (message,)
            )
            assert [row[0] for row in kept] == [0, 1]
            # Bee is not asked for this file again; Ann, back online, sends the rest
            circle.online(circle.cat, circle.bee, circle.ann)
            await fetch(circle, "cat", message)
            assert held(circle.cat, circle, "cat", message).have == SIZE
            assert circle.cat.record.counted.count("attachment_chunk_tampered") == 1
            saved, _ = await stored.save(circle.hex, message.hex(), str(tmp_path / "out.pdf"))
            assert Path(saved).read_bytes() == data

    run(scenario)


def test_a_member_vanishing_mid_transfer_loses_nothing_stored(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with members(tmp_path) as (network, made):
            circle = await three(tmp_path, network, made)
            path, data = a_file(tmp_path)
            message = await sent(circle, path)
            ann = circle.ann
            serve = ann.parts.sync.serve

            async def vanishing(stream: FramedStream) -> None:
                """Ann answers one request, then her connection drops."""
                first = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
                assert isinstance(first, sm.ChunkWant)
                chunks = ann.parts.attachments._attachments.chunks(
                    first.circle, first.message, first.indexes
                )
                await stream.send(sm.encode_sync_frame(sm.ChunkData(tuple(sorted(chunks.items())))))
                await stream.reset()

            ann.parts.sync.serve = vanishing  # type: ignore[method-assign]
            circle.online(circle.bee, circle.ann)
            await fetch(circle, "bee", message)
            first_part = held(circle.bee, circle, "bee", message).have
            assert first_part == sm.MAX_CHUNKS_PER_FRAME * ap.CHUNK_BYTES < SIZE

            ann.parts.sync.serve = serve  # type: ignore[method-assign]
            await fetch(circle, "bee", message)  # resumes: asks only for what is missing
            assert held(circle.bee, circle, "bee", message).have == SIZE
            saved, _ = await circle.bee.parts.attachments.save(
                circle.hex, message.hex(), str(tmp_path / "out.pdf")
            )
            assert Path(saved).read_bytes() == data

    run(scenario)


def test_a_file_over_the_circles_limit_is_refused_and_never_fetched(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with members(tmp_path) as (network, made):
            circle = await three(tmp_path, network, made)
            ann, bee = circle.ann, circle.bee
            await ann.moderation.set_settings(
                circle.hex,
                slow_mode_seconds=None,
                join_approval=None,
                guidelines=None,
                attachment_limit=ap.MIN_LIMIT_BYTES,
            )
            settings = ann.store.heads(circle.rt["ann"].circle_id)[0]
            await hand_over(circle, settings, "bee")
            assert circle.rt["bee"].state.attachment_limit == ap.MIN_LIMIT_BYTES
            big, _ = a_file(tmp_path, ap.MIN_LIMIT_BYTES + 1)
            with pytest.raises(CommandError) as refused:
                await ann.parts.attachments.attach(circle.hex, str(big))
            assert refused.value.refusal is Refusal.ATTACHMENT_TOO_LARGE

            # a hostile member's app skips the check: every replica judges on receipt
            outgoing = seal(
                os.urandom(ap.MIN_LIMIT_BYTES + 1), name="big.bin", mime="application/octet-stream"
            )
            body = {"text": "", "attachment": outgoing.manifest.to_body()}
            stored, _ = ann.log.append(
                ann.runtimes.require(circle.hex),
                [ann.log.author(ann.runtimes.require(circle.hex), EventType.MESSAGE, body)],
            )
            message = stored[0].id
            await hand_over(circle, message, "bee")
            assert held(bee, circle, "bee", message).state == OVER_LIMIT
            assert "attachment_over_limit" in bee.record.counted
            with pytest.raises(CommandError) as refused:
                await bee.parts.attachments.save(circle.hex, message.hex(), str(tmp_path / "x"))
            assert refused.value.refusal is Refusal.ATTACHMENT_OVER_LIMIT
            assert bee.database.query("SELECT count(*) FROM attachment_chunks")[0][0] == 0

    run(scenario)


def _jpeg_with_location() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS: latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_picture_is_sent_without_its_metadata_with_a_thumbnail(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with members(tmp_path) as (network, made):
            circle = await three(tmp_path, network, made)
            photo = tmp_path / "holiday.jpeg"
            photo.write_bytes(_jpeg_with_location())
            assert b"SecretCameraMaker" in photo.read_bytes()
            message = await sent(circle, photo)
            view = held(circle.bee, circle, "bee", message)
            assert (view.name, view.mime) == ("holiday.jpg", "image/jpeg")
            assert view.thumb.startswith(b"\xff\xd8")  # Pillow checked it on receipt
            circle.online(circle.bee, circle.ann)
            await fetch(circle, "bee", message)
            picture = await circle.bee.parts.attachments.picture(circle.hex, message.hex())
            assert (picture.width, picture.height) == (640, 480)
            assert b"SecretCameraMaker" not in picture.data
            assert not Image.open(io.BytesIO(picture.data)).getexif()

    run(scenario)


def _bomb() -> bytes:
    """A PNG of more pixels than we decode (tiny on disk: one colour)."""
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "could not be read"),
        ("photo.jpg", b"this is not a picture at all", "could not be read"),
        ("bomb.png", None, "too large to open safely"),
    ],
)
def test_a_malformed_picture_or_a_bomb_is_refused_with_a_reason(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    async def scenario() -> None:
        async with members(tmp_path) as (network, made):
            circle = await three(tmp_path, network, made)
            path = tmp_path / name
            path.write_bytes(_bomb() if content is None else content)
            with pytest.raises(CommandError) as refused:
                await circle.ann.parts.attachments.attach(circle.hex, str(path))
            assert refused.value.refusal is Refusal.BAD_IMAGE
            assert reason in str(refused.value)
            assert circle.ann.database.query("SELECT count(*) FROM attachments")[0][0] == 0

    run(scenario)


def test_deleting_a_message_erases_its_file_everywhere(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with members(tmp_path) as (network, made):
            circle = await three(tmp_path, network, made)
            path, _ = a_file(tmp_path)
            message = await sent(circle, path)
            circle.online(circle.bee, circle.ann)
            await fetch(circle, "bee", message)
            assert circle.bee.database.query("SELECT count(*) FROM attachment_chunks")[0][0]

            await circle.ann.moderation.delete_message(circle.hex, message.hex(), "")
            deleted = circle.ann.store.heads(circle.rt["ann"].circle_id)[0]
            await hand_over(circle, deleted, "bee")
            for member in (circle.ann, circle.bee):
                assert member.database.query("SELECT count(*) FROM attachments")[0][0] == 0
                assert member.database.query("SELECT count(*) FROM attachment_chunks")[0][0] == 0

    run(scenario)
