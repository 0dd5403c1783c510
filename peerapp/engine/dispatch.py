"""The engine's command table: each command type of the contract (core/api) -> the
handler that serves it, taking the typed command and returning its typed result.

Rules:
- One handler per command type; registering a second is a bug (ValueError at start).
- A command without a handler is one the front answers itself (`quit`): refused with
  Refusal.FRONT_ONLY.
- A handler's result must be of the type the command names (Command[ItsResult]); any
  other is an engine bug, raised as TypeError (the engine reports it as such).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from peerapp.core.api.contract import Command, Result
from peerapp.core.api.refusals import Refusal
from peerapp.core.api.registry import spec_of
from peerapp.core.errors import CommandError

C = TypeVar("C", bound=Command[Any])
R = TypeVar("R", bound=Result)
Handler = Callable[[Any], Awaitable[Result]]


class Handlers:
    def __init__(self) -> None:
        self._table: dict[type[Command[Any]], Handler] = {}

    def add(self, kind: type[C], handler: Callable[[C], Awaitable[Result]]) -> None:
        if kind in self._table:
            raise ValueError(f"{kind.__name__} has a handler already")
        self._table[kind] = handler

    def include(self, other: Handlers) -> None:
        for kind, handler in other._table.items():
            self.add(kind, handler)

    def kinds(self) -> frozenset[type[Command[Any]]]:
        return frozenset(self._table)

    async def answer(self, command: Command[R]) -> R:
        spec = spec_of(command)
        handler = self._table.get(type(command))
        if handler is None:
            raise CommandError(Refusal.FRONT_ONLY, command=spec.name)
        result = await handler(command)
        if not isinstance(result, spec.result):
            raise TypeError(f"{spec.name} answered {type(result).__name__}")
        return cast(R, result)
