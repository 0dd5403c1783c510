"""Links in messages (issue 15): found in the text, drawn as links, clicked or chosen
from the menu, and always asked about first, naming the real site (punycode, a user
name before "@"), with the Tor wording in Tor mode. Nothing opens without "Open"."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from peerapp.core.events import MessageView
from peerapp.ui import links
from peerapp.ui.dialogs.open_link import OpenLinkDialog, address_markup
from peerapp.ui.text import links as links_text
from peerapp.ui.timeline import MessageRow
from peerapp.ui.widgets.message_delegate import laid_out_text
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import ROW_ROLE, MessageModel
from tests.gui.helpers import WAIT_MS

LEFT = Qt.MouseButton.LeftButton


def written_links(text: str) -> list[str]:
    return [text[span.start : span.end] for span in links.find_links(text)]


# -- finding links, and what they really open (pure) ----------------------------------------


def test_links_are_found_without_the_punctuation_around_them() -> None:
    text = "See https://example.org/a_(b), (www.hearth.example). Or http://x.example/?q=1!"
    assert written_links(text) == [
        "https://example.org/a_(b)",
        "www.hearth.example",
        "http://x.example/?q=1",
    ]
    assert written_links("no links: ftp://x.example javascript:alert(1) www. https://") == []


def test_an_international_host_is_shown_and_opened_in_punycode() -> None:
    target = links.target_of("https://пример.рф/путь")
    assert target is not None
    assert target.host == "xn--e1afmkfd.xn--p1ai"
    assert target.host_letters == "пример.рф"
    assert target.url == "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"
    # a look-alike already in punycode says what letters it shows as
    lookalike = links.target_of("https://xn--80ak6aa92e.com")
    assert lookalike is not None and lookalike.host_letters == "аррӏе.com"


def test_a_user_name_before_the_at_is_not_taken_for_the_site() -> None:
    target = links.target_of("https://my-bank.example@elsewhere.example/login")
    assert target is not None
    assert target.host == "elsewhere.example"
    assert target.user_info == "my-bank.example"


def test_hidden_characters_or_other_schemes_make_no_link() -> None:
    assert links.target_of("https://exa\u202emple.com") is None
    assert links.target_of("https://a\u200bb.example") is None
    assert links.target_of("file:///etc/passwd") is None
    assert written_links("https://exa\u202emple.com") == []


# -- the confirmation -----------------------------------------------------------------------


def test_the_confirmation_names_the_site_and_in_tor_mode_the_ip_risk(
    qtbot: QtBot, hearth_app: object
) -> None:
    opened: list[QUrl] = []
    target = links.target_of("https://my-bank.example@xn--80ak6aa92e.com/it's?b=<c>&d")
    assert target is not None

    def opener(url: QUrl) -> bool:
        opened.append(url)
        return True

    dialog = OpenLinkDialog(target, tor=True, opener=opener)
    qtbot.addWidget(dialog)
    shown = dialog.address_label.text()
    assert "<b>xn--80ak6aa92e.com</b>" in shown
    # a member's text is never markup: what is not percent-encoded is escaped
    assert "/it&#x27;s?b=%3Cc%3E&amp;d" in shown
    notes = [label.text() for label in dialog.notes]
    assert links_text.tor_warning() in notes
    assert "IP address" in links_text.tor_warning()
    assert links_text.other_letters("аррӏе.com", "xn--80ak6aa92e.com") in notes
    assert links_text.user_name_before_site("my-bank.example", "xn--80ak6aa92e.com") in notes
    # Cancel is the default: Enter alone opens nothing
    assert dialog.secondary_button.isDefault() and not dialog.primary_button.isDefault()
    assert opened == []
    qtbot.mouseClick(dialog.primary_button, LEFT)
    assert [bytes(url.toEncoded().data()).decode() for url in opened] == [target.url]
    assert dialog.result() == OpenLinkDialog.DialogCode.Accepted


def test_direct_mode_has_no_tor_wording_and_a_failed_open_says_so(
    qtbot: QtBot, hearth_app: object
) -> None:
    target = links.target_of("www.hearth.example")
    assert target is not None
    dialog = OpenLinkDialog(target, tor=False, opener=lambda _url: False)
    qtbot.addWidget(dialog)
    assert dialog.tor_note is None
    assert links_text.tor_warning() not in [label.text() for label in dialog.notes]
    assert address_markup(target) == "https://<b>www.hearth.example</b>"
    dialog.show()
    qtbot.mouseClick(dialog.primary_button, LEFT)
    assert dialog.error_label.text() == links_text.could_not_open()
    assert dialog.isVisible()


# -- in the message list --------------------------------------------------------------------


def _shown_list(qtbot: QtBot, text: str) -> tuple[MessageList, MessageView]:
    model = MessageModel()
    message_list = MessageList(model)
    qtbot.addWidget(message_list)
    message_list.resize(600, 400)
    message_list.show()
    qtbot.waitExposed(message_list)
    message = MessageView(
        id="01" * 32, author="a" * 64, author_name="Ash", text=text, ts=0, mine=False
    )
    model.append([message])
    return message_list, message


def _point_of(message_list: MessageList, message: MessageView, character: int) -> QPoint:
    """Where a character of the message's text is drawn, in the viewport."""
    number = message_list.message_model.row_of(message.id)
    assert number is not None
    index = message_list.message_model.index(number)
    rect = message_list.visualRect(index)
    row = index.data(ROW_ROLE)
    assert isinstance(row, MessageRow)
    delegate = message_list.message_delegate
    geometry, block = delegate._geometry(row, rect.width())
    line = block.layout.lineForTextPosition(character)
    found = line.cursorToX(character)
    assert isinstance(found, tuple)
    x = float(found[0]) + 2
    inside = QPointF(x, line.y() + line.height() / 2) + geometry.text_origin
    return (inside + QPointF(rect.topLeft())).toPoint()


def test_a_click_on_a_link_asks_and_a_click_beside_it_does_not(
    qtbot: QtBot, hearth_app: object
) -> None:
    text = "Look here https://hearth.example/help\nthanks"
    message_list, message = _shown_list(qtbot, text)
    asked: list[str] = []
    message_list.linkRequested.connect(asked.append)
    start = laid_out_text(text).index("https://")
    QTest.mouseClick(message_list.viewport(), LEFT, pos=_point_of(message_list, message, 2))
    assert asked == []
    QTest.mouseClick(
        message_list.viewport(), LEFT, pos=_point_of(message_list, message, start + 10)
    )
    qtbot.waitUntil(lambda: asked == ["https://hearth.example/help"], timeout=WAIT_MS)
    # the pointer says so: a hand over the link, an arrow beside it
    viewport = message_list.viewport()
    QTest.mouseMove(viewport, _point_of(message_list, message, start + 10))
    qtbot.waitUntil(
        lambda: viewport.cursor().shape() == Qt.CursorShape.PointingHandCursor, timeout=WAIT_MS
    )
    QTest.mouseMove(viewport, _point_of(message_list, message, 2))
    qtbot.waitUntil(
        lambda: viewport.cursor().shape() == Qt.CursorShape.ArrowCursor, timeout=WAIT_MS
    )


def test_the_message_menu_offers_each_link(qtbot: QtBot, hearth_app: object) -> None:
    message_list, message = _shown_list(qtbot, "two: www.a.example and https://b.example/x")
    asked: list[str] = []
    message_list.linkRequested.connect(asked.append)
    number = message_list.message_model.row_of(message.id)
    assert number is not None
    menu = message_list.menu_for(message_list.message_model.index(number))
    assert menu is not None
    entries = {action.text(): action for action in menu.actions()}
    assert links_text.open_link_action("b.example") in entries
    entries[links_text.open_link_action("www.a.example")].trigger()
    assert asked == ["www.a.example"]
