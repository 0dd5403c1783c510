"""The one door every user-visible string goes through: gettext, with a context per feature.

Each text module calls `tr(context, message)` or `trn(context, singular, plural, n)` with
literal arguments, the context being the module's feature name ("circles", "moderation"),
so `xgettext --keyword=tr:1c,2 --keyword=trn:1c,2,3` extracts every string with its
context (docs/architecture.md, "User text and translation"). The English text is the
source: with no catalog installed (`NullTranslations`) `tr` gives it back unchanged and
`trn` picks English's singular or plural, so the GUI reads exactly as written.

Text functions are called when a widget is built or refreshed, never at import, so a
catalog installed at start (or by a test) reaches every string.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "hearth"
# compiled catalogs: <LOCALE_DIR>/<language>/LC_MESSAGES/hearth.mo (none ship yet)
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_catalog: gettext.NullTranslations = gettext.NullTranslations()


def install(catalog: gettext.NullTranslations) -> None:
    """Use `catalog` for every string from now on (`NullTranslations()`: English)."""
    global _catalog  # noqa: PLW0603 - the process's one language, like gettext.install
    _catalog = catalog


def install_from_environment(locale_dir: Path = LOCALE_DIR) -> None:
    """The catalog for the person's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), or
    English when there is none."""
    install(gettext.translation(DOMAIN, os.fspath(locale_dir), fallback=True))


def tr(context: str, message: str) -> str:
    """`message` in the installed language; `context` is the feature's name."""
    return _catalog.pgettext(context, message)


def trn(context: str, singular: str, plural: str, n: int) -> str:
    """The form of a text that fits the count `n`, by the language's plural rules (English
    has two; others have one to six). The caller fills in `{n}` or its own placeholders."""
    return _catalog.npgettext(context, singular, plural, n)
