"""Foundation figures: Argon2id calibration and unlock cost, engine start and stop, node
process time to ready. Prints figures; asserts nothing. Run: make bench."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from peerapp.core.network_mode import DIRECT_RUN
from peerapp.crypto import keyfile
from peerapp.engine.engine import Engine
from peerapp.engine.thread import EngineThread
from peerapp.storage.profile import create_profile, unlock_profile

PASSPHRASE = "benchmark passphrase only"  # noqa: S105 (a throwaway profile)
ROUNDS = 5
T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = action()
    return result, time.perf_counter() - began


def main() -> None:
    params, calibration = timed(keyfile.calibrate)
    print(
        f"argon2id calibration: {calibration:.2f} s -> opslimit={params.opslimit}, "
        f"memlimit={params.memlimit >> 20} MiB"
    )
    with tempfile.TemporaryDirectory() as folder:
        profile_dir = Path(folder) / "profile"
        _, creation = timed(lambda: create_profile(profile_dir, PASSPHRASE, params))
        print(f"profile creation (with those parameters): {creation:.2f} s")
        unlocks = [timed(lambda: unlock_profile(profile_dir, PASSPHRASE))[1] for _ in range(ROUNDS)]
        print(f"unlock: median {statistics.median(unlocks):.2f} s over {ROUNDS}")
        unlocked = unlock_profile(profile_dir, PASSPHRASE)
        starts, stops = [], []
        for _ in range(ROUNDS):
            thread = EngineThread(
                lambda emit: Engine(unlocked, ["/ip4/127.0.0.1/tcp/0"], emit, network=DIRECT_RUN),
                lambda e: None,
            )
            began = time.perf_counter()
            thread.start().result(30)
            starts.append(time.perf_counter() - began)
            _, stopped = timed(thread.stop)
            stops.append(stopped)
        print(
            f"engine start->ready: median {statistics.median(starts) * 1000:.1f} ms; "
            f"stop: median {statistics.median(stops) * 1000:.1f} ms (target < 2000 ms)"
        )
        env = {**os.environ, "PEERAPP_PASSPHRASE": PASSPHRASE}
        readies = []
        for _ in range(ROUNDS):
            began = time.perf_counter()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "peerapp",
                    "node",
                    "--profile",
                    str(profile_dir),
                    "--direct",
                    "--listen",
                    "/ip4/127.0.0.1/tcp/0",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
            assert process.stdout is not None and process.stdin is not None
            line = json.loads(process.stdout.readline())
            readies.append(time.perf_counter() - began)
            assert line["event"] == "ready"
            process.stdin.close()
            process.wait(10)
        median = statistics.median(readies)
        print(f"node process launch->ready line (includes unlock): median {median:.2f} s")


if __name__ == "__main__":
    main()
