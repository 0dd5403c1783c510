"""The GUI entry point: the Qt application, the qasync loop, the profile lock, a session.

`run` returns the process exit code:
    0  the person quit
    1  the engine had failed when the window was closed
    2  the profile could not be used (open elsewhere, or its folder not writable)
    3  there was no display to open a window on (cli.py asks peerapp.ui.display first)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication, QMessageBox

from peerapp.core.errors import ProfileInUse
from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkOptions
from peerapp.engine.profiles import ProfileLock
from peerapp.ui import first_window, keyboard, style
from peerapp.ui.help_desk import help_desk
from peerapp.ui.interrupts import signals_call
from peerapp.ui.resources import app_icon
from peerapp.ui.session import Session
from peerapp.ui.text import common, translation
from peerapp.ui.text import profile as profile_text

EXIT_PROFILE_UNAVAILABLE = 2
# the installed desktop entry (without .desktop): Wayland matches windows to it by this id
DESKTOP_FILE_NAME = "org.peerapp.Hearth"


def run(profile: Path, listen: list[str], network: NetworkOptions = PROFILE_SETTINGS) -> int:
    """Show Hearth for the profile in `profile`, its engine listening on `listen`."""
    app = application()
    try:
        lock = ProfileLock.acquire(profile)
    except ProfileInUse as error:
        _tell(profile_text.profile_in_use_title(), error.message)
        return EXIT_PROFILE_UNAVAILABLE
    except OSError as error:
        reason = error.strerror or type(error).__name__
        _tell(
            profile_text.profile_unavailable_title(),
            profile_text.profile_unavailable(str(profile), reason),
        )
        return EXIT_PROFILE_UNAVAILABLE
    try:
        return _run_session(app, profile, listen, network)
    finally:
        # a welcome screen closed with no profile made leaves no folder behind
        lock.release_and_tidy()


def application() -> QApplication:
    """The QApplication, created and dressed as Hearth on first use."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    translation.install_from_environment()  # before any text is made
    app.setApplicationName(common.app_name())
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(app_icon())
    # The session decides when Hearth ends: hiding the window to lock it, or closing the
    # unlock dialog before the main window appears, must not quit the app on its own.
    app.setQuitOnLastWindowClosed(False)
    style.apply(app)
    keyboard.install(app)  # Enter presses the focused button, in every window
    help_desk()  # F1 opens "Get help now" from the first screen on, in any window
    first_window.install(app)  # "first window shown" in the log (tests/packaging waits on it)
    return app


def _run_session(
    app: QApplication, profile: Path, listen: list[str], network: NetworkOptions
) -> int:
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    session = Session(profile, listen, network=network)
    finished: asyncio.Future[int] = loop.create_future()

    def settle(exit_code: int) -> None:
        if not finished.done():
            finished.set_result(exit_code)

    session.finished.connect(settle)
    try:
        with signals_call(lambda _signum: session.request_quit()):
            session.begin()
            return int(loop.run_until_complete(finished))
    finally:
        session.shutdown()
        _cancel_leftover_tasks(loop)
        loop.close()
        asyncio.set_event_loop(None)


def _cancel_leftover_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Let tasks still waiting (for an engine that is gone) end before the loop closes."""
    leftover = asyncio.all_tasks(loop)
    for task in leftover:
        task.cancel()
    if leftover:
        loop.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))


def _tell(title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    box.setWindowIcon(app_icon())
    box.exec()  # before any window or loop exists, a blocking box is the simplest thing
