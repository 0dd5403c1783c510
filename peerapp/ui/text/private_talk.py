"""Private conversations between a facilitator and a member (the "Private conversation"
window, the member menu's "Talk privately", the care list's "Reach out")."""

from __future__ import annotations

from peerapp.ui.text.translation import tr, trn


def talk_privately_action() -> str:  # a member's menu
    return tr("private_talk", "Talk privately…")


def reach_out() -> str:  # a care flag's button
    return tr("private_talk", "Reach out")


def reach_out_to_author() -> str:  # a message waiting for review
    return tr("private_talk", "Reach out to the author")


def window_title(name: str) -> str:
    return tr("private_talk", "Private conversation with {name}").format(name=name)


def explanation(name: str) -> str:
    return tr(
        "private_talk",
        "Only you and {name} can read this. It is not part of the circle's conversation.",
    ).format(name=name)


def empty() -> str:
    return tr("private_talk", "Nothing here yet. A gentle hello is a good start.")


def composer_placeholder() -> str:
    return tr("private_talk", "Write privately…")


def send() -> str:
    return tr("private_talk", "Send")


def you() -> str:
    return tr("private_talk", "You")


def not_delivered_yet() -> str:
    return tr("private_talk", "waiting for them to come online")


def cannot_write() -> str:
    return tr(
        "private_talk",
        "You can read this conversation, but you cannot write in it any more.",
    )


def to_send() -> str:  # failure_message's "Could not …"
    return tr("private_talk", "send your private message")


def to_read() -> str:
    return tr("private_talk", "read the private conversation")


def unread_badge(count: int) -> str:
    return trn("private_talk", "✉ {n}", "✉ {n}", count).format(n=count)


def unread_spoken(count: int) -> str:
    return trn(
        "private_talk", "{n} unread private message", "{n} unread private messages", count
    ).format(n=count)


def arrived_notice(name: str) -> str:
    return tr("private_talk", "{name} wrote to you privately.").format(name=name)


def flag_note(name: str, note: str) -> str:  # a care flag's card: another facilitator's note
    return tr("private_talk", "{name} on resolving it: {note}").format(name=name, note=note)


def flag_note_placeholder() -> str:
    return tr("private_talk", "A private note for the other facilitators (optional)")
