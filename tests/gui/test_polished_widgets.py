"""Every control styled (issue 14, item 11): the crisis dialog's heading, margins and
guessed country with a working "change it"; the moderation log as a list of sentences
with reasons; the Content warning button, combo boxes and scroll areas drawn from the
theme, not as native grey fallbacks. Real widgets, offscreen, in both themes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from peerapp.ui import theme
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs import crisis_help
from peerapp.ui.dialogs.care_flags import CareFlagsDialog
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.dialogs.moderation_log import ModerationLogDialog
from peerapp.ui.notices import LogLine
from peerapp.ui.text import crisis
from peerapp.ui.theme.palette import THEMES, Palette
from peerapp.ui.widgets.composer import Composer
from tests.gui.helpers import WAIT_MS


@pytest.fixture(autouse=True)
def no_remembered_country(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crisis_help, "_remembered_country", None)


@pytest.fixture(params=sorted(THEMES))
def palette(request: pytest.FixtureRequest, hearth_app: QApplication) -> Iterator[Palette]:
    """Each test in each theme, the light one put back afterwards."""
    chosen = THEMES[request.param]
    theme.follower(hearth_app).choose(
        theme.ThemeChoice.DARK if chosen.dark else theme.ThemeChoice.LIGHT
    )
    yield chosen
    theme.follower(hearth_app).choose(theme.ThemeChoice.SYSTEM)


def no_engine(_emit: Any) -> Any:
    raise AssertionError("these dialogs are shown without an engine")


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget, timeout=WAIT_MS)
    return widget


def colour_at(widget: QWidget, point: QPoint) -> str:
    """The colour as rendered at `point` of `widget` (its window grabbed, parents'
    backgrounds included)."""
    top = widget.window()
    image: QImage = top.grab().toImage()
    at = widget.mapTo(top, point)
    return image.pixelColor(at).name().upper()


def colours_in(widget: QWidget) -> set[str]:
    image = widget.grab().toImage()
    return {
        image.pixelColor(x, y).name().upper()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }


def test_the_crisis_dialog_has_a_heading_and_margins_and_says_the_country_was_guessed(
    qtbot: QtBot, palette: Palette, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crisis_help, "system_country", lambda: "GB")
    dialog = shown(qtbot, CrisisHelpDialog())
    assert isinstance(dialog, CrisisHelpDialog)
    assert dialog.heading.isVisible() and dialog.heading.text() == crisis.crisis_help_heading()
    assert dialog.heading.font().pointSizeF() > dialog.font().pointSizeF()
    layout = dialog.layout()
    assert layout is not None
    margins = layout.contentsMargins()
    assert min(margins.left(), margins.right(), margins.top()) >= 16
    assert dialog.current_country() == "GB"
    assert dialog.guess_note.isVisible()
    assert "We guessed your country from your system settings" in dialog.guess_label.text()

    # "change it" opens the country list with the keyboard in it; a choice ends the guess
    dialog.guess_label.linkActivated.emit("#country")
    qtbot.waitUntil(lambda: dialog.country_box.view().isVisible(), timeout=WAIT_MS)
    dialog.country_box.setCurrentIndex(dialog.country_box.findData("IE"))
    dialog.country_box.hidePopup()
    assert dialog.current_country() == "IE"
    assert not dialog.guess_note.isVisible()
    assert dialog.shown_numbers()  # Ireland's services, shown at once


def test_a_country_asked_for_or_unknown_is_said_plainly(
    qtbot: QtBot, palette: Palette, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crisis_help, "system_country", lambda: None)
    asked = shown(qtbot, CrisisHelpDialog(country="DE"))
    assert isinstance(asked, CrisisHelpDialog)
    assert not asked.guess_note.isVisible()  # the person's own choice is no guess
    unknown = shown(qtbot, CrisisHelpDialog())
    assert isinstance(unknown, CrisisHelpDialog)
    assert unknown.guess_note.isVisible()
    assert "could not tell your country" in unknown.guess_label.text()
    assert unknown.country_box.currentText() in unknown.guess_label.text()


def test_the_moderation_log_is_a_list_of_sentences_with_reasons(
    qtbot: QtBot, palette: Palette
) -> None:
    dialog = ModerationLogDialog(EngineBridge(no_engine), "circle")
    shown(qtbot, dialog)
    dialog.show_lines(
        [
            LogLine(when="Tue 14:02", who="Ash", what="Muted for 10 minutes", whom="Bee"),
            LogLine(
                when="Tue 14:20",
                who="Ash",
                what="Removed from the circle",
                whom="Cy",
                reason="Kept sharing other members' words outside",
            ),
        ]
    )
    assert dialog.findChildren(QTableWidget) == []  # no spreadsheet
    assert dialog.entries.count() == 2
    rows = [dialog.entries.itemWidget(dialog.entries.item(n)) for n in range(2)]
    words = [[label.text() for label in row.findChildren(QLabel)] for row in rows]
    assert words[0] == ["Muted for 10 minutes", "Ash, about Bee · Tue 14:02"]
    assert words[1] == [
        "Removed from the circle",
        "Ash, about Cy · Tue 14:20",
        "Reason: Kept sharing other members' words outside",
    ]
    assert "Reason: Kept sharing" in rows[1].accessibleName()


def test_content_warning_button_combo_box_and_scroll_areas_are_drawn_from_the_theme(
    qtbot: QtBot, palette: Palette, tmp_path: Path
) -> None:
    composer = Composer()
    shown(qtbot, composer)
    button = composer.cw_button
    # its ground and its outline are the theme's, not a native grey gradient
    assert colour_at(button, QPoint(button.width() // 2, 3)) == palette.surface
    assert palette.outline in colours_in(button)

    dialog = shown(qtbot, CrisisHelpDialog(country="US"))
    assert isinstance(dialog, CrisisHelpDialog)
    box = dialog.country_box
    assert colour_at(box, QPoint(box.width() // 2, 3)) == palette.surface
    assert palette.outline in colours_in(box)
    # the services' scroll area shows the dialog's ground below the last service
    area = dialog.findChild(QWidget, "crisisServices")
    assert area is not None
    bottom = QPoint(area.width() // 2, area.height() - 4)
    assert colour_at(area, bottom) == palette.window

    care = CareFlagsDialog(EngineBridge(no_engine), "circle")
    shown(qtbot, care)
    care_area = care.scroll_area
    assert colour_at(care_area, QPoint(care_area.width() // 2, care_area.height() - 4)) == (
        palette.window
    )
