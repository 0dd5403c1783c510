"""Five `peerapp node` processes in one circle over onion services, on a private Tor
network on loopback (tests/tor/private_network.py), and the same five in direct mode in
the same run, for comparison (issue 12's benchmark).

Prints, for each mode:
- launch to ready: process start -> `ready`, and in Tor mode -> Tor bootstrapped, on a
  first start (no Tor state) and on a restart (the consensus and guards cached in the
  profile); on the restart also -> first peer connected (reachable by a member);
- join by invite: `join` sent -> the founder's next message stored at the joiner;
- send -> stored at every other member, p50/p99, at 1 msg/s and at 10 msg/s in total;
- catch-up: a member stopped while 1,000 messages are sent; its start -> all stored.
Targets (issue 12): reachable <= 10 s with cached state, join <= 15 s, p50 <= 1 s and
p99 <= 3 s at 10 msg/s, catch-up of 1,000 <= 10 s. Figures only; nothing passes or fails.

    .venv/bin/python bench/tor_nodes.py [--nodes 5] [--seconds 20] [--missed 1000]

Node processes and their trials come from bench/circle_nodes.py (BenchNode with
`network=`, fresh_circle, run_rate); the private network from tests/tor/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the private Tor network lives with the tests

from bench.circle_nodes import (  # noqa: E402
    DIRECT,
    WAIT,
    BenchNode,
    fresh_circle,
    run_rate,
    spread,
)
from tests.tor.fixtures import write_tor_config  # noqa: E402
from tests.tor.private_network import PrivateTorNetwork  # noqa: E402

RATES = (1.0, 10.0)
CATCH_UP_BOUND = 300.0
SEND_WINDOW = 50  # sends in flight at once while the member is away


def seconds(values: list[float]) -> str:
    if not values:
        return "none"
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s over {len(values)}"


def launch_figures(nodes: list[BenchNode], tor: bool) -> str:
    ready = [node.ready_at - node.launched for node in nodes]
    text = f"launch -> ready {seconds(ready)}"
    if tor:
        text += f"; -> Tor bootstrapped {seconds([n.tor_ready_at - n.launched for n in nodes])}"
    return text


def restart(node: BenchNode, profile: Path, network: tuple[str, ...]) -> BenchNode:
    """The same profile in a new process; the figures are the new node's."""
    node.stop()
    again = BenchNode(profile, network)
    again.circle = node.circle
    return again


def reachable_after_restart(
    nodes: list[BenchNode], folder: Path, network: tuple[str, ...], tor: bool
) -> list[BenchNode]:
    """Restart every member but the founder, one by one; print launch -> ready (-> Tor
    bootstrapped) and -> first peer connected."""
    connected: list[float] = []
    restarted = [nodes[0]]
    for index, node in enumerate(nodes[1:], start=1):
        again = restart(node, folder / f"n{index}", network)
        if again.connected.wait(WAIT):
            connected.append(again.peer_connected_at[0] - again.launched)
        restarted.append(again)
    print(
        f"  restart (state cached): {launch_figures(restarted[1:], tor)}; "
        f"-> first peer connected {seconds(connected)}",
        flush=True,
    )
    return restarted


def catch_up(nodes: list[BenchNode], folder: Path, network: tuple[str, ...], missed: int) -> None:
    """The last member stops; the founder sends `missed` messages; the member starts again
    and is timed until it stores them all."""
    founder, late = nodes[0], nodes[-1]
    profile = folder / f"n{len(nodes) - 1}"
    # counted from what the member holds: a member that joined later does not hold what
    # was said before it joined (sealed for an earlier epoch), so the founder's count is
    # not the target
    expected = late.call("sync_status", circle=late.circle)["events"] + missed
    late.stop()
    began = time.perf_counter()
    for start in range(0, missed, SEND_WINDOW):
        for index in range(start, min(start + SEND_WINDOW, missed)):
            founder.call("send", circle=founder.circle, text=f"missed {index}")
    sent = time.perf_counter() - began
    again = BenchNode(profile, network)
    again.circle = founder.circle
    nodes[-1] = again
    deadline = again.launched + CATCH_UP_BOUND
    stored = 0
    while time.perf_counter() < deadline:
        stored = again.call("sync_status", circle=again.circle)["events"]
        if stored >= expected:
            break
        time.sleep(0.05)  # bench pacing between counts
    done = time.perf_counter()
    start_point = again.tor_ready_at or again.ready_at
    outcome = (
        f"all stored {done - again.launched:.2f} s after launch "
        f"({done - start_point:.2f} s after {'Tor was' if again.tor_ready_at else 'it was'} ready)"
        if stored >= expected
        else f"only {stored}/{expected} events after {CATCH_UP_BOUND:.0f} s"
    )
    print(f"  catch-up of {missed} missed messages (sent in {sent:.1f} s): {outcome}", flush=True)


def run_mode(label: str, network: tuple[str, ...], options: argparse.Namespace) -> None:
    tor = network != DIRECT
    print(f"{label}:", flush=True)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        began = time.perf_counter()
        nodes, join_times = fresh_circle(folder, options.nodes, network)
        print(
            f"  first start: {launch_figures(nodes, tor)}; circle of {options.nodes} formed in "
            f"{time.perf_counter() - began:.1f} s",
            flush=True,
        )
        print(f"  join by invite -> first message stored: {seconds(join_times)}", flush=True)
        try:
            nodes = reachable_after_restart(nodes, folder, network, tor)
            for rate in RATES:
                trial = run_rate(nodes, rate, options.seconds)
                print(
                    f"  {rate:.0f} msg/s total for {options.seconds:.0f} s: send -> stored at "
                    f"every member {spread(trial.everywhere())}; "
                    f"{trial.missing()} deliveries missing",
                    flush=True,
                )
            catch_up(nodes, folder, network, options.missed)
        finally:
            for node in nodes:
                node.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--missed", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        network = PrivateTorNetwork(Path(name) / "network")
        network.start()
        try:
            print(f"private Tor network ready in {network.bootstrap_seconds:.1f} s", flush=True)
            torrc = write_tor_config(network, Path(name) / "private-network.torrc")
            run_mode("Tor mode (onion services)", ("--tor-config", str(torrc)), options)
        finally:
            network.close()
    run_mode("direct mode (same figures)", DIRECT, options)


if __name__ == "__main__":
    main()
