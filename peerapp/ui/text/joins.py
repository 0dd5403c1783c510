"""Joining a circle with approval: the invite's preview and guidelines, waiting, and the
requests facilitators approve or decline.
"""

from __future__ import annotations

from peerapp.ui.text.common import ago
from peerapp.ui.text.translation import tr


def agree_and_join() -> str:
    return tr("joins", "I agree — join")


def joining() -> str:
    return tr("joins", "Joining…")


def guidelines_heading() -> str:
    return tr("joins", "Guidelines")


def preview_explanation() -> str:
    return tr("joins", ("Before you join, please read how this circle wants to be together."))


def no_guidelines() -> str:
    return tr(
        "joins",
        (
            "This circle has not written down any guidelines. Be kind, and keep what "
            "is shared here between the members."
        ),
    )


def approval_note() -> str:
    return tr(
        "joins",
        ("A facilitator will review your request. The circle opens for you once they approve it."),
    )


def waiting_heading() -> str:
    return tr("joins", "Waiting for approval")


def asked_to_join_heading() -> str:
    return tr("joins", "Asked to join")


def waiting_for_approval() -> str:
    return tr("joins", "Waiting for approval")


def cancel_request() -> str:
    return tr("joins", "Cancel request")


def not_approved() -> str:
    return tr("joins", "Not approved")


def to_read_invite() -> str:
    return tr("joins", "read the invite")


def to_cancel_request() -> str:
    return tr("joins", "cancel the request")


def waiting_explanation(circle_name: str) -> str:
    return tr(
        "joins",
        (
            "Your request to join {circle_name} has been sent. A facilitator will "
            "review it, and the circle opens here once they approve. You can close "
            "this window: your request stays open."
        ),
    ).format(circle_name=circle_name)


def join_declined(circle_name: str) -> str:
    return tr("joins", ("The facilitators of {circle_name} did not approve this request.")).format(
        circle_name=circle_name
    )


def now_member_of(circle_name: str) -> str:
    return tr("joins", "You are now a member of {circle_name}.").format(circle_name=circle_name)


def join_requests_heading() -> str:
    return tr("joins", "Waiting to join")


def join_requests_note() -> str:
    return tr(
        "joins", ("They used an invite code and asked to join. Approve the people you expect.")
    )


def approve() -> str:
    return tr("joins", "Approve")


def decline() -> str:
    return tr("joins", "Decline")


def to_approve_join() -> str:
    return tr("joins", "approve the request")


def to_decline_join() -> str:
    return tr("joins", "decline the request")


def waiting_to_join(count: int) -> str:
    return tr("joins", "{count} waiting to join").format(count=count)


def asks_to_join(name: str, circle_name: str) -> str:
    return tr("joins", "{name} asks to join {circle_name}.").format(
        name=name, circle_name=circle_name
    )


def asked_ago(seconds: float) -> str:
    return tr("joins", "asked {ago}").format(ago=ago(seconds))


def show_guidelines() -> str:
    return tr("joins", "Show")


def hide_guidelines() -> str:
    return tr("joins", "Hide")


def to_join_circle() -> str:
    return tr("joins", "join the circle")
