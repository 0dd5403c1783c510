"""Where the GUI finds its icons and other files shipped next to the code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

import peerapp

RESOURCES = Path(peerapp.__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside the repository's top-level `resources/` folder."""
    return RESOURCES.joinpath(*parts)


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "hearth.svg")))
