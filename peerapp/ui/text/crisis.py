"""The crisis language prompt above the composer and "Get help now", the bundled crisis
directory (works offline, sends nothing).
"""

from __future__ import annotations

import html

from peerapp.ui.text.translation import tr


def crisis_prompt_name() -> str:
    return tr("crisis", "A note about support")


def crisis_prompt_text() -> str:
    return tr(
        "crisis",
        (
            "It sounds like things might be really heavy right now. You don't have "
            "to go through it alone."
        ),
    )


def crisis_prompt_private() -> str:
    return tr("crisis", "Only you see this. Nothing about it is sent or saved.")


def crisis_prompt_resources() -> str:
    return tr("crisis", "See crisis resources")


def crisis_prompt_resources_hint() -> str:
    return tr(
        "crisis",
        ("Phone numbers and websites of people you can talk to now. Works without a connection."),
    )


def crisis_prompt_facilitator() -> str:
    return tr("crisis", "Tell a facilitator")


def crisis_prompt_facilitator_hint() -> str:
    return tr("crisis", "Let this circle's facilitators know you could use support.")


def crisis_prompt_dismiss_name() -> str:
    return tr("crisis", "Dismiss this note")


def crisis_prompt_dismiss_hint() -> str:
    return tr("crisis", "Hides this note for this message.")


def get_help_now() -> str:
    return tr("crisis", "Get help now")


def get_help_now_hint() -> str:
    return tr(
        "crisis",
        (
            "Phone numbers and websites of crisis services in your country. Works "
            "without a connection and sends nothing."
        ),
    )


def crisis_help_title() -> str:
    return tr("crisis", "Get help now")


def crisis_help_intro() -> str:
    return tr(
        "crisis",
        (
            "You don't have to go through this alone. The people at these services "
            "are there to listen."
        ),
    )


def crisis_country_label() -> str:
    return tr("crisis", "Country")


def crisis_emergency_unknown() -> str:
    return tr("crisis", ("If you are in danger right now, call your local emergency number."))


def crisis_call() -> str:
    return tr("crisis", "Call")


def crisis_text() -> str:
    return tr("crisis", "Text")


def crisis_whatsapp() -> str:
    return tr("crisis", "WhatsApp")


def crisis_copy() -> str:
    return tr("crisis", "Copy")


def crisis_copied() -> str:
    return tr("crisis", "Copied")


def crisis_website() -> str:
    return tr("crisis", "Website")


def crisis_source() -> str:
    return tr("crisis", "Where this number comes from")


def crisis_private() -> str:
    return tr("crisis", ("This list is kept on this computer. Looking at it sends nothing."))


def crisis_close() -> str:
    return tr("crisis", "Close")


def crisis_no_directory() -> str:
    return tr(
        "crisis",
        (
            "The list of crisis services could not be opened on this computer. If "
            "you are in danger right now, call your local emergency number."
        ),
    )


def crisis_emergency(number: str) -> str:
    return tr("crisis", "If you are in danger right now, call {number}.").format(number=number)


def crisis_copy_name(number: str) -> str:
    """The copy button's accessible name."""
    return tr("crisis", "Copy {number}").format(number=number)


def crisis_hours(hours: str) -> str:
    return tr("crisis", "Hours: {hours}").format(hours=hours)


def crisis_languages(languages: list[str]) -> str:
    return tr("crisis", "Languages: {languages}").format(
        languages=tr("crisis", ", ").join(languages)
    )


def crisis_checked(date: str) -> str:
    return tr("crisis", "Last checked: {date}.").format(date=date)


def crisis_international(name: str, website: str) -> str:
    """Rich text: the worldwide directory, for anyone whose country is not listed."""
    return tr(
        "crisis",
        ('Somewhere else? <a href="{website}">{name}</a> lists helplines in many countries.'),
    ).format(website=website, name=name)


def crisis_help_heading() -> str:
    return tr("crisis", "Get help now")


def crisis_country_guessed() -> str:
    """Rich text: shown when the country came from the system's settings."""
    return tr(
        "crisis",
        'We guessed your country from your system settings: <a href="#country">change it</a>',
    )


def crisis_country_default(country: str) -> str:
    """Rich text: shown when nothing said which country the person is in."""
    return tr(
        "crisis",
        'We could not tell your country, so this shows {country}: <a href="#country">change it</a>',
    ).format(country=html.escape(country))
