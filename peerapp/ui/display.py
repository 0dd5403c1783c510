"""Is there a display to open a window on? Asked before Qt is loaded.

Without one, Qt's platform plugin gives up with qFatal (an abort, exit 134) and a message
about plugins and libraries that does not say what to do. `peerapp` asks here first and
says it in one line: the headless node, or a virtual display.

Rules (Linux and the other X11/Wayland systems; macOS and Windows always have one):
- QT_QPA_PLATFORM naming a platform that needs no display server (offscreen, minimal,
  vnc, eglfs, linuxfb...) is fine as it is.
- Otherwise the platforms wanted (QT_QPA_PLATFORM's list, or Qt's own choice of Wayland
  or X11 when unset) need their server: X11 (xcb) needs DISPLAY, Wayland needs
  WAYLAND_DISPLAY (or a socket handed over in WAYLAND_SOCKET).
- This module imports no Qt: it runs before the QApplication exists, and Qt's loading is
  what would abort.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from peerapp.ui.text import app_window, translation

# platforms that talk to a display server; any other name is one Qt runs without
X11 = "xcb"
WAYLAND_PREFIX = "wayland"  # wayland, wayland-egl, wayland-brcm
NO_DISPLAY_SERVER_SYSTEMS = ("darwin", "win32", "cygwin")


def _wanted_platforms(environ: Mapping[str, str]) -> list[str]:
    """QT_QPA_PLATFORM's platforms in order ("wayland;xcb", "xcb:option"), names only."""
    chosen = environ.get("QT_QPA_PLATFORM", "")
    names = [entry.split(":", 1)[0].strip().lower() for entry in chosen.split(";")]
    return [name for name in names if name]


def _needs_server(name: str) -> bool:
    return name == X11 or name.startswith(WAYLAND_PREFIX)


def _server_present(name: str, environ: Mapping[str, str]) -> bool:
    if name == X11:
        return bool(environ.get("DISPLAY"))
    return bool(environ.get("WAYLAND_DISPLAY") or environ.get("WAYLAND_SOCKET"))


def has_display(environ: Mapping[str, str], system: str = sys.platform) -> bool:
    """Whether Qt can open a window here (see the rules above)."""
    if system.startswith(NO_DISPLAY_SERVER_SYSTEMS):
        return True
    wanted = _wanted_platforms(environ) or [WAYLAND_PREFIX, X11]
    return any(not _needs_server(name) or _server_present(name, environ) for name in wanted)


# `peerapp` (the app) exit codes: 0 quit, 1 engine failed, 2 profile unavailable (app.py)
EXIT_NO_DISPLAY = 3


def no_display_line() -> str:
    """The one line `peerapp` prints instead of aborting, in the person's language."""
    translation.install_from_environment()
    return app_window.no_display()
