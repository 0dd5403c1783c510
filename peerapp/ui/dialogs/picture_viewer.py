"""A received picture at full size (issue 15), scrollable, scaled down to the screen.

The engine decoded it behind Pillow's guards before handing it over (the `picture`
command); Qt decodes it again here to show it, and a picture Qt cannot read says so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from peerapp.ui.text import attachments, common, errors

MARGIN = 80


class PictureViewerDialog(QDialog):
    def __init__(self, name: str, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(attachments.viewer_title(name))
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image = QImage.fromData(data)
        self.readable = not image.isNull()
        if self.readable:
            screen = QGuiApplication.primaryScreen()
            room = screen.availableGeometry().size() if screen is not None else None
            pixmap = QPixmap.fromImage(image)
            if room is not None and (
                pixmap.width() > room.width() - MARGIN or pixmap.height() > room.height() - MARGIN
            ):
                pixmap = pixmap.scaled(
                    room.width() - MARGIN,
                    room.height() - MARGIN,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            self.picture.setPixmap(pixmap)
        else:
            self.picture.setText(errors.unexpected_error("QImage"))
        area = QScrollArea()
        area.setWidget(self.picture)
        area.setWidgetResizable(True)
        close = QPushButton(common.close())
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(area)
        layout.addWidget(close, alignment=Qt.AlignmentFlag.AlignRight)
