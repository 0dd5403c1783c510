"""Join approval at rest (engine/circle_join.py runs it).

- join_queue: requests to join that reached us as a facilitator while join approval was
  on: the joiner's signed JOIN_REQUEST (embedded in ADD_MEMBER when approved), the name it
  chose, and where it stands. Answered requests stay, so a joiner asking again learns
  the answer.
- joins_waiting: our own requests a facilitator has not answered yet, with the new
  membership's signing seed and exchange secret (inside SQLCipher like every key), so a
  restart keeps the same membership key and the approval still finds us.

Every write is one transaction. Only the engine thread touches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from peerapp.storage.database import Database


class RequestState(Enum):
    WAITING = "waiting"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, repr=False)
class QueuedRequest:
    circle: bytes
    id: bytes  # the signed JOIN_REQUEST's event id
    joiner: bytes  # the membership key it asks to admit
    request: bytes  # the signed JOIN_REQUEST
    name: str
    received_at: int  # ms since the epoch
    state: RequestState = RequestState.WAITING

    def __repr__(self) -> str:
        return f"QueuedRequest(id={self.id.hex()}, state={self.state.value})"


@dataclass(frozen=True, repr=False)
class WaitingJoin:
    circle: bytes
    code: str
    member_name: str
    signing_seed: bytes
    exchange_secret: bytes
    circle_name: str
    started_at: int  # ms since the epoch

    def __repr__(self) -> str:
        return f"WaitingJoin(circle={self.circle.hex()}, ...)"


_QUEUE_COLUMNS = "circle, id, joiner, request, name, received_at, state"
_WAITING_COLUMNS = (
    "circle, code, member_name, signing_seed, exchange_secret, circle_name, started_at"
)


def _queued(row: tuple[Any, ...]) -> QueuedRequest:
    circle, request_id, joiner, request, name, received_at, state = row
    return QueuedRequest(
        circle=bytes(circle),
        id=bytes(request_id),
        joiner=bytes(joiner),
        request=bytes(request),
        name=str(name),
        received_at=int(received_at),
        state=RequestState(state),
    )


def _waiting(row: tuple[Any, ...]) -> WaitingJoin:
    circle, code, member_name, signing_seed, exchange_secret, circle_name, started_at = row
    return WaitingJoin(
        circle=bytes(circle),
        code=str(code),
        member_name=str(member_name),
        signing_seed=bytes(signing_seed),
        exchange_secret=bytes(exchange_secret),
        circle_name=str(circle_name),
        started_at=int(started_at),
    )


class JoinStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    # -- the facilitator's queue ----------------------------------------------------------

    def queue_request(self, queued: QueuedRequest) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                f"INSERT OR IGNORE INTO join_queue({_QUEUE_COLUMNS}) "  # noqa: S608 (constant)
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    queued.circle,
                    queued.id,
                    queued.joiner,
                    queued.request,
                    queued.name,
                    queued.received_at,
                    queued.state.value,
                ),
            )

    def queued(self, circle: bytes, request_id: bytes) -> QueuedRequest | None:
        rows = self._database.query(
            f"SELECT {_QUEUE_COLUMNS} FROM join_queue WHERE circle = ? AND id = ?",  # noqa: S608 (constant)
            (circle, request_id),
        )
        return _queued(rows[0]) if rows else None

    def queued_for(self, circle: bytes, joiner: bytes) -> QueuedRequest | None:
        """The newest request this membership key made here, if any."""
        rows = self._database.query(
            f"SELECT {_QUEUE_COLUMNS} FROM join_queue WHERE circle = ? AND joiner = ? "  # noqa: S608 (constant)
            "ORDER BY received_at DESC LIMIT 1",
            (circle, joiner),
        )
        return _queued(rows[0]) if rows else None

    def waiting_requests(self, circle: bytes) -> list[QueuedRequest]:
        rows = self._database.query(
            f"SELECT {_QUEUE_COLUMNS} FROM join_queue WHERE circle = ? AND state = ? "  # noqa: S608 (constant)
            "ORDER BY received_at, id",
            (circle, RequestState.WAITING.value),
        )
        return [_queued(row) for row in rows]

    def set_request_state(self, circle: bytes, request_id: bytes, state: RequestState) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                "UPDATE join_queue SET state = ? WHERE circle = ? AND id = ?",
                (state.value, circle, request_id),
            )

    # -- our own waiting joins ------------------------------------------------------------

    def add_waiting_join(self, waiting: WaitingJoin) -> None:
        with self._database.transaction() as connection:
            connection.execute(
                f"INSERT OR REPLACE INTO joins_waiting({_WAITING_COLUMNS}) "  # noqa: S608 (constant)
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    waiting.circle,
                    waiting.code,
                    waiting.member_name,
                    waiting.signing_seed,
                    waiting.exchange_secret,
                    waiting.circle_name,
                    waiting.started_at,
                ),
            )

    def waiting_joins(self) -> list[WaitingJoin]:
        rows = self._database.query(
            f"SELECT {_WAITING_COLUMNS} FROM joins_waiting ORDER BY started_at, circle"  # noqa: S608 (constant)
        )
        return [_waiting(row) for row in rows]

    def waiting_join(self, circle: bytes) -> WaitingJoin | None:
        rows = self._database.query(
            f"SELECT {_WAITING_COLUMNS} FROM joins_waiting WHERE circle = ?",  # noqa: S608 (constant)
            (circle,),
        )
        return _waiting(rows[0]) if rows else None

    def remove_waiting_join(self, circle: bytes) -> None:
        with self._database.transaction() as connection:
            connection.execute("DELETE FROM joins_waiting WHERE circle = ?", (circle,))
