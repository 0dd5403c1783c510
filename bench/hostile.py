"""Honest command latency while a member floods (issue 11).

The victim is a real `peerapp node` process, founder of a circle. Each flood comes from
its own scripted hostile member (tests/engine/hostile_member.py: a bare libp2p node
genuinely admitted, so its keys are valid member keys). While a flood runs, a driver
thread sends the victim `send` and `members` commands back to back and times each reply;
printed per flood: p50 / p99 / max of those replies, and what the victim kept.

Phases:
  quiet   no flood: the same commands for --quiet seconds (default 5), the baseline on
          this machine at this moment (it is shared: compare each flood with it)
  sync    one pull answered with --flood of the member's own messages (default 8,000;
          the quota lets 5,000 through at once, then cuts the member off)
  late    --late rounds (default 20): the member reconnects, and the pull that follows
          brings one STATUS that sorts before the victim's newest control events (only
          the whole log can judge it), on a log of --log messages (default 5,000)
  orphan  one pull answered with --orphans events whose parents never exist (default 1,000)

    .venv/bin/python bench/hostile.py [--flood 8000] [--late 20] [--log 5000] [--orphans 1000]

Target (issue 11): honest command p99 <= 100 ms under any flood.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import trio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peerapp.core import sync_messages as sm
from peerapp.core.invite_code import decode_invite
from peerapp.network.framed import FramedStream, StreamError
from peerapp.network.host import NetworkNode, running_node
from tests.e2e.node_process import Node
from tests.engine.hostile_member import HostileMember, admit, answering

WAIT = 120.0


class Driver:
    """Honest commands to the victim, back to back, each timed, in a thread of its own."""

    def __init__(self, victim: Node, circle: str, window: list[float]) -> None:
        self._victim = victim
        self._circle = circle
        self._window = window  # starts once the flood has begun (the first entry)
        self._stop = threading.Event()
        self.samples: list[tuple[float, float]] = []  # (sent at, seconds to the reply)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Driver:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(WAIT)

    def _run(self) -> None:
        deadline = time.monotonic() + 10 * WAIT
        for number in range(1_000_000):  # bounded; ends when the flood has passed
            if self._stop.is_set() or time.monotonic() > deadline:
                return
            if not self._window:
                time.sleep(0.01)  # the scenario still talks to the victim itself
                continue
            began = time.monotonic()
            if number % 2:
                reply = self._victim.call("members", circle=self._circle)
            else:
                reply = self._victim.call("send", circle=self._circle, text=f"honest {number}")
            self.samples.append((began, time.monotonic() - began))
            assert reply["ok"], reply
            time.sleep(0.01)  # a person types; a front does not hammer


def _figures(name: str, samples: list[float], extra: str) -> None:
    if not samples:
        print(f"{name:7s} no honest command ran during the flood")
        return
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{name:7s} commands {len(ordered):4d}  p50 {statistics.median(ordered) * 1000:6.1f} ms"
        f"  p99 {p99 * 1000:6.1f} ms  max {ordered[-1] * 1000:6.1f} ms  {extra}"
    )


Scenario = Callable[[NetworkNode, HostileMember, list[float]], Awaitable[None]]


def _flood(victim: Node, circle: str, seed: bytes, scenario: Scenario) -> list[float]:
    """Admit a hostile member, run `scenario` while timing honest commands; returns the
    latencies of the commands sent between the flood's first and last moment."""
    code = decode_invite(victim.call("invite", circle=circle)["code"])
    window: list[float] = []  # flood began, flood ended (monotonic)

    async def main() -> None:
        async with running_node(seed, [], lambda p: None, lambda p: None) as node:
            member = await admit(node, code)
            await scenario(node, member, window)

    with Driver(victim, circle, window) as driver:
        with contextlib.suppress(StreamError):
            trio.run(main)
        time.sleep(0.5)  # the tail of the flood's work, still timed
    began, ended = window[0], window[-1] + 0.5
    return [latency for sent, latency in driver.samples if began <= sent <= ended]


def _timed(handler: Callable[[FramedStream], Awaitable[None]], window: list[float]) -> Any:
    async def serve(stream: FramedStream) -> None:
        window.append(time.monotonic())
        try:
            await handler(stream)
        finally:
            window.append(time.monotonic())

    return serve


async def _until(condition: Callable[[], bool]) -> None:
    with trio.fail_after(WAIT):
        while not condition():
            await trio.sleep(0.05)


def quiet(victim: Node, circle: str, seconds: float) -> None:
    window: list[float] = []
    with Driver(victim, circle, window) as driver:
        window.append(time.monotonic())
        time.sleep(seconds)
    _figures("quiet", [latency for _, latency in driver.samples], "no flood")


def sync_flood(victim: Node, circle: str, count: int) -> None:
    stored: dict[str, Any] = {}

    async def scenario(node: NetworkNode, member: HostileMember, window: list[float]) -> None:
        flood = member.messages(count)
        node.set_stream_handler(sm.PROTOCOL, _timed(answering(flood), window))
        await _until(lambda: len(window) >= 2)  # the victim pulled and cut it off
        stored["key"] = member.key.hex()

    latencies = _flood(victim, circle, b"\x41" * 32, scenario)
    (usage,) = victim.call("circle_usage", circle=circle)["circles"]
    mine: dict[str, Any] = next((m for m in usage["members"] if m["id"] == stored["key"]), {})
    _figures(
        "sync",
        latencies,
        f"offered {count}, stored {mine.get('events', 0)}, refused {mine.get('refused', 0)}",
    )


def late_flood(victim: Node, circle: str, rounds: int) -> None:
    address = victim.ready["addrs"][0]

    async def scenario(node: NetworkNode, member: HostileMember, window: list[float]) -> None:
        for _ in range(30):  # control events that sort after every late STATUS below
            await trio.to_thread.run_sync(lambda: victim.call("invite", circle=circle))
        late = member.statuses(rounds)
        peer = address.rsplit("/p2p/", 1)[1]
        for event in late:
            served: list[float] = []
            node.set_stream_handler(sm.PROTOCOL, _timed(answering([event]), served))
            await node.disconnect(peer)
            await node.connect(address)  # a member connecting is pulled from at once
            await _until(lambda served=served: len(served) >= 2)  # type: ignore[misc]
            window.extend(served)

    latencies = _flood(victim, circle, b"\x42" * 32, scenario)
    judged = re.findall(
        r"late events judged: (\d+) by resolving (\d+) events \(([^)]*)\) in ([\d.]+) s",
        victim.stderr_text(),
    )
    seconds = [float(s) for _, _, _, s in judged]
    resumed = [int(n) for _, n, how, _ in judged if how == "resumed"]
    _figures(
        "late",
        latencies,
        f"{rounds} late events, {len(judged)} background resolutions "
        f"({len(resumed)} resumed from a checkpoint, refolding {min(resumed, default=0)}-"
        f"{max(resumed, default=0)} events; the rest whole), "
        f"longest {max(seconds, default=0):.2f} s",
    )


def orphan_flood(victim: Node, circle: str, count: int) -> None:
    async def scenario(node: NetworkNode, member: HostileMember, window: list[float]) -> None:
        node.set_stream_handler(sm.PROTOCOL, _timed(answering(member.orphans(count)), window))
        await _until(lambda: len(window) >= 2)

    latencies = _flood(victim, circle, b"\x43" * 32, scenario)
    held = victim.call("sync_status", circle=circle)["held_back"]
    _figures("orphan", latencies, f"offered {count}, held back {held}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quiet", type=float, default=5.0)
    parser.add_argument("--flood", type=int, default=8000)
    parser.add_argument("--late", type=int, default=20)
    parser.add_argument("--log", type=int, default=5000)
    parser.add_argument("--orphans", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        victim = Node(Path(folder) / "victim")
        try:
            circle = victim.call("create_circle", name="Target", member_name="V")["circle"]
            began = time.monotonic()
            victim.call_many(
                [{"cmd": "send", "circle": circle, "text": f"log {n}"} for n in range(options.log)]
            )
            print(f"log     {options.log} messages written in {time.monotonic() - began:.1f} s")
            print(f"load    average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            quiet(victim, circle, options.quiet)
            sync_flood(victim, circle, options.flood)
            late_flood(victim, circle, options.late)
            orphan_flood(victim, circle, options.orphans)
        finally:
            victim.kill()


if __name__ == "__main__":
    main()
