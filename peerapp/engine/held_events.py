"""Events held back until their parents arrive: bounded per author, in total, and in time.

A member can sign any number of events naming parents that never exist. Unbounded, they
would fill the table and push out an honest member's event that merely arrived before
its parent. So:

- each author holds at most `per_author` events; past it, that author's new one is
  refused (counted by the caller), never someone else's;
- the table holds at most `total`; when full, the oldest event of the author holding the
  most is dropped to make room, only if that author holds more than the newcomer's
  would (so shares only ever move toward equal: little holders are never pushed out);
- an event held longer than `expiry_seconds` is dropped (its parents are not coming; a
  later sync brings the event again with them, if they exist).

The clock comes in as `now` (seconds, monotonic). Dropping a held event loses nothing a
replica must keep: the sender still has it, and sync offers it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.crypto.signing import VerifiedEvent


@dataclass(frozen=True)
class _Held:
    verified: VerifiedEvent
    since: float
    missing: tuple[bytes, ...]


class HeldEvents:
    def __init__(self, per_author: int, total: int, expiry_seconds: float) -> None:
        self.per_author = per_author
        self.total = total
        self.expiry_seconds = expiry_seconds
        self._held: dict[bytes, _Held] = {}  # insertion order is age
        self._waiting: dict[bytes, set[bytes]] = {}  # missing parent -> held ids
        self._by_author: dict[bytes, dict[bytes, None]] = {}  # author -> held ids, oldest first

    def __len__(self) -> int:
        return len(self._held)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._held

    def held_by(self, author: bytes) -> int:
        return len(self._by_author.get(author, {}))

    def hold(self, verified: VerifiedEvent, missing: list[bytes], now: float) -> bool:
        """Hold `verified` until `missing` arrive; False when the bounds refuse it."""
        self.expire(now)
        author = verified.event.author
        current = self._held.get(verified.id)
        if current is not None:  # still short of another parent: wait on that one too
            since = current.since
        else:
            if self.held_by(author) >= self.per_author:
                return False
            if len(self._held) >= self.total and not self._make_room(author):
                return False
            since = now
        self._held[verified.id] = _Held(verified, since, tuple(missing))
        self._by_author.setdefault(author, {})[verified.id] = None
        for parent in missing:
            self._waiting.setdefault(parent, set()).add(verified.id)
        return True

    def waiting_on(self, arrived: list[bytes]) -> list[VerifiedEvent]:
        """Held events that waited for any of `arrived` (they may still lack others)."""
        children: dict[bytes, VerifiedEvent] = {}
        for parent in arrived:
            for child in self._waiting.pop(parent, set()):
                held = self._held.get(child)
                if held is not None:
                    children[child] = held.verified
        return list(children.values())

    def release(self, verified: VerifiedEvent) -> None:
        self._drop(verified.id)

    def expire(self, now: float) -> int:
        """Drop what was held too long; returns how many."""
        old = []
        for event_id, held in self._held.items():  # oldest first: stop at the first young one
            if now - held.since <= self.expiry_seconds:
                break
            old.append(event_id)
        for event_id in old:
            self._drop(event_id)
        return len(old)

    def _make_room(self, author: bytes) -> bool:
        """Drop the oldest event of the author holding the most, only when it holds more
        than `author` would with its new one: room is only ever made toward equal
        shares, so whoever holds little is never pushed out by whoever holds more."""
        hog = max(self._by_author, key=lambda a: (len(self._by_author[a]), a))
        if len(self._by_author[hog]) <= self.held_by(author) + 1:
            return False
        self._drop(next(iter(self._by_author[hog])))
        return True

    def _drop(self, event_id: bytes) -> None:
        held = self._held.pop(event_id, None)
        if held is None:
            return
        author = held.verified.event.author
        mine = self._by_author.get(author, {})
        mine.pop(event_id, None)
        if not mine:
            self._by_author.pop(author, None)
        for parent in held.missing:
            waiting = self._waiting.get(parent)
            if waiting is not None:
                waiting.discard(event_id)
                if not waiting:
                    del self._waiting[parent]
