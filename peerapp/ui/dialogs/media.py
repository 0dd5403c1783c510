"""A circle's pictures and files on this computer (issue 15): what each takes, and
clearing them, one or all. The messages stay; a cleared file is fetched again from
members when the person saves it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from peerapp.core.api.attachments import ClearMedia, Media, MediaItemView, MediaView
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message, read_latest
from peerapp.ui.dialogs.storage import human_size
from peerapp.ui.text import attachments, common
from peerapp.ui.widgets.plain_label import plain_label
from peerapp.ui.widgets.scroll_list import scroll_list

LIST_SIZE = (380, 220)


class MediaDialog(FormDialog):
    def __init__(self, bridge: EngineBridge, circle: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title=attachments.media_title(),
            heading=attachments.media_title(),
            explanation=attachments.media_loading(),
            primary_text=common.close(),
            secondary_text=attachments.clear_all(),
            parent=parent,
        )
        self.bridge = bridge
        self.circle = circle
        self.media: MediaView | None = None
        self.clear_buttons: dict[str, QPushButton] = {}
        listing = scroll_list("media", LIST_SIZE, spacing=8, right_margin=8, see_through=True)
        self.list_widget, self.list_layout = listing.widget, listing.layout
        self.status_label = plain_label("", "muted", selectable=False)
        self.status_label.hide()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(listing.area)
        layout.addWidget(self.status_label)
        self.secondary_button.clicked.disconnect()
        self.secondary_button.clicked.connect(lambda: self.clear(None))
        self.secondary_button.setEnabled(False)
        self.primary_button.clicked.connect(self.accept)
        self.set_submittable(True)

    @async_slot()
    async def load(self) -> None:
        result = await read_latest(
            self,
            attachments.media_loading(),
            attachments.to_read_media(),
            lambda: self.bridge.request(Media(circle=self.circle)),
        )
        if result is not None:
            self.show_media(result)

    def show_media(self, media: MediaView) -> None:
        self.loaded = True
        self.media = media
        self.explanation_label.setText(
            attachments.media_text(human_size(media.bytes), human_size(media.limit))
        )
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.clear_buttons.clear()
        for entry in media.items:
            self.list_layout.addWidget(self._row(entry))
        if not media.items:
            self.list_layout.addWidget(plain_label(attachments.media_empty(), "muted"))
        self.list_layout.addStretch(1)
        self.secondary_button.setEnabled(any(entry.have for entry in media.items))

    def _row(self, entry: MediaItemView) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        who = entry.author_name or attachments.someone()
        label = plain_label(
            attachments.media_item(entry.name, human_size(entry.have), human_size(entry.size), who)
        )
        line.addWidget(label, 1)
        clear = QPushButton(attachments.clear_one())
        clear.setAutoDefault(False)
        clear.setEnabled(entry.have > 0)
        clear.clicked.connect(lambda _=False, m=entry.message: self.clear(m))
        line.addWidget(clear, 0, Qt.AlignmentFlag.AlignTop)
        self.clear_buttons[entry.message] = clear
        return row

    @async_slot()
    async def clear(self, message: str | None) -> None:
        self.clear_error()
        try:
            cleared = await self.bridge.request(ClearMedia(circle=self.circle, message=message))
        except Exception as error:  # shown in the dialog; it stays usable
            if still_alive(self):
                self.show_error(failure_message(error, attachments.to_clear_media()))
            return
        if not still_alive(self):
            return
        self.status_label.setText(attachments.media_cleared(human_size(cleared.bytes)))
        self.status_label.show()
        self.load()
