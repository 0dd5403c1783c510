"""Care flags get a visible place (issue 14, item 4), on real engines on 127.0.0.1: Ash
founds a circle, Bee joins and asks for support. Ash's circle list shows a care badge on
the circle's row (Bee's never does), counted by the engine on the circle's row, which the
header's badge reads too; the main window's "Care and review…" (Circles menu, Ctrl+Shift+C,
the toolbar's "Care (n)") opens the list from any circle, or a chooser when several
circles have something waiting; the list's intro says what the list shows (who raised
each care flag); resolving clears the badge everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from peerapp.core.events import CircleChanged, CircleView
from peerapp.ui import theme
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import CareFlagsDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import care
from peerapp.ui.widgets.circle_list import CircleList
from peerapp.ui.widgets.circle_switcher import CircleSwitcher
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    create_circle,
    member_id,
    pane_of,
    wait_settled,
)
from tests.gui.helpers import WAIT_MS, click, close_dialog, type_into

SUPPORT_NOTE = "This week has been a lot."
CLOSE = 48  # how near a painted pixel must be to the badge's colour (antialiasing)


def _row_has_care_colour(circles: CircleList, circle: str) -> bool:
    """Whether the circle's row is painted with the care badge's colour somewhere."""
    row = circles.ids().index(circle)
    rect = circles.list.visualItemRect(circles.list.item(row))
    image: QImage = circles.list.viewport().grab(rect).toImage()
    wanted = QColor(theme.current().accent_text)
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - wanted.red())
                + abs(pixel.green() - wanted.green())
                + abs(pixel.blue() - wanted.blue())
                < CLOSE
            ):
                return True
    return False


def _ask_for_support(qtbot: QtBot, bee: MainWindow, circle: str) -> None:
    bee_pane = pane_of(bee, circle)
    dialog = bee_pane.care.open_flag(member_id(bee_pane, "Bee"), None)
    assert bee.active_dialog is dialog and isinstance(dialog, CareFlagDialog)
    qtbot.waitUntil(dialog.primary_button.isEnabled, timeout=WAIT_MS)
    type_into(dialog.note_edit, SUPPORT_NOTE)
    with qtbot.waitSignal(dialog.accepted, timeout=DELIVERY_WAIT_MS):
        click(dialog.primary_button)


def _open_list(qtbot: QtBot, window: MainWindow) -> CareFlagsDialog:
    listed = window.active_dialog
    assert isinstance(listed, CareFlagsDialog)
    qtbot.waitUntil(lambda: listed.loaded, timeout=WAIT_MS)
    return listed


def test_a_care_flag_shows_on_the_circle_in_the_list_and_the_care_entry_opens_it(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    ash_pane, bee_pane = (wait_settled(qtbot, w, circle, ["Ash", "Bee"]) for w in (ash, bee))
    assert ash.circle_list.care(circle) == 0 and not _row_has_care_colour(ash.circle_list, circle)
    assert not ash.care_toolbar_action.isVisible()
    assert ash.care_action.shortcut().toString() == "Ctrl+Shift+C"
    # a member with nothing to look after: the Care entry opens nothing, and says why
    bee.care_action.trigger()
    assert bee.active_dialog is None
    assert bee.statusBar().currentMessage() == care.nothing_waiting_for_care()

    _ask_for_support(qtbot, bee, circle)

    # Ash, the facilitator: the badge on the circle's row, in plain words, the header's
    # badge from the same row, and the toolbar's entry
    qtbot.waitUntil(lambda: ash.circle_list.care(circle) == 1, timeout=DELIVERY_WAIT_MS)
    item = ash.circle_list.list.item(ash.circle_list.ids().index(circle))
    words = care.list_badge_description(1, 0)
    assert item.data(Qt.ItemDataRole.ToolTipRole) == words
    assert item.data(Qt.ItemDataRole.AccessibleDescriptionRole) == words
    assert care.care_flags_button(1) in item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert _row_has_care_colour(ash.circle_list, circle)
    assert ash_pane.header.care_flags_button.text() == care.care_badge(1, 0)
    assert (ash_pane.care.open_count, ash_pane.care.review_count) == (1, 0)
    assert ash.care_toolbar_action.isVisible()
    assert ash.care_toolbar_action.text() == care.care_toolbar_action(1)
    # Bee, a plain member (and the one the flag is about): nothing anywhere
    assert bee.circle_list.care(circle) == 0 and not bee.care_toolbar_action.isVisible()
    assert bee_pane.header.care_flags_button.isHidden()
    bee_item = bee.circle_list.list.item(bee.circle_list.ids().index(circle))
    assert not bee_item.data(Qt.ItemDataRole.ToolTipRole)

    # the Care entry with the circle open: its list; the intro says what the card shows
    ash.care_action.trigger()
    listed = _open_list(qtbot, ash)
    assert listed.circle == circle
    (card,) = listed.cards.values()
    assert card.summary.text() == care.care_flag_summary("Bee", "Bee", about_themselves=True)
    intro = listed.explanation_label.text()
    assert intro == care.care_and_review_text()
    assert "never shows who flagged anything" not in intro  # the old, untrue claim
    close_dialog(qtbot, listed)

    # with another circle open, where nothing waits: the toolbar's entry opens the circle
    # where the flag waits, and its list
    other = create_circle(qtbot, ash, "Quiet circle", "Ash")
    assert ash.current_pane() is pane_of(ash, other)
    ash.care_toolbar_action.trigger()
    listed = _open_list(qtbot, ash)
    assert listed.circle == circle and ash.current_pane() is ash_pane
    close_dialog(qtbot, listed)

    # with no circle open at all: the same
    ash.content.setCurrentWidget(ash.pick_a_circle)
    assert ash.current_pane() is None
    ash.care_action.trigger()
    listed = _open_list(qtbot, ash)
    assert listed.circle == circle and ash.current_pane() is ash_pane

    # resolving clears the badge on the row, in the header and in the toolbar
    click(next(iter(listed.cards.values())).resolve_button)
    qtbot.waitUntil(lambda: not listed.flags, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ash.circle_list.care(circle) == 0, timeout=WAIT_MS)
    assert ash_pane.header.care_flags_button.isHidden()
    assert not ash.care_toolbar_action.isVisible()
    assert not _row_has_care_colour(ash.circle_list, circle)
    close_dialog(qtbot, listed)

    # several circles waiting (the other circle's row as the engine would send it): a
    # chooser naming each with what waits there; choosing one opens its list
    _ask_for_support(qtbot, bee, circle)
    qtbot.waitUntil(lambda: ash.circle_list.care(circle) == 1, timeout=DELIVERY_WAIT_MS)
    ash.bridge.engineEvent.emit(
        CircleChanged(CircleView(id=other, name="Quiet circle", members=1, unread=0, to_review=2))
    )
    qtbot.waitUntil(lambda: ash.circle_list.care(other) == 2, timeout=WAIT_MS)
    ash.content.setCurrentWidget(ash.pick_a_circle)
    ash.care_action.trigger()
    chooser = ash.active_dialog
    assert isinstance(chooser, CircleSwitcher)
    assert chooser.windowTitle() == care.care_chooser_title()
    assert chooser.shown_names() == [
        care.care_chooser_entry("Tuesday circle", 1, 0),
        care.care_chooser_entry("Quiet circle", 0, 2),
    ]
    chooser.list.setCurrentRow(0)
    chooser.open_chosen()
    listed = _open_list(qtbot, ash)
    assert listed.circle == circle and len(listed.cards) == 1
    close_dialog(qtbot, listed)
