"""Circles: the list, creating one, joining with a code, and leaving or being removed."""

from __future__ import annotations

from peerapp import PRODUCT_NAME
from peerapp.ui.text.translation import tr


def circles_heading() -> str:
    return tr("circles", "Circles")


def no_circles_yet() -> str:
    return tr("circles", "No circles yet")


def empty_state_heading() -> str:
    return tr("circles", "You are not in a circle yet")


def empty_state_text() -> str:
    return tr(
        "circles",
        (
            "A circle is a small, private group of people who listen to each other. "
            "Start one, or join one with an invite code someone gave you."
        ),
    )


def create_a_circle() -> str:
    return tr("circles", "Create a circle")


def join_with_invite() -> str:
    return tr("circles", "Join with an invite code")


def pick_a_circle() -> str:
    return tr("circles", "Choose a circle on the left.")


def unnamed_circle() -> str:
    return tr("circles", "Unnamed circle")


def new_circle_button() -> str:
    return tr("circles", "New circle")


def join_button() -> str:
    return tr("circles", "Join")


def create_circle_title() -> str:
    return tr("circles", "Create a circle")


def create_circle_explanation() -> str:
    return tr("circles", "Give your circle a name. You can invite people once it exists.")


def circle_name_label() -> str:
    return tr("circles", "Name")


def circle_name_placeholder() -> str:
    return tr("circles", "For example: Tuesday evening circle")


def guidelines_label() -> str:
    return tr("circles", "Guidelines (optional)")


def guidelines_placeholder() -> str:
    return tr(
        "circles",
        (
            "How you want to be together, for example: what is shared here stays "
            "here; listen first; no advice unless asked."
        ),
    )


def create() -> str:
    return tr("circles", "Create")


def creating_circle() -> str:
    return tr("circles", "Creating the circle…")


def your_name_label() -> str:
    return tr("circles", "Your name in this circle")


def your_name_placeholder() -> str:
    return tr("circles", "A first name or a nickname")


def your_name_hint() -> str:
    return tr(
        "circles",
        (
            "This is the only name the circle sees. It can be made up: {app} asks "
            "for nothing else about you."
        ),
    ).format(app=PRODUCT_NAME)


def join_circle_title() -> str:
    return tr("circles", "Join a circle")


def join_circle_explanation() -> str:
    return tr(
        "circles",
        ("Paste the invite code you were given. Each circle can know you by a different name."),
    )


def invite_code_label() -> str:
    return tr("circles", "Invite code")


def invite_code_placeholder() -> str:
    return tr("circles", "Paste the code here")


def join() -> str:
    return tr("circles", "Join")


def reaching_the_circle() -> str:
    return tr("circles", "Reaching the circle…")


def to_create_circle() -> str:
    return tr("circles", "create the circle")


# removed from a circle, or leaving it
def removed_from_circle() -> str:
    return tr("circles", "You were removed from this circle")


def banned_from_circle() -> str:
    return tr("circles", "You were removed from this circle and cannot rejoin")


def admission_lost() -> str:
    return tr(
        "circles",
        (
            "Someone else used this invite at the same moment, so you were not "
            "admitted. Ask for a new invite."
        ),
    )


def removed_still_readable() -> str:
    return tr("circles", "What was shared before stays readable here, on this computer.")


def circle_more_button() -> str:
    return tr("circles", "More")


def leave_circle_action() -> str:
    return tr("circles", "Leave circle…")


def leave_confirm() -> str:
    return tr("circles", "Leave")


def leaving() -> str:
    return tr("circles", "Leaving…")


def to_leave() -> str:
    return tr("circles", "leave the circle")


def leave_title(circle_name: str) -> str:
    return tr("circles", "Leave {circle_name}?").format(circle_name=circle_name)


def leave_text(circle_name: str) -> str:
    return tr(
        "circles",
        (
            "You will stop receiving the messages of {circle_name}. To come back, "
            "you would need a new invite code."
        ),
    ).format(circle_name=circle_name)
