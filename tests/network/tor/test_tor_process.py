"""Hearth's own tor, for real and offline: start, ports, cookie authentication, stop, and
each way starting can fail, with the message a person would see."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from peerapp.network.tor import control
from peerapp.network.tor.config import ExistingTor, HostPort, OwnTor, UnixSocket
from peerapp.network.tor.errors import TorConfigError, TorControlError, TorStartError
from peerapp.network.tor.process import CONTROL_PORT_FILE, start_own_tor
from peerapp.network.tor.session import open_tor, watch_status
from peerapp.network.tor.status import (
    Bootstrap,
    TorInput,
    TorState,
    TorStatusMachine,
    parse_bootstrap_phase,
    parse_event,
)
from tests.network.tor.own_tor import (
    closed_loopback_port,
    foreign_tor,
    own_tor,
    running,
    tor_binary,
    wait_for,
)


def test_own_tor_starts_with_its_ports_on_loopback_and_stops(tmp_path: Path) -> None:
    data_dir = tmp_path / "profile" / "tor"
    with closed_loopback_port() as nowhere:
        # A bridge nobody listens on: tor opens its SOCKS port, and dials only 127.0.0.1.
        config = own_tor(data_dir, ("UseBridges 1", f"Bridge 127.0.0.1:{nowhere}"))
        with running(config) as tor:
            print(f"tor start: {tor.costs}")
            assert tor.control_port.host == "127.0.0.1"
            assert tor.socks is not None
            assert tor.socks.host == "127.0.0.1"
            assert tor.socks.port != tor.control_port.port
            assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
            assert (data_dir / "control_auth_cookie").exists()
            torrc = (data_dir / "torrc").read_text()
            assert f"__OwningControllerProcess {os.getpid()}" in torrc
            assert "ClientOnly 1" in torrc
            status = parse_bootstrap_phase(tor.controller.get_info("status/bootstrap-phase"))
            assert status is not None
            assert 0 <= status.progress < 100
            pid = tor.pid
        assert not _alive(pid)


def test_bootstrap_events_from_a_real_tor_read_as_status(tmp_path: Path) -> None:
    with closed_loopback_port() as nowhere:
        config = own_tor(tmp_path / "tor", ("UseBridges 1", f"Bridge 127.0.0.1:{nowhere}"))
        with running(config) as tor:
            lines: list[str] = []
            unsubscribe = control.subscribe(tor.controller, lines.append)
            # tor retries the refused bridge and reports each problem as a BOOTSTRAP event
            assert wait_for(lambda: any(parse_event(line) for line in lines), 30), lines
            unsubscribe()
            event = next(parse_event(line) for line in lines if parse_event(line))
            print(f"first status event: {event}")
            assert isinstance(event, Bootstrap)
            assert event.status.progress < 100


def test_without_network_tor_has_no_socks_port_yet(tmp_path: Path) -> None:
    with running(own_tor(tmp_path / "tor")) as tor:
        assert tor.socks is None


def test_a_second_start_reuses_the_data_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / "tor"
    with running(own_tor(data_dir)) as first:
        first_port = first.control_port
    state = (data_dir / "state").read_text()
    with running(own_tor(data_dir)) as second:
        print(f"second start: {second.costs}")
        assert (data_dir / "state").exists()
    assert state  # tor's state file was kept between the two runs
    assert first_port.host == second.control_port.host


def test_bad_extra_lines_are_refused_by_tor_and_change_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "profile" / "tor"
    config = own_tor(data_dir, ("DisableNetwork 1", "UseBridges maybe"))
    with pytest.raises(TorConfigError) as caught:
        start_own_tor(config)
    message = caught.value.message
    print(message)
    assert "--tor-config" in message
    assert "UseBridges" in message
    assert not (tmp_path / "profile").exists()


def test_an_unknown_option_is_named(tmp_path: Path) -> None:
    with pytest.raises(TorConfigError, match="Unknown option 'Bogus'"):
        start_own_tor(own_tor(tmp_path / "tor", ("Bogus 1",)))


def test_tor_exiting_at_start_reports_its_last_words(tmp_path: Path) -> None:
    # Valid to --verify-config, fatal at start: tor cannot make its key folder.
    data_dir = tmp_path / "tor"
    with pytest.raises(TorStartError) as caught:
        start_own_tor(
            own_tor(data_dir, ("DisableNetwork 1", f"KeyDirectory {tmp_path}/missing/keys"))
        )
    message = caught.value.message
    print(message)
    assert message.startswith("Tor stopped while starting (exit code 1): ")
    assert "Couldn't create private data directory" in message
    assert "[warn]" not in message
    assert "[err]" not in message
    assert not (data_dir / CONTROL_PORT_FILE).exists()


def test_a_missing_binary_is_a_clear_start_error(tmp_path: Path) -> None:
    config = OwnTor(binary=tmp_path / "no-tor", data_dir=tmp_path / "tor")
    with pytest.raises(TorConfigError, match="Could not run tor"):
        start_own_tor(config)


def test_an_unreachable_control_port_says_what_to_fix(tmp_path: Path) -> None:
    with closed_loopback_port() as nowhere:
        config = ExistingTor(
            control=HostPort("127.0.0.1", nowhere), socks=HostPort("127.0.0.1", 9050)
        )
        with pytest.raises(TorControlError) as caught:
            open_tor(config)
    print(caught.value.message)
    assert "Could not reach Tor's control port at 127.0.0.1:" in caught.value.message
    assert "--tor-control" in caught.value.message
    missing_socket = ExistingTor(
        control=UnixSocket(tmp_path / "control.sock"), socks=HostPort("127.0.0.1", 9050)
    )
    with pytest.raises(TorControlError, match="Could not reach Tor's control port"):
        open_tor(missing_socket)


def test_an_existing_tor_with_a_password(tmp_path: Path) -> None:
    password = "correct horse battery"
    hashed = _hash_password(password)
    with closed_loopback_port() as control_port, closed_loopback_port() as socks_port:
        pass  # two ports that were free a moment ago, for the foreign tor to take
    lines = [
        f"ControlPort 127.0.0.1:{control_port}",
        f"HashedControlPassword {hashed}",
        f"SocksPort 127.0.0.1:{socks_port}",
        "DisableNetwork 1",
    ]
    with foreign_tor(tmp_path / "system-tor", lines) as popen:
        address = HostPort("127.0.0.1", control_port)
        assert wait_for(lambda: _listening(control_port) or popen.poll() is not None, 20)
        assert popen.poll() is None, (tmp_path / "system-tor" / "tor.log").read_text()
        socks = HostPort("127.0.0.1", socks_port)
        with pytest.raises(TorControlError) as wrong:
            open_tor(ExistingTor(control=address, socks=socks, password="wrong"))
        assert wrong.value.message == (
            "Tor's control port at 127.0.0.1:"
            f"{control_port} refused the password: check the Tor control password."
        )
        with pytest.raises(TorControlError, match="asks for a password"):
            open_tor(ExistingTor(control=address, socks=socks))
        session = open_tor(ExistingTor(control=address, socks=socks, password=password))
        try:
            assert session.process is None
            assert session.socks == socks
            assert session.controller.get_info("version").startswith("0.4")
        finally:
            session.close()
        assert popen.poll() is None  # an existing tor is not ours to stop


def _hash_password(password: str) -> str:
    result = subprocess.run(
        [str(tor_binary()), "--quiet", "--hash-password", password],
        capture_output=True,
        check=True,
        timeout=20,
    )
    return result.stdout.decode().strip().splitlines()[-1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose; Popen.wait reaped ours
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def test_tor_exits_when_its_control_connection_closes(tmp_path: Path) -> None:
    with running(own_tor(tmp_path / "tor")) as tor:
        tor.controller.close()  # as when Hearth dies: TAKEOWNERSHIP ends tor with us
        assert wait_for(lambda: not tor.running(), 15)


def test_a_killed_tor_stops_cleanly_and_starts_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "tor"
    session = open_tor(own_tor(data_dir))
    assert session.process is not None
    try:
        os.kill(session.process.pid, 9)
        assert wait_for(lambda: session.process is not None and not session.process.running(), 10)
    finally:
        session.close()  # no traceback for a tor that is already gone
    again = open_tor(own_tor(data_dir))  # the lock and port files of the dead tor are stale
    try:
        assert again.process is not None
        assert again.process.running()
        assert stat.S_IMODE((data_dir / "torrc").stat().st_mode) == 0o600
        assert stat.S_IMODE((data_dir / "tor.log").stat().st_mode) == 0o600
    finally:
        again.close()
    assert not again.process.running()


def test_an_existing_tor_on_a_unix_socket_with_a_cookie(tmp_path: Path) -> None:
    tor_dir = tmp_path / "system-tor"
    control_socket = tor_dir / "control.sock"
    lines = [f"ControlSocket {control_socket}", "CookieAuthentication 1", "DisableNetwork 1"]
    with foreign_tor(tor_dir, lines) as popen:
        assert wait_for(lambda: control_socket.exists() or popen.poll() is not None, 20)
        assert popen.poll() is None, (tor_dir / "tor.log").read_text()
        config = ExistingTor(control=UnixSocket(control_socket), socks=HostPort("127.0.0.1", 9050))
        session = open_tor(config)
        try:
            assert session.controller.get_info("version").startswith("0.4")
        finally:
            session.close()
        assert popen.poll() is None


def test_a_data_directory_that_would_break_the_torrc_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "profile\nControlPort 0.0.0.0:9051" / "tor"
    with pytest.raises(TorStartError, match="control characters"):
        start_own_tor(own_tor(data_dir))
    assert list(tmp_path.iterdir()) == []


def test_a_control_port_that_never_answers_is_given_up(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = HostPort("127.0.0.1", silent.getsockname()[1])
        with pytest.raises(TorControlError) as caught:
            control.connect(address, seconds=0.5)
    print(caught.value.message)
    assert "names Tor's control port (not its SOCKS port)" in caught.value.message


def test_status_is_watched_from_the_first_phase_until_tor_is_killed(tmp_path: Path) -> None:
    machine = TorStatusMachine()
    seen: list[TorState] = []
    lock = threading.Lock()

    def on_input(event: TorInput) -> None:  # called from stem's threads
        with lock:
            seen.append(machine.feed(event)[0].state)

    with running(own_tor(tmp_path / "tor")) as tor:
        unwatch = watch_status(tor.controller, on_input)
        assert seen == [TorState.BOOTSTRAPPING]  # tor's phase at once: 0%, "starting"
        assert machine.view.status.phase == "starting"
        os.kill(tor.pid, 9)
        assert wait_for(lambda: TorState.FAILED in seen, 10), seen
        unwatch()
    print(f"states: {seen}, detail: {machine.view.detail}")
    assert machine.view.detail == "Tor's control connection closed"


def test_a_profile_folder_tor_cannot_use_is_a_clear_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "profile"
    not_a_folder.write_text("")
    with pytest.raises(TorStartError, match="Could not prepare Tor's folder"):
        start_own_tor(own_tor(not_a_folder / "tor"))
