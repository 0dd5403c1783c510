"""The person's GUI preferences for this run of the app.

Kept in memory only, by the session, so they survive locking and unlocking but are not
written anywhere: the profile folder holds nothing in plaintext, and even a preference
("show message text in notifications") says something about its owner. Storing them in the
encrypted database needs an engine command (see the GUI notes for the lead).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from peerapp.ui.theme import ThemeChoice


class NotificationDetail(Enum):
    """How much a notification says (the screen may be seen by others)."""

    MESSAGE = "message"  # who wrote, in which circle, and the text
    CIRCLE = "circle"  # only which circle has news
    NOTHING = "nothing"  # no notification at all: the window title's count only


@dataclass
class Preferences:
    # notifications say only which circle has news unless the person chooses otherwise
    notification_detail: NotificationDetail = NotificationDetail.CIRCLE
    # light, dark, or the desktop's own scheme (ui/theme); also stored in the profile's
    # encrypted settings (`set_appearance`) and read again once an engine is ready; the
    # unlock screen, shown before anything can be read, keeps this run's choice
    theme: ThemeChoice = ThemeChoice.SYSTEM

    @property
    def show_message_text(self) -> bool:
        return self.notification_detail is NotificationDetail.MESSAGE

    @show_message_text.setter
    def show_message_text(self, show: bool) -> None:
        self.notification_detail = NotificationDetail.MESSAGE if show else NotificationDetail.CIRCLE

    @property
    def notify(self) -> bool:
        return self.notification_detail is not NotificationDetail.NOTHING
