"""Two sides of one peer protocol, talking over an in-memory framed stream
(peerapp/network/memory_streams.py): no host, no socket. Each side ends its stream the
way the engine does (streams.serving, the drivers' callers): closed after it finished,
reset after it failed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import trio
from trio.testing import MockClock

from peerapp.network.framed import FramedStream
from peerapp.network.memory_streams import memory_stream_pair

T = TypeVar("T")
BOUND_SECONDS = 30
ASKER_PEER = "12D3KooWAsker"
SERVER_PEER = "12D3KooWServer"


@dataclass(frozen=True)
class Conversation(Generic[T]):
    """How each side ended: the asker's result or error, the server's error (if any)."""

    result: T | None
    asker_error: Exception | None
    server_error: Exception | None


async def _side(
    work: Callable[[], Awaitable[T]], stream: FramedStream
) -> tuple[T | None, Exception | None]:
    try:
        result = await work()
    except Exception as error:
        await stream.reset()
        return None, error
    await stream.close()
    return result, None


async def converse(
    asker: Callable[[FramedStream], Awaitable[T]],
    server: Callable[[FramedStream], Awaitable[None]],
    protocol: str = "",
) -> Conversation[T]:
    """Run both sides to their end (bounded); the asker's and the server's outcome."""
    asking, serving = memory_stream_pair(ASKER_PEER, SERVER_PEER, protocol)
    served: list[Exception | None] = []

    async def serve() -> None:
        served.append((await _side(lambda: server(serving), serving))[1])

    with trio.fail_after(BOUND_SECONDS):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(serve)
            result, error = await _side(lambda: asker(asking), asking)
    return Conversation(result, error, served[0])


def talk(
    asker: Callable[[FramedStream], Awaitable[T]],
    server: Callable[[FramedStream], Awaitable[None]],
    protocol: str = "",
) -> Conversation[T]:
    """`converse` run to its end on the jumping clock of `run`, from synchronous code."""
    outcome: list[Conversation[T]] = []

    async def body() -> None:
        outcome.append(await converse(asker, server, protocol))

    run(body)
    return outcome[0]


def run(test: Callable[[], Awaitable[None]]) -> None:
    """One test on a clock that jumps whenever every task waits: a silent peer's
    timeout (10 s, 15 s) is reached at once, and a hang fails the bound at once."""
    trio.run(test, clock=MockClock(autojump_threshold=0))
