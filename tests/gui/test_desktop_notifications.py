"""Notifications without a system tray (issue 14, item 6): through the desktop's
notification service, `org.freedesktop.Notifications` over D-Bus, on a private session
bus this module starts (`dbus-daemon`, Debian package `dbus`), with a service object the
test owns (exported with QtDBus under the interface's exact `Notify` signature, so a call
with other argument types finds no method). The offscreen platform has no tray."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from peerapp.core.events import MessageView
from peerapp.ui.desktop_notifications import OBJECT_PATH, SERVICE, DesktopNotifications
from peerapp.ui.notifier import Notifier, Route
from peerapp.ui.preferences import NotificationDetail, Preferences
from peerapp.ui.text import care, common
from tests.gui.helpers import WAIT_MS

pytestmark = pytest.mark.usefixtures("hearth_app")

MESSAGE = MessageView("01" * 32, "ab" * 32, "Ash", "Is anyone\naround tonight?", 0, False)
DAEMON_START_S = 10


@dataclass(frozen=True)
class Received:
    app_name: str
    replaces_id: int
    summary: str
    body: str
    timeout_ms: int


# ClassInfo's stubs know only its keyword form, which cannot spell "D-Bus Interface"
@ClassInfo({"D-Bus Interface": SERVICE})  # type: ignore[call-arg]
class NotificationService(QObject):  # type: ignore[operator]
    """What a desktop's notification daemon is to Hearth: `Notify`, answering an id."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Received] = []

    # the freedesktop signature "susssasa{sv}i" -> "u", exactly
    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(
        self,
        app_name: str,
        replaces_id: int,
        _icon: str,
        summary: str,
        body: str,
        _actions: list[str],
        _hints: dict[str, object],
        timeout_ms: int,
    ) -> int:
        self.received.append(Received(app_name, replaces_id, summary, body, timeout_ms))
        return len(self.received)


@pytest.fixture(scope="module")
def session_bus() -> Iterator[str]:
    """A private D-Bus session bus for this module; its address."""
    daemon_path = shutil.which("dbus-daemon")
    assert daemon_path is not None, (
        "dbus-daemon is missing: install the Debian package `dbus` (packaging/system-deps.sh)"
    )
    daemon = subprocess.Popen(
        [daemon_path, "--session", "--nofork", "--nopidfile", "--print-address"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()  # printed once it listens
        assert address.startswith("unix:"), f"dbus-daemon gave no address: {address!r}"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(DAEMON_START_S)
        if daemon.stdout is not None:
            daemon.stdout.close()


@pytest.fixture
def service(session_bus: str) -> Iterator[NotificationService]:
    connection = QDBusConnection.connectToBus(session_bus, "hearth-test-notifications")
    assert connection.isConnected(), connection.lastError().message()
    owned = NotificationService()
    exported = QDBusConnection.RegisterOption.ExportAllSlots
    assert connection.registerObject(OBJECT_PATH, owned, exported)
    assert connection.registerService(SERVICE)
    yield owned
    connection.unregisterService(SERVICE)
    connection.unregisterObject(OBJECT_PATH)
    QDBusConnection.disconnectFromBus("hearth-test-notifications")


def test_without_a_tray_notifications_go_to_the_desktop_service_as_chosen(
    qtbot: QtBot, session_bus: str, service: NotificationService
) -> None:
    preferences = Preferences()
    notifier = Notifier(preferences, desktop=DesktopNotifications("Hearth", "", session_bus))
    try:
        assert notifier.tray is None  # no tray here, as on stock GNOME
        assert notifier.route is Route.DESKTOP

        said: list[tuple[str, str]] = []
        for detail in (
            NotificationDetail.CIRCLE,
            NotificationDetail.MESSAGE,
            NotificationDetail.NOTHING,
            NotificationDetail.CIRCLE,
        ):
            preferences.notification_detail = detail
            notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
            notifier.flush()
            if detail is not NotificationDetail.NOTHING:
                said.append((notifier.shown[-1].title, notifier.shown[-1].body))
                qtbot.waitUntil(lambda: len(service.received) == len(said), timeout=WAIT_MS)
        preferences.notification_detail = NotificationDetail.NOTHING
        notifier.care_flag_arrived("c1", "Tuesday circle")  # chosen: nothing at all
        preferences.notification_detail = NotificationDetail.CIRCLE
        notifier.care_flag_arrived("c1", "Tuesday circle")
        qtbot.waitUntil(lambda: len(service.received) == len(said) + 1, timeout=WAIT_MS)
    finally:
        notifier.close()

    assert [(got.summary, got.body) for got in service.received] == [
        (common.app_name(), "New message in Tuesday circle"),
        ("Ash · Tuesday circle", "Is anyone around tonight?"),
        (common.app_name(), "New message in Tuesday circle"),
        (care.care_flag_notification_title(), care.care_flag_notification("Tuesday circle")),
    ]
    assert {got.app_name for got in service.received} == {"Hearth"}
    assert all(got.replaces_id == 0 and got.timeout_ms > 0 for got in service.received)
    assert notifier.desktop.sent == len(service.received)


def test_without_a_tray_or_a_service_only_the_title_counts(session_bus: str, qtbot: QtBot) -> None:
    """A bus with no notification service (and, separately, no bus at all): nothing
    breaks, nothing is sent, and the route says the title tells."""
    for desktop in (
        DesktopNotifications("Hearth", "", session_bus),
        DesktopNotifications("Hearth", "", "unix:path=/nonexistent/hearth-test-bus"),
    ):
        notifier = Notifier(Preferences(), desktop=desktop)
        try:
            assert notifier.route is Route.TITLE
            notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
            notifier.flush()
            assert len(notifier.shown) == 1  # recorded, shown nowhere but the title
            assert desktop.sent == 0
        finally:
            notifier.close()


def test_a_private_message_is_told_about_as_chosen(
    qtbot: QtBot, session_bus: str, service: NotificationService
) -> None:
    """A private message notifies through the same route as circle messages, saying as
    much as the person chose: who and the text, only the circle (no name), or nothing;
    and nothing at all while the circle is silenced."""
    preferences = Preferences()
    notifier = Notifier(preferences, desktop=DesktopNotifications("Hearth", "", session_bus))
    try:
        assert notifier.route is Route.DESKTOP
        for detail in (
            NotificationDetail.CIRCLE,
            NotificationDetail.MESSAGE,
            NotificationDetail.NOTHING,
        ):
            preferences.notification_detail = detail
            notifier.private_message_arrived("c1", "Tuesday circle", "Ash", MESSAGE.text)
        preferences.notification_detail = NotificationDetail.MESSAGE
        notifier.private_message_arrived("c1", "Tuesday circle", "Ash", MESSAGE.text, silent=True)
        qtbot.waitUntil(lambda: len(service.received) == 2, timeout=WAIT_MS)
    finally:
        notifier.close()

    assert [(got.summary, got.body) for got in service.received] == [
        (common.app_name(), "A private message in Tuesday circle"),
        ("Ash, privately · Tuesday circle", "Is anyone around tonight?"),
    ]
    assert notifier.held_back == 1 and notifier.desktop.sent == 2
