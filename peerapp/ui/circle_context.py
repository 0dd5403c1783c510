"""What a feature of a circle's pane may use: the circle's controller and a few shared
widgets.

The features (peerapp.ui.pane_moderation, pane_review, pane_care, pane_private, pane_boundaries,
pane_versions, crisis_support) take a `CircleContext`, not the CirclePane class: they
import this module and never the pane nor each other, so the pane composes them without
an import cycle (tests/test_import_graph.py), and what each may touch is written down
here, once. What they share about the circle (settings, members, who one is, removed,
paging; errors, dialogs, passing words) is the controller's
(peerapp.ui.circle_controller); the rest is widgets they show things in and the history
asks that only the pane can make. CirclePane satisfies the protocol (mypy checks it where
the pane hands itself on). `CircleFeature` is the QObject each feature starts from.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_controller import CircleController
from peerapp.ui.timeline import Item
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.composer import Composer
from peerapp.ui.widgets.member_list import MemberPanel
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import MessageModel


class CircleContext(Protocol):
    """One open circle as its features see it: its controller, the shared widgets, and
    asking for its history again."""

    bridge: EngineBridge
    circle_id: str
    name: str
    controller: CircleController
    history_page: int
    model: MessageModel
    composer: Composer
    header: CircleHeader
    message_list: MessageList
    member_panel: MemberPanel
    more_menu: QMenu  # the circle's "More" menu (the header's "…")

    @property
    def surface(self) -> QWidget: ...  # what menus and dialogs are parented to

    def add_to_more_menu(self, action: QAction) -> None: ...  # among the circle's tools

    def reload_latest(self) -> asyncio.Task[None]: ...

    def load_older(self) -> asyncio.Task[None]: ...

    async def replace_latest(self, limit: int, *, jump_to_end: bool) -> bool: ...

    def reload_size(self) -> int: ...

    def merge_items(self, batch: Sequence[Item]) -> None: ...


class CircleFeature(QObject):
    """What every feature of a circle's pane starts from: owned by the pane's surface, it
    keeps the context it was given, the circle's controller, the bridge and the circle's
    id (hex), set here once rather than by each feature."""

    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane.surface)
        self.pane = pane
        self.controller = pane.controller
        self.bridge = pane.bridge
        self.circle = pane.circle_id
