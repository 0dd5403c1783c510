"""The line under a circle's name in the circle list (issue 15; pure, no Qt): its last
message, as much of it as the person's notification privacy allows (who and the text /
who only / nothing), never what a content warning covers (its label instead) nor a
message hidden pending review, and its time.

The engine gives the last message this reader sees (`CircleView.last_message`: never a
blocked member's, nor a hidden topic's); `message` events, our own sends and
`message_changed` move it on (`newer`) without asking the engine again."""

from __future__ import annotations

from datetime import date

from peerapp.core.events import MessageView
from peerapp.ui import timeline
from peerapp.ui.preferences import NotificationDetail
from peerapp.ui.text import around, conversation, safety

PREVIEW_CHARS = 120  # more than a list row shows; the row elides the rest


def _name(message: MessageView) -> str:
    if message.mine:
        return around.preview_you()
    return message.author_name or conversation.unnamed_member()


def _first_line(text: str) -> str:
    return " ".join(text.split())[:PREVIEW_CHARS]


def preview_text(message: MessageView | None, detail: NotificationDetail) -> str:
    """What the row says of its last message ("" for none, or when the person chose that
    notifications say nothing)."""
    if message is None or detail is NotificationDetail.NOTHING:
        return ""
    name = _name(message)
    if message.deleted:
        return around.preview_removed()
    if message.hidden:
        return around.preview_hidden()
    if detail is NotificationDetail.CIRCLE:
        return around.preview_name_only(name)
    if message.mood > 0:
        return around.preview_checked_in(name)
    # a content warning's label stands for its text, as in a notification
    said = safety.cw_label(message.cw) if message.cw else _first_line(message.text)
    return around.preview_said(name, said)


def preview_time(message: MessageView | None, detail: NotificationDetail, today: date) -> str:
    """When it was said: the time today, else the day ("" with no preview)."""
    if message is None or detail is NotificationDetail.NOTHING:
        return ""
    when = timeline.local_time(message.ts)
    if when.date() == today:
        return timeline.clock(message.ts)
    return when.strftime(around.preview_day_format())


def newer(current: MessageView | None, arrived: MessageView) -> MessageView | None:
    """The preview after `arrived` (a message event, our send): the later of the two in
    the order every member shows; a fresher view of the same message replaces it."""
    if current is None or current.id == arrived.id:
        return arrived
    later = (arrived.lamport, arrived.id) > (current.lamport, current.id)
    return arrived if later else current
