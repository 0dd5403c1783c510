"""Issue 11's "Storage" dialog through the widgets, on real engines on 127.0.0.1: every
circle with its size, who stored what in the circle in view, and clearing what a removed
member stored (only former members are offered it; the messages show as erased, the
size shrinks, the status line says what was freed)."""

from __future__ import annotations

from typing import cast

import pytest
from pytestqt.qtbot import QtBot

from peerapp.core.api.usage import CircleUsageView, Cleared, MemberUsageView
from peerapp.core.events import MessageView
from peerapp.engine.circle_service import CircleService
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.dialogs.storage import (
    MemberRow,
    StorageDialog,
    circle_name,
    former,
    human_size,
    largest_first,
    member_name,
)
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import circles, conversation, moderation
from peerapp.ui.text import storage as storage_text
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    Circle,
    choose,
    member_id,
    send_by_typing,
    wait_for_text,
)
from tests.gui.helpers import WAIT_MS, click, close_dialog
from tests.gui.test_hostile_member import inside

WORDS = ["I had a hard week", "Thank you all for listening"]


@pytest.fixture
def circle(two_members: tuple[MainWindow, MainWindow, str]) -> Circle:
    return Circle(*two_members)


def test_usage_views_read_as_people_do_and_sizes_too() -> None:
    bee = MemberUsageView("bb", "Bee", False, True, False, 1, 10, 0)
    ash = MemberUsageView("aa", "Ash", True, False, False, 9, 900, 2)
    nameless = MemberUsageView("cc", "", True, False, False, 0, 0, 0)
    tuesday = CircleUsageView("c1", "Tuesday", 10, 910, 64 << 20, (bee, nameless, ash))
    assert [member_name(m) for m in largest_first(tuesday.members)] == [
        "Ash",
        "Bee",
        conversation.unnamed_member(),
    ]
    assert [former(m) for m in (ash, bee, nameless)] == [False, True, False]
    assert circle_name(CircleUsageView("c2", "", 0, 0, 0, ())) == circles.unnamed_circle()
    assert "Bee" not in repr(bee) and "Tuesday" not in repr(tuesday)
    assert human_size(2_400_000) == "2.3 MB"
    assert human_size(64 << 20) == "64.0 MB" and human_size(64 << 20, 0) == "64 MB"
    assert human_size(-5) == "0 bytes"
    assert storage_text.cleared_member("Bee", 2, "1.2 KB") == (
        "Cleared 2 messages from Bee, freeing 1.2 KB."
    )


def test_files_count_in_each_size_and_are_named_under_a_member(qtbot: QtBot) -> None:
    """Pictures and files (issue 15) take room too: a circle's and a member's size are
    their messages and files together, and a member row says how much is files."""
    ash = MemberUsageView("aa", "Ash", True, False, False, 3, 300, 0, files=5 << 20)
    bee = MemberUsageView("bb", "Bee", False, True, False, 9, 9000, 0)
    tuesday = CircleUsageView("c1", "Tuesday", 12, 9300, 64 << 20, (bee, ash), files=5 << 20)
    quiet = CircleUsageView("c2", "Quiet", 1, 40_000, 64 << 20, ())
    # the dialog only shows views here; nothing is asked of the engine
    dialog = StorageDialog(cast(EngineBridge, None), circle="c1")
    qtbot.addWidget(dialog)
    dialog.show_usage([quiet, tuesday])
    assert dialog.circle_sizes["c1"].text() == human_size(9300 + (5 << 20))
    assert dialog.circle_sizes["c1"].toolTip() == storage_text.storage_files_part(
        human_size(5 << 20)
    )
    assert dialog.circle_sizes["c2"].toolTip() == ""
    assert [member_name(m) for m in largest_first(tuesday.members)] == ["Ash", "Bee"]
    row = dialog.rows["aa"]
    assert row.size_label.text() == human_size(300 + (5 << 20))
    assert row.files_note.text() == storage_text.storage_files_part(human_size(5 << 20))
    assert not row.files_note.isHidden()
    assert dialog.rows["bb"].files_note.isHidden()  # no files of Bee's: nothing said
    # a former member with only files left can still have them cleared
    only_files = MemberUsageView("dd", "Dee", False, True, False, 2, 0, 0, files=1024)
    assert not MemberRow(only_files).clear_button.isHidden()


def open_from_profile_menu(qtbot: QtBot, window: MainWindow) -> StorageDialog:
    window.storage_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, StorageDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    return dialog


def bee_history(window: MainWindow, circle: str, bee: str) -> list[MessageView]:
    async def read(service: CircleService) -> list[MessageView]:
        return service.history(circle, 50, None)

    return [m for m in inside(window, read) if m.author == bee]


def test_storage_lists_circles_and_clears_what_a_removed_member_stored(
    qtbot: QtBot, circle: Circle
) -> None:
    ash = circle.pane(circle.ash)
    for text in WORDS:
        send_by_typing(qtbot, circle.bee, text)
    for text in WORDS:
        wait_for_text(qtbot, circle.ash, circle.id, text)
    bee = member_id(ash, "Bee")

    # every circle with its size; in the circle in view, who stored what, nobody clearable
    dialog = open_from_profile_menu(qtbot, circle.ash)
    (usage,) = dialog.usage
    assert usage.circle == circle.id and usage.name == "Tuesday circle" and usage.bytes > 0
    assert dialog.circle_sizes[circle.id].text() == human_size(usage.bytes)
    assert set(dialog.rows) == {bee, member_id(ash, "Ash")}
    assert all(row.clear_button.isHidden() for row in dialog.rows.values())
    assert all(row.mark_label.isHidden() for row in dialog.rows.values())
    assert dialog.rows[bee].usage.bytes > 0
    close_dialog(qtbot, dialog)

    # Ash removes Bee
    choose(ash, "Bee", moderation.remove_action())
    removing = circle.ash.active_dialog
    assert isinstance(removing, ConfirmActionDialog)
    with qtbot.waitSignal(removing.accepted, timeout=DELIVERY_WAIT_MS):
        click(removing.primary_button)

    # from the circle's More menu: Bee is marked removed and may be cleared, Ash may not
    ash.versions.storage_action.trigger()
    storage = circle.ash.active_dialog
    assert isinstance(storage, StorageDialog)
    qtbot.waitUntil(lambda: storage.loaded and former(storage.rows[bee].usage), timeout=WAIT_MS)
    row = storage.rows[bee]
    assert (
        not row.clear_button.isHidden() and row.mark_label.text() == storage_text.storage_removed()
    )
    assert storage.rows[member_id(ash, "Ash")].clear_button.isHidden()
    before, stored_by_bee = storage.usage[0].bytes, row.usage.bytes

    click(row.clear_button)
    confirming = storage.confirming
    assert isinstance(confirming, ConfirmActionDialog)
    assert confirming.windowTitle() == storage_text.clear_member_title("Bee")
    assert "cannot be undone" in confirming.explanation_label.text()
    with qtbot.waitSignal(confirming.accepted, timeout=WAIT_MS):
        click(confirming.primary_button)

    # the status line says what was freed, and the sizes are read again, smaller
    qtbot.waitUntil(lambda: storage.usage[0].bytes < before, timeout=WAIT_MS)
    assert isinstance(confirming.result_data, Cleared)
    freed = confirming.result_data.bytes
    assert freed > 0
    assert storage.status_label.text() == (
        f"Cleared 2 messages from Bee, freeing {human_size(freed)}."
    )
    assert storage.rows[bee].usage.bytes == stored_by_bee - freed
    assert storage.circle_sizes[circle.id].text() == human_size(storage.usage[0].bytes)
    # Bee's messages are erased here: the rows stay, their text is gone
    erased = bee_history(circle.ash, circle.id, bee)
    assert erased and all(m.text == "" and m.deleted for m in erased)
    # nothing of Bee's is left to clear: the button goes
    assert storage.rows[bee].clear_button.isHidden() == (storage.rows[bee].usage.bytes == 0)
    # and Ash's conversation shows them as removed, in their places
    qtbot.waitUntil(
        lambda: all((m := ash.model.message(e.id)) is not None and m.deleted for e in erased),
        timeout=WAIT_MS,
    )
    assert not {m.text for m in erased} & set(WORDS)
    close_dialog(qtbot, storage)
