"""GossipSub figures on loopback: publish-to-receive latency between 3 nodes at 20 msg/s,
and bursts at full speed (with our back-pressure, and with py-libp2p's plain 32-RPC
queue for comparison). Prints figures; asserts nothing.

Run: .venv/bin/python bench/pubsub_latency.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

import multiaddr
import trio

from peerapp.network import pubsub
from peerapp.network.host import NetworkNode, running_node
from peerapp.network.pubsub import PubsubMessage

TOPIC = "bench"
RATE_PER_SECOND = 20
LATENCY_SECONDS = 10
PAYLOAD_BYTES = 1024  # about one padded chat message
BURSTS = (16, 50, 100, 200, 500, 1000, 2000)


class Arrivals:
    """Receive times per node, keyed by payload."""

    def __init__(self) -> None:
        self.at: dict[int, dict[bytes, float]] = {}

    def recorder(self, index: int) -> Callable[[PubsubMessage], None]:
        received = self.at.setdefault(index, {})

        def record(message: PubsubMessage) -> None:
            received.setdefault(message.data, time.perf_counter())

        return record


@asynccontextmanager
async def triangle(arrivals: Arrivals, line: bool = False) -> AsyncIterator[list[NetworkNode]]:
    async with AsyncExitStack() as stack:
        nodes = [
            await stack.enter_async_context(
                running_node(
                    bytes([index + 1]) * 32,
                    [multiaddr.Multiaddr("/ip4/127.0.0.1/tcp/0")],
                    lambda peer_id: None,
                    lambda peer_id: None,
                    arrivals.recorder(index),
                )
            )
            for index in range(3)
        ]
        links = [(1, 0), (2, 1)] if line else [(1, 0), (2, 1), (2, 0)]
        for dialer, listener in links:
            await nodes[dialer].connect(nodes[listener].dialable_addrs()[0])
        for node in nodes:
            await node.subscribe(TOPIC)
        expected = {0: {1}, 1: {0, 2}, 2: {1}} if line else {0: {1, 2}, 1: {0, 2}, 2: {0, 1}}
        with trio.fail_after(10):
            while not all(
                set(nodes[i].topic_peers(TOPIC)) == {nodes[j].peer_id for j in expected[i]}
                for i in range(3)
            ):
                await trio.sleep(0.01)
        yield nodes


def payload(sequence: int) -> bytes:
    return sequence.to_bytes(8, "big") + bytes(PAYLOAD_BYTES - 8)


async def latency(line: bool) -> None:
    arrivals = Arrivals()
    sent: dict[bytes, tuple[int, float]] = {}
    async with triangle(arrivals, line) as nodes:
        count = RATE_PER_SECOND * LATENCY_SECONDS
        start = trio.current_time()
        for sequence in range(count):
            await trio.sleep_until(start + sequence / RATE_PER_SECOND)
            sender = sequence % 3  # everyone talks, in turn
            data = payload(sequence)
            sent[data] = (sender, time.perf_counter())
            await nodes[sender].publish(TOPIC, data)
        with trio.move_on_after(5):
            while sum(len(a) for a in arrivals.at.values()) < 2 * count:
                await trio.sleep(0.01)
    samples = [
        (arrivals.at[receiver][data] - at) * 1000
        for data, (sender, at) in sent.items()
        for receiver in range(3)
        if receiver != sender and data in arrivals.at[receiver]
    ]
    samples.sort()
    lost = 2 * len(sent) - len(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    shape = "line (a relay hop for 1/3 of pairs)" if line else "triangle"
    print(
        f"latency, {shape}, {RATE_PER_SECOND} msg/s for {LATENCY_SECONDS} s: "
        f"p50 {statistics.median(samples):.1f} ms, p99 {p99:.1f} ms, "
        f"max {samples[-1]:.1f} ms over {len(samples)} deliveries, lost {lost}"
    )


async def burst(
    size: int, line: bool, bound_seconds: float
) -> tuple[int, float, float, dict[str, int]]:
    """(messages received by the slowest receiver, publish rate, delivery rate, counters)."""
    arrivals = Arrivals()
    async with triangle(arrivals, line) as nodes:
        began = time.perf_counter()
        for sequence in range(size):
            await nodes[0].publish(TOPIC, payload(sequence))
        published = time.perf_counter() - began
        with trio.move_on_after(bound_seconds):
            while min(len(arrivals.at[1]), len(arrivals.at[2])) < size:
                await trio.sleep(0.005)
        received = min(len(arrivals.at[1]), len(arrivals.at[2]))
        last = max((t for i in (1, 2) for t in arrivals.at[i].values()), default=began)
        return received, size / published, received / (last - began), nodes[0].counters()


async def bursts(line: bool, library_queue: bool) -> None:
    saved = pubsub.OUTBOUND_QUEUE_RPCS, pubsub.PUBLISH_HIGH_WATER
    if library_queue:  # what py-libp2p does without our changes to its queue
        pubsub.OUTBOUND_QUEUE_RPCS, pubsub.PUBLISH_HIGH_WATER = 32, 10**9
    label = "library queue (32, no back-pressure)" if library_queue else "ours"
    try:
        for size in BURSTS:
            # lost is lost: every peer is in the mesh, so no gossip would repair it
            bound = 5 if library_queue else max(10, size / 20)
            received, publish_rate, delivery_rate, counters = await burst(size, line, bound)
            print(
                f"burst {size:5d}, {label}, {'line' if line else 'triangle'}: "
                f"{received}/{size} at both receivers, published at {publish_rate:.0f} msg/s, "
                f"delivered at {delivery_rate:.0f} msg/s, "
                f"queue drops {counters['dropped_queue_full']}, "
                f"publishes that waited {counters['publish_waits']}"
            )
            if library_queue and received < size and size >= 100:
                break
    finally:
        pubsub.OUTBOUND_QUEUE_RPCS, pubsub.PUBLISH_HIGH_WATER = saved


async def main() -> None:
    await latency(line=False)
    await latency(line=True)
    await bursts(line=True, library_queue=False)
    await bursts(line=False, library_queue=False)
    await bursts(line=True, library_queue=True)


if __name__ == "__main__":
    trio.run(main)
