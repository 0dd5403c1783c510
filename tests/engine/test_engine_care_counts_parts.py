"""What waits for a facilitator's care, as the circle's row counts it (issue 14), without
sockets: the circle parts as the service wires them, the mailbox's streams in memory.

Bee asks for support; once the note reaches Ash (the founder), Ash's mailbox counts one
open care flag and Bee's counts none (a member is never shown one); resolving it brings
Ash's back to none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import trio

from peerapp.core.mailbox_messages import MAX_ANSWER_BYTES, PROTOCOL, Ack, decode_answer
from peerapp.storage.database import Database
from peerapp.storage.mailbox_store import MailboxStore
from tests.engine.circle_parts import MemoryHost, admit, circle_of, run


@contextmanager
def counted_statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements the database runs inside the block (SQLite's trace hook)."""
    statements: list[str] = []
    connection = database._connection
    connection.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        connection.set_trace_callback(None)


def test_open_care_flags_are_counted_for_the_facilitator_only(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            assert ash.parts.mailbox.open_flag_count(circle) == 0
            flag = await bee.parts.mailbox.care_flag(
                mine.circle_id.hex(), mine.me.hex(), None, "a hard week"
            )
            async with trio.open_nursery() as network:
                host = MemoryHost(bee, network)
                host.reachable[ash.peer] = ash
                stream = await host.open_stream(ash.peer, PROTOCOL)
                for note in MailboxStore(bee.database).undelivered():
                    await stream.send(note.frame)
                    assert isinstance(decode_answer(await stream.receive(MAX_ANSWER_BYTES)), Ack)
                await stream.close()
                network.cancel_scope.cancel()
            assert ash.parts.mailbox.open_flag_count(circle) == 1
            assert bee.parts.mailbox.open_flag_count(mine) == 0  # a member: never counted
            # the row's count is one query, whatever the inbox holds (issue 14: it decoded
            # every note of the inbox for each row built)
            with counted_statements(ash.database) as statements:
                assert ash.parts.mailbox.open_flag_count(circle) == 1
            assert len(statements) == 1 and statements[0].lstrip().upper().startswith(
                "SELECT COUNT"
            )
            ash.parts.mailbox.resolve_flag(circle.circle_id.hex(), flag)
            assert ash.parts.mailbox.open_flag_count(circle) == 0

    run(body)
