"""The frame every Hearth dialog shares: heading, explanation, a form, an inline error,
a busy state, and a button row with one primary action.

Work that takes time (Argon2id, the engine) runs while the dialog is busy: inputs and
buttons are disabled and a request to close is remembered rather than lost, so the work
never finishes into a dialog that is already gone.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.errors import HearthError
from peerapp.ui import style
from peerapp.ui.async_slot import still_alive
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.help_desk import open_help, open_help_window
from peerapp.ui.text import common, crisis, errors
from peerapp.ui.widgets.busy import BusyIndicator

log = logging.getLogger(__name__)

T = TypeVar("T")

DIALOG_WIDTH = 460


@dataclass
class ReadOrder:
    """Which read of a listing dialog was asked last, and which one it shows."""

    asked: int = 0
    shown: int = 0


MARGIN = 28


class FormDialog(QDialog):
    def __init__(
        self,
        *,
        title: str,
        heading: str,
        explanation: str,
        primary_text: str,
        secondary_text: str = common.cancel(),
        offer_help: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        # a dialog that lists what the engine says: shown yet, and which read (read_latest)
        self.loaded = False
        self.reads = ReadOrder()
        self.heading_label = QLabel(heading)
        style.set_role(self.heading_label, "heading")
        self.explanation_label = QLabel(explanation)
        self.explanation_label.setWordWrap(True)
        # subclasses put their fields in `body`; disabling it disables them all at once
        self.body = QWidget()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        style.set_role(self.error_label, "error")
        self.error_label.hide()
        self.busy_indicator = BusyIndicator()
        self.secondary_button = QPushButton(secondary_text)
        self.secondary_button.setAutoDefault(False)
        self.secondary_button.clicked.connect(self.reject)
        self.primary_button = QPushButton(primary_text)
        self.primary_button.setDefault(True)
        style.mark_primary(self.primary_button)

        buttons = QHBoxLayout()
        # "Get help now" before there is a profile or while it is locked: someone in crisis
        # must not need a passphrase (or the engine) to find a number to call
        self.help_button: QPushButton | None = None
        if offer_help:
            self.help_button = QPushButton(crisis.get_help_now())
            self.help_button.setObjectName("getHelpNow")
            self.help_button.setToolTip(crisis.get_help_now_hint())
            self.help_button.setAutoDefault(False)
            self.help_button.clicked.connect(open_help)
            buttons.addWidget(self.help_button)
        buttons.addStretch(1)
        buttons.addWidget(self.secondary_button)
        buttons.addWidget(self.primary_button)
        layout = QVBoxLayout(self)
        # The dialog takes exactly the size its content needs and follows it as messages
        # and the busy line come and go; without this, wrapped sentences (whose height
        # depends on the width) are squeezed over the fields.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.setContentsMargins(MARGIN, 24, MARGIN, 20)
        self.body.setMinimumWidth(DIALOG_WIDTH - 2 * MARGIN)
        layout.setSpacing(12)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.explanation_label)
        layout.addSpacing(4)
        layout.addWidget(self.body)
        layout.addWidget(self.error_label)
        layout.addWidget(self.busy_indicator)
        layout.addSpacing(4)
        layout.addLayout(buttons)

        self._submittable = False
        self._busy = False
        self._reject_when_idle = False
        self.primary_button.setEnabled(False)

    # -- state --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def set_submittable(self, submittable: bool) -> None:
        self._submittable = submittable
        self._refresh_buttons()

    def set_busy(self, text: str) -> None:
        self._busy = True
        self.clear_error()
        self.busy_indicator.start(text)
        self.body.setEnabled(False)
        self._refresh_buttons()

    def set_idle(self) -> None:
        self._busy = False
        self.busy_indicator.finish()
        self.body.setEnabled(True)
        self._refresh_buttons()
        if self._reject_when_idle:
            self._reject_when_idle = False
            super().reject()

    def finish_accepted(self) -> None:
        """The work succeeded: close as accepted, even if a close was asked meanwhile,
        because what was asked for (a profile, a new passphrase) now exists."""
        self._busy = False
        self._reject_when_idle = False
        self.busy_indicator.finish()
        self.accept()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def _refresh_buttons(self) -> None:
        self.primary_button.setEnabled(self._submittable and not self._busy)
        self.secondary_button.setEnabled(not self._busy)

    @property
    def crisis_help(self) -> CrisisHelpDialog | None:
        """The app's help window while it is open (peerapp.ui.help_desk): "Get help now"
        opens it above this dialog, never blocked by its modality or its busy state."""
        return open_help_window()

    # -- closing ------------------------------------------------------------------------

    def reject(self) -> None:
        if self._busy:
            # The work goes on in its thread whatever the dialog does; closing now would
            # leave the person not knowing whether it happened. Close once it is done.
            self._reject_when_idle = True
            return
        super().reject()


def cancel_by_default(dialog: FormDialog) -> None:
    """For a step that cannot be taken back (removing, banning, muting, deleting): Cancel
    is the default and has the focus, so Enter alone never does it; but Enter on the
    focused confirm button presses that button (both are auto-default, and
    peerapp.ui.keyboard makes Enter press whichever button has the focus)."""
    dialog.primary_button.setDefault(False)
    dialog.primary_button.setAutoDefault(True)
    dialog.secondary_button.setAutoDefault(True)
    dialog.secondary_button.setDefault(True)
    dialog.secondary_button.setFocus()


async def read_latest(
    dialog: FormDialog,
    loading: str,
    to_read: str,
    request: Callable[[], Awaitable[T]],
) -> T | None:
    """What a listing dialog shows, read from the engine: busy with `loading` until it is
    first shown; None when the read failed (its error shown, `to_read` naming it) or a
    newer read overtook this one (answers can overtake each other, and an older one must
    not undo a newer one)."""
    dialog.reads.asked += 1
    asked = dialog.reads.asked
    if not dialog.loaded:
        dialog.set_busy(loading)
    try:
        result = await request()
    except Exception as error:  # whatever failed, the dialog says so and stays usable
        if still_alive(dialog):
            if dialog.busy:
                dialog.set_idle()
            dialog.show_error(failure_message(error, to_read))
        return None
    if not still_alive(dialog) or asked < dialog.reads.shown:
        return None
    dialog.reads.shown = asked
    if dialog.busy:
        dialog.set_idle()
    return result


def failure_message(error: Exception, what: str) -> str:
    """What to tell the person when `what` failed with `error`; never a traceback."""
    if isinstance(error, HearthError):
        return error.message
    if isinstance(error, OSError):
        return errors.could_not(what, error.strerror or type(error).__name__)
    log.error("%s failed unexpectedly", what, exc_info=error)
    return errors.unexpected_error(type(error).__name__)
