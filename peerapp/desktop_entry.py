"""`peerapp --install-desktop-entry`: a launcher, icons and AppStream metadata for a source
or pip install, written into the person's XDG data folder (~/.local/share unless
XDG_DATA_HOME says otherwise), the way desktop packages install them system-wide.

Rules:
- Only files Hearth ships are written (peerapp/resources/: hearth.desktop, the hicolor
  PNGs and the SVG, the metainfo), each under the application id, so a later run
  overwrites them and nothing else.
- The entry's Exec names the launcher by absolute path (quoted as the Desktop Entry
  specification asks): a virtualenv's `peerapp` is not on the menu's PATH.
- No Qt: this runs from the command line before (and without) any window.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import platformdirs

from peerapp.package_data import resource_path

APP_ID = "org.peerapp.Hearth"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# the characters the Desktop Entry specification wants quoted in an Exec argument
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_ESCAPED = {'"': '\\"', "`": "\\`", "$": "\\$", "\\": "\\\\"}


def exec_argument(path: Path) -> str:
    """`path` as one Exec argument: quoted (and `"`, backquote, `$`, backslash escaped)
    when it holds a reserved character; `%` is doubled, as field codes start with it."""
    text = str(path).replace("%", "%%")
    if not _EXEC_RESERVED.intersection(text):
        return text
    return '"' + "".join(_EXEC_ESCAPED.get(character, character) for character in text) + '"'


def desktop_entry_text(launcher: Path) -> str:
    """The shipped hearth.desktop with Exec and TryExec naming `launcher`."""
    lines = []
    for line in resource_path("hearth.desktop").read_text(encoding="utf-8").splitlines():
        key = line.partition("=")[0]
        lines.append(f"{key}={exec_argument(launcher)}" if key in {"Exec", "TryExec"} else line)
    return "\n".join(lines) + "\n"


def current_launcher() -> Path:
    """How this Hearth was started: the bundle's own executable, else the `peerapp`
    script on PATH or the one next to this interpreter (a virtualenv's bin/)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve()
    beside = Path(sys.executable).parent / "peerapp"
    if beside.is_file():
        return beside.absolute()
    found = shutil.which("peerapp")
    if found is None:
        raise FileNotFoundError(
            "the `peerapp` command was not found next to Python or on PATH: install Hearth "
            "with pip (or `make run`) first"
        )
    return Path(found).absolute()


def install(data_home: Path, launcher: Path) -> list[Path]:
    """Write the entry, icons and metainfo under `data_home`; the files written."""
    written: list[tuple[Path, bytes]] = [
        (
            data_home / "applications" / f"{APP_ID}.desktop",
            desktop_entry_text(launcher).encode("utf-8"),
        ),
        (
            data_home / "metainfo" / f"{APP_ID}.metainfo.xml",
            resource_path(f"{APP_ID}.metainfo.xml").read_bytes(),
        ),
        (
            data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
            resource_path("icons", "hearth.svg").read_bytes(),
        ),
    ]
    for size in ICON_SIZES:
        name = f"{size}x{size}"
        icon = resource_path("icons", "hicolor", name, "apps", f"{APP_ID}.png")
        target = data_home / "icons" / "hicolor" / name / "apps" / f"{APP_ID}.png"
        written.append((target, icon.read_bytes()))
    for path, data in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return [path for path, _ in written]


def main() -> int:
    """The command line's --install-desktop-entry: install, then say what was written."""
    try:
        launcher = current_launcher()
    except FileNotFoundError as error:
        print(f"peerapp: {error}", file=sys.stderr)
        return 1
    data_home = platformdirs.user_data_path()
    try:
        paths = install(data_home, launcher)
    except OSError as error:
        print(
            f"peerapp: cannot write the desktop entry under {data_home}: {error.strerror}; "
            "check that the folder is yours and writable (or set XDG_DATA_HOME)",
            file=sys.stderr,
        )
        return 1
    for path in paths:
        print(f"wrote {path}")
    print(f"Hearth is in your applications menu; it starts {launcher}.")
    return 0
