"""The bundled crisis directory (docs/node.md "Crisis resources"): no network needed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class CrisisResourcesView(Result):
    country: str
    name: str
    emergency: str
    emergency_source: str
    services: list[dict[str, Any]]
    note: str
    checked: str
    international: dict[str, str]  # {name, website}


@command("crisis_resources", "The bundled crisis services for a country (ISO 3166 alpha-2 code).")
@dataclass(frozen=True, kw_only=True)
class CrisisResources(Command[CrisisResourcesView]):
    country: str


@dataclass(frozen=True)
class CountryList(Result):
    countries: list[dict[str, str]]  # {code, name}, by English name


@command("crisis_countries", "The countries the crisis directory covers.")
@dataclass(frozen=True, kw_only=True)
class CrisisCountries(Command[CountryList]):
    pass
