"""A full disk, for real (a small tmpfs): the engine still starts, answers, shows what each
circle takes, and a member's flood meeting the full disk is counted, not fatal.

Mounting needs root (as on the project's machines and CI); elsewhere the tests skip.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trio

from peerapp.core import sync_messages as sm
from peerapp.core.errors import StorageFull
from peerapp.core.invite_code import decode_invite
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.engine.engine import Engine
from peerapp.engine.thread import EngineThread
from peerapp.network.framed import StreamError
from peerapp.network.host import running_node
from peerapp.node.json_requests import request_json
from peerapp.storage.profile import UnlockedProfile, create_profile, unlock_profile
from peerapp.storage.reserve import RESERVE_FILE
from tests.engine.engine_support import QUICK_SYNC
from tests.engine.hostile_member import admit, answering
from tests.tmpfs import mounted_tmpfs

TMPFS_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024
PASSPHRASE = "disk full passphrase"
LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
WAIT = 60.0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "small", TMPFS_BYTES) as mountpoint:
        yield mountpoint


def _fill(disk: Path, name: str) -> None:
    """Write a filler file until the disk refuses."""
    descriptor = os.open(disk / name, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for _ in range(TMPFS_BYTES // CHUNK + 16):  # bounded: the disk is that small
            try:
                os.write(descriptor, bytes(CHUNK))
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
        else:
            raise AssertionError("the tmpfs never filled up")
        with contextlib.suppress(OSError):  # the last few bytes, in small writes
            for _ in range(CHUNK // 512):
                os.write(descriptor, bytes(512))
    finally:
        os.close(descriptor)


def _engine(profile: UnlockedProfile) -> EngineThread:
    thread = EngineThread(
        lambda emit: Engine(profile, LOOPBACK, emit, network=DIRECT_RUN, timings=QUICK_SYNC),
        lambda event: None,
    )
    thread.start().result(WAIT)
    return thread


def _call(engine: EngineThread, command: str, **arguments: Any) -> dict[str, Any]:
    result: dict[str, Any] = request_json(engine, command, **arguments).result(WAIT)
    return result


def test_the_engine_starts_on_a_full_disk(small_disk: Path) -> None:
    folder = small_disk / "profile"
    engine = _engine(create_profile(folder, PASSPHRASE, TEST_KDF))
    assert (folder / RESERVE_FILE).is_file()
    try:
        circle = _call(engine, "create_circle", name="Kept")["circle"]
        for number in range(5):
            _call(engine, "send", circle=circle, text=f"message {number}")
    finally:
        assert engine.stop()
    _fill(small_disk, "filler")

    engine = _engine(unlock_profile(folder, PASSPHRASE))
    try:
        texts = [m["text"] for m in _call(engine, "history", circle=circle)["messages"]]
        assert texts == [f"message {number}" for number in range(5)]
        (usage,) = _call(engine, "circle_usage")["circles"]
        assert usage["circle"] == circle and usage["bytes"] > 0
        assert not (folder / RESERVE_FILE).exists()  # spent to open; taken back later
    finally:
        assert engine.stop()
    (small_disk / "filler").unlink()
    engine = _engine(unlock_profile(folder, PASSPHRASE))
    try:
        assert (folder / RESERVE_FILE).is_file()
        _call(engine, "send", circle=circle, text="room again")
    finally:
        assert engine.stop()


def test_a_flood_that_meets_a_full_disk_is_counted_not_fatal(small_disk: Path) -> None:
    engine = _engine(create_profile(small_disk / "victim", PASSPHRASE, TEST_KDF))
    try:
        circle = _call(engine, "create_circle", name="Target")["circle"]
        code = decode_invite(_call(engine, "invite", circle=circle)["code"])

        def disk_full_counted() -> bool:
            dropped: dict[str, int] = _call(engine, "circle_usage")["dropped"]
            return dropped.get("disk_full", 0) > 0

        async def flood() -> None:
            async with running_node(b"\x31" * 32, [], lambda p: None, lambda p: None) as node:
                member = await admit(node, code)  # admitted while there was room
                _fill(small_disk, "filler")
                node.set_stream_handler(sm.PROTOCOL, answering(member.messages(300)))
                with trio.fail_after(WAIT):
                    while not await trio.to_thread.run_sync(disk_full_counted):
                        await trio.sleep(0.05)

        with contextlib.suppress(StreamError):
            trio.run(flood)
        assert _call(engine, "status")["peer_id"]  # still running and answering
        assert _call(engine, "history", circle=circle)["messages"] == []
        with pytest.raises(StorageFull):
            request_json(engine, "send", circle=circle, text="no room").result(WAIT)
    finally:
        assert engine.stop()
