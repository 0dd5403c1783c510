"""The bundled crisis directory, read from the package's resources/crisis/ folder
(peerapp/package_data.py; directory.json, its schema and README sit next to it).

Rules:
- Read from disk once per process and kept: the "Get help now" dialog must open at once,
  before the profile is unlocked and with no network, so nothing here needs an engine,
  a profile or a connection.
- `load_bundled` raises CrisisDirectoryInvalid when the file is missing or malformed (tests
  and the engine command want to know); the GUI shows a calm fallback instead.
- The engine commands `crisis_resources` and `crisis_countries` answer from the same data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from peerapp.core.api.crisis import (
    CountryList,
    CountryView,
    CrisisCountries,
    CrisisResources,
    CrisisResourcesView,
    CrisisServiceView,
    InternationalView,
)
from peerapp.core.api.refusals import Refusal
from peerapp.core.crisis_directory import (
    CrisisDirectoryInvalid,
    Directory,
    Service,
    parse_directory_text,
)
from peerapp.core.errors import CommandError
from peerapp.engine.dispatch import Handlers
from peerapp.package_data import crisis_dir

CRISIS_DIR = crisis_dir()
DIRECTORY_FILE = CRISIS_DIR / "directory.json"
SCHEMA_FILE = CRISIS_DIR / "schema.json"


def load_file(path: Path) -> Directory:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CrisisDirectoryInvalid(
            f"The crisis directory {path.name} cannot be read ({type(error).__name__})."
        ) from None
    return parse_directory_text(text)


@functools.cache
def load_bundled() -> Directory:
    """The directory shipped with Hearth (read once; raises if it is broken)."""
    return load_file(DIRECTORY_FILE)


def crisis_resources(directory: Directory, country: str) -> CrisisResourcesView:
    """The `crisis_resources` reply for one country."""
    found = directory.country(country)
    if found is None:
        shown = country.strip() or "(empty)"
        raise CommandError(Refusal.NO_CRISIS_RESOURCES, country=shown)
    return CrisisResourcesView(
        country=found.code,
        name=found.name,
        emergency=found.emergency,
        emergency_source=found.emergency_source,
        services=tuple(_service(service) for service in found.services),
        note=directory.note,
        checked=directory.checked,
        international=InternationalView(
            name=directory.international.name, website=directory.international.website
        ),
    )


def _service(service: Service) -> CrisisServiceView:
    return CrisisServiceView(
        name=service.name,
        phone=service.phone,
        text=service.text,
        whatsapp=service.whatsapp,
        website=service.website,
        hours=service.hours,
        languages=service.languages,
        source=service.source,
        checked=service.checked,
    )


def crisis_countries(directory: Directory) -> CountryList:
    """The `crisis_countries` reply: every country, by English name."""
    return CountryList(
        countries=tuple(CountryView(code=c.code, name=c.name) for c in directory.by_name())
    )


def crisis_handlers(directory: Callable[[], Directory] = load_bundled) -> Handlers:
    """Engine handlers for `crisis_resources` and `crisis_countries` (no network needed)."""

    def bundled() -> Directory:
        try:
            return directory()
        except CrisisDirectoryInvalid as error:
            raise CommandError(Refusal.CRISIS_DIRECTORY_INVALID, reason=error.message) from None

    async def resources(command: CrisisResources) -> CrisisResourcesView:
        return crisis_resources(bundled(), command.country)

    async def countries(_: CrisisCountries) -> CountryList:
        return crisis_countries(bundled())

    handlers = Handlers()
    handlers.add(CrisisResources, resources)
    handlers.add(CrisisCountries, countries)
    return handlers
