"""What each circle takes on this computer, and clearing what a former member stored."""

from __future__ import annotations

from peerapp.ui.text.translation import tr, trn


def storage_action() -> str:
    return tr("storage", "Storage…")


def storage_title() -> str:
    return tr("storage", "Storage")


def storage_text() -> str:
    return tr(
        "storage",
        (
            "What each circle's conversation takes on this computer. Everything "
            "stays on your computer and the computers of the circle's members; "
            "nothing is kept on a server."
        ),
    )


def storage_loading() -> str:
    return tr("storage", "Reading what each circle takes…")


def to_read_storage() -> str:
    return tr("storage", "read what each circle takes")


def storage_no_circles() -> str:
    return tr("storage", "You are not in any circle yet.")


def storage_nobody() -> str:
    return tr("storage", "Nothing stored in this circle yet.")


def storage_circles() -> str:
    return tr("storage", "Your circles")


def storage_files_part(size: str) -> str:
    """Under a member's size (and a circle's, as its tip): how much of it is files."""
    return tr("storage", "of which pictures and files: {size}").format(size=size)


def storage_removed() -> str:
    return tr("storage", "removed")


def storage_banned() -> str:
    return tr("storage", "banned")


def clear_member_button() -> str:
    return tr("storage", "Clear what they stored…")


def clear_member_confirm() -> str:
    return tr("storage", "Clear")


def clearing_member() -> str:
    return tr("storage", "Clearing…")


def to_clear_member() -> str:
    return tr("storage", "clear what they stored")


def storage_quota_note() -> str:
    return tr(
        "storage",
        ("Some of their messages and other entries were not kept: they reached the limit."),
    )


def storage_member_heading(circle: str) -> str:
    return tr("storage", "Who stored what in {circle}").format(circle=circle)


def storage_budget(size: str) -> str:
    return tr("storage", "Each member may store up to {size} with you in this circle.").format(
        size=size
    )


def clear_member_title(name: str) -> str:
    return tr("storage", "Clear what {name} stored?").format(name=name)


def clear_member_text(name: str) -> str:
    return tr(
        "storage",
        (
            "{name} is no longer in this circle. Their messages will be erased on "
            "this computer only: each one shows as removed in the conversation, in "
            "the same place. Other members' computers keep their own copies. This "
            "cannot be undone."
        ),
    ).format(name=name)


def cleared_member(name: str, messages: int, size: str) -> str:
    if messages == 0:
        return tr("storage", "{name} had nothing left to clear.").format(name=name)
    return trn(
        "storage",
        "Cleared {n} message from {name}, freeing {size}.",
        "Cleared {n} messages from {name}, freeing {size}.",
        messages,
    ).format(n=messages, name=name, size=size)
