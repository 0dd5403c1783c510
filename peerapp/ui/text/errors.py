"""How failures read: the engine's errors, unexpected ones, and "Could not …"."""

from __future__ import annotations

from peerapp import PRODUCT_NAME
from peerapp.ui.text.translation import tr


def engine_error(message: str, fatal: bool) -> str:
    if fatal:
        return tr(
            "errors", "{message} {app} is offline until you lock and unlock it, or restart it."
        ).format(message=message, app=PRODUCT_NAME)
    return tr("errors", "Something went wrong: {message}").format(message=message)


def unexpected_error(error_type: str) -> str:
    return tr(
        "errors", ("Something went wrong inside {app} ({error_type}). Nothing was changed.")
    ).format(app=PRODUCT_NAME, error_type=error_type)


def could_not(what: str, reason: str) -> str:
    return tr("errors", "Could not {what}: {reason}.").format(what=what, reason=reason)
