"""Notifications and the QR image, without an engine."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from peerapp.core.events import MessageView
from peerapp.ui import qr
from peerapp.ui.notifier import BODY_CHARS, Notifier, notification_for
from peerapp.ui.preferences import Preferences
from peerapp.ui.text import common

pytestmark = pytest.mark.usefixtures("hearth_app")

MESSAGE = MessageView("01" * 32, "ab" * 32, "Ash", "Is anyone\naround tonight?", 0, False)


def test_notifications_hide_the_text_unless_asked() -> None:
    hidden = notification_for("c1", "Tuesday circle", [MESSAGE], show_text=False)
    assert (hidden.title, hidden.body) == (common.app_name(), "New message in Tuesday circle")
    shown = notification_for("c1", "Tuesday circle", [MESSAGE], show_text=True)
    assert (shown.title, shown.body) == ("Ash · Tuesday circle", "Is anyone around tonight?")
    assert "tonight" not in repr(shown)  # nor in logs or failure reports


def test_long_text_is_shortened_in_notifications() -> None:
    long_message = MessageView("02" * 32, "ab" * 32, "Ash", "word " * 200, 0, False)
    body = notification_for("c1", "Tuesday circle", [long_message], show_text=True).body
    assert len(body) <= BODY_CHARS and body.endswith("…")


def test_the_notifier_follows_the_preference_and_counts_unread() -> None:
    preferences = Preferences()
    notifier = Notifier(preferences)
    notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
    notifier.flush()
    preferences.show_message_text = True
    notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
    notifier.flush()
    assert [n.body for n in notifier.shown] == [
        "New message in Tuesday circle",
        "Is anyone around tonight?",
    ]
    notifier.set_unread(3)
    assert notifier.tooltip == "Hearth · 3 unread messages"
    notifier.set_unread(0)
    assert notifier.tooltip == "Hearth"


def test_a_burst_of_messages_makes_one_notification_per_circle(qtbot: QtBot) -> None:
    preferences = Preferences()
    notifier = Notifier(preferences)
    for _ in range(3):
        notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
    notifier.message_arrived("c2", "Walkers", MESSAGE)
    qtbot.waitUntil(lambda: len(notifier.shown) == 2, timeout=2000)
    assert [(n.circle, n.body) for n in notifier.shown] == [
        ("c1", "3 new messages in Tuesday circle"),
        ("c2", "New message in Walkers"),
    ]
    preferences.show_message_text = True
    notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
    notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
    notifier.flush()
    last = notifier.shown[-1]
    assert (last.title, last.body) == (
        "Tuesday circle",
        "2 new messages · Ash: Is anyone around tonight?",
    )


def test_qr_image_has_quiet_zone_and_dark_modules() -> None:
    image = qr.qr_image("hearth:abcdef", module_pixels=3)
    assert image is not None and not image.isNull()
    matrix = qr.qr_matrix("hearth:abcdef")
    assert matrix is not None
    assert image.width() == (len(matrix) + 2 * qr.QUIET_ZONE) * 3
    assert image.pixelColor(0, 0) == QColor(qr.LIGHT)  # the quiet zone
    corner = qr.QUIET_ZONE * 3 + 1  # a finder pattern's dark corner
    assert image.pixelColor(corner, corner) == QColor(qr.DARK)


def test_without_segno_there_is_no_qr_image(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def no_segno(name: str, package: str | None = None) -> ModuleType:
        if name == "segno":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", no_segno)
    assert qr.qr_image("hearth:abcdef") is None
