"""Finding one's way with the keyboard and in small windows: the circle switcher, moving
between circles, the folded circle list and members, and the names a screen reader says."""

from __future__ import annotations

from peerapp.ui.text.translation import tr


def switch_circle_action() -> str:
    return tr("navigation", "Switch circle…")


def switcher_title() -> str:
    return tr("navigation", "Switch circle")


def switcher_placeholder() -> str:
    return tr("navigation", "Type part of a circle's name")


def switcher_nothing_found() -> str:
    return tr("navigation", "No circle has that in its name.")


def switcher_hint() -> str:
    return tr("navigation", "Enter opens the circle; Esc goes back.")


def previous_circle_action() -> str:
    return tr("navigation", "Previous circle")


def next_circle_action() -> str:
    return tr("navigation", "Next circle")


def circles_drawer_button() -> str:
    return tr("navigation", "Circles")


def circles_drawer_hint() -> str:
    return tr("navigation", "Show or hide the list of circles")


def members_drawer_hint() -> str:
    return tr("navigation", "Show or hide who is in this circle")


def header_more_button() -> str:
    return tr("navigation", "More")


def circle_list_name() -> str:
    return tr("navigation", "Circles")


def message_list_name() -> str:
    return tr("navigation", "Messages")


def composer_name() -> str:
    return tr("navigation", "Write a message")


def member_list_name() -> str:
    return tr("navigation", "Members")


def send_button_name() -> str:
    return tr("navigation", "Send message")


def invite_button_name() -> str:
    return tr("navigation", "Invite someone to this circle")


def members_button_name() -> str:
    return tr("navigation", "Show members")


def circle_menu_name() -> str:
    return tr("navigation", "More for this circle")
