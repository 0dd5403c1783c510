"""A gentle word above the composer when a draft reads like someone is in crisis.

Rules:
- The draft is checked on this computer only (peerapp.core.crisis_language, with the
  bundled phrase lists), ~300 ms after the last keystroke. Nothing about the check, its
  result or the prompt is sent, logged or stored; sending is never held back by it.
- A match shows the prompt: a small frame (never a modal) offering the crisis resources,
  telling a facilitator, or dismissing it. It takes no focus from the typing.
- A draft edited so it no longer matches hides the prompt again. Sending (or clearing)
  the draft leaves a shown prompt where it is: the offer still stands after a message
  that needed it went out.
- Dismiss hides it for this draft: it stays away however the draft changes until the
  draft has been sent or cleared and a new draft matches.
- Keyboard: the prompt's buttons come right after the text box in the Tab order; Escape
  in the prompt dismisses it. Screen readers are told when it appears (an alert).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAccessible, QAccessibleEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.crisis_language import CrisisMatch
from peerapp.ui import style
from peerapp.ui.text import common, crisis
from peerapp.ui.widgets.button_row import button_row

CHECK_DELAY_MS = 300

Check = Callable[[str], CrisisMatch | None]


class CrisisPrompt(QFrame):
    """The prompt itself: kind words and three buttons. Hidden until asked to show."""

    resourcesRequested = Signal()
    facilitatorRequested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crisisPrompt")
        self.setAccessibleName(crisis.crisis_prompt_name())
        self.setAccessibleDescription(crisis.crisis_prompt_text())
        self.text_label = QLabel(crisis.crisis_prompt_text())
        self.text_label.setWordWrap(True)
        self.private_label = QLabel(crisis.crisis_prompt_private())
        self.private_label.setWordWrap(True)
        style.set_role(self.private_label, "muted")
        self.resources_button = QPushButton(crisis.crisis_prompt_resources())
        self.resources_button.setAccessibleDescription(crisis.crisis_prompt_resources_hint())
        self.resources_button.setToolTip(crisis.crisis_prompt_resources_hint())
        self.facilitator_button = QPushButton(crisis.crisis_prompt_facilitator())
        self.facilitator_button.setAccessibleDescription(crisis.crisis_prompt_facilitator_hint())
        self.facilitator_button.setToolTip(crisis.crisis_prompt_facilitator_hint())
        self.dismiss_button = QPushButton(common.dismiss())
        self.dismiss_button.setAccessibleName(crisis.crisis_prompt_dismiss_name())
        self.dismiss_button.setAccessibleDescription(crisis.crisis_prompt_dismiss_hint())
        self.dismiss_button.setToolTip(crisis.crisis_prompt_dismiss_hint())
        style.set_role(self.dismiss_button, "quiet")
        for button in self.buttons():
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        buttons = button_row(
            (self.resources_button, self.facilitator_button), (self.dismiss_button,), spacing=8
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(self.text_label)
        layout.addWidget(self.private_label)
        layout.addLayout(buttons)

        self.resources_button.clicked.connect(self.resourcesRequested)
        self.facilitator_button.clicked.connect(self.facilitatorRequested)
        self.dismiss_button.clicked.connect(self.dismissed)
        self.hide()

    def buttons(self) -> list[QPushButton]:
        return [self.resources_button, self.facilitator_button, self.dismiss_button]

    def offer_facilitator(self, offered: bool) -> None:
        """Whether "Tell a facilitator" is offered: not where no one could hear it."""
        self.facilitator_button.setVisible(offered)

    def appear(self) -> None:
        if self.isVisible():
            return
        self.show()
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.dismissed.emit()
            return
        super().keyPressEvent(event)


class CrisisCheck(QObject):
    """Watches a text box and shows or hides the prompt (see the rules above)."""

    def __init__(
        self,
        edit: QPlainTextEdit,
        prompt: CrisisPrompt | None = None,
        check: Check | None = None,
        delay_ms: int = CHECK_DELAY_MS,
    ) -> None:
        super().__init__(edit)
        self.edit = edit
        self.prompt = CrisisPrompt() if prompt is None else prompt
        self._check = check
        self.dismissed = False  # for this draft: until it is sent or cleared
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.check_now)
        edit.textChanged.connect(self._text_changed)
        self.prompt.dismissed.connect(self.dismiss)

    def _order_tabs(self) -> None:
        """The prompt's buttons right after the text box in the Tab order (what followed
        the box follows them). Done when shown: by then both sit in the same window."""
        previous: QWidget = self.edit
        for button in self.prompt.buttons():
            if self.edit.window() is not button.window():
                return
            QWidget.setTabOrder(previous, button)
            previous = button

    def _matcher(self) -> Check:
        if self._check is None:
            # the lists are read once per process, on the first draft rather than at start
            from peerapp.engine.crisis_phrases import bundled_matcher  # noqa: PLC0415

            self._check = bundled_matcher().find
        return self._check

    @property
    def pending(self) -> bool:
        """Whether a check is waiting for the typing to pause."""
        return self._timer.isActive()

    @Slot()
    def _text_changed(self) -> None:
        if not self.edit.toPlainText().strip():
            # sent or cleared: a new draft may prompt again; a shown prompt stays
            self._timer.stop()
            self.dismissed = False
            return
        if not self.dismissed:
            self._timer.start()  # restarts: checks once the typing pauses

    @Slot()
    def check_now(self) -> None:
        self._timer.stop()
        if self.dismissed:
            return
        text = self.edit.toPlainText()
        if not text.strip():
            return
        if self._matcher()(text) is not None:
            self._order_tabs()
            self.prompt.appear()
        else:
            self.prompt.hide()

    @Slot()
    def dismiss(self) -> None:
        focused = QApplication.focusWidget()
        had_focus = focused is not None and self.prompt.isAncestorOf(focused)
        self._timer.stop()
        self.prompt.hide()
        if self.edit.toPlainText().strip():
            self.dismissed = True
        if had_focus:
            self.edit.setFocus()
