"""What a feature of a circle's pane may use of the pane and of the moderation feature.

The features (peerapp.ui.pane_moderation, pane_review, pane_care, pane_boundaries,
pane_versions, crisis_support) take a `CircleContext`, not the CirclePane class: they
import this module and never the pane, so the pane composes them without an import cycle
(tests/test_import_graph.py), and what each feature may touch is written down here, once.
CirclePane satisfies both protocols (mypy checks it where the pane hands itself on).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from peerapp.core.api.contract import Result
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_info import CircleInfo
from peerapp.ui.timeline import Item
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.composer import Composer
from peerapp.ui.widgets.error_banner import ErrorBanner
from peerapp.ui.widgets.member_list import Member, MemberPanel
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import MessageModel

Command = Callable[[], "asyncio.Future[Result]"]  # a request to the engine, not yet made


class ModerationPart(Protocol):
    """What the other features use of the moderation feature: who one is here, members'
    names, the one banner and status line, dialogs, and running a command."""

    info: CircleInfo | None
    removed: bool
    members: list[Member]  # as `members` last listed them
    error_banner: ErrorBanner
    more_menu: QMenu  # the pane's "more" menu; features add their entries above log_action
    log_action: QAction

    @property
    def statusMessage(self) -> SignalInstance: ...  # a passing word of thanks

    @property
    def my_id(self) -> str: ...

    @property
    def facilitating(self) -> bool: ...

    def name_of(self, member_id: str) -> str: ...

    def someone_to_tell(self, about: str) -> bool: ...

    def send_hold(self, next_send_at: int) -> None: ...

    def mark_deleted(self, message_id: str) -> None: ...

    def open_dialog(
        self, dialog: QDialog, on_accepted: Callable[[], object] | None = None
    ) -> None: ...

    async def attempt(
        self,
        command: Command,
        on_done: Callable[[], object],
        what: str = ...,
        say: Callable[[str], str] = ...,
    ) -> None: ...


class CircleContext(Protocol):
    """One open circle as its features see it: the engine, the circle's id and state, the
    shared widgets, and asking for the circle's data again."""

    bridge: EngineBridge
    circle_id: str
    name: str
    info: CircleInfo | None  # circle_info as last read; None before the first
    loaded: bool
    has_older: bool
    history_page: int
    model: MessageModel
    composer: Composer
    header: CircleHeader
    message_list: MessageList
    member_panel: MemberPanel

    @property
    def surface(self) -> QWidget: ...  # what menus and dialogs are parented to

    @property
    def moderation(self) -> ModerationPart: ...

    def refresh_info(self) -> asyncio.Task[None]: ...

    def refresh_members(self) -> asyncio.Task[None]: ...

    def reload_latest(self) -> asyncio.Task[None]: ...

    def load_older(self) -> asyncio.Task[None]: ...

    async def replace_latest(self, limit: int, *, jump_to_end: bool) -> bool: ...

    def reload_size(self) -> int: ...

    def merge_items(self, batch: Sequence[Item]) -> None: ...
