"""Help one key away, everywhere: the app's one "Get help now" window, and F1 in any window.

Rules:
- One help window for the whole app (`open_help`): opened if none is open, else shown,
  raised and focused. It is the crisis directory (CrisisHelpDialog), which needs no
  engine, profile or network, so it opens on the welcome and unlock screens too.
- It opens above ANY dialog, modal ones included. Qt's window modality blocks a modal
  dialog's parent chain, and every window whose own chain (parents and transient
  parents) meets it; an application-modal dialog blocks every other window. So:
  - the help window has no parent (a top-level window of its own, in no dialog's chain),
    and is non-modal: someone can read a number while the dialog they were in waits;
  - the app's dialogs are window-modal (`QDialog.open()`), never application-modal
    (`exec()`), so they block only their own window (main_window's `_open_dialog`).
- F1 anywhere: an event filter on the QApplication sees each key press before the
  focused widget does, whichever window has the focus, a modal dialog included. (A
  QAction shortcut, even an application-wide one, does not fire while a modal dialog
  blocks the widget it belongs to.) The main window's F1 action leads here too.
- Keeping the filter cheap: it is asked about every event of the app, so it looks at the
  event type first and returns at once for anything but a key press.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog

HELP_KEY = Qt.Key.Key_F1
# a key press with these held still means F1 (the keypad flag comes with some layouts)
IGNORED_MODIFIERS = Qt.KeyboardModifier.KeypadModifier


class HelpDesk(QObject):
    """Owns the help window and listens for F1 across the application."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName("helpDesk")
        self.window: CrisisHelpDialog | None = None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False  # the common case, first and cheap
        if not isinstance(event, QKeyEvent):
            return False
        modifiers = event.modifiers() & ~IGNORED_MODIFIERS
        if event.key() != HELP_KEY or modifiers != Qt.KeyboardModifier.NoModifier:
            return False
        if not event.isAutoRepeat():
            self.open()
        return True  # F1 means help everywhere; no widget gets it for anything else

    @Slot()
    def open(self) -> CrisisHelpDialog:
        window = self.window
        if window is not None and shiboken6.isValid(window):
            window.showNormal()
        else:
            window = CrisisHelpDialog()  # no parent: in no modal dialog's window chain
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.setWindowModality(Qt.WindowModality.NonModal)
            window.finished.connect(self._closed)
            self.window = window
            window.show()
        window.raise_()
        window.activateWindow()
        # the keyboard starts where help starts: choosing the country
        window.country_box.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        return window

    def current(self) -> CrisisHelpDialog | None:
        """The help window while it is open."""
        window = self.window
        if window is None or not shiboken6.isValid(window) or not window.isVisible():
            return None
        return window

    @Slot()
    def _closed(self) -> None:
        self.window = None


_desk: HelpDesk | None = None


def help_desk() -> HelpDesk:
    """The application's help desk, made (and its F1 filter installed) on first use."""
    global _desk  # noqa: PLW0603 - one per application, like the QApplication itself
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("the help desk needs a QApplication")
    if _desk is None or not shiboken6.isValid(_desk) or _desk.parent() is not app:
        _desk = HelpDesk(app)
    return _desk


def open_help() -> CrisisHelpDialog:
    """Open (or bring forward) the one help window, from wherever it was asked."""
    return help_desk().open()


def open_help_window() -> CrisisHelpDialog | None:
    """The help window while it is open, else None."""
    return help_desk().current()
