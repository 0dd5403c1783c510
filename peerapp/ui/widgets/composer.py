"""Writing to a circle: a growing text box, a Send button, a character counter, and the
reason when a message could not be sent.

Enter sends and Shift+Enter starts a new line. Near the limit a counter appears
("3,950 / 4,000"); over it, sending is blocked until the text is shortened. The draft is
only cleared once the engine has taken the message, so a failure never loses it.

The circle can hold the composer back (`set_holds`): while the person is muted it is
disabled and says until when ("You are muted until 14:05"); in slow mode, after a
message, it counts down until the next one may go ("You can send again in 24 s"), the
draft still editable. A one-second timer keeps the words current and lets go when the
time is up (`holdEnded`, so the pane can ask the engine again).

Below the text box, "Content warning" offers the listed topics and "Custom…" (a few words
of one's own, typed in a small box that opens in place); the chosen warning shows as a
removable chip above the text box, goes with the message (`content_warning`) and is
cleared once the message is sent. "Check in" asks the pane for the check-in dialog
(`checkInRequested`).

Replying and editing (issue 15): a quote bar above the text box says what the text goes
to ("Replying to Bee: …", or "Editing your message: …", the text put in the box to
change), with a close button; Escape closes it too (`answering`, read by the pane when
it sends). Sending clears it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontMetrics, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.circle_events import MAX_TEXT_CHARS
from peerapp.core.content_warnings import MAX_CW_CHARS, TOPICS, clean_label
from peerapp.ui import clock, style, timeline
from peerapp.ui.text import check_ins, content, conversation, moderation, navigation, safety
from peerapp.ui.widgets.crisis_prompt import CrisisCheck, CrisisPrompt

COUNTER_FROM = MAX_TEXT_CHARS - 200
MAX_VISIBLE_LINES = 8
BREATHING_ROOM = 6
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
HOLD_TICK_MS = 1000
MINUTE_MS = 60_000


@dataclass(frozen=True)
class Hold:
    """What keeps the composer from sending now: said in `text`; `muted` also stops
    typing. `text` None: nothing holds it."""

    text: str | None
    muted: bool = False


NO_HOLD = Hold(None)


def hold_at(now_ms: int, muted_until: int, next_send_at: int, mute_reason: str = "") -> Hold:
    """What holds the composer at `now_ms` (ms since the epoch, like the other two);
    `mute_reason`: the facilitator's words for the mute, said with it."""
    if muted_until > now_ms:
        # the minute it ends in, rounded up: "until 14:05" is never before the end
        until = timeline.local_time(-(-muted_until // MINUTE_MS) * MINUTE_MS)
        said = moderation.muted_until(until, timeline.local_time(now_ms))
        return Hold(moderation.with_reason(said, mute_reason), muted=True)
    if next_send_at > now_ms:
        seconds = -(-(next_send_at - now_ms) // 1000)  # rounded up: never "0 s"
        return Hold(moderation.send_again_in(seconds))
    return NO_HOLD


@dataclass(frozen=True)
class Answering:
    """What the composer's text goes to besides a new message: a reply to `message`, or
    (`editing`) a new text for our own `message`."""

    message: str
    editing: bool = False


class MessageEdit(QPlainTextEdit):
    """A plain text box where Enter submits and Shift+Enter breaks the line; Escape asks
    to stop replying or editing."""

    submitted = Signal()
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            event.accept()
            return
        if event.key() in ENTER_KEYS:
            modifiers = event.modifiers()
            if modifiers & Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText("\n")
                self.ensureCursorVisible()
            elif not modifiers & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            ):
                self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CustomWarningEdit(QLineEdit):
    """The small box for a content warning of one's own: Enter takes it, Escape closes."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class Composer(QFrame):
    sendRequested = Signal(str)
    holdEnded = Signal()  # a mute or a slow-mode wait is over
    checkInRequested = Signal()  # "Check in" was pressed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerBar")
        self.edit = MessageEdit()
        self.edit.setObjectName("composer")
        self.edit.setPlaceholderText(conversation.composer_placeholder())
        self.edit.setToolTip(conversation.composer_hint())
        self.edit.setTabChangesFocus(True)
        self.send_button = QPushButton(conversation.send())
        # its own (smaller) width: beside both side panels at 1024 px the text box kept too
        # little room for its placeholder (issue 14's walk under Xvfb)
        self.send_button.setObjectName("sendButton")
        style.mark_primary(self.send_button)
        self.send_button.setAutoDefault(False)
        # what a screen reader says for them (the placeholder is no name: it goes away)
        self.edit.setAccessibleName(navigation.composer_name())
        self.send_button.setAccessibleName(navigation.send_button_name())
        self._build_labels()

        self._row = row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.edit, 1)
        self._side = side = QVBoxLayout()
        side.setSpacing(4)
        side.addStretch(1)
        side.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignRight)
        side.addWidget(self.send_button)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.error_label)
        layout.addWidget(self.hold_label)
        self._add_crisis_prompt(layout)
        layout.addLayout(row)
        # notes a feature adds under the text box (add_note)
        self._notes = QVBoxLayout()
        self._notes.setSpacing(2)
        layout.addLayout(self._notes)
        self._build_warning_and_check_in(layout)
        self._build_context_bar(layout)

        self._sending = False
        self._muted_until = 0
        self._mute_reason = ""
        self._next_send_at = 0
        self._hold = NO_HOLD
        self._hold_timer = QTimer(self)
        self._hold_timer.setInterval(HOLD_TICK_MS)
        self._hold_timer.timeout.connect(self._show_hold)
        self.edit.textChanged.connect(self._text_changed)
        self.edit.submitted.connect(self.submit)
        self.send_button.clicked.connect(self.submit)
        self._text_changed()

    def add_side_tool(self, tool: QWidget) -> None:
        """A small tool (an icon button) over the Send button, in the Send column: the text
        box keeps its width (at 1024 px beside both side panels it has little to spare)."""
        self._side.insertWidget(1, tool, 0, Qt.AlignmentFlag.AlignRight)

    def add_note(self, note: QWidget) -> None:
        """A line a feature shows under the text box (e.g. what a picture was sent without)."""
        self._notes.addWidget(note)

    def _build_labels(self) -> None:
        """The character count, the last refusal and why sending waits (a mute, slow
        mode): each shown only while it has something to say."""
        self.counter = QLabel()
        style.set_role(self.counter, "counter")
        self.counter.hide()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        style.set_role(self.error_label, "error")
        self.error_label.hide()
        self.hold_label = QLabel()
        self.hold_label.setObjectName("composerHold")
        self.hold_label.setTextFormat(Qt.TextFormat.PlainText)  # a mute's reason: their words
        self.hold_label.setWordWrap(True)
        style.set_role(self.hold_label, "muted")
        self.hold_label.hide()

    def _build_warning_and_check_in(self, layout: QVBoxLayout) -> None:
        """The chip of the chosen warning goes just above the text box (the last row of
        `layout`); "Content warning" and "Check in" beside it, on its left."""
        self._build_warning_chip()
        layout.insertWidget(layout.count() - 1, self.warning_area)
        self._content_warning = ""
        self.cw_menu = QMenu(self)
        for topic in TOPICS:
            action = self.cw_menu.addAction(safety.cw_name(topic))
            action.triggered.connect(lambda _=False, t=topic: self.set_content_warning(t))
        self.cw_menu.addSeparator()
        self.cw_custom_action = self.cw_menu.addAction(safety.cw_custom_choice())
        self.cw_custom_action.triggered.connect(self.ask_custom_warning)
        self.cw_button = QToolButton()
        self.cw_button.setObjectName("contentWarningButton")
        self.cw_button.setText(safety.cw_button())
        self.cw_button.setToolTip(safety.cw_button_tooltip())
        self.cw_button.setMenu(self.cw_menu)
        self.cw_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.check_in_button = QPushButton(check_ins.check_in_button())
        self.check_in_button.setToolTip(check_ins.check_in_tooltip())
        self.check_in_button.setAutoDefault(False)
        style.set_role(self.check_in_button, "quiet")
        self.check_in_button.clicked.connect(self.checkInRequested)
        # beside the text box, not in a row of their own: the conversation keeps the
        # height (issue 14: a 640 px tall window left about 340 px for it)
        self.tools_row = QHBoxLayout()
        self.tools_row.setSpacing(6)
        self.tools_row.addWidget(self.cw_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.tools_row.addWidget(self.check_in_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._row.insertLayout(0, self.tools_row)

    def _build_context_bar(self, layout: QVBoxLayout) -> None:
        """The quote bar above the text box while replying or editing, with a close
        button (Escape in the text box closes it too)."""
        self.context_bar = QFrame()
        self.context_bar.setObjectName("composerContext")
        self.context_label = QLabel()
        self.context_label.setObjectName("composerContextText")
        style.set_role(self.context_label, "muted")
        self.context_close = QToolButton()
        self.context_close.setText("×")
        self.context_close.setToolTip(content.cancel_context_name())
        self.context_close.setAccessibleName(content.cancel_context_name())
        self.context_close.clicked.connect(self.clear_answering)
        bar = QHBoxLayout(self.context_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        bar.addWidget(self.context_label, 1)
        bar.addWidget(self.context_close)
        self.context_bar.hide()
        layout.insertWidget(layout.count() - 1, self.context_bar)
        self._answering: Answering | None = None
        self.edit.escaped.connect(self.clear_answering)

    # -- replying and editing -------------------------------------------------------------

    @property
    def answering(self) -> Answering | None:
        return self._answering

    def set_reply(self, message: str, name: str, text: str) -> None:
        """Answer `message` (by `name`, saying `text`): the quote bar shows it; the draft
        stays."""
        self._set_answering(Answering(message), content.replying_to(name, _one_line(text)))
        self.edit.setFocus()

    def set_edit(self, message: str, text: str) -> None:
        """Edit our own `message`: its text goes into the box to change."""
        self._set_answering(Answering(message, editing=True), content.editing(_one_line(text)))
        self.edit.setPlainText(text)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        self.edit.setFocus()

    def _set_answering(self, answering: Answering, words: str) -> None:
        self._answering = answering
        metrics = QFontMetrics(self.context_label.font())
        width = max(self.width() - 80, 200)
        self.context_label.setText(metrics.elidedText(words, Qt.TextElideMode.ElideRight, width))
        self.context_label.setToolTip(words)
        self.context_bar.show()

    @Slot()
    def clear_answering(self) -> None:
        """Back to writing a new message (an edit's text leaves the box)."""
        if self._answering is not None and self._answering.editing:
            self.edit.clear()
        self._answering = None
        self.context_bar.hide()

    def _build_warning_chip(self) -> None:
        """The chosen warning, with a button that removes it, and the box for one's own."""
        self.cw_chip = QFrame()
        self.cw_chip.setObjectName("contentWarningChip")
        self.cw_chip_label = QLabel()
        style.set_role(self.cw_chip_label, "badge")
        self.cw_remove_button = QToolButton()
        self.cw_remove_button.setText("×")
        self.cw_remove_button.setToolTip(safety.cw_remove())
        self.cw_remove_button.setAccessibleName(safety.cw_remove())
        self.cw_remove_button.clicked.connect(self.clear_content_warning)
        chip = QHBoxLayout(self.cw_chip)
        chip.setContentsMargins(0, 0, 0, 0)
        chip.setSpacing(4)
        chip.addWidget(self.cw_chip_label)
        chip.addWidget(self.cw_remove_button)
        chip.addStretch(1)
        self.cw_chip.hide()
        self.cw_custom_edit = CustomWarningEdit()
        self.cw_custom_edit.setObjectName("customWarning")
        self.cw_custom_edit.setPlaceholderText(safety.cw_custom_label())
        self.cw_custom_edit.setAccessibleName(safety.cw_custom_title())
        self.cw_custom_edit.setMaxLength(MAX_CW_CHARS)
        self.cw_custom_edit.returnPressed.connect(self.take_custom_warning)
        self.cw_custom_edit.cancelled.connect(self._close_custom_warning)
        self.cw_custom_edit.hide()
        self.warning_area = QWidget()
        area = QVBoxLayout(self.warning_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.setSpacing(6)
        area.addWidget(self.cw_chip)
        area.addWidget(self.cw_custom_edit)

    # -- the content warning ------------------------------------------------------------

    @property
    def content_warning(self) -> str:
        """The warning that goes with the message: a topic key, a label, or ""."""
        return self._content_warning

    def set_content_warning(self, cw: str) -> None:
        self._content_warning = cw
        self.cw_chip_label.setText(safety.cw_label(cw) if cw else "")
        self.cw_chip.setVisible(bool(cw))
        self.cw_custom_edit.hide()
        self.edit.setFocus()

    @Slot()
    def clear_content_warning(self) -> None:
        self.set_content_warning("")

    @Slot()
    def ask_custom_warning(self) -> None:
        """Open the small box for a warning of one's own."""
        self.cw_custom_edit.clear()
        self.cw_custom_edit.show()
        self.cw_custom_edit.setFocus()

    @Slot()
    def take_custom_warning(self) -> None:
        try:
            label = clean_label(self.cw_custom_edit.text())
        except ValueError as error:
            self.show_error(str(error))
            return
        self.clear_error()
        self.set_content_warning(label)

    @Slot()
    def _close_custom_warning(self) -> None:
        self.cw_custom_edit.hide()
        self.edit.setFocus()

    def _add_crisis_prompt(self, layout: QVBoxLayout) -> None:
        """The on-device check of the draft and its prompt, above the text box; it never
        holds back sending (peerapp.ui.widgets.crisis_prompt)."""
        self.crisis_check = CrisisCheck(self.edit)
        layout.addWidget(self.crisis_check.prompt)

    @property
    def crisis_prompt(self) -> CrisisPrompt:
        """The gentle prompt shown above the text box when a draft reads like a crisis."""
        return self.crisis_check.prompt

    # -- state --------------------------------------------------------------------------

    def text(self) -> str:
        """What would be sent: the draft without surrounding blank space."""
        return self.edit.toPlainText().strip()

    def can_send(self) -> bool:
        text = self.text()
        held = self._hold.text is not None
        return bool(text) and len(text) <= MAX_TEXT_CHARS and not self._sending and not held

    @property
    def hold(self) -> Hold:
        return self._hold

    def set_holds(self, muted_until: int, next_send_at: int) -> None:
        """Hold back sending until these times (ms since the epoch; 0: no hold)."""
        self._muted_until = max(muted_until, 0)
        self._next_send_at = max(next_send_at, 0)
        self._show_hold()

    def set_mute_reason(self, reason: str) -> None:
        """Why the latest mute of us was given (the moderation log's), said while muted."""
        if reason != self._mute_reason:
            self._mute_reason = reason
            self._show_hold()

    @Slot()
    def _show_hold(self) -> None:
        was_held = self._hold.text is not None
        now = clock.now_ms()
        self._hold = hold_at(now, self._muted_until, self._next_send_at, self._mute_reason)
        held = self._hold.text is not None
        self.hold_label.setText(self._hold.text or "")
        self.hold_label.setVisible(held)
        self.edit.setEnabled(not self._hold.muted)
        if held and not self._hold_timer.isActive():
            self._hold_timer.start()
        elif not held:
            self._hold_timer.stop()
        self._refresh()
        if was_held and not held:
            self.holdEnded.emit()

    @property
    def sending(self) -> bool:
        return self._sending

    @Slot()
    def submit(self) -> None:
        """Hand the draft over (once: it stays read-only until `sent` or `failed`)."""
        if self.can_send():
            text = self.text()
            self.set_sending(True)
            self.sendRequested.emit(text)

    def set_sending(self, sending: bool) -> None:
        """While the engine takes the message the draft is read-only, so nothing typed
        meanwhile is lost when it is cleared."""
        self._sending = sending
        self.edit.setReadOnly(sending)
        # the warning goes with the message being sent: it stays as it is meanwhile
        self.cw_button.setEnabled(not sending)
        self.cw_remove_button.setEnabled(not sending)
        if sending:
            self.clear_error()
        self._refresh()

    def sent(self) -> None:
        self.edit.clear()
        self.clear_content_warning()
        self.clear_answering()
        self.set_sending(False)
        self.edit.setFocus()

    def failed(self, reason: str) -> None:
        self.set_sending(False)
        self.show_error(reason)
        self.edit.setFocus()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # -- reacting to typing -------------------------------------------------------------

    @Slot()
    def _text_changed(self) -> None:
        count = len(self.text())
        over = count > MAX_TEXT_CHARS
        self.counter.setVisible(count >= COUNTER_FROM)
        self.counter.setText(conversation.character_count(count, MAX_TEXT_CHARS))
        self.counter.setToolTip(conversation.too_long(MAX_TEXT_CHARS) if over else "")
        style.set_role(self.counter, "counter-over" if over else "counter")
        self._fit_height()
        self._refresh()

    def _refresh(self) -> None:
        self.send_button.setEnabled(self.can_send())

    def _fit_height(self) -> None:
        # a QPlainTextEdit's document height is counted in (wrapped) lines
        lines = max(1, min(int(self.edit.document().size().height()), MAX_VISIBLE_LINES))
        line_height = QFontMetrics(self.edit.font()).lineSpacing()
        margins = self.edit.contentsMargins()  # the stylesheet's border and padding
        document_margin = int(self.edit.document().documentMargin() * 2)
        extra = margins.top() + margins.bottom() + document_margin + BREATHING_ROOM
        self.edit.setFixedHeight(lines * line_height + extra)
        # a scroll bar only once the box has stopped growing
        self.edit.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if lines >= MAX_VISIBLE_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()  # the stylesheet's padding is known only once shown


def _one_line(text: str) -> str:
    return " ".join(text.split())
