"""An on-device check for crisis language in a draft, built from reviewed phrase lists.

Rules:
- Everything happens on this device. The draft, the result and the phrase that matched
  are never sent, logged or stored; `CrisisMatch` carries only a category and a language.
- Text and phrases are normalised the same way (`words`): Unicode NFKC, casefolded,
  curly apostrophes made straight; a word is a run of letters and digits, with
  apostrophes allowed inside it ("don't"); everything else (spaces, line breaks,
  punctuation, hyphens, emoji) only separates words. So "Self-harm!!" reads as
  "self harm", and "I   can't\ngo on." as "i can not go on".
- Phrases match whole words only: "kill myself" is found in "I want to kill myself"
  but not in "I skill myself up" or "killmyselfie".
- Variants come from one small table (`CANONICAL`), applied to text and phrases alike:
  contractions with or without the apostrophe and their long form ("i'm", "im",
  "i am"; "can't", "cant", "cannot", "can not"), spoken forms ("wanna" is "want to"),
  and two shorthands people use online ("kms" is "kill myself", "unalive" is "kill").
  Intensifiers such as "really", "just", "so", "literally" (`FILLERS`) are skipped, so
  "I really just want to die" matches "want to die". A list therefore names each
  phrase once, in any of its forms; two entries that read the same are refused.
- Negation is ignored on purpose (better a gentle prompt too many than one missed):
  "I'm not going to kill myself, but…" still matches "kill myself". People in pain
  often hedge; the prompt is quiet, only the writer sees it and one click dismisses it.
- Obvious figures of speech stay out in two ways: the lists avoid phrases whose usual
  meaning is harmless ("killing me", "dying to", "to die for", "I'm dead"), and a list
  may name exclusions: a match lying wholly inside an exclusion ("killing myself
  laughing", "hurt myself playing") does not count.
- When several phrases match, the most serious category wins (CATEGORIES is in that
  order): intent or plan, then suicidal thoughts, self-harm, hopelessness.
- Lists are data (resources/crisis/phrases/<language>.json) and are checked strictly
  when loaded (`load_phrases`): a malformed list is refused as a whole, never half-used.
- Fast enough to run on every (debounced) keystroke: one pass over the draft's words
  with a dict lookup per word (bench/bench_crisis_language.py measures a 4,000-character
  draft).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# most serious first: when phrases of several categories match, the first one wins
CATEGORIES: tuple[str, ...] = (
    "intent_or_plan",
    "suicidal_ideation",
    "self_harm",
    "hopelessness",
)

MAX_LIST_BYTES = 1_000_000
MAX_PHRASES = 2000
MAX_PHRASE_CHARS = 100
MAX_PHRASE_WORDS = 12
MAX_NOTE_CHARS = 4000
MAX_SOURCES = 50

_LIST_KEYS = frozenset({"language", "reviewed", "categories", "exclusions"})
_REQUIRED_KEYS = frozenset({"language", "reviewed", "categories"})
_REVIEWED_KEYS = frozenset({"note", "date", "sources"})
_SOURCE_KEYS = frozenset({"title", "url"})
# a lowercase BCP 47 tag: "en", "pt-br", "zh-hant"
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")

# curly and look-alike apostrophes people's keyboards and phones produce
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u201b\u02bc\u2032\u0060\u00b4", "'"))
# a word: letters and digits, apostrophes allowed between them ("don't", "i'm")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# between two words, ends a clause: an exclusion never reaches across it
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n\u2026\u2013\u2014()]")

# one form for the variants of a word: applied to drafts and phrases alike
CANONICAL: Mapping[str, tuple[str, ...]] = {
    "i'm": ("i", "am"),
    "im": ("i", "am"),
    "i've": ("i", "have"),
    "ive": ("i", "have"),
    "i'll": ("i", "will"),  # not "ill": that is a word of its own
    "i'd": ("i", "would"),
    "can't": ("can", "not"),
    "cant": ("can", "not"),
    "cannot": ("can", "not"),
    "don't": ("do", "not"),
    "dont": ("do", "not"),
    "doesn't": ("does", "not"),
    "doesnt": ("does", "not"),
    "didn't": ("did", "not"),
    "didnt": ("did", "not"),
    "won't": ("will", "not"),
    "wont": ("will", "not"),
    "wouldn't": ("would", "not"),
    "wouldnt": ("would", "not"),
    "couldn't": ("could", "not"),
    "couldnt": ("could", "not"),
    "isn't": ("is", "not"),
    "isnt": ("is", "not"),
    "aren't": ("are", "not"),
    "arent": ("are", "not"),
    "wasn't": ("was", "not"),
    "wasnt": ("was", "not"),
    "haven't": ("have", "not"),
    "havent": ("have", "not"),
    "it's": ("it", "is"),
    "its": ("it", "is"),  # typed for "it's" more often than not in a draft
    "that's": ("that", "is"),
    "thats": ("that", "is"),
    "there's": ("there", "is"),
    "theres": ("there", "is"),
    "what's": ("what", "is"),
    "whats": ("what", "is"),
    "nothing's": ("nothing", "is"),
    "everything's": ("everything", "is"),
    "you're": ("you", "are"),
    "youre": ("you", "are"),
    "they're": ("they", "are"),
    "theyre": ("they", "are"),
    "wanna": ("want", "to"),
    "gonna": ("going", "to"),
    "gotta": ("got", "to"),
    "tryna": ("trying", "to"),
    "kms": ("kill", "myself"),
    "unalive": ("kill",),
    "unaliving": ("killing",),
    "selfharm": ("self", "harm"),
}

# intensifiers skipped when matching: "I really just want to die" is "want to die"
FILLERS: frozenset[str] = frozenset(
    {
        "really",
        "just",
        "so",
        "truly",
        "honestly",
        "literally",
        "seriously",
        "actually",
        "totally",
        "completely",
        "simply",
        "even",
        "fucking",
        "fuckin",
        "freaking",
        "frickin",
        "bloody",
    }
)


class PhraseListError(ValueError):
    """A phrase list that cannot be used; the message says why (never a draft's text)."""


@dataclass(frozen=True)
class Phrase:
    category: str
    text: str


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class PhraseList:
    """One language's reviewed phrases (and exclusions), as loaded from its JSON file."""

    language: str
    phrases: tuple[Phrase, ...]
    exclusions: tuple[str, ...] = ()
    reviewed_note: str = ""
    reviewed_date: str = ""
    sources: tuple[Source, ...] = field(default=())


@dataclass(frozen=True)
class CrisisMatch:
    """That a draft matched, and how seriously: never which words."""

    category: str
    language: str


def words(text: str) -> list[str]:
    """The text as the matcher reads it: normalised words, variants in one form, fillers
    left out."""
    return _read(text)[0]


def _read(text: str) -> tuple[list[str], set[int]]:
    """The words, and the positions of the words that start a new clause (punctuation
    such as . , ; ! ? or a line break came before them)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    result: list[str] = []
    breaks: set[int] = set()
    previous_end = 0
    for found in _WORD.finditer(folded):
        if _CLAUSE_BREAK.search(folded, previous_end, found.start()):
            breaks.add(len(result))
        previous_end = found.end()
        word = found.group()
        canonical = CANONICAL.get(word)
        if canonical is not None:
            result.extend(canonical)
        elif word not in FILLERS:
            result.append(word)
    return result, breaks


# -- matching -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    words: tuple[str, ...]
    rank: int  # index in CATEGORIES: lower is more serious
    language: str


def _index(entries: Iterable[_Entry]) -> dict[str, list[_Entry]]:
    by_first: dict[str, list[_Entry]] = {}
    for entry in entries:
        by_first.setdefault(entry.words[0], []).append(entry)
    return by_first


def _spans(
    draft: Sequence[str], by_first: Mapping[str, list[_Entry]]
) -> Iterable[tuple[int, int, _Entry]]:
    """Every place (start, end, entry) where an entry's words occur in the draft."""
    for start, word in enumerate(draft):
        for entry in by_first.get(word, ()):
            end = start + len(entry.words)
            if tuple(draft[start:end]) == entry.words:
                yield start, end, entry


class CrisisMatcher:
    """Checks drafts against the phrases of every list given (all languages at once: a
    draft may mix them)."""

    def __init__(self, lists: Iterable[PhraseList]) -> None:
        phrases: list[_Entry] = []
        exclusions: list[_Entry] = []
        for phrase_list in lists:
            for phrase in phrase_list.phrases:
                rank = CATEGORIES.index(phrase.category)
                phrases.append(_Entry(tuple(words(phrase.text)), rank, phrase_list.language))
            for text in phrase_list.exclusions:
                exclusions.append(_Entry(tuple(words(text)), 0, phrase_list.language))
        self._phrases = _index(phrases)
        self._exclusions = _index(exclusions)
        self.phrase_count = len(phrases)

    def __repr__(self) -> str:
        return f"CrisisMatcher({self.phrase_count} phrases)"

    def find(self, text: str) -> CrisisMatch | None:
        """The most serious category the draft matches, or None."""
        draft, breaks = _read(text)
        found = list(_spans(draft, self._phrases))
        if not found:
            return None
        # an exclusion counts only written in one go: "killing myself laughing" excuses,
        # "killing myself, laughing is all that's left" does not
        excluded = [
            (start, end)
            for start, end, _ in _spans(draft, self._exclusions)
            if not any(start < position < end for position in breaks)
        ]
        best: _Entry | None = None
        for start, end, entry in found:
            if any(a <= start and end <= b for a, b in excluded):
                continue
            if best is None or entry.rank < best.rank:
                best = entry
        if best is None:
            return None
        return CrisisMatch(CATEGORIES[best.rank], best.language)

    def matches(self, text: str) -> bool:
        return self.find(text) is not None


# -- loading ------------------------------------------------------------------------------


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise PhraseListError(f"The key {key!r} appears twice.")
        result[key] = value
    return result


def _object(
    value: object, where: str, allowed: frozenset[str], required: frozenset[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PhraseListError(f"{where} must be an object.")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise PhraseListError(f"{where} has unknown keys: {', '.join(unknown)}.")
    missing = sorted(required - set(value))
    if missing:
        raise PhraseListError(f"{where} lacks: {', '.join(missing)}.")
    return value


def _text(value: object, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PhraseListError(f"{where} must be a non-empty string.")
    if len(value) > limit:
        raise PhraseListError(f"{where} is longer than {limit} characters.")
    return value


def _phrase_words(value: object, where: str) -> tuple[str, tuple[str, ...]]:
    text = _text(value, where, MAX_PHRASE_CHARS)
    read = tuple(words(text))
    if not read:
        raise PhraseListError(f"{where} ({text!r}) has no words once normalised.")
    if len(read) > MAX_PHRASE_WORDS:
        raise PhraseListError(f"{where} ({text!r}) has more than {MAX_PHRASE_WORDS} words.")
    return text, read


def _reviewed(value: object) -> tuple[str, str, tuple[Source, ...]]:
    reviewed = _object(value, "reviewed", _REVIEWED_KEYS, _REVIEWED_KEYS)
    note = _text(reviewed["note"], "reviewed.note", MAX_NOTE_CHARS)
    day = _text(reviewed["date"], "reviewed.date", 10)
    try:
        date.fromisoformat(day)
    except ValueError:
        raise PhraseListError("reviewed.date must be a date like 2026-11-21.") from None
    raw_sources = reviewed["sources"]
    if not isinstance(raw_sources, list) or not raw_sources:
        raise PhraseListError("reviewed.sources must list at least one source.")
    if len(raw_sources) > MAX_SOURCES:
        raise PhraseListError(f"reviewed.sources has more than {MAX_SOURCES} entries.")
    sources = []
    for number, raw in enumerate(raw_sources, 1):
        where = f"reviewed.sources[{number}]"
        source = _object(raw, where, _SOURCE_KEYS, _SOURCE_KEYS)
        url = _text(source["url"], f"{where}.url", 500)
        if not url.startswith("https://"):
            raise PhraseListError(f"{where}.url must be an https:// address.")
        sources.append(Source(_text(source["title"], f"{where}.title", 300), url))
    return note, day, tuple(sources)


def _categories(categories: object) -> tuple[list[Phrase], dict[tuple[str, ...], str]]:
    """The phrases of every category, and each one's words (to find duplicates)."""
    if not isinstance(categories, dict) or not categories:
        raise PhraseListError("categories must be an object with at least one category.")
    phrases: list[Phrase] = []
    seen: dict[tuple[str, ...], str] = {}
    for category, entries in categories.items():
        if category not in CATEGORIES:
            raise PhraseListError(f"Unknown category {category!r}; known: {', '.join(CATEGORIES)}.")
        if not isinstance(entries, list) or not entries:
            raise PhraseListError(f"categories.{category} must be a non-empty list.")
        for number, raw in enumerate(entries, 1):
            text, read = _phrase_words(raw, f"categories.{category}[{number}]")
            if read in seen:
                raise PhraseListError(f"{text!r} reads the same as {seen[read]!r} once normalised.")
            seen[read] = text
            phrases.append(Phrase(category, text))
    if len(phrases) > MAX_PHRASES:
        raise PhraseListError(f"A phrase list may hold at most {MAX_PHRASES} phrases.")
    return phrases, seen


def load_phrases(json_text: str) -> PhraseList:
    """A phrase list from its JSON text, checked strictly; raises PhraseListError.

    The shape: {"language": "en", "reviewed": {"note", "date", "sources": [{"title",
    "url"}]}, "categories": {<category>: [phrase, ...]}, "exclusions": [phrase, ...]}
    (exclusions optional). Categories are those of CATEGORIES. No two phrases may read
    the same once normalised, and every exclusion must contain a listed phrase (one
    that does not would never do anything: most likely a typo)."""
    if len(json_text.encode("utf-8", "surrogatepass")) > MAX_LIST_BYTES:
        raise PhraseListError(f"A phrase list may be at most {MAX_LIST_BYTES} bytes.")
    try:
        data = json.loads(json_text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise PhraseListError(f"Not valid JSON (line {error.lineno}).") from None
    top = _object(data, "The phrase list", _LIST_KEYS, _REQUIRED_KEYS)
    language = top["language"]
    if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
        raise PhraseListError("language must be a lowercase language code such as 'en'.")
    note, day, sources = _reviewed(top["reviewed"])

    phrases, seen = _categories(top["categories"])

    raw_exclusions = top.get("exclusions", [])
    if not isinstance(raw_exclusions, list):
        raise PhraseListError("exclusions must be a list.")
    exclusions: list[str] = []
    seen_exclusions: set[tuple[str, ...]] = set()
    for number, raw in enumerate(raw_exclusions, 1):
        where = f"exclusions[{number}]"
        text, read = _phrase_words(raw, where)
        if read in seen_exclusions:
            raise PhraseListError(f"{where} ({text!r}) is listed twice.")
        if read in seen:
            raise PhraseListError(f"{where} ({text!r}) is also a listed phrase.")
        if not any(_contains(read, phrase) for phrase in seen):
            raise PhraseListError(f"{where} ({text!r}) contains no listed phrase.")
        seen_exclusions.add(read)
        exclusions.append(text)
    return PhraseList(language, tuple(phrases), tuple(exclusions), note, day, sources)


def _contains(outer: Sequence[str], inner: Sequence[str]) -> bool:
    size = len(inner)
    return any(tuple(outer[i : i + size]) == tuple(inner) for i in range(len(outer) - size + 1))
