"""`appearance` and `set_appearance`: the desktop app's theme, kept in the profile's
encrypted settings table (the profile folder holds nothing in plaintext, not even a look).

Rules: the stored value is read through core/appearance_policy.read_theme (unreadable ->
the default); `set_appearance` takes one of its THEMES and refuses anything else with
`bad_theme`, storing nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from peerapp.core import appearance_policy
from peerapp.core.api.appearance import Appearance, AppearanceView, SetAppearance
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError, EngineFailed
from peerapp.engine.dispatch import Handlers
from peerapp.storage.database import Database

THEME_SETTING = "ui_theme"


def opened(database: Database | None) -> Database:
    """The engine's open database (None before the run opened it)."""
    if database is None:
        raise EngineFailed("The profile is not open yet.")
    return database


def appearance_handlers(database: Callable[[], Database]) -> Handlers:
    """`database`: the engine's open database (raising when it is not open)."""

    async def appearance(_: Appearance) -> AppearanceView:
        return AppearanceView(theme=appearance_policy.read_theme(database().setting(THEME_SETTING)))

    async def set_appearance(command: SetAppearance) -> AppearanceView:
        if command.theme not in appearance_policy.THEMES:
            raise CommandError(Refusal.BAD_THEME, themes=", ".join(appearance_policy.THEMES))
        database().set_setting(THEME_SETTING, command.theme)
        return AppearanceView(theme=command.theme)

    handlers = Handlers()
    handlers.add(Appearance, appearance)
    handlers.add(SetAppearance, set_appearance)
    return handlers
