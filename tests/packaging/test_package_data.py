"""The package's data, desktop entry and metadata (issue 16): cheap checks, in `make test`.

The data (crisis directory, phrase lists, icons) is found through importlib.resources, so
an installed wheel finds it too: test_installed_wheel_finds_its_data builds the wheel,
installs it in a new virtualenv and runs it from another folder."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import peerapp
from peerapp import desktop_entry
from peerapp.cli import main
from peerapp.engine.crisis_directory import load_bundled
from peerapp.engine.crisis_phrases import load_bundled as load_phrases
from peerapp.network.tor.config import bundled_tor_dirs
from peerapp.package_data import crisis_dir, resource_path, resources_root

ROOT = Path(__file__).resolve().parents[2]
APP_ID = desktop_entry.APP_ID
METAINFO = f"{APP_ID}.metainfo.xml"


def _tool(name: str) -> str:
    """A validator packaging/system-deps.sh installs: missing fails, never skips."""
    found = shutil.which(name)
    assert found is not None, f"{name} is missing: run `bash packaging/system-deps.sh`"
    return found


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_data_is_found_through_the_package() -> None:
    assert resources_root() == Path(peerapp.__file__).parent / "resources"
    assert crisis_dir() == resources_root() / "crisis"
    assert len(load_bundled().countries) > 10
    assert "en" in {phrases.language for phrases in load_phrases()}
    for name in ("hearth.svg", "eye.svg", "eye-off.svg", "arrow-up.svg", "arrow-down.svg"):
        assert resource_path("icons", name).is_file(), name


def test_icons_at_every_standard_size() -> None:
    for size in desktop_entry.ICON_SIZES:
        icon = resource_path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
        assert _png_size(icon) == (size, size), icon


def test_desktop_entry_and_metainfo_validate(tmp_path: Path) -> None:
    validate = _tool("desktop-file-validate")
    shipped = resource_path("hearth.desktop")
    checked = subprocess.run([validate, str(shipped)], check=False, capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    entry = shipped.read_text(encoding="utf-8")
    assert "Categories=Network;Chat;InstantMessaging;" in entry
    assert f"Icon={APP_ID}" in entry
    appstream = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(resource_path(METAINFO))],
        check=False,
        capture_output=True,
        text=True,
    )
    assert appstream.returncode == 0, appstream.stdout + appstream.stderr
    assert f"{APP_ID}.desktop" in resource_path(METAINFO).read_text(encoding="utf-8")


def test_exec_arguments_are_quoted_as_the_specification_asks() -> None:
    assert desktop_entry.exec_argument(Path("/opt/hearth/peerapp")) == "/opt/hearth/peerapp"
    assert (
        desktop_entry.exec_argument(Path('/home/a b/$x"`\\/100%/peerapp'))
        == '"/home/a b/\\$x\\"\\`\\\\/100%%/peerapp"'
    )


def test_install_desktop_entry_writes_into_the_xdg_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_home = tmp_path / "my data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    assert main(["--install-desktop-entry"]) == 0
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    launcher = desktop_entry.current_launcher()
    assert f"Exec={desktop_entry.exec_argument(launcher)}\n" in entry.read_text("utf-8")
    checked = subprocess.run(
        [_tool("desktop-file-validate"), str(entry)], check=False, capture_output=True
    )
    assert checked.returncode == 0, checked.stdout
    assert (data_home / "metainfo" / METAINFO).is_file()
    assert (data_home / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    for size in desktop_entry.ICON_SIZES:
        icon = data_home / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        assert _png_size(icon) == (size, size)
    printed = capsys.readouterr().out
    assert str(entry) in printed and "applications menu" in printed
    # a second run overwrites the same files and nothing else
    files = sorted(data_home.rglob("*"))
    assert main(["--install-desktop-entry"]) == 0
    assert sorted(data_home.rglob("*")) == files


def test_install_desktop_entry_says_what_to_fix_when_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    assert main(["--install-desktop-entry"]) == 1
    error = capsys.readouterr().err
    assert "cannot write the desktop entry" in error and "XDG_DATA_HOME" in error
    assert "Traceback" not in error


def test_the_bundled_tor_folder_is_searched_only_when_frozen(tmp_path: Path) -> None:
    assert bundled_tor_dirs() == []  # not frozen: the system's tor
    executable = tmp_path / "peerapp"
    executable.write_text("", encoding="utf-8")
    assert bundled_tor_dirs(str(executable)) == []  # a bundle without tor (the .deb)
    (tmp_path / "tor").mkdir()
    assert bundled_tor_dirs(str(executable)) == [str(tmp_path / "tor")]


def test_installed_wheel_finds_its_data(tmp_path: Path) -> None:
    """The wheel, installed with pip into a new virtualenv and run from another folder,
    finds the crisis directory, phrase lists and icons.

    Offline: the wheel goes in with --no-deps, and the new environment sees this
    virtualenv's site-packages (PySide6, libp2p ...) through a .pth line naming that
    folder. A plain path line runs none of that folder's own .pth files, so the editable
    install of the source tree stays out; the test checks that peerapp is imported from
    the new environment and that nothing of the source tree is on its sys.path: what it
    reads is what the wheel carries."""
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, str(ROOT / "packaging/dist.py"), "--out", str(out), "python"],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("peerapp-*.whl")
    (sdist,) = out.glob("peerapp-*.tar.gz")
    assert sdist.stat().st_size > 0
    venv = tmp_path / "clean venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        check=True,
    )  # fmt: skip
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "outer-site-packages.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    version = subprocess.run(
        [venv / "bin" / "peerapp", "--version"],
        check=False,
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == f"Hearth {peerapp.__version__}", version.stderr
    probe = (
        "import os, sys, peerapp\n"
        "from peerapp.engine.crisis_directory import load_bundled\n"
        "from peerapp.engine.crisis_phrases import load_bundled as phrases\n"
        "from peerapp.ui.resources import app_icon\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "print(peerapp.__file__)\n"
        "print(len(load_bundled().countries), [p.language for p in phrases()])\n"
        "print(app_icon().isNull())\n"
        # a folder with a peerapp/ in it, other than the new environment's: the source tree
        f"print([p for p in sys.path if os.path.isdir(os.path.join(p, 'peerapp')) "
        f"and not p.startswith({str(venv)!r})])\n"
    )
    probed = subprocess.run(
        [python, "-c", probe],
        check=False,
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert probed.returncode == 0, probed.stderr
    location, counts, icon_null, source_paths = probed.stdout.splitlines()
    assert Path(location).is_relative_to(venv), location
    assert counts == f"{len(load_bundled().countries)} ['en']"
    assert icon_null == "False"
    assert source_paths == "[]"
    installed = subprocess.run(
        [venv / "bin" / "peerapp", "--install-desktop-entry"],
        check=False,
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    entry = tmp_path / "data" / "applications" / f"{APP_ID}.desktop"
    assert f"Exec={desktop_entry.exec_argument(venv / 'bin' / 'peerapp')}" in entry.read_text(
        "utf-8"
    )
