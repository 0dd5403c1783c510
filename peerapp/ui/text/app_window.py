"""The main window's title, menus and About box."""

from __future__ import annotations

from pathlib import Path

from peerapp import PRODUCT_NAME, __version__
from peerapp.ui.text.translation import tr


def show_window_action() -> str:
    return tr("app_window", "Show {app}").format(app=PRODUCT_NAME)


def circles_menu() -> str:
    return tr("app_window", "&Circles")


def create_circle_action() -> str:
    return tr("app_window", "Create a circle…")


def join_circle_action() -> str:
    return tr("app_window", "Join with an invite code…")


def window_title(unread: int, profile: str) -> str:
    """The main window's title: which profile it shows (two side by side differ), and
    how many messages wait unread."""
    if not unread:
        return main_window_title(profile)
    return tr("app_window", "({unread}) {app}: {profile}").format(
        unread=unread, app=PRODUCT_NAME, profile=profile
    )


def profile_name(folder: Path) -> str:
    """How a profile is named in window titles: its folder's name (`--profile ~/ash` is
    "ash"). Not a word to translate: the person chose it."""
    return folder.name or str(folder)


def main_window_title(profile: str) -> str:
    return tr("app_window", "{app}: {profile}").format(app=PRODUCT_NAME, profile=profile)


def no_display() -> str:
    return tr(
        "app_window",
        (
            "peerapp: there is no display to open a window on (DISPLAY and "
            "WAYLAND_DISPLAY are not set). Run the headless node with `peerapp node`, "
            "or the app on a virtual display with `xvfb-run peerapp`."
        ),
    )


def profile_menu() -> str:
    return tr("app_window", "&Profile")


def change_passphrase_action() -> str:
    return tr("app_window", "Change passphrase…")


def lock_action() -> str:
    return tr("app_window", "Lock")


def quit_action() -> str:
    return tr("app_window", "Quit")


def help_menu() -> str:
    return tr("app_window", "&Help")


def about_action() -> str:
    return tr("app_window", "About {app}").format(app=PRODUCT_NAME)


def about_title() -> str:
    return tr("app_window", "About {app}").format(app=PRODUCT_NAME)


def tagline() -> str:
    return tr(
        "app_window",
        (
            "Private peer-support circles with no server in between: everything you "
            "share is end-to-end encrypted."
        ),
    )


def about_text() -> str:
    return tr("app_window", "<h3>{app} {version}</h3><p>{tagline}</p>").format(
        app=PRODUCT_NAME, version=__version__, tagline=tagline()
    )
