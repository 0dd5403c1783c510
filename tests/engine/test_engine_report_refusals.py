"""A report the mailbox refuses before anything is sent (engine/mailbox.py `report`),
socket-free on the circle parts: no reason, a message the reporter does not hold, one's
own message. Until now only the e2e reports tests' node processes reached these refusals
(docs/architecture.md "Coverage of node processes")."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EVENT_ID_BYTES
from peerapp.core.errors import CommandError
from tests.engine.circle_parts import admitted_and_said, circle_of, run


def test_a_report_without_reason_of_an_unknown_or_own_message_is_refused(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            said = await admitted_and_said(ash, circle, bee, "something unkind")
            unknown = "ab" * EVENT_ID_BYTES
            for member, message, reason, refusal in (
                (ash, said.view.id, "  \n ", Refusal.REPORT_NEEDS_REASON),
                (ash, unknown, "That was unkind.", Refusal.MESSAGE_NOT_HERE),
                (bee, said.view.id, "I regret it.", Refusal.OWN_MESSAGE_REPORT),
            ):
                with pytest.raises(CommandError) as refused:
                    await member.parts.mailbox.report(circle_hex, message, reason)
                assert refused.value.refusal is refusal
            # nothing was sent for any of them: no report waits on the facilitator's row
            assert ash.parts.mailbox.reports(circle_hex) == []

    run(body)
