"""Leak checks for Tor mode: which sockets Hearth's processes hold, and whether any IP
address shows up in what the node tells its user.

1. Sockets. `LeakMonitor` samples, in a background thread, every TCP and UDP socket of
   the processes it watches and of their descendants (Hearth's own tor is a child of the
   node), from /proc: /proc/<pid>/fd -> socket inodes -> /proc/<pid>/net/{tcp,tcp6,udp,
   udp6} (the tables of that process's own network namespace). Rules (`leak_of`):
   - a listening socket (TCP LISTEN, or a bound unconnected UDP socket) must be on
     127.0.0.1 exactly: 0.0.0.0 or :: would take connections from the whole network;
   - a connected socket's remote end must be in 127.0.0.0/8: in Tor mode Hearth talks to
     its tor (control and SOCKS ports) and to its own listeners, the tor to the private
     network's relays, all on loopback;
   - a socket bound to a non-loopback address but not connected is reported too.
   Sampling sees what is open at each sample, not a connection that opens and closes
   between two; the interval is short for that reason. The thread is bounded in time and
   in samples; the report says whether it covered the whole run.
2. Text. `ip_addresses_in` walks a JSON document (members, history, status, a decoded
   invite code) and returns every IPv4 or IPv6 address written in it, and every
   `/ip4/` or `/ip6/` multiaddr fragment.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.tor.sockets import address_of, socket_inodes

SAMPLE_SECONDS = 0.2
BOUND_SECONDS = 900.0
MAX_SAMPLES = 10_000
MAX_PROCESSES = 4096  # /proc entries read per descendant scan, at most
TABLES = ("tcp", "tcp6", "udp", "udp6")
_TCP_LISTEN = "0A"
_LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
_LISTEN_ADDRESS = ipaddress.ip_address("127.0.0.1")


@dataclass(frozen=True)
class SocketSeen:
    table: str  # tcp, tcp6, udp, udp6
    local: tuple[str, int]
    remote: tuple[str, int]
    state: str  # the kernel's hex state (TCP: 0A is LISTEN)

    @property
    def connected(self) -> bool:
        return self.remote[1] != 0

    @property
    def listening(self) -> bool:
        if self.table.startswith("tcp"):
            return self.state == _TCP_LISTEN
        return not self.connected and self.local[1] != 0


@dataclass(frozen=True)
class Leak:
    pid: int
    command: str
    what: str  # "connected to 10.1.2.3:9 (udp)", "listens on 0.0.0.0:4001 (tcp)"

    def __str__(self) -> str:
        return f"{self.command} (pid {self.pid}) {self.what}"


def _ipv4(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address, an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 form."""
    address = ipaddress.ip_address(text)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _endpoint(end: tuple[str, int]) -> str:
    return f"[{end[0]}]:{end[1]}" if ":" in end[0] else f"{end[0]}:{end[1]}"


def leak_of(seen: SocketSeen) -> str | None:
    """What is wrong with this socket in Tor mode, or None (see the module's rules)."""
    local = _ipv4(seen.local[0])
    kind = f"({seen.table})"
    if seen.listening:
        if local != _LISTEN_ADDRESS:
            return f"listens on {_endpoint(seen.local)} {kind}"
        return None
    if seen.connected:
        remote = _ipv4(seen.remote[0])
        if remote not in _LOOPBACK:
            return f"connected to {_endpoint(seen.remote)} {kind}"
        return None
    if seen.local[1] != 0 and not local.is_unspecified and local not in _LOOPBACK:
        return f"bound to {_endpoint(seen.local)} {kind}"
    return None


def _tables(pid: int) -> dict[int, SocketSeen]:
    """inode -> socket, from the network namespace `pid` lives in. The file is the
    kernel's; lines that do not parse are skipped all the same."""
    found: dict[int, SocketSeen] = {}
    for name in TABLES:
        try:
            text = Path(f"/proc/{pid}/net/{name}").read_text()
        except FileNotFoundError:
            continue  # no IPv6 in this kernel
        for line in text.splitlines()[1:]:
            fields = line.split()
            with contextlib.suppress(IndexError, ValueError):
                inode = int(fields[9])
                if inode:
                    found[inode] = SocketSeen(
                        name, address_of(fields[1]), address_of(fields[2]), fields[3]
                    )
    return found


def sockets_of(pid: int) -> list[SocketSeen]:
    """The TCP and UDP sockets process `pid` holds now; OSError if it is gone."""
    inodes = socket_inodes(pid)
    table = _tables(pid)
    return [table[inode] for inode in sorted(inodes) if inode in table]


def command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    words = [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    return " ".join(Path(words[0]).name if i == 0 else w for i, w in enumerate(words[:4]))


def descendants(roots: Iterable[int]) -> set[int]:
    """The processes below `roots` now (children, grandchildren...), from /proc/*/stat."""
    parents: dict[int, int] = {}
    for index, entry in enumerate(os.scandir("/proc")):
        if index >= MAX_PROCESSES:
            break
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            # the command name (in brackets) may hold spaces: the fields follow its ")"
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    wanted = set(roots)
    for _ in range(64):  # depth bound: a tree deeper than this is not ours
        children = {pid for pid, parent in parents.items() if parent in wanted} - found
        if not children:
            break
        found |= children
        wanted = children
    return found


@dataclass
class LeakReport:
    samples: int = 0
    processes: set[int] = field(default_factory=set)  # every pid sampled at least once
    sockets: int = 0  # distinct (pid, socket) pairs seen
    leaks: dict[Leak, int] = field(default_factory=dict)  # leak -> samples it was seen in
    complete: bool = True  # False: the bound stopped sampling before stop() was called

    def summary(self) -> str:
        return (
            f"{self.samples} samples of {len(self.processes)} processes, "
            f"{self.sockets} distinct sockets, {len(self.leaks)} leak(s)"
        )


class LeakMonitor:
    """Samples the watched processes (and their descendants) every SAMPLE_SECONDS until
    stop(), or the bound; `watch(pid)` adds one (a node restarted gets a new pid)."""

    def __init__(
        self,
        *,
        interval: float = SAMPLE_SECONDS,
        bound_seconds: float = BOUND_SECONDS,
        max_samples: int = MAX_SAMPLES,
        include_descendants: bool = True,
    ) -> None:
        self._interval = interval
        self._bound = bound_seconds
        self._max_samples = max_samples
        self._descendants = include_descendants
        self._roots: set[int] = set()
        self._ignored: set[int] = set()
        self._seen: set[tuple[int, SocketSeen]] = set()
        self._report = LeakReport()
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="leak-monitor", daemon=True)

    def watch(self, pid: int) -> None:
        with self._lock:
            self._roots.add(pid)

    def ignore(self, pids: Iterable[int]) -> None:
        """Processes below a watched one that are not Hearth's (the private Tor network's
        relays, when the test process started it): not sampled."""
        with self._lock:
            self._ignored.update(pids)

    def start(self) -> LeakMonitor:
        self._thread.start()
        return self

    def stop(self) -> LeakReport:
        self._stopping.set()
        self._thread.join(timeout=self._interval * 10 + 5)
        return self.report()

    def report(self) -> LeakReport:
        """A copy of what was seen so far."""
        with self._lock:
            current = self._report
            return LeakReport(
                current.samples,
                set(current.processes),
                current.sockets,
                dict(current.leaks),
                current.complete,
            )

    def wait_for_samples(self, count: int, timeout: float) -> bool:
        """Until `count` more samples have been taken (False if not within `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            target = self._report.samples + count
            while self._report.samples < target:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(remaining)
            return True

    def __enter__(self) -> LeakMonitor:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        deadline = time.monotonic() + self._bound
        while not self._stopping.is_set():
            if time.monotonic() > deadline or self._report.samples >= self._max_samples:
                with self._lock:
                    self._report.complete = False
                    self._lock.notify_all()
                return
            self._sample()
            self._stopping.wait(self._interval)

    def _sample(self) -> None:
        with self._lock:
            roots, ignored = set(self._roots), set(self._ignored)
        pids = roots | (descendants(roots) if self._descendants else set())
        pids -= ignored
        sampled: list[tuple[int, list[SocketSeen]]] = []
        for pid in sorted(pids):
            with contextlib.suppress(OSError):  # it exited while we looked
                sampled.append((pid, sockets_of(pid)))
        with self._lock:
            report = self._report
            report.samples += 1
            for pid, sockets in sampled:
                report.processes.add(pid)
                for seen in sockets:
                    if (pid, seen) not in self._seen:
                        self._seen.add((pid, seen))
                        report.sockets += 1
                    what = leak_of(seen)
                    if what is not None:
                        leak = Leak(pid, command_of(pid), what)
                        report.leaks[leak] = report.leaks.get(leak, 0) + 1
            self._lock.notify_all()


# -- IP addresses in text ------------------------------------------------------------

# a sentence may end right after an address: a dot then counts only before a digit
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w)(?!\.\d)")
# a run of hex groups with at least two colons, maybe ending in dotted IPv4 (::ffff:a.b.c.d);
# ipaddress decides whether it is one
_IPV6 = re.compile(
    r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w:])(?!\.\d)"
)
_MULTIADDR_IP = re.compile(r"/ip[46]/[^/\s\"']*")
MAX_DEPTH = 64


@dataclass(frozen=True)
class AddressFound:
    where: str  # a JSON path such as $.members[2].name
    text: str


def addresses_in_text(text: str) -> list[str]:
    """Every IP address (or /ip4, /ip6 multiaddr part) written in `text`."""
    found = [match.group(0) for match in _MULTIADDR_IP.finditer(text)]
    for pattern in (_IPV4, _IPV6):
        for match in pattern.finditer(text):
            with contextlib.suppress(ValueError):
                ipaddress.ip_address(match.group(0))
                found.append(match.group(0))
    return found


def ip_addresses_in(document: Any, where: str = "$", depth: int = 0) -> list[AddressFound]:
    """Every IP address in a JSON-like document: strings, dict keys and values, lists."""
    if depth > MAX_DEPTH:
        return [AddressFound(where, "(nested too deep to check)")]
    found: list[AddressFound] = []
    if isinstance(document, str):
        found += [AddressFound(where, text) for text in addresses_in_text(document)]
    elif isinstance(document, dict):
        for key, value in document.items():
            found += ip_addresses_in(str(key), f"{where}.<key {key!s:.20}>", depth + 1)
            found += ip_addresses_in(value, f"{where}.{key}", depth + 1)
    elif isinstance(document, (list, tuple)):
        for index, value in enumerate(document):
            found += ip_addresses_in(value, f"{where}[{index}]", depth + 1)
    return found
