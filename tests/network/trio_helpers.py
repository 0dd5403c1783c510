"""Trio helpers shared by the network tests: every run and every wait is bounded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import trio

BOUND_SECONDS = 20


def run(test: Callable[[], Awaitable[None]], bound_seconds: float = BOUND_SECONDS) -> None:
    async def bounded() -> None:
        with trio.fail_after(bound_seconds):
            await test()

    trio.run(bounded)


async def wait_until(condition: Callable[[], bool], seconds: float = 10) -> None:
    with trio.fail_after(seconds):
        while not condition():
            await trio.sleep(0.01)
