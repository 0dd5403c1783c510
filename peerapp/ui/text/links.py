"""Links in messages: the message menu's entry and the confirmation before one opens."""

from __future__ import annotations

from peerapp.ui.text.translation import tr


def open_link_action(host: str) -> str:
    return tr("links", "Open link to {host}…").format(host=host)


def open_link_title() -> str:
    return tr("links", "Open this link?")


def open_link_heading() -> str:
    return tr("links", "Open a link from a message")


def open_link_explanation() -> str:
    return tr(
        "links",
        "A member shared this link. Check where it really goes before you open it: the"
        " site is the part in bold.",
    )


def opens_site(host: str) -> str:
    return tr("links", "It opens a page on {host} in your web browser.").format(host=host)


def other_letters(letters: str, host: str) -> str:
    return tr(
        "links",
        "This site's name is written with letters from another alphabet: it shows as"
        " “{letters}”, and its real address is {host}. Names like this can be made to look"
        " like a site you know.",
    ).format(letters=letters, host=host)


def user_name_before_site(user: str, host: str) -> str:
    return tr(
        "links",
        "The part before “@” (“{user}”) is not where this link goes: it goes to {host}.",
    ).format(user=user, host=host)


def tor_warning() -> str:
    return tr(
        "links",
        "Hearth uses Tor, but your web browser probably does not: opening this link in a"
        " normal browser can reveal your IP address (and so roughly where you are) to that"
        " site. To stay hidden, copy the link and open it in Tor Browser.",
    )


def not_fetched() -> str:
    return tr("links", "Hearth never opens links or loads previews by itself.")


def open_in_browser() -> str:
    return tr("links", "Open in browser")


def copy_link() -> str:
    return tr("links", "Copy link")


def link_copied() -> str:
    return tr("links", "Link copied.")


def could_not_open() -> str:
    return tr(
        "links",
        "Your computer could not open the link: no web browser answered. Copy the link and"
        " open it in your browser yourself.",
    )
