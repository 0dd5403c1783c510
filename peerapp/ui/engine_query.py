"""Asking the engine again and again: which answer to use, and when to ask once more.

The GUI asks the engine the same question many times (the members, a circle's settings,
its latest messages), and the answers come back as the engine finishes them, so two
rules were written by hand at each place that asks (issue 13); they live here, once:

- `Latest`: every ask takes a ticket; an answer is used only if no newer ask's answer was
  used already (a newer ask supersedes, so an older answer cannot undo a newer one).
- `OneAtATime`: one ask in flight; asking while it is in flight runs it once more after
  it (however many times one asked meanwhile), so the last ask is always answered
  without piling up requests.

`Latest` and `OneAtATime` are plain state: the caller keeps the await and asks these
what to do. `latest_answer` is the whole of a `Latest` ask for the common case: ask, hand
a refusal to the one error route (the circle controller's `report_error`), and give the
answer only while its owner is alive and no newer answer was used.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import QObject

from peerapp.core.errors import HearthError
from peerapp.ui.async_slot import still_alive

T = TypeVar("T")


class Latest:
    """Tickets for repeated asks: use an answer only if it is not older than one used."""

    def __init__(self) -> None:
        self._asked = 0
        self._used = 0

    def ask(self) -> int:
        """A ticket for the ask about to be made."""
        self._asked += 1
        return self._asked

    def take(self, ticket: int) -> bool:
        """Whether to use the answer to `ticket` (and, if so, it is now the newest used)."""
        if ticket < self._used:
            return False
        self._used = ticket
        return True


class OneAtATime:
    """One ask in flight; asks meanwhile fold into one more run after it."""

    def __init__(self) -> None:
        self.running = False
        self._again = False

    def start(self) -> bool:
        """Whether to ask now; False when one is in flight (it will run once more)."""
        if self.running:
            self._again = True
            return False
        self.running = True
        return True

    def later(self) -> None:
        """Not now (e.g. nothing shown yet): ask again after the next run ends."""
        self._again = True

    def asked_meanwhile(self) -> bool:
        """Whether someone asked (`later`) since; the ask is now the caller's to run."""
        again, self._again = self._again, False
        return again

    def stop(self) -> None:
        """The run ended with no answer to use (the ask failed, or there was nothing to
        ask): none is in flight; a re-run asked meanwhile waits for the next run."""
        self.running = False

    def finish(self) -> bool:
        """The answer was used: whether to run once more (someone asked meanwhile)."""
        self.running = False
        again, self._again = self._again, False
        return again


async def latest_answer(
    latest: Latest,
    ask: Callable[[], Awaitable[T]],
    owner: QObject,
    failed: Callable[[HearthError], object],
) -> T | None:
    """Ask (with a ticket from `latest`); the answer, or None when the engine refused
    (`failed` is told, while `owner` is alive), `owner` is gone, or a newer answer was
    used already (answers can overtake each other: an older one must not undo a newer)."""
    ticket = latest.ask()
    try:
        answer = await ask()
    except HearthError as error:
        if still_alive(owner):
            failed(error)
        return None
    if not still_alive(owner) or not latest.take(ticket):
        return None
    return answer
