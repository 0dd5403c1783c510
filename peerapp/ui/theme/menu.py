"""The Theme submenu: Follow the system, Light, Dark, one checked; the choice is kept in
the session's preferences and applied to the whole application at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from peerapp.ui.preferences import Preferences
from peerapp.ui.text import appearance
from peerapp.ui.theme import ThemeChoice, follower

CHOICES: tuple[tuple[ThemeChoice, Callable[[], str]], ...] = (
    (ThemeChoice.SYSTEM, appearance.theme_system),
    (ThemeChoice.LIGHT, appearance.theme_light),
    (ThemeChoice.DARK, appearance.theme_dark),
)


def theme_menu(preferences: Preferences, parent: QWidget) -> QMenu:
    menu = QMenu(appearance.theme_menu(), parent)
    menu.setObjectName("themeMenu")
    menu.setToolTipsVisible(True)
    menu.menuAction().setToolTip(appearance.theme_menu_tooltip())
    group = QActionGroup(menu)
    group.setExclusive(True)
    for choice, words in CHOICES:
        action = QAction(words(), menu)
        action.setCheckable(True)
        action.setChecked(choice is preferences.theme)
        action.setData(choice.value)
        action.triggered.connect(lambda _=False, c=choice: choose(preferences, c))
        group.addAction(action)
        menu.addAction(action)
    return menu


def choose(preferences: Preferences, choice: ThemeChoice) -> None:
    preferences.theme = choice
    app = QApplication.instance()
    if isinstance(app, QApplication):
        follower(app).choose(choice)
