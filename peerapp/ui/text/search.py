"""Search: in one circle (Ctrl+F) and across every circle (Ctrl+Shift+F)."""

from __future__ import annotations

from peerapp.ui.text.translation import tr, trn


def search_circle_action() -> str:
    return tr("search", "Search in this circle…")


def search_all_action() -> str:
    return tr("search", "Search all circles…")


def title_in_circle(circle: str) -> str:
    return tr("search", "Search in {circle}").format(circle=circle)


def title_everywhere() -> str:
    return tr("search", "Search all circles")


def placeholder() -> str:
    return tr("search", "Words to find")


def results_name() -> str:
    return tr("search", "Messages found")


def hint() -> str:
    return tr("search", "Enter or Down goes to the results; Enter on one shows it; Esc closes.")


def type_words() -> str:
    return tr("search", "Type a word or two: messages with all of them are found.")


def searching() -> str:
    return tr("search", "Searching…")


def nothing_found() -> str:
    return tr("search", "No message you can read has all of these words.")


def found(count: int, more: bool) -> str:
    if more:
        return trn(
            "search",
            "The best {n} match so far.",
            "The best {n} matches so far.",
            count,
        ).format(n=count)
    return trn("search", "{n} message found.", "{n} messages found.", count).format(n=count)


def show_more() -> str:
    return tr("search", "Show more")


def to_search() -> str:
    """What failed, for failure_message: 'Could not {what}: ...'."""
    return tr("search", "search your messages")


def result_heading(author: str, circle: str, when: str) -> str:
    return tr("search", "{author} in {circle} · {when}").format(
        author=author, circle=circle, when=when
    )


def result_heading_private(author: str, member: str, circle: str, when: str) -> str:
    """A result from a private conversation, searching every circle."""
    return tr("search", "{author} · private, with {member} in {circle} · {when}").format(
        author=author, member=member, circle=circle, when=when
    )


def result_heading_private_in_circle(author: str, member: str, when: str) -> str:
    """A result from a private conversation, searching one circle."""
    return tr("search", "{author} · private, with {member} · {when}").format(
        author=author, member=member, when=when
    )


def not_in_private_conversation() -> str:
    return tr("search", "That message is no longer in the private conversation.")


def result_heading_in_circle(author: str, when: str) -> str:
    return tr("search", "{author} · {when}").format(author=author, when=when)


def you() -> str:
    return tr("search", "You")


def someone() -> str:
    return tr("search", "Someone")


def not_in_conversation() -> str:
    return tr(
        "search",
        "That message is no longer in the conversation: it was deleted, hidden for review, "
        "or you chose not to see it.",
    )
