"""Helpers for the sync end-to-end tests: forming circles, reading whole histories, and
bounded polling (every wait has a deadline and a step count; none sleeps blindly)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

from tests.e2e.node_process import WAIT, Node

T = TypeVar("T")

PAGE = 500
MAX_PAGES = 200
PACE = 0.25  # longest wait for node output between two checks of a condition
MIN_INTERVAL = 0.05  # shortest time between two checks


def form_circle(founder: Node, joiners: list[tuple[Node, str]], name: str = "Sync circle") -> str:
    """The founder ("Ash") creates a circle and each joiner joins with its own code."""
    created = founder.call("create_circle", name=name, member_name="Ash")
    assert created["ok"], created
    circle = str(created["circle"])
    for joiner, member_name in joiners:
        code = founder.call("invite", circle=circle)
        assert code["ok"], code
        joined = joiner.call("join", code=code["code"], name=member_name)
        assert joined["ok"], joined
    return circle


def poll(
    condition: Callable[[], T | None],
    what: str,
    timeout: float = WAIT,
    pace: list[Node] | None = None,
) -> T:
    """Check `condition` until it returns something truthy, waiting between checks for
    output from the `pace` nodes (at most PACE s each), and at least MIN_INTERVAL. Fails
    after `timeout` seconds.

    Without `pace` it once checked back to back: a node asked a thousand times a second
    (CPU the rest of the suite needed), and the step bound, met in about 10 s of such
    asking, ended a 30 s wait early ("timed out after 30 s" after 10)."""
    deadline = time.monotonic() + timeout
    steps = int(timeout / 0.01) + 10  # a bound on the loop even if waits return at once
    last: T | None = None
    for _ in range(steps):
        checked = time.monotonic()
        last = condition()
        if last:
            return last
        if checked > deadline:
            break
        for node in pace or []:
            node.drain(min(PACE, max(deadline - time.monotonic(), 0.01)))
            # output came early: keep listening a little, so a busy node is not asked
            # more than about 1/MIN_INTERVAL times a second
            rest = MIN_INTERVAL - (time.monotonic() - checked)
            if rest > 0:
                node.drain(rest)
            forget(node, "message")
        if not pace:
            # a polling interval between checks, not a wait for the outcome
            time.sleep(max(MIN_INTERVAL - (time.monotonic() - checked), 0.0))
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what} (last: {last!r})")


def forget(node: Node, event: str) -> None:
    """Drop collected events of one kind (message events pile up in long runs)."""
    node.events[:] = [e for e in node.events if e.get("event") != event]


def history_all(node: Node, circle: str) -> list[dict[str, Any]]:
    """The whole history, oldest first, read page by page with `before`."""
    reply = node.call("history", circle=circle, limit=PAGE)
    assert reply["ok"], reply
    pages = [reply["messages"]]
    for _ in range(MAX_PAGES):
        if len(pages[0]) < PAGE:
            break
        reply = node.call("history", circle=circle, limit=PAGE, before=pages[0][0]["id"])
        assert reply["ok"], reply
        pages.insert(0, reply["messages"])
    else:
        raise AssertionError(f"more than {MAX_PAGES * PAGE} messages")
    messages = [m for page in pages for m in page]
    ids = [m["id"] for m in messages]
    assert len(set(ids)) == len(ids), "a message appears twice across history pages"
    return messages


def ids_of(messages: list[dict[str, Any]]) -> list[str]:
    return [m["id"] for m in messages]


def wait_history(
    node: Node, circle: str, count: int, timeout: float = WAIT, who: str = "the node"
) -> list[dict[str, Any]]:
    """Poll until the node's history holds at least `count` messages; returns it."""

    def enough() -> list[dict[str, Any]] | None:
        messages = history_all(node, circle)
        return messages if len(messages) >= count else None

    try:
        return poll(enough, f"{count} messages", timeout, pace=[node])
    except AssertionError:
        have = len(history_all(node, circle))
        raise AssertionError(
            f"after {timeout:g} s {who} holds {have} of {count} messages"
        ) from None


def wait_connected(node: Node, peers: list[str], timeout: float = WAIT) -> None:
    """Poll `status` until every peer id in `peers` is connected to `node`."""

    def connected() -> bool:
        status = node.call("status")
        assert status["ok"], status
        return set(peers) <= set(status["connected_peers"])

    poll(connected, f"connections to {len(peers)} peers", timeout, pace=[node])


def send_many(node: Node, circle: str, texts: list[str], window: int = 64) -> list[str]:
    """Send pipelined; returns the message ids in the order of `texts`."""
    replies = node.call_many([{"cmd": "send", "circle": circle, "text": t} for t in texts], window)
    for reply in replies:
        assert reply["ok"], reply
    return [str(r["message"]) for r in replies]


def sync_status(node: Node, circle: str) -> dict[str, Any]:
    reply = node.call("sync_status", circle=circle)
    assert reply["ok"], f"sync_status failed: {reply}"
    return reply


def quit_node(node: Node) -> None:
    assert node.call("quit")["ok"]
    assert node.wait_exit() == 0


def free_ports(count: int) -> list[int]:
    """Distinct TCP ports on 127.0.0.1 that nothing listens on right now (for nodes that
    must come back on the same --listen address). All are held open until each is chosen,
    so they differ."""
    probes = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()
