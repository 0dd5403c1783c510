"""The "Get help now" action opens the crisis directory with no engine and no
network, shows the chosen country's numbers and follows a change of country."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QToolBar
from pytestqt.qtbot import QtBot

from peerapp.core.crisis_directory import CrisisDirectoryInvalid
from peerapp.core.events import EngineStopped
from peerapp.engine.crisis_directory import load_bundled
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs import crisis_help
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import crisis
from tests.gui.helpers import WAIT_MS, StartSession, click


@pytest.fixture(autouse=True)
def no_remembered_country(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a fresh run of the app would: no country chosen yet."""
    monkeypatch.setattr(crisis_help, "_remembered_country", None)


@pytest.fixture
def offline_window(qtbot: QtBot, hearth_app: QApplication, tmp_path: Path) -> Iterator[MainWindow]:
    """A main window whose engine never starts: no network, no database."""
    started: list[object] = []

    def no_engine(emit: Any) -> Any:
        started.append(emit)
        raise AssertionError("the engine must not be needed")

    window = MainWindow(EngineBridge(no_engine), tmp_path / "profile")
    qtbot.addWidget(window)
    window.show()
    yield window
    help_window = window.crisis_help  # the app's one help window outlives this window
    if help_window is not None:
        help_window.close()
    assert started == [], "opening the crisis resources started an engine"


def choose(dialog: CrisisHelpDialog, code: str) -> None:
    """Pick a country in the chooser the way a person would (by its index)."""
    index = dialog.country_box.findData(code)
    assert index >= 0, code
    dialog.country_box.setCurrentIndex(index)


def test_get_help_now_opens_with_no_engine_and_shows_the_chosen_country(
    qtbot: QtBot, offline_window: MainWindow
) -> None:
    window = offline_window
    action = window.findChild(QAction, "getHelpNow")
    assert action is window.get_help_action
    assert action.isEnabled() and action.text() == crisis.get_help_now()
    toolbar = window.findChild(QToolBar, "helpToolbar")
    assert toolbar is not None and toolbar.isVisible()
    button = toolbar.widgetForAction(action)
    assert button is not None and button.isVisible() and button.isEnabled()

    click(button)
    qtbot.waitUntil(lambda: window.crisis_help is not None, timeout=WAIT_MS)
    dialog = window.crisis_help
    assert isinstance(dialog, CrisisHelpDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)

    choose(dialog, "GB")
    assert dialog.current_country() == "GB"
    assert dialog.emergency_label.text() == crisis.crisis_emergency("999")
    assert dialog.shown_numbers() == ["116 123"]
    assert "116 123" in dialog.number_labels[0].text()
    assert load_bundled().note in dialog.note_label.text()
    assert crisis.crisis_checked(load_bundled().checked) in dialog.note_label.text()
    assert "findahelpline.com" in dialog.international_label.text()

    choose(dialog, "JP")
    assert dialog.emergency_label.text() == crisis.crisis_emergency("119")
    assert dialog.shown_numbers() == ["0570-064-556", "0120-279-338"]
    assert "116 123" not in dialog.shown_numbers()
    names = [label.text() for label in dialog.services_box.findChildren(QLabel)]
    assert any("Yorisoi" in name for name in names)


def test_f1_opens_it_once_and_raises_it_again(qtbot: QtBot, offline_window: MainWindow) -> None:
    window = offline_window
    assert window.get_help_action.shortcut().toString() == "F1"
    window.get_help_action.trigger()
    first = window.crisis_help
    assert first is not None
    window.get_help_action.trigger()
    assert window.crisis_help is first  # one window, brought forward
    first.reject()
    qtbot.waitUntil(lambda: window.crisis_help is None, timeout=WAIT_MS)
    window.get_help_action.trigger()
    assert window.crisis_help is not None and window.crisis_help is not first


def test_it_still_opens_after_the_engine_has_stopped(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    with qtbot.waitSignal(
        window.bridge.engineEvent,
        timeout=WAIT_MS,
        check_params_cb=lambda event: isinstance(event, EngineStopped),
    ):
        window.bridge.stop()
    assert window.get_help_action.isEnabled()

    window.get_help_action.trigger()
    dialog = window.crisis_help
    assert isinstance(dialog, CrisisHelpDialog)
    choose(dialog, "NZ")
    assert dialog.emergency_label.text() == crisis.crisis_emergency("111")
    assert dialog.shown_numbers() == ["1737", "1737"]  # call or text
    dialog.reject()


def test_the_dialog_needs_no_window_and_copies_a_number(qtbot: QtBot) -> None:
    dialog = CrisisHelpDialog(country="au")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current_country() == "AU"
    assert dialog.emergency_label.text() == crisis.crisis_emergency("000")
    assert dialog.shown_numbers() == ["13 11 14", "0477 13 11 14"]

    copy = dialog.copy_buttons[0]
    assert copy.accessibleName() == crisis.crisis_copy_name("13 11 14")
    click(copy)
    assert QGuiApplication.clipboard().text() == "13 11 14"
    assert copy.text() == crisis.crisis_copied()


def test_a_country_without_a_cited_emergency_number_says_to_call_the_local_one(
    qtbot: QtBot,
) -> None:
    dialog = CrisisHelpDialog(country="AR")
    qtbot.addWidget(dialog)
    assert dialog.emergency_label.text() == crisis.crisis_emergency_unknown()
    assert dialog.shown_numbers() == ["135", "(011) 5275-1135", "0800-999-0091"]


def test_the_choice_is_remembered_for_this_run(qtbot: QtBot) -> None:
    first = CrisisHelpDialog(country="DE")
    qtbot.addWidget(first)
    choose(first, "FR")
    second = CrisisHelpDialog()
    qtbot.addWidget(second)
    assert second.current_country() == "FR"
    assert second.shown_numbers() == ["3114"]


def test_an_unknown_country_falls_back_to_one_that_can_be_changed(qtbot: QtBot) -> None:
    dialog = CrisisHelpDialog(country="ZZ")
    qtbot.addWidget(dialog)
    assert dialog.country_box.isEnabled()
    assert dialog.directory is not None
    assert dialog.directory.country(dialog.current_country()) is not None
    assert dialog.shown_numbers()


def test_a_broken_directory_still_opens_and_points_to_the_emergency_number(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> Any:
        raise CrisisDirectoryInvalid("countries: expected a non-empty list.")

    monkeypatch.setattr(crisis_help, "load_bundled", broken)
    dialog = CrisisHelpDialog(country="GB")
    qtbot.addWidget(dialog)
    assert dialog.emergency_label.text() == crisis.crisis_no_directory()
    assert not dialog.country_box.isEnabled()
    assert dialog.shown_numbers() == []
