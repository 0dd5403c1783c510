"""The network settings commands over a real SQLCipher database: what is stored comes back,
"" clears, and every refusal names what to fix and leaves the profile as it was (checked
on the settings read back and on the database file's bytes)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trio

from peerapp.core.api.network import CurrentNetworkView
from peerapp.core.api.registry import parse_command, result_json
from peerapp.core.errors import CommandError, EngineFailed
from peerapp.engine.dispatch import Handlers
from peerapp.engine.network_commands import network_handlers, open_settings
from peerapp.storage.database import Database
from peerapp.storage.network_settings import NetworkSettings

KEY = bytes(range(32))
CURRENT = {"mode": "direct", "tor": None}
BRIDGES = (
    "# from bridges.torproject.org\n"
    "UseBridges 1\n"
    "Bridge obfs4 192.0.2.7:443 0123456789ABCDEF0123456789ABCDEF01234567 cert=abc iat-mode=0\n"
)


class Commands:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.handlers: Handlers = network_handlers(
            lambda: NetworkSettings(database), lambda: CurrentNetworkView("direct", None)
        )

    def __call__(self, command: str, **arguments: Any) -> dict[str, Any]:
        async def call() -> dict[str, Any]:
            return result_json(await self.handlers.answer(parse_command(command, arguments)))

        return trio.run(call)

    def file_digest(self) -> str:
        return hashlib.sha256(self.database.path.read_bytes()).hexdigest()


@pytest.fixture
def commands(tmp_path: Path) -> Iterator[Commands]:
    database = Database.open(tmp_path / "profile.db", KEY, create=True)
    try:
        yield Commands(database)
    finally:
        database.close()


def test_a_new_profile_reads_tor_mode_with_nothing_set(commands: Commands) -> None:
    assert commands("network_settings") == {
        "mode": "tor",
        "tor_control": "",
        "tor_socks": "",
        "tor_config": "",
        "current": CURRENT,
    }


def test_settings_are_stored_merged_and_cleared(commands: Commands) -> None:
    result = commands("set_network_settings", mode=" Direct ")
    assert result["mode"] == "direct" and result["restart"] is True
    assert result["current"] == CURRENT  # this run goes on as it started

    result = commands("set_network_settings", mode="tor", tor_config=BRIDGES)
    assert result["tor_config"] == BRIDGES  # as pasted, comment included
    assert NetworkSettings(commands.database).tor().config == BRIDGES

    # an existing Tor instead of bridges: the bridges are cleared in the same command
    result = commands(
        "set_network_settings",
        tor_control=" 127.0.0.1:9051 ",
        tor_socks="127.0.0.1:9050",
        tor_config="",
    )
    assert (result["tor_control"], result["tor_socks"], result["tor_config"]) == (
        "127.0.0.1:9051",
        "127.0.0.1:9050",
        "",
    )
    assert result["mode"] == "tor"  # not given: kept

    result = commands("set_network_settings", tor_control="/run/tor/control")
    assert result["tor_control"] == "/run/tor/control"
    assert commands("network_settings")["tor_socks"] == "127.0.0.1:9050"

    result = commands("set_network_settings", tor_control="", tor_socks="  ")
    assert (result["tor_control"], result["tor_socks"]) == ("", "")


@pytest.mark.parametrize(
    ("arguments", "names"),
    [
        ({"mode": "onion"}, "'tor' or 'direct'"),
        ({"tor_socks": "127.0.0.1:9050"}, "tor_control"),
        ({"tor_control": "127.0.0.1:9051"}, "tor_socks"),
        ({"tor_control": "127.0.0.1:9051", "tor_socks": "localhost:9050"}, "tor_socks"),
        ({"tor_control": "127.0.0.1:9051", "tor_socks": "127.0.0.1:99999"}, "tor_socks"),
        ({"tor_control": "tor-host:9051", "tor_socks": "127.0.0.1:9050"}, "tor_control"),
        ({"tor_control": "127.0.0.1:9051\n", "tor_socks": "127.0.0.1:9050\x00"}, "HOST:PORT"),
        (
            {"tor_control": "127.0.0.1:9051", "tor_socks": "127.0.0.1:9050", "tor_config": BRIDGES},
            "existing Tor",
        ),
        ({"tor_config": "UseBridges 1\nBridge"}, "line 2"),
        ({"tor_config": "SocksPort 0.0.0.0:9050"}, "SocksPort"),
        ({"tor_config": "Bridge obfs4 192.0.2.7:443 \\\n  cert=abc"}, "continues"),
        ({"tor_config": "UseBridges 1\n" * 10_000}, "KiB"),
        ({"tor_config": "# \ud800\nUseBridges 1"}, "not valid text"),
    ],
)
def test_a_refusal_names_what_to_fix_and_stores_nothing(
    commands: Commands, arguments: dict[str, str], names: str
) -> None:
    commands("set_network_settings", mode="direct")
    before, digest = commands("network_settings"), commands.file_digest()
    with pytest.raises(CommandError) as refused:
        commands("set_network_settings", **arguments)
    print(refused.value.message)
    assert names in refused.value.message
    assert "Traceback" not in refused.value.message
    assert commands("network_settings") == before
    assert commands.file_digest() == digest


def test_bridges_cannot_be_added_to_an_existing_tor_already_stored(commands: Commands) -> None:
    commands("set_network_settings", tor_control="127.0.0.1:9051", tor_socks="127.0.0.1:9050")
    with pytest.raises(CommandError, match="existing Tor"):
        commands("set_network_settings", tor_config=BRIDGES)
    assert commands("network_settings")["tor_config"] == ""


def test_no_open_database_is_an_engine_failure_not_a_traceback() -> None:
    with pytest.raises(EngineFailed, match="not open"):
        open_settings(None)
