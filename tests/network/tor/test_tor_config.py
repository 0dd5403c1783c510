"""The three Tor options as typed, and the tor binary: every mistake is a TorConfigError
naming what to fix, and nothing is created while parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerapp.network.tor.config import (
    BINARY_SEARCH_VARIABLE,
    MAX_TORRC_BYTES,
    ExistingTor,
    HostPort,
    OwnTor,
    UnixSocket,
    find_tor_binary,
    parse_control_address,
    parse_extra_torrc,
    parse_host_port,
    tor_config_from_options,
)
from peerapp.network.tor.errors import TorConfigError
from tests.network.tor.own_tor import tor_binary


def test_own_tor_by_default(tmp_path: Path) -> None:
    config = tor_config_from_options(tmp_path / "tor")
    assert config == OwnTor(binary=tor_binary(), data_dir=tmp_path / "tor")
    assert not (tmp_path / "tor").exists()


def test_extra_lines_are_read_without_comments(tmp_path: Path) -> None:
    torrc = tmp_path / "bridges.torrc"
    torrc.write_text(
        "# my bridges\n\nUseBridges 1\n"
        "  Bridge 192.0.2.1:443 4352E58420E68F5E40BF7C74FADDCCD9D1349413\n"
        "ClientTransportPlugin\tobfs4 exec /usr/bin/obfs4proxy\n"
    )
    config = tor_config_from_options(tmp_path / "tor", tor_config=str(torrc))
    assert isinstance(config, OwnTor)
    assert config.extra_lines == (
        "UseBridges 1",
        "Bridge 192.0.2.1:443 4352E58420E68F5E40BF7C74FADDCCD9D1349413",
        "ClientTransportPlugin\tobfs4 exec /usr/bin/obfs4proxy",
    )


def test_an_existing_tor(tmp_path: Path) -> None:
    config = tor_config_from_options(
        tmp_path / "tor",
        tor_control="127.0.0.1:9051",
        tor_socks="127.0.0.1:9050",
        tor_password="secret words",
    )
    assert config == ExistingTor(
        control=HostPort("127.0.0.1", 9051),
        socks=HostPort("127.0.0.1", 9050),
        password="secret words",
    )
    assert "secret words" not in repr(config)
    unix = tor_config_from_options(tmp_path, tor_control="/run/tor/control", tor_socks="[::1]:9050")
    assert unix == ExistingTor(
        control=UnixSocket(Path("/run/tor/control")), socks=HostPort("::1", 9050)
    )
    assert str(HostPort("::1", 9050)) == "[::1]:9050"
    assert parse_control_address("unix:/run/tor/control") == UnixSocket(Path("/run/tor/control"))


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"tor_control": "127.0.0.1:9051"}, "needs both --tor-control"),
        ({"tor_socks": "127.0.0.1:9050"}, "needs both --tor-control"),
        (
            {"tor_control": "127.0.0.1:9051", "tor_socks": "127.0.0.1:9050", "tor_config": "x"},
            "cannot be used with an existing Tor",
        ),
        ({"tor_password": "pw"}, "only used with an existing Tor"),
        (
            {"tor_control": "localhost:9051", "tor_socks": "127.0.0.1:9050"},
            "--tor-control wants an IP address",
        ),
        (
            {"tor_control": "127.0.0.1", "tor_socks": "127.0.0.1:9050"},
            "--tor-control wants HOST:PORT",
        ),
        ({"tor_control": "127.0.0.1:9051", "tor_socks": "127.0.0.1:0"}, "--tor-socks: the port"),
        ({"tor_control": "127.0.0.1:9051", "tor_socks": "127.0.0.1:99999"}, "1 to 65535"),
        ({"tor_control": "127.0.0.1:9051", "tor_socks": "127.0.0.1:-1"}, "1 to 65535"),
        ({"tor_control": "127.0.0.1:9051", "tor_socks": ":9050"}, "--tor-socks wants HOST:PORT"),
    ],
)
def test_option_mistakes(tmp_path: Path, options: dict[str, str], words: str) -> None:
    with pytest.raises(TorConfigError) as caught:
        tor_config_from_options(tmp_path / "tor", **options)
    assert words in caught.value.message
    assert "pw" not in caught.value.message.split()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("SocksPort 0.0.0.0:9050", "sets SocksPort, which Hearth sets itself"),
        ("controlport 9051", "sets controlport"),
        ("HashedControlPassword 16:AB", "sets HashedControlPassword"),
        ("ORPort 9001", "sets ORPort"),
        ("RunAsDaemon 1", "sets RunAsDaemon"),
        ("HiddenServiceDir /tmp/x", "sets HiddenServiceDir"),
        ("DataDirectory /tmp/elsewhere", "sets DataDirectory"),
        ("UseBridges", "is not an `Option value` torrc line"),
        ("+Bridge 192.0.2.1:443", "is not an `Option value` torrc line"),
        ("Bridge 192.0.2.1:443 \\", "continues onto the next line"),
        ("Bridge 192.0.2.1\x00:443", "control characters"),
        ("Bridge " + "A" * 3000, "too long"),
    ],
)
def test_extra_line_mistakes_name_the_line(text: str, words: str) -> None:
    with pytest.raises(TorConfigError) as caught:
        parse_extra_torrc(f"# bridges\nUseBridges 1\n{text}\n", source="my.torrc")
    print(caught.value.message)
    assert "line 3 of 'my.torrc'" in caught.value.message
    assert words in caught.value.message


def test_extra_torrc_file_mistakes(tmp_path: Path) -> None:
    with pytest.raises(TorConfigError, match="there is no file"):
        tor_config_from_options(tmp_path, tor_config=str(tmp_path / "missing.torrc"))
    with pytest.raises(TorConfigError, match="is a folder, not a file"):
        tor_config_from_options(tmp_path, tor_config=str(tmp_path))
    big = tmp_path / "big.torrc"
    big.write_text("# x\n" * (MAX_TORRC_BYTES // 4 + 1))
    with pytest.raises(TorConfigError, match="larger than 64 KiB"):
        tor_config_from_options(tmp_path, tor_config=str(big))
    latin = tmp_path / "latin.torrc"
    latin.write_bytes(b"Nickname caf\xe9\n")
    with pytest.raises(TorConfigError, match="is not UTF-8 text"):
        tor_config_from_options(tmp_path, tor_config=str(latin))


def test_a_missing_tor_binary_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(TorConfigError) as caught:
        find_tor_binary(search=str(tmp_path))
    assert "sudo apt install tor" in caught.value.message
    assert "--tor-control" in caught.value.message


def test_the_tor_search_path_variable_replaces_path_and_the_fallbacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BINARY_SEARCH_VARIABLE, str(tmp_path))
    with pytest.raises(TorConfigError, match="could not find the `tor` program"):
        find_tor_binary()
    fake = tmp_path / "tor"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o700)
    assert find_tor_binary() == fake
    monkeypatch.setenv(BINARY_SEARCH_VARIABLE, "")
    assert find_tor_binary().name == "tor" and find_tor_binary() != fake


def test_host_port_accepts_ip_literals_only() -> None:
    assert parse_host_port(" 10.152.152.10:9051 ", option="--tor-control") == HostPort(
        "10.152.152.10", 9051
    )
    with pytest.raises(TorConfigError, match="does not look names up"):
        parse_host_port("tor.example:9050", option="--tor-socks")
