"""One run of the app on one profile, from the passphrase to quitting.

Rules (the whole flow, in order):
- Start: no profile yet -> FirstRunDialog; otherwise -> UnlockDialog.
- Dialog accepted -> a new EngineBridge and MainWindow; the engine starts.
- Dialog rejected (Quit, Escape, window closed) -> finished(0).
- Lock -> the engine stops, the window is discarded (nothing read stays in widgets),
  UnlockDialog again; accepted -> a fresh engine and window, as at the start.
- Main window closed (Quit, Ctrl+Q, the close button) -> the engine stops ->
  finished(1 if the engine had failed, else 0).
- Reconnect (the network settings changed, issue 12) -> the engine stops and a fresh
  engine and window start on the same unlocked profile, with no passphrase asked again;
  if the old engine did not stop in time (it may still hold the profile), UnlockDialog
  instead, as after a lock. The unlocked profile is kept only while its window lives.
- request_quit() (SIGINT/SIGTERM) closes whatever is showing, which ends as above; a
  dialog busy with Argon2id finishes first and the session then ends.
- finished is emitted once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, Signal, Slot

from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkOptions
from peerapp.engine.profiles import KdfParams, UnlockedProfile, profile_exists
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.first_run import FirstRunDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.preferences import Preferences

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ENGINE_FAILED = 1


class Session(QObject):
    finished = Signal(int)

    def __init__(
        self,
        profile: Path,
        listen: list[str],
        kdf: KdfParams | None = None,
        parent: QObject | None = None,
        network: NetworkOptions = PROFILE_SETTINGS,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self._listen = listen
        self._network = network  # the command line's choices; the profile's fill the rest
        self._kdf = kdf
        self.dialog: FirstRunDialog | UnlockDialog | None = None
        self.window: MainWindow | None = None
        self.bridge: EngineBridge | None = None
        # the open profile's keys, for a reconnect; the bridge's engine holds them anyway
        self._open_profile: UnlockedProfile | None = None
        self._geometry: QByteArray | None = None
        # kept across lock and unlock, for this run only (see preferences.py)
        self.preferences = Preferences()
        self._quitting = False
        self._done = False

    # -- the flow -----------------------------------------------------------------------

    def begin(self) -> None:
        if profile_exists(self.profile):
            self._show_dialog(UnlockDialog(self.profile))
        else:
            self._show_dialog(FirstRunDialog(self.profile, self._kdf))

    def _show_dialog(self, dialog: FirstRunDialog | UnlockDialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(self._unlocked)
        dialog.rejected.connect(self._dialog_rejected)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    @Slot()
    def _unlocked(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        unlocked = dialog.unlocked
        dialog.deleteLater()
        if self._quitting or unlocked is None:
            self._finish(EXIT_OK)
            return
        self._open_window(unlocked)

    @Slot()
    def _dialog_rejected(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self._finish(EXIT_OK)

    def _open_window(self, unlocked: UnlockedProfile) -> None:
        bridge = EngineBridge.for_profile(unlocked, self._listen, network=self._network)
        window = MainWindow(bridge, self.profile, self._kdf, self.preferences)
        if self._geometry is not None:
            window.restoreGeometry(self._geometry)
        window.lockRequested.connect(self.lock)
        window.closing.connect(self._window_closing)
        window.reconnectRequested.connect(self.reconnect)
        self.bridge, self.window, self._open_profile = bridge, window, unlocked
        window.show()
        window.start_engine()

    @Slot()
    def lock(self) -> None:
        if self.window is None:
            return
        self._geometry = self.window.saveGeometry()
        self._discard_window()
        self._show_dialog(UnlockDialog(self.profile))

    @Slot()
    def reconnect(self) -> None:
        unlocked = self._open_profile
        if self.window is None or unlocked is None or self._quitting:
            return
        self._geometry = self.window.saveGeometry()
        if self._discard_window():
            self._open_window(unlocked)
        else:
            self._show_dialog(UnlockDialog(self.profile))

    @Slot()
    def _window_closing(self) -> None:
        failed = self.bridge is not None and self.bridge.failure is not None
        self._discard_window()
        self._finish(EXIT_ENGINE_FAILED if failed else EXIT_OK)

    def request_quit(self) -> None:
        """Close whatever is showing, as if the person had closed it."""
        self._quitting = True
        if self.window is not None:
            self.window.close()
        elif self.dialog is not None:
            self.dialog.reject()  # a busy dialog defers this until its work is done
        else:
            self._finish(EXIT_OK)

    def shutdown(self) -> None:
        """Stop the engine and drop every window, whatever state the flow is in."""
        self._discard_window()
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.hide()
            dialog.deleteLater()

    # -- helpers ------------------------------------------------------------------------

    def _discard_window(self) -> bool:
        """Stop the engine and drop the window; False when the engine did not stop in time."""
        bridge, window = self.bridge, self.window
        self.bridge, self.window, self._open_profile = None, None, None
        stopped = True
        if bridge is not None and not bridge.stop():
            stopped = False
            log.error("the engine did not stop in time; leaving it to end with the process")
        if window is not None:
            window.lockRequested.disconnect(self.lock)
            window.closing.disconnect(self._window_closing)
            window.reconnectRequested.disconnect(self.reconnect)
            window.hide()
            window.deleteLater()
        if bridge is not None:
            bridge.deleteLater()
        return stopped

    def _finish(self, exit_code: int) -> None:
        if self._done:
            return
        self._done = True
        self.finished.emit(exit_code)
