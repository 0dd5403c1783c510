"""The person's GUI preferences for this run of the app.

Kept in memory only, by the session, so they survive locking and unlocking but are not
written anywhere: the profile folder holds nothing in plaintext, and even a preference
("show message text in notifications") says something about its owner. Storing them in the
encrypted database needs an engine command (see the GUI notes for the lead).
"""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.ui.theme import ThemeChoice


@dataclass
class Preferences:
    # notifications say only which circle has news unless the person chooses otherwise
    show_message_text: bool = False
    # light, dark, or the desktop's own scheme (ui/theme); also stored in the profile's
    # encrypted settings (`set_appearance`) and read again once an engine is ready; the
    # unlock screen, shown before anything can be read, keeps this run's choice
    theme: ThemeChoice = ThemeChoice.SYSTEM
