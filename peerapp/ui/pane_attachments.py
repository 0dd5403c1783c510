"""A circle pane's pictures and files (issue 15).

Rules:
- "Attach…" in the composer's tools asks for a file (QFileDialog) and sends it with
  what is typed (the draft goes with it and is cleared once sent). A file dropped on the
  composer, or a picture pasted into it, is sent the same way; a pasted picture is
  written to a private temporary file for the engine to read, then deleted.
- The composer says that pictures are sent without their location and camera details
  (the engine re-encodes them: engine/images.py): in the Attach button's tip, and in a
  note once a picture went.
- A message with a file shows a button in its bubble ("Picture: name"); it opens the
  file's dialog (preview, blurred under a content warning, progress, Save, View).
- The window hands over attachment_progress events (`progress`): an open dialog for that
  message follows them.
- "Pictures and files…" in the circle's More menu opens the storage view (clear media).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QToolButton

from peerapp.core.api.attachments import Attach
from peerapp.core.events import AttachmentProgress
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.circle_context import CircleContext, CircleFeature
from peerapp.ui.dialogs.attachment import AttachmentDialog, with_progress
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.dialogs.media import MediaDialog
from peerapp.ui.resources import resource_path
from peerapp.ui.text import attachments
from peerapp.ui.widgets.plain_label import plain_label


class PaneAttachments(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        self.dialogs: dict[str, AttachmentDialog] = {}
        self.media: MediaDialog | None = None
        composer = pane.composer
        # a paperclip over Send: a worded button beside the text box took the room its
        # placeholder needs at 1024 px (tests/gui/test_small_windows.py)
        self.attach_button = QToolButton()
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setIcon(QIcon(str(resource_path("icons", "paperclip.svg"))))
        self.attach_button.setIconSize(QSize(18, 18))
        self.attach_button.setText(attachments.attach_button())
        self.attach_button.setToolTip(attachments.attach_hint())
        self.attach_button.setAccessibleName(attachments.attach_button())
        self.attach_button.setAccessibleDescription(attachments.attach_hint())
        self.attach_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.attach_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.attach_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.attach_button.clicked.connect(self.choose_file)
        composer.add_side_tool(self.attach_button)
        # said once a picture went: what left it (engine/images.py re-encodes it)
        self.stripped_note = plain_label(attachments.stripped_note(), "muted", selectable=False)
        self.stripped_note.hide()
        composer.add_note(self.stripped_note)
        # drops and pastes land in the text box first: it hands files and pictures here.
        # A drag is delivered to the box's viewport (a scroll area's), which would take a
        # dropped file for text and type its file:// link; keys go to the box itself
        composer.edit.setAcceptDrops(True)
        composer.edit.installEventFilter(self)
        composer.edit.viewport().installEventFilter(self)
        pane.message_list.attachmentRequested.connect(self.open_attachment)
        self.media_action = QAction(attachments.media_action(), self)
        self.media_action.triggered.connect(self.open_media)
        pane.add_to_more_menu(self.media_action)

    # -- sending ----------------------------------------------------------------------------

    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.pane.surface, attachments.choose_file_title())
        if path:
            self.send_file(path)

    @async_slot()
    async def send_file(self, path: str, remove_after: bool = False) -> None:
        composer = self.pane.composer
        composer.clear_error()
        composer.set_sending(True)
        try:
            sent = await self.bridge.request(
                Attach(
                    circle=self.circle,
                    path=path,
                    text=composer.text() or None,
                    cw=composer.content_warning or None,
                )
            )
        except Exception as error:  # the composer says why; the draft stays
            if still_alive(composer):
                composer.set_sending(False)
                composer.show_error(failure_message(error, attachments.to_attach()))
            return
        finally:
            if remove_after:  # a pasted picture's private copy, and its folder
                with contextlib.suppress(OSError):
                    Path(path).unlink()
                    Path(path).parent.rmdir()
        if not still_alive(composer):
            return
        composer.set_sending(False)
        composer.sent()
        if sent.view is not None:
            self.pane.merge_items([sent.view])
            attached = sent.view.attachment
            self.stripped_note.setVisible(
                attached is not None and attached.mime.startswith("image/")
            )

    def paste_picture(self, image: QImage) -> bool:
        """A pasted picture: written as PNG to a private temporary file, sent, deleted."""
        folder = tempfile.mkdtemp(prefix="hearth-paste-")  # 0700: ours alone
        path = os.path.join(folder, "pasted.png")
        # the format from the name: PySide6 6.11 crashes (SIGSEGV) when given b"PNG"
        if not image.save(path):
            return False
        self.send_file(path, remove_after=True)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
            if event.mimeData().hasUrls():
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop and isinstance(event, QDropEvent):
            files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
            if files:
                event.acceptProposedAction()
                for path in files[:1]:  # one file per message
                    self.send_file(path)
                return True
        elif (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Paste)
        ):
            clipboard = QApplication.clipboard()
            data = clipboard.mimeData()
            if data is not None and data.hasImage():
                return self.paste_picture(clipboard.image())
        return super().eventFilter(watched, event)

    # -- opening -----------------------------------------------------------------------------

    @Slot(str)
    def open_attachment(self, message_id: str) -> AttachmentDialog | None:
        message = self.pane.model.message(message_id)
        if message is None or message.attachment is None:
            return None
        dialog = self.dialogs.get(message_id)
        if dialog is None or not still_alive(dialog):
            dialog = AttachmentDialog(self.bridge, self.circle, message, self.pane.surface)
            dialog.finished.connect(lambda _=0, m=message_id: self.dialogs.pop(m, None))
            self.dialogs[message_id] = dialog
        dialog.open()
        return dialog

    def progress(self, event: AttachmentProgress) -> None:
        """More of a file arrived: its open dialog follows, and its row keeps the count."""
        dialog = self.dialogs.get(event.message)
        if dialog is not None and still_alive(dialog):
            dialog.show_progress(event.have)
        message = self.pane.model.message(event.message)
        if message is not None and message.attachment is not None:
            changed = dataclasses.replace(
                message, attachment=with_progress(message.attachment, event.have)
            )
            self.pane.model.message_changed(changed)

    @Slot()
    def open_media(self) -> MediaDialog:
        self.media = MediaDialog(self.bridge, self.circle, self.pane.surface)
        self.media.open()
        self.media.load()
        return self.media
