"""The keyboard (issue 14, item 7) on a real engine (127.0.0.1): Enter presses the
focused button (in dialogs and outside them), a destructive confirmation has Cancel as
its default without swallowing a focused confirm, Ctrl+K opens the circle switcher and
Alt+Up/Down move between circles, and a focused button shows a ring."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from peerapp.ui import style, theme
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog, confirm_delete_message
from peerapp.ui.dialogs.create_circle import CreateCircleDialog
from peerapp.ui.dialogs.mute_member import MuteMemberDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.widgets.circle_switcher import CircleSwitcher
from tests.gui.circle_steps import create_circle, send_by_typing, wait_showing
from tests.gui.helpers import WAIT_MS, StartSession

ENTER = Qt.Key.Key_Return


def activate(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def open_delete(window: MainWindow, circle: str, message: str) -> ConfirmActionDialog:
    dialog = confirm_delete_message(window.bridge, circle, message, window)
    window._open_dialog(dialog, lambda: None)
    return dialog


def test_enter_on_a_focused_delete_deletes_and_enter_alone_cancels(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    circle = create_circle(qtbot, window, "Tuesday circle", "Ash")
    send_by_typing(qtbot, window, "Sent by mistake")
    pane = wait_showing(qtbot, window, circle)
    message = pane.model.messages()[-1]
    activate(qtbot, window)

    # Enter with nothing moved: Cancel has the focus and is the default
    dialog = open_delete(window, circle, message.id)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    activate(qtbot, dialog)
    assert dialog.secondary_button.isDefault()
    qtbot.waitUntil(dialog.secondary_button.hasFocus, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        qtbot.keyClick(dialog.secondary_button, ENTER)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    assert not pane.model.messages()[-1].deleted

    # Tab to "Delete for everyone" and press Enter: that button, not Cancel
    dialog = open_delete(window, circle, message.id)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    activate(qtbot, dialog)
    dialog.primary_button.setFocus()
    qtbot.waitUntil(dialog.primary_button.hasFocus, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.keyClick(dialog.primary_button, ENTER)
    qtbot.waitUntil(lambda: bool(pane.model.messages()[-1].deleted), timeout=WAIT_MS)

    # muting someone: Cancel first too (never what a stray Enter does)
    mute = MuteMemberDialog(window.bridge, circle, "ab" * 32, "Bee", window)
    assert mute.secondary_button.isDefault() and not mute.primary_button.isDefault()
    assert mute.primary_button.autoDefault()  # focused, Enter presses it
    mute.deleteLater()


def test_enter_on_a_focused_button_outside_a_dialog_presses_it(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    qtbot.waitUntil(window.empty_state.isVisible, timeout=WAIT_MS)
    activate(qtbot, window)
    button = window.empty_state.create_button
    button.setFocus()
    qtbot.waitUntil(button.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(button, ENTER)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, CreateCircleDialog), timeout=WAIT_MS)


def test_ctrl_k_switches_circles_by_name_and_alt_arrows_step_through_them(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    circles = [
        create_circle(qtbot, window, name, "Ash")
        for name in ("Tuesday circle", "Walkers", "Grief group")
    ]
    order = window.circle_list.ids()
    activate(qtbot, window)

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    switcher = window.active_dialog
    assert isinstance(switcher, CircleSwitcher)
    qtbot.waitUntil(switcher.filter_edit.hasFocus, timeout=WAIT_MS)
    assert sorted(switcher.shown_names()) == ["Grief group", "Tuesday circle", "Walkers"]
    qtbot.keyClicks(switcher.filter_edit, "WALK")  # any case, part of the name
    assert switcher.shown_names() == ["Walkers"]
    qtbot.keyClick(switcher.filter_edit, ENTER)
    wait_showing(qtbot, window, circles[1])
    assert window.active_dialog is None

    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    switcher = window.active_dialog
    assert isinstance(switcher, CircleSwitcher)
    qtbot.keyClicks(switcher.filter_edit, "nothing like it")
    assert switcher.shown_names() == [] and switcher.nothing_found.isVisible()
    qtbot.keyClick(switcher.filter_edit, ENTER)  # nothing to open: stays
    assert window.active_dialog is switcher
    qtbot.keyClick(switcher.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    activate(qtbot, window)

    # Alt+Down / Alt+Up: the circle below / above in the list, stopping at the ends
    window.circle_list.select(order[0])
    wait_showing(qtbot, window, order[0])
    for step, expected in ((Qt.Key.Key_Down, order[1]), (Qt.Key.Key_Down, order[2])):
        qtbot.keyClick(window, step, Qt.KeyboardModifier.AltModifier)
        wait_showing(qtbot, window, expected)
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.circle_list.current_id() == order[2]
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    wait_showing(qtbot, window, order[1])


def test_a_focused_button_of_every_kind_shows_a_ring(qtbot: QtBot, hearth_app: object) -> None:
    """The ring is drawn in the theme's focus colour, 2 px, on plain, primary, quiet and toggle
    buttons alike (today's filled buttons showed almost nothing); on a primary button's
    fill, in the ring colour made for that fill."""
    holder = QWidget()
    qtbot.addWidget(holder)
    row = QHBoxLayout(holder)
    kinds = {"plain": QPushButton("Plain"), "primary": QPushButton("Primary")}
    kinds |= {"quiet": QPushButton("Quiet"), "toggle": QPushButton("Toggle")}
    style.mark_primary(kinds["primary"])
    style.set_role(kinds["quiet"], "quiet")
    style.set_role(kinds["toggle"], "toggle")
    elsewhere = QLineEdit()
    row.addWidget(elsewhere)
    for button in kinds.values():
        row.addWidget(button)
    holder.show()
    activate(qtbot, holder)
    palette = theme.current()
    for kind, button in kinds.items():
        # a filled button's ring is the one made for its fill (3:1 against it, issue 14)
        ring = QColor(palette.focus_on_accent if kind == "primary" else palette.focus)
        elsewhere.setFocus()
        qtbot.waitUntil(elsewhere.hasFocus, timeout=WAIT_MS)
        unfocused = button.grab().toImage()
        button.setFocus()
        qtbot.waitUntil(button.hasFocus, timeout=WAIT_MS)
        focused = button.grab().toImage()
        middle = button.height() // 2
        edge = [focused.pixelColor(x, middle) for x in (0, 1)]
        assert ring in edge, f"{kind}: no ring at the left edge ({[c.name() for c in edge]})"
        assert unfocused.pixelColor(1, middle) != ring, f"{kind}: the ring shows unfocused"


def key_to_focus(window: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A key as the keyboard gives it: to the window system's window, reaching the widget
    with the focus through Qt's shortcut override (not sent to a chosen widget)."""
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key, modifiers)


def test_ctrl_k_and_alt_arrows_work_while_typing_in_the_composer(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    """The keys as a person presses them while typing, the focus in the composer (where
    it mostly is): a text box's own Ctrl+K ("delete to the end of the line" on X11) must
    not win over the switcher, nor swallow the Alt arrows. The test above sends its keys
    to the window widget, which no shortcut override of the composer sees."""
    window = start_session(profile).wait_online_after_unlock()
    first = create_circle(qtbot, window, "Tuesday circle", "Ash")
    second = create_circle(qtbot, window, "Walkers", "Ash")
    order = window.circle_list.ids()
    window.circle_list.select(order[0])
    pane = wait_showing(qtbot, window, order[0])
    activate(qtbot, window)
    pane.composer.edit.setFocus()
    qtbot.waitUntil(pane.composer.edit.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(pane.composer.edit, "half a thought")

    key_to_focus(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    switcher = window.active_dialog
    assert isinstance(switcher, CircleSwitcher)
    assert pane.composer.edit.toPlainText() == "half a thought"  # nothing was deleted
    qtbot.keyClick(switcher.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    activate(qtbot, window)
    pane.composer.edit.setFocus()
    qtbot.waitUntil(pane.composer.edit.hasFocus, timeout=WAIT_MS)

    key_to_focus(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    wait_showing(qtbot, window, order[1])
    assert {first, second} == set(order)
