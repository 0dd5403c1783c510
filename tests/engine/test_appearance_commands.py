"""The theme commands over a real SQLCipher database: nothing chosen reads "system", a
choice comes back after the database is closed and opened again, a value this version
cannot read counts as "system", and a bad theme is refused storing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio

from peerapp.core.api.refusals import Refusal
from peerapp.core.api.registry import parse_command, result_json
from peerapp.core.errors import CommandError, EngineFailed
from peerapp.engine.appearance_commands import THEME_SETTING, appearance_handlers, opened
from peerapp.storage.database import Database

KEY = bytes(range(32))


def call(database: Database, command: str, **arguments: Any) -> dict[str, Any]:
    handlers = appearance_handlers(lambda: database)

    async def answer() -> dict[str, Any]:
        return result_json(await handlers.answer(parse_command(command, arguments)))

    return trio.run(answer)


def test_a_theme_is_stored_encrypted_and_read_back_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "profile.db"
    database = Database.open(path, KEY, create=True)
    try:
        assert call(database, "appearance") == {"theme": "system"}
        assert call(database, "set_appearance", theme="dark") == {"theme": "dark"}
    finally:
        database.close()
    assert b"ui_theme" not in path.read_bytes()  # the settings table is encrypted too
    database = Database.open(path, KEY)
    try:
        assert call(database, "appearance") == {"theme": "dark"}
        database.set_setting(THEME_SETTING, "sepia")  # a later version's theme
        assert call(database, "appearance") == {"theme": "system"}
    finally:
        database.close()


def test_a_bad_theme_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "profile.db", KEY, create=True)
    try:
        call(database, "set_appearance", theme="light")
        with pytest.raises(CommandError) as refused:
            call(database, "set_appearance", theme="Dark ")
        assert refused.value.refusal is Refusal.BAD_THEME
        assert "system, light, dark" in refused.value.message
        assert call(database, "appearance") == {"theme": "light"}
    finally:
        database.close()


def test_no_open_database_is_said_plainly() -> None:
    with pytest.raises(EngineFailed):
        opened(None)
