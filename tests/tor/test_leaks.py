"""The leak checker itself (tests/tor/leaks.py) catches what it is there to catch: a
socket "connected" to a non-loopback address, a wildcard listen, in a process below the
one watched; and it reports nothing for a process that keeps to 127.0.0.1. No tor needed.

The non-loopback socket is UDP: connect() on UDP only sets the default destination, so
nothing leaves the machine (a TCP connect would send a SYN off it)."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from tests.tor.leaks import (
    Leak,
    LeakMonitor,
    SocketSeen,
    addresses_in_text,
    descendants,
    ip_addresses_in,
    leak_of,
    sockets_of,
)

READY_BOUND_SECONDS = 20
SAMPLE_BOUND_SECONDS = 10
# documentation and private ranges: nothing is sent to them
OFF_BOX = "10.255.255.1"
ANY = "0.0.0.0"  # noqa: S104 (the wildcard address, as the kernel shows it)

# a process whose sockets stay on 127.0.0.1: a listener, a connection to it, UDP on it
CLEAN = """
import socket, sys
listener = socket.create_server(("127.0.0.1", 0))
client = socket.create_connection(listener.getsockname())
peer, _ = listener.accept()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.connect(("127.0.0.1", listener.getsockname()[1]))
print("ready", flush=True)
sys.stdin.read()
"""

# a leaky grandchild: UDP "connected" off the box, a TCP listen on every IPv4 and on
# every IPv6 address (the middle process only waits, as a node waits on its tor)
LEAKY = f"""
import socket, sys
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.connect(("{OFF_BOX}", 9))
wide = socket.create_server(("0.0.0.0", 0))
wide6 = socket.create_server(("::", 0), family=socket.AF_INET6)
fine = socket.create_server(("127.0.0.1", 0))
print("ready", wide.getsockname()[1], wide6.getsockname()[1], flush=True)
sys.stdin.read()
"""
PARENT = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdin=sys.stdin)
sys.exit(child.wait())
"""


def spawn(script: str, parent: bool = False) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", PARENT, script] if parent else [sys.executable, "-c", script]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def ready_line(process: subprocess.Popen[str]) -> list[str]:
    """The child's `ready` line, read within a bound (a thread reads: pipes do not time out)."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    line = lines.get(timeout=READY_BOUND_SECONDS)
    assert line.startswith("ready"), line
    return line.split()[1:]


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        assert process.stdin is not None
        process.stdin.close()  # the scripts end at the end of their input
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()  # left to the garbage collector it is a ResourceWarning


def test_a_process_that_keeps_to_loopback_shows_sockets_and_no_leak(
    processes: list[subprocess.Popen[str]],
) -> None:
    clean = spawn(CLEAN)
    processes.append(clean)
    ready_line(clean)
    sockets = sockets_of(clean.pid)
    # listener, client, accepted, udp: the checker sees them all
    assert sum(s.listening and s.table == "tcp" for s in sockets) == 1
    assert sum(s.connected for s in sockets) == 3
    with LeakMonitor(interval=0.05) as monitor:
        monitor.watch(clean.pid)
        assert monitor.wait_for_samples(3, SAMPLE_BOUND_SECONDS)
    report = monitor.report()
    print(report.summary())
    assert report.leaks == {}
    assert report.sockets >= 4 and clean.pid in report.processes and report.complete


def test_a_grandchild_connected_off_the_box_or_listening_widely_is_caught(
    processes: list[subprocess.Popen[str]],
) -> None:
    parent = spawn(LEAKY, parent=True)
    processes.append(parent)
    wide_port, wide6_port = ready_line(parent)
    with LeakMonitor(interval=0.05) as monitor:
        monitor.watch(parent.pid)  # only the parent: the leaks are its child's
        assert monitor.wait_for_samples(3, SAMPLE_BOUND_SECONDS)
    report = monitor.report()
    print(report.summary())
    (child,) = descendants([parent.pid])
    found = {(leak.pid, leak.what) for leak in report.leaks}
    assert found == {
        (child, f"connected to {OFF_BOX}:9 (udp)"),
        (child, f"listens on 0.0.0.0:{wide_port} (tcp)"),
        (child, f"listens on [::]:{wide6_port} (tcp6)"),
    }
    assert all(isinstance(leak, Leak) and "python" in leak.command for leak in report.leaks)
    assert {parent.pid, child} <= report.processes


def test_the_rules_for_each_kind_of_socket() -> None:
    def tcp(local: tuple[str, int], remote: tuple[str, int], state: str = "01") -> SocketSeen:
        return SocketSeen("tcp", local, remote, state)

    assert leak_of(tcp(("127.0.0.1", 5), ("127.0.0.2", 9050))) is None
    assert leak_of(tcp(("127.0.0.1", 5), (ANY, 0), "0A")) is None
    assert leak_of(tcp(("127.0.0.2", 5), (ANY, 0), "0A")) == "listens on 127.0.0.2:5 (tcp)"
    assert leak_of(tcp(("192.0.2.2", 5), ("192.0.2.1", 443))) == "connected to 192.0.2.1:443 (tcp)"
    # SYN_SENT counts: the address was dialled
    assert leak_of(tcp(("192.0.2.2", 5), ("8.8.8.8", 53), "02")) == "connected to 8.8.8.8:53 (tcp)"
    # IPv4-mapped loopback is loopback; ::1 is not 127.0.0.0/8
    mapped = SocketSeen("tcp6", ("::ffff:127.0.0.1", 5), ("::ffff:127.0.0.1", 6), "01")
    assert leak_of(mapped) is None
    six = SocketSeen("tcp6", ("::1", 5), ("::1", 6), "01")
    assert leak_of(six) == "connected to [::1]:6 (tcp6)"
    # a socket not yet bound, or bound to loopback only, is no leak; bound elsewhere is
    assert leak_of(tcp((ANY, 0), (ANY, 0), "07")) is None
    assert leak_of(tcp(("192.0.2.2", 7), (ANY, 0), "07")) == "bound to 192.0.2.2:7 (tcp)"
    udp = SocketSeen("udp", (ANY, 5353), (ANY, 0), "07")
    assert udp.listening and leak_of(udp) == "listens on 0.0.0.0:5353 (udp)"


def test_the_monitor_stops_at_its_bound_and_says_so() -> None:
    monitor = LeakMonitor(interval=0.01, bound_seconds=60, max_samples=3).start()
    assert not monitor.wait_for_samples(10, SAMPLE_BOUND_SECONDS)
    report = monitor.stop()
    assert report.samples == 3 and report.complete is False


def test_ip_addresses_in_json_are_found_wherever_they_are() -> None:
    document = {
        "members": [{"name": "Ash", "addrs": ["/onion3/" + "a" * 56 + ":4001"]}],
        "note": "reach me at 192.168.1.20. Or fe80::1ff:fe23:4567:890a%eth0",
        "status": {"listen": "/ip4/0.0.0.0/tcp/4001", "10.0.0.1": True},
        "history": [{"text": "::ffff:10.1.2.3 and 2001:db8::7"}],
        "clean": "12:30:45, version 1.2.3, id 0a1b2c3d, peer 12D3KooWAbCdEf, ts 1733369999000",
    }
    found = {(f.where, f.text) for f in ip_addresses_in(document)}
    assert found == {
        ("$.note", "192.168.1.20"),
        ("$.note", "fe80::1ff:fe23:4567:890a"),
        ("$.status.listen", "/ip4/0.0.0.0"),
        ("$.status.listen", ANY),
        ("$.status.<key 10.0.0.1>", "10.0.0.1"),
        ("$.history[0].text", "10.1.2.3"),
        ("$.history[0].text", "::ffff:10.1.2.3"),
        ("$.history[0].text", "2001:db8::7"),
    }
    assert addresses_in_text("/onion3/" + "b" * 56 + ":4001/p2p/12D3KooWXyZ") == []
    assert addresses_in_text("/ip6/::1/tcp/1") == ["/ip6/::1", "::1"]
