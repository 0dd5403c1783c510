"""The in-memory framed stream pair behaves as a libp2p stream does for the framing's
callers: frames in order, a clean close, a reset seen by the other side, oversized and
malformed frames refused before their body, and a silent peer timing out."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import trio
from trio.testing import MockClock

from peerapp.network.framed import (
    FramedStream,
    FrameTooLarge,
    StreamClosed,
    StreamError,
    StreamReset,
    StreamTimeout,
)
from peerapp.network.framing import encode_frame
from peerapp.network.memory_streams import WINDOW_BYTES, memory_raw_pair, memory_stream_pair


def run(test: Callable[[], Awaitable[None]]) -> None:
    # a clock that jumps while every task waits: timeouts come at once, a hang fails at once
    async def bounded() -> None:
        with trio.fail_after(60):
            await test()

    trio.run(bounded, clock=MockClock(autojump_threshold=0))


def test_frames_arrive_in_order_and_each_end_names_both_peers() -> None:
    async def body() -> None:
        a, b = memory_stream_pair("peer-a", "peer-b", "/test/1")
        assert (a.local_peer, a.remote_peer, b.local_peer, b.remote_peer) == (
            "peer-a",
            "peer-b",
            "peer-b",
            "peer-a",
        )
        assert a.protocol == b.protocol == "/test/1"
        sizes = [0, 1, 127, 128, 70_000]
        for size in sizes:
            await a.send(bytes([size % 251]) * size)
        for size in sizes:
            assert await b.receive(100_000) == bytes([size % 251]) * size
        await b.send(b"back")
        assert await a.receive(10) == b"back"

    run(body)


def test_close_ends_one_direction_the_other_may_still_answer() -> None:
    async def body() -> None:
        a, b = memory_stream_pair("a", "b")
        await a.send(b"last")
        await a.close()
        assert await b.receive(10) == b"last"
        with pytest.raises(StreamClosed, match="receive: the peer closed the stream"):
            await b.receive(10)
        await b.send(b"reply after close")  # a half-closed stream still carries answers
        assert await a.receive(100) == b"reply after close"
        await a.close()  # closing twice is not an error

    run(body)


def test_a_reset_is_seen_by_a_waiting_reader_and_by_a_writer() -> None:
    async def body() -> None:
        a, b = memory_stream_pair("a", "b")
        seen: list[BaseException] = []

        async def read() -> None:
            try:
                await b.receive(10)
            except StreamError as error:
                seen.append(error)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(read)
            await trio.testing.wait_all_tasks_blocked()
            await a.reset()
        assert len(seen) == 1 and isinstance(seen[0], StreamReset)
        assert str(seen[0]) == "receive: the peer reset the stream"
        with pytest.raises(StreamReset):
            await b.send(b"too late")
        await a.reset()  # resetting a dead stream is not an error

    run(body)


def test_an_oversized_frame_is_refused_before_its_body_and_resets_the_stream() -> None:
    async def body() -> None:
        a, b = memory_stream_pair("a", "b")
        await a.send(b"x" * 1001)
        with pytest.raises(FrameTooLarge, match="exceeds the limit of 1000"):
            await b.receive(1000)
        with pytest.raises(StreamReset):  # the receiver reset: both sides know
            await a.send(b"more")

    run(body)


def test_a_malformed_header_is_a_stream_error_not_a_traceback() -> None:
    async def body() -> None:
        raw_a, raw_b = memory_raw_pair()
        b = FramedStream(raw_b, "a", "")
        await raw_a.write(b"\xff" * 11)  # a varint longer than any length
        with pytest.raises(StreamError, match="longer than any valid length"):
            await b.receive(2**70)
        # a body cut short by a clean close is a close, not a frame
        raw_c, raw_d = memory_raw_pair()
        d = FramedStream(raw_d, "c", "")
        await raw_c.write(encode_frame(b"whole body")[:5])
        await raw_c.close()
        with pytest.raises(StreamClosed):
            await d.receive(100)

    run(body)


def test_a_silent_peer_times_out_and_the_stream_is_reset() -> None:
    async def body() -> None:
        a, b = memory_stream_pair("a", "b")
        start = trio.current_time()
        with pytest.raises(StreamTimeout, match="no progress within 10 s"):
            await b.receive(10, timeout=10)
        assert trio.current_time() - start >= 10  # virtual seconds (mock clock)
        with pytest.raises(StreamReset):
            await a.receive(10)

    run(body)


def test_a_writer_ahead_of_its_reader_by_a_window_waits_then_times_out() -> None:
    async def body() -> None:
        a, _silent = memory_stream_pair("a", "b")
        chunk = b"x" * 60_000
        sent = 0
        with pytest.raises(StreamTimeout):  # b never reads: a Yamux window would fill
            for _ in range(100):
                await a.send(chunk, timeout=5)
                sent += 1
        assert sent * len(chunk) <= WINDOW_BYTES
        # a reader that keeps up lets any amount through
        c, d = memory_stream_pair("c", "d")
        async with trio.open_nursery() as nursery:

            async def read_all() -> None:
                for _ in range(20):
                    assert await d.receive(100_000) == chunk

            nursery.start_soon(read_all)
            for _ in range(20):
                await c.send(chunk, timeout=5)

    run(body)


def test_the_framing_and_the_memory_pair_import_no_libp2p() -> None:
    # the engine (and tests) may use them where no host exists: libp2p stays in streams.py
    probe = (
        "import sys, peerapp.network.framed, peerapp.network.memory_streams; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('libp2p', 'multiaddr')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],  # this checkout's peerapp
    )
    assert found.stdout.strip() == "[]"
