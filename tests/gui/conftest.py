"""Fixtures for the GUI suites: real widgets on the offscreen platform, a qasync loop, and
real engines on 127.0.0.1.

How async slots run here: pytest-qt owns the QApplication and no Qt event loop runs
between test steps. `qasync_loop` wraps that application in a qasync QEventLoop marked as
already running (qasync's `already_running=True`), so asyncio sees a running loop and each
asyncio callback becomes a Qt timer event. Whenever the test lets Qt process events
(qtbot.waitUntil / waitSignal), pending coroutine steps run too. Tests never sleep; they
wait for the state a coroutine produces.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Qt must see the platform variable before it is first imported
import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMenu, QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.network_mode import DIRECT_RUN, NetworkOptions
from peerapp.engine.profiles import TEST_KDF, create_profile
from peerapp.ui.app import application
from peerapp.ui.main_window import MainWindow
from peerapp.ui.session import Session
from tests.gui.circle_steps import ash_and_bee, copy_invite, join_circle
from tests.gui.helpers import (
    LOOPBACK,
    PASSPHRASES,
    WAIT_MS,
    Passphrases,
    SessionDriver,
    StartSession,
)


class _WindowWatch(QObject):
    """Notes every widget shown as a window of its own, to check later whether it was
    one only by mistake (shown before it was put into its parent)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[QWidget] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not isinstance(watched, QMainWindow | QDialog | QMenu)
            and watched.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)
        ):
            self.shown.append(watched)
        return False

    def flashed(self) -> list[str]:
        return [
            type(widget).__name__
            for widget in self.shown
            if shiboken6.isValid(widget) and widget.parent() is not None
        ]


@pytest.fixture(autouse=True)
def no_stray_windows(qapp: QApplication) -> Iterator[None]:
    """A widget shown before it has a parent flashes up on the desktop as a window."""
    watch = _WindowWatch()
    qapp.installEventFilter(watch)
    yield
    qapp.removeEventFilter(watch)
    assert watch.flashed() == [], f"widgets shown as windows of their own: {watch.flashed()}"


@pytest.fixture
def passphrases() -> Passphrases:
    return PASSPHRASES


@pytest.fixture
def hearth_app(qapp: QApplication) -> QApplication:
    """pytest-qt's application, dressed as Hearth's (stylesheet, icon, no quit on close)."""
    return application()


@pytest.fixture(scope="session")
def _session_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    # One loop for the whole run, as in the app, stopped only at the very end: qasync's
    # stop() calls QApplication.exit(), which with no Qt loop running leaves the
    # application "quitting", and then events posted from other threads (engine replies,
    # asyncio.to_thread results) are no longer delivered to the tests that follow.
    loop = qasync.QEventLoop(application(), already_running=True)
    yield loop
    loop.stop()
    loop.close()  # joins the executor's worker threads before Qt is torn down
    asyncio.set_event_loop(None)
    asyncio.events._set_running_loop(None)


@pytest.fixture
def qasync_loop(
    _session_loop: asyncio.AbstractEventLoop, qtbot: QtBot
) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop, current and running for this test; its leftover tasks cancelled."""
    # a test of app.run() runs (and closes) a loop of its own: make this one current again
    asyncio.set_event_loop(_session_loop)
    asyncio.events._set_running_loop(_session_loop)
    yield _session_loop
    # what engines said on their way out (a peer disconnecting) may still wait in Qt's
    # queue: handle it while this loop is current, so the tasks it starts are cancelled
    # below rather than started later with no loop
    QApplication.processEvents()
    leftover = [task for task in asyncio.all_tasks(_session_loop) if not task.done()]
    for task in leftover:
        task.cancel()
    if leftover:
        qtbot.waitUntil(lambda: all(task.done() for task in leftover), timeout=WAIT_MS)


def _new_profile(folder: Path) -> Path:
    create_profile(folder, PASSPHRASES.good, TEST_KDF)
    return folder


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """A profile on disk made with cheap Argon2id parameters; its passphrase is `good`."""
    return _new_profile(tmp_path / "profile")


@pytest.fixture
def second_profile(tmp_path: Path) -> Path:
    """Another person's profile (same passphrase), for tests with two people."""
    return _new_profile(tmp_path / "second-profile")


@pytest.fixture
def third_profile(tmp_path: Path) -> Path:
    """A third person's profile (same passphrase)."""
    return _new_profile(tmp_path / "third-profile")


@pytest.fixture
def start_session(qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop) -> Iterator[StartSession]:
    """Start Sessions (real engines on loopback, in direct mode unless `network` says
    otherwise); every one is shut down at teardown."""
    sessions: list[Session] = []

    def start(
        folder: Path, listen: list[str] | None = None, network: NetworkOptions = DIRECT_RUN
    ) -> SessionDriver:
        session = Session(
            folder, LOOPBACK if listen is None else listen, kdf=TEST_KDF, network=network
        )
        sessions.append(session)
        driver = SessionDriver(qtbot, session)
        session.begin()
        return driver

    yield start
    for session in sessions:
        session.shutdown()  # stops any engine still running, before the loop closes


@pytest.fixture
def two_members(
    qtbot: QtBot, start_session: StartSession, profile: Path, second_profile: Path
) -> tuple[MainWindow, MainWindow, str]:
    """Ash (the founder) and Bee (a member) in one circle: (ash, bee, circle id)."""
    ash = start_session(profile).wait_online_after_unlock()
    bee = start_session(second_profile).wait_online_after_unlock()
    return ash, bee, ash_and_bee(qtbot, ash, bee)


@pytest.fixture
def three_members(
    qtbot: QtBot,
    start_session: StartSession,
    two_members: tuple[MainWindow, MainWindow, str],
    third_profile: Path,
) -> tuple[MainWindow, MainWindow, MainWindow, str]:
    """Ash (the founder), Bee and Cee (members) in one circle: (ash, bee, cee, circle id).
    Cee joined last; wait for each pane to settle (circle_steps.wait_settled)."""
    ash, bee, circle = two_members
    cee = start_session(third_profile).wait_online_after_unlock()
    copy_invite(qtbot, ash)
    assert join_circle(qtbot, cee, "Cee") == circle
    return ash, bee, cee, circle
