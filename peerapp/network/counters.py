"""Plain counters for what the network layer refused or dropped.

Drops are never silent: each place that discards a message or a stream counts it here,
so a test, a status command or a log line can tell a quiet network from a lossy one.
"""

from __future__ import annotations

COUNTER_NAMES = (
    "published",  # our own publishes handed to GossipSub
    "delivered",  # messages from other peers handed to on_message
    "dropped_oversized",  # received messages over the size limit
    "dropped_invalid",  # received messages the library choked on (bad key, bad encoding)
    "dropped_queue_full",  # outbound RPCs the library's per-peer queue rejected
    "publish_waits",  # publishes that waited for room in a peer's outbound queue
    "published_past_stall",  # publishes sent although a peer's queue stayed crowded
    "message_callback_errors",  # exceptions raised by on_message
    "streams_refused",  # inbound streams the gate refused
    "pubsub_streams_parked",  # inbound pubsub streams held unread until the gate decides
    "streams_undecodable",  # pubsub streams reset because an RPC was not protobuf
    "streams_read_after_stop",  # pubsub streams reset because a message came while stopping
    "stream_handler_errors",  # stream handlers that raised something other than StreamError
    "stream_errors",  # stream handlers that ended on a StreamError (reset, timeout, EOF)
    "relay_refused",  # pubsub messages not authentic (validator): neither delivered nor relayed
    "pubsub_peers_revoked",  # peers whose pubsub streams were cut: the gate stopped allowing them
    "handshakes_refused",  # inbound connections closed unread: too many handshakes in flight
    "strangers_admitted",  # inbound connections from strangers taken into the budget
    "strangers_refused",  # stranger connections closed to keep a budget (guard.py)
    "strangers_idle_dropped",  # stranger connections closed at the end of their grace
    "strangers_bad_proof",  # stranger connections closed after a failed invite proof
)


class Counters:
    """Named, monotonically increasing counts; unknown names are a bug and raise KeyError."""

    def __init__(self) -> None:
        self._values = dict.fromkeys(COUNTER_NAMES, 0)

    def add(self, name: str, amount: int = 1) -> None:
        if name not in self._values:
            raise KeyError(f"unknown counter {name!r}")
        self._values[name] += amount

    def snapshot(self) -> dict[str, int]:
        return dict(self._values)
