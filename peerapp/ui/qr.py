"""An invite code as a QR image, drawn with QPainter from segno's module matrix.

segno is imported when a code is first drawn, so Hearth still opens where it is missing;
`qr_image` then returns None and the invite dialog says the code can only be copied.

Invite codes ignore case, so the text is encoded in upper case: the QR alphanumeric mode
(A-Z, 0-9, ':') then fits the code in a much smaller symbol than byte mode would.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

log = logging.getLogger(__name__)

QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks
MODULE_PIXELS = 4
DARK = QColor("#2E241E")
LIGHT = QColor("#FFFFFF")


def qr_matrix(text: str) -> list[list[bool]] | None:
    """The QR symbol's modules (True is dark), or None when segno is not installed."""
    try:
        segno = importlib.import_module("segno")
    except ImportError:
        log.warning("segno is not installed: invite codes are shown without a QR image")
        return None
    symbol = segno.make(text.upper(), error="m")
    return [[bool(module) for module in row] for row in symbol.matrix]


def qr_image(text: str, module_pixels: int = MODULE_PIXELS) -> QImage | None:
    matrix = qr_matrix(text)
    if matrix is None:
        return None
    return render(matrix, module_pixels)


def render(matrix: list[list[bool]], module_pixels: int) -> QImage:
    size = (len(matrix) + 2 * QUIET_ZONE) * module_pixels
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(LIGHT)
    painter = QPainter(image)
    try:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(DARK)
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(
                        QRect(
                            (x + QUIET_ZONE) * module_pixels,
                            (y + QUIET_ZONE) * module_pixels,
                            module_pixels,
                            module_pixels,
                        )
                    )
    finally:
        painter.end()
    return image
