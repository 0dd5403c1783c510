"""The bundled crisis directory (docs/node.md "Crisis resources"): no network needed."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class CrisisServiceView:
    """One crisis service; empty fields mean "not known from a citable source"."""

    name: str
    phone: tuple[str, ...]
    text: tuple[str, ...]
    whatsapp: tuple[str, ...]
    website: str
    hours: str
    languages: tuple[str, ...]
    source: str  # the public page that states its numbers
    checked: str  # YYYY-MM-DD


@dataclass(frozen=True)
class InternationalView:
    """A worldwide directory to point to for countries not listed."""

    name: str
    website: str


@dataclass(frozen=True)
class CrisisResourcesView(Result):
    country: str
    name: str
    emergency: str
    emergency_source: str
    services: tuple[CrisisServiceView, ...]
    note: str
    checked: str
    international: InternationalView


@command("crisis_resources", "The bundled crisis services for a country (ISO 3166 alpha-2 code).")
@dataclass(frozen=True, kw_only=True)
class CrisisResources(Command[CrisisResourcesView]):
    country: str


@dataclass(frozen=True)
class CountryView:
    code: str  # ISO 3166-1 alpha-2
    name: str  # in English


@dataclass(frozen=True)
class CountryList(Result):
    countries: tuple[CountryView, ...]  # by English name


@command("crisis_countries", "The countries the crisis directory covers.")
@dataclass(frozen=True, kw_only=True)
class CrisisCountries(Command[CountryList]):
    pass
