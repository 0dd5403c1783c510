"""One log line when the app's first window appears: "first window shown: <class>".

Why: the packaging checks (tests/packaging) start the frozen bundle offscreen and wait for
this line to know the GUI came up, and time the bundle's cold start by it
(docs/performance.md); nothing else can be seen of an offscreen window from outside the
process. Logged at info level (`--log-level info`), once; the filter then removes itself.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)
LOG_LINE = "first window shown: %s"


class FirstWindowLog(QObject):
    """The application-wide event filter; `install` puts one on the application."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            log.info(LOG_LINE, type(watched).__name__)
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        return False


def install(app: QApplication) -> None:
    """Log the first window shown from now on (once per application)."""
    if app.findChild(FirstWindowLog) is None:
        app.installEventFilter(FirstWindowLog(app))
