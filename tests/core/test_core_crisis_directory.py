"""The bundled crisis directory: it follows resources/crisis/schema.json, every entry is
cited and dated, and the core parser refuses malformed data with a clear message."""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
import trio

from peerapp.core.api.crisis import (
    CountryList,
    CrisisCountries,
    CrisisResources,
    CrisisResourcesView,
)
from peerapp.core.api.registry import parse_command, result_json
from peerapp.core.crisis_directory import (
    CrisisDirectoryInvalid,
    parse_directory,
    parse_directory_text,
)
from peerapp.core.errors import CommandError
from peerapp.engine.crisis_directory import (
    DIRECTORY_FILE,
    SCHEMA_FILE,
    crisis_handlers,
    crisis_resources,
    load_bundled,
)

Document = dict[str, Any]
URL = re.compile(r"https?://\S+\.\S+")


def bundled_document() -> Document:
    return dict(json.loads(DIRECTORY_FILE.read_text(encoding="utf-8")))


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(document: object) -> list[str]:
    return [error.message for error in validator().iter_errors(document)]


# -- the bundled file -----------------------------------------------------------------------


def test_the_bundled_directory_validates_against_its_schema() -> None:
    assert schema_errors(bundled_document()) == []


def test_the_bundled_directory_parses_and_covers_at_least_twenty_countries() -> None:
    directory = load_bundled()
    assert len(directory.countries) >= 20
    codes = [country.code for country in directory.countries]
    assert len(codes) == len(set(codes))
    for code in ("US", "GB", "DE", "FR", "JP", "IN", "BR", "AU"):
        assert directory.country(code) is not None, code


def test_every_entry_has_a_source_address_and_a_checked_date() -> None:
    directory = load_bundled()
    today = datetime.date(2026, 11, 21)
    for country in directory.countries:
        assert country.services, country.code
        if country.emergency:
            assert URL.fullmatch(country.emergency_source), country.code
        for service in country.services:
            assert URL.fullmatch(service.source), (country.code, service.name)
            checked = datetime.date.fromisoformat(service.checked)
            assert checked <= today, (country.code, service.name)
            assert service.phone or service.text or service.whatsapp


def test_the_directory_says_it_may_be_out_of_date_and_when_it_was_checked() -> None:
    directory = load_bundled()
    assert "out of date" in directory.note
    assert "confirm" in directory.note
    datetime.date.fromisoformat(directory.checked)
    assert URL.fullmatch(directory.international.website)
    assert URL.fullmatch(directory.international.source)


# -- malformed data: the parser and the schema both refuse it ---------------------------------


def _first_service(document: Document) -> Document:
    return dict(document["countries"][0]["services"][0])


def _set(path: tuple[Any, ...], value: object) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _delete(path: tuple[Any, ...]) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


SERVICE = ("countries", 0, "services", 0)
COUNTRY = ("countries", 0)

MALFORMED: list[tuple[str, Callable[[Document], object], str]] = [
    ("missing source", _delete((*SERVICE, "source")), "missing source"),
    ("missing checked", _delete((*SERVICE, "checked")), "missing checked"),
    ("missing name", _delete((*COUNTRY, "name")), "missing name"),
    ("missing note", _delete(("note",)), "missing note"),
    ("impossible date", _set((*SERVICE, "checked"), "2026-13-01"), "YYYY-MM-DD"),
    ("day-first date", _set((*SERVICE, "checked"), "21/11/2026"), "YYYY-MM-DD"),
    ("directory date", _set(("checked",), "yesterday"), "YYYY-MM-DD"),
    ("three-letter code", _set((*COUNTRY, "code"), "USA"), "ISO 3166"),
    ("lower-case code", _set((*COUNTRY, "code"), "us"), "ISO 3166"),
    ("source not a URL", _set((*SERVICE, "source"), "the internet"), "web address"),
    (
        "no numbers",
        lambda d: [_set((*SERVICE, k), [])(d) for k in ("phone", "text", "whatsapp")],
        "at least one",
    ),
    ("not a number", _set((*SERVICE, "phone"), ["call us"]), "not a phone number"),
    ("number as a string", _set((*SERVICE, "phone"), "988"), "list of numbers"),
    ("unknown field", _set((*SERVICE, "fax"), "1"), "unexpected fax"),
    ("no services", _set((*COUNTRY, "services"), []), "non-empty list"),
    ("emergency without a source", _set((*COUNTRY, "emergency_source"), ""), "web address"),
    ("empty name", _set((*COUNTRY, "name"), "  "), "must not be empty"),
    ("future version", _set(("version",), 2), "version"),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [(change, expected) for _, change, expected in MALFORMED],
    ids=[name for name, _, _ in MALFORMED],
)
def test_malformed_data_is_refused_by_the_parser_and_the_schema(
    change: Callable[[Document], None], expected: str
) -> None:
    document = bundled_document()
    assert document["countries"][0]["emergency"], "the first country must have one for a case"
    broken = copy.deepcopy(document)
    change(broken)
    with pytest.raises(CrisisDirectoryInvalid) as raised:
        parse_directory(broken)
    assert expected in raised.value.message
    assert schema_errors(broken), "the schema must refuse what the parser refuses"


def test_the_error_names_where_the_problem_is() -> None:
    broken = bundled_document()
    broken["countries"][2]["services"][0]["checked"] = "2026-02-30"
    with pytest.raises(CrisisDirectoryInvalid) as raised:
        parse_directory(broken)
    assert raised.value.message.startswith("countries[2].services[0].checked:")


def test_a_country_listed_twice_is_refused() -> None:
    broken = bundled_document()
    broken["countries"].append(copy.deepcopy(broken["countries"][0]))
    with pytest.raises(CrisisDirectoryInvalid, match="more than once"):
        parse_directory(broken)


def test_an_empty_emergency_number_needs_an_empty_source() -> None:
    document = bundled_document()
    document["countries"][0]["emergency"] = ""
    with pytest.raises(CrisisDirectoryInvalid, match="must be empty"):
        parse_directory(document)
    document["countries"][0]["emergency_source"] = ""
    assert parse_directory(document).countries[0].emergency == ""
    assert schema_errors(document) == []


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(CrisisDirectoryInvalid, match="not valid JSON"):
        parse_directory_text('{"version": 1,')
    with pytest.raises(CrisisDirectoryInvalid, match="expected an object"):
        parse_directory_text("[]")


def test_empty_optional_fields_are_accepted_as_unknown() -> None:
    document = bundled_document()
    service = _first_service(document)
    service.update(website="", hours="", languages=[])
    document["countries"][0]["services"][0] = service
    parsed = parse_directory(document).countries[0].services[0]
    assert (parsed.website, parsed.hours, parsed.languages) == ("", "", ())
    assert schema_errors(document) == []


# -- the engine commands' replies --------------------------------------------------------


def test_crisis_resources_reply_for_a_country() -> None:
    reply = result_json(crisis_resources(load_bundled(), "nz"))
    assert reply["country"] == "NZ"
    assert reply["name"] == "New Zealand"
    assert reply["emergency"] == "111"
    assert reply["services"][0]["phone"] == ["1737"]
    assert list(reply) == [
        "country",
        "name",
        "emergency",
        "emergency_source",
        "services",
        "note",
        "checked",
        "international",
    ]
    assert list(reply["services"][0]) == [
        "name",
        "phone",
        "text",
        "whatsapp",
        "website",
        "hours",
        "languages",
        "source",
        "checked",
    ]
    assert list(reply["international"]) == ["name", "website"]
    assert reply["checked"] == load_bundled().checked


def test_crisis_resources_for_an_unknown_country_names_it() -> None:
    with pytest.raises(CommandError, match="'XX'"):
        crisis_resources(load_bundled(), "XX")


def test_the_command_specs_check_the_arguments() -> None:
    assert parse_command("crisis_resources", {"country": "GB"}) == CrisisResources(country="GB")
    assert parse_command("crisis_countries", {}) == CrisisCountries()
    with pytest.raises(CommandError, match="needs the argument 'country'"):
        parse_command("crisis_resources", {})


def test_the_handlers_answer_without_a_network_and_report_a_broken_file() -> None:
    handlers = crisis_handlers()

    async def ask() -> tuple[CountryList, CrisisResourcesView]:
        countries = await handlers.answer(CrisisCountries())
        resources = await handlers.answer(CrisisResources(country="GB"))
        return countries, resources

    countries, resources = trio.run(ask)
    names = [entry.name for entry in countries.countries]
    assert names == sorted(names, key=str.casefold)
    assert {"code": "GB", "name": "United Kingdom"} in result_json(countries)["countries"]
    assert resources.emergency == "999"

    def broken() -> Any:
        raise CrisisDirectoryInvalid("countries[0].code: 'usa' is not an ISO 3166 code.")

    async def ask_broken() -> CountryList:
        return await crisis_handlers(broken).answer(CrisisCountries())

    with pytest.raises(CommandError, match="ISO 3166"):
        trio.run(ask_broken)
