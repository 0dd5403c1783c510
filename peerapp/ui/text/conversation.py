"""A circle's conversation: the member list, the composer, dates, delivery and catching up."""

from __future__ import annotations

from peerapp.ui.text.translation import tr, trn


def members_button() -> str:
    return tr("conversation", "Members")


def members_heading() -> str:
    return tr("conversation", "Members")


def founder_badge() -> str:
    return tr("conversation", "Founder")


def unnamed_member() -> str:
    return tr("conversation", "Someone")


def online() -> str:
    return tr("conversation", "Connected")


def offline() -> str:
    return tr("conversation", "Not connected")


def loading_messages() -> str:
    return tr("conversation", "Loading messages…")


def no_messages_yet() -> str:
    return tr(
        "conversation", ("No messages yet. Whatever is shared here stays between the members.")
    )


def connection_tooltip() -> str:
    return tr(
        "conversation", ("Only members who are connected now receive new messages right away.")
    )


def just_you() -> str:
    return tr("conversation", "Just you so far · invite someone to begin")


def composer_placeholder() -> str:
    return tr("conversation", "Write to the circle…")


def composer_hint() -> str:
    return tr("conversation", "Enter sends · Shift+Enter starts a new line")


def send() -> str:
    return tr("conversation", "Send")


def copy_message() -> str:
    return tr("conversation", "Copy text")


def today() -> str:
    return tr("conversation", "Today")


def yesterday() -> str:
    return tr("conversation", "Yesterday")


def day_format_this_year() -> str:
    return tr("conversation", "{weekday} {day} {month}")


def day_format_other_year() -> str:
    return tr("conversation", "{day} {month} {year}")


def clock_format() -> str:
    return tr("conversation", "%H:%M")


def catch_up_accessible() -> str:
    return tr("conversation", "Catching up with the circle")


def never_synced() -> str:
    return tr("conversation", "never synced")


def sync_tooltip_heading() -> str:
    return tr("conversation", "When this computer last exchanged messages with each member:")


def delivery_pending() -> str:
    return tr("conversation", "Not yet delivered: no other member has this message yet.")


def catching_up(received: int, total: int) -> str:
    return tr("conversation", "Catching up: {received:,} of {total:,}").format(
        received=received, total=total
    )


def synced_ago(seconds: float) -> str:
    """How long ago the last exchange with a member was, in the largest unit that fits."""
    age = max(int(seconds), 0)
    if age < 1:
        return tr("conversation", "synced just now")
    if age < 60:
        return tr("conversation", "synced {n} s ago").format(n=age)
    if age < 3600:
        return tr("conversation", "synced {n} min ago").format(n=age // 60)
    if age < 24 * 3600:
        return tr("conversation", "synced {n} h ago").format(n=age // 3600)
    return tr("conversation", "synced {n} d ago").format(n=age // (24 * 3600))


def member_synced(name: str, when: str) -> str:
    return tr("conversation", "{name}: {when}").format(name=name, when=when)


def held_by(count: int, others: int) -> str:
    """How far one's own message has gone, in plain words: every other member has it, or
    how many of them do."""
    if count >= others:
        return tr("conversation", "Delivered to everyone")
    return tr("conversation", "Delivered to {count} of {others}").format(count=count, others=others)


def held_by_count(count: int, others: int) -> str:
    """The short form drawn next to the check mark."""
    return tr("conversation", "{count}/{others}").format(count=count, others=others)


def member_count(count: int) -> str:
    return trn("conversation", "{n} member", "{n} members", count).format(n=count)


def connected_members(connected: int, others: int) -> str:
    return trn(
        "conversation",
        "Connected to {connected} of {others} member",
        "Connected to {connected} of {others} members",
        others,
    ).format(connected=connected, others=others)


def character_count(count: int, limit: int) -> str:
    return tr("conversation", "{count:,} / {limit:,}").format(count=count, limit=limit)


def not_sent(reason: str) -> str:
    return tr("conversation", "Not sent: {reason} Your message is still here.").format(
        reason=reason
    )


def too_long(limit: int) -> str:
    return tr("conversation", "A message can be at most {limit:,} characters.").format(limit=limit)


def unread_count(count: int) -> str:
    return tr("conversation", "{count} unread").format(count=count)


def unread_badge(count: int) -> str:
    if count > 99:
        return tr("conversation", "99+")
    return tr("conversation", "{count}").format(count=count)


def to_send() -> str:
    return tr("conversation", "send the message")
