"""Asking before a link from a message opens (issue 15): the whole address as the
browser will get it (plain ASCII: an international host in punycode), the site set
apart in bold, and what could mislead said in words (letters from another alphabet, a
user name before "@"); in Tor mode, that a normal browser shows the person's IP address
to the site. Only "Open in browser" opens it, through the desktop (QDesktopServices);
Cancel is the default. Hearth itself fetches nothing."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from peerapp.ui import style
from peerapp.ui.dialogs.form_dialog import FormDialog, cancel_by_default
from peerapp.ui.links import LinkTarget
from peerapp.ui.text import links

Opener = Callable[[QUrl], bool]


def address_markup(target: LinkTarget) -> str:
    """The whole address as rich text, every part escaped, the host in bold."""
    return (
        html.escape(target.before_host)
        + "<b>"
        + html.escape(target.host)
        + "</b>"
        + html.escape(target.after_host)
    )


class OpenLinkDialog(FormDialog):
    def __init__(
        self,
        target: LinkTarget,
        *,
        tor: bool,
        opener: Opener = QDesktopServices.openUrl,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            title=links.open_link_title(),
            heading=links.open_link_heading(),
            explanation=links.open_link_explanation(),
            primary_text=links.open_in_browser(),
            parent=parent,
        )
        self.target = target
        self._opener = opener
        self.body_layout = layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.address_label = QLabel(address_markup(target))
        self.address_label.setTextFormat(Qt.TextFormat.RichText)
        self.address_label.setWordWrap(True)
        self.address_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address_label.setAccessibleName(target.url)
        layout.addWidget(self.address_label)
        self.notes: list[QLabel] = []
        self._note(links.opens_site(target.host))
        if target.host_letters:
            self._note(links.other_letters(target.host_letters, target.host), warning=True)
        if target.user_info:
            self._note(links.user_name_before_site(target.user_info, target.host), warning=True)
        self.tor_note: QLabel | None = None
        if tor:
            self.tor_note = self._note(links.tor_warning(), warning=True)
        self._note(links.not_fetched())
        row = QHBoxLayout()
        self.copy_button = QPushButton(links.copy_link())
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        layout.addLayout(row)
        cancel_by_default(self)
        self.set_submittable(True)
        self.primary_button.clicked.connect(self.open_link)

    def _note(self, text: str, warning: bool = False) -> QLabel:
        label = QLabel(text)  # plain text: the host and a user name are a member's words
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        if warning:
            style.set_role(label, "error")  # the stylesheet's attention colour
        self.body_layout.addWidget(label)
        self.notes.append(label)
        return label

    @Slot()
    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.target.url)
        self.copy_button.setText(links.link_copied())

    @Slot()
    def open_link(self) -> None:
        if self._opener(QUrl.fromEncoded(self.target.url.encode("ascii"))):
            self.accept()
        else:
            self.show_error(links.could_not_open())
