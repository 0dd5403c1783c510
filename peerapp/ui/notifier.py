"""Telling the person about new messages when they are not looking, and the tray icon.

By default a notification names only the circle ("New message in Tuesday circle"): the
screen may be seen by others, so the text and the author appear only when the person has
asked for them (Preferences.show_message_text).

Messages that arrive together (a burst, or what a member sends on catching up) make one
notification per circle ("3 new messages in Tuesday circle"), not one each.

A message that arrives while its circle is silenced (a break or quiet hours: the engine
marks its `message` event silent) raises nothing at all; it is only counted in
`held_back`, so tests can see the silence was chosen rather than missed.

A private message has a notification of its own, at once (private talk is one person
writing, not a burst), saying as much as a circle message would: with MESSAGE the author
and the text, with CIRCLE only "A private message in <circle>" (no name, as a circle
message's says none), with NOTHING none; a silent one none (`private_message_arrived`).

A care flag (a member is worried about someone; facilitators only) has a notification of
its own, gentle and naming only the circle (`care_flag_arrived`); it is not a message.

How much a notification says is the person's choice (Preferences.notification_detail):
the author, circle and text; the circle only (the default); or nothing at all, when only
the window title's count tells.

Where it shows (`route`, by ROUTES at the top): the tray icon's balloon where the desktop
has a tray; else the desktop's notification service over D-Bus (stock GNOME and others
have no tray: peerapp.ui.desktop_notifications); else nowhere but the window title's
count, which the main window keeps whatever the route.

Every notification is kept in `shown` (title and body, for this run only and never
logged) so tests, and anything else that wants to, can see what was said.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from peerapp.core.events import MessageView
from peerapp.ui.desktop_notifications import DesktopNotifications
from peerapp.ui.preferences import NotificationDetail, Preferences
from peerapp.ui.resources import app_icon, resource_path
from peerapp.ui.text import app_window, care, check_ins, common, notifications
from peerapp.ui.widgets.message_model import Look, presentation

log = logging.getLogger(__name__)

BODY_CHARS = 160
SHOW_MS = 6000
BATCH_MS = 400  # messages this close together make one notification


class Route(Enum):
    """Where notifications show, first that the desktop offers wins (`Notifier.route`)."""

    TRAY = "tray"  # the tray icon's balloon
    DESKTOP = "desktop"  # org.freedesktop.Notifications over D-Bus
    TITLE = "title"  # nowhere: the window title's "(1) Hearth" only


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

    def __init__(
        self,
        preferences: Preferences,
        parent: QObject | None = None,
        *,
        desktop: DesktopNotifications | None = None,
    ) -> None:
        """`desktop`: the notification service to use without a tray (default: the one
        on the user's session bus; tests give one on a private bus)."""
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
        self.desktop = desktop or DesktopNotifications(
            common.app_name(), resource_path("icons", "hearth.svg").as_uri()
        )

    @property
    def route(self) -> Route:
        """Where a notification shows now (the desktop service is looked for once)."""
        if self.tray is not None and self.tray.isVisible():
            return Route.TRAY
        if self.desktop.available:
            return Route.DESKTOP
        return Route.TITLE

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

    def private_message_arrived(
        self,
        circle: str,
        circle_name: str,
        author_name: str,
        text: str,
        silent: bool = False,
    ) -> None:
        """A private message reached us: told about at once, as much as the person chose
        for circle messages (see the module's docstring). A `silent` one (a break or
        quiet hours) is told about never: it waits behind the badge on its author."""
        if silent:
            self.held_back += 1
            return
        if self.preferences.notification_detail is NotificationDetail.MESSAGE:
            body = " ".join(text.split())
            if len(body) > BODY_CHARS:
                body = body[: BODY_CHARS - 1].rstrip() + "…"
            title = notifications.private_message_title(author_name, circle_name)
            self._show(Notification(circle, title, body))
        else:
            body = notifications.private_message_in(circle_name)
            self._show(Notification(circle, common.app_name(), body))

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
        show_text = self.preferences.notification_detail is NotificationDetail.MESSAGE
        for circle, (circle_name, batch) in pending.items():
            self._show(notification_for(circle, circle_name, batch, show_text))

    def _show(self, notification: Notification) -> None:
        if not self.preferences.notify:
            return  # the person chose none: the window title's count tells
        self.shown.append(notification)
        route = self.route
        if route is Route.TRAY and self.tray is not None:
            self.tray.showMessage(notification.title, notification.body, app_icon(), SHOW_MS)
        elif route is Route.DESKTOP:
            self.desktop.notify(notification.title, notification.body, SHOW_MS)

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
        self.desktop.close()
