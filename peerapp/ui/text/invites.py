"""Inviting someone, and the list of a circle's invite codes.

The lengths and counts offered are rules: peerapp.core.invite_policy.
"""

from __future__ import annotations

from datetime import datetime

from peerapp.ui.text.common import duration
from peerapp.ui.text.translation import tr, trn


def invite_action() -> str:
    return tr("invites", "Invite someone…")


def invite_button() -> str:
    return tr("invites", "Invite someone")


def invite_title() -> str:
    return tr("invites", "Invite someone")


def expires_label() -> str:
    return tr("invites", "Valid for")


def uses_label() -> str:
    return tr("invites", "Can be used")


def expiry_choice(seconds: int) -> str:
    """How a choice of peerapp.core.invite_policy.EXPIRY_CHOICES reads: "7 days"."""
    return duration(seconds)


def uses_choice(uses: int) -> str:
    """How a choice of peerapp.core.invite_policy.USES_CHOICES reads: "Once", "5 times"."""
    return trn("invites", "Once", "{n} times", uses).format(n=uses)


def create_invite() -> str:
    return tr("invites", "Create invite code")


def creating_invite() -> str:
    return tr("invites", "Creating the invite code…")


def invite_ready_heading() -> str:
    return tr("invites", "Your invite code")


def qr_unavailable() -> str:
    return tr("invites", ("A QR code cannot be drawn on this computer; copy the code instead."))


def qr_tooltip() -> str:
    return tr("invites", "The same invite code, for a phone camera or another screen")


def ask_a_facilitator_to_invite() -> str:
    return tr("invites", "If you know someone who would fit here, ask a facilitator.")


def invite_is_a_key() -> str:
    return tr(
        "invites",
        (
            "This code is like a key to your circle: share it only with the person "
            "you are inviting, in a private message or in person."
        ),
    )


def invite_details(expires: datetime, uses: int) -> str:
    when = tr("invites", "{expires:%A} {expires.day} {expires:%B} at {expires:%H:%M}")
    times = trn("invites", "once", "{n} times", uses).format(n=uses)
    return tr("invites", "Valid until {when} · can be used {times}").format(
        when=when.format(expires=expires), times=times
    )


def invite_explanation(circle_name: str) -> str:
    return tr(
        "invites",
        "An invite code lets one person you trust join {circle}. "
        "Choose how long it stays valid and how many people may use it.",
    ).format(circle=circle_name)


def manage_invites_action() -> str:
    return tr("invites", "Manage invites…")


def manage_invites_title() -> str:
    return tr("invites", "Invite codes")


def no_invites() -> str:
    return tr("invites", "No invite codes yet.")


def loading_invites() -> str:
    return tr("invites", "Loading invite codes…")


def invite_expired() -> str:
    return tr("invites", "Expired")


def invite_revoked() -> str:
    return tr("invites", "Revoked")


def invite_used_up() -> str:
    return tr("invites", "Used up")


def revoke() -> str:
    return tr("invites", "Revoke")


def keep_it() -> str:
    return tr("invites", "Keep it")


def invite_revoked_done() -> str:
    return tr("invites", "The invite was revoked: nobody can join with it any more.")


def revoking() -> str:
    return tr("invites", "Revoking…")


def to_revoke_invite() -> str:
    return tr("invites", "revoke the invite")


def to_list_invites() -> str:
    return tr("invites", "list the invite codes")


def code_not_yours() -> str:
    return tr("invites", "Only the member who made this code has its text.")


def approval_invite_note() -> str:
    return tr(
        "invites", ("Join approval is on: a facilitator reviews each person who uses this code.")
    )


def manage_invites_explanation(circle_name: str) -> str:
    return tr(
        "invites",
        (
            "The invite codes of {circle_name}. Revoke one that was shared by "
            "mistake: nobody can join with it any more."
        ),
    ).format(circle_name=circle_name)


def invite_made_by(name: str, mine: bool) -> str:
    if mine:
        return tr("invites", "Made by you")
    return tr("invites", "Made by {name}").format(name=name)


def invite_uses(uses: int, max_uses: int) -> str:
    return tr("invites", "Used {uses} of {max_uses}").format(uses=uses, max_uses=max_uses)


def expires_in(seconds: float) -> str:
    """To the nearest unit: a code made for 7 days a minute ago expires "in 7 days"."""
    left = max(seconds, 0.0)
    if left < 3600:
        return tr("invites", "expires in {n} min").format(n=max(round(left / 60), 1))
    if left < 23.5 * 3600:
        return tr("invites", "expires in {n} h").format(n=round(left / 3600))
    days = round(left / (24 * 3600))
    return trn("invites", "expires in {n} day", "expires in {n} days", days).format(n=days)


def confirm_revoke(name: str, mine: bool) -> str:
    if mine:
        return tr(
            "invites",
            "Revoke the invite you made? Nobody will be able to join with it any more. "
            "This cannot be undone.",
        )
    return tr(
        "invites",
        "Revoke the invite {name} made? Nobody will be able to join with it any more. "
        "This cannot be undone.",
    ).format(name=name)


def to_create_invite() -> str:
    return tr("invites", "create the invite code")
