"""Attachment throughput between two members on loopback (issue 15).

Two `peerapp node` processes (the app's timings) in one circle: Ash attaches a file of
random bytes; Bee, with no command, fetches its chunks from Ash over the sync protocol
(each chunk's hash checked, then stored in its encrypted profile). Prints:

- attach: Ash's reply time (reading, sealing every chunk, storing them, the message);
- end to end: from Ash's reply to Bee's `attachment_progress` with every byte held (the
  message's own delivery included), and its MB/s;
- chunks: from Bee's first `attachment_progress` to its last (the chunk transfer alone),
  and its MB/s (target >= 20 MB/s);
- save: Bee's `save_attachment` (opening every chunk, writing the file);
- CPU seconds per MB, per node process, over attach + transfer (from /proc).

    .venv/bin/python bench/attachments.py [--mb 20] [--runs 3]

Figures only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.node_process import Node

WAIT = 300.0
MB = 1024 * 1024


def cpu_seconds(node: Node) -> float:
    """User + system CPU seconds of a node process so far (Linux /proc)."""
    fields = Path(f"/proc/{node.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def one_run(folder: Path, size: int) -> dict[str, float]:
    ash = Node(folder / "ash", timings=None)
    bee = Node(folder / "bee", timings=None)
    try:
        circle = ash.call("create_circle", name="Bench circle", member_name="Ash")["circle"]
        code = ash.call("invite", circle=circle)["code"]
        assert bee.call("join", code=code, name="Bee")["ok"]
        source = folder / "file.bin"
        source.write_bytes(os.urandom(size))
        cpu_before = cpu_seconds(ash), cpu_seconds(bee)
        started = time.monotonic()
        sent = ash.call("attach", circle=circle, path=str(source))
        assert sent["ok"], sent
        attached = time.monotonic()
        deadline = attached + WAIT
        first = 0.0
        while True:
            event = bee.wait_event(
                "attachment_progress", timeout=deadline - time.monotonic(), consume=True
            )
            if event["message"] != sent["message"]:
                continue
            if not first:
                first = time.monotonic()  # the first chunks stored: the message has arrived
            if event["have"] == size:
                break
        done = time.monotonic()
        cpu_after = cpu_seconds(ash), cpu_seconds(bee)
        saving = time.monotonic()
        saved = bee.call(
            "save_attachment", circle=circle, message=sent["message"], path=str(folder / "out.bin")
        )
        assert saved["ok"], saved
        saved_at = time.monotonic()
        assert (folder / "out.bin").read_bytes() == source.read_bytes()
        megabytes = size / MB
        return {
            "attach_s": attached - started,
            "end_to_end_s": done - attached,
            "end_to_end_mb_per_s": megabytes / (done - attached),
            "chunks_s": done - first,
            "chunks_mb_per_s": megabytes / (done - first),
            "save_s": saved_at - saving,
            "ash_cpu_per_mb": (cpu_after[0] - cpu_before[0]) / megabytes,
            "bee_cpu_per_mb": (cpu_after[1] - cpu_before[1]) / megabytes,
        }
    finally:
        for node in (ash, bee):
            node.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    size = int(options.mb * MB)
    results = []
    for run in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="hearth-bench-") as folder:
            result = one_run(Path(folder), size)
        results.append(result)
        print(f"run {run + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in result.items()))
    print(f"median of {options.runs} runs, {options.mb:g} MB:")
    for key in results[0]:
        print(f"  {key}: {statistics.median(r[key] for r in results):.2f}")


if __name__ == "__main__":
    main()
