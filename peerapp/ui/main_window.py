"""The main window: circles on the left, the chosen circle (or a welcome) on the right,
the engine's connection state below and its errors in a banner on top.

It knows one engine run (one EngineBridge). Locking or quitting is decided by the session
that owns the window; the window only asks for it through `lockRequested` and `closing`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.errors import HearthError
from peerapp.core.events import EngineReady
from peerapp.engine.profiles import KdfParams
from peerapp.ui import messages, style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.connection_status import ConnectionStatus, describe, shorten_peer_id
from peerapp.ui.dialogs.change_passphrase import ChangePassphraseDialog
from peerapp.ui.dialogs.circles import CreateCircleDialog, JoinCircleDialog
from peerapp.ui.widgets.circle_list import CircleList
from peerapp.ui.widgets.empty_state import EmptyState
from peerapp.ui.widgets.error_banner import ErrorBanner

log = logging.getLogger(__name__)

DEFAULT_SIZE = (920, 600)
STATUS_MESSAGE_MS = 6000


class MainWindow(QMainWindow):
    lockRequested = Signal()
    closing = Signal()

    def __init__(
        self,
        bridge: EngineBridge,
        profile_folder: Path,
        kdf: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._profile_folder = profile_folder
        self._kdf = kdf
        self._status = ConnectionStatus()
        # the child dialog currently open, if any (one at a time: they are window-modal)
        self.active_dialog: QDialog | None = None

        self.setWindowTitle(messages.MAIN_WINDOW_TITLE)
        self.resize(*DEFAULT_SIZE)
        self.banner = ErrorBanner()
        self.circle_list = CircleList()
        self.empty_state = EmptyState()
        self.pick_a_circle = QLabel(messages.PICK_A_CIRCLE)
        self.pick_a_circle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        style.set_role(self.pick_a_circle, "muted")
        self.content = QStackedWidget()
        self.content.addWidget(self.empty_state)
        self.content.addWidget(self.pick_a_circle)
        self._build_layout()
        self._build_menus()
        self._build_status_bar()

        self.empty_state.create_button.clicked.connect(self.open_create_circle)
        self.empty_state.join_button.clicked.connect(self.open_join_circle)
        bridge.ready.connect(self._engine_ready)
        bridge.peerConnected.connect(self._peer_connected)
        bridge.peerDisconnected.connect(self._peer_disconnected)
        bridge.engineError.connect(self._engine_error)
        bridge.stopped.connect(self._engine_stopped)
        self._show_status()

    # -- construction -------------------------------------------------------------------

    def _build_layout(self) -> None:
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.circle_list)
        body.addWidget(self.content, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        profile_menu = self.menuBar().addMenu(messages.PROFILE_MENU)
        self.change_passphrase_action = QAction(messages.CHANGE_PASSPHRASE_ACTION, self)
        self.change_passphrase_action.triggered.connect(self.open_change_passphrase)
        self.lock_action = QAction(messages.LOCK_ACTION, self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lockRequested)
        self.quit_action = QAction(messages.QUIT_ACTION, self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        profile_menu.addAction(self.change_passphrase_action)
        profile_menu.addAction(self.lock_action)
        profile_menu.addSeparator()
        profile_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(messages.HELP_MENU)
        self.about_action = QAction(messages.ABOUT_ACTION, self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        self.status_label = QLabel()
        self.peer_id_label = QLabel()
        self.peer_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.status_label)
        self.statusBar().addPermanentWidget(self.peer_id_label)
        self.statusBar().setSizeGripEnabled(False)

    # -- engine -------------------------------------------------------------------------

    def start_engine(self) -> None:
        started = self.bridge.start()
        # Every startup failure also arrives as engineError, which the banner shows; this
        # only marks the future's outcome as seen so asyncio does not log it as lost.
        started.add_done_callback(_mark_seen)

    @Slot(object)
    def _engine_ready(self, ready: EngineReady) -> None:
        self._status = self._status.online(ready.peer_id)
        self._show_status()
        self.refresh_circles()

    @Slot(str)
    def _peer_connected(self, peer_id: str) -> None:
        self._status = self._status.with_peer(peer_id)
        self._show_status()

    @Slot(str)
    def _peer_disconnected(self, peer_id: str) -> None:
        self._status = self._status.without_peer(peer_id)
        self._show_status()

    @Slot(str, bool)
    def _engine_error(self, message: str, fatal: bool) -> None:
        if fatal:
            self._status = self._status.failed()
            self._show_status()
        self.banner.show_message(messages.engine_error(message, fatal))

    @Slot()
    def _engine_stopped(self) -> None:
        self._status = self._status.stopped()
        self._show_status()

    def _show_status(self) -> None:
        self.status_label.setText(describe(self._status))
        peer_id = self._status.peer_id
        self.peer_id_label.setText(
            messages.peer_id_label(shorten_peer_id(peer_id)) if peer_id else ""
        )
        self.peer_id_label.setToolTip(messages.peer_id_tooltip(peer_id) if peer_id else "")

    @property
    def status_text(self) -> str:
        return self.status_label.text()

    # -- circles ------------------------------------------------------------------------

    @async_slot()
    async def refresh_circles(self) -> None:
        try:
            result = await self.bridge.circles()
        except HearthError as error:
            log.info("could not list circles: %s", error.message)
            return
        if not still_alive(self):
            return
        circles = result.get("circles", [])
        self.circle_list.set_circles(circles)
        self.content.setCurrentWidget(self.pick_a_circle if circles else self.empty_state)

    @Slot()
    def open_create_circle(self) -> None:
        self._open_dialog(CreateCircleDialog(self.bridge, self), on_accepted=self.refresh_circles)

    @Slot()
    def open_join_circle(self) -> None:
        self._open_dialog(JoinCircleDialog(self.bridge, self), on_accepted=self.refresh_circles)

    # -- profile ------------------------------------------------------------------------

    @Slot()
    def open_change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self._profile_folder, self._kdf, self)
        self._open_dialog(dialog, on_accepted=self._passphrase_changed)

    @Slot()
    def _passphrase_changed(self) -> None:
        self.statusBar().showMessage(messages.PASSPHRASE_CHANGED, STATUS_MESSAGE_MS)

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(self, messages.ABOUT_TITLE, messages.about_text())

    # -- dialogs and closing ------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog, on_accepted: Callable[[], object]) -> None:
        if self.active_dialog is not None:
            self.active_dialog.raise_()
            return
        self.active_dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(self._dialog_finished)
        dialog.open()  # window-modal, and never a nested event loop

    @Slot()
    def _dialog_finished(self) -> None:
        dialog, self.active_dialog = self.active_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        event.accept()


def _mark_seen(future: asyncio.Future[EngineReady]) -> None:
    if not future.cancelled():
        future.exception()
