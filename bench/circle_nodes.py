"""Five `peerapp node` processes in one circle on loopback.

Prints: join time (join command to first message received), send-to-stored-at-every-member
latency at 20 msg/s total (p50/p99), and delivery at rising total rates with the loss at
each. Figures only; nothing here passes or fails.

    .venv/bin/python bench/circle_nodes.py [--seconds 60] [--rates 50,100,150,200]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PASSPHRASE = "benchmark passphrase only"  # noqa: S105 (throwaway profiles)
WAIT = 60.0


class BenchNode:
    """A node process whose stdout lines are timestamped the moment they arrive."""

    def __init__(self, profile: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "peerapp",
                "node",
                "--profile",
                str(profile),
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PEERAPP_PASSPHRASE": PASSPHRASE},
        )
        self.replies: dict[Any, queue.Queue[dict[str, Any]]] = {}
        self.arrivals: dict[str, float] = {}  # message id -> when its event arrived
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._ready: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.ready = self._ready.get(timeout=WAIT)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            now = time.perf_counter()
            line = json.loads(raw)
            event = line.get("event")
            if event == "ready":
                self._ready.put(line)
            elif event == "message":
                self.arrivals[line["message"]["id"]] = now
            elif event is None:
                with self._lock:
                    box = self.replies.setdefault(line["id"], queue.Queue())
                box.put(line)

    def call(self, cmd: str, **arguments: Any) -> dict[str, Any]:
        request_id = next(self._ids)
        with self._lock:
            box = self.replies.setdefault(request_id, queue.Queue())
        assert self.process.stdin is not None
        self.process.stdin.write(
            json.dumps({"id": request_id, "cmd": cmd, **arguments}).encode() + b"\n"
        )
        self.process.stdin.flush()
        reply = box.get(timeout=WAIT)
        if not reply["ok"]:
            raise RuntimeError(reply["error"])
        return reply

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def spread(latencies: list[float]) -> str:
    if not latencies:
        return "no message fully delivered"
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"


def run_rate(
    nodes: list[BenchNode], circle: str, rate: float, seconds: float
) -> tuple[list[float], int, int]:
    """Send `rate` msg/s in total, round robin over the nodes; latencies and losses."""
    sent: list[tuple[str, float, BenchNode]] = []
    lock = threading.Lock()
    per_node = rate / len(nodes)

    def sender(node: BenchNode) -> None:
        began = time.perf_counter()
        count = int(per_node * seconds)
        for index in range(count):
            target = began + index / per_node
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            at = time.perf_counter()
            message = node.call("send", circle=circle, text=f"bench {index}")["message"]
            with lock:
                sent.append((message, at, node))

    threads = [threading.Thread(target=sender, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.perf_counter() + 15

    def missing() -> int:
        return sum(
            1 for m, _, author in sent for n in nodes if n is not author and m not in n.arrivals
        )

    while missing() and time.perf_counter() < deadline:
        time.sleep(0.1)
    latencies = [
        max(n.arrivals[m] for n in nodes if n is not author) - at
        for m, at, author in sent
        if all(m in n.arrivals for n in nodes if n is not author)
    ]
    return latencies, missing(), len(sent) * (len(nodes) - 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rates", default="50,100,150,200")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        nodes = [BenchNode(Path(folder) / f"n{i}") for i in range(options.nodes)]
        try:
            founder = nodes[0]
            circle = founder.call("create_circle", name="Bench", member_name="n0")["circle"]
            join_times = []
            for index, node in enumerate(nodes[1:], start=1):
                code = founder.call("invite", circle=circle)["code"]
                began = time.perf_counter()
                node.call("join", code=code, name=f"n{index}")
                probe = founder.call("send", circle=circle, text="welcome")["message"]
                limit = time.perf_counter() + WAIT
                while probe not in node.arrivals and time.perf_counter() < limit:
                    time.sleep(0.005)
                join_times.append(node.arrivals.get(probe, float("nan")) - began)
            print(
                f"join -> first message received: median {statistics.median(join_times):.2f} s, "
                f"max {max(join_times):.2f} s over {len(join_times)} joins"
            )
            latencies, lost, expected = run_rate(nodes, circle, 20, min(options.seconds, 30))
            print(
                f"20 msg/s total, {len(nodes)} members: send->stored at every member "
                f"{spread(latencies)}, lost {lost} of {expected} deliveries"
            )
            for rate in (float(r) for r in options.rates.split(",")):
                latencies, lost, expected = run_rate(nodes, circle, rate, options.seconds)
                achieved = len(latencies) / options.seconds
                print(
                    f"{rate:.0f} msg/s offered for {options.seconds:.0f} s: "
                    f"lost {lost} of {expected} deliveries, {spread(latencies)}, "
                    f"~{achieved:.0f} msg/s fully delivered"
                )
        finally:
            for node in nodes:
                node.stop()


if __name__ == "__main__":
    main()
