"""The circle list's preview (issue 15): a circle's row carries the newest message this
reader sees, as `history` shows it: its content warning, hidden pending review, never a
blocked member's. Socket-free, on the parts as the service wires them."""

from __future__ import annotations

from pathlib import Path

import trio

from peerapp.engine.safety import message_body
from tests.engine.circle_parts import admitted_and_said, circle_of, deliver, run


def test_the_preview_is_the_newest_message_the_reader_sees(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            assert ash.messages.latest(circle) is None  # nothing said yet
            said = await admitted_and_said(ash, circle, bee, "hello from Bee")
            latest = ash.messages.latest(circle)
            assert latest is not None and latest.text == "hello from Bee"
            assert latest.author_name == "Bee" and not latest.mine

            # a content warning comes along, so a front shows the label, not the text
            await bee.messages.send_body(
                said.runtime.circle_id.hex(), message_body("hard day", "grief")
            )
            await trio.sleep(1)  # the outbox's pause between envelopes (a jumping clock)
            await deliver(bee, ash, circle)
            latest = ash.messages.latest(circle)
            assert latest is not None and latest.cw == "grief"

            # our own message is newer still
            own = await ash.messages.send(circle_hex, "mine")
            assert ash.messages.latest(circle) == own

            # blocking Bee changes nothing here (ours is newest); Bee's newest after ours
            # never shows as the preview once blocked
            await trio.sleep(1)
            await deliver(ash, bee, said.runtime)  # Bee answers after reading ours
            await bee.messages.send_body(said.runtime.circle_id.hex(), {"text": "after"})
            await trio.sleep(1)  # the outbox's pause between envelopes (a jumping clock)
            await deliver(bee, ash, circle)
            latest = ash.messages.latest(circle)
            assert latest is not None and latest.text == "after"
            ash.boundaries.block(circle_hex, said.runtime.me.hex())
            latest = ash.messages.latest(circle)
            assert latest is not None and latest.id == own.id

    run(body)
