"""The main screens, opened on real widgets, measured as rendered and written as PNGs.

Shared by the theme test (tests/gui/test_theme_screens.py) and `make screenshots`
(tests/gui/make_screenshots.py), so the screenshot code is run by the suite and cannot rot.

Legibility as rendered: each widget that shows text is cropped from the grabbed window
(what the person sees, backgrounds of its parents included); its most common colour is
the background and the pixel furthest from it in contrast is the text. Dark text on a dark
ground (issue 14) measures near 1:1. Anti-aliasing keeps small glyphs from reaching their
full colour, so the bound here is the non-text 3:1; the palette's own pairs are held to
4.5:1 by test_theme_contrast.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from peerapp.ui import theme
from peerapp.ui.dialogs.care_flags import CareFlagsDialog
from peerapp.ui.dialogs.circle_settings import CircleSettingsDialog
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.dialogs.first_run import FirstRunDialog
from peerapp.ui.dialogs.moderation_log import ModerationLogDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.theme.contrast import NON_TEXT_AA, ratio
from tests.gui.helpers import WAIT_MS

RENDERED_MIN = NON_TEXT_AA
SIZES = ((1440, 900), (800, 600))
PNG_COLOURS = 64  # a flat interface needs few; the PNGs stay small


def dark_system_palette() -> QPalette:
    """What a dark desktop hands an application: dark grounds, light text (Qt's own dark
    Fusion colours). Hearth must not draw its dark text on these."""
    palette = QPalette()
    role = QPalette.ColorRole
    for colour_role, colour in {
        role.Window: "#353535",
        role.WindowText: "#FFFFFF",
        role.Base: "#2A2A2A",
        role.AlternateBase: "#424242",
        role.Text: "#FFFFFF",
        role.Button: "#353535",
        role.ButtonText: "#FFFFFF",
        role.Highlight: "#2A82DA",
        role.HighlightedText: "#FFFFFF",
        role.ToolTipBase: "#353535",
        role.ToolTipText: "#FFFFFF",
    }.items():
        palette.setColor(colour_role, QColor(colour))
    return palette


def follow_dark_system(app: QApplication) -> None:
    """The desktop turns dark: its palette and its colour scheme, as a platform tells."""
    app.setPalette(dark_system_palette())
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)


def back_to_light(app: QApplication) -> None:
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    theme.follower(app).choose(theme.ThemeChoice.SYSTEM)


# -- measuring ------------------------------------------------------------------------------


def shown_text(widget: QWidget) -> str:
    """The words a widget shows itself ("" when it shows none, or only a picture)."""
    if isinstance(widget, QLabel):
        return "" if widget.pixmap() is not None and not widget.pixmap().isNull() else widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QAbstractItemView):
        model = widget.model()
        return "rows" if model is not None and model.rowCount() > 0 else ""
    return ""


def contrast_in(image: QImage) -> float:
    """Between the image's most common colour and the colour furthest from it."""
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(pixels.constBits())[: pixels.sizeInBytes()]
    counts = Counter(memoryview(data).cast("I"))
    if not counts:
        return 1.0
    background = _hex(counts.most_common(1)[0][0])
    return max(ratio(_hex(value), background) for value in counts)


def _hex(argb: int) -> str:
    return f"#{argb & 0xFFFFFF:06X}"


@dataclass(frozen=True)
class Reading:
    what: str  # the widget: its class, object name and the start of its words
    contrast: float


def readings(top: QWidget) -> Iterator[Reading]:
    """Each visible widget of `top` that shows text, measured as rendered."""
    image = top.grab().toImage()
    scale = image.devicePixelRatio()
    for widget in top.findChildren(QWidget):
        words = shown_text(widget)
        if not words.strip() or not widget.isVisible() or widget.window() is not top:
            continue
        if not widget.isEnabled():
            continue  # inactive controls are exempt (WCAG 1.4.3); the palette test agrees
        visible = widget.visibleRegion().boundingRect()
        if visible.width() < 4 or visible.height() < 4:
            continue
        origin = widget.mapTo(top, visible.topLeft())
        rect = QRect(
            QPoint(int(origin.x() * scale), int(origin.y() * scale)),
            QSize(int(visible.width() * scale), int(visible.height() * scale)),
        ).intersected(image.rect())
        what = f"{type(widget).__name__}#{widget.objectName()} {words[:40]!r}"
        yield Reading(what, contrast_in(image.copy(rect)))


def menu_reading(menu: QMenu) -> Reading:
    return Reading(f"menu {menu.title()!r}", contrast_in(menu.grab().toImage()))


def illegible(found: list[Reading]) -> list[str]:
    return [f"{r.what}: {r.contrast:.2f}:1" for r in found if r.contrast < RENDERED_MIN]


# -- opening the screens --------------------------------------------------------------------


@dataclass
class Screens:
    """What the screens need: a window with a circle selected (its founder facilitates),
    a profile folder to unlock and a folder with no profile yet."""

    qtbot: QtBot
    window: MainWindow
    profile: Path
    no_profile: Path


Opener = Callable[[Screens], QWidget]


def _dialog(screens: Screens, make: Callable[[], QDialog]) -> QDialog:
    dialog = make()
    screens.qtbot.addWidget(dialog)
    dialog.show()
    screens.qtbot.waitExposed(dialog, timeout=WAIT_MS)
    return dialog


def unlock(screens: Screens) -> QWidget:
    return _dialog(screens, lambda: UnlockDialog(screens.profile))


def welcome(screens: Screens) -> QWidget:
    return _dialog(screens, lambda: FirstRunDialog(screens.no_profile))


def main_window(screens: Screens) -> QWidget:
    return screens.window


def crisis_help(screens: Screens) -> QWidget:
    screens.window.open_crisis_help()
    dialog = screens.window.crisis_help
    assert isinstance(dialog, CrisisHelpDialog)
    screens.qtbot.waitExposed(dialog, timeout=WAIT_MS)
    return dialog


def _pane_dialog(screens: Screens, open_it: Callable[[], object], kind: type[QDialog]) -> QDialog:
    open_it()
    dialog = screens.window.active_dialog
    assert isinstance(dialog, kind)
    screens.qtbot.waitExposed(dialog, timeout=WAIT_MS)
    return dialog


def care_and_review(screens: Screens) -> QWidget:
    pane = screens.window.current_pane()
    assert pane is not None
    dialog = pane.care.open_list()
    screens.qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    assert isinstance(dialog, CareFlagsDialog)
    return dialog


def moderation_log(screens: Screens) -> QWidget:
    pane = screens.window.current_pane()
    assert pane is not None
    dialog = _pane_dialog(screens, pane.moderation.open_log, ModerationLogDialog)
    assert isinstance(dialog, ModerationLogDialog)
    screens.qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    return dialog


def circle_settings(screens: Screens) -> QWidget:
    pane = screens.window.current_pane()
    assert pane is not None
    return _pane_dialog(screens, pane.moderation.open_settings, CircleSettingsDialog)


SCREENS: dict[str, Opener] = {
    "unlock": unlock,
    "welcome": welcome,
    "main-window": main_window,
    "crisis-help": crisis_help,
    "care-and-review": care_and_review,
    "moderation-log": moderation_log,
    "circle-settings": circle_settings,
}


def close(screens: Screens, widget: QWidget) -> None:
    """Close a screen's dialog (the window stays) and wait until it is gone."""
    if widget is screens.window or not isinstance(widget, QDialog):
        return
    widget.reject()
    screens.qtbot.waitUntil(lambda: not widget.isVisible(), timeout=WAIT_MS)
    if screens.window.crisis_help is widget:
        screens.qtbot.waitUntil(lambda: screens.window.crisis_help is None, timeout=WAIT_MS)
    if screens.window.active_dialog is widget:
        screens.qtbot.waitUntil(lambda: screens.window.active_dialog is None, timeout=WAIT_MS)


# -- writing them ---------------------------------------------------------------------------


def write_png(screens: Screens, widget: QWidget, size: tuple[int, int], path: Path) -> Path:
    """The screen at `size`: the main window at that size, a dialog centred over it (or
    over the theme's ground, before there is a window), as a person would see them."""
    width, height = size
    screens.window.resize(width, height)
    canvas = QImage(width, height, QImage.Format.Format_RGB32)
    canvas.fill(QColor(theme.current().window))
    painter = QPainter(canvas)
    try:
        if widget is screens.window or widget.parent() is not None:
            # the window may not go as small as asked (its minimum width): what it shows
            # is cut at the screen's edge, as on a screen of that size
            QApplication.processEvents()
            painter.drawImage(0, 0, screens.window.grab().toImage())
        if widget is not screens.window:
            widget.resize(min(widget.width(), width - 40), min(widget.height(), height - 40))
            QApplication.processEvents()
            shot = widget.grab().toImage()
            # centred; one taller than the screen starts at its top, as a window would
            left = max(0, (width - shot.width()) // 2)
            top = max(0, (height - shot.height()) // 2)
            painter.fillRect(0, 0, width, height, QColor(0, 0, 0, 70))  # the window behind
            painter.drawImage(left, top, shot)
            painter.setPen(QColor(theme.current().outline))  # its edge, on a dark ground too
            painter.drawRect(left, top, shot.width() - 1, shot.height() - 1)
    finally:
        painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    # PNG (from the suffix), at the smallest size zlib gets (quality 0)
    if not small_png(canvas).save(str(path), None, 0):
        raise OSError(f"could not write {path}")
    return path


def small_png(image: QImage) -> QImage:
    """The image in its own most used colours (PNG_COLOURS): a flat interface fits, text
    stays crisp, and the PNG is a fraction of the size (no image library needed)."""
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(pixels.constBits())[: pixels.sizeInBytes()]
    counts = Counter(memoryview(data).cast("I"))
    table = [value | 0xFF000000 for value, _ in counts.most_common(PNG_COLOURS)]
    return pixels.convertToFormat(
        QImage.Format.Format_Indexed8, table, Qt.ImageConversionFlag.ThresholdDither
    )
