"""System notifications and the tray icon's tooltip."""

from __future__ import annotations

from peerapp import PRODUCT_NAME
from peerapp.ui.text.translation import tr, trn


def new_messages_in(circle_name: str, count: int) -> str:
    return trn(
        "notifications", "New message in {circle_name}", "{n} new messages in {circle_name}", count
    ).format(n=count, circle_name=circle_name)


def latest_of(count: int, author_name: str, text: str) -> str:
    return tr("notifications", "{count} new messages · {author_name}: {text}").format(
        count=count, author_name=author_name, text=text
    )


def message_title(author_name: str, circle_name: str) -> str:
    return tr("notifications", "{author_name} · {circle_name}").format(
        author_name=author_name, circle_name=circle_name
    )


def private_message_in(circle_name: str) -> str:  # names no one: the screen may be seen
    return tr("notifications", "A private message in {circle_name}").format(circle_name=circle_name)


def private_message_title(author_name: str, circle_name: str) -> str:
    return tr("notifications", "{author_name}, privately · {circle_name}").format(
        author_name=author_name, circle_name=circle_name
    )


def unread_tooltip(unread: int) -> str:
    if unread == 0:
        return PRODUCT_NAME
    return trn(
        "notifications", "{app} · {n} unread message", "{app} · {n} unread messages", unread
    ).format(app=PRODUCT_NAME, n=unread)


def notifications_menu() -> str:
    return tr("notifications", "Notifications")


def detail_message() -> str:
    return tr("notifications", "Who wrote, and the message")


def detail_circle() -> str:
    return tr("notifications", "Only which circle has news")


def detail_nothing() -> str:
    return tr("notifications", "No notifications (the window title still counts)")
