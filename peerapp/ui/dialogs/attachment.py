"""A message's picture or file (issue 15): its preview, how much of it is here, saving it
where the person chooses and viewing a picture at full size.

Rules:
- A picture's preview (the small thumbnail its message carries, checked by the engine)
  shows at once; under a content warning it is blurred until "Show picture".
- While chunks arrive from members a progress bar says how much is here; the window
  hands this dialog the engine's attachment_progress events (`show_progress`).
- "Save…" asks where (QFileDialog) and then waits for the engine (save_attachment
  answers once the whole file is written); "View full size" opens the picture viewer.
- A file over the circle's limit is never fetched: the dialog says so, and offers nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGraphicsBlurEffect,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.attachments import Picture, SaveAttachment
from peerapp.core.attachments import clean_file_name
from peerapp.core.events import AttachmentView, MessageView
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message
from peerapp.ui.dialogs.picture_viewer import PictureViewerDialog
from peerapp.ui.dialogs.storage import human_size
from peerapp.ui.text import attachments, common

BLUR_RADIUS = 24.0
PREVIEW_EDGE = 320


class AttachmentDialog(FormDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        circle: str,
        message: MessageView,
        parent: QWidget | None = None,
    ) -> None:
        attachment = message.attachment
        assert attachment is not None
        super().__init__(
            title=attachments.dialog_title(),
            heading=attachments.file_line(attachment.name, human_size(attachment.size)),
            explanation="",
            primary_text=common.close(),
            parent=parent,
        )
        self.bridge = bridge
        self.circle = circle
        self.message = message
        self.attachment = attachment
        self.viewer: PictureViewerDialog | None = None
        self.explanation_label.hide()

        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.blur: QGraphicsBlurEffect | None = None
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.show_button = QPushButton(attachments.show_button())
        self.show_button.setAutoDefault(False)
        self.show_button.clicked.connect(self.unblur)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, max(attachment.size, 1))
        self.progress.setTextVisible(False)
        self.save_button = QPushButton(attachments.save_button())
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.choose_where)
        self.view_button = QPushButton(attachments.view_button())
        self.view_button.setAutoDefault(False)
        self.view_button.clicked.connect(self.view)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.view_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.show_button)
        layout.addWidget(self.state_label)
        layout.addWidget(self.progress)
        layout.addLayout(actions)
        layout.addWidget(self.status_label)
        self.secondary_button.hide()
        self.primary_button.clicked.connect(self.accept)
        self.set_submittable(True)
        self._show_preview()
        self.show_progress(attachment.have)

    # -- what is shown ---------------------------------------------------------------------

    def _show_preview(self) -> None:
        image = QImage.fromData(self.attachment.thumb) if self.attachment.thumb else QImage()
        picture = self.attachment.mime.startswith("image/")
        self.view_button.setVisible(picture)
        if image.isNull():
            self.preview.hide()
            self.warning_label.hide()
            self.show_button.hide()
            return
        pixmap = QPixmap.fromImage(image).scaled(
            PREVIEW_EDGE,
            PREVIEW_EDGE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.preview.setPixmap(pixmap)
        if self.message.cw:
            self.blur = QGraphicsBlurEffect(self.preview)
            self.blur.setBlurRadius(BLUR_RADIUS)
            self.preview.setGraphicsEffect(self.blur)
            self.warning_label.setText(attachments.warning_note(self.message.cw))
        else:
            self.warning_label.hide()
            self.show_button.hide()

    @property
    def blurred(self) -> bool:
        return self.preview.graphicsEffect() is not None

    @Slot()
    def unblur(self) -> None:
        self.preview.setGraphicsEffect(None)  # type: ignore[arg-type]
        self.blur = None
        self.warning_label.hide()
        self.show_button.hide()

    def show_progress(self, have: int) -> None:
        """`have` of the file's bytes are here now (the engine's attachment_progress)."""
        size = self.attachment.size
        self.progress.setValue(min(have, size))
        over = self.attachment.state == "over_limit"
        self.save_button.setEnabled(not over)
        self.view_button.setEnabled(not over)
        if over:
            self.state_label.setText(attachments.over_limit())
            self.progress.hide()
        elif have >= size:
            self.state_label.setText(attachments.complete())
            self.progress.hide()
        elif self.attachment.state == "cleared" and have == 0:
            self.state_label.setText(attachments.cleared())
            self.progress.hide()
        else:
            self.state_label.setText(attachments.arriving(human_size(have), human_size(size)))
            self.progress.show()

    # -- saving and viewing -----------------------------------------------------------------

    @Slot()
    def choose_where(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, attachments.save_title(), clean_file_name(self.attachment.name)
        )
        if path:
            self.save_to(path)

    @async_slot()
    async def save_to(self, path: str) -> None:
        self.clear_error()
        self.set_busy(attachments.saving())
        try:
            saved = await self.bridge.request(
                SaveAttachment(circle=self.circle, message=self.message.id, path=path)
            )
        except Exception as error:  # shown in the dialog; it stays usable
            if still_alive(self):
                self.set_idle()
                self.show_error(failure_message(error, attachments.to_save()))
            return
        if not still_alive(self):
            return
        self.set_idle()
        self.show_progress(self.attachment.size)
        self.status_label.setText(attachments.saved(saved.path))
        self.status_label.show()

    @async_slot()
    async def view(self) -> None:
        self.clear_error()
        self.set_busy(attachments.saving())
        try:
            picture = await self.bridge.request(
                Picture(circle=self.circle, message=self.message.id)
            )
        except Exception as error:  # shown in the dialog; it stays usable
            if still_alive(self):
                self.set_idle()
                self.show_error(failure_message(error, attachments.to_view()))
            return
        if not still_alive(self):
            return
        self.set_idle()
        self.show_progress(self.attachment.size)
        self.viewer = PictureViewerDialog(picture.name, picture.data, self)
        self.viewer.open()


def with_progress(attachment: AttachmentView, have: int) -> AttachmentView:
    """The attachment as a progress event leaves it."""
    return AttachmentView(
        attachment.name, attachment.size, attachment.mime, have, attachment.state, attachment.thumb
    )
