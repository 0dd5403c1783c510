"""The typing indicator's limits (issue 15): how often a member says it is typing, how
often a receiver accepts it, how long it shows, and how old a signal may be."""

from __future__ import annotations

SEND_EVERY_SECONDS = 3  # at most one signal per circle this often, however fast one types
# a receiver accepts one per member this often: under SEND_EVERY_SECONDS, so network
# jitter never drops an honest member's signal, while a flood is cut to one in two seconds
ACCEPT_EVERY_SECONDS = 2
SHOW_SECONDS = 6  # "Sam is typing…" stays this long after the last signal
FRESH_SECONDS = 60  # a signal stamped further from our clock is stale (a replay)
MAX_TRACKED = 4096  # (circle, member) pairs the receiver's rate limit remembers at once
