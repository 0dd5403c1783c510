"""Telling the person about new messages when they are not looking, and the tray icon.

By default a notification names only the circle ("New message in Tuesday circle"): the
screen may be seen by others, so the text and the author appear only when the person has
asked for them (Preferences.show_message_text).

Messages that arrive together (a burst, or what a member sends on catching up) make one
notification per circle ("3 new messages in Tuesday circle"), not one each.

A message that arrives while its circle is silenced (a break or quiet hours: the engine
marks its `message` event silent) raises nothing at all; it is only counted in
`held_back`, so tests can see the silence was chosen rather than missed.

A care flag (a member is worried about someone; facilitators only) has a notification of
its own, gentle and naming only the circle (`care_flag_arrived`); it is not a message.

Every notification is kept in `shown` (title and body, for this run only and never
logged) so tests, and anything else that wants to, can see what was said. The tray icon
exists only where the desktop has a tray; without one, notifications are recorded but
there is nowhere to show them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from peerapp.core.events import MessageView
from peerapp.ui.preferences import Preferences
from peerapp.ui.resources import app_icon
from peerapp.ui.text import app_window, care, check_ins, common, notifications
from peerapp.ui.widgets.message_model import Look, presentation

log = logging.getLogger(__name__)

BODY_CHARS = 160
SHOW_MS = 6000
BATCH_MS = 400  # messages this close together make one notification


@dataclass(frozen=True, repr=False)
class Notification:
    circle: str
    title: str
    body: str

    def __repr__(self) -> str:  # keeps message text out of logs and failure reports
        return f"<Notification for circle {self.circle[:8]}>"


def notified_text(message: MessageView) -> str:
    """What a notification may say of a message: never the text of one that shows
    collapsed (behind its content warning, or hidden pending review), only its label; a
    check-in in words."""
    shown = presentation(message, revealed=False, reviewer=False)
    if shown.collapsed:
        return shown.text
    if shown.look is Look.CHECK_IN:
        mood = check_ins.mood_name(message.mood)
        return f"{mood} · {message.text}" if message.text else mood
    return message.text


def notification_for(
    circle: str, circle_name: str, batch: Sequence[MessageView], show_text: bool
) -> Notification:
    """One notification for messages that arrived together in one circle."""
    count = len(batch)
    if not show_text:
        return Notification(
            circle, common.app_name(), notifications.new_messages_in(circle_name, count)
        )
    latest = batch[-1]
    body = " ".join(notified_text(latest).split())
    if count > 1:
        body = notifications.latest_of(count, latest.author_name, body)
        title = circle_name
    else:
        title = notifications.message_title(latest.author_name, circle_name)
    if len(body) > BODY_CHARS:
        body = body[: BODY_CHARS - 1].rstrip() + "…"
    return Notification(circle, title, body)


class Notifier(QObject):
    showRequested = Signal()
    quitRequested = Signal()

    def __init__(self, preferences: Preferences, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self.shown: list[Notification] = []
        self.held_back = 0  # messages not told about because their circle was on a break
        self.tooltip = notifications.unread_tooltip(0)
        self._pending: dict[str, tuple[str, list[MessageView]]] = {}
        self._batch = QTimer(self)
        self._batch.setSingleShot(True)
        self._batch.setInterval(BATCH_MS)
        self._batch.timeout.connect(self.flush)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = self._make_tray()

    def _make_tray(self) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(app_icon(), self)
        menu = QMenu()
        menu.addAction(app_window.show_window_action(), self.showRequested.emit)
        menu.addSeparator()
        menu.addAction(app_window.quit_action(), self.quitRequested.emit)
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

    def message_arrived(
        self, circle: str, circle_name: str, message: MessageView, silent: bool = False
    ) -> None:
        """Note a message to tell about; the notification follows once the burst is over.
        A `silent` one (its circle is on a break) is told about never."""
        if silent:
            self.held_back += 1
            return
        _, batch = self._pending.get(circle, (circle_name, []))
        self._pending[circle] = (circle_name, [*batch, message])
        if not self._batch.isActive():
            self._batch.start()

    def care_flag_arrived(self, circle: str, circle_name: str, silent: bool = False) -> None:
        """A care flag reached us as a facilitator: a notification of its own, at once and
        whatever the text preference, that names only the circle (never the note, the
        member or who sent it: the screen may be seen by others). A `silent` one (the
        circle is on a break) is told about never: it waits in the care flags list."""
        if silent:
            self.held_back += 1
            return
        self._show(
            Notification(
                circle,
                care.care_flag_notification_title(),
                care.care_flag_notification(circle_name),
            )
        )

    @Slot()
    def flush(self) -> None:
        """Tell now about every message still waiting for its burst to end."""
        self._batch.stop()
        pending, self._pending = self._pending, {}
        show_text = self.preferences.show_message_text
        for circle, (circle_name, batch) in pending.items():
            self._show(notification_for(circle, circle_name, batch, show_text))

    def _show(self, notification: Notification) -> None:
        self.shown.append(notification)
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(notification.title, notification.body, app_icon(), SHOW_MS)

    def set_unread(self, total: int) -> None:
        self.tooltip = notifications.unread_tooltip(total)
        if self.tray is not None:
            self.tray.setToolTip(self.tooltip)

    def close(self) -> None:
        """Take the icon out of the tray (the window that owns it is going away)."""
        self._batch.stop()
        self._pending.clear()
        if self.tray is not None:
            self.tray.hide()
