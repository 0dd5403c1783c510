"""A reader's content filters: for each content-warning topic (and "other", for warnings
the author wrote in their own words), whether its messages show, collapse behind the
warning, or stay out of the conversations (the engine's `filters` and `set_filters`,
sending only what changed). The choices stay on this computer.

Open it, then `load()`: it reads the current choices while busy. Accepted once saved;
whoever opened it reloads the conversations shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from peerapp.core.api.boundaries import FilterModes, Filters, SetFilters
from peerapp.core.content_warnings import DEFAULT_MODE, FILTER_TOPICS, FilterMode
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import safety

MODES = tuple(mode.value for mode in FilterMode)


def filters_from(result: FilterModes) -> dict[str, str]:
    """The engine's `filters` answer, each topic's mode (the default for any left out)."""
    shown = result.filters
    return {
        topic: mode if (mode := shown.get(topic)) in MODES else DEFAULT_MODE.value
        for topic in FILTER_TOPICS
    }


class ContentFiltersDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=safety.content_filters_title(),
            explanation=safety.content_filters_text(),
            primary_text=safety.save_filters(),
            parent=parent,
        )
        self.current: dict[str, str] = {}
        self.loaded = False
        self.mode_boxes: dict[str, QComboBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        for number, topic in enumerate(FILTER_TOPICS):
            label = QLabel(safety.filter_topic_name(topic))
            box = QComboBox()
            for mode in MODES:
                box.addItem(safety.filter_mode_name(mode), mode)
            box.setAccessibleName(safety.filter_topic_name(topic))
            label.setBuddy(box)
            grid.addWidget(label, number, 0)
            grid.addWidget(box, number, 1)
            box.currentIndexChanged.connect(self._refresh)
            self.mode_boxes[topic] = box
        hint = QLabel(safety.content_filters_hint())
        hint.setWordWrap(True)
        style.set_role(hint, "muted")
        column = QVBoxLayout()
        column.setSpacing(10)
        column.addLayout(grid)
        column.addWidget(hint)
        self.form.addLayout(column)
        self.primary_button.clicked.connect(self.submit)
        self.body.setEnabled(False)  # until the current choices are known

    @async_slot()
    async def load(self) -> None:
        result = await self.run_command(
            safety.loading_filters(),
            safety.to_read_filters(),
            lambda: self.bridge.request(Filters()),
        )
        if result is None:
            if still_alive(self):
                self.body.setEnabled(False)  # nothing to choose until the choices are known
            return
        self.set_idle()
        self.show_filters(filters_from(result))

    def show_filters(self, filters: dict[str, str]) -> None:
        self.current = dict(filters)
        for topic, box in self.mode_boxes.items():
            box.setCurrentIndex(box.findData(filters.get(topic, DEFAULT_MODE.value)))
        self.loaded = True
        self.body.setEnabled(True)
        self._refresh()

    def mode_of(self, topic: str) -> str:
        return str(self.mode_boxes[topic].currentData())

    def choose(self, topic: str, mode: str) -> None:
        box = self.mode_boxes[topic]
        box.setCurrentIndex(box.findData(mode))

    def changes(self) -> dict[str, str]:
        """The topics whose mode differs from what the engine holds."""
        if not self.loaded:
            return {}
        return {
            topic: self.mode_of(topic)
            for topic in FILTER_TOPICS
            if self.mode_of(topic) != self.current.get(topic)
        }

    def _refresh(self) -> None:
        self.set_submittable(bool(self.changes()))

    @async_slot()
    async def submit(self) -> None:
        changes = self.changes()
        if self.busy or not changes:
            return
        await self.run_and_accept(
            safety.saving_filters(),
            safety.to_save_filters(),
            lambda: self.bridge.request(SetFilters.of(changes)),
        )
