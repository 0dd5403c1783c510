"""Where the GUI finds its icons and other files shipped with the package
(peerapp/package_data.py: through importlib.resources, so an installed wheel finds them)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from peerapp.package_data import resource_path

__all__ = ["app_icon", "resource_path"]


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "hearth.svg")))
