"""Which TCP endpoints a process has open, read from /proc (Linux): for checking that
tor, and later Hearth in Tor mode, talk to nothing but loopback."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path

_SOCKET_LINK = re.compile(r"socket:\[(\d+)\]")
_LISTEN = "0A"


@dataclass(frozen=True)
class TcpEndpoint:
    local: tuple[str, int]
    remote: tuple[str, int]
    listening: bool

    def on_loopback(self) -> bool:
        local = ipaddress.ip_address(self.local[0]).is_loopback
        if self.listening:
            return local
        return local and ipaddress.ip_address(self.remote[0]).is_loopback


def address_of(field: str) -> tuple[str, int]:
    """`0100007F:1F90` (IPv4) or 32 hex digits (IPv6), each 32-bit word in host order
    (little-endian here), then the port in hex."""
    hex_ip, hex_port = field.split(":")
    raw = bytes.fromhex(hex_ip)
    ordered = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(ordered)), int(hex_port, 16)


def _tcp_table() -> dict[int, TcpEndpoint]:
    table: dict[int, TcpEndpoint] = {}
    for name in ("tcp", "tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(f"/proc/net/{name}").read_text().splitlines()[1:]:
                fields = line.split()
                inode = int(fields[9])
                if inode:
                    table[inode] = TcpEndpoint(
                        address_of(fields[1]), address_of(fields[2]), fields[3] == _LISTEN
                    )
    return table


def socket_inodes(pid: int) -> set[int]:
    """The inodes of the sockets process `pid` holds open now."""
    inodes: set[int] = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in os.listdir(fd_dir):
        with contextlib.suppress(OSError):  # a descriptor closed while we look
            found = _SOCKET_LINK.fullmatch(os.readlink(fd_dir / fd))
            if found is not None:
                inodes.add(int(found.group(1)))
    return inodes


def tcp_endpoints(pid: int) -> list[TcpEndpoint]:
    """The TCP sockets process `pid` holds now (those in our network namespace)."""
    inodes = socket_inodes(pid)
    table = _tcp_table()
    return [table[inode] for inode in sorted(inodes) if inode in table]


def sockets_all_on_loopback(pids: list[int]) -> int:
    """Assert that every TCP socket of each process is on loopback (and that each holds
    one: a process with none is not running); returns how many were checked."""
    checked = 0
    for pid in pids:
        endpoints = tcp_endpoints(pid)
        assert endpoints, f"process {pid} holds no TCP socket: is it running?"
        assert [e for e in endpoints if not e.on_loopback()] == []
        checked += len(endpoints)
    return checked
