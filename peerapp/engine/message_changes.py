"""What accepted events change in messages already stored (and maybe shown): each such
message is announced once per batch with its view as of now (`message_changed`), so a
front replaces that one row without reading the history again; a message whose review
state turned (hidden pending review, or shown again) is also announced by id
(`message_review`, for facilitators' lists and notes), right after its view.

Rules, in the order they are read:

    | accepted in the batch              | messages whose view changed                   |
    |------------------------------------|-----------------------------------------------|
    | HARM_FLAG, RESTORE, DELETE         | the message it names (flag count, flagged,    |
    |                                    | hidden, restored; a delete: its tombstone)    |
    | any of REVIEW_TYPES                | those whose hidden-pending-review state       |
    |                                    | turned (a removal drops concurrent flags; the |
    |                                    | settings move the number that hides)          |
    | a MESSAGE whose author equivocated | the other stored versions under its seq       |

- A message of the batch itself is new, not changed (`message` events or a history read
  show it). Nothing is said of a message not held here, refused, held under another
  author than the event names, or that this reader does not see (a blocked member's, a
  hidden topic's): a changed view never shows what the history would not.
- More than MAX_CHANGED_VIEWS in one batch (a large sync): one `history_changed`
  instead, and the front reads the latest messages once.
"""

from __future__ import annotations

from collections.abc import Callable

from peerapp.core.circle_events import EventType
from peerapp.core.circle_state import MessageRef
from peerapp.core.events import HistoryChanged, MessageChanged, MessageReview, MessageView
from peerapp.core.resolution import REMOVAL_TYPES
from peerapp.engine.circle_runtime import CircleRuntime, decoded
from peerapp.engine.context import EngineContext
from peerapp.storage.circle_store import CircleStore, StoredEvent

# events that name the one message they change
NAMING_TYPES = frozenset({EventType.HARM_FLAG, EventType.RESTORE, EventType.DELETE})
# events after which the set of messages hidden pending review may differ (a removal
# drops its target's concurrent flags)
REVIEW_TYPES = REMOVAL_TYPES | NAMING_TYPES | {EventType.SETTINGS}
# beyond this many changed messages in one batch, the front reloads instead
MAX_CHANGED_VIEWS = 50

View = Callable[[CircleRuntime, StoredEvent], MessageView]
Sees = Callable[[CircleRuntime, StoredEvent], bool]


class MessageChanges:
    def __init__(
        self, store: CircleStore, *, view: View, sees: Sees, context: EngineContext
    ) -> None:
        """`view(runtime, stored)`: a message as this reader sees it (engine/messages.py).
        `sees(runtime, stored)`: whether it reaches this reader at all (boundaries)."""
        self._store = store
        self._view = view
        self._sees = sees
        self._emit = context.emit
        # circle id -> messages hidden pending review when we last looked
        self._hidden: dict[bytes, frozenset[MessageRef]] = {}

    def remember(self, runtime: CircleRuntime) -> None:
        """At start-up: what is hidden now is not news."""
        self._hidden[runtime.circle_id] = frozenset(runtime.state.pending_review())

    async def on_accepted(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        """Announce each stored message whose view these accepted events changed."""
        turned = self._review_turned(runtime, accepted)
        new = {stored.id for stored in accepted}
        changed = [
            stored
            for stored in self._changed(runtime, accepted, turned)
            if stored.id not in new
            and stored.id not in runtime.refused
            and self._sees(runtime, stored)
        ]
        circle_hex = runtime.circle_id.hex()
        if len(changed) > MAX_CHANGED_VIEWS:
            self._emit(HistoryChanged(circle_hex))
        else:
            for stored in changed:
                self._emit(MessageChanged(circle_hex, self._view(runtime, stored)))
        for ref in sorted(turned):
            self._emit(
                MessageReview(circle_hex, ref[0].hex(), ref in self._hidden[runtime.circle_id])
            )

    def _review_turned(
        self, runtime: CircleRuntime, accepted: list[StoredEvent]
    ) -> frozenset[MessageRef]:
        """The messages whose hidden-pending-review state turned with this batch."""
        if not any(stored.type in REVIEW_TYPES for stored in accepted):
            return frozenset()
        circle_id = runtime.circle_id
        now = frozenset(runtime.state.pending_review())
        before = self._hidden.get(circle_id, frozenset())
        self._hidden[circle_id] = now
        return now ^ before

    def _changed(
        self, runtime: CircleRuntime, accepted: list[StoredEvent], turned: frozenset[MessageRef]
    ) -> list[StoredEvent]:
        """The stored messages the rules name, each once, in the shared order."""
        refs: set[MessageRef] = set(turned)
        found: dict[bytes, StoredEvent] = {}
        for stored in accepted:
            if stored.type in NAMING_TYPES:
                body = decoded(stored).body
                refs.add((body["message"], body["author"]))
            elif stored.type is EventType.MESSAGE and stored.author in runtime.state.equivocators:
                for other in self._store.equivocations(runtime.circle_id, stored.author):
                    if other.seq == stored.seq and other.type is EventType.MESSAGE:
                        found[other.id] = other
        for message, author in refs:
            held = self._store.event(runtime.circle_id, message)
            if held is not None and held.author == author and held.type is EventType.MESSAGE:
                found[held.id] = held
        return sorted(found.values(), key=lambda s: (s.lamport, s.id))
