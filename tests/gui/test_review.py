"""Harm flags, review and content filters through the widgets, on real engines on
127.0.0.1 (two members in a circle): the settings dialog's "hide after N flags", flagging
from a message's menu, the message hidden pending review for both members, the
facilitator's Restore; the content filters dialog and the conversation it reloads."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from peerapp.core.content_warnings import FILTER_TOPICS
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.circle_settings import CircleSettingsDialog
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.dialogs.content_filters import ContentFiltersDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import safety
from peerapp.ui.widgets.message_model import Button, Look
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    pane_of,
    send_by_typing,
    wait_for_text,
)
from tests.gui.helpers import LEFT, WAIT_MS, click

HURTFUL = "Something that should not have been said here."


def menu_labels(pane: CirclePane, message_id: str) -> dict[str, bool]:
    """A message's menu: each entry's label and whether it is enabled."""
    number = pane.model.row_of(message_id)
    assert number is not None
    menu: QMenu | None = pane.message_list.menu_for(pane.model.index(number))
    assert menu is not None
    return {action.text(): action.isEnabled() for action in menu.actions() if action.text()}


def choose_in_menu(pane: CirclePane, message_id: str, label: str) -> None:
    number = pane.model.row_of(message_id)
    assert number is not None
    menu = pane.message_list.menu_for(pane.model.index(number))
    assert menu is not None
    next(action for action in menu.actions() if action.text() == label).trigger()


def look_of(pane: CirclePane, message_id: str) -> Look | None:
    message = pane.model.message(message_id)
    return None if message is None else pane.model.presentation_of(message).look


def set_flags_to_hide(qtbot: QtBot, window: MainWindow, pane: CirclePane, count: int) -> None:
    pane.moderation.open_settings()
    dialog = window.active_dialog
    assert isinstance(dialog, CircleSettingsDialog)
    assert dialog.harm_flags_box.value() == 3  # the default
    dialog.harm_flags_box.setValue(count)
    assert dialog.changes() == {"harm_flags_to_hide": count}
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)


def test_one_flag_hides_a_message_for_both_and_a_facilitator_restores_it(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    ash_pane, bee_pane = pane_of(ash, circle), pane_of(bee, circle)
    set_flags_to_hide(qtbot, ash, ash_pane, 1)
    for pane in (ash_pane, bee_pane):
        qtbot.waitUntil(
            lambda p=pane: p.info is not None and p.info.harm_flags_to_hide == 1,  # type: ignore[misc]
            timeout=DELIVERY_WAIT_MS,
        )
    qtbot.waitUntil(
        lambda: safety.harm_flags_now(1) in " ".join(n.text for n in bee_pane.model.notices()),
        timeout=DELIVERY_WAIT_MS,
    )

    send_by_typing(qtbot, bee, HURTFUL)
    message = wait_for_text(qtbot, ash, circle, HURTFUL)
    assert safety.flag_harm_action() not in menu_labels(bee_pane, message.id)  # one's own
    assert menu_labels(ash_pane, message.id)[safety.flag_harm_action()]

    choose_in_menu(ash_pane, message.id, safety.flag_harm_action())
    dialog = ash.active_dialog
    assert isinstance(dialog, ConfirmActionDialog)
    assert dialog.windowTitle() == safety.flag_harm_title()
    assert "Once one member has flagged a message" in dialog.explanation_label.text()
    assert "not told who flagged" in dialog.explanation_label.text()
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)

    for pane in (ash_pane, bee_pane):
        qtbot.waitUntil(
            lambda p=pane: look_of(p, message.id) is Look.HIDDEN,  # type: ignore[misc]
            timeout=DELIVERY_WAIT_MS,
        )
    assert menu_labels(ash_pane, message.id)[safety.flagged_action()] is False
    assert bee_pane.message_list.button_rect(message.id, Button.RESTORE) is None
    assert bee_pane.message_list.button_rect(message.id, Button.SHOW) is not None
    assert safety.restore_message() not in menu_labels(bee_pane, message.id)
    qtbot.waitUntil(
        lambda: safety.hidden_for_review_notice() in [n.text for n in ash_pane.model.notices()],
        timeout=DELIVERY_WAIT_MS,
    )
    assert safety.hidden_for_review_notice() not in [n.text for n in bee_pane.model.notices()]

    # Ash restores it with the button in its bubble
    restore = ash_pane.message_list.button_rect(message.id, Button.RESTORE)
    assert restore is not None
    QTest.mouseClick(ash_pane.message_list.viewport(), LEFT, pos=restore.center())
    for pane in (ash_pane, bee_pane):
        qtbot.waitUntil(
            lambda p=pane: look_of(p, message.id) is Look.PLAIN,  # type: ignore[misc]
            timeout=DELIVERY_WAIT_MS,
        )
    restored = ash_pane.model.message(message.id)
    assert restored is not None and restored.restored and not restored.hidden
    assert safety.flagged_action() not in menu_labels(ash_pane, message.id)  # reviewed
    qtbot.waitUntil(
        lambda: safety.restored_notice("Ash") in [n.text for n in bee_pane.model.notices()],
        timeout=DELIVERY_WAIT_MS,
    )


def open_filters(qtbot: QtBot, window: MainWindow) -> ContentFiltersDialog:
    window.content_filters_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, ContentFiltersDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    return dialog


def test_content_filters_round_trip_and_the_conversation_follows(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    ash_pane, bee_pane = pane_of(ash, circle), pane_of(bee, circle)
    texts = {"grief": "Missing my dad today.", "abuse": "Remembering what he did."}
    for topic, text in texts.items():
        warnings = ash_pane.composer.cw_menu.actions()
        next(a for a in warnings if a.text() == safety.cw_name(topic)).trigger()
        send_by_typing(qtbot, ash, text)
    sent = {topic: wait_for_text(qtbot, bee, circle, text) for topic, text in texts.items()}
    assert all(look_of(bee_pane, m.id) is Look.WARNED for m in sent.values())

    dialog = open_filters(qtbot, bee)
    assert {topic: dialog.mode_of(topic) for topic in FILTER_TOPICS} == dict.fromkeys(
        FILTER_TOPICS, "collapse"
    )
    assert not dialog.primary_button.isEnabled()  # nothing changed yet
    dialog.choose("grief", "show")
    dialog.choose("abuse", "hide")
    assert dialog.changes() == {"grief": "show", "abuse": "hide"}
    reloads = bee_pane.model.modelReset
    with qtbot.waitSignals([dialog.accepted, reloads], timeout=WAIT_MS):
        click(dialog.primary_button)

    qtbot.waitUntil(lambda: sent["abuse"].id not in bee_pane.model, timeout=WAIT_MS)
    grief = bee_pane.model.message(sent["grief"].id)
    assert grief is not None and grief.filter == "show"
    shown = bee_pane.model.presentation_of(grief)
    assert (shown.look, shown.tags) == (Look.PLAIN, (safety.cw_label("grief"),))
    assert look_of(ash_pane, sent["abuse"].id) is Look.PLAIN  # the author's own: unchanged

    again = open_filters(qtbot, bee)
    assert (again.mode_of("grief"), again.mode_of("abuse"), again.mode_of("other")) == (
        "show",
        "hide",
        "collapse",
    )
    with qtbot.waitSignal(again.finished, timeout=WAIT_MS):
        click(again.secondary_button)
