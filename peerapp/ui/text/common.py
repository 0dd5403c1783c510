"""Words several features share: the app's name, common buttons, lengths of time."""

from __future__ import annotations

from peerapp import PRODUCT_NAME
from peerapp.ui.text.translation import tr, trn


def app_name() -> str:
    return PRODUCT_NAME


def cancel() -> str:
    return tr("common", "Cancel")


def quit() -> str:
    return tr("common", "Quit")


def dismiss() -> str:
    return tr("common", "Dismiss")


def copy() -> str:
    return tr("common", "Copy")


def copied() -> str:
    return tr("common", "Copied")


def done() -> str:
    return tr("common", "Done")


def continue_label() -> str:
    return tr("common", "Continue")


def back() -> str:
    return tr("common", "Back")


def close() -> str:
    return tr("common", "Close")


def ago(seconds: float) -> str:
    """How long ago something happened, in the largest unit that fits ("5 min ago")."""
    age = max(int(seconds), 0)
    if age < 60:
        return tr("common", "just now")
    if age < 3600:
        return tr("common", "{n} min ago").format(n=age // 60)
    if age < 24 * 3600:
        return tr("common", "{n} h ago").format(n=age // 3600)
    return tr("common", "{n} d ago").format(n=age // (24 * 3600))


def one_moment() -> str:
    return tr("common", "One moment…")


def duration(seconds: int) -> str:
    """A length of time in the largest whole unit: "10 minutes", "1 hour", "90 seconds"."""
    seconds = max(seconds, 0)
    if seconds and seconds % (24 * 3600) == 0:
        n = seconds // (24 * 3600)
        return trn("common", "{n} day", "{n} days", n).format(n=n)
    if seconds and seconds % 3600 == 0:
        n = seconds // 3600
        return trn("common", "{n} hour", "{n} hours", n).format(n=n)
    if seconds and seconds % 60 == 0:
        n = seconds // 60
        return trn("common", "{n} minute", "{n} minutes", n).format(n=n)
    return trn("common", "{n} second", "{n} seconds", seconds).format(n=seconds)


def short_duration(seconds: int) -> str:
    """A short length of time: "30 s", "1 min", "2 min 30 s", "1 h"."""
    seconds = max(seconds, 0)
    if seconds < 60:
        return tr("common", "{seconds} s").format(seconds=seconds)
    if seconds % 3600 == 0:
        return tr("common", "{hours} h").format(hours=seconds // 3600)
    minutes, rest = divmod(seconds, 60)
    if rest == 0:
        return tr("common", "{minutes} min").format(minutes=minutes)
    return tr("common", "{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)


def hours_long(hours: int) -> str:
    """In hours, as the settings' box counts them: "1 hour", "24 hours"."""
    return trn("common", "{n} hour", "{n} hours", hours).format(n=hours)
