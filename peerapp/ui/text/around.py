"""Around the conversation (issue 15): the circle list's preview, the "new messages"
divider, "jump to latest", members joining and leaving, and who is typing."""

from __future__ import annotations

from peerapp.ui.text.translation import tr, trn

# -- the circle list's preview ---------------------------------------------------------------


def preview_said(name: str, text: str) -> str:
    return tr("around", "{name}: {text}").format(name=name, text=text)


def preview_you() -> str:
    return tr("around", "You")


def preview_name_only(name: str) -> str:
    return tr("around", "{name} sent a message").format(name=name)


def preview_checked_in(name: str) -> str:
    return tr("around", "{name} checked in").format(name=name)


def preview_removed() -> str:
    return tr("around", "Message removed")


def preview_hidden() -> str:
    return tr("around", "A message hidden pending review")


def preview_day_format() -> str:
    return tr("around", "%d %b")


# -- the new messages divider and jump to latest ---------------------------------------------


def new_messages() -> str:
    return tr("around", "New messages")


def jump_to_latest() -> str:
    return tr("around", "Jump to latest")


def jump_to_latest_new(count: int) -> str:
    return trn("around", "{count} new message ↓", "{count} new messages ↓", count).format(
        count=count
    )


# -- joining and leaving ------------------------------------------------------------------


def joined_notice(name: str) -> str:
    return tr("around", "{name} joined").format(name=name)


def left_notice(name: str) -> str:
    return tr("around", "{name} left").format(name=name)


# -- typing -------------------------------------------------------------------------------


def typing_one(name: str) -> str:
    return tr("around", "{name} is typing…").format(name=name)


def typing_two(first: str, second: str) -> str:
    return tr("around", "{first} and {second} are typing…").format(first=first, second=second)


def typing_many(count: int) -> str:
    return trn("around", "{count} person is typing…", "{count} people are typing…", count).format(
        count=count
    )


def typing_setting() -> str:
    return tr("around", "Show when someone is typing")


def typing_on_now() -> str:
    return tr("around", "Members now see when someone is typing")


def typing_off_now() -> str:
    return tr("around", "Members no longer see when someone is typing")


def typing_setting_hint() -> str:
    return tr(
        "around",
        "Members see “Sam is typing…” while someone writes. Off by default: some people"
        " feel watched by it.",
    )
