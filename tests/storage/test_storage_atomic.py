"""write_atomically on an ordinary folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from peerapp.storage.atomic import TEMP_SUFFIX, remove_leftover_temp, write_atomically


def test_write_creates_with_private_mode(tmp_path: Path) -> None:
    target = tmp_path / "file"
    write_atomically(target, b"content")
    assert target.read_bytes() == b"content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "file"
    write_atomically(target, b"old")
    write_atomically(target, b"new and longer content" * 1000)
    assert target.read_bytes() == b"new and longer content" * 1000
    write_atomically(target, b"")
    assert target.read_bytes() == b""
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_write_overwrites_a_stale_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    (tmp_path / ("file" + TEMP_SUFFIX)).write_bytes(b"stale and much longer than the new one")
    write_atomically(target, b"fresh")
    assert target.read_bytes() == b"fresh"
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_other_errors_pass_through_and_clean_up(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "no such folder" / "file", b"x")
    target = tmp_path / "folder-in-the-way"
    target.mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomically(target, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder-in-the-way"]


def test_remove_leftover_temp(tmp_path: Path) -> None:
    target = tmp_path / "file"
    remove_leftover_temp(target)  # nothing there: no error
    (tmp_path / ("file" + TEMP_SUFFIX)).write_bytes(b"leftover")
    target.write_bytes(b"keep")
    remove_leftover_temp(target)
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
    assert target.read_bytes() == b"keep"
