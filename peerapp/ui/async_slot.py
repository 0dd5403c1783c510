"""qasync.asyncSlot with types mypy can follow.

qasync ships no type information, so decorating a method with it directly would make the
method untyped under strict mypy. This wrapper keeps the decorated method's parameters
and says what it really returns: the asyncio task running the coroutine.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, cast

import qasync
import shiboken6
from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

P = ParamSpec("P")


def async_slot(
    *signal_types: type,
) -> Callable[[Callable[P, Coroutine[Any, Any, None]]], Callable[P, asyncio.Task[None]]]:
    """A Qt slot that runs the coroutine as a task on the qasync loop.

    Calling the slot returns at once; the coroutine's first step runs on the next turn of
    the loop. An exception escaping the coroutine goes to sys.excepthook, so each slot
    catches what it expects and shows it.
    """
    return cast(
        Callable[[Callable[P, Coroutine[Any, Any, None]]], Callable[P, "asyncio.Task[None]"]],
        qasync.asyncSlot(*signal_types),
    )


def still_alive(widget: QObject) -> bool:
    """Whether the Qt half of `widget` still exists.

    A coroutine may resume after its window was discarded (the person locked Hearth while
    the engine was answering); it must then return without touching any widget.
    """
    return shiboken6.isValid(widget)


def settle_quietly(future: asyncio.Future[Any], what: str) -> None:
    """Let a command run without awaiting it; a failure is logged (its kind only)."""

    def seen(done: asyncio.Future[Any]) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if error is not None:
            log.info("%s failed (%s)", what, type(error).__name__)

    future.add_done_callback(seen)
