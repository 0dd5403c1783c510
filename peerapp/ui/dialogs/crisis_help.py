"""The "Get help now" dialog: crisis services for the person's country, from the bundled directory.

Rules:
- Needs no engine, no profile and no network: it reads resources/crisis/ through
  peerapp.engine.crisis_directory (plain file reading, no Qt there). It sends nothing; a
  website opens in the browser only when the person clicks its link.
- Country: the one asked for, else the one chosen earlier in this run, else the system
  locale's territory, else DEFAULT_COUNTRY; the person can change it at any time. When it
  was guessed (from the locale or the default) the dialog says so, with a "change it"
  link that opens the country list; the line goes once the person picks a country. The
  choice is remembered in memory only, like the app's other preferences: written to disk
  it would say something about whoever looked.
- The emergency number comes first, then each service: its numbers as selectable text, each
  with a Copy button, its hours and languages when the source states them, its website.
  The out-of-date note, the checked date and a pointer to a worldwide directory close it.
- If the directory cannot be read the dialog still opens, saying to call the local
  emergency number.
"""

from __future__ import annotations

import enum
import html
import logging

from PySide6.QtCore import QLocale, Qt, Slot
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.crisis_directory import CrisisDirectoryInvalid, Directory, Service
from peerapp.engine.crisis_directory import load_bundled
from peerapp.ui import style
from peerapp.ui.text import crisis

log = logging.getLogger(__name__)

DEFAULT_COUNTRY = "US"
DIALOG_SIZE = (560, 640)
MARGINS = (24, 20, 24, 16)

# the person's last choice, for this run of the app only (see the rules above)
_remembered_country: str | None = None


def system_country() -> str | None:
    """The system locale's territory as an ISO 3166 alpha-2 code, if it names one."""
    code = QLocale.territoryToCode(QLocale.system().territory())
    return code.upper() if len(code) == 2 and code.isalpha() else None


def choose_country(directory: Directory, asked: str | None) -> str:
    return chosen_country(directory, asked)[0]


class Guess(enum.Enum):
    NONE = "none"  # asked for, or chosen by the person
    LOCALE = "locale"  # the system's settings name it
    DEFAULT = "default"  # nothing said where the person is


def chosen_country(directory: Directory, asked: str | None) -> tuple[str, Guess]:
    """The country to show, and whether (and from what) it was guessed."""
    for candidate, guess in (
        (asked, Guess.NONE),
        (_remembered_country, Guess.NONE),
        (system_country(), Guess.LOCALE),
        (DEFAULT_COUNTRY, Guess.DEFAULT),
    ):
        if candidate and directory.country(candidate) is not None:
            return candidate.strip().upper(), guess
    return directory.by_name()[0].code, Guess.DEFAULT


class CrisisHelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, country: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(crisis.crisis_help_title())
        self.setObjectName("crisisHelp")
        self.resize(*DIALOG_SIZE)
        self.directory: Directory | None
        try:
            self.directory = load_bundled()
        except CrisisDirectoryInvalid as error:
            log.warning("crisis directory unavailable: %s", error.message)
            self.directory = None
        self.copy_buttons: list[QPushButton] = []
        self.number_labels: list[QLabel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*MARGINS)
        layout.setSpacing(10)
        self._build_top(layout)
        self._build_services(layout)
        self._build_bottom(layout)
        if self.directory is None:
            self.country_box.setEnabled(False)
            self.emergency_label.setText(crisis.crisis_no_directory())
        else:
            self._fill(self.directory, country)

    def _build_top(self, layout: QVBoxLayout) -> None:
        self.heading = QLabel(crisis.crisis_help_heading())
        self.heading.setObjectName("crisisHeading")
        self.heading.setAccessibleName(crisis.crisis_help_heading())
        layout.addWidget(self.heading)
        intro = QLabel(crisis.crisis_help_intro())
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.country_box = QComboBox()
        self.country_box.setObjectName("crisisCountry")
        self.country_box.setAccessibleName(crisis.crisis_country_label())
        country_row = QHBoxLayout()
        country_label = QLabel(crisis.crisis_country_label())
        country_label.setBuddy(self.country_box)
        country_row.addWidget(country_label)
        country_row.addWidget(self.country_box, 1)
        layout.addLayout(country_row)
        self.guess_note = QFrame()
        self.guess_note.setObjectName("countryGuess")
        guess_layout = QHBoxLayout(self.guess_note)
        guess_layout.setContentsMargins(10, 6, 10, 6)
        self.guess_label = QLabel()
        self.guess_label.setObjectName("countryGuessText")
        self.guess_label.setWordWrap(True)
        self.guess_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.guess_label.linkActivated.connect(self.change_country)
        guess_layout.addWidget(self.guess_label)
        self.guess_note.hide()
        layout.addWidget(self.guess_note)

        self.emergency_label = QLabel()
        self.emergency_label.setObjectName("crisisEmergency")
        self.emergency_label.setWordWrap(True)
        self.emergency_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        emergency_font = QFont(self.emergency_label.font())
        emergency_font.setPointSizeF(emergency_font.pointSizeF() * 1.3)
        emergency_font.setBold(True)
        self.emergency_label.setFont(emergency_font)
        layout.addWidget(self.emergency_label)

    def _build_services(self, layout: QVBoxLayout) -> None:
        self.services_box = QWidget()
        self.services_layout = QVBoxLayout(self.services_box)
        self.services_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setObjectName("crisisServices")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.services_box)
        layout.addWidget(scroll, 1)

    def _build_bottom(self, layout: QVBoxLayout) -> None:
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        style.set_role(self.note_label, "muted")
        layout.addWidget(self.note_label)
        self.international_label = QLabel()
        self.international_label.setWordWrap(True)
        self.international_label.setOpenExternalLinks(True)  # opens only when clicked
        layout.addWidget(self.international_label)
        private = QLabel(crisis.crisis_private())
        private.setWordWrap(True)
        style.set_role(private, "muted")
        layout.addWidget(private)

        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(
            crisis.crisis_close(), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill(self, directory: Directory, country: str | None) -> None:
        for listed in directory.by_name():
            self.country_box.addItem(listed.name, listed.code)
        self.note_label.setText(f"{directory.note} {crisis.crisis_checked(directory.checked)}")
        international = directory.international
        self.international_label.setText(
            crisis.crisis_international(
                html.escape(international.name), html.escape(international.website, quote=True)
            )
        )
        code, guess = chosen_country(directory, country)
        self.set_country(code)
        self.country_box.currentIndexChanged.connect(self._country_changed)
        if guess is not Guess.NONE:
            self.guess_label.setText(
                crisis.crisis_country_guessed()
                if guess is Guess.LOCALE
                else crisis.crisis_country_default(self.country_box.currentText())
            )
        self.guess_note.setVisible(guess is not Guess.NONE)
        self._show_country()

    # -- what is shown --------------------------------------------------------------------

    def current_country(self) -> str:
        code = self.country_box.currentData()
        return code if isinstance(code, str) else ""

    def set_country(self, code: str) -> None:
        index = self.country_box.findData(code.strip().upper())
        if index >= 0:
            self.country_box.setCurrentIndex(index)

    def shown_numbers(self) -> list[str]:
        return [label.property("number") for label in self.number_labels]

    def country_guessed(self) -> bool:
        return not self.guess_note.isHidden()

    @Slot()
    def change_country(self, _link: str = "") -> None:
        """The "change it" link: the country list, open, with the keyboard in it."""
        self.country_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.country_box.showPopup()

    @Slot(int)
    def _country_changed(self, _index: int) -> None:
        global _remembered_country  # noqa: PLW0603 - one choice per run, see the rules
        _remembered_country = self.current_country() or _remembered_country
        self.guess_note.hide()  # chosen now, not guessed
        self._show_country()

    def _show_country(self) -> None:
        if self.directory is None:
            return
        country = self.directory.country(self.current_country())
        if country is None:
            return
        self.emergency_label.setText(
            crisis.crisis_emergency(country.emergency)
            if country.emergency
            else crisis.crisis_emergency_unknown()
        )
        self._clear_services()
        for service in country.services:
            self.services_layout.addWidget(self._service_frame(service))
        self.services_layout.addStretch(1)

    def _clear_services(self) -> None:
        self.copy_buttons.clear()
        self.number_labels.clear()
        while self.services_layout.count():
            item = self.services_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _service_frame(self, service: Service) -> QFrame:
        frame = QFrame()
        frame.setObjectName("crisisService")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        name = QLabel(service.name)
        name.setWordWrap(True)
        style.set_role(name, "subheading")
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(name)
        for kind, numbers in (
            (crisis.crisis_call(), service.phone),
            (crisis.crisis_text(), service.text),
            (crisis.crisis_whatsapp(), service.whatsapp),
        ):
            for number in numbers:
                layout.addLayout(self._number_row(kind, number))
        if service.hours:
            layout.addWidget(_plain(crisis.crisis_hours(service.hours)))
        if service.languages:
            layout.addWidget(_plain(crisis.crisis_languages(list(service.languages))))
        if service.website:
            layout.addWidget(_link(crisis.crisis_website(), service.website, service.website))
        source = _link(crisis.crisis_source(), service.source, crisis.crisis_source())
        style.set_role(source, "muted")
        layout.addWidget(source)
        return frame

    def _number_row(self, kind: str, number: str) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(f"{kind}: {number}")
        label.setProperty("number", number)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton(crisis.crisis_copy())
        copy.setAccessibleName(crisis.crisis_copy_name(number))
        style.set_role(copy, "quiet")
        copy.clicked.connect(lambda _=False, n=number, b=copy: self._copy(n, b))
        row.addWidget(label, 1)
        row.addWidget(copy)
        self.number_labels.append(label)
        self.copy_buttons.append(copy)
        return row

    def _copy(self, number: str, button: QPushButton) -> None:
        QGuiApplication.clipboard().setText(number)
        button.setText(crisis.crisis_copied())


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _link(caption: str, url: str, text: str) -> QLabel:
    """A link that opens the browser only when clicked (nothing is fetched before)."""
    anchor = f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'
    label = QLabel(anchor if text == caption else f"{html.escape(caption)}: {anchor}")
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setToolTip(url)
    return label
