"""The files Hearth ships beside its code (peerapp/resources/: the crisis directory and its
phrase lists, icons, the desktop entry and AppStream metainfo), found through
importlib.resources.

Rules:
- Found through the package, never relative to a source checkout: the same call works
  from the source tree, an installed wheel, and the PyInstaller bundle (whose importer
  answers importlib.resources from its own folder).
- Callers get a real folder (a pathlib.Path): Qt, glob and json read files by path. An
  install that is not a plain folder (a zip import) is refused with a clear message rather
  than unpacked somewhere behind the person's back.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

FOLDER = "resources"


class PackageDataMissing(RuntimeError):
    """peerapp/resources/ is not on disk beside the code (a broken or zipped install)."""


@functools.cache
def resources_root() -> Path:
    """The folder peerapp/resources/ of the installed (or checked out) package."""
    found = resources.files("peerapp").joinpath(FOLDER)
    if not isinstance(found, Path) or not found.is_dir():
        raise PackageDataMissing(
            f"Hearth's data folder {found} is missing: reinstall Hearth (the package must be "
            "installed as a folder, not run from a zip file)."
        )
    return found


def resource_path(*parts: str) -> Path:
    """A path inside peerapp/resources/ (it may not exist: callers check)."""
    return resources_root().joinpath(*parts)


def crisis_dir() -> Path:
    """resources/crisis/: directory.json, schema.json and phrases/."""
    return resource_path("crisis")
