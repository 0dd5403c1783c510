"""Members first under a stranger flood (issue 11).

Two `peerapp node` processes (Ash, Bee) in one circle on 127.0.0.1; then, with 0 and with
N stranger connections to Ash (raw Noise + Yamux, fresh keys, from tests/network/
stranger_flood.py; the flood runs while the members act):

- return: Bee quits, Ash sends a message, Bee starts again; seconds from Bee's start until
  it is connected to Ash, and until it holds that message;
- join: a newcomer's `join` with an invite from Ash, seconds until it answers ok.

Prints each round and the medians, and Ash's network counters at the end.

    PYTHONPATH=. .venv/bin/python bench/strangers.py [--strangers 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the flood helper and node driver live with the tests

from tests.e2e.node_process import Node  # noqa: E402
from tests.e2e.sync_support import form_circle, poll, wait_connected  # noqa: E402
from tests.network.stranger_flood import FloodThread  # noqa: E402

FLOOD_SECONDS = 180.0


def one_round(folder: Path, strangers: int) -> dict[str, float]:
    ash = Node(folder / "ash")
    # Bee's restart is timed below: its profile is made the real way (calibrated Argon2id)
    # so the figure includes a real unlock
    bee = Node(folder / "bee", kdf=None)
    cy: Node | None = None
    flood: FloodThread | None = None
    try:
        circle = form_circle(ash, [(bee, "Bee")], name="Bench")
        assert bee.call("quit")["ok"] and bee.wait_exit() == 0
        assert ash.call("send", circle=circle, text="while you were away")["ok"]
        if strangers:
            flood = FloodThread(ash.ready["addrs"][0], strangers, FLOOD_SECONDS).start()
            flood.wait_attempted(strangers // 3, FLOOD_SECONDS)

        started = time.monotonic()
        bee = Node(folder / "bee")
        wait_connected(bee, [ash.ready["peer_id"]], timeout=120)
        connected = time.monotonic() - started
        poll(
            lambda: any(
                m["text"] == "while you were away"
                for m in bee.call("history", circle=circle)["messages"]
            ),
            "the message sent while Bee was away",
            timeout=120,
            pace=[bee],
        )
        caught_up = time.monotonic() - started

        cy = Node(folder / "cy")
        code = ash.call("invite", circle=circle)["code"]
        started = time.monotonic()
        joined = cy.call("join", code=code, name="Cy")
        join_seconds = time.monotonic() - started
        assert joined["ok"], joined
        if flood is not None:
            flood.wait_attempted(strangers, FLOOD_SECONDS)
        counts = ash.call("status")["network"]
        return {
            "connected": connected,
            "caught_up": caught_up,
            "join": join_seconds,
            "refused": counts["strangers_refused"],
            "held": counts["strangers_connected"],
        }
    finally:
        if flood is not None:
            flood.stop()
        for node in (ash, bee, cy):
            if node is not None:
                node.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strangers", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    for strangers in (0, options.strangers):
        rounds = []
        for number in range(options.rounds):
            with tempfile.TemporaryDirectory() as folder:
                figures = one_round(Path(folder), strangers)
            rounds.append(figures)
            print(
                f"{strangers} strangers, round {number + 1}: returning member connected "
                f"{figures['connected']:.2f} s, caught up {figures['caught_up']:.2f} s; "
                f"newcomer joined {figures['join']:.2f} s; stranger connections refused "
                f"{figures['refused']:.0f}, held {figures['held']:.0f}",
                flush=True,
            )
        print(
            f"{strangers} strangers, median of {options.rounds}: connected "
            f"{statistics.median(r['connected'] for r in rounds):.2f} s, caught up "
            f"{statistics.median(r['caught_up'] for r in rounds):.2f} s, joined "
            f"{statistics.median(r['join'] for r in rounds):.2f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
