"""Notifications through the desktop's own notification service, for desktops with no
system tray (stock GNOME and others): `org.freedesktop.Notifications` `Notify` over the
D-Bus session bus.

Spoken with jeepney (pure Python, no C library): PySide6's QtDBus cannot make the typed
arguments `Notify` wants (an unsigned id, a string array) from Python values.

Rules:
- the service is looked for once, at the first notification: a name on the session bus
  that has an owner now or can be started on demand (most notification daemons are
  D-Bus activated);
- a notification is sent and not waited for: a desktop service that hangs must never
  freeze the window; its replies are read (and dropped) without waiting before the next;
- anything that goes wrong (no session bus, no service, the bus gone) makes this say
  "unavailable", logged without the notification's words, and the notifier falls back
  to the window title's count.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"  # app, replaces id, icon, summary, body, actions, hints, ms
BUS_TIMEOUT_S = 1.0  # asking the bus daemon (local, answers in well under a millisecond)
MAX_REPLIES_DRAINED = 64  # per notification sent: bounded, whatever the service sends
SESSION = "SESSION"


class DesktopNotifications:
    """The desktop's notification service on one session bus (`bus`: "SESSION" for the
    user's, or a bus address: tests start a private bus)."""

    def __init__(self, app_name: str, icon: str, bus: str = SESSION) -> None:
        self._app_name = app_name
        self._icon = icon
        self._bus = bus
        self._connection: Any = None
        self._checked = False
        self._available = False
        self.sent = 0

    @property
    def available(self) -> bool:
        """Whether the service is there (asked of the bus the first time only)."""
        if not self._checked:
            self._checked = True
            self._available = self._connect()
        return self._available

    def notify(self, title: str, body: str, timeout_ms: int) -> bool:
        """Show one notification; False when the service cannot be reached (say it
        another way)."""
        if not self.available:
            return False
        address = DBusAddress(OBJECT_PATH, bus_name=SERVICE, interface=SERVICE)
        message = new_method_call(
            address,
            "Notify",
            NOTIFY_SIGNATURE,
            (self._app_name, 0, self._icon, title, body, [], {}, timeout_ms),
        )
        try:
            self._drain()
            self._connection.send(message)
        except OSError as error:
            log.info("desktop notifications stopped: %s", type(error).__name__)
            self.close()
            self._available = False
            return False
        self.sent += 1
        return True

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _connect(self) -> bool:
        if self._bus == SESSION and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            return False  # no session bus (a console, a container): nothing to ask
        try:
            connection: DBusConnection = open_dbus_connection(self._bus, auth_timeout=BUS_TIMEOUT_S)
        except (OSError, KeyError, ValueError, RuntimeError) as error:
            log.info("no session bus for notifications: %s", type(error).__name__)
            return False
        try:
            owned = connection.send_and_get_reply(
                message_bus.NameHasOwner(SERVICE), timeout=BUS_TIMEOUT_S
            ).body[0]
            activatable = connection.send_and_get_reply(
                message_bus.ListActivatableNames(), timeout=BUS_TIMEOUT_S
            ).body[0]
        except (OSError, TimeoutError, IndexError) as error:
            log.info("the session bus did not answer: %s", type(error).__name__)
            connection.close()
            return False
        if not owned and SERVICE not in activatable:
            connection.close()
            return False
        self._connection = connection
        return True

    def _drain(self) -> None:
        """Read what the service answered to earlier notifications (ids we do not keep),
        so its replies never pile up unread; waits for nothing."""
        for _ in range(MAX_REPLIES_DRAINED):
            try:
                self._connection.receive(timeout=0)
            except TimeoutError:
                return
