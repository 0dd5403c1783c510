"""Each circle's sync summary (core/sync_messages.py buckets), kept up to date in memory.

Every pull sends a summary of the whole log and every answer compares it with its own, so
reading every (lamport, id) back from the database for each one costs time in proportion
to the log (0.2 s for 30,000 events here, twice per pull, every 5 s per member), which
under load is what the nodes ran out of. The store folds each event in once, when it is
added, and drops a circle's sums whenever events leave the summary (erased, cleared,
forgotten), to be read back once on the next use.

Controls and messages are summed apart, because an answer to a member leaves out the
messages from before its admission (`messages_from`); a bucket cut by that horizon or by
`through` is read from the database exactly (`read_range`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from peerapp.core.sync_messages import BUCKET_LAMPORTS, DIGEST_BYTES, Bucket

# (lamport, id) of the events with lamport in [low, high] that a summary with this
# message horizon counts
ReadRange = Callable[[int, int, int], list[tuple[int, bytes]]]


def _digest_part(event_id: bytes) -> int:
    return int.from_bytes(event_id[:DIGEST_BYTES], "big")


@dataclass
class BucketSums:
    """Per bucket index: [count, xor of digests], for control events and messages apart."""

    controls: dict[int, list[int]] = field(default_factory=dict)
    messages: dict[int, list[int]] = field(default_factory=dict)

    def add(self, lamport: int, event_id: bytes, is_message: bool) -> None:
        sums = self.messages if is_message else self.controls
        entry = sums.setdefault(lamport // BUCKET_LAMPORTS, [0, 0])
        entry[0] += 1
        entry[1] ^= _digest_part(event_id)

    @classmethod
    def of(cls, events: Iterable[tuple[int, bytes, bool]]) -> BucketSums:
        sums = cls()
        for lamport, event_id, is_message in events:
            sums.add(lamport, event_id, is_message)
        return sums

    def summary(self, messages_from: int, through: int, read_range: ReadRange) -> dict[int, Bucket]:
        """The buckets of the events up to lamport `through`, leaving out messages below
        `messages_from`; the (at most two) buckets those cut are read exactly."""
        found: dict[int, Bucket] = {}
        for index in sorted(self.controls.keys() | self.messages.keys()):
            low, high = index * BUCKET_LAMPORTS, (index + 1) * BUCKET_LAMPORTS - 1
            if low > through:
                break
            if high > through or low < messages_from <= high:
                part = read_range(low, min(high, through), messages_from)
                count, digest = len(part), 0
                for _, event_id in part:
                    digest ^= _digest_part(event_id)
            else:
                count, digest = self.controls.get(index, [0, 0])
                if low >= messages_from:
                    extra = self.messages.get(index, [0, 0])
                    count, digest = count + extra[0], digest ^ extra[1]
            if count:
                found[index] = Bucket(index, count, digest.to_bytes(DIGEST_BYTES, "big"))
        return found
