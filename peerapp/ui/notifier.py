"""Telling the person about new messages when they are not looking, and the tray icon.

By default a notification names only the circle ("New message in Tuesday circle"): the
screen may be seen by others, so the text and the author appear only when the person has
asked for them (Preferences.show_message_text).

Every notification is kept in `shown` (title and body, for this run only and never
logged) so tests, and anything else that wants to, can see what was said. The tray icon
exists only where the desktop has a tray; without one, notifications are recorded but
there is nowhere to show them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from peerapp.core.events import MessageView
from peerapp.ui import messages
from peerapp.ui.preferences import Preferences
from peerapp.ui.resources import app_icon

log = logging.getLogger(__name__)

BODY_CHARS = 160
SHOW_MS = 6000


@dataclass(frozen=True, repr=False)
class Notification:
    circle: str
    title: str
    body: str

    def __repr__(self) -> str:  # keeps message text out of logs and failure reports
        return f"<Notification for circle {self.circle[:8]}>"


def notification_for(
    circle: str, circle_name: str, message: MessageView, show_text: bool
) -> Notification:
    if not show_text:
        return Notification(circle, messages.APP_NAME, messages.new_message_in(circle_name))
    body = " ".join(message.text.split())
    if len(body) > BODY_CHARS:
        body = body[: BODY_CHARS - 1].rstrip() + "…"
    return Notification(circle, messages.message_title(message.author_name, circle_name), body)


class Notifier(QObject):
    showRequested = Signal()
    quitRequested = Signal()

    def __init__(self, preferences: Preferences, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self.shown: list[Notification] = []
        self.tooltip = messages.unread_tooltip(0)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = self._make_tray()

    def _make_tray(self) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(app_icon(), self)
        menu = QMenu()
        menu.addAction(messages.SHOW_WINDOW_ACTION, self.showRequested.emit)
        menu.addSeparator()
        menu.addAction(messages.QUIT_ACTION, self.quitRequested.emit)
        self._menu = menu  # the tray does not take ownership of its menu
        tray.setContextMenu(menu)
        tray.setToolTip(self.tooltip)
        tray.activated.connect(self._activated)
        tray.show()
        return tray

    @Slot(QSystemTrayIcon.ActivationReason)
    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.showRequested.emit()

    def message_arrived(self, circle: str, circle_name: str, message: MessageView) -> None:
        notification = notification_for(
            circle, circle_name, message, self.preferences.show_message_text
        )
        self.shown.append(notification)
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(notification.title, notification.body, app_icon(), SHOW_MS)

    def set_unread(self, total: int) -> None:
        self.tooltip = messages.unread_tooltip(total)
        if self.tray is not None:
            self.tray.setToolTip(self.tooltip)

    def close(self) -> None:
        """Take the icon out of the tray (the window that owns it is going away)."""
        if self.tray is not None:
            self.tray.hide()
