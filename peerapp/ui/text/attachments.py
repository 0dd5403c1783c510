"""Pictures and files (issue 15): attaching, opening, saving and clearing them."""

from __future__ import annotations

from peerapp.ui.text.translation import tr


def attach_button() -> str:
    return tr("attachments", "Attach…")


def attach_hint() -> str:
    return tr(
        "attachments",
        "Send a picture or file. Pictures are sent without their location and camera "
        "details. You can also drop a file here or paste a picture.",
    )


def choose_file_title() -> str:
    return tr("attachments", "Choose a picture or file to send")


def sending() -> str:
    return tr("attachments", "Sending the file…")


def stripped_note() -> str:
    return tr("attachments", "Pictures are sent without their location and camera details.")


def open_action() -> str:
    return tr("attachments", "Picture or file…")


def dialog_title() -> str:
    return tr("attachments", "Picture or file")


def file_line(name: str, size: str) -> str:
    return tr("attachments", "{name} ({size})").format(name=name, size=size)


def arriving(have: str, size: str) -> str:
    return tr("attachments", "Arriving from members: {have} of {size}").format(have=have, size=size)


def complete() -> str:
    return tr("attachments", "Here in full.")


def over_limit() -> str:
    return tr(
        "attachments",
        "This file is bigger than the circle's limit, so it was not downloaded.",
    )


def cleared() -> str:
    return tr("attachments", "Cleared from this computer; saving fetches it again.")


def save_button() -> str:
    return tr("attachments", "Save…")


def view_button() -> str:
    return tr("attachments", "View full size")


def show_button() -> str:
    return tr("attachments", "Show picture")


def warning_note(label: str) -> str:
    return tr("attachments", "Content warning: {label}. The picture is blurred.").format(
        label=label
    )


def save_title() -> str:
    return tr("attachments", "Save the file")


def saving() -> str:
    return tr("attachments", "Waiting for the file from members…")


def saved(path: str) -> str:
    return tr("attachments", "Saved to {path}.").format(path=path)


def to_save() -> str:
    return tr("attachments", "save the file")


def to_view() -> str:
    return tr("attachments", "open the picture")


def to_attach() -> str:
    return tr("attachments", "send the file")


def viewer_title(name: str) -> str:
    return tr("attachments", "Picture: {name}").format(name=name)


def media_action() -> str:
    return tr("attachments", "Pictures and files…")


def media_title() -> str:
    return tr("attachments", "Pictures and files")


def media_text(total: str, limit: str) -> str:
    return tr(
        "attachments",
        "The pictures and files of this circle take {total} on this computer, "
        "encrypted. Clearing them frees the space; the messages stay, and a file can be "
        "fetched again from members. Each file may be at most {limit} here.",
    ).format(total=total, limit=limit)


def media_loading() -> str:
    return tr("attachments", "Reading the circle's pictures and files…")


def to_read_media() -> str:
    return tr("attachments", "read the circle's pictures and files")


def media_item(name: str, have: str, size: str, who: str) -> str:
    return tr("attachments", "{name}: {have} of {size} here, from {who}").format(
        name=name, have=have, size=size, who=who
    )


def media_empty() -> str:
    return tr("attachments", "No pictures or files in this circle yet.")


def clear_all() -> str:
    return tr("attachments", "Clear all")


def clear_one() -> str:
    return tr("attachments", "Clear")


def media_cleared(freed: str) -> str:
    return tr("attachments", "Freed {freed}.").format(freed=freed)


def to_clear_media() -> str:
    return tr("attachments", "clear the pictures and files")


def someone() -> str:
    return tr("attachments", "Someone")


def bubble_button(name: str, picture: bool) -> str:
    """The button under a message that carries a file; it opens the file's dialog."""
    if picture:
        return tr("attachments", "Picture: {name}").format(name=name)
    return tr("attachments", "File: {name}").format(name=name)
