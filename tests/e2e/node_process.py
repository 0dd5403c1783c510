"""Drive real `peerapp node` processes over JSON lines."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, Protocol

from peerapp.engine.profiles import TEST_KDF, KdfParams, create_profile, profile_exists
from peerapp.node.timings import TIMINGS_VARIABLE

PASSPHRASE = "an e2e test passphrase"
WAIT = 30.0


# the e2e suites run in direct mode on loopback unless a test asks for Tor (tests/tor/)
DIRECT = ("--direct",)
# The e2e nodes run the engine's timers shortened (PEERAPP_TIMINGS=quick: a sync round
# every 0.5 s instead of 5 s, a waiting join's retry every 1 s instead of 10 s, the
# mailbox's round and back-off 0.5 s instead of 5 s; engine/context.py QUICK_TIMINGS):
# a test waits for the round it needs, not for the product's seconds. A test about a
# timer's real value, or about real start-up, passes timings=None (the app's).
QUICK = "quick"


def node_command(profile: Path, *extra: str, network: tuple[str, ...] = DIRECT) -> list[str]:
    """`network`: the node's network options (Tor mode: e.g. ("--tor-config", FILE))."""
    return [sys.executable, "-m", "peerapp", "node", "--profile", str(profile), *network, *extra]


# What starts coverage in a Python child (coverage's .pth, `patch = ["subprocess"]` in
# pyproject.toml): without them a node runs unmeasured.
COVERAGE_VARIABLES = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")

# Which nodes run under coverage. Coverage in a node costs its start about 0.4 s of CPU (the
# tracer runs through every import) and its work about two fifths more, and a node a test
# ends with SIGKILL (every node `start_node` hands out, at the test's end) writes no data
# at all. So only the nodes of the tests that exist to exercise the node front are
# measured: what they reach in peerapp/node/, cli.py and hardening.py nothing in-process
# reaches. Every other line the other e2e tests' nodes ran is reached in-process too (the
# engine, storage and network suites): not measuring those nodes changes the figure, not
# what the tests check (docs/architecture.md "Coverage of node processes").
# HEARTH_MEASURE_NODES=all measures every node (to see what they reach).
MEASURED_TEST_FILES = (
    "tests/e2e/test_node.py",  # the JSON-lines front: commands, replies, exits, signals
    "tests/e2e/test_node_start.py",  # start-up, timings, the ready line
    "tests/e2e/test_e2e_hygiene.py",  # passphrase on stdin, not dumpable (hardening.py)
    "tests/e2e/test_e2e_profile_kdf.py",  # a profile the node creates itself
)
MEASURE_NODES_VARIABLE = "HEARTH_MEASURE_NODES"


def measured_here() -> bool:
    """Whether a node started now is measured: the running test's file (pytest's
    PYTEST_CURRENT_TEST, "tests/e2e/test_node.py::name (call)") is one of
    MEASURED_TEST_FILES, or HEARTH_MEASURE_NODES=all."""
    if os.environ.get(MEASURE_NODES_VARIABLE) == "all":
        return True
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    return current.split("::")[0] in MEASURED_TEST_FILES


def node_environment(
    passphrase: str | None = PASSPHRASE,
    timings: str | None = None,
    *,
    measured: bool | None = None,
) -> dict[str, str]:
    """`timings`: PEERAPP_TIMINGS for the node (None: the app's timings). `measured`:
    coverage in the node or not (None: measured_here())."""
    if measured is None:
        measured = measured_here()
    unset = ("PEERAPP_PASSPHRASE", TIMINGS_VARIABLE, *(() if measured else COVERAGE_VARIABLES))
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    if passphrase is not None:
        environment["PEERAPP_PASSPHRASE"] = passphrase
    if timings is not None:
        environment[TIMINGS_VARIABLE] = timings
    return environment


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    """Every line of `stream` into `lines`, then None; the pump closes the stream at its
    end (a pipe left to the garbage collector is a ResourceWarning, an error in this
    suite). The end comes when the node and every child holding the pipe (its own tor
    may outlive it a little) have exited."""
    with stream:
        for line in iter(stream.readline, b""):
            lines.put(line)
    lines.put(None)


class Node:
    """A running `peerapp node` with line-level helpers; every wait is bounded."""

    def __init__(
        self,
        profile: Path,
        listen: str = "/ip4/127.0.0.1/tcp/0",
        passphrase: str = PASSPHRASE,
        extra: tuple[str, ...] = (),
        prefix: tuple[str, ...] = (),
        *,
        network: tuple[str, ...] = DIRECT,
        kdf: KdfParams | None = TEST_KDF,
        wait: bool = True,
        timings: str | None = QUICK,
        environment: dict[str, str] | None = None,
        measured: bool | None = None,
    ) -> None:
        """`prefix` goes before the command, e.g. ("ip", "netns", "exec", NAME); it must
        exec the node (so the process is the node itself and kill() reaches it).

        A missing profile is created here first with `kdf`, so the node only unlocks it
        with the cheap parameters its key file holds: Argon2id at 256 MiB (calibration,
        then the wrap, then every unlock) cost each node start 1-1.5 s, and the tests that
        drive nodes are not about the KDF. `kdf=None` leaves creation to the node itself,
        the real way (calibrated), for what is about that or about real start-up times.
        The product has no switch for this: the parameters are in the key file.

        `timings`: the node's PEERAPP_TIMINGS (QUICK by default; None: the app's).
        `environment`: more variables for the node's process.

        `measured`: coverage in the node (None: as measured_here() says for the running
        test, see MEASURED_TEST_FILES). `measured=False` also where a measured file's
        test kills the node with SIGKILL: such a node writes no coverage data (coverage
        saves at exit), so measuring it only costs its start 0.35-0.6 s of CPU and its
        work about two fifths more, for nothing.

        The constructor returns once the node said "ready". With `wait=False` it only
        launches the process (Spares: nodes started ahead, while other tests run); the
        ready line is then awaited on the first use of the node (`ready`, `process`,
        any call or read), so every use still comes after ready; only kill() does not
        wait."""
        self.profile = profile
        if kdf is not None and not profile_exists(profile):
            create_profile(profile, passphrase, kdf)
        self._process = subprocess.Popen(
            [
                *prefix,
                *node_command(
                    profile, "--listen", listen, "--log-level", "debug", *extra, network=network
                ),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={
                **node_environment(passphrase, timings, measured=measured),
                **(environment or {}),
            },
        )
        assert self._process.stdout is not None and self._process.stderr is not None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr_lines: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(
            target=_pump, args=(self._process.stdout, self._lines), daemon=True
        ).start()
        threading.Thread(
            target=_pump, args=(self._process.stderr, self._stderr_lines), daemon=True
        ).start()
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self._ready: dict[str, Any] | None = None
        if wait:
            self.ready  # noqa: B018 (waits for the ready line)

    @property
    def ready(self) -> dict[str, Any]:
        """The node's "ready" line (peer_id, addrs, ...), waited for on first use; a node
        that says anything else first, or exits, fails the test and is killed."""
        if self._ready is None:
            try:
                line = self._read_line(WAIT)
                assert line.get("event") == "ready", line
            except BaseException:
                self.kill()
                raise
            self._ready = line
        return self._ready

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """The node's process, once it is ready (a test reading its /proc entry or sending
        it a signal means the running node, not one still importing)."""
        self.ready  # noqa: B018 (waits for the ready line)
        return self._process

    def next_line(self, timeout: float = WAIT) -> dict[str, Any]:
        self.ready  # noqa: B018 (the ready line is never taken for a reply or an event)
        return self._read_line(timeout)

    def _read_line(self, timeout: float) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no output from the node within {timeout} s") from None
        if line is None:
            raise AssertionError(
                f"node exited (code {self._process.wait(5)}): {self.stderr_text()}"
            )
        return dict(json.loads(line))

    def send_raw(self, data: bytes) -> None:
        assert self.process.stdin is not None  # (self.process: after ready)
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def reply_to(self, request_id: Any, timeout: float = WAIT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(max(deadline - time.monotonic(), 0.01))
            if "event" in line:
                self.events.append(line)
            elif line.get("id") == request_id:
                return line

    def call(self, cmd: str, **arguments: Any) -> dict[str, Any]:
        request_id = next(self._ids)
        self.send_raw(json.dumps({"id": request_id, "cmd": cmd, **arguments}).encode() + b"\n")
        return self.reply_to(request_id)

    def call_many(
        self, commands: list[dict[str, Any]], window: int = 64, timeout: float = WAIT
    ) -> list[dict[str, Any]]:
        """Pipelined calls: up to `window` command lines are written before their replies
        are read. Each item is {"cmd": name, ...arguments}; replies come back in the order
        of `commands` (the node may answer out of order). `timeout` bounds each reply."""
        replies: dict[int, dict[str, Any]] = {}
        pending: list[int] = []
        order: list[int] = []
        for command in commands:
            request_id = next(self._ids)
            order.append(request_id)
            self.send_raw(json.dumps({"id": request_id, **command}).encode() + b"\n")
            pending.append(request_id)
            if len(pending) >= window:
                self._collect(replies, pending[: window // 2], timeout)
                pending = [i for i in pending if i not in replies]
        self._collect(replies, pending, timeout)
        return [replies[i] for i in order]

    def _collect(
        self, replies: dict[int, dict[str, Any]], wanted: list[int], timeout: float
    ) -> None:
        """Read lines until every id in `wanted` has its reply; events go to self.events."""
        missing = set(wanted) - set(replies)
        deadline = time.monotonic() + timeout
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{len(missing)} replies missing after {timeout} s")
            line = self.next_line(remaining)
            if "event" in line:
                self.events.append(line)
            elif isinstance(line.get("id"), int):
                replies[line["id"]] = line
                missing.discard(line["id"])
                deadline = time.monotonic() + timeout

    def drain(self, timeout: float) -> int:
        """Wait up to `timeout` for output, then take whatever else is already there; events
        go to self.events. Returns how many lines were read (0: nothing within `timeout`).
        A bounded wait for the node to do something, for pacing polls."""
        lines = 0
        self.ready  # noqa: B018 (the ready line is not an event)
        try:
            line = self._lines.get(timeout=timeout)
            for _ in range(100_000):  # a bound even if the node never stops talking
                if line is None:
                    self._lines.put(None)  # keep the end of output visible to next_line
                    break
                lines += 1
                document = dict(json.loads(line))
                if "event" in document:
                    self.events.append(document)
                line = self._lines.get_nowait()
        except queue.Empty:
            pass
        return lines

    def wait_event(self, name: str, timeout: float = WAIT, consume: bool = False) -> dict[str, Any]:
        """The first `name` event seen (waiting for one); `consume` removes it from the list."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("event") == name:
                    if consume:
                        self.events.remove(event)
                    return event
            line = self.next_line(max(deadline - time.monotonic(), 0.01))
            if "event" in line:
                self.events.append(line)

    def close_stdin(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    def wait_exit(self, timeout: float = WAIT) -> int:
        code = self.process.wait(timeout)
        self._close_pipes()
        return code

    def stderr_text(self) -> str:
        chunks = []
        while True:
            try:
                chunk = self._stderr_lines.get_nowait()
            except queue.Empty:
                break
            if chunk is not None:
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def stderr_until_exit(self, timeout: float = WAIT) -> str:
        """Everything the node wrote on stderr, once it exited and its stderr closed."""
        self.wait_exit(timeout)
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                chunk = self._stderr_lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"the node's stderr still open after {timeout} s") from None
            if chunk is None:
                return b"".join(chunks).decode(errors="replace")
            chunks.append(chunk)

    def kill(self) -> None:
        """Kill the process if it still runs, then close its pipes. Safe to call again,
        and after the node exited by itself."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(10)
        self._close_pipes()

    def _close_pipes(self) -> None:
        """Close our end of the node's stdin once it ended (its stdout and stderr the pumps
        close when they reach their end)."""
        assert self._process.stdin is not None
        with contextlib.suppress(OSError):  # unsent bytes to a dead process: nothing to do
            self._process.stdin.close()


class Spares:
    """Nodes launched ahead, each on a fresh profile of its own, handed out one at a time.

    Where a test wants a new node with the default options, it takes one that was
    launched while earlier tests ran (a node that nothing has talked to, on a profile
    nothing else used: as fresh as one started now), and a replacement is launched at
    once. The e2e tests mostly wait on their nodes (the e2e directory keeps about 0.7 of
    the 2 cores busy), so the start of the next node (0.7-1 s, mostly imports) runs in
    that idle time instead of in front of the next test. The owner kills what was never
    handed out (close)."""

    def __init__(self, root: Path, ahead: int = 3) -> None:
        self._root = root
        self._ahead = ahead
        self._launched = itertools.count()
        self._waiting: list[Node] = []
        # measured only under HEARTH_MEASURE_NODES=all (see _launch)
        self.measured = os.environ.get(MEASURE_NODES_VARIABLE) == "all"

    def take(self) -> Node:
        """A running node (its ready line read), as Node() returns one; a spare that
        failed to start fails here, as Node() would have."""
        node = self._waiting.pop(0) if self._waiting else self._launch()
        self._fill()
        node.ready  # noqa: B018 (waits for the ready line)
        return node

    @property
    def waiting(self) -> tuple[Node, ...]:
        """The nodes launched and not yet handed out, oldest first."""
        return tuple(self._waiting)

    def _fill(self) -> None:
        while len(self._waiting) < self._ahead:
            self._waiting.append(self._launch())

    def _launch(self) -> Node:
        """Spares are launched during whichever test takes the one before them, so they
        are measured only when every node is (`measured`); a test whose nodes are
        measured otherwise starts its own (tests/e2e/conftest.py)."""
        return Node(self._root / f"spare{next(self._launched)}", wait=False, measured=self.measured)

    def close(self) -> None:
        for node in self._waiting:
            node.kill()
        self._waiting.clear()


class StartNode(Protocol):
    """The `start_node` fixture (tests/e2e/conftest.py): a Node on `profile` (a fresh one
    under tmp_path when None), killed at the end of the test; options go to Node()."""

    def __call__(self, profile: Path | None = None, **options: Any) -> Node: ...
