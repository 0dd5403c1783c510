"""Catch-up and history figures (issue 4).

1. Catch-up: a member misses N messages (default 10,000) while stopped; from its engine's
   start to all N stored, with the sender online. Prints seconds and events/s.
2. History: a circle with M messages (default 100,000; written straight into the store
   as signed events, since publishing them would take minutes) opens its latest page of
   50; prints the page time (median of 20) and the process's peak memory.

    .venv/bin/python bench/catch_up.py [--missed 10000] [--history 100000]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import resource
import statistics
import tempfile
import time
from pathlib import Path

from peerapp.core.network_mode import DIRECT_RUN
from peerapp.core.quotas import QuotaRules
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.engine.engine import Engine
from peerapp.engine.thread import EngineThread
from peerapp.node.json_requests import request_json
from peerapp.storage.profile import UnlockedProfile, create_profile

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
PASSPHRASE = "benchmark passphrase only"  # noqa: S105 (throwaway profiles)
WAIT = 600


def start(profile: UnlockedProfile) -> EngineThread:
    # one author's 10,000 messages at once is a flood to the per-member quotas (issue 11):
    # raised here, as this measures the catch-up path itself
    rules = QuotaRules(event_burst=10**9, bytes_per_day=2**40, stored_bytes=2**40)
    thread = EngineThread(
        lambda emit: Engine(profile, LOOPBACK, emit, quota_rules=rules, network=DIRECT_RUN),
        lambda event: None,
    )
    thread.start().result(WAIT)
    return thread


def catch_up(folder: Path, missed: int) -> None:
    sender_profile = create_profile(folder / "sender", PASSPHRASE, TEST_KDF)
    late_profile = create_profile(folder / "late", PASSPHRASE, TEST_KDF)
    sender = start(sender_profile)
    circle = request_json(sender, "create_circle", name="Bench", member_name="S").result(WAIT)[
        "circle"
    ]
    code = request_json(sender, "invite", circle=circle).result(WAIT)["code"]
    late = start(late_profile)
    request_json(late, "join", code=code, name="L").result(WAIT)
    assert late.stop()
    began = time.perf_counter()
    for start_index in range(0, missed, 500):
        futures = [
            request_json(sender, "send", circle=circle, text=f"message {i}")
            for i in range(start_index, min(start_index + 500, missed))
        ]
        concurrent.futures.wait(futures, timeout=WAIT)
    print(f"sender wrote {missed} messages in {time.perf_counter() - began:.1f} s")
    expected = request_json(sender, "sync_status", circle=circle).result(WAIT)["events"]
    began = time.perf_counter()
    late = start(late_profile)
    deadline = began + WAIT
    while request_json(late, "sync_status", circle=circle).result(WAIT)["events"] < expected:
        if time.perf_counter() > deadline:
            raise SystemExit("catch-up did not finish")
        time.sleep(0.01)
    seconds = time.perf_counter() - began
    print(
        f"catch-up: {missed} missed messages stored {seconds:.2f} s after the engine started "
        f"({missed / seconds:,.0f} events/s; target <= 5 s)"
    )
    late.stop()
    sender.stop()


def history(folder: Path, count: int) -> None:
    from peerapp.core.circle_events import Event, EventType  # noqa: PLC0415
    from peerapp.crypto.signing import sign_event  # noqa: PLC0415 (bench-only setup path)
    from peerapp.engine.circle_runtime import to_stored  # noqa: PLC0415
    from peerapp.storage.circle_store import CircleStore  # noqa: PLC0415

    profile = create_profile(folder / "history", PASSPHRASE, TEST_KDF)
    engine = start(profile)
    circle = request_json(engine, "create_circle", name="Big", member_name="H").result(WAIT)[
        "circle"
    ]
    engine.stop()
    database = profile.open_database()
    store = CircleStore(database)
    membership = next(m for m in store.memberships() if m.circle_id.hex() == circle)
    seq, lamport = store.next_seq_and_lamport(membership.circle_id, membership.member_key)
    began = time.perf_counter()
    batch = []
    for index in range(count):
        event = Event(
            EventType.MESSAGE,
            membership.circle_id,
            membership.member_key,
            seq + index,
            lamport + index,
            (),
            int(time.time() * 1000),
            {"text": f"history message {index}"},
        )
        batch.append(to_stored(sign_event(event, membership.signing_seed)))
        if len(batch) == 5000:
            store.add_events(batch)
            batch = []
    store.add_events(batch)
    database.close()
    print(f"wrote {count} signed messages in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    engine = start(profile)
    print(
        f"engine start with {count} messages (load + resolve): {time.perf_counter() - began:.2f} s"
    )
    timings = []
    for _ in range(20):
        began = time.perf_counter()
        page = request_json(engine, "history", circle=circle, limit=50).result(WAIT)["messages"]
        timings.append(time.perf_counter() - began)
    assert len(page) == 50
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"history: latest page of 50 of {count}: median {statistics.median(timings) * 1000:.1f} ms "
        f"(target <= 50 ms); peak memory of this process {peak:.0f} MiB"
    )
    # slow mode (like any removal) makes start-up resolve the whole log, messages too
    request_json(engine, "set_settings", circle=circle, slow_mode_seconds=30).result(WAIT)
    engine.stop()
    began = time.perf_counter()
    engine = start(profile)
    print(
        f"engine start with {count} messages and slow mode on (whole-log resolution): "
        f"{time.perf_counter() - began:.2f} s"
    )
    engine.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--missed", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        catch_up(Path(folder), options.missed)
        history(Path(folder), options.history)


if __name__ == "__main__":
    main()
