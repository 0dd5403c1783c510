"""Replies, reactions and edits (issue 15): the words of the message menu, the composer's
quote bar, a reply's quote, "edited" and who reacted."""

from __future__ import annotations

from peerapp.core.content_policy import SUPPORT_REACTIONS
from peerapp.ui.text.translation import tr, trn


def reply_action() -> str:
    return tr("content", "Reply")


def react_menu() -> str:
    return tr("content", "React")


def other_emoji_placeholder() -> str:
    return tr("content", "Or one emoji, then Enter")


def edit_action() -> str:
    return tr("content", "Edit")


def _support_words() -> tuple[str, ...]:
    # in core/content_policy.SUPPORT_REACTIONS' order
    return (
        tr("content", "Heart"),
        tr("content", "Hug"),
        tr("content", "Me too"),
        tr("content", "Thinking of you"),
        tr("content", "Thank you"),
        tr("content", "Strong"),
    )


def reaction_words(reaction: str) -> str:
    """A reaction in words: one of the support set's, or the emoji itself."""
    if reaction in SUPPORT_REACTIONS:
        return _support_words()[SUPPORT_REACTIONS.index(reaction)]
    return reaction


def reacted_by(reaction: str, names: list[str]) -> str:
    """A reaction chip's tooltip: what it is and who gave it."""
    return tr("content", "{reaction}: {names}").format(
        reaction=reaction_words(reaction), names=tr("content", ", ").join(names)
    )


def reactions_said(count: int) -> str:
    """What a screen reader says after a message with reactions."""
    return trn("content", "{n} reaction", "{n} reactions", count).format(n=count)


def edited_tag() -> str:
    return tr("content", "edited")


def quote_removed() -> str:
    return tr("content", "Message removed")


def quote_of(name: str, text: str) -> str:
    return tr("content", "{name}: {text}").format(name=name, text=text)


def quote_hint() -> str:
    return tr("content", "Click to go to the message this answers.")


def replying_to(name: str, text: str) -> str:
    return tr("content", "Replying to {name}: {text}").format(name=name, text=text)


def editing(text: str) -> str:
    return tr("content", "Editing your message: {text}").format(text=text)


def cancel_context() -> str:
    return tr("content", "Cancel")


def cancel_context_name() -> str:
    return tr("content", "Stop replying or editing")


def to_react() -> str:
    return tr("content", "react to the message")


def to_edit() -> str:
    return tr("content", "edit the message")


def to_reply() -> str:
    return tr("content", "reply")


def not_found_here() -> str:
    return tr(
        "content",
        "The message this answers is not here any more: it was removed, or it is "
        "older than what this computer holds.",
    )


def earlier_versions(texts: list[str]) -> str:
    """A facilitator's note under an edited message: what it said before."""
    quoted = tr("content", " · ").join(
        tr("content", "“{text}”").format(text=text) for text in texts
    )
    return trn(
        "content", "Before the edit: {texts}", "Earlier versions: {texts}", len(texts)
    ).format(texts=quoted)
