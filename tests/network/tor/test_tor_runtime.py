"""Tor's lifecycle for the engine (runtime.py), with real tor processes, offline: start and
stop, status from a real tor, onion services put back after tor is killed, an existing
tor lost and found again, bad configurations, and exits that leave no tor behind."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import trio

from peerapp.network.tor.config import ExistingTor, HostPort, OwnTor
from peerapp.network.tor.errors import (
    OnionServiceError,
    TorConfigError,
    TorControlError,
    TorStartError,
)
from peerapp.network.tor.onion_keys import new_onion_key
from peerapp.network.tor.restart import RestartPolicy
from peerapp.network.tor.runtime import TorRuntime, running_tor
from peerapp.network.tor.status import TorState, TorView
from tests.network.tor.own_tor import closed_loopback_port, foreign_tor, own_tor
from tests.network.trio_helpers import run, wait_until

S = TorState
# restarts without the production backoff: the rules are the same, the waits shorter
QUICK = RestartPolicy(backoff_seconds=(0.05,), reconnect_seconds=0.1, stale_seconds=0.2)


class Views:
    """Every view on_status reported, in order."""

    def __init__(self) -> None:
        self.seen: list[TorView] = []

    def __call__(self, view: TorView) -> None:
        self.seen.append(view)

    @property
    def states(self) -> list[TorState]:
        return [view.state for view in self.seen]


@contextmanager
def listener() -> Iterator[int]:
    """The 127.0.0.1 listener an onion service points at."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@contextmanager
def bridged_tor(data_dir: Path) -> Iterator[OwnTor]:
    """Our tor with a SOCKS port but no network: its only bridge is a loopback port
    nobody listens on."""
    with closed_loopback_port() as nowhere:
        yield own_tor(data_dir, ("UseBridges 1", f"Bridge 127.0.0.1:{nowhere}"))


def tors_using(data_dir: Path) -> list[int]:
    """Pids of live tor processes whose command line names this DataDirectory's torrc."""
    found = []
    needle = str(data_dir / "torrc").encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if needle in cmdline and "zombie" not in status:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "zombie" not in status


def test_own_tor_starts_reports_its_status_and_stops(tmp_path: Path) -> None:
    views = Views()
    data_dir = tmp_path / "tor"

    async def main() -> None:
        began = time.monotonic()
        async with running_tor(own_tor(data_dir), views) as tor:
            print(f"running_tor entered in {time.monotonic() - began:.2f} s")
            await wait_until(lambda: len(views.seen) >= 2)
            assert tor.pid is not None
            assert alive(tor.pid)
            assert tors_using(data_dir) == [tor.pid]
            with pytest.raises(TorControlError, match="no SOCKS port"):
                tor.socks()  # DisableNetwork 1: tor opens none
            pid = tor.pid
        assert not alive(pid)

    run(main)
    print(f"views: {views.seen}")
    # the initial view at once, then tor's own first phase from the control port
    assert views.states[:2] == [S.STARTING, S.BOOTSTRAPPING]
    assert views.seen[0].summary == "Starting Tor"
    assert views.seen[1].status.phase == "starting"
    assert tors_using(data_dir) == []


def test_a_killed_tor_is_restarted_with_its_services_and_socks_port(tmp_path: Path) -> None:
    views = Views()
    recovered: list[None] = []
    data_dir = tmp_path / "tor"
    key = new_onion_key()

    async def killed(tor: TorRuntime, restarts: int) -> float:
        """Kill our tor; seconds until it runs again with our service back."""
        pid = tor.pid
        assert pid is not None
        began = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        await wait_until(lambda: tor.restarts == restarts, 20)
        await wait_until(lambda: tor.view().state is S.BOOTSTRAPPING, 20)
        assert await tor.onions_current() == {key.address}
        took = time.monotonic() - began
        assert not alive(pid)
        assert tor.pid != pid
        return took

    async def main() -> None:
        with bridged_tor(data_dir) as config, listener() as port:
            policy = RestartPolicy(backoff_seconds=(0.05, 1.0))
            async with running_tor(config, views, policy=policy) as tor:
                service = await tor.publish(key, 4001, port)
                assert service.address == key.address
                assert await tor.publish(key, 4001, port) is service  # twice: the same
                with pytest.raises(OnionServiceError, match="other ports"):
                    await tor.publish(key, 4002, port)
                assert await tor.onions_current() == {key.address}
                socks = tor.socks()

                took = await killed(tor, 1)
                print(f"restart after SIGKILL, service back: {took:.2f} s")
                assert tor.socks() == socks  # dialers holding it keep working
                assert S.RESTARTING in views.states
                restarting = next(v for v in views.seen if v.state is S.RESTARTING)
                assert restarting.summary == "Tor stopped; starting it again"

                # its SOCKS port taken while it was down (the second backoff is 1 s):
                # another port, and the service still back
                pid = tor.pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                await wait_until(lambda: not alive(pid), 10)
                with socket.socket() as squatter:
                    # the dead tor's listener is gone a moment after its process
                    await wait_until(lambda: _bound(squatter, socks.port), 5)
                    squatter.listen()
                    await wait_until(lambda: tor.restarts == 2, 20)
                    await wait_until(lambda: tor.view().state is S.BOOTSTRAPPING, 20)
                    assert await tor.onions_current() == {key.address}
                    assert tor.socks() != socks
                    assert tor.socks().host == "127.0.0.1"

                await tor.unpublish(key.address)
                assert await tor.onions_current() == frozenset()
                assert tor.published() == ()
                last_pid = tor.pid
        assert last_pid is not None
        assert not alive(last_pid)

    run(main, 60)
    print(f"states: {[s.value for s in views.states]}")
    assert tors_using(data_dir) == []
    assert recovered == []  # never READY offline: nothing to recover


def test_a_tor_that_keeps_stopping_is_given_up_with_its_last_words(tmp_path: Path) -> None:
    views = Views()
    data_dir = tmp_path / "tor"
    policy = RestartPolicy(max_restarts=1, backoff_seconds=(0.05,))

    async def main() -> None:
        async with running_tor(own_tor(data_dir), views, policy=policy) as tor:
            for expected in (1, 2):
                pid = tor.pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                if expected == 1:
                    await wait_until(lambda: tor.restarts == 1, 20)
            await wait_until(lambda: tor.view().state is S.FAILED, 20)
            with pytest.raises(TorStartError) as caught:
                await tor.wait_ready()
            print(caught.value.message)
            assert caught.value.message == tor.view().summary
            assert tor.restarts == 1
            assert tors_using(data_dir) == []

    run(main, 40)
    failed = views.seen[-1]
    assert failed.state is S.FAILED
    assert failed.summary.startswith(
        "Tor keeps stopping: Hearth restarted it once within 10 minutes and stopped trying. "
        "Its last message: "
    )


def test_an_existing_tor_lost_fails_then_is_found_again(tmp_path: Path) -> None:
    views = Views()
    key = new_onion_key()
    with closed_loopback_port() as control_port:
        pass  # a port that was free a moment ago, for the foreign tor to take
    lines = [
        f"ControlPort 127.0.0.1:{control_port}",
        "CookieAuthentication 1",
        "DisableNetwork 1",
    ]
    config = ExistingTor(
        control=HostPort("127.0.0.1", control_port), socks=HostPort("127.0.0.1", 9050)
    )
    tor_dir = tmp_path / "system-tor"

    async def main() -> None:
        with ExitStack() as tors, listener() as port:
            first = tors.enter_context(foreign_tor(tor_dir, lines))
            await wait_until(lambda: _listening(control_port) or first.poll() is not None, 20)
            async with running_tor(config, views, policy=QUICK) as tor:
                assert tor.pid is None
                assert tor.socks() == config.socks
                await tor.publish(key, 4001, port)
                assert await tor.onions_current() == {key.address}
                first.kill()
                await wait_until(lambda: tor.view().state is S.FAILED, 10)
                print(tor.view().summary)
                assert tor.view().summary == (
                    f"Lost the connection to Tor's control port at 127.0.0.1:{control_port}; "
                    "Hearth tries again every 0.1 s."
                )
                first.wait(5)
                second = tors.enter_context(foreign_tor(tor_dir, lines))
                began = time.monotonic()
                await wait_until(lambda: tor.view().state is S.BOOTSTRAPPING, 20)
                assert await tor.onions_current() == {key.address}
                print(f"reconnected, service back: {time.monotonic() - began:.2f} s")
                assert any(v.summary == "Connected to Tor again" for v in views.seen)
            assert second.poll() is None  # an existing tor is not ours to stop

    run(main, 60)


def test_a_bad_configuration_is_the_clear_error_and_starts_nothing(tmp_path: Path) -> None:
    views = Views()
    data_dir = tmp_path / "tor"

    async def bad_lines() -> None:
        with pytest.raises(TorConfigError, match="Unknown option 'Bogus'"):
            async with running_tor(own_tor(data_dir, ("DisableNetwork 1", "Bogus 1")), views):
                raise AssertionError("the body must not run")

    async def unreachable() -> None:
        with closed_loopback_port() as nowhere:
            config = ExistingTor(
                control=HostPort("127.0.0.1", nowhere), socks=HostPort("127.0.0.1", 9050)
            )
            with pytest.raises(TorControlError, match="Could not reach Tor's control port"):
                async with running_tor(config, views):
                    raise AssertionError("the body must not run")

    run(bad_lines)
    run(unreachable)
    assert views.states == [S.STARTING, S.STARTING]  # the initial view, nothing more
    assert not data_dir.exists()


def test_exits_by_error_or_cancellation_leave_no_tor(tmp_path: Path) -> None:
    async def body_raises() -> None:
        with pytest.raises(ValueError, match="the body's own"):
            async with running_tor(own_tor(tmp_path / "a"), Views()):
                raise ValueError("the body's own error")

    async def body_cancelled() -> None:
        with trio.CancelScope() as scope:
            async with running_tor(own_tor(tmp_path / "b"), Views()) as tor:
                assert tors_using(tmp_path / "b") == [tor.pid]
                scope.cancel()
                await trio.sleep_forever()
        assert scope.cancelled_caught

    async def cancelled_while_starting() -> None:
        with trio.move_on_after(0.05) as scope:  # tor takes ~0.3 s to start
            async with running_tor(own_tor(tmp_path / "c"), Views()):
                await trio.sleep_forever()
        assert scope.cancelled_caught

    run(body_raises)
    run(body_cancelled)
    run(cancelled_while_starting)
    for name in "abc":
        assert tors_using(tmp_path / name) == [], name


def _bound(sock: socket.socket, port: int) -> bool:
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
