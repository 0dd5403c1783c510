"""Small windows (issue 14, item 8): side panels that sit beside the conversation when
there is room, and become drawers over it when there is not.

Rules (widths in pixels, of the widget that holds the panel):
- the main window below WINDOW_NARROW: the circle list folds away; a "Circles" button in
  the circle's header opens it as a drawer over the left edge, and choosing a circle
  closes it again. With no circle open the list stays (it is all there is to choose).
- a circle's pane below PANE_NARROW: the members panel folds away; "Members" opens it as
  a drawer over the right edge; "Invite someone" moves into the circle's "More" menu, so
  no button in the header is ever squeezed below its words.

A `Drawer` moves one panel between its layout (docked) and a place over its host
(floating), by the table PLACES: (narrow, open) -> where the panel is.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QBoxLayout, QWidget

WINDOW_NARROW = 900  # the circle list (200-280 px) leaves the pane too little below this
PANE_NARROW = 724  # the members panel (244 px) would leave the conversation under 480 px
MIN_WINDOW_WIDTH = 640


class Side(Enum):
    LEFT = "left"
    RIGHT = "right"


class Place(Enum):
    DOCKED = "docked"  # in its layout, beside the conversation
    FLOATING = "floating"  # a drawer over the host's edge
    HIDDEN = "hidden"  # folded away


# (narrow, open) -> where the panel is; "open" is the person's choice (a toggle button)
PLACES: dict[tuple[bool, bool], Place] = {
    (False, True): Place.DOCKED,
    (False, False): Place.HIDDEN,
    (True, True): Place.FLOATING,
    (True, False): Place.HIDDEN,
}


class Drawer(QObject):
    """One side panel, docked in `layout` at `index` or floating over `host` (a child of
    it, at its `side`, over `area` when given: a child of the host whose place it covers,
    followed as it moves and resizes)."""

    def __init__(
        self,
        panel: QWidget,
        *,
        layout: QBoxLayout,
        index: int,
        host: QWidget,
        side: Side,
        area: QWidget | None = None,
    ) -> None:
        super().__init__(panel)
        self.panel = panel
        self._layout = layout
        self._index = index
        self._host = host
        self._side = side
        self._area = area  # a child of the host whose place the drawer covers
        self.narrow = False
        self.open = True
        self.place = Place.DOCKED
        host.installEventFilter(self)
        if area is not None:
            area.installEventFilter(self)

    def set_narrow(self, narrow: bool) -> None:
        self.narrow = narrow
        self._apply()

    def set_open(self, open_: bool) -> None:
        self.open = open_
        self._apply()

    def _apply(self) -> None:
        self.place = place = PLACES[(self.narrow, self.open)]
        if place is Place.FLOATING:
            if self._layout.indexOf(self.panel) >= 0:
                self._layout.removeWidget(self.panel)
            if self.panel.parentWidget() is not self._host:
                self.panel.setParent(self._host)
            settled = self._host.layout()
            if settled is not None:
                settled.activate()  # the area is measured once the panel has left it
            self._float()
            self.panel.show()
            self.panel.raise_()
        else:
            if self._layout.indexOf(self.panel) < 0:
                self._layout.insertWidget(self._index, self.panel)
            self.panel.setVisible(place is Place.DOCKED)

    def _float(self) -> None:
        host = self._area.geometry() if self._area is not None else self._host.rect()
        panel = self.panel
        wanted = max(panel.sizeHint().width(), panel.minimumWidth())
        width = min(wanted, panel.maximumWidth(), host.width())
        left = host.left() if self._side is Side.LEFT else host.right() - width + 1
        self.panel.setGeometry(QRect(left, host.top(), width, host.height()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        moved = event.type() in (QEvent.Type.Resize, QEvent.Type.Move)
        if moved and watched in (self._host, self._area) and self.place is Place.FLOATING:
            self._float()
        return False
