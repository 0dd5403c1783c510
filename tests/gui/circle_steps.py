"""Steps a person takes with circles, through the widgets (typing, clicking, pasting),
shared by the circle suites. Every wait is bounded; nothing sleeps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from peerapp.core.events import MessageView
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.create_circle import CreateCircleDialog
from peerapp.ui.dialogs.invite import InviteDialog
from peerapp.ui.dialogs.join_circle import JoinCircleDialog, Step
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import conversation
from peerapp.ui.widgets.member_menu import labels_of
from tests.gui.helpers import WAIT_MS, click, type_into

JOIN_WAIT_MS = 20_000  # reaching a member over the network takes a few seconds
DELIVERY_WAIT_MS = 15_000


def create_circle(
    qtbot: QtBot, window: MainWindow, name: str, member_name: str, guidelines: str = ""
) -> str:
    """Create a circle through the dialog; returns its id once it is shown selected."""
    window.create_circle_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, CreateCircleDialog)
    type_into(dialog.name_edit, name)
    if guidelines:
        dialog.guidelines_edit.setPlainText(guidelines)
    type_into(dialog.member_name_edit, member_name)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)
    circle = dialog.result_circle()
    assert circle is not None
    wait_showing(qtbot, window, circle)
    return circle


def wait_showing(qtbot: QtBot, window: MainWindow, circle: str) -> CirclePane:
    def showing() -> bool:
        pane = window.current_pane()
        return window.circle_list.current_id() == circle and pane is not None and pane.loaded

    qtbot.waitUntil(showing, timeout=WAIT_MS)
    pane = window.current_pane()
    assert pane is not None
    return pane


def open_invite(qtbot: QtBot, window: MainWindow) -> InviteDialog:
    """Press "Invite someone" in the circle's header and create a code with the defaults."""
    pane = window.current_pane()
    assert pane is not None
    click(pane.header.invite_button)
    dialog = window.active_dialog
    assert isinstance(dialog, InviteDialog)
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: dialog.code is not None, timeout=WAIT_MS)
    return dialog


def copy_invite(qtbot: QtBot, window: MainWindow) -> str:
    """Create an invite, press Copy, close the dialog; returns what the clipboard holds."""
    dialog = open_invite(qtbot, window)
    click(dialog.result_view.copy_button)
    code = QGuiApplication.clipboard().text()
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        click(dialog.primary_button)
    return code


def join_by_pasting(qtbot: QtBot, window: MainWindow, name: str) -> JoinCircleDialog:
    """Open the join dialog, paste the clipboard's code, type the name, press Continue
    (which reads the invite: the dialog then shows the circle's guidelines)."""
    window.join_circle_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, JoinCircleDialog)
    dialog.code_edit.setFocus()
    dialog.code_edit.paste()
    type_into(dialog.name_edit, name)
    click(dialog.primary_button)
    return dialog


def wait_answer(
    qtbot: QtBot,
    dialog: JoinCircleDialog,
    done: Callable[[], bool],
    timeout_ms: int = JOIN_WAIT_MS,
) -> str | None:
    """Until `done()` or the dialog shows a refusal; the refusal's text, or None."""
    refusals: list[str] = []

    def answered() -> bool:
        if done():
            return True
        if dialog.error_label.isVisible():
            refusals.append(dialog.error_label.text())
        return bool(refusals)

    qtbot.waitUntil(answered, timeout=timeout_ms)
    return refusals[0] if refusals else None


def read_guidelines(qtbot: QtBot, window: MainWindow, name: str) -> JoinCircleDialog:
    """Paste the code, type the name, press Continue; waits for the guidelines."""
    dialog = join_by_pasting(qtbot, window, name)
    refusal = wait_answer(qtbot, dialog, lambda: dialog.step is Step.PREVIEW)
    assert refusal is None, refusal
    return dialog


def agree_and_join(qtbot: QtBot, dialog: JoinCircleDialog) -> None:
    """Press "I agree — join"; waits until the engine answered (admitted or pending)."""
    assert dialog.step is Step.PREVIEW
    click(dialog.primary_button)
    refusal = wait_answer(qtbot, dialog, lambda: dialog.result_data is not None)
    assert refusal is None, refusal


def join_circle(qtbot: QtBot, window: MainWindow, name: str) -> str:
    dialog = read_guidelines(qtbot, window, name)
    agree_and_join(qtbot, dialog)
    circle = dialog.result_circle()
    assert circle is not None
    wait_showing(qtbot, window, circle)
    return circle


def send_by_typing(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type into the composer and press Enter; waits until the engine took it."""
    pane = window.current_pane()
    assert pane is not None
    before = len(pane.model.messages())
    qtbot.keyClicks(pane.composer.edit, text)
    qtbot.keyClick(pane.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.model.messages()) > before, timeout=WAIT_MS)
    assert pane.composer.edit.toPlainText() == ""


def pane_of(window: MainWindow, circle: str) -> CirclePane:
    return window.panes[circle]


def shown(window: MainWindow, circle: str) -> list[tuple[str, str, bool]]:
    """(pseudonym, text, mine) of every message the circle's list shows, in order."""
    return [(m.author_name, m.text, m.mine) for m in pane_of(window, circle).model.messages()]


def wait_for_text(qtbot: QtBot, window: MainWindow, circle: str, text: str) -> MessageView:
    model = pane_of(window, circle).model
    qtbot.waitUntil(lambda: any(m.text == text for m in model.messages()), timeout=DELIVERY_WAIT_MS)
    return next(m for m in model.messages() if m.text == text)


def wait_connected(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Until the circle's header says `text` about connections."""
    pane = window.current_pane()
    assert pane is not None
    qtbot.waitUntil(lambda: pane.header.connection.text() == text, timeout=DELIVERY_WAIT_MS)


def wait_settled(qtbot: QtBot, window: MainWindow, circle: str, names: list[str]) -> CirclePane:
    """Until the circle's pane knows its own standing and lists exactly these members."""
    pane = pane_of(window, circle)

    def known() -> bool:
        info = pane.controller.info
        shown = [m.name for m in pane.member_panel.members]
        return info is not None and bool(info.my_id) and shown == names

    qtbot.waitUntil(known, timeout=DELIVERY_WAIT_MS)
    return pane


def ash_and_bee(qtbot: QtBot, ash: MainWindow, bee: MainWindow) -> str:
    """Ash creates a circle and invites Bee, who joins by pasting the code; returns the
    circle's id once both are connected and both panes know their standing."""
    circle = create_circle(qtbot, ash, "Tuesday circle", "Ash")
    copy_invite(qtbot, ash)
    assert join_circle(qtbot, bee, "Bee") == circle
    wait_connected(qtbot, ash, conversation.connected_members(1, 1))
    wait_connected(qtbot, bee, conversation.connected_members(1, 1))
    wait_settled(qtbot, ash, circle, ["Ash", "Bee"])
    wait_settled(qtbot, bee, circle, ["Ash", "Bee"])
    return circle


@dataclass
class Circle:
    """Two people's windows and their circle (the two_members fixture's)."""

    ash: MainWindow  # the founder
    bee: MainWindow
    id: str

    def pane(self, window: MainWindow) -> CirclePane:
        return pane_of(window, self.id)


def member_id(pane: CirclePane, name: str) -> str:
    return next(m.id for m in pane.member_panel.members if m.name == name)


def member_menu(pane: CirclePane, name: str) -> QMenu | None:
    return pane.member_panel.menu_for(member_id(pane, name))


def menu_of(pane: CirclePane, name: str) -> list[str]:
    """The labels of a member's menu ([] when the viewer may do nothing to them)."""
    menu = member_menu(pane, name)
    return [] if menu is None else labels_of(menu)


def choose(pane: CirclePane, name: str, *path: str) -> None:
    """Pick `path` (a submenu's title, then its entry) in a member's menu."""
    menu = member_menu(pane, name)
    for step, label in enumerate(path):
        assert menu is not None
        action = next(a for a in menu.actions() if a.text() == label)
        if step == len(path) - 1:
            action.trigger()
        else:
            submenu = action.menu()
            menu = submenu if isinstance(submenu, QMenu) else None
