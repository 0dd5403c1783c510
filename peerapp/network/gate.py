"""Who may speak which protocol to us.

The engine decides (members may use a circle's protocols, strangers only the join
protocol); the network layer asks before it serves an inbound stream and before it opens
a GossipSub stream to a peer, so a stranger neither talks on a circle's protocols nor
learns which topics we are subscribed to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

# allow(peer_id, protocol) -> bool; peer_id is the base58 peer id
Allow = Callable[[str, str], bool]


class Gate:
    """Holds the current allow callable; with none set, everything is allowed."""

    def __init__(self) -> None:
        self._allow: Allow | None = None

    def set(self, allow: Allow | None) -> None:
        self._allow = allow

    def allows(self, peer_id: str, protocol: str) -> bool:
        if self._allow is None:
            return True
        try:
            return bool(self._allow(peer_id, protocol))
        except Exception as error:
            # a broken gate must fail closed, and must not take the stream handler down
            log.error("gate raised %s for protocol %s; refusing", type(error).__name__, protocol)
            return False

    def allows_all(self, peer_id: str, protocols: Iterable[str]) -> bool:
        return all(self.allows(peer_id, protocol) for protocol in protocols)
