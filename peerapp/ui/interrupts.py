"""Ctrl-C (SIGINT) and SIGTERM close the app the same way the window's Quit does.

Python runs signal handlers only when the interpreter gets control, and while Qt waits
for events it does not. So the C-level handler's wake-up byte (signal.set_wakeup_fd) goes
into a socket that a QSocketNotifier watches: the byte wakes Qt at once, and the notifier
calls `on_signal` from the event loop, where it is safe to close windows. The Python-level
handler itself does nothing; it only replaces the default one that would raise
KeyboardInterrupt in the middle of whatever Qt callback happens to run.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from PySide6.QtCore import QSocketNotifier

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)

SignalHandler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _ignore(signum: int, frame: FrameType | None) -> None:
    """Delivery happens through the wake-up socket instead."""


@contextlib.contextmanager
def signals_call(on_signal: Callable[[int], None]) -> Iterator[None]:
    """While active, SIGINT and SIGTERM call `on_signal(signum)` from the Qt event loop."""
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read)

    def deliver() -> None:
        try:
            received = receiver.recv(64)
        except BlockingIOError:
            return
        for signum in dict.fromkeys(received):  # one call per signal, in arrival order
            on_signal(signum)

    notifier.activated.connect(deliver)
    previous_wakeup = signal.set_wakeup_fd(sender.fileno())
    previous_handlers: dict[signal.Signals, SignalHandler] = {
        signum: signal.signal(signum, _ignore) for signum in HANDLED_SIGNALS
    }
    try:
        yield
    finally:
        for signum, handler in previous_handlers.items():
            # None means the old handler was not installed from Python: use the default
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        signal.set_wakeup_fd(previous_wakeup)
        notifier.setEnabled(False)
        notifier.activated.disconnect(deliver)
        receiver.close()
        sender.close()
