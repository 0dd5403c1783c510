"""The on-device crisis-language check: what must match, what must not, the variants
the matcher accepts, whole-word matching, strict loading, and the bundled lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.crisis_language import (
    CATEGORIES,
    CrisisMatch,
    CrisisMatcher,
    PhraseList,
    PhraseListError,
    load_phrases,
    words,
)
from peerapp.engine.crisis_phrases import (
    PHRASES_DIR,
    bundled_matcher,
    load_bundled,
    load_file,
    usable_lists,
)

REVIEWED = {
    "note": "Test list.",
    "date": "2026-11-21",
    "sources": [{"title": "A guide", "url": "https://example.org/guide"}],
}


def list_json(**changes: Any) -> str:
    data: dict[str, Any] = {
        "language": "en",
        "reviewed": REVIEWED,
        "categories": {
            "suicidal_ideation": ["kill myself", "want to die"],
            "intent_or_plan": ["going to kill myself"],
            "hopelessness": ["no way out"],
        },
        "exclusions": ["kill myself laughing"],
    }
    data.update(changes)
    return json.dumps({key: value for key, value in data.items() if value is not None})


@pytest.fixture(scope="module")
def matcher() -> CrisisMatcher:
    return bundled_matcher()


# -- the bundled English list ---------------------------------------------------------

MUST_MATCH = [
    # plain statements
    ("I want to die", "suicidal_ideation"),
    ("I want to kill myself", "suicidal_ideation"),
    ("sometimes I think about killing myself", "suicidal_ideation"),
    ("I wish I was dead", "suicidal_ideation"),
    ("I feel like I'm a burden to everyone", "suicidal_ideation"),
    ("everyone would be better off without me", "suicidal_ideation"),
    ("I have no reason to live", "suicidal_ideation"),
    ("I'm suicidal again", "suicidal_ideation"),
    ("thinking of ending my life", "suicidal_ideation"),
    # intent and plan win over ideation
    ("I'm going to kill myself tonight", "intent_or_plan"),
    ("I've been stockpiling pills", "intent_or_plan"),
    ("by the time you read this I'll be gone", "intent_or_plan"),
    ("I won't be here tomorrow", "intent_or_plan"),
    # self-harm
    ("I started cutting myself again", "self_harm"),
    ("I keep hurting myself", "self_harm"),
    ("self-harm has been bad this week", "self_harm"),
    ("selfharm", "self_harm"),
    # hopelessness ("no way out")
    ("There's no way out", "hopelessness"),
    ("I can't go on like this", "hopelessness"),
    ("I can't take it anymore", "hopelessness"),
    ("what's the point of living", "hopelessness"),
    ("I just want the pain to stop", "hopelessness"),
    ("nobody would miss me", "hopelessness"),
]

VARIANTS = [
    # spoken forms and intensifiers
    "i wanna die",
    "I really just want to die.",
    "i literally want to die",
    "i want to fucking die",
    # case, punctuation, spacing, line breaks, curly apostrophes, compatibility forms
    "I WANT TO DIE!!!",
    "i want to...die",
    "I   want\tto\n\ndie",
    "“I want to die”",
    "I ｗａｎｔ to die",  # fullwidth letters (NFKC)
    # contractions: with or without the apostrophe, or written out
    "I’m a burden",
    "im a burden",
    "I am a burden",
    "I cant go on",
    "I cannot go on",
    "I can not go on",
    "theres no way out",
    "there is no way out",
    "i dont want to live",
    "I do not want to live",
    # shorthand
    "kms",
    "i want to unalive myself",
    # inside a longer draft
    "Hi all. Rough week. "
    + "Work was hard. " * 100
    + "Honestly I want to die. Thanks for listening.",
]

# negation is not checked: better a gentle prompt too many than one missed
NEGATED_STILL_MATCH = [
    "I'm not going to kill myself, but I think about it",
    "I don't want to kill myself, I just can't go on",
    "I would never hurt myself",
]

MUST_NOT_MATCH = [
    "this exam is killing me",
    "my feet are killing me",
    "I skill myself up every weekend",  # whole words: "skill" is not "kill"
    "killmyselfie is not a word",
    "I'm dying to see you all on Tuesday",
    "that cake was to die for",
    "I'm dead lol",
    "I was killing myself laughing",  # an exclusion holds the match
    "I hurt myself playing football",
    "I cut myself shaving this morning",
    "I can't go on holiday this year",
    "we'll kill it at the gig",
    "I'm hopeless at cooking",
    "Jim a burden? no, Jim is great",
    "the plan is to end the meeting early",
    "What's the point of this meeting?",
    "",
    "   ",
    "💛🙏",
]


@pytest.mark.parametrize(("text", "category"), MUST_MATCH)
def test_listed_phrases_match_with_their_category(
    matcher: CrisisMatcher, text: str, category: str
) -> None:
    assert matcher.find(text) == CrisisMatch(category, "en")
    assert matcher.matches(text)


@pytest.mark.parametrize("text", VARIANTS)
def test_documented_variants_match(matcher: CrisisMatcher, text: str) -> None:
    assert matcher.matches(text)


@pytest.mark.parametrize("text", NEGATED_STILL_MATCH)
def test_negation_does_not_hide_a_match(matcher: CrisisMatcher, text: str) -> None:
    assert matcher.matches(text)


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_everyday_figures_of_speech_do_not_match(matcher: CrisisMatcher, text: str) -> None:
    assert matcher.find(text) is None


def test_an_exclusion_covers_only_its_own_span(matcher: CrisisMatcher) -> None:
    # "killing myself laughing" is excused; a real statement later in the draft is not
    assert matcher.matches("I was killing myself laughing. But honestly I want to die.")
    assert matcher.matches("I'm killing myself, laughing is the only thing left")


def test_a_match_tells_the_category_and_never_the_words(matcher: CrisisMatcher) -> None:
    found = matcher.find("I want to die")
    assert found is not None
    assert "die" not in repr(found)
    assert "phrases" in repr(matcher) and "die" not in repr(matcher)


# -- normalising --------------------------------------------------------------------------


def test_words_normalises_as_documented() -> None:
    assert words("Self-harm!! I’m  OK\n") == ["self", "harm", "i", "am", "ok"]
    assert words("I really just wanna go") == ["i", "want", "to", "go"]
    assert words("'quoted' don't") == ["quoted", "do", "not"]
    assert words("kms") == ["kill", "myself"]
    assert words("ill") == ["ill"]  # "ill" is a word, not "i'll"
    assert words("") == []


# -- loading --------------------------------------------------------------------------


def test_a_valid_list_loads() -> None:
    loaded = load_phrases(list_json())
    assert isinstance(loaded, PhraseList)
    assert loaded.language == "en"
    assert {p.category for p in loaded.phrases} == {
        "suicidal_ideation",
        "intent_or_plan",
        "hopelessness",
    }
    assert loaded.exclusions == ("kill myself laughing",)
    assert loaded.reviewed_date == "2026-11-21" and loaded.sources[0].url.startswith("https")
    matcher = CrisisMatcher([loaded])
    assert matcher.find("I'm gonna kill myself") == CrisisMatch("intent_or_plan", "en")
    assert matcher.find("I could kill myself laughing") is None


REFUSALS = [
    ("not json", "{", "Not valid JSON"),
    ("not an object", "[]", "must be an object"),
    ("duplicate key", '{"language": "en", "language": "fr"}', "appears twice"),
    ("unknown key", list_json(extra=1), "unknown keys: extra"),
    ("no language", list_json(language=None), "lacks: language"),
    ("language not a code", list_json(language="English"), "language must be"),
    ("language upper case", list_json(language="EN"), "language must be"),
    ("no reviewed", list_json(reviewed=None), "lacks: reviewed"),
    ("reviewed empty note", list_json(reviewed={**REVIEWED, "note": " "}), "reviewed.note"),
    ("reviewed bad date", list_json(reviewed={**REVIEWED, "date": "21/11/2026"}), "a date"),
    ("no sources", list_json(reviewed={**REVIEWED, "sources": []}), "at least one source"),
    (
        "plain http source",
        list_json(reviewed={**REVIEWED, "sources": [{"title": "x", "url": "http://x.org"}]}),
        "https://",
    ),
    ("no categories", list_json(categories={}), "at least one category"),
    ("unknown category", list_json(categories={"sadness": ["sad"]}), "Unknown category"),
    ("empty category", list_json(categories={"self_harm": []}), "non-empty list"),
    ("phrase not a string", list_json(categories={"self_harm": [3]}), "non-empty string"),
    ("empty phrase", list_json(categories={"self_harm": [""]}), "non-empty string"),
    ("only punctuation", list_json(categories={"self_harm": ["?!"]}), "no words"),
    ("only fillers", list_json(categories={"self_harm": ["really just"]}), "no words"),
    ("too long", list_json(categories={"self_harm": ["word " * 30]}), "longer than"),
    ("too many words", list_json(categories={"self_harm": ["a b c d e f g h i j k l m"]}), "words"),
    (
        "same phrase twice in other forms",
        list_json(categories={"hopelessness": ["can't go on", "cannot go on"]}),
        "reads the same",
    ),
    (
        "same phrase in two categories",
        list_json(categories={"self_harm": ["hurt myself"], "hopelessness": ["Hurt myself!"]}),
        "reads the same",
    ),
    ("exclusions not a list", list_json(exclusions="x"), "exclusions must be a list"),
    ("exclusion without a phrase", list_json(exclusions=["dying to see you"]), "no listed phrase"),
    ("exclusion equal to a phrase", list_json(exclusions=["want to die"]), "also a listed"),
    (
        "exclusion twice",
        list_json(exclusions=["kill myself laughing", "kill myself, laughing"]),
        "twice",
    ),
]


@pytest.mark.parametrize(("name", "text", "reason"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_malformed_lists_are_refused(name: str, text: str, reason: str) -> None:
    with pytest.raises(PhraseListError, match=reason):
        load_phrases(text)


def test_an_oversized_list_is_refused() -> None:
    with pytest.raises(PhraseListError, match="at most"):
        load_phrases(" " * 1_000_001)


# -- the bundled files --------------------------------------------------------------------


def test_the_bundled_english_list_loads_and_is_reviewed() -> None:
    lists = load_bundled()
    english = next(item for item in lists if item.language == "en")
    assert {phrase.category for phrase in english.phrases} == set(CATEGORIES)
    assert len(english.phrases) >= 100
    assert english.reviewed_note and english.sources
    assert all(source.url.startswith("https://") for source in english.sources)
    assert (PHRASES_DIR / "en.json").is_file()
    assert (PHRASES_DIR / "README.md").is_file()


def test_every_bundled_file_is_named_after_its_language() -> None:
    for path in sorted(PHRASES_DIR.glob("*.json")):
        assert load_file(path).language == path.stem


def test_a_misnamed_or_broken_file_is_refused_strictly_and_left_out_in_use(
    tmp_path: Path,
) -> None:
    (tmp_path / "en.json").write_text((PHRASES_DIR / "en.json").read_text("utf-8"), "utf-8")
    (tmp_path / "fr.json").write_text(list_json(language="de"), "utf-8")
    (tmp_path / "nl.json").write_text("{", "utf-8")
    with pytest.raises(PhraseListError, match=r"fr\.json: holds language 'de'"):
        load_file(tmp_path / "fr.json")
    with pytest.raises(PhraseListError, match=r"fr\.json"):
        load_bundled(tmp_path)
    usable = usable_lists(tmp_path)
    assert [item.language for item in usable] == ["en"]


def test_every_language_is_checked_at_once(tmp_path: Path) -> None:
    french = {
        "language": "fr",
        "reviewed": REVIEWED,
        "categories": {"suicidal_ideation": ["je veux mourir"]},
    }
    (tmp_path / "en.json").write_text(list_json(), "utf-8")
    (tmp_path / "fr.json").write_text(json.dumps(french), "utf-8")
    matcher = CrisisMatcher(load_bundled(tmp_path))
    assert matcher.find("Je veux mourir.") == CrisisMatch("suicidal_ideation", "fr")
    assert matcher.find("no way out") == CrisisMatch("hopelessness", "en")
    assert not matcher.matches("je veux dormir")


def test_a_missing_folder_gives_no_lists(tmp_path: Path) -> None:
    assert load_bundled(tmp_path / "nowhere") == ()
    assert not CrisisMatcher([]).matches("I want to die")
