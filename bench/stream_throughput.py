"""Bytes over one libp2p stream between two of our hosts on 127.0.0.1 (issue 15): where
an attachment transfer's time does not go. Two `running_node` hosts (Noise, Yamux, the
project's settings) in one process; 20 MiB sent as framed messages, one way, then as
answers to requests with 1 and 4 requests in flight (the chunk protocol's shape, without
its storage). Prints MB/s and the process's CPU seconds; asserts nothing.

Run: .venv/bin/python bench/stream_throughput.py [--mb 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import multiaddr
import trio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerapp.network.framed import FramedStream
from peerapp.network.host import running_node

PROTOCOL = "/hearth-bench/stream/1"
MB = 1024 * 1024
FRAME = MB + 256  # about a chunk answer: four sealed 256 KiB chunks
WAIT = 120.0


def _ignore(peer: str) -> None:
    pass


async def measure(size: int, in_flight: int | None) -> tuple[float, float]:
    """Seconds and CPU seconds to move `size` bytes: one way (in_flight None) or as
    answers of FRAME bytes to requests, `in_flight` at a time."""
    payload = os.urandom(FRAME)
    frames = -(-size // FRAME)

    async def serve(stream: FramedStream) -> None:
        if in_flight is None:
            for _ in range(frames):
                await stream.receive(2 * FRAME, timeout=WAIT)
            await stream.send(b"ok")
            return
        while await stream.receive(16, timeout=WAIT) == b"want":
            await stream.send(payload, timeout=WAIT)

    listen = [multiaddr.Multiaddr("/ip4/127.0.0.1/tcp/0")]
    async with (
        running_node(os.urandom(32), listen, _ignore, _ignore) as asker,
        running_node(os.urandom(32), listen, _ignore, _ignore) as answerer,
    ):
        answerer.set_stream_handler(PROTOCOL, serve)
        stream = await asker.open_stream(answerer.peer_id, PROTOCOL, answerer.dialable_addrs())
        cpu, started = time.process_time(), time.perf_counter()
        with trio.fail_after(WAIT):
            if in_flight is None:
                for _ in range(frames):
                    await stream.send(payload, timeout=WAIT)
                await stream.receive(16, timeout=WAIT)
            else:
                asked = got = 0
                while got < frames:
                    while asked < frames and asked - got < in_flight:
                        await stream.send(b"want")
                        asked += 1
                    await stream.receive(2 * FRAME, timeout=WAIT)
                    got += 1
                await stream.send(b"done")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        await stream.close()
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    options = parser.parse_args()
    size = int(options.mb * MB)
    for label, in_flight in (("one way", None), ("answers, 1 in flight", 1), ("answers, 4", 4)):
        elapsed, cpu = trio.run(measure, size, in_flight)
        print(
            f"{label}: {options.mb:g} MB in {elapsed:.2f} s, {options.mb / elapsed:.1f} MB/s, "
            f"CPU {cpu:.2f} s (both hosts)"
        )


if __name__ == "__main__":
    main()
