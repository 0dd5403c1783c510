"""A reader's boundaries at rest (engine/boundaries.py runs them): members blocked per
circle, content-warning filters per topic, and breaks with their quiet hours.

All of it stays on this device: nothing here is ever part of the circle log.
Every write is one transaction; batches stay batches. Only the engine thread touches it.

READER_SEES is the history's filter (CircleStore.messages puts it in its SQL, so paging
stays exact): a reader's own messages always; another member's unless that member is
blocked in the circle or the message's content warning falls under a topic set to hide
(custom labels fall under "other").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from peerapp.core.content_warnings import OTHER, TOPICS, FilterMode
from peerapp.core.quiet_hours import Break, Schedule
from peerapp.storage.database import Database

_TOPIC_MARKS = ",".join("?" * len(TOPICS))
# a condition on a row of `events`; its parameters are READER_SEES_PARAMETERS
READER_SEES = (
    "(events.author = "  # noqa: S608 (only ? marks)
    "(SELECT member_key FROM circles WHERE circles.id = events.circle) OR ("
    "NOT EXISTS (SELECT 1 FROM blocked_members AS b "
    "WHERE b.circle = events.circle AND b.member = events.author) "
    "AND (coalesce(events.cw, '') = '' "
    f"OR (CASE WHEN events.cw IN ({_TOPIC_MARKS}) THEN events.cw ELSE ? END) "
    "NOT IN (SELECT topic FROM reader_filters WHERE mode = 'hide'))))"
)
READER_SEES_PARAMETERS: tuple[str, ...] = (*TOPICS, OTHER)

# a break's scope: a circle id, or None for the global break
Scope = bytes | None


class BoundariesStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    # -- blocked members ----------------------------------------------------------------

    def block(self, circle: bytes, members: Iterable[bytes], when: int) -> None:
        with self._database.transaction() as connection:
            connection.executemany(
                "INSERT OR IGNORE INTO blocked_members(circle, member, blocked_at) "
                "VALUES (?, ?, ?)",
                [(circle, member, when) for member in members],
            )

    def unblock(self, circle: bytes, members: Iterable[bytes]) -> None:
        with self._database.transaction() as connection:
            connection.executemany(
                "DELETE FROM blocked_members WHERE circle = ? AND member = ?",
                [(circle, member) for member in members],
            )

    def blocked(self) -> dict[bytes, set[bytes]]:
        """circle -> the members blocked there."""
        found: dict[bytes, set[bytes]] = {}
        for circle, member in self._database.query("SELECT circle, member FROM blocked_members"):
            found.setdefault(bytes(circle), set()).add(bytes(member))
        return found

    # -- content-warning filters --------------------------------------------------------

    def set_filters(self, modes: Mapping[str, FilterMode]) -> None:
        with self._database.transaction() as connection:
            connection.executemany(
                "INSERT INTO reader_filters(topic, mode) VALUES (?, ?) "
                "ON CONFLICT(topic) DO UPDATE SET mode = excluded.mode",
                [(topic, mode.value) for topic, mode in modes.items()],
            )

    def filters(self) -> dict[str, FilterMode]:
        """The topics the reader set (the others keep the default)."""
        rows = self._database.query("SELECT topic, mode FROM reader_filters")
        return {str(topic): FilterMode(mode) for topic, mode in rows}

    # -- breaks -------------------------------------------------------------------------

    def set_breaks(self, breaks: Mapping[Scope, Break]) -> None:
        with self._database.transaction() as connection:
            for scope, setting in breaks.items():
                connection.execute(
                    "DELETE FROM breaks WHERE coalesce(circle, x'') = coalesce(?, x'')", (scope,)
                )
                quiet = setting.quiet_hours
                connection.execute(
                    "INSERT INTO breaks(circle, on_break, quiet_start, quiet_end, status) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        scope,
                        int(setting.on),
                        None if quiet is None else quiet.start,
                        None if quiet is None else quiet.end,
                        int(setting.status),
                    ),
                )

    def breaks(self) -> dict[Scope, Break]:
        """Every scope with a stored break (the others have none)."""
        rows = self._database.query(
            "SELECT circle, on_break, quiet_start, quiet_end, status FROM breaks"
        )
        return {
            (None if circle is None else bytes(circle)): Break(
                on=bool(on),
                quiet_hours=None if start is None else Schedule(int(start), int(end)),
                status=bool(status),
            )
            for circle, on, start, end, status in rows
        }
