"""The circles this engine holds in memory, by circle id: one registry every feature looks
circles up in, instead of reaching into the circle service's dictionary.

    | lookup          | for                                    | a circle we left     |
    |-----------------|----------------------------------------|----------------------|
    | get(id)         | network input (may name any circle)    | found                |
    | require(hex)    | a command naming a circle              | CommandError         |
    | holds(runtime)  | a step after an await: still this one? | found                |
    | active()        | listings, "every circle" settings      | left out             |
    | all()           | serving and background loops           | found                |
"""

from __future__ import annotations

from collections.abc import Iterator

from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.engine.circle_runtime import CircleRuntime


class CircleRuntimes:
    def __init__(self) -> None:
        self._by_id: dict[bytes, CircleRuntime] = {}

    def get(self, circle_id: bytes) -> CircleRuntime | None:
        return self._by_id.get(circle_id)

    def require(self, circle_hex: str) -> CircleRuntime:
        """The circle a command names; CommandError for a bad id, an unknown circle or one
        we left (it is hidden until it is forgotten)."""
        try:
            circle_id = bytes.fromhex(circle_hex)
        except ValueError:
            raise CommandError(Refusal.NOT_A_CIRCLE_ID, text=circle_hex) from None
        runtime = self._by_id.get(circle_id)
        if runtime is None or runtime.left:
            raise CommandError(Refusal.NOT_IN_CIRCLE)
        return runtime

    def holds(self, runtime: CircleRuntime) -> bool:
        """Whether this very runtime is still the circle's (not forgotten, not replaced by a
        rejoin) after an await."""
        return self._by_id.get(runtime.circle_id) is runtime

    def __contains__(self, circle_id: object) -> bool:
        return circle_id in self._by_id

    def add(self, runtime: CircleRuntime) -> None:
        self._by_id[runtime.circle_id] = runtime

    def remove(self, circle_id: bytes) -> CircleRuntime | None:
        return self._by_id.pop(circle_id, None)

    def all(self) -> list[CircleRuntime]:
        """Every circle held, left ones included (a copy: callers may await meanwhile)."""
        return list(self._by_id.values())

    def active(self) -> list[CircleRuntime]:
        """The circles we are in (not left)."""
        return [runtime for runtime in self._by_id.values() if not runtime.left]

    def ids(self) -> list[bytes]:
        return list(self._by_id)

    def by_id(self) -> dict[bytes, CircleRuntime]:
        """The registry as a dictionary, for the parts that take one (sync, mailbox)."""
        return self._by_id

    def __iter__(self) -> Iterator[CircleRuntime]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._by_id)
