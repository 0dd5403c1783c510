"""Themes on real widgets: each main screen rendered offscreen, light and dark, and under
a desktop that turned dark, with no text drawn dark on dark (issue 14, items 2 and 11);
follow the system, and a chosen theme that holds; the screenshot code run for one screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.api.appearance import Appearance
from peerapp.ui import theme
from peerapp.ui.preferences import Preferences
from peerapp.ui.theme.menu import ThemeMenu
from peerapp.ui.theme.palette import DARK, LIGHT
from tests.gui import screens
from tests.gui.circle_steps import create_circle
from tests.gui.helpers import WAIT_MS, StartSession, resolve


def window_colour(app: QApplication) -> str:
    return app.palette().color(QPalette.ColorRole.Window).name().upper()


def test_the_theme_follows_the_system_and_a_chosen_theme_holds(
    hearth_app: QApplication, qtbot: QtBot
) -> None:
    preferences = Preferences()
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = ThemeMenu(preferences, None, parent)  # no engine: nothing stored
    actions = menu.choice_actions
    assert actions[theme.ThemeChoice.SYSTEM].isChecked()
    try:
        screens.follow_dark_system(hearth_app)
        assert theme.current() is DARK
        assert window_colour(hearth_app) == DARK.window  # native parts follow too
        assert DARK.window in hearth_app.styleSheet() or DARK.window.lower() in (
            hearth_app.styleSheet().lower()
        )

        actions[theme.ThemeChoice.LIGHT].trigger()
        assert preferences.theme is theme.ThemeChoice.LIGHT
        assert theme.current() is LIGHT and window_colour(hearth_app) == LIGHT.window
        QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert theme.current() is LIGHT  # the person's choice outranks the desktop's

        actions[theme.ThemeChoice.DARK].trigger()
        QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert theme.current() is DARK

        actions[theme.ThemeChoice.SYSTEM].trigger()
        assert theme.current() is LIGHT  # the desktop is light now
    finally:
        screens.back_to_light(hearth_app)
    assert theme.current() is LIGHT


def test_every_main_screen_is_legible_in_light_dark_and_under_a_dark_desktop(
    qtbot: QtBot,
    hearth_app: QApplication,
    start_session: StartSession,
    profile: Path,
    tmp_path: Path,
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    create_circle(qtbot, window, "Tuesday circle", "Ash")
    shown = screens.Screens(qtbot, window, profile, tmp_path / "new-profile")
    failures: list[str] = []
    lowest: dict[str, float] = {}
    try:
        for mode in ("light", "dark desktop", "dark chosen"):
            if mode == "dark desktop":
                screens.follow_dark_system(hearth_app)
                assert theme.current() is DARK
            if mode == "dark chosen":
                screens.back_to_light(hearth_app)
                hearth_app.setPalette(screens.dark_system_palette())
                theme.follower(hearth_app).choose(theme.ThemeChoice.DARK)
            for name, open_screen in screens.SCREENS.items():
                widget = open_screen(shown)
                found = list(screens.readings(widget))
                assert found, f"{name}: no text found to measure"
                if widget is window:
                    menu = window.menuBar().actions()[0].menu()
                    assert isinstance(menu, QMenu)
                    menu.popup(window.mapToGlobal(window.rect().center()))
                    qtbot.waitExposed(menu)
                    found.append(screens.menu_reading(menu))
                    menu.hide()
                failures += [f"{mode}, {name}: {f}" for f in screens.illegible(found)]
                lowest[f"{mode}, {name}"] = min(r.contrast for r in found)
                if mode == "dark chosen" and name == "main-window":
                    # the screenshot code, for one screen, so that it cannot rot
                    path = screens.write_png(shown, widget, (800, 600), tmp_path / "shot.png")
                    image = QImage(str(path))
                    assert (image.width(), image.height()) == (800, 600)
                screens.close(shown, widget)
    finally:
        screens.back_to_light(hearth_app)
    for where, figure in sorted(lowest.items()):
        print(f"{where}: lowest rendered contrast {figure:.2f}:1")
    assert not failures, "\n".join(failures)


def test_a_chosen_theme_is_stored_in_the_profile_and_back_at_the_next_start(
    qtbot: QtBot, hearth_app: QApplication, start_session: StartSession, profile: Path
) -> None:
    first = start_session(profile)
    window = first.wait_online_after_unlock()
    try:
        window.theme_menu.choice_actions[theme.ThemeChoice.DARK].trigger()
        assert theme.current() is DARK
        stored = resolve(qtbot, window.bridge.request(Appearance()))
        assert stored.theme == "dark"
        first.session.shutdown()
        screens.back_to_light(hearth_app)  # a new run of the app: nothing chosen yet

        again = start_session(profile).wait_online_after_unlock()
        qtbot.waitUntil(lambda: theme.current() is DARK, timeout=WAIT_MS)
        assert again.theme_menu.choice_actions[theme.ThemeChoice.DARK].isChecked()
        assert again.preferences.theme is theme.ThemeChoice.DARK
    finally:
        screens.back_to_light(hearth_app)
