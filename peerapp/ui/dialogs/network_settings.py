"""The profile's network settings (issue 12): Tor (recommended, the default) or direct, and
which Tor: Hearth's own (with pasted bridge lines or other torrc lines) or an existing
one (Tails, Whonix, a system tor) by its control and SOCKS addresses.

Open it, then `load()`: it reads the stored settings while busy. Saving sends the whole
form with `set_network_settings`, which checks it as a whole: a refusal shows inline and
nothing is stored. The Tor settings not in use are sent cleared (an existing Tor's
addresses when using Hearth's own, the extra lines when using an existing one), because
the engine refuses the two together. Direct mode keeps the Tor choice as it is.

Once saved the dialog offers to reconnect now; it is accepted either way (the settings
are stored) and `reconnect_now` says which the person chose.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.network import NetworkSettings, NetworkSettingsView, SetNetworkSettings
from peerapp.core.network_mode import NetworkMode
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import network

INDENT = 24  # the choices under a radio button sit under its text
EXTRA_LINES_HEIGHT = 110
FIELDS = ("mode", "tor_control", "tor_socks", "tor_config")


def run_mode(result: NetworkSettingsView) -> str:
    """The mode this run uses, from the answer's `current` ("" when it does not say)."""
    mode = result.current.mode
    return mode if mode in (NetworkMode.TOR.value, NetworkMode.DIRECT.value) else ""


def settings_from(result: NetworkSettingsView) -> dict[str, str]:
    """The engine's `network_settings` answer as the four text settings ("" when unset;
    a mode this version does not know reads as Tor, never as direct)."""
    settings = {name: str(getattr(result, name)) for name in FIELDS}
    if settings["mode"] != NetworkMode.DIRECT.value:
        settings["mode"] = NetworkMode.TOR.value
    return settings


def _indented(*widgets: QWidget) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(INDENT, 0, 0, 0)
    column.setSpacing(6)
    for widget in widgets:
        column.addWidget(widget)
    return box


def _note(text: str, role: str = "muted") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    style.set_role(label, role)
    return label


class NetworkSettingsDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=network.network_title(),
            explanation=network.network_text(),
            primary_text=network.save_network(),
            parent=parent,
        )
        self.stored: dict[str, str] = {}
        self.saved = False
        self.reconnect_now = False

        self.tor_radio = QRadioButton(network.network_mode_tor())
        self.direct_radio = QRadioButton(network.network_mode_direct())
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.tor_radio)
        self.mode_group.addButton(self.direct_radio)
        self.own_radio = QRadioButton(network.own_tor())
        self.existing_radio = QRadioButton(network.existing_tor())
        self.tor_group = QButtonGroup(self)
        self.tor_group.addButton(self.own_radio)
        self.tor_group.addButton(self.existing_radio)

        self.extra_edit = QPlainTextEdit()
        self.extra_edit.setFixedHeight(EXTRA_LINES_HEIGHT)
        self.extra_edit.setAccessibleName(network.extra_tor_label())
        self.extra_edit.setTabChangesFocus(True)
        extra_label = QLabel(network.extra_tor_label())
        extra_label.setBuddy(self.extra_edit)
        self.own_box = _indented(extra_label, self.extra_edit, _note(network.extra_tor_hint()))

        self.control_edit = QLineEdit()
        self.control_edit.setPlaceholderText(network.tor_control_placeholder())
        self.socks_edit = QLineEdit()
        self.socks_edit.setPlaceholderText(network.tor_socks_placeholder())
        addresses = QWidget()
        form = QFormLayout(addresses)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(network.tor_control_label(), self.control_edit)
        form.addRow(network.tor_socks_label(), self.socks_edit)
        self.existing_box = _indented(addresses)

        self.tor_box = _indented(
            _note(network.network_mode_tor_note()),
            self.own_radio,
            self.own_box,
            self.existing_radio,
            self.existing_box,
        )
        # the warning sits beside Direct whether or not it is chosen: it is why to choose
        self.direct_warning = _note(network.direct_mode_warning(), "")  # plain, not alarming
        self.direct_box = _indented(self.direct_warning)

        # this run was started with another mode (--direct or the Tor options)
        self.run_note = _note("")
        self.run_note.hide()
        self.form.addWidget(self.run_note)
        self.form.addWidget(self.tor_radio)
        self.form.addWidget(self.tor_box)
        self.form.addWidget(self.direct_radio)
        self.form.addWidget(self.direct_box)

        for button in (self.tor_radio, self.direct_radio, self.own_radio, self.existing_radio):
            button.toggled.connect(self._refresh)
        self.extra_edit.textChanged.connect(self._refresh)
        self.control_edit.textChanged.connect(self._refresh)
        self.socks_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.body.setEnabled(False)  # until the stored settings are known

    @async_slot()
    async def load(self) -> None:
        result = await self.run_command(
            network.loading_network(),
            network.to_read_network(),
            lambda: self.bridge.request(NetworkSettings()),
        )
        if result is None:
            if still_alive(self):
                self.body.setEnabled(False)
            return
        self.set_idle()
        settings = settings_from(result)
        running = run_mode(result)
        self.run_note.setText(network.run_differs(running))
        self.run_note.setVisible(bool(running) and running != settings["mode"])
        self.show_settings(settings)

    def show_settings(self, settings: dict[str, str]) -> None:
        self.stored = dict(settings)
        direct = settings["mode"] == NetworkMode.DIRECT.value
        (self.direct_radio if direct else self.tor_radio).setChecked(True)
        existing = bool(settings["tor_control"] or settings["tor_socks"])
        (self.existing_radio if existing else self.own_radio).setChecked(True)
        self.extra_edit.setPlainText(settings["tor_config"])
        self.control_edit.setText(settings["tor_control"])
        self.socks_edit.setText(settings["tor_socks"])
        self.loaded = True
        self.body.setEnabled(True)
        self._refresh()

    def wanted(self) -> dict[str, str]:
        """The whole form as `set_network_settings` arguments."""
        mode = NetworkMode.DIRECT if self.direct_radio.isChecked() else NetworkMode.TOR
        if self.existing_radio.isChecked():
            control, socks, extra = self.control_edit.text(), self.socks_edit.text(), ""
        else:
            control, socks, extra = "", "", self.extra_edit.toPlainText()
        return {"mode": mode.value, "tor_control": control, "tor_socks": socks, "tor_config": extra}

    def changed(self) -> bool:
        return self.loaded and self.wanted() != self.stored

    def _refresh(self) -> None:
        self.tor_box.setEnabled(self.tor_radio.isChecked())
        self.own_box.setEnabled(self.own_radio.isChecked())
        self.existing_box.setEnabled(self.existing_radio.isChecked())
        if not self.saved:
            self.set_submittable(self.changed())

    @async_slot()
    async def submit(self) -> None:
        if self.saved:
            self.reconnect_now = True
            self.accept()
            return
        if self.busy or not self.changed():
            return
        wanted = self.wanted()
        result = await self.run_command(
            network.saving_network(),
            network.to_save_network(),
            lambda: self.bridge.request(SetNetworkSettings(**wanted)),
        )
        if result is not None and still_alive(self):
            self.set_idle()
            self._show_saved()

    def _show_saved(self) -> None:
        """Stored: offer to reconnect now (primary) or later (what closing means too)."""
        self.saved = True
        self.explanation_label.setMinimumWidth(self.body.minimumWidth())  # keep the width
        self.body.hide()
        self.explanation_label.setText(network.network_saved_text())
        self.primary_button.setText(network.reconnect_now())
        self.secondary_button.setText(network.reconnect_later())
        self.set_submittable(True)

    def reject(self) -> None:
        if self.saved and not self.busy:
            self.accept()  # the settings are stored: closing is "later", not "cancel"
            return
        super().reject()
