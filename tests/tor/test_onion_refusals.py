"""Tor mode's configuration mistakes, as a person meets them running `peerapp node`: a
line Hearth does not allow in --tor-config, a line tor itself rejects, a --tor-config
file that is not there, no `tor` program, an existing Tor whose control port does not
answer. Each ends the node with a message naming what to fix, exit code 1, no
traceback, and the profile exactly as it was (no tor folder made, nothing written).

No private network is needed: none of these gets as far as Tor's network."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerapp.network.tor.config import BINARY_SEARCH_VARIABLE
from peerapp.node.front import EXIT_ENGINE_FAILED
from tests.e2e.node_process import node_command, node_environment
from tests.tor.onion_nodes import OnionNode, tree_digest
from tests.tor.private_network import free_port

EXIT_BOUND_SECONDS = 60


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A profile made by a direct-mode run that has stopped again."""
    folder = tmp_path_factory.mktemp("refusals") / "profile"
    node = OnionNode(folder, None)
    node.call("quit")
    assert node.wait_exit() == 0
    yield folder


def run_refused(
    profile: Path, network: tuple[str, ...], environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The node with these options, to its end; it must refuse before reading commands."""
    before = tree_digest(profile, skip=lambda path: path.name.endswith(".lock"))
    done = subprocess.run(
        node_command(profile, network=network),
        env={**node_environment(), **(environment or {})},
        input="",
        capture_output=True,
        text=True,
        timeout=EXIT_BOUND_SECONDS,
        check=False,
    )
    print(f"exit {done.returncode}: {done.stderr.strip()}")
    # the options parse; the engine cannot start Tor mode with them
    assert done.returncode == EXIT_ENGINE_FAILED, done
    assert "Traceback" not in done.stderr + done.stdout
    assert '"event": "ready"' not in done.stdout
    after = tree_digest(profile, skip=lambda path: path.name.endswith(".lock"))
    assert after == before, "the refused run changed the profile"
    assert not (profile / "tor").exists()
    return done


def test_a_line_hearth_does_not_allow_in_tor_config(profile: Path, tmp_path: Path) -> None:
    torrc = tmp_path / "bad.torrc"
    torrc.write_text("UseBridges 0\nSocksPort 0.0.0.0:9050\n")
    done = run_refused(profile, ("--tor-config", str(torrc)))
    assert "line 2" in done.stderr and "SocksPort" in done.stderr
    assert "remove that line" in done.stderr


def test_a_line_tor_rejects_in_tor_config(profile: Path, tmp_path: Path) -> None:
    torrc = tmp_path / "unknown.torrc"
    torrc.write_text("NoSuchTorOption 1\n")
    done = run_refused(profile, ("--tor-config", str(torrc)))
    # tor's own words about the option, without its log time stamp
    assert "NoSuchTorOption" in done.stderr


def test_a_tor_config_file_that_is_not_there(profile: Path, tmp_path: Path) -> None:
    done = run_refused(profile, ("--tor-config", str(tmp_path / "missing.torrc")))
    assert "--tor-config: there is no file" in done.stderr


def test_no_tor_program(profile: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-tor-here"
    empty.mkdir()
    done = run_refused(profile, (), {BINARY_SEARCH_VARIABLE: str(empty)})
    assert "could not find the `tor` program" in done.stderr
    assert "sudo apt install tor" in done.stderr


def test_an_existing_tor_whose_control_port_does_not_answer(profile: Path) -> None:
    control, socks = free_port(), free_port()  # nothing listens on either
    done = run_refused(
        profile, ("--tor-control", f"127.0.0.1:{control}", "--tor-socks", f"127.0.0.1:{socks}")
    )
    assert f"127.0.0.1:{control}" in done.stderr
