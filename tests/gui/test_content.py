"""Replies, reactions and edits in the GUI (issue 15): the composer's quote bar, reaction
chips with who gave them on hover, the "edited" tag, a reply's quote that jumps to its
message (loading older pages), and the pane sending a reply, an edit and a reaction on a
real engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMenu
from pytestqt.qtbot import QtBot

from peerapp.core.api.content import Reply
from peerapp.core.api.messages import History, SendMessage
from peerapp.core.events import EarlierVersionView, MessageView, QuoteView, ReactionView
from peerapp.ui import theme
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.text import content
from peerapp.ui.timeline import MessageRow
from peerapp.ui.widgets.composer import Composer
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import MessageModel, ReactionChip, describe, presentation
from tests.gui.circle_steps import create_circle
from tests.gui.helpers import WAIT_MS, StartSession, resolve

LEFT = Qt.MouseButton.LeftButton


def view(number: int, **fields: object) -> MessageView:
    base: dict[str, object] = {
        "id": f"{number:064x}",
        "author": "b" * 64,
        "author_name": "Bee",
        "text": f"message {number}",
        "ts": 1_700_000_000_000 + number,
        "mine": False,
        "lamport": number,
    }
    return MessageView(**{**base, **fields})  # type: ignore[arg-type]


@pytest.fixture
def shown_list(qtbot: QtBot, hearth_app: object) -> MessageList:
    message_list = MessageList(MessageModel())
    qtbot.addWidget(message_list)
    message_list.resize(600, 400)
    message_list.show()
    qtbot.waitExposed(message_list)
    return message_list


def test_the_quote_bar_shows_what_the_text_answers_and_closes(
    qtbot: QtBot, hearth_app: object
) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.show()
    composer.set_reply("ab" * 32, "Bee", "It was\na hard day")
    assert composer.context_bar.isVisible()
    assert composer.context_label.toolTip() == content.replying_to("Bee", "It was a hard day")
    assert composer.answering is not None and not composer.answering.editing
    composer.edit.setPlainText("I'm here")
    QTest.mouseClick(composer.context_close, LEFT)
    assert not composer.context_bar.isVisible() and composer.answering is None
    assert composer.text() == "I'm here"  # a reply's draft stays
    # editing puts the text in the box; Escape goes back to a new message, empty
    composer.set_edit("cd" * 32, "a hard dya")
    assert composer.text() == "a hard dya" and composer.answering.editing
    QTest.keyClick(composer.edit, Qt.Key.Key_Escape)
    assert composer.answering is None and composer.text() == ""
    assert not composer.context_bar.isVisible()


def test_reaction_chips_name_who_gave_them_and_toggle_ours(
    qtbot: QtBot, shown_list: MessageList
) -> None:
    reactions = (
        ReactionView("hug", ("Ash", "Cy"), ("a" * 64, "c" * 64), mine=True),
        ReactionView("\U0001f49c", ("Cy",), ("c" * 64,)),
    )
    message = view(1, reactions=reactions)
    shown_list.message_model.append([message])
    hug = ReactionChip("hug", ("Ash", "Cy"), True)
    heart = ReactionChip("\U0001f49c", ("Cy",), False)
    hug_rect = shown_list.button_rect(message.id, hug)
    heart_rect = shown_list.button_rect(message.id, heart)
    assert hug_rect is not None and heart_rect is not None
    index = shown_list.message_model.index(shown_list.message_model.row_of(message.id) or 0)
    rect = shown_list.visualRect(index)
    delegate = shown_list.message_delegate
    assert delegate.tooltip_at(index, rect, hug_rect.center()) == content.reacted_by(
        "hug", ["Ash", "Cy"]
    )
    assert delegate.tooltip_at(index, rect, heart_rect.center()) == "\U0001f49c: Cy"
    with qtbot.waitSignal(shown_list.reactRequested) as ours:
        QTest.mouseClick(shown_list.viewport(), LEFT, pos=hug_rect.center())
    assert ours.args == [message.id, "hug", False]  # our own toggles off
    with qtbot.waitSignal(shown_list.reactRequested) as theirs:
        QTest.mouseClick(shown_list.viewport(), LEFT, pos=heart_rect.center())
    assert theirs.args == [message.id, "\U0001f49c", True]  # another's adds ours
    # a screen reader hears how many reactions there are
    assert "3 reactions" in describe(shown_list.message_model.row(1), date.today())


def test_reaction_chips_sit_just_below_the_bubble_and_ours_stands_out(
    qtbot: QtBot, shown_list: MessageList
) -> None:
    ours = (ReactionView("hug", ("Ash",), ("a" * 64,), mine=True),)
    theirs = (ReactionView("strong", ("Cy",), ("c" * 64,)),)
    others_message = view(1, reactions=theirs)
    own_message = view(2, author="a" * 64, author_name="Ash", mine=True, reactions=ours)
    model = shown_list.message_model
    model.append([others_message, own_message])
    delegate = shown_list.message_delegate
    width = shown_list.viewport().width()
    for message, chip in (
        (others_message, ReactionChip("strong", ("Cy",), False)),
        (own_message, ReactionChip("hug", ("Ash",), True)),
    ):
        row = model.row(model.row_of(message.id) or 0)
        assert isinstance(row, MessageRow)
        shape, _ = delegate._geometry(row, width)
        (placed,) = [r for kind, _, r in shape.buttons if kind == chip]
        bubble = shape.bubble
        # below the bubble, not inside it; on the bubble's side; within the row
        assert bubble.bottom() < placed.top() <= bubble.bottom() + 6
        assert placed.bottom() <= shape.row_height
        if message.mine:
            assert placed.right() == pytest.approx(bubble.right())
        else:
            assert placed.left() == pytest.approx(bubble.left())
    # our own chip on the list's ground has an accent edge, the others' an outline
    mine_chip, their_chip = (
        ReactionChip("hug", ("Ash",), True),
        ReactionChip("strong", ("Cy",), False),
    )
    image = shown_list.viewport().grab().toImage()
    scale = image.devicePixelRatio()
    accent = QColor(theme.current().accent)

    def nearest_to_accent(message_id: str, chip: ReactionChip) -> int:
        """How close the chip's left edge (at its middle) comes to the accent colour."""
        rect = shown_list.button_rect(message_id, chip)
        assert rect is not None
        y = int(rect.center().y() * scale)
        found = []
        for dx in range(4):
            colour = image.pixelColor(int(rect.left() * scale) + dx, y)
            found.append(
                abs(colour.red() - accent.red())
                + abs(colour.green() - accent.green())
                + abs(colour.blue() - accent.blue())
            )
        return min(found)

    assert nearest_to_accent(own_message.id, mine_chip) < 60
    assert nearest_to_accent(others_message.id, their_chip) > 120


def test_an_edited_message_says_so_and_a_reply_shows_its_quote(
    qtbot: QtBot, shown_list: MessageList
) -> None:
    earlier = (EarlierVersionView("a hard dya", 1),)
    edited = view(1, edited=True, text="a hard day", earlier=earlier)
    assert content.edited_tag() in presentation(edited, revealed=False, reviewer=False).tags
    # a facilitator reads what it said before, under the bubble; a member does not
    assert presentation(edited, revealed=False, reviewer=True).note == (
        content.earlier_versions(["a hard dya"])
    )
    assert presentation(edited, revealed=False, reviewer=False).note == ""
    quote = QuoteView("Bee", "a hard day")
    reply = view(2, author="a" * 64, author_name="Ash", reply_to=edited.id, quote=quote)
    gone = view(3, reply_to="ef" * 32, quote=QuoteView(removed=True))
    shown = presentation(reply, revealed=False, reviewer=False)
    assert shown.quote is not None and shown.quote.text == content.quote_of("Bee", "a hard day")
    assert presentation(gone, revealed=False, reviewer=False).quote.text == (  # type: ignore[union-attr]
        content.quote_removed()
    )
    shown_list.message_model.append([edited, reply, gone])
    # pressing a reply's quote asks to go to the message it answers
    quote_rect = shown_list.quote_rect(reply.id)
    assert quote_rect is not None and shown_list.quote_rect(edited.id) is None
    quote_point = quote_rect.center()
    with qtbot.waitSignal(shown_list.jumpRequested) as jump:
        QTest.mouseClick(shown_list.viewport(), LEFT, pos=quote_point)
    assert jump.args == [edited.id]


TOTAL = 25
PAGE = 10


def test_a_pane_replies_edits_reacts_and_jumps_to_an_old_quoted_message(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    circle = create_circle(qtbot, window, "Content circle", "Ash")
    first = resolve(qtbot, window.bridge.request(SendMessage(circle=circle, text="first words")))
    for number in range(TOTAL):
        resolve(qtbot, window.bridge.request(SendMessage(circle=circle, text=f"note {number}")))
    resolve(qtbot, window.bridge.request(Reply(circle=circle, to=first.message, text="about that")))
    pane = CirclePane(window.bridge, circle, "Content circle", 1)
    pane.history_page = PAGE
    qtbot.addWidget(pane)
    pane.resize(640, 420)
    pane.show()
    pane.load()
    qtbot.waitUntil(lambda: pane.loaded, timeout=WAIT_MS)
    assert first.message not in pane.model

    # the quote, pressed, loads older pages until its message shows, and goes to it
    answer = pane.model.last_message()
    assert answer is not None and answer.reply_to == first.message
    pane.message_list.jumpRequested.emit(answer.reply_to)
    qtbot.waitUntil(lambda: first.message in pane.model, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not pane.content.jumping, timeout=WAIT_MS)
    current = pane.message_list.currentIndex()
    assert pane.model.row_of(first.message) == current.row()

    # reply from the menu's action, sent from the composer
    pane.content.reply_to(answer.id)
    pane.composer.edit.setPlainText("and one more thing")
    pane.composer.submit()
    qtbot.waitUntil(lambda: pane.composer.answering is None, timeout=WAIT_MS)
    sent = pane.model.last_message()
    assert sent is not None and sent.reply_to == answer.id and sent.quote is not None
    assert sent.quote.text == "about that"

    # edit it: the row shows the new text, marked
    pane.content.edit(sent.id)
    assert pane.composer.text() == "and one more thing"
    pane.composer.edit.setPlainText("and one more thing, sorry")
    pane.composer.submit()
    qtbot.waitUntil(
        lambda: (m := pane.model.message(sent.id)) is not None and m.edited, timeout=WAIT_MS
    )
    assert pane.model.message(sent.id).text == "and one more thing, sorry"  # type: ignore[union-attr]

    # react: the chip shows ours
    pane.content.react(sent.id, "strong", True)
    qtbot.waitUntil(
        lambda: bool((m := pane.model.message(sent.id)) and m.reactions), timeout=WAIT_MS
    )
    (strong,) = pane.model.message(sent.id).reactions  # type: ignore[union-attr]
    assert (strong.reaction, strong.names, strong.mine) == ("strong", ("Ash",), True)
    history = resolve(qtbot, window.bridge.request(History(circle=circle, limit=5))).messages
    assert history[-1].edited and history[-1].reactions == (strong,)


def test_the_react_menu_offers_the_support_set_ours_checked_and_any_emoji(
    qtbot: QtBot, shown_list: MessageList
) -> None:
    mine = (ReactionView("hug", ("Ash",), ("a" * 64,), mine=True),)
    message = view(1, reactions=mine)
    shown_list.message_model.append([message])
    shown_list.set_content_rules(lambda m: True, lambda m: True, lambda m: False)
    number = shown_list.message_model.row_of(message.id)
    assert number is not None
    menu = shown_list.menu_for(shown_list.message_model.index(number))
    assert menu is not None
    texts = [a.text() for a in menu.actions()]
    assert content.reply_action() in texts and content.edit_action() not in texts
    (react,) = [m for a in menu.actions() if isinstance(m := a.menu(), QMenu)]
    entries = {a.text(): a for a in react.actions() if a.text()}
    hug = next(a for text, a in entries.items() if content.reaction_words("hug") in text)
    assert hug.isChecked()
    with qtbot.waitSignal(shown_list.reactRequested) as taken_back:
        hug.trigger()
    assert taken_back.args == [message.id, "hug", False]
    field = react.findChild(QLineEdit, "reactionEmoji")
    assert field is not None
    field.setText("\U0001f33b")
    with qtbot.waitSignal(shown_list.reactRequested) as emoji:
        field.returnPressed.emit()
    assert emoji.args == [message.id, "\U0001f33b", True]
    menu.deleteLater()
