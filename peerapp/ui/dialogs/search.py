"""Search (issue 15): in one circle (Ctrl+F) or in every circle (Ctrl+Shift+F).

A line to type words and the messages that have all of them, best first, each with
who wrote it, where (a private conversation's result says "private, with Sam") and
when, and the words around the match with the matched ones in
bold. The search runs a moment after typing stops (SEARCH_DELAY_MS) or at once on
Enter; only the newest answer is shown. Keys: Enter or Down in the line goes to the
results, Up and Down move through them, Enter on one shows it in its conversation
(`resultChosen`, then the dialog closes), Esc closes. "Show more" asks for the next
page while a page came back full.

Everything shown is plain text: the snippet's pieces (core/api/search.py
SnippetPartView) are escaped before the matched ones are put in bold, so a message's
own markup never renders. A message under a content warning whose topic the reader
collapses shows the warning, not its words.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core import search_policy
from peerapp.core.api.search import Search, SearchHitView
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.engine_query import Latest
from peerapp.ui.text import safety
from peerapp.ui.text import search as text
from peerapp.ui.timeline import clock, day_label, day_of

SEARCH_DELAY_MS = 250
WIDTH = 520
HEIGHT = 480
ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})


def snippet_html(hit: SearchHitView) -> str:
    """The words around the match, escaped, the matched ones in bold; a collapsed
    topic's warning instead of the words."""
    if hit.filter != "show" and hit.cw:
        return html.escape(safety.cw_label(hit.cw))
    return "".join(
        f"<b>{html.escape(part.text)}</b>" if part.match else html.escape(part.text)
        for part in hit.snippet
    )


def snippet_plain(hit: SearchHitView) -> str:
    if hit.filter != "show" and hit.cw:
        return safety.cw_label(hit.cw)
    return "".join(part.text for part in hit.snippet)


class SearchDialog(QDialog):
    resultChosen = Signal(object)  # the SearchHitView chosen

    def __init__(
        self,
        bridge: EngineBridge,
        circle: str | None = None,
        circle_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """`circle`: search only this circle (named `circle_name`); None: every circle."""
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.bridge = bridge
        self.circle = circle
        title = text.title_everywhere() if circle is None else text.title_in_circle(circle_name)
        self.setWindowTitle(title)
        self.resize(WIDTH, HEIGHT)
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(text.placeholder())
        self.query_edit.setAccessibleName(title)
        self.query_edit.setMaxLength(search_policy.MAX_QUERY_CHARS)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(text.results_name())
        self.results.setWordWrap(True)
        self.status = QLabel(text.type_words())
        self.status.setWordWrap(True)
        style.set_role(self.status, "muted")
        self.more_button = QPushButton(text.show_more())
        self.more_button.setAutoDefault(False)
        self.more_button.hide()
        hint = QLabel(text.hint())
        hint.setWordWrap(True)
        style.set_role(hint, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.more_button)
        layout.addWidget(hint)
        self.hits: list[SearchHitView] = []
        self._searched = ""  # the words the results shown are for
        self._latest = Latest()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.query_edit.textChanged.connect(self._typed)
        self.query_edit.installEventFilter(self)
        self.results.itemActivated.connect(self._activated)
        self.more_button.clicked.connect(self.show_more)
        self.query_edit.setFocus()

    # -- asking -------------------------------------------------------------------------

    @Slot(str)
    def _typed(self, _typed: str) -> None:
        self._timer.start()

    @Slot()
    def search_now(self) -> None:
        self._timer.stop()
        words = self.query_edit.text()
        if search_policy.match_expression(words) is None:
            self._latest.ask()  # an answer still on its way is for older words
            self.show_results([], words, more=False)
            self.status.setText(text.type_words())
            return
        if words == self._searched and self.hits:
            return
        self.status.setText(text.searching())
        self._ask(words, offset=0)

    @Slot()
    def show_more(self) -> None:
        self._ask(self._searched, offset=len(self.hits))

    @async_slot(str, int)
    async def _ask(self, words: str, offset: int) -> None:
        ticket = self._latest.ask()
        page = search_policy.DEFAULT_LIMIT
        try:
            result = await self.bridge.request(
                Search(text=words, circle=self.circle, limit=page, offset=offset)
            )
        except Exception as error:
            if still_alive(self) and self._latest.take(ticket):
                self.status.setText(failure_message(error, text.to_search()))
                self.more_button.hide()
            return
        if not still_alive(self) or not self._latest.take(ticket):
            return
        found = list(result.results)
        more = len(found) == page and offset + page <= search_policy.MAX_OFFSET
        if offset:
            self._add(found, more)
        else:
            self.show_results(found, words, more)

    # -- showing ------------------------------------------------------------------------

    def show_results(self, hits: list[SearchHitView], words: str, more: bool) -> None:
        self.results.clear()
        self.hits = []
        self._searched = words
        self._add(hits, more)

    def _add(self, hits: list[SearchHitView], more: bool) -> None:
        today = date.today()
        for hit in hits:
            self.hits.append(hit)
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, len(self.hits) - 1)
            label = QLabel(
                f"<span>{html.escape(self._heading(hit, today))}</span><br>{snippet_html(hit)}"
            )
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            label.setContentsMargins(6, 4, 6, 4)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                f"{self._heading(hit, today)}: {snippet_plain(hit)}",
            )
            self.results.addItem(item)
            label.setFixedWidth(max(self.results.viewport().width() - 8, 200))
            item.setSizeHint(label.sizeHint())
            self.results.setItemWidget(item, label)
        if self.hits and self.results.currentRow() < 0:
            self.results.setCurrentRow(0)
        self.more_button.setVisible(more)
        if not self.hits:
            self.status.setText(text.nothing_found())
        else:
            self.status.setText(text.found(len(self.hits), more))

    def _heading(self, hit: SearchHitView, today: date) -> str:
        author = text.you() if hit.mine else (hit.author_name or text.someone())
        when = f"{day_label(day_of(hit.ts), today)} {clock(hit.ts)}"
        if hit.kind == search_policy.HitKind.PRIVATE:
            member = hit.member_name or text.someone()
            if self.circle is not None:
                return text.result_heading_private_in_circle(author, member, when)
            return text.result_heading_private(author, member, hit.circle_name, when)
        if self.circle is not None:
            return text.result_heading_in_circle(author, when)
        return text.result_heading(author, hit.circle_name, when)

    def shown_snippets(self) -> list[str]:
        """Each result's snippet as plain text, in order (tests read what is shown)."""
        return [snippet_plain(hit) for hit in self.hits]

    # -- keys and choosing --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter and Down in the line go to the results (Enter searches first when the
        words changed since the results shown)."""
        if watched is self.query_edit and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return False
            key = Qt.Key(event.key())
            if key in ENTER_KEYS and self.query_edit.text() != self._searched:
                self.search_now()
                return True
            if key in ENTER_KEYS or key == Qt.Key.Key_Down:
                if self.results.count():
                    self.results.setFocus()
                    if self.results.currentRow() < 0:
                        self.results.setCurrentRow(0)
                return True
        return super().eventFilter(watched, event)

    def _activated(self, item: QListWidgetItem) -> None:
        self.choose(int(item.data(Qt.ItemDataRole.UserRole)))

    def choose(self, number: int) -> None:
        if not 0 <= number < len(self.hits):
            return
        self.resultChosen.emit(self.hits[number])
        self.accept()
