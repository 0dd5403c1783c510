"""Search latency at 100,000 messages (issue 15; target <= 50 ms a search).

A circle of N messages (default 100,000), written straight into the store as signed
events in batches of 5,000 (publishing them would take minutes; CircleStore.add_events indexes
them as they are stored, which this times too); texts are 6..24 words drawn from a
vocabulary of 5,000 with Zipf's law, as in real conversation (a few words in nearly
every message, most words rare). Then, on the running engine, each query is asked
ROUNDS times through `request_json` (the node's path: the command parsed, served in the
engine thread, the result made JSON) and its p50/p99 printed, in wall time and in the
process's CPU time (steadier on a shared machine: the engine is this process's only
busy thread), with how many results a
page holds and how many messages match in all. Prints figures; asserts nothing.

Private conversations (migration 17) are searched in the same request: the profile also
holds --private messages (default 2,000) in private conversations with 20 members, the
same vocabulary, stored one transaction each through PrivateStore.add as the app stores
them (timed). --private-cost N stores N private messages into a fresh database with the
index and again without it (search_store.index_private replaced by nothing), and prints
the CPU and wall time of each: the index's own cost on storing a private message.

    .venv/bin/python bench/search.py [--messages 100000] [--rounds 50] [--private 2000]
        [--private-cost 5000]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import tempfile
import time
from pathlib import Path
from unittest import mock

from peerapp.core.circle_events import Event, EventType
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.crypto.signing import sign_event
from peerapp.engine.circle_runtime import to_stored
from peerapp.engine.engine import Engine
from peerapp.engine.thread import EngineThread
from peerapp.node.json_requests import request_json
from peerapp.storage import private_store
from peerapp.storage.circle_store import CircleStore, Membership
from peerapp.storage.database import Database
from peerapp.storage.private_store import PrivateStore, StoredPrivate
from peerapp.storage.profile import UnlockedProfile, create_profile

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
PASSPHRASE = "benchmark passphrase only"  # noqa: S105 (a throwaway profile)
WAIT = 600
VOCABULARY = 5000
BATCH = 5000


def _words() -> list[str]:
    """A made-up vocabulary, word 0 the most frequent; a few real words placed at chosen
    ranks so the queries below hit common, middling and rare words."""
    chosen = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyzéü"
    words = [
        "".join(chosen.choice(letters) for _ in range(chosen.randint(3, 9)))
        for _ in range(VOCABULARY)
    ]
    words[0], words[3], words[40], words[400], words[4000] = (
        "the",
        "feel",
        "garden",
        "café",
        "lantern",
    )
    return words


def _texts(count: int) -> list[str]:
    chosen = random.Random(11)
    words = _words()
    weights = [1 / (rank + 1) for rank in range(VOCABULARY)]
    return [" ".join(chosen.choices(words, weights, k=chosen.randint(6, 24))) for _ in range(count)]


def start(profile: UnlockedProfile) -> EngineThread:
    thread = EngineThread(
        lambda emit: Engine(profile, LOOPBACK, emit, network=DIRECT_RUN), lambda event: None
    )
    thread.start().result(WAIT)
    return thread


CONVERSATIONS = 20


def _private(circle: bytes, me: bytes, number: int, text: str, now: int) -> StoredPrivate:
    member = bytes([number % CONVERSATIONS]) * 32
    return StoredPrivate(
        circle,
        member,
        number.to_bytes(16, "big"),
        me if number % 2 else member,
        text,
        now + number,
        now + number,
        read=True,
    )


def store_private(database: Database, circle: bytes, me: bytes, count: int) -> float:
    """Store `count` private messages one transaction each; the wall seconds it took."""
    store = PrivateStore(database)
    now = int(time.time() * 1000)
    began = time.perf_counter()
    for number, text in enumerate(_texts(count)):
        store.add(_private(circle, me, number, text, now))
    return time.perf_counter() - began


def private_cost(folder: Path, count: int) -> None:
    """The index's own cost on storing private messages: with it and without it."""
    # alternated, twice: the first store of a process warms caches the others share
    runs = (("without the index", False), ("with the index", True)) * 2
    for number, (label, indexed) in enumerate(runs):
        path = folder / f"private-{number}.db"
        database = Database.open(path, bytes(32), create=True)
        CircleStore(database).add_membership(
            Membership(b"\x01" * 16, "Cost", b"\xaa" * 32, b"\x00" * 32, b"\x00" * 32, 0, 0)
        )
        # without: index_private replaced by nothing, for this measurement only
        skipped = mock.patch.object(private_store, "index_private", lambda *_: None)
        with contextlib.nullcontext() if indexed else skipped:
            began_cpu = time.process_time()
            wall = store_private(database, b"\x01" * 16, b"\xaa" * 32, count)
            cpu = time.process_time() - began_cpu
        database.close()
        size = path.stat().st_size
        print(
            f"stored {count:,} private messages one transaction each, {label}: "
            f"{wall:.1f} s wall, {cpu:.1f} s CPU ({cpu / count * 1000:.2f} ms CPU each); "
            f"database {size / 2**20:.1f} MiB"
        )


def build(folder: Path, count: int, private: int) -> tuple[UnlockedProfile, str]:
    profile = create_profile(folder / "search", PASSPHRASE, TEST_KDF)
    engine = start(profile)
    circle = request_json(engine, "create_circle", name="Big", member_name="S").result(WAIT)
    engine.stop()
    database = profile.open_database()
    store = CircleStore(database)
    membership = next(m for m in store.memberships() if m.circle_id.hex() == circle["circle"])
    seq, lamport = store.next_seq_and_lamport(membership.circle_id, membership.member_key)
    texts = _texts(count)
    now = int(time.time() * 1000)
    stored_seconds = 0.0
    for first in range(0, count, BATCH):
        batch = [
            to_stored(
                sign_event(
                    Event(
                        EventType.MESSAGE,
                        membership.circle_id,
                        membership.member_key,
                        seq + index,
                        lamport + index,
                        (),
                        now - (count - index) * 1000,
                        {"text": texts[index]},
                    ),
                    membership.signing_seed,
                )
            )
            for index in range(first, min(first + BATCH, count))
        ]
        began = time.perf_counter()
        store.add_events(batch)
        stored_seconds += time.perf_counter() - began
    (indexed,) = database.query("SELECT count(*) FROM search_docs")[0]
    private_seconds = store_private(database, membership.circle_id, membership.member_key, private)
    database.close()
    size = (folder / "search" / "hearth.db").stat().st_size
    print(
        f"stored {count:,} messages in batches of {BATCH:,} (indexed in the same transactions): "
        f"{stored_seconds:.1f} s; {indexed:,} indexed; database {size / 2**20:.0f} MiB"
    )
    print(
        f"stored {private:,} private messages in {CONVERSATIONS} conversations, one "
        f"transaction each (indexed in it): {private_seconds:.1f} s"
    )
    return profile, str(circle["circle"])


QUERIES: tuple[tuple[str, str, dict[str, int]], ...] = (
    ("a word in most messages", "the", {}),
    ("a common word", "feel", {}),
    ("a middling word", "garden", {}),
    ("a rare word", "lantern", {}),
    ("two words", "feel garden", {}),
    ("a prefix of 2 letters", "ga", {}),
    ("diacritics folded", "cafe", {}),
    ("nothing matches", "zzzzqqq", {}),
    ("a common word, page 3", "feel", {"offset": 40}),
)


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * share))]


def measure(engine: EngineThread, circle: str, rounds: int) -> None:
    for label, text, options in QUERIES:
        for scope, extra in (("all circles", {}), ("one circle", {"circle": circle})):
            timings, cpu = [], []
            results: list[dict[str, object]] = []
            for _ in range(rounds):
                began, began_cpu = time.perf_counter(), time.process_time()
                results = request_json(engine, "search", text=text, **extra, **options).result(
                    WAIT
                )["results"]
                timings.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
            print(
                f"{label:26} {text!r:14} {scope:11}: p50 {_p(timings, 0.5):6.1f} ms, "
                f"p99 {_p(timings, 0.99):6.1f} ms; CPU p50 {_p(cpu, 0.5):6.1f} ms, "
                f"p99 {_p(cpu, 0.99):6.1f} ms ({len(results)} on the page, "
                f"{sum(1 for r in results if r.get('kind') == 'private')} private)"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--private", type=int, default=2000)
    parser.add_argument("--private-cost", type=int, default=0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if options.private_cost:
            private_cost(Path(folder), options.private_cost)
        profile, circle = build(Path(folder), options.messages, options.private)
        engine = start(profile)
        try:
            measure(engine, circle, options.rounds)
        finally:
            engine.stop()


if __name__ == "__main__":
    main()
