"""Issue 14's own check, in real windows: two profiles (two engines on 127.0.0.1) taken
through the issue's 12 numbered defects as a new user would, with screenshots of the
whole X screen written into $HEARTH_WALK (default /tmp/walk) to be looked at.

Not part of the suite (its name does not start with test_): run it under a virtual
display, with a private session bus so the notification path can be seen:

    WITH_XVFB=1 bash packaging/system-deps.sh
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 2200x1000x24" \\
        dbus-run-session -- .venv/bin/python -m pytest -q -s tests/gui/walk_issue14.py

It prints one line per check ("ok" or "FOUND ..."); the findings are what to fix.
Without a window manager, windows sit where they are put: Ash's on the left, Bee's on the
right.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtDBus import QDBusConnection
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot

from peerapp.ui import help_desk, theme
from peerapp.ui.desktop_notifications import OBJECT_PATH, SERVICE
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import CareFlagsDialog
from peerapp.ui.dialogs.check_in import CheckInDialog
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.notifier import Route
from peerapp.ui.text import moderation
from peerapp.ui.widgets.circle_switcher import CircleSwitcher
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    choose,
    copy_invite,
    create_circle,
    join_circle,
    member_id,
    pane_of,
    send_by_typing,
    wait_for_text,
    wait_settled,
)
from tests.gui.helpers import WAIT_MS, click, type_into
from tests.gui.test_desktop_notifications import NotificationService

FOLDER = Path(os.environ.get("HEARTH_WALK", "/tmp/walk"))
JARGON = re.compile(r"12D3KooW|\bpeers?\b|Held by \d", re.IGNORECASE)
findings: list[str] = []


def note(check: str, found: str | None) -> None:
    line = f"{check}: " + ("ok" if found is None else f"FOUND {found}")
    print(line)
    if found is not None:
        findings.append(line)


def shot(qtbot: QtBot, name: str) -> None:
    """The whole X screen as a person sees it (every top-level window where it sits)."""
    qtbot.wait(150)  # let the X server paint what was just shown (a walk, not a test)
    screen = QApplication.primaryScreen()
    assert screen is not None
    FOLDER.mkdir(parents=True, exist_ok=True)
    screen.grabWindow(0).save(str(FOLDER / f"{name}.png"))


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    handle = widget.window().windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key, mods)


def visible_words(window: QWidget) -> list[str]:
    words = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            words.append(widget.text())
        words.append(widget.toolTip())
    return [w for w in words if w]


@pytest.fixture
def notification_service() -> Iterator[NotificationService]:
    bus = QDBusConnection.sessionBus()
    assert bus.isConnected(), "run under dbus-run-session (see the module's docstring)"
    owned = NotificationService()
    assert bus.registerObject(OBJECT_PATH, owned, QDBusConnection.RegisterOption.ExportAllSlots)
    assert bus.registerService(SERVICE)
    yield owned
    bus.unregisterService(SERVICE)
    bus.unregisterObject(OBJECT_PATH)


def test_walk_issue_14(
    qtbot: QtBot,
    hearth_app: QApplication,
    notification_service: NotificationService,
    two_members: tuple[MainWindow, MainWindow, str],
    profile: Path,
) -> None:
    assert QApplication.platformName() == "xcb", "run under Xvfb (see the docstring)"
    ash, bee, circle = two_members
    ash.setGeometry(0, 30, 1024, 700)
    bee.setGeometry(1100, 30, 1024, 700)
    ash_pane = wait_settled(qtbot, ash, circle, ["Ash", "Bee"])
    bee_pane = wait_settled(qtbot, bee, circle, ["Ash", "Bee"])
    send_by_typing(qtbot, ash, "Welcome, Bee. Say as much or as little as you like.")
    wait_for_text(qtbot, bee, circle, "Welcome, Bee. Say as much or as little as you like.")
    send_by_typing(qtbot, bee, "Thanks. It has been a long week.")
    wait_for_text(qtbot, ash, circle, "Thanks. It has been a long week.")
    shot(qtbot, "00-two-windows")
    composer = bee_pane.composer
    parts = (composer.cw_button, composer.check_in_button, composer.edit, composer.send_button)
    print("   composer at 1024 px:", [(type(w).__name__, w.width()) for w in parts])
    placeholder = composer.edit.fontMetrics().horizontalAdvance(composer.edit.placeholderText())
    room = composer.edit.viewport().width() - 2 * composer.edit.document().documentMargin()
    fits = placeholder <= room
    note("8 composer's placeholder at 1024 px", None if fits else f"{placeholder} > {room}")

    # 12 (titles): "Hearth: <profile name>", the two windows told apart
    titles = (ash.windowTitle(), bee.windowTitle())
    told_apart = titles[0] != titles[1] and all("Hearth: " in t for t in titles)
    note("12 window titles", None if told_apart else f"{titles}")

    # 1: F1 above a modal dialog (the check-in), from the dialog itself
    bee_pane.review.open_check_in()
    check_in = bee.active_dialog
    assert isinstance(check_in, CheckInDialog)
    check_in.mood_buttons[1].setChecked(True)
    qtbot.waitUntil(check_in.isVisible, timeout=WAIT_MS)
    press(qtbot, check_in, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    helped = help_desk.help_desk().current()
    note("1 F1 over the check-in", None if helped and helped.isVisible() else "no help window")
    shot(qtbot, "01-f1-over-check-in")
    if helped is not None:
        helped.close()

    # 3: a low check-in is followed through on the spot
    with qtbot.waitSignal(check_in.accepted, timeout=DELIVERY_WAIT_MS):
        click(check_in.primary_button)
    card = bee_pane.follow_up.card
    qtbot.waitUntil(card.isVisible, timeout=WAIT_MS)
    shot(qtbot, "03-low-check-in-follow-up")
    note("3 low check-in follow-up", None if card.isVisible() else "no card")

    # 4: Bee asks for support through "Tell a facilitator"; Ash's care list, Reach out
    click(card.tell_button)
    asking = bee.active_dialog
    assert isinstance(asking, CareFlagDialog)
    type_into(asking.note_edit, "Rough night, could use a word.")
    with qtbot.waitSignal(asking.accepted, timeout=DELIVERY_WAIT_MS):
        click(asking.primary_button)
    qtbot.waitUntil(lambda: ash_pane.care.open_count == 1, timeout=DELIVERY_WAIT_MS)
    shot(qtbot, "04a-care-badge")
    listed = ash_pane.care.open_list()
    qtbot.waitUntil(lambda: listed.loaded, timeout=WAIT_MS)
    press(qtbot, listed, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    helped = help_desk.help_desk().current()
    note("1 F1 over Care and review", None if helped and helped.isVisible() else "no help")
    shot(qtbot, "04b-care-list-and-help")
    if helped is not None:
        helped.close()
    (flag_card,) = listed.cards.values()
    with qtbot.waitSignal(listed.finished, timeout=WAIT_MS):
        click(flag_card.reach_out_button)
    bee_id = member_id(ash_pane, "Bee")
    talk = ash_pane.private.windows[bee_id]
    talk.move(200, 200)
    type_into(talk.composer, "I saw your note. I'm here if you want to talk.")
    click(talk.send_button)
    ash_id = member_id(bee_pane, "Ash")
    qtbot.waitUntil(lambda: bee_pane.private.unread(ash_id) == 1, timeout=DELIVERY_WAIT_MS)
    shot(qtbot, "04c-reach-out")
    talk.close()

    # 6: notifications without a tray: the desktop service gets them
    route = ash.notifier.route
    note("6 route without a tray", None if route is Route.DESKTOP else f"{route}")
    before = len(notification_service.received)
    bee.activateWindow()  # Ash is not looking: Ash's app tells the desktop
    qtbot.waitUntil(lambda: not ash.isActiveWindow(), timeout=WAIT_MS)
    send_by_typing(qtbot, bee, "Thank you. That helps.")
    wait_for_text(qtbot, ash, circle, "Thank you. That helps.")
    ash.notifier.flush()
    qtbot.waitUntil(lambda: len(notification_service.received) > before, timeout=WAIT_MS)
    told = notification_service.received[-1]
    print(f"   the desktop was told: {told.summary!r}, {told.body!r}")
    note("6 a message told through the desktop service", None)

    # 2 and 11: dark theme, every screen legible; styled widgets
    theme.follower(hearth_app).choose(theme.ThemeChoice.DARK)
    shot(qtbot, "02a-dark-main")
    listed = ash_pane.care.open_list()
    qtbot.waitUntil(lambda: listed.loaded, timeout=WAIT_MS)
    shot(qtbot, "02b-dark-care-list")
    listed.close()
    ash_pane.moderation.open_log()
    shot(qtbot, "11-dark-moderation-log")
    log_dialog = ash.active_dialog
    if log_dialog is not None:
        log_dialog.close()
    helped = help_desk.open_help()
    shot(qtbot, "11-dark-crisis-help")
    helped.close()
    theme.follower(hearth_app).choose(theme.ThemeChoice.LIGHT)

    # 7: keyboard: Ctrl+K, Alt+Down, Enter on a focused destructive button
    other = create_circle(qtbot, ash, "Evening check-ins", "Ash")
    assert ash.circle_list.select(circle)
    ash.activateWindow()  # no window manager: shortcuts need their window active
    qtbot.waitUntil(ash.isActiveWindow, timeout=WAIT_MS)
    ash_pane.composer.edit.setFocus()  # where a person mostly is
    press(qtbot, ash, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    switcher = ash.active_dialog
    note("7 Ctrl+K", None if isinstance(switcher, CircleSwitcher) else f"{switcher}")
    shot(qtbot, "07a-ctrl-k")
    if switcher is not None:
        switcher.close()
    ash.activateWindow()
    qtbot.waitUntil(ash.isActiveWindow, timeout=WAIT_MS)
    press(qtbot, ash, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    note("7 Alt+Down", None if ash.current_pane() is pane_of(ash, other) else "did not move")
    press(qtbot, ash, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    note("7 Alt+Up", None if ash.current_pane() is ash_pane else "did not move")

    # 8: 640 px wide
    ash.resize(640, 600)
    qtbot.waitUntil(lambda: ash.width() <= 700, timeout=WAIT_MS)
    shot(qtbot, "08-640px")
    header = ash_pane.header
    clipped = [
        label.text()
        for label in header.findChildren(QLabel)
        if label.isVisible() and label.width() < label.minimumSizeHint().width() - 2
    ]
    note("8 header at 640 px", None if not clipped else f"clipped: {clipped}")
    ash.resize(1024, 700)

    # 10: plain words in both main windows
    for name, window in (("Ash", ash), ("Bee", bee)):
        jargon = [w for w in visible_words(window) if JARGON.search(w)]
        note(f"10 plain words ({name})", None if not jargon else f"{jargon}")

    # 5: removal with a reason, the removed view, and a rejoin
    choose(ash_pane, "Bee", moderation.remove_action())
    removing = ash.active_dialog
    assert isinstance(removing, ConfirmActionDialog)
    removing.primary_button.setFocus()
    qtbot.waitUntil(removing.primary_button.hasFocus, timeout=WAIT_MS)
    shot(qtbot, "07b-remove-focused")
    press(qtbot, removing, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)  # 7: Enter
    qtbot.waitUntil(lambda: bee_pane.controller.removed, timeout=DELIVERY_WAIT_MS)
    note("7 Enter on focused Remove", None)
    bee.activateWindow()
    shot(qtbot, "05a-removed-view")
    copy_invite(qtbot, ash)
    assert join_circle(qtbot, bee, "Bee") == circle
    qtbot.waitUntil(lambda: not bee_pane.controller.removed, timeout=DELIVERY_WAIT_MS)
    shot(qtbot, "05b-rejoined")
    texts = [m.text for m in pane_of(bee, circle).model.messages()]
    note(
        "5 history kept on rejoin",
        None if "Thanks. It has been a long week." in texts else f"shown: {texts}",
    )

    # 12: the unlock screen's F1 and passphrase eye
    unlock = UnlockDialog(profile)
    qtbot.addWidget(unlock)
    unlock.move(QPoint(300, 100))
    unlock.show()
    qtbot.waitUntil(unlock.isVisible, timeout=WAIT_MS)
    press(qtbot, unlock, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    helped = help_desk.help_desk().current()
    note("1 F1 on unlock", None if helped and helped.isVisible() else "no help")
    shot(qtbot, "12-unlock-and-help")
    if helped is not None:
        helped.close()
    unlock.close()

    print(f"{len(findings)} findings")
    for line in findings:
        print("  " + line)
    _ = (CareFlagsDialog,)
