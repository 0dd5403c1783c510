"""Pictures and files end to end with real `peerapp node` processes (issue 15).

- Ash sends a file; Bee fetches it; Ash goes offline; Cy, back online afterwards, gets
  the whole file from Bee: the author is no obstacle.
- Mallory (a hostile member, tests/hostile/member.py) sends a file and answers Bee's
  chunk requests with tampered chunks, Ash's with the true ones: Bee refuses and counts
  the tampered chunk and gets the file from Ash instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerapp.core import attachment_policy as ap
from peerapp.core.circle_events import EventType
from peerapp.engine.attachment_files import seal
from tests.e2e.hostile_support import HonestPool, Scene, honest_pool, start_scene
from tests.e2e.node_process import Node, Spares, StartNode
from tests.e2e.sync_support import form_circle, poll

SIZE = ap.CHUNK_BYTES * 3 + 4321  # four chunks
WAIT = 30.0


def _saved(node: Node, circle: str, message: str, path: Path) -> dict[str, Any]:
    started = time.monotonic()
    reply = node.call("save_attachment", circle=circle, message=message, path=str(path))
    print(f"save_attachment: {time.monotonic() - started:.2f} s")
    assert reply["ok"], reply
    return reply


def _history_has(node: Node, circle: str, message: str) -> dict[str, Any] | None:
    reply = node.call("history", circle=circle)
    assert reply["ok"], reply
    return next((m for m in reply["messages"] if m["id"] == message), None)


def test_a_file_comes_from_a_member_while_its_author_is_offline(
    start_node: StartNode, tmp_path: Path
) -> None:
    ash = start_node(tmp_path / "ash")
    bee = start_node(tmp_path / "bee")
    cy = start_node(tmp_path / "cy")
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Files circle")
    assert cy.call("quit")["ok"] and cy.wait_exit() == 0  # Cy is away for a while

    data = os.urandom(SIZE)
    source = tmp_path / "plan.pdf"
    source.write_bytes(data)
    sent = ash.call("attach", circle=circle, path=str(source), text="our plan")
    assert sent["ok"], sent
    message = str(sent["message"])

    # Bee fetches it from Ash by itself (no command): progress, then whole
    def bee_holds_it() -> dict[str, Any] | None:
        entry = _history_has(bee, circle, message)
        if entry is None or entry["attachment"]["have"] != SIZE:
            return None
        return entry

    entry = poll(bee_holds_it, "Bee to hold the file", timeout=WAIT, pace=[bee])
    assert entry["text"] == "our plan"
    assert entry["attachment"] == {
        "name": "plan.pdf",
        "size": SIZE,
        "mime": "application/pdf",
        "have": SIZE,
        "state": "wanted",
    }
    progress = bee.wait_event("attachment_progress", timeout=WAIT)
    assert progress["circle"] == circle and progress["message"] == message

    assert ash.call("quit")["ok"] and ash.wait_exit() == 0  # the author goes offline
    cy = start_node(tmp_path / "cy")  # Cy comes back: only Bee is there
    poll(lambda: _history_has(cy, circle, message), "Cy to sync the message", pace=[cy])
    out = tmp_path / "cy-saved"
    out.mkdir()
    reply = _saved(cy, circle, message, out)
    assert reply["size"] == SIZE and Path(reply["path"]) == out / "plan.pdf"
    assert (out / "plan.pdf").read_bytes() == data


@pytest.fixture
def pool(spare_nodes: Spares) -> Iterator[HonestPool]:
    yield from honest_pool(spare_nodes)


def test_tampered_chunks_are_refused_and_the_file_comes_from_another_member(
    pool: HonestPool, tmp_path: Path
) -> None:
    scene: Scene = start_scene(pool)
    try:
        mallory = scene.mallory
        data = os.urandom(SIZE)
        outgoing = seal(data, name="story.txt", mime="text/plain")
        signed = mallory.sign(
            EventType.MESSAGE, {"text": "", "attachment": outgoing.manifest.to_body()}
        )
        true = {(signed.id, i): chunk for i, chunk in enumerate(outgoing.chunks)}
        tampered = dict(true)
        tampered[(signed.id, 1)] = bytes(len(outgoing.chunks[1]))  # zeros: no match
        mallory.serve_chunks(true, peer=scene.peer(scene.ash))
        mallory.serve_chunks(tampered, peer=scene.peer(scene.bee))

        # Bee stores the message and fetches by itself, Mallory (the author) first
        mallory.push(scene.peer(scene.bee), [signed])

        def tampered_counted() -> int:
            usage = scene.bee.call("circle_usage", circle=scene.circle)
            assert usage["ok"], usage
            return int(usage["dropped"].get("attachment_chunk_tampered", 0))

        poll(tampered_counted, "Bee to refuse a tampered chunk", pace=[scene.bee])
        entry = _history_has(scene.bee, scene.circle, signed.id.hex())
        assert entry is not None and entry["attachment"]["have"] < SIZE  # only chunk 0

        mallory.push(scene.peer(scene.ash), [signed])
        reply = _saved(scene.ash, scene.circle, signed.id.hex(), tmp_path / "ash.txt")
        assert (tmp_path / "ash.txt").read_bytes() == data and reply["size"] == SIZE

        _saved(scene.bee, scene.circle, signed.id.hex(), tmp_path / "bee.txt")
        assert (tmp_path / "bee.txt").read_bytes() == data  # from Ash, not Mallory
    finally:
        scene.close()
