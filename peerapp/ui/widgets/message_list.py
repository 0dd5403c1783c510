"""The scrolling list of a circle's messages.

It follows the conversation: while scrolled to the bottom it stays there as messages
arrive; scrolled up to read, it stays put. Reaching the top asks for older messages
(`nearTop`), and when they are put in above, what was on screen stays where it was. The
same holds when messages go in among those shown (a sync): `anchor()` before, then
`restore_anchor()` after, keeps the message at the top of the view in its place.

A message's menu (right click, or the menu key on the current message) offers to copy
its text and, as the circle's rules allow (`set_rules`), to delete it for everyone or to
report it to the facilitators; the pane does those.

A collapsed message (behind its content warning, or hidden pending review) opens with the
"Show" button drawn in its bubble, with Enter or Space on it, or from its menu; "Hide
again" collapses it once more. The menu also offers to flag a message as harmful (or says
it is "Flagged") and, to facilitators, to restore one hidden pending review
(`set_review_rules`).

Replies, reactions and edits (issue 15, `set_content_rules`): the menu offers "Reply"
(Ctrl+R on the current message), "React" (the support set, ours checked, choosing it
again takes it back; then a field for any one emoji) and, on our own message within a
day, "Edit" (Ctrl+E). A reply's quote, pressed, asks to go to the message it answers
(`jumpRequested`); a reaction chip, pressed, toggles our own (`reactRequested`).

A link in a message's text, clicked or chosen from the message's menu ("Open link to
host…"), is `linkRequested` with the address as written: the pane asks before it opens.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QMenu,
    QWidget,
    QWidgetAction,
)

from peerapp.core.content_policy import MAX_EMOJI_CODE_POINTS, SUPPORT_REACTIONS, symbol_of
from peerapp.core.events import MessageView
from peerapp.ui import links
from peerapp.ui.text import care as care_text
from peerapp.ui.text import content, conversation, moderation, navigation, safety
from peerapp.ui.text import links as links_text
from peerapp.ui.timeline import MessageRow
from peerapp.ui.widgets.message_delegate import MessageDelegate
from peerapp.ui.widgets.message_model import ROW_ROLE, Button, MessageModel, ReactionChip

BOTTOM_SLACK = 4  # pixels from the end that still count as "at the bottom"
ACTIVATE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)

MessageRule = Callable[[MessageView], bool]


def _never(_message: MessageView) -> bool:
    return False


class MessageList(QListView):
    nearTop = Signal()
    deleteRequested = Signal(str)  # message id
    reportRequested = Signal(str)  # message id
    flagRequested = Signal(str)  # message id: flag it as harmful
    restoreRequested = Signal(str)  # message id: a facilitator restores it after review
    careRequested = Signal(str)  # message id: "I'm worried about this person" (its author)
    attachmentRequested = Signal(str)  # message id: open its picture or file
    replyRequested = Signal(str)  # message id: answer it (the composer's quote bar)
    editRequested = Signal(str)  # message id: edit our own message
    reactRequested = Signal(str, str, bool)  # message id, reaction, on (False: take back)
    jumpRequested = Signal(str)  # message id: a reply's quote was pressed; go to it
    linkRequested = Signal(str)  # a link's address as written in a message (not opened)

    def __init__(self, model: MessageModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageList")
        self.setAccessibleName(navigation.message_list_name())
        self.message_model = model
        self.setModel(model)
        self.message_delegate = MessageDelegate(self)
        self.setItemDelegate(self.message_delegate)
        self.message_delegate.buttonClicked.connect(self.press)
        self.message_delegate.quoteClicked.connect(self.jumpRequested)
        self.message_delegate.linkClicked.connect(self.linkRequested)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(False)
        # the pointer becomes a hand over a link (moves without a button come only then)
        self.viewport().setMouseTracking(True)
        self.verticalScrollBar().setSingleStep(24)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

        self.copy_action = QAction(conversation.copy_message(), self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_selected)
        self.addAction(self.copy_action)

        # Ctrl+R answers the current message, Ctrl+E edits it (our own, within a day)
        self.reply_action = QAction(content.reply_action(), self)
        self.reply_action.setShortcut(QKeySequence("Ctrl+R"))
        self.reply_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.reply_action.triggered.connect(self._reply_to_current)
        self.addAction(self.reply_action)
        self.edit_action = QAction(content.edit_action(), self)
        self.edit_action.setShortcut(QKeySequence("Ctrl+E"))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(self._edit_current)
        self.addAction(self.edit_action)
        self._may_reply: MessageRule = _never
        self._may_react: MessageRule = _never
        self._may_edit: MessageRule = _never
        self._may_delete: MessageRule = _never
        self._may_report: MessageRule = _never
        self._may_flag: MessageRule = _never
        self._may_restore: MessageRule = _never
        self._may_care: MessageRule = _never
        self._at_bottom = True
        self._keep_from_bottom: int | None = None
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)

    # -- following the conversation -----------------------------------------------------

    @property
    def at_bottom(self) -> bool:
        return self._at_bottom

    def keep_position_for_older(self) -> None:
        """Call before older rows go in above: the rows on screen will stay in place."""
        bar = self.verticalScrollBar()
        self._keep_from_bottom = bar.maximum() - bar.value()

    def anchor(self) -> tuple[str, int] | None:
        """The message at the top of the view and how far below the view's top it starts;
        None when following the conversation at the bottom (nothing to keep)."""
        if self._at_bottom:
            return None
        model = self.message_model
        index = self.indexAt(QPoint(self.viewport().width() // 2, 0))
        if not index.isValid():
            return None
        number = index.row()
        if not isinstance(model.row(number), MessageRow) and number + 1 < model.rowCount():
            number += 1  # a day separator: hold on to the message below it
        row = model.row(number)
        if not isinstance(row, MessageRow):
            return None
        return row.message.id, self.visualRect(model.index(number)).top()

    def restore_anchor(self, anchor: tuple[str, int]) -> None:
        """Scroll so the anchored message is where it was (if it is still shown)."""
        message_id, top = anchor
        number = self.message_model.row_of(message_id)
        if number is None:
            return
        self.executeDelayedItemsLayout()  # the rows' places, now rather than later
        bar = self.verticalScrollBar()
        moved = self.visualRect(self.message_model.index(number)).top() - top
        if moved:
            bar.setValue(bar.value() + moved)

    def scroll_to_end(self) -> None:
        self._at_bottom = True
        self.scrollToBottom()

    def scroll_to_top_of(self, item_id: str) -> bool:
        """Scroll so the row of a message or a notice is at the top of the view (as far
        as the list reaches): reading goes on from there, not from the end. False when
        it is not shown."""
        number = self.message_model.row_of(item_id)
        if number is None:
            return False
        self.executeDelayedItemsLayout()  # the rows' places, now rather than later
        self._at_bottom = False  # a later layout must not pull the view to the end
        self.scrollTo(self.message_model.index(number), QAbstractItemView.ScrollHint.PositionAtTop)
        bar = self.verticalScrollBar()
        self._at_bottom = bar.value() >= bar.maximum() - BOTTOM_SLACK
        return True

    @Slot(int)
    def _scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._at_bottom = value >= bar.maximum() - BOTTOM_SLACK
        if value == bar.minimum() and bar.maximum() > bar.minimum():
            self.nearTop.emit()

    @Slot(int, int)
    def _range_changed(self, _minimum: int, maximum: int) -> None:
        bar = self.verticalScrollBar()
        if self._keep_from_bottom is not None:
            keep, self._keep_from_bottom = self._keep_from_bottom, None
            was_at_bottom = self._at_bottom
            bar.setValue(max(maximum - keep, 0))
            self._at_bottom = was_at_bottom
        elif self._at_bottom:
            bar.setValue(maximum)

    # -- copying ------------------------------------------------------------------------

    def selected_text(self) -> str | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isSelected(index):
            return None
        row = index.data(ROW_ROLE)
        if not isinstance(row, MessageRow) or row.message.deleted or self._collapsed(row):
            return None
        return row.message.text

    def _collapsed(self, row: MessageRow) -> bool:
        return self.message_model.presentation_of(row.message).collapsed

    # -- collapsed messages and the buttons in bubbles ------------------------------------

    @Slot(str, object)
    def press(self, message_id: str, button: object) -> None:
        """Act on a button drawn in a message's bubble."""
        if button is Button.SHOW:
            self.message_model.set_revealed(message_id, True)
        elif button is Button.HIDE_AGAIN:
            self.message_model.set_revealed(message_id, False)
        elif button is Button.RESTORE:
            self.restoreRequested.emit(message_id)
        elif button is Button.ATTACHMENT:
            self.attachmentRequested.emit(message_id)
        elif isinstance(button, ReactionChip):
            # a chip toggles our own reaction: a second person's heart adds ours
            self.reactRequested.emit(message_id, button.reaction, not button.mine)

    def button_rect(self, message_id: str, button: Button | ReactionChip) -> QRect | None:
        """Where a button of a message's bubble is, in the viewport; None when it has none."""
        number = self.message_model.row_of(message_id)
        if number is None:
            return None
        index = self.message_model.index(number)
        rect = self.visualRect(index)
        for kind, _, area in self.message_delegate.buttons_at(index, rect):
            if kind == button:
                return area.toAlignedRect()
        return None

    def quote_rect(self, message_id: str) -> QRect | None:
        """Where a reply's quote is drawn, in the viewport; None when it is no reply."""
        number = self.message_model.row_of(message_id)
        if number is None:
            return None
        index = self.message_model.index(number)
        found = self.message_delegate.quote_area(index, self.visualRect(index))
        return None if found is None else found[1].toAlignedRect()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Space on a message with buttons presses its first ("Show", "Hide
        again"), so a collapsed message opens without a mouse."""
        index = self.currentIndex()
        if event.key() in ACTIVATE_KEYS and index.isValid():
            row = index.data(ROW_ROLE)
            if isinstance(row, MessageRow):
                buttons = self.message_model.presentation_of(row.message).buttons
                if buttons:
                    self.press(row.message.id, buttons[0][0])
                    event.accept()
                    return
        super().keyPressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        position = event.position().toPoint()
        index = self.indexAt(position)
        over_link = index.isValid() and (
            self.message_delegate.link_at(index, self.visualRect(index), position) is not None
        )
        shape = Qt.CursorShape.PointingHandCursor if over_link else Qt.CursorShape.ArrowCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)

    @Slot()
    def copy_selected(self) -> None:
        text = self.selected_text()
        if text is not None:
            QGuiApplication.clipboard().setText(text)

    # -- a message's menu ---------------------------------------------------------------

    def set_rules(self, may_delete: MessageRule, may_report: MessageRule) -> None:
        """Which messages the menu offers to delete for everyone, and to report."""
        self._may_delete = may_delete
        self._may_report = may_report

    def set_review_rules(self, may_flag: MessageRule, may_restore: MessageRule) -> None:
        """Which messages the menu offers to flag as harmful, and to restore after review."""
        self._may_flag = may_flag
        self._may_restore = may_restore

    def set_content_rules(
        self, may_reply: MessageRule, may_react: MessageRule, may_edit: MessageRule
    ) -> None:
        """Which messages the menu offers to answer, to react to, and to edit."""
        self._may_reply = may_reply
        self._may_react = may_react
        self._may_edit = may_edit

    def _current_message(self) -> MessageView | None:
        row = self.currentIndex().data(ROW_ROLE) if self.currentIndex().isValid() else None
        return row.message if isinstance(row, MessageRow) else None

    @Slot()
    def _reply_to_current(self) -> None:
        message = self._current_message()
        if message is not None and self._may_reply(message):
            self.replyRequested.emit(message.id)

    @Slot()
    def _edit_current(self) -> None:
        message = self._current_message()
        if message is not None and self._may_edit(message):
            self.editRequested.emit(message.id)

    def _add_content_actions(self, menu: QMenu, message: MessageView, collapsed: bool) -> None:
        """Reply, React (the support set, ours checked) and Edit, as the rules allow."""
        if collapsed:
            return
        if self._may_reply(message):
            reply = menu.addAction(content.reply_action())
            reply.setShortcut(self.reply_action.shortcut())
            reply.triggered.connect(lambda: self.replyRequested.emit(message.id))
        if self._may_react(message):
            react = menu.addMenu(content.react_menu())
            mine = {r.reaction for r in message.reactions if r.mine}
            for reaction in SUPPORT_REACTIONS:
                label = f"{symbol_of(reaction)}  {content.reaction_words(reaction)}"
                action = react.addAction(label)
                action.setCheckable(True)
                action.setChecked(reaction in mine)
                action.triggered.connect(
                    lambda on, r=reaction: self.reactRequested.emit(message.id, r, on)
                )
            react.addSeparator()
            react.addAction(self._emoji_field(react, message.id))
        if self._may_edit(message):
            edit = menu.addAction(content.edit_action())
            edit.setShortcut(self.edit_action.shortcut())
            edit.triggered.connect(lambda: self.editRequested.emit(message.id))

    def _emoji_field(self, menu: QMenu, message_id: str) -> QWidgetAction:
        """A small field in the React menu for any one emoji (the engine checks it is
        exactly one, core/content_policy.is_single_emoji, and says so if not)."""
        field = QLineEdit()
        field.setObjectName("reactionEmoji")
        field.setPlaceholderText(content.other_emoji_placeholder())
        field.setAccessibleName(content.other_emoji_placeholder())
        field.setMaxLength(MAX_EMOJI_CODE_POINTS)

        def chosen() -> None:
            emoji = field.text().strip()
            if emoji:
                self.reactRequested.emit(message_id, emoji, True)
            menu.close()

        field.returnPressed.connect(chosen)
        action = QWidgetAction(menu)
        action.setDefaultWidget(field)
        return action

    def set_care_rule(self, may_care: MessageRule) -> None:
        """Which messages' authors the menu offers a care flag about."""
        self._may_care = may_care

    def menu_for(self, index: QModelIndex) -> QMenu | None:
        """The menu of the message at `index` (None for a day or a notice): it becomes the
        current, selected message."""
        row = index.data(ROW_ROLE) if index.isValid() else None
        if not isinstance(row, MessageRow):
            return None
        self.setCurrentIndex(index)
        message = row.message
        menu = QMenu(self)
        for button, label in self.message_model.presentation_of(message).buttons:
            # restoring is offered below, with its peers; reactions under "React"
            if button is not Button.RESTORE and not isinstance(button, ReactionChip):
                shown = menu.addAction(label)
                shown.triggered.connect(lambda _=False, b=button: self.press(message.id, b))
        self._add_content_actions(menu, message, self._collapsed(row))
        if not message.deleted and not self._collapsed(row):
            menu.addAction(self.copy_action)
            self._add_links(menu, message.text)
        if self._may_delete(message):
            delete = menu.addAction(moderation.delete_for_everyone())
            delete.triggered.connect(lambda: self.deleteRequested.emit(message.id))
        if self._may_care(message):
            care = menu.addAction(care_text.worried_about_author())
            care.triggered.connect(lambda: self.careRequested.emit(message.id))
        if self._may_report(message):
            report = menu.addAction(moderation.report_message())
            report.triggered.connect(lambda: self.reportRequested.emit(message.id))
        if self._may_flag(message):
            if message.flagged:
                flagged = menu.addAction(safety.flagged_action())
                flagged.setEnabled(False)
            else:
                flag = menu.addAction(safety.flag_harm_action())
                flag.triggered.connect(lambda: self.flagRequested.emit(message.id))
        if self._may_restore(message):
            restore = menu.addAction(safety.restore_message())
            restore.triggered.connect(lambda: self.restoreRequested.emit(message.id))
        if menu.isEmpty():
            menu.deleteLater()
            return None
        return menu

    def _add_links(self, menu: QMenu, text: str) -> None:
        """For each link of a message's text, "Open link to host…"."""
        for link in links.find_links(text):
            target = links.target_of(link.written)
            host = target.host if target is not None else link.written
            opening = menu.addAction(links_text.open_link_action(host))
            opening.triggered.connect(lambda _=False, w=link.written: self.linkRequested.emit(w))

    @Slot(QPoint)
    def _context_menu(self, position: QPoint) -> None:
        index = self.indexAt(position)
        if not index.isValid():
            # the menu key: the current message, wherever the pointer is
            index = self.currentIndex()
            position = self.visualRect(index).center()
        menu = self.menu_for(index)
        if menu is not None:
            menu.aboutToHide.connect(menu.deleteLater)
            menu.popup(self.viewport().mapToGlobal(position))
