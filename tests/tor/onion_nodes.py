"""`peerapp node` processes in Tor mode for the onion e2e suite: each runs its own tor,
joined to the private network by a `--tor-config` file (tests/tor/fixtures.py).

`OnionNode` keeps every reply and event it saw, so the suite can look for IP addresses
in all of it at the end; every wait is bounded and says what it waited for.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from peerapp.core.invite_code import decode_invite
from tests.e2e.node_process import Node

# a node's own tor on the private network bootstraps in 2-3 s; the bound leaves room
# for two loaded cores
TOR_READY_BOUND = 90.0
# a fresh onion service answers once its descriptor is on the HSDirs (1.5-2 s here); a
# restarted one, once its new descriptor replaces the old: joins and reconnects retry
JOIN_BOUND = 90.0
STEP_BOUND = 90.0
EXPLAIN_LINES = 60
ONION_ADDRESS = re.compile(r"/onion3/[a-z2-7]{56}:[0-9]{1,5}")


class OnionNode(Node):
    """A node in Tor mode (`tor_config`: the --tor-config file), or in direct mode
    (`tor_config=None`); `outputs` holds every reply it gave. It runs the app's timings
    (unless `timings` says otherwise): the onion suite measures joins and reconnects at
    the product's back-off, against descriptors that take seconds to be published."""

    def __init__(self, profile: Path, tor_config: Path | None, **options: Any) -> None:
        # tor's onion-service steps at info level, in a log of this node's own, for
        # explain() (SafeLogging, on by default, scrubs addresses from it)
        self.rend_log = profile.parent / f"{profile.name}.rend.log"
        if tor_config:
            own = profile.parent / f"{profile.name}.torrc"
            own.parent.mkdir(parents=True, exist_ok=True)
            own.write_text(f"{tor_config.read_text()}\nLog [rend]info file {self.rend_log}\n")
            tor_config = own
        network = ("--tor-config", str(tor_config)) if tor_config else ("--direct",)
        self.outputs: list[dict[str, Any]] = []
        self._stderr_tail: deque[str] = deque(maxlen=EXPLAIN_LINES)
        super().__init__(profile, network=network, **{"timings": None, **options})
        self.outputs.append(self.ready)

    def call(self, cmd: str, **arguments: Any) -> dict[str, Any]:
        return self.call_within(30.0, cmd, **arguments)

    def call_within(self, timeout: float, cmd: str, **arguments: Any) -> dict[str, Any]:
        request_id = next(self._ids)
        self.send_raw(json.dumps({"id": request_id, "cmd": cmd, **arguments}).encode() + b"\n")
        reply = self.reply_to(request_id, timeout)
        self.outputs.append(reply)
        return reply

    def ok(self, cmd: str, timeout: float = 30.0, **arguments: Any) -> dict[str, Any]:
        reply = self.call_within(timeout, cmd, **arguments)
        assert reply["ok"], f"{cmd}: {reply}"
        return reply

    def wait_tor_ready(self, timeout: float = TOR_READY_BOUND, since: int = 0) -> dict[str, Any]:
        """The first tor_status event with state "ready" from self.events[since:] on (a
        "failed" one fails the test)."""
        deadline = time.monotonic() + timeout
        seen = since
        for _ in itertools.count():
            for event in self.events[seen:]:
                if event.get("event") != "tor_status":
                    continue
                if event.get("state") == "ready":
                    return event
                assert event.get("state") != "failed", f"tor failed: {event}"
            seen = len(self.events)
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"tor not ready in {timeout} s; last: {self.last_tor_status()}"
            line = self.next_line(remaining)
            if "event" in line:
                self.events.append(line)
        raise AssertionError("unreachable")

    def last_tor_status(self) -> dict[str, Any] | None:
        found = [e for e in self.events if e.get("event") == "tor_status"]
        return found[-1] if found else None

    def invite_code(self, circle: str) -> str:
        return str(self.ok("invite", circle=circle)["code"])

    def history_texts(self, circle: str) -> list[str]:
        return [m["text"] for m in self.ok("history", circle=circle, limit=500)["messages"]]

    def peers(self, circle: str) -> dict[str, dict[str, Any]]:
        """name -> {"peer", "online", ...} of the other members, from sync_status."""
        return {p["name"]: p for p in self.ok("sync_status", circle=circle)["peers"]}

    def everything_seen(self) -> list[dict[str, Any]]:
        return [*self.outputs, *self.events]

    def explain(self) -> str:
        """The last lines of this node's log and of its tor's onion-service log: what a
        failed step shows, so a failure seen once in CI can be read afterwards."""
        self._stderr_tail.extend(self.stderr_text().splitlines())
        rend: list[str] = []
        if self.rend_log.exists():
            rend = self.rend_log.read_text(errors="replace").splitlines()[-EXPLAIN_LINES:]
        return "\n".join(
            [
                f"--- {self.profile.name}: node log, last lines",
                *self._stderr_tail,
                f"--- {self.profile.name}: tor onion-service log, last lines",
                *rend,
            ]
        )


@contextlib.contextmanager
def explained(*nodes: OnionNode) -> Iterator[None]:
    """A failed assertion inside gains the nodes' explain()."""
    try:
        yield
    except AssertionError as error:
        details = "\n".join(node.explain() for node in nodes)
        raise AssertionError(f"{error}\n{details}") from None


def poll(
    check: Callable[[], bool], what: str, pace: OnionNode, timeout: float = STEP_BOUND
) -> float:
    """Until `check()` holds; between looks, waits for `pace`'s next output (an event is
    how a node says something changed) for at most a second. Returns the seconds taken."""
    began = time.monotonic()
    deadline = began + timeout
    for _ in range(100_000):
        if check():
            return time.monotonic() - began
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{what}: not within {timeout} s"
        pace.drain(min(1.0, remaining))
    raise AssertionError(f"{what}: too many looks")


def code_identity(code: str) -> tuple[str, tuple[str, ...]]:
    """(peer id, addresses) an invite code shows whoever holds it."""
    decoded = decode_invite(code)
    return decoded.peer_id, decoded.addrs


def tree_digest(folder: Path, skip: Callable[[Path], bool] = lambda path: False) -> dict[str, str]:
    """relative path -> sha256 of every file below `folder` (for "nothing changed")."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not skip(path):
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
