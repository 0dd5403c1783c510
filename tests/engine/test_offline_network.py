"""The network settings while the engine is not running (after Tor made it fail): a real
profile on disk, its database opened by each command in a worker thread and closed
again; the running engine's checks and refusals, and a refusal stores nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.api.refusals import Refusal
from peerapp.core.api.registry import parse_command, result_json
from peerapp.core.errors import CommandError, EngineFailed, HearthError
from peerapp.core.network_mode import DIRECT_RUN, PROFILE_SETTINGS, NetworkMode, NetworkOptions
from peerapp.engine.offline_network import OfflineNetworkSettings, is_network_failure
from peerapp.engine.profiles import TEST_KDF, create_profile, unlock_profile
from peerapp.network.tor.errors import (
    OnionServiceError,
    TorConfigError,
    TorControlError,
    TorStartError,
)
from peerapp.storage.profile import UnlockedProfile

PASSPHRASE = "offline settings passphrase"
REPLY_SECONDS = 30


@pytest.fixture
def unlocked(tmp_path: Path) -> UnlockedProfile:
    folder = tmp_path / "profile"
    create_profile(folder, PASSPHRASE, TEST_KDF)
    return unlock_profile(folder, PASSPHRASE)


def ask(offline: OfflineNetworkSettings, command: str, **arguments: Any) -> dict[str, Any]:
    typed = parse_command(command, arguments)
    return result_json(offline.request(typed).result(timeout=REPLY_SECONDS))


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_settings_are_read_and_stored_without_an_engine(unlocked: UnlockedProfile) -> None:
    offline = OfflineNetworkSettings(unlocked, PROFILE_SETTINGS)
    assert not offline.chosen_at_start
    assert ask(offline, "network_settings") == {
        "mode": "tor",
        "tor_control": "",
        "tor_socks": "",
        "tor_config": "",
        "current": {"mode": "tor", "tor": None},
    }


def test_a_refusal_names_the_setting_and_stores_nothing(unlocked: UnlockedProfile) -> None:
    offline = OfflineNetworkSettings(unlocked, PROFILE_SETTINGS)
    before = files(unlocked.folder)
    with pytest.raises(CommandError, match="tor_socks"):
        ask(offline, "set_network_settings", tor_control="127.0.0.1:9051")
    with pytest.raises(CommandError, match="does not take"):
        ask(offline, "set_network_settings", tor_password="secret")
    with pytest.raises(EngineFailed, match="not running"):
        ask(offline, "create_circle", name="Not now")
    assert files(unlocked.folder) == before


def test_a_change_is_stored_and_read_back_by_the_next_run(unlocked: UnlockedProfile) -> None:
    offline = OfflineNetworkSettings(unlocked, PROFILE_SETTINGS)
    saved = ask(
        offline,
        "set_network_settings",
        mode="direct",
        tor_control="127.0.0.1:9051",
        tor_socks="127.0.0.1:9050",
    )
    assert saved["restart"] is True and saved["mode"] == "direct"
    again = OfflineNetworkSettings(unlocked, PROFILE_SETTINGS)
    read = ask(again, "network_settings")
    assert (read["mode"], read["tor_control"], read["tor_socks"]) == (
        "direct",
        "127.0.0.1:9051",
        "127.0.0.1:9050",
    )
    assert read["current"] == {"mode": "direct", "tor": None}


@pytest.mark.parametrize(
    ("options", "mode", "at_start"),
    [
        (PROFILE_SETTINGS, "tor", False),
        (DIRECT_RUN, "direct", True),
        (NetworkOptions(tor_config_file="/nowhere.torrc"), "tor", True),
        # a contradiction of the front's own choices: no mode was in use
        (NetworkOptions(mode=NetworkMode.DIRECT, tor_control="127.0.0.1:9051"), "", True),
    ],
)
def test_current_is_the_mode_this_run_was_to_use(
    unlocked: UnlockedProfile, options: NetworkOptions, mode: str, at_start: bool
) -> None:
    offline = OfflineNetworkSettings(unlocked, options)
    assert ask(offline, "network_settings")["current"] == {"mode": mode, "tor": None}
    assert offline.chosen_at_start is at_start


def test_network_failures_are_the_tor_errors() -> None:
    for error in (
        TorConfigError("x"),
        TorStartError("x"),
        TorControlError("x"),
        OnionServiceError("x"),
    ):
        assert is_network_failure(error)
    for other in (EngineFailed("x"), CommandError(Refusal.BUSY), HearthError("x"), None):
        assert not is_network_failure(other)
