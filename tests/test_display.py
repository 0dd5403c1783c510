"""Start-up without a display (issue 14, item 12): `peerapp` says in one line what to do
instead of letting Qt abort (exit 134), and the check reads the environment as Qt does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import peerapp
from peerapp.ui.display import EXIT_NO_DISPLAY, has_display

ROOT = Path(peerapp.__file__).resolve().parent.parent
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM")
START_SECONDS = 60  # a bound for a process that should end at once


def test_peerapp_without_a_display_says_what_to_do_and_exits_cleanly(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARIABLES}
    profile = tmp_path / "profile"
    finished = subprocess.run(
        [sys.executable, "-m", "peerapp", "--profile", str(profile)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=START_SECONDS,
        check=False,
    )
    assert finished.returncode == EXIT_NO_DISPLAY, finished.stderr  # not 134 (Qt's abort)
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert "peerapp node" in lines[0] and "xvfb-run peerapp" in lines[0]
    assert "Traceback" not in finished.stderr and finished.stdout == ""
    assert not profile.exists()  # nothing made before it gave up


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, False),
        ({"DISPLAY": ":0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, True),
        ({"QT_QPA_PLATFORM": "minimal"}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, False),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, True),
        ({"QT_QPA_PLATFORM": "wayland-egl", "WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, True),
        ({"DISPLAY": ""}, False),
    ],
)
def test_the_display_check_reads_the_environment_as_qt_does(
    environment: dict[str, str], expected: bool
) -> None:
    assert has_display(environment, system="linux") is expected


def test_macos_and_windows_always_have_a_display() -> None:
    assert has_display({}, system="darwin") and has_display({}, system="win32")
