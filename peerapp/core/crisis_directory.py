"""The bundled crisis directory: parsing and strict validation (no I/O).

Rules:
- The directory is JSON (resources/crisis/directory.json, described by schema.json next to
  it). This module checks it as strictly as the schema does, so a malformed file is refused
  with a message naming the place that is wrong instead of showing someone a broken number.
- Every service states at least one phone, SMS or WhatsApp number, cites the public page
  that states it (`source`) and says when that was checked (`checked`, YYYY-MM-DD).
- A country's emergency number may be empty (no citable source was found); then its
  `emergency_source` is empty too. A filled emergency number always has a source.
- Country codes are ISO 3166-1 alpha-2 (two capital letters), each at most once.
- Fields left empty mean "not known from a citable source", never "none".
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from peerapp.core.errors import HearthError

SUPPORTED_VERSION = 1

_CODE = re.compile(r"[A-Z]{2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_URL = re.compile(r"https?://[^\s/]+\.\S+")
# digits with the spacing, dashes and brackets people write them with
_NUMBER = re.compile(r"[0-9+()][0-9 ()+-]*[0-9]")

_TOP_KEYS = frozenset({"version", "checked", "note", "international", "countries"})
_INTERNATIONAL_KEYS = frozenset({"name", "website", "source", "checked"})
_COUNTRY_KEYS = frozenset({"code", "name", "emergency", "emergency_source", "services"})
_SERVICE_KEYS = frozenset(
    {"name", "phone", "text", "whatsapp", "website", "hours", "languages", "source", "checked"}
)


class CrisisDirectoryInvalid(HearthError):
    """The bundled crisis directory does not follow its schema."""


@dataclass(frozen=True)
class Service:
    name: str
    phone: tuple[str, ...]
    text: tuple[str, ...]
    whatsapp: tuple[str, ...]
    website: str
    hours: str
    languages: tuple[str, ...]
    source: str
    checked: str


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    emergency: str
    emergency_source: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class International:
    """A worldwide directory to point to for countries not listed here."""

    name: str
    website: str
    source: str
    checked: str


@dataclass(frozen=True)
class Directory:
    checked: str
    note: str
    international: International
    countries: tuple[Country, ...]

    def country(self, code: str) -> Country | None:
        wanted = code.strip().upper()
        for country in self.countries:
            if country.code == wanted:
                return country
        return None

    def by_name(self) -> tuple[Country, ...]:
        return tuple(sorted(self.countries, key=lambda country: country.name.casefold()))


def parse_directory_text(text: str) -> Directory:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CrisisDirectoryInvalid(
            f"The crisis directory is not valid JSON (line {error.lineno}): {error.msg}."
        ) from None
    return parse_directory(data)


def parse_directory(data: object) -> Directory:
    top = _object(data, "directory", _TOP_KEYS)
    version = top["version"]
    if type(version) is not int or version != SUPPORTED_VERSION:
        raise CrisisDirectoryInvalid(
            f"version: this Hearth reads crisis directory version {SUPPORTED_VERSION}, "
            f"not {version!r}."
        )
    international = _object(top["international"], "international", _INTERNATIONAL_KEYS)
    countries_data = top["countries"]
    if not isinstance(countries_data, list) or not countries_data:
        raise CrisisDirectoryInvalid("countries: expected a non-empty list.")
    countries = tuple(
        _country(item, f"countries[{index}]") for index, item in enumerate(countries_data)
    )
    seen: set[str] = set()
    for index, country in enumerate(countries):
        if country.code in seen:
            raise CrisisDirectoryInvalid(
                f"countries[{index}].code: {country.code} is listed more than once."
            )
        seen.add(country.code)
    return Directory(
        checked=_date(top["checked"], "checked"),
        note=_text(top["note"], "note"),
        international=International(
            name=_text(international["name"], "international.name"),
            website=_url(international["website"], "international.website"),
            source=_url(international["source"], "international.source"),
            checked=_date(international["checked"], "international.checked"),
        ),
        countries=countries,
    )


def _country(data: object, where: str) -> Country:
    fields = _object(data, where, _COUNTRY_KEYS)
    code = _string(fields["code"], f"{where}.code")
    if not _CODE.fullmatch(code):
        raise CrisisDirectoryInvalid(
            f"{where}.code: {code!r} is not an ISO 3166 alpha-2 code (two capital letters)."
        )
    emergency = _string(fields["emergency"], f"{where}.emergency")
    source = _string(fields["emergency_source"], f"{where}.emergency_source")
    if emergency:
        _number(emergency, f"{where}.emergency")
        _url(source, f"{where}.emergency_source")
    elif source:
        raise CrisisDirectoryInvalid(
            f"{where}.emergency_source: must be empty while the emergency number is empty."
        )
    services_data = fields["services"]
    if not isinstance(services_data, list) or not services_data:
        raise CrisisDirectoryInvalid(f"{where}.services: expected a non-empty list.")
    return Country(
        code=code,
        name=_text(fields["name"], f"{where}.name"),
        emergency=emergency,
        emergency_source=source,
        services=tuple(
            _service(item, f"{where}.services[{index}]") for index, item in enumerate(services_data)
        ),
    )


def _service(data: object, where: str) -> Service:
    fields = _object(data, where, _SERVICE_KEYS)
    phone = _numbers(fields["phone"], f"{where}.phone")
    text = _numbers(fields["text"], f"{where}.text")
    whatsapp = _numbers(fields["whatsapp"], f"{where}.whatsapp")
    if not (phone or text or whatsapp):
        raise CrisisDirectoryInvalid(f"{where}: needs at least one phone, text or WhatsApp number.")
    website = _string(fields["website"], f"{where}.website")
    if website:
        _url(website, f"{where}.website")
    languages_data = fields["languages"]
    if not isinstance(languages_data, list):
        raise CrisisDirectoryInvalid(f"{where}.languages: expected a list.")
    languages = tuple(
        _text(item, f"{where}.languages[{index}]") for index, item in enumerate(languages_data)
    )
    if len(set(languages)) != len(languages):
        raise CrisisDirectoryInvalid(f"{where}.languages: a language is listed twice.")
    return Service(
        name=_text(fields["name"], f"{where}.name"),
        phone=phone,
        text=text,
        whatsapp=whatsapp,
        website=website,
        hours=_string(fields["hours"], f"{where}.hours").strip(),
        languages=languages,
        source=_url(fields["source"], f"{where}.source"),
        checked=_date(fields["checked"], f"{where}.checked"),
    )


def _object(data: object, where: str, keys: frozenset[str]) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise CrisisDirectoryInvalid(f"{where}: expected an object.")
    missing = sorted(keys - data.keys())
    if missing:
        raise CrisisDirectoryInvalid(f"{where}: missing {', '.join(missing)}.")
    extra = sorted(str(key) for key in data.keys() - keys)
    if extra:
        raise CrisisDirectoryInvalid(f"{where}: unexpected {', '.join(extra)}.")
    return data


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise CrisisDirectoryInvalid(f"{where}: expected a string.")
    return value


def _text(value: object, where: str) -> str:
    text = _string(value, where).strip()
    if not text:
        raise CrisisDirectoryInvalid(f"{where}: must not be empty.")
    return text


def _date(value: object, where: str) -> str:
    text = _string(value, where)
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        datetime.date.fromisoformat(text)
    except ValueError:
        raise CrisisDirectoryInvalid(
            f"{where}: {text!r} is not a date written as YYYY-MM-DD."
        ) from None
    return text


def _url(value: object, where: str) -> str:
    text = _string(value, where)
    if not _URL.fullmatch(text):
        raise CrisisDirectoryInvalid(
            f"{where}: {text!r} is not a web address starting with https:// or http://."
        )
    return text


def _number(value: object, where: str) -> str:
    text = _string(value, where)
    if not _NUMBER.fullmatch(text):
        raise CrisisDirectoryInvalid(f"{where}: {text!r} is not a phone number.")
    return text


def _numbers(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise CrisisDirectoryInvalid(f"{where}: expected a list of numbers.")
    numbers = tuple(_number(item, f"{where}[{index}]") for index, item in enumerate(value))
    if len(set(numbers)) != len(numbers):
        raise CrisisDirectoryInvalid(f"{where}: a number is listed twice.")
    return numbers
