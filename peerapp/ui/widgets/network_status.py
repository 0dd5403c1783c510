"""The status bar's network line: how members reach us (connection_status.network_line
decides what it says; this only draws it). A label, Tor's progress bar while it connects,
and a "Network settings…" button when Tor failed (`settingsRequested`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from peerapp.ui import style
from peerapp.ui.connection_status import NetworkLine
from peerapp.ui.text import network

BAR_WIDTH = 110


class NetworkStatus(QWidget):
    settingsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)  # the label says the percent, in words
        self.bar.setFixedWidth(BAR_WIDTH)
        self.bar.setObjectName("busyBar")  # the slim accent bar of busy dialogs (style.py)
        self.settings_button = QPushButton(network.network_settings_button())
        self.settings_button.setAutoDefault(False)
        self.settings_button.clicked.connect(self.settingsRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        layout.addWidget(self.settings_button)
        self.line = NetworkLine("")
        self.show_line(self.line)

    def show_line(self, line: NetworkLine) -> None:
        self.line = line
        self.label.setText(line.text)
        self.label.setToolTip(line.detail)
        self.label.setAccessibleDescription(line.detail)
        self.bar.setVisible(line.progress is not None)
        self.bar.setValue(line.progress or 0)
        self.bar.setAccessibleName(line.text)
        self.settings_button.setVisible(line.offer_settings)
        style.set_role(self.label, "error" if line.offer_settings else "")
        self.setVisible(bool(line.text))

    @property
    def text(self) -> str:
        return self.label.text()
