"""A reader's boundaries as the engine serves them: typed command -> typed result.
Each handler only unpacks the command and calls peerapp.engine.boundaries.
"""

from __future__ import annotations

from collections.abc import Callable

from peerapp.core.api.boundaries import (
    AllBreaks,
    Block,
    BreaksOf,
    BreakView,
    FilterModes,
    Filters,
    SetBreak,
    SetFilters,
    Unblock,
)
from peerapp.core.api.contract import Done
from peerapp.core.api.registry import command_arguments
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.circle_service import CircleService
from peerapp.engine.dispatch import Handlers


def boundaries_handlers(service: Callable[[], CircleService]) -> Handlers:
    def boundaries() -> Boundaries:
        return service().boundaries

    async def block(command: Block) -> Done:
        boundaries().block(command.circle, command.member)
        return Done()

    async def unblock(command: Unblock) -> Done:
        boundaries().unblock(command.circle, command.member)
        return Done()

    async def filters(_: Filters) -> FilterModes:
        return FilterModes(filters=boundaries().filters())

    async def set_filters(command: SetFilters) -> FilterModes:
        # by topic as the wire names them ("self-harm"); absent topics keep their mode
        return FilterModes(filters=boundaries().set_filters(command_arguments(command)))

    async def set_break(command: SetBreak) -> BreakView:
        return await boundaries().set_break(
            command.circle, command.on, command.quiet_hours, command.status
        )

    async def breaks(_: BreaksOf) -> AllBreaks:
        return boundaries().breaks()

    handlers = Handlers()
    handlers.add(Block, block)
    handlers.add(Unblock, unblock)
    handlers.add(Filters, filters)
    handlers.add(SetFilters, set_filters)
    handlers.add(SetBreak, set_break)
    handlers.add(BreaksOf, breaks)
    return handlers
