"""Five `peerapp node` processes in one circle on loopback: what members actually receive.

A message counts as delivered to a member once it is stored there, by either path: the
fast path (GossipSub: a `message` event with `via: "gossip"`) or sync (a `message` event
with `via: "sync"` for small pulls, or, after a `history_changed`, found in `history`;
such arrivals are timed when the history page that shows them comes back, at most
SCAN_SECONDS late, so their latencies are upper bounds).

Prints: join time; latency per path at a low rate; the capacity (the highest total rate,
by a bounded search, at which every message reaches every other member within
DEADLINE_SECONDS); at twice that rate, the throughput delivered while the load lasts (per
path) and how long the backlog takes to reach every member once it stops; and the fast
path's counters from `status`. Figures only; nothing here passes or fails.

    .venv/bin/python bench/circle_nodes.py [--seconds 15] [--start 40] [--max-rate 640]

Each trial runs on a new circle of new node processes (the per-member quotas would
otherwise be what a long search measures); 2x capacity is followed by capacity again, and
the ratio of what was delivered during the two loads is printed.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSPHRASE = "benchmark passphrase only"  # noqa: S105 (throwaway profiles)
WAIT = 60.0
DEADLINE_SECONDS = 10.0  # capacity: every message at every member within this
DRAIN_SECONDS = 90.0  # after the load, how long we wait for the backlog at most
# at most one history scan per node this often: they cost the nodes CPU under overload
SCAN_SECONDS = 3.0
# how far back of the oldest message a node lacks its history scans look (log order
# places a message by its lamport, which lags its send time under load)
LAG_MS = 30_000
# history page size: replies over 64 KiB came back garbled once (see the report)
PAGE = 100
MAX_TRIALS = 8
IDLE_SECONDS = 10.0
TOR_WAIT = 120.0  # a node's own tor, bootstrapped (Tor mode only)


DIRECT = ("--direct",)


class BenchNode:
    """A node process; its `message` events and history scans timestamp arrivals.

    `network`: its network options (default direct mode; bench/tor_nodes.py passes
    ("--tor-config", FILE)). In Tor mode the constructor also waits for Tor to be ready;
    `launched`, `ready_at` and `tor_ready_at` are perf_counter times of each."""

    def __init__(self, profile: Path, network: tuple[str, ...] = DIRECT) -> None:
        self.launched = time.perf_counter()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "peerapp",
                "node",
                "--profile",
                str(profile),
                *network,
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PEERAPP_PASSPHRASE": PASSPHRASE},
        )
        self.tor_ready = threading.Event()
        self.tor_ready_at = 0.0
        self.tor_failed = ""
        self.peer_connected_at: list[float] = []
        self.connected = threading.Event()  # set at the first peer_connected
        self.replies: dict[Any, queue.Queue[dict[str, Any]]] = {}
        # message id -> (when it was first known stored here, "gossip" | "sync")
        self.arrivals: dict[str, tuple[float, str]] = {}
        self.circle = ""
        self.floor_ms = 0  # history scans stop at messages older than this (author clock)
        self.expected: list[Sent] = []  # the current trial's messages, as they are sent
        self.sent_here = 0  # messages this node sent in the current trial
        self.base_events = 0  # events stored here when the trial began
        self.fresh = 0  # arrivals in this trial of messages sent since floor_ms
        self.scans = 0
        self.scan_seconds = 0.0  # spent waiting for history pages, over all trials
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._write = threading.Lock()
        self._ready: queue.Queue[dict[str, Any]] = queue.Queue()
        self._scan_wanted = threading.Event()
        self._stopping = False
        threading.Thread(target=self._pump, daemon=True).start()
        self.ready = self._ready.get(timeout=WAIT)
        self.ready_at = time.perf_counter()
        if network != DIRECT and not self.tor_ready.wait(TOR_WAIT):
            self.process.kill()
            raise RuntimeError(f"tor not ready within {TOR_WAIT:.0f} s {self.tor_failed}")
        threading.Thread(target=self._scanner, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            now = time.perf_counter()
            try:
                line = json.loads(raw)
            except ValueError:
                print(f"  (a garbled line of {len(raw)} bytes from a node)", flush=True)
                continue
            event = line.get("event")
            if event == "ready":
                self._ready.put(line)
            elif event == "message":
                self._arrived(line["message"], now, line.get("via", "gossip"))
            elif event == "history_changed":
                self._scan_wanted.set()
            elif event == "tor_status":
                if line.get("state") == "ready" and not self.tor_ready.is_set():
                    self.tor_ready_at = now
                    self.tor_ready.set()
                elif line.get("state") == "failed":
                    self.tor_failed = str(line.get("summary", ""))
            elif event == "peer_connected":
                self.peer_connected_at.append(now)
                self.connected.set()
            elif event is None:
                with self._lock:
                    box = self.replies.setdefault(line["id"], queue.Queue())
                box.put(line)

    def _scanner(self) -> None:
        while not self._stopping:
            if not self._scan_wanted.wait(timeout=1.0) or not self.circle:
                continue
            self._scan_wanted.clear()
            began = time.perf_counter()
            try:
                self.scan()
            except (RuntimeError, queue.Empty, OSError, ValueError) as error:
                if self._stopping:
                    return
                print(f"  (history scan failed: {type(error).__name__} {error})", flush=True)
            time.sleep(max(0.0, SCAN_SECONDS - (time.perf_counter() - began)))

    def _arrived(self, message: dict[str, Any], now: float, path: str) -> None:
        if message["mine"]:
            return  # counted in sent_here
        if message["id"] not in self.arrivals:
            self.arrivals[message["id"]] = (now, path)
            if message["ts"] >= self.floor_ms:
                self.fresh += 1

    def start_trial(self, floor_ms: int, sent: list[Sent]) -> None:
        self.floor_ms = floor_ms
        self.expected = sent
        self.sent_here = 0
        self.fresh = 0
        self.base_events = self.call("sync_status", circle=self.circle)["events"]

    def scan(self, force: bool = False) -> None:
        """Page the history back to floor_ms; whatever is new was stored by a sync.

        Skipped when the store holds no more events than we know of (a cheap count), so
        the scans cost the nodes little while the load lasts."""
        began = time.perf_counter()
        events = self.call("sync_status", circle=self.circle)["events"]
        if not force and events - self.base_events <= self.sent_here + self.fresh:
            return
        self.scans += 1
        try:
            self._scan_pages(force)
        finally:
            self.scan_seconds += time.perf_counter() - began

    def _scan_pages(self, force: bool = False) -> None:
        # back to the oldest message this node still lacks, not to the trial's start (the
        # last, forced scan goes back to the start: history is in log order, and under
        # load a lagging author's message sorts among ones sent well before it)
        lacking = [
            s.at_ms
            for s in list(self.expected)
            if s.author is not self and s.message not in self.arrivals
        ]
        floor = max(self.floor_ms, min(lacking, default=self.floor_ms) - LAG_MS)
        if force:
            floor = self.floor_ms
        before = None
        for _ in range(1000):
            arguments: dict[str, Any] = {"circle": self.circle, "limit": PAGE}
            if before is not None:
                arguments["before"] = before
            page = self.call("history", **arguments)["messages"]
            now = time.perf_counter()
            for message in page:
                self._arrived(message, now, "sync")
            if len(page) < PAGE or page[0]["ts"] < floor:
                return
            before = page[0]["id"]

    def cpu_seconds(self) -> float:
        """User + system CPU time of the node process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def want_scan(self) -> None:
        self._scan_wanted.set()

    def call(self, cmd: str, **arguments: Any) -> dict[str, Any]:
        request_id = next(self._ids)
        with self._lock:
            box = self.replies.setdefault(request_id, queue.Queue())
        assert self.process.stdin is not None
        with self._write:
            self.process.stdin.write(
                json.dumps({"id": request_id, "cmd": cmd, **arguments}).encode() + b"\n"
            )
            self.process.stdin.flush()
        reply = box.get(timeout=WAIT)
        with self._lock:
            del self.replies[request_id]
        if not reply["ok"]:
            raise RuntimeError(reply["error"])
        return reply

    def stop(self) -> None:
        self._stopping = True
        assert self.process.stdin is not None
        with self._write:
            self.process.stdin.close()
        self.process.wait(30)


@dataclass(frozen=True)
class Sent:
    message: str
    at: float
    author: BenchNode
    at_ms: int  # wall clock, to compare with the author's `ts`


@dataclass(frozen=True)
class Trial:
    rate: float
    seconds: float
    sent: list[Sent]
    began: float
    load_end: float
    nodes: list[BenchNode]
    cpu: float  # CPU seconds the node processes spent from the start to the backlog's end

    def arrivals(self) -> list[tuple[Sent, float, str]]:
        """(message, latency, path) for each delivery to another member that happened."""
        found = []
        for sent in self.sent:
            for node in self.nodes:
                if node is not sent.author and sent.message in node.arrivals:
                    at, path = node.arrivals[sent.message]
                    found.append((sent, at - sent.at, path))
        return found

    def missing(self) -> int:
        return len(self.sent) * (len(self.nodes) - 1) - len(self.arrivals())

    def everywhere(self) -> list[float]:
        """For each message at every other member: send -> stored at the last of them."""
        return [
            max(n.arrivals[s.message][0] for n in self.nodes if n is not s.author) - s.at
            for s in self.sent
            if all(s.message in n.arrivals for n in self.nodes if n is not s.author)
        ]

    def met_deadline(self) -> bool:
        latencies = self.everywhere()
        return len(latencies) == len(self.sent) and max(latencies, default=0) <= DEADLINE_SECONDS

    def delivered_rate(self) -> float:
        """Messages per second stored at the other members while the load lasted."""
        in_load = [1 for s, lat, _ in self.arrivals() if s.at + lat <= self.load_end]
        return len(in_load) / (len(self.nodes) - 1) / (self.load_end - self.began)

    def report(self) -> str:
        members = len(self.nodes) - 1
        arrivals = self.arrivals()
        expected = len(self.sent) * members
        in_load = [(s, lat, p) for s, lat, p in arrivals if s.at + lat <= self.load_end]
        by_path = {p: sum(1 for _, _, q in arrivals if q == p) for p in ("gossip", "sync")}
        load_gossip = sum(1 for _, _, p in in_load if p == "gossip")
        last = max((s.at + lat for s, lat, _ in arrivals), default=self.load_end)
        # the load lasts until the last send is answered, which under overload is later
        lasted = self.load_end - self.began
        offered = len(self.sent) / lasted
        everywhere = self.everywhere()
        drained = (
            f"backlog at every member {max(0.0, last - self.load_end):.1f} s after the load"
            if not self.missing()
            else f"{self.missing()} deliveries still missing {DRAIN_SECONDS:.0f} s after"
        )
        cpu = f"node CPU {self.cpu / max(1, len(self.sent)) * 1000:.1f} ms per message"
        return (
            f"{self.rate:.0f} msg/s asked for {self.seconds:.0f} s ({offered:.0f} sent over "
            f"{lasted:.1f} s): "
            f"{expected - self.missing()}/{expected} deliveries stored "
            f"(gossip {by_path['gossip']}, sync {by_path['sync']}); "
            f"delivered during the load {self.delivered_rate():.0f} msg/s "
            f"(gossip {load_gossip / members / lasted:.0f}); "
            f"send->at every member {spread(everywhere)}; {drained}; "
            f"within {DEADLINE_SECONDS:.0f} s: {'yes' if self.met_deadline() else 'no'}; {cpu}"
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def spread(latencies: list[float]) -> str:
    if not latencies:
        return "no message at every member"
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    return f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(latencies) * 1000:.0f} ms"


def run_rate(nodes: list[BenchNode], rate: float, seconds: float) -> Trial:
    """Send `rate` msg/s in total, spread over the nodes; wait for the backlog (bounded)."""
    sent: list[Sent] = []
    lock = threading.Lock()
    per_node = rate / len(nodes)
    floor_ms = int(time.time() * 1000) - 1000
    cpu_before = sum(node.cpu_seconds() for node in nodes)
    for node in nodes:
        node.start_trial(floor_ms, sent)

    def sender(node: BenchNode, offset: float) -> None:
        began = time.perf_counter() + offset
        for index in range(int(per_node * seconds)):
            delay = began + index / per_node - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            at = time.perf_counter()
            message = node.call("send", circle=node.circle, text=f"bench {index}")["message"]
            with lock:
                sent.append(Sent(message, at, node, int(time.time() * 1000)))
                node.sent_here += 1

    threads = [
        threading.Thread(target=sender, args=(node, i / rate)) for i, node in enumerate(nodes)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load_end = time.perf_counter()
    trial = Trial(rate, seconds, sent, began, load_end, nodes, 0.0)
    deadline = trial.load_end + DRAIN_SECONDS
    while trial.missing() and time.perf_counter() < deadline:
        for node in nodes:
            node.want_scan()
        time.sleep(0.25)
    cpu = sum(node.cpu_seconds() for node in nodes) - cpu_before
    if trial.missing():
        for node in nodes:
            node.scan(force=True)  # the last word: what each member's history holds
        for node in nodes:
            lacking = sum(
                1 for s in sent if s.author is not node and s.message not in node.arrivals
            )
            status = node.call("sync_status", circle=node.circle)
            dropped = node.call("status").get("received_dropped", {})
            now_ms = time.time() * 1000
            synced = [
                f"{(now_ms - p['last_sync']) / 1000:.0f}" if p["last_sync"] else "never"
                for p in status["peers"]
            ]
            online = sum(1 for p in status["peers"] if p["online"])
            print(
                f"    still lacking at a node: {lacking} (events stored {status['events']}, "
                f"held back {status['held_back']}, late waiting {status['late_waiting']}, "
                f"dropped on arrival {dropped}; peers online {online}, last pull from each "
                f"{', '.join(synced)} s ago)",
                flush=True,
            )
    return Trial(rate, seconds, sent, began, load_end, nodes, cpu)


_last_counts: dict[str, int] = {}


def print_counters(nodes: list[BenchNode]) -> None:
    """The fast path's counters (all nodes, from `status`) since the previous call."""
    now = fast_path(nodes)
    now["bench_history_scans"] = sum(node.scans for node in nodes)
    now["bench_history_scan_ms"] = int(sum(node.scan_seconds for node in nodes) * 1000)
    changed = {k: v - _last_counts.get(k, 0) for k, v in now.items() if k != "queued"}
    _last_counts.update(now)
    shown = ", ".join(f"{k} {v}" for k, v in sorted(changed.items()) if v)
    print(f"    counters: {shown}", flush=True)


def fast_path(nodes: list[BenchNode]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for node in nodes:
        status = node.call("status")
        fields = {
            **status.get("fast_path", {}),
            **status.get("network", {}),
            **{f"received_{k}": v for k, v in status.get("received_dropped", {}).items()},
        }
        for name, value in fields.items():
            totals[name] = totals.get(name, 0) + value
    return totals


def fresh_circle(
    folder: Path, count: int, network: tuple[str, ...] = DIRECT
) -> tuple[list[BenchNode], list[float]]:
    """`count` new node processes in a new circle; (nodes, join -> first message times).

    Every trial gets its own: the per-member quotas (core/quotas.py: a burst of 5,000
    events, then 300 a minute per author) are a budget for people, and a search that
    sends tens of thousands of messages per author through one circle would end up
    measuring them instead of the fast path."""
    _last_counts.clear()
    nodes: list[BenchNode] = []
    try:
        for index in range(count):
            nodes.append(BenchNode(folder / f"n{index}", network))
    except BaseException:
        for node in nodes:
            node.stop()
        raise
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
            join_times.append(node.arrivals.get(probe, (float("nan"), ""))[0] - began)
        for node in nodes:
            node.circle = circle
        print_counters(nodes)  # from here on, counters are the trial's
    except BaseException:
        for node in nodes:
            node.stop()
        raise
    return nodes, join_times


def trial(options: argparse.Namespace, rate: float, label: str = "") -> Trial:
    """One trial at `rate` on a fresh circle, reported."""
    with tempfile.TemporaryDirectory() as folder:
        nodes, _ = fresh_circle(Path(folder), options.nodes)
        try:
            done = run_rate(nodes, rate, options.seconds)
            print(f"  {label}{done.report()}", flush=True)
            print_counters(nodes)
        finally:
            for node in nodes:
                node.stop()
    return done


def find_capacity(options: argparse.Namespace) -> float:
    """Double from --start until a rate misses the deadline, then halve the gap twice."""
    passed, failed = 0.0, options.max_rate * 2
    rate = options.start
    for _ in range(MAX_TRIALS):
        if trial(options, rate).met_deadline():
            passed = rate
        else:
            failed = rate
        if failed > options.max_rate:
            if rate >= options.max_rate:
                break
            rate = min(rate * 2, options.max_rate)
        elif failed - passed <= max(10.0, passed / 8):
            break
        else:
            rate = round((passed + failed) / 2 / 10) * 10
    return passed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--start", type=float, default=40)
    parser.add_argument("--max-rate", type=float, default=640)
    parser.add_argument("--only", type=float, help="just one trial at this total rate")
    options = parser.parse_args()
    if options.only:
        trial(options, options.only)
        return
    with tempfile.TemporaryDirectory() as folder:
        nodes, join_times = fresh_circle(Path(folder), options.nodes)
        try:
            print(
                f"join -> first message received: median {statistics.median(join_times):.2f} s, "
                f"max {max(join_times):.2f} s over {len(join_times)} joins"
            )
            idle_began = sum(node.cpu_seconds() for node in nodes)
            time.sleep(IDLE_SECONDS)
            idle = (sum(node.cpu_seconds() for node in nodes) - idle_began) / IDLE_SECONDS
            print(f"idle: the {len(nodes)} nodes use {idle * 100:.0f} % of a core in all")
            low = run_rate(nodes, 20, min(options.seconds, 15))
            print("low rate: " + low.report(), flush=True)
            print_counters(nodes)
        finally:
            for node in nodes:
                node.stop()
    print(f"capacity search ({options.seconds:.0f} s per rate, a new circle each):", flush=True)
    capacity = find_capacity(options)
    print(f"capacity: {capacity:.0f} msg/s total, {options.nodes} members", flush=True)
    overload = trial(options, max(capacity, options.start) * 2, "2x capacity: ")
    at_capacity = trial(options, max(capacity, options.start), "capacity again: ")
    ratio = overload.delivered_rate() / max(at_capacity.delivered_rate(), 1e-9)
    print(
        f"delivered during the load at 2x capacity / at capacity: {ratio * 100:.0f} % "
        f"(target >= 90 %)",
        flush=True,
    )


if __name__ == "__main__":
    main()
