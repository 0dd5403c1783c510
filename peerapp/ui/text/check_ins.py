"""Check-ins: how a member tells the circle how they are doing, on a scale of five moods."""

from __future__ import annotations

from peerapp.ui.text.translation import tr


# check-ins
def check_in_button() -> str:
    return tr("check_ins", "Check in")


def check_in_tooltip() -> str:
    return tr("check_ins", "Tell the circle how you are doing, in one short line")


def check_in_title() -> str:
    return tr("check_ins", "Check in")


def check_in_heading() -> str:
    return tr("check_ins", "How are you doing?")


def check_in_text() -> str:
    return tr(
        "check_ins",
        ("Pick what fits right now (keys 1 to 5 work too). The circle sees one short line."),
    )


def mood_names() -> dict[int, str]:
    return {
        1: tr("check_ins", "Really struggling"),
        2: tr("check_ins", "Having a hard time"),
        3: tr("check_ins", "Getting by"),
        4: tr("check_ins", "Doing okay"),
        5: tr("check_ins", "Doing well"),
    }


def check_in_line_label() -> str:
    return tr("check_ins", "Anything to add? (optional)")


def check_in_line_placeholder() -> str:
    return tr("check_ins", "A few words, if you like")


def check_in_send() -> str:
    return tr("check_ins", "Share")


def check_in_sending() -> str:
    return tr("check_ins", "Sharing…")


def to_check_in() -> str:
    return tr("check_ins", "share your check-in")


def mood_name(mood: int) -> str:
    return mood_names().get(mood, "")


def mood_choice(mood: int) -> str:
    """A mood as the check-in dialog offers it: "3 · Getting by"."""
    return tr("check_ins", "{mood} · {name}").format(mood=mood, name=mood_name(mood))


def mood_scale(mood: int) -> str:
    """The dots' meaning, for a screen reader and the tooltip."""
    return tr("check_ins", "{mood} of 5").format(mood=mood)


def check_in_said(author: str, mood: int, line: str) -> str:
    said = tr("check_ins", "{author} checked in: {mood} ({scale})").format(
        author=author, mood=mood_name(mood), scale=mood_scale(mood)
    )
    if not line:
        return said
    return tr("check_ins", "{said}. {line}").format(said=said, line=line)
