"""The theme menu and the screenshots' sample content."""

from __future__ import annotations

from peerapp.ui.text.translation import tr


def theme_menu() -> str:
    return tr("appearance", "&Theme")


def theme_system() -> str:
    return tr("appearance", "Follow the system")


def theme_light() -> str:
    return tr("appearance", "Light")


def theme_dark() -> str:
    return tr("appearance", "Dark")


def theme_menu_tooltip() -> str:
    return tr("appearance", "Light or dark colours, or the same as the rest of your desktop")
