"""Which GossipSub topics we are subscribed to, and the circle and epoch keys of each: a
circle's topics follow its epochs (CircleRuntime.topics: the newest SUBSCRIBED_EPOCHS we
hold a secret for, none once we are no longer a member)."""

from __future__ import annotations

from collections.abc import Callable

from peerapp.crypto.epoch import EpochKeys
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.network.host import NetworkNode


class CircleTopics:
    def __init__(self, node: Callable[[bytes], NetworkNode | None]) -> None:
        """`node(circle)`: the host a membership is reached at, None when not running."""
        self._node = node
        self._by_topic: dict[str, tuple[bytes, EpochKeys]] = {}

    def get(self, topic: str) -> tuple[bytes, EpochKeys] | None:
        """The circle and epoch keys a topic belongs to, if we are subscribed to it."""
        return self._by_topic.get(topic)

    def drop(self, circle_id: bytes) -> None:
        """A forgotten circle: its topics are no longer ours (its host closes with it)."""
        for topic, (circle, _) in list(self._by_topic.items()):
            if circle == circle_id:
                del self._by_topic[topic]

    async def sync(self, runtime: CircleRuntime) -> None:
        """Subscribe to the circle's wanted topics, unsubscribe from the others."""
        node = self._node(runtime.circle_id)
        if node is None:
            return
        wanted = runtime.topics()
        for topic, (circle_id, _) in list(self._by_topic.items()):
            # two removals may be settled at once (the same one pulled from two members):
            # the other may have dropped this topic while we awaited
            if (
                circle_id == runtime.circle_id
                and topic not in wanted
                and self._by_topic.pop(topic, None) is not None
            ):
                await node.unsubscribe(topic)
        for topic, keys in wanted.items():
            if topic not in self._by_topic:
                self._by_topic[topic] = (runtime.circle_id, keys)
                await node.subscribe(topic)
