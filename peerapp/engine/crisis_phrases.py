"""The bundled crisis-language phrase lists: one JSON file per language in the
package's resources/crisis/phrases/ folder (<language>.json), all loaded.

Rules:
- Every *.json file in the folder is read; its name must be its `language` ("en.json"
  holds "en"). Adding a language is adding a file (resources/crisis/phrases/README.md).
- `load_bundled` is strict (a broken file raises, so tests catch it); `bundled_matcher`,
  which the app uses, leaves a broken file out and notes its name (never its contents) in
  the log, so one bad file never takes the check away for the other languages.
- Read once per process; nothing here touches the network.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from peerapp.core.crisis_language import CrisisMatcher, PhraseList, PhraseListError, load_phrases
from peerapp.engine.crisis_directory import CRISIS_DIR

log = logging.getLogger(__name__)

PHRASES_DIR = CRISIS_DIR / "phrases"


def load_file(path: Path) -> PhraseList:
    """One list; raises PhraseListError when it is malformed or misnamed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PhraseListError(f"{path.name}: cannot be read ({type(error).__name__}).") from None
    try:
        phrase_list = load_phrases(text)
    except PhraseListError as error:
        raise PhraseListError(f"{path.name}: {error}") from None
    if phrase_list.language != path.stem:
        raise PhraseListError(
            f"{path.name}: holds language {phrase_list.language!r}; "
            f"name the file {phrase_list.language}.json."
        )
    return phrase_list


def phrase_files(folder: Path = PHRASES_DIR) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def load_bundled(folder: Path = PHRASES_DIR) -> tuple[PhraseList, ...]:
    """Every list in the folder, checked strictly (raises on the first broken one)."""
    return tuple(load_file(path) for path in phrase_files(folder))


def usable_lists(folder: Path = PHRASES_DIR) -> tuple[PhraseList, ...]:
    """Every list that loads; broken ones are left out, named in the log."""
    lists = []
    for path in phrase_files(folder):
        try:
            lists.append(load_file(path))
        except PhraseListError as error:
            log.warning("crisis phrase list left out: %s", error)
    return tuple(lists)


@functools.cache
def bundled_matcher() -> CrisisMatcher:
    """The matcher over every bundled language, built once."""
    return CrisisMatcher(usable_lists())
