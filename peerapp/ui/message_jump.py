"""Show one message in its conversation: the one walk behind a search result (issue 15,
main_window) and "Show in conversation" of facilitators' review list (peerapp.ui.pane_care).

Rules:
- A pane just opened is waited for until its first page is shown (at most
  LOAD_WAIT_SECONDS, checked every LOAD_CHECK_SECONDS).
- A message older than those shown is fetched page by page through the pane's own
  `load_older` (so moderation notices and paging stay as the pane keeps them), at most
  `max_pages` pages (MAX_OLDER_PAGES unless the caller bounds it lower); one newer than
  those shown has the latest page read again. A message whose place is not known (a
  report's: `lamport` None) is looked for going back only, within the same bound.
- Found: it becomes the current row, in the middle of the list, and the list takes the
  keyboard. Not found (deleted, hidden for review, from a member one blocked, of a
  hidden topic, or further back than the bound): False, and the caller says so.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QAbstractItemView

from peerapp.ui.async_slot import still_alive
from peerapp.ui.circle_context import CircleContext
from peerapp.ui.widgets.message_model import OrderKey, order_key

MAX_OLDER_PAGES = 400
LOAD_WAIT_SECONDS = 15.0
LOAD_CHECK_SECONDS = 0.02


async def _first_page_shown(pane: CircleContext) -> bool:
    for _ in range(int(LOAD_WAIT_SECONDS / LOAD_CHECK_SECONDS)):
        if not still_alive(pane.surface):
            return False
        if pane.controller.loaded:
            return True
        await asyncio.sleep(LOAD_CHECK_SECONDS)
    return False


async def _idle(pane: CircleContext) -> bool:
    """Wait out an older page the pane asked for itself (its own scrolling), bounded."""
    for _ in range(int(LOAD_WAIT_SECONDS / LOAD_CHECK_SECONDS)):
        if not still_alive(pane.surface):
            return False
        if not pane.controller.loading_older:
            return True
        await asyncio.sleep(LOAD_CHECK_SECONDS)
    return False


async def show_message(
    pane: CircleContext,
    message_id: str,
    lamport: int | None,
    *,
    max_pages: int = MAX_OLDER_PAGES,
) -> bool:
    """Bring the message into view in `pane`'s conversation; False when it is not there.
    `lamport` None: its place is not known, only going back can find it."""
    if not await _first_page_shown(pane):
        return False
    wanted: OrderKey | None = None if lamport is None else (lamport, message_id)
    for _ in range(max_pages):
        if not still_alive(pane.surface) or message_id in pane.model:
            break
        first, last = pane.model.first_message(), pane.model.last_message()
        if wanted is not None and last is not None and wanted > order_key(last):
            await pane.reload_latest()  # newer than shown: the latest again, once
            break
        if first is None or not pane.controller.has_older:
            break
        if wanted is not None and wanted > order_key(first):
            break  # in the span shown, yet not shown: not in this reader's history
        before = first.id
        if not await _idle(pane):
            break
        await pane.load_older()
        after = pane.model.first_message() if still_alive(pane.surface) else None
        if after is None or after.id == before:
            break  # no older page came (the engine refused, or there is none)
    if not still_alive(pane.surface):
        return False
    return scroll_to(pane, message_id)


def scroll_to(pane: CircleContext, message_id: str) -> bool:
    """Make a shown message the current row, in the middle of the list; False when it
    is not shown."""
    number = pane.model.row_of(message_id)
    if number is None:
        return False
    view = pane.message_list
    index = pane.model.index(number)
    view.executeDelayedItemsLayout()  # the rows' places, now rather than later
    view.setCurrentIndex(index)
    view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
    view.setFocus()
    return True
