"""Help is one key away everywhere (issue 14, item 1): F1 opens the app's one "Get help
now" window above every dialog the app has, modal ones included, and on the welcome and
unlock screens; the window is on top and takes keys; the check-in and care dialogs carry
a visible "Get help now" button.

Keys go in through the window system's path (QTest on the QWindow), the path that
honours window modality, so a help window blocked by a modal dialog fails here as it
would for a person."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.api.moderation import Demote, RemoveMember
from peerapp.core.events import AttachmentView, MessageView
from peerapp.ui import dialogs, help_desk
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs import crisis_help
from peerapp.ui.dialogs.attachment import AttachmentDialog
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import CareFlagsDialog
from peerapp.ui.dialogs.change_passphrase import ChangePassphraseDialog
from peerapp.ui.dialogs.check_in import CheckInDialog
from peerapp.ui.dialogs.circle_settings import CircleSettingsDialog
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog, ConfirmWithReasonDialog
from peerapp.ui.dialogs.confirm_ban import ConfirmBanDialog
from peerapp.ui.dialogs.content_filters import ContentFiltersDialog
from peerapp.ui.dialogs.create_circle import CreateCircleDialog
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.dialogs.equivocations import EquivocationsDialog
from peerapp.ui.dialogs.first_run import FirstRunDialog
from peerapp.ui.dialogs.form_dialog import FormDialog
from peerapp.ui.dialogs.invite import InviteDialog
from peerapp.ui.dialogs.invite_manager import InviteManagerDialog
from peerapp.ui.dialogs.join_circle import JoinCircleDialog
from peerapp.ui.dialogs.media import MediaDialog
from peerapp.ui.dialogs.moderation_log import ModerationLogDialog
from peerapp.ui.dialogs.mute_member import MuteMemberDialog
from peerapp.ui.dialogs.network_settings import NetworkSettingsDialog
from peerapp.ui.dialogs.open_link import OpenLinkDialog
from peerapp.ui.dialogs.picture_viewer import PictureViewerDialog
from peerapp.ui.dialogs.private_talk import PrivateTalkDialog
from peerapp.ui.dialogs.report_message import ReportMessageDialog
from peerapp.ui.dialogs.search import SearchDialog
from peerapp.ui.dialogs.storage import StorageDialog
from peerapp.ui.dialogs.take_a_break import TakeABreakDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.links import LinkTarget, target_of
from peerapp.ui.main_window import MainWindow
from peerapp.ui.notices import Settings
from peerapp.ui.text import crisis
from tests.gui.helpers import WAIT_MS

CIRCLE = "c1" * 32
MEMBER = "a2" * 32
MESSAGE = "b3" * 32


def _example_link() -> LinkTarget:
    target = target_of("https://hearth.example/help")
    assert target is not None
    return target


# Every dialog of ui/dialogs/, made as the app makes it (its bridge, its circle). The
# bridge's engine never starts: help must not need one, and a dialog that reads the
# engine shows its calm error, which is fine here.
Make = Callable[[EngineBridge, MainWindow, Path], QDialog]
ATTACHED = MessageView(
    "ab" * 32,
    "cd" * 32,
    "Ash",
    "",
    1,
    False,
    attachment=AttachmentView("sea.jpg", 5000, "image/jpeg", 0),
)
DIALOGS: dict[type[QDialog], Make] = {
    AttachmentDialog: lambda b, w, _: AttachmentDialog(b, CIRCLE, ATTACHED, w),
    MediaDialog: lambda b, w, _: MediaDialog(b, CIRCLE, w),
    PictureViewerDialog: lambda _b, w, _: PictureViewerDialog("sea.jpg", b"", w),
    CareFlagDialog: lambda b, w, _: CareFlagDialog(b, CIRCLE, MEMBER, "Cy", parent=w),
    CareFlagsDialog: lambda b, w, _: CareFlagsDialog(b, CIRCLE, w),
    ChangePassphraseDialog: lambda _b, w, folder: ChangePassphraseDialog(folder, parent=w),
    CheckInDialog: lambda b, w, _: CheckInDialog(b, CIRCLE, w),
    CircleSettingsDialog: lambda b, w, _: CircleSettingsDialog(b, CIRCLE, "Tea", Settings(), w),
    ConfirmActionDialog: lambda b, w, _: ConfirmActionDialog(
        b,
        title="Step down?",
        explanation="",
        confirm_text="Step down",
        command=lambda: b.request(Demote(circle=CIRCLE, member=MEMBER)),
        parent=w,
    ),
    ConfirmBanDialog: lambda b, w, _: ConfirmBanDialog(b, CIRCLE, MEMBER, "Cy", parent=w),
    ConfirmWithReasonDialog: lambda b, w, _: ConfirmWithReasonDialog(
        b,
        title="Remove Cy?",
        explanation="",
        confirm_text="Remove",
        command=lambda reason: b.request(RemoveMember(circle=CIRCLE, member=MEMBER, reason=reason)),
        parent=w,
    ),
    ContentFiltersDialog: lambda b, w, _: ContentFiltersDialog(b, w),
    CreateCircleDialog: lambda b, w, _: CreateCircleDialog(b, w),
    EquivocationsDialog: lambda b, w, _: EquivocationsDialog(b, CIRCLE, w),
    InviteDialog: lambda b, w, _: InviteDialog(b, CIRCLE, "Tea", w),
    InviteManagerDialog: lambda b, w, _: InviteManagerDialog(b, CIRCLE, "Tea", w),
    JoinCircleDialog: lambda b, w, _: JoinCircleDialog(b, w),
    ModerationLogDialog: lambda b, w, _: ModerationLogDialog(b, CIRCLE, w),
    MuteMemberDialog: lambda b, w, _: MuteMemberDialog(b, CIRCLE, MEMBER, "Cy", w),
    NetworkSettingsDialog: lambda b, w, _: NetworkSettingsDialog(b, w),
    OpenLinkDialog: lambda _b, w, _: OpenLinkDialog(
        _example_link(), tor=True, opener=lambda _url: True, parent=w
    ),
    PrivateTalkDialog: lambda b, w, _: PrivateTalkDialog(b, CIRCLE, MEMBER, "Cy", w),
    ReportMessageDialog: lambda b, w, _: ReportMessageDialog(b, CIRCLE, MESSAGE, w),
    SearchDialog: lambda b, w, _: SearchDialog(b, CIRCLE, "Tea", parent=w),
    StorageDialog: lambda b, w, _: StorageDialog(b, CIRCLE, w),
    TakeABreakDialog: lambda b, w, _: TakeABreakDialog(b, parent=w),
}
# shown before any main window exists, by the session
SCREENS: dict[type[QDialog], Callable[[Path], QDialog]] = {
    FirstRunDialog: lambda folder: FirstRunDialog(folder / "new"),
    UnlockDialog: UnlockDialog,
}
# frames the dialogs above are made of, and the help window itself
NOT_OPENED_ALONE = {FormDialog, EngineCommandDialog, CrisisHelpDialog}


@pytest.fixture(autouse=True)
def fresh_help(hearth_app: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No help window open before or after; no country remembered from another test."""
    monkeypatch.setattr(crisis_help, "_remembered_country", None)
    yield
    window = help_desk.open_help_window()
    if window is not None:
        window.close()


@pytest.fixture
def offline_window(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> MainWindow:
    """A main window whose engine never starts: no network, no database."""

    def no_engine(_emit: Any) -> Any:
        raise AssertionError("the engine must not be needed")

    window = MainWindow(EngineBridge(no_engine), tmp_path / "profile")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # as a window manager would (Xvfb has none; offscreen does it)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    return window


def _name(kind: object) -> str:
    return getattr(kind, "__name__", str(kind))


def _dialog_classes() -> set[type[QDialog]]:
    """Every QDialog class defined in peerapp/ui/dialogs/."""
    found: set[type[QDialog]] = set()
    for info in pkgutil.iter_modules(dialogs.__path__):
        module = importlib.import_module(f"{dialogs.__name__}.{info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, QDialog) and value.__module__ == module.__name__:
                found.add(value)
    return found


def test_every_dialog_of_the_app_is_tried() -> None:
    missing = _dialog_classes() - set(DIALOGS) - set(SCREENS) - NOT_OPENED_ALONE
    assert not missing, f"add these dialogs to DIALOGS: {sorted(c.__name__ for c in missing)}"


def press_f1(qtbot: QtBot, window: QWidget) -> None:
    """F1 as the keyboard gives it: to the window with the focus, through Qt's modality
    and shortcut handling (QTest on a QWindow goes through the window system's path)."""
    window.activateWindow()  # the person is in this window (a no-op where it already is)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_F1)


def assert_help_on_top_and_usable(qtbot: QtBot) -> CrisisHelpDialog:
    qtbot.waitUntil(lambda: help_desk.open_help_window() is not None, timeout=WAIT_MS)
    help_window = help_desk.open_help_window()
    assert isinstance(help_window, CrisisHelpDialog)
    assert help_window.parent() is None  # its own top-level window, in no dialog's chain
    assert help_window.windowModality() == Qt.WindowModality.NonModal
    qtbot.waitUntil(lambda: QApplication.activeWindow() is help_window, timeout=WAIT_MS)
    # it takes keys: Home (or End) in the country box picks the first (or last) country,
    # through the window system's path, which drops keys for a window a modal one blocks
    box = help_window.country_box
    qtbot.waitUntil(box.hasFocus, timeout=WAIT_MS)
    key, expected = (Qt.Key.Key_Home, 0) if box.currentIndex() else (Qt.Key.Key_End, -1)
    handle = help_window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key)
    assert box.currentIndex() == range(box.count())[expected]
    return help_window


@pytest.mark.parametrize("kind", sorted(DIALOGS, key=_name), ids=_name)
def test_f1_opens_help_above_each_dialog(
    qtbot: QtBot, offline_window: MainWindow, tmp_path: Path, kind: type[QDialog]
) -> None:
    window = offline_window
    dialog = DIALOGS[kind](window.bridge, window, tmp_path / "profile")
    window._open_dialog(dialog, lambda: None)  # the route every dialog of the window takes
    assert window.active_dialog is dialog and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal

    press_f1(qtbot, dialog)
    help_window = assert_help_on_top_and_usable(qtbot)
    assert dialog.isVisible() and window.active_dialog is dialog  # it waits, untouched

    # F1 again, from the dialog: the same window, brought forward, never a second one
    press_f1(qtbot, dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is help_window, timeout=WAIT_MS)
    assert help_desk.open_help_window() is help_window
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, CrisisHelpDialog)] == [
        help_window
    ]
    dialog.reject()


def test_f1_opens_help_above_the_about_box(qtbot: QtBot, offline_window: MainWindow) -> None:
    window = offline_window
    window.about_action.trigger()
    box = window.active_dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() != Qt.WindowModality.ApplicationModal
    press_f1(qtbot, box)
    assert_help_on_top_and_usable(qtbot)
    box.reject()


def test_the_toolbar_button_opens_the_same_help_window(
    qtbot: QtBot, offline_window: MainWindow
) -> None:
    window = offline_window
    press_f1(qtbot, window)
    first = assert_help_on_top_and_usable(qtbot)
    window.get_help_action.trigger()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is first, timeout=WAIT_MS)
    assert window.crisis_help is first


@pytest.mark.parametrize("kind", sorted(SCREENS, key=_name), ids=_name)
def test_f1_opens_help_on_the_welcome_and_unlock_screens(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    profile: Path,
    tmp_path: Path,
    kind: type[QDialog],
) -> None:
    screen = SCREENS[kind](profile if kind is UnlockDialog else tmp_path)
    qtbot.addWidget(screen)
    screen.show()  # as the session shows it: no main window, no engine
    press_f1(qtbot, screen)
    assert_help_on_top_and_usable(qtbot)
    assert screen.isVisible()


def _help_button(dialog: FormDialog) -> QPushButton:
    button = dialog.help_button
    assert button is not None and button.isVisible() and button.isEnabled()
    assert button.text() == crisis.get_help_now()
    return button


@pytest.mark.parametrize("kind", [CheckInDialog, CareFlagDialog, CareFlagsDialog], ids=_name)
def test_the_check_in_and_care_dialogs_offer_get_help_now(
    qtbot: QtBot, offline_window: MainWindow, tmp_path: Path, kind: type[QDialog]
) -> None:
    window = offline_window
    dialog = DIALOGS[kind](window.bridge, window, tmp_path)
    assert isinstance(dialog, FormDialog)
    window._open_dialog(dialog, lambda: None)
    if isinstance(dialog, CheckInDialog):
        dialog.choose(1)  # "Really struggling", the moment the issue describes
    dialog.activateWindow()  # the person is in the dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT_MS)
    qtbot.mouseClick(_help_button(dialog), Qt.MouseButton.LeftButton)
    assert_help_on_top_and_usable(qtbot)
    assert dialog.isVisible()
    dialog.reject()


def test_the_help_window_outlives_the_window_it_was_opened_from(
    qtbot: QtBot, offline_window: MainWindow
) -> None:
    window = offline_window
    window.get_help_action.trigger()
    help_window = assert_help_on_top_and_usable(qtbot)
    window.close()  # locking or quitting the main window leaves help open
    assert help_window.isVisible()
    assert help_desk.open_help_window() is help_window
