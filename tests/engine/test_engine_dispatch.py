"""The engine's command table (engine/dispatch.py): typed command in, typed result out,
no sockets."""

from __future__ import annotations

from typing import cast

import pytest
import trio

from peerapp.core.api.circles import InviteMade, MarkRead, Quit
from peerapp.core.api.contract import Done
from peerapp.core.api.refusals import Refusal
from peerapp.core.api.registry import COMMANDS
from peerapp.core.errors import CommandError
from peerapp.engine.dispatch import Handlers
from peerapp.engine.engine import Engine
from peerapp.storage.profile import UnlockedProfile


async def _done(command: MarkRead) -> Done:
    return Done()


async def _wrong(command: MarkRead) -> InviteMade:
    return InviteMade(code="not what mark_read answers")


def test_a_command_is_answered_by_its_handler_with_its_result() -> None:
    handlers = Handlers()
    handlers.add(MarkRead, _done)
    assert trio.run(handlers.answer, MarkRead(circle="c")) == Done()


def test_a_command_without_a_handler_is_the_fronts() -> None:
    with pytest.raises(CommandError) as refused:
        trio.run(Handlers().answer, Quit())
    assert refused.value.refusal is Refusal.FRONT_ONLY
    assert refused.value.message == "quit is handled by the front, not the engine"


def test_a_result_of_another_type_is_an_engine_bug() -> None:
    handlers = Handlers()
    handlers.add(MarkRead, _wrong)
    with pytest.raises(TypeError, match="mark_read answered InviteMade"):
        trio.run(handlers.answer, MarkRead(circle="c"))


def test_one_handler_per_command() -> None:
    handlers = Handlers()
    handlers.add(MarkRead, _done)
    with pytest.raises(ValueError, match="MarkRead"):
        handlers.add(MarkRead, _done)


def test_the_engine_serves_every_command_but_the_fronts_own() -> None:
    # Engine.__init__ only keeps the profile: nothing is opened until run()
    engine = Engine(cast(UnlockedProfile, object()), [], lambda event: None)
    served = {spec.command for spec in COMMANDS.values() if not spec.front_only}
    assert engine._handlers.kinds() == served
