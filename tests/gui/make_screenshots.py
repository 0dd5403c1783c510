"""`make screenshots`: PNGs of the main screens in both themes at 1440x900 and 800x600.

Not a test of its own (its name does not start with test_, so the suite does not collect
it; `make screenshots` names it): two real engines on 127.0.0.1, Ash and Bee, talk in a
circle, Ash keeps a second one, Bee asks for support and Ash mutes and unmutes Bee, then
every screen of tests/gui/screens.py is written, light and dark, into docs/screenshots/
(or $HEARTH_SCREENSHOTS). The suite runs the same code for one screen
(test_theme_screens.py), so this cannot rot unseen.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from peerapp.core.api.messages import CheckIn
from peerapp.core.api.moderation import Mute
from peerapp.core.api.safety import Flag
from peerapp.ui import theme
from peerapp.ui.main_window import MainWindow
from tests.gui import screens
from tests.gui.circle_steps import (
    create_circle,
    member_id,
    pane_of,
    send_by_typing,
    wait_for_text,
    wait_showing,
)
from tests.gui.helpers import WAIT_MS, resolve

ROOT = Path(__file__).resolve().parents[2]
FOLDER = Path(os.environ.get("HEARTH_SCREENSHOTS", ROOT / "docs" / "screenshots"))

CONVERSATION = (
    ("bee", "Hi everyone. First time here, a bit nervous to be honest."),
    ("ash", "Welcome, Bee. No rush at all: say as much or as little as you like."),
    ("bee", "Thanks. This week has been a lot, but it helps to know you're here."),
    ("ash", "It does. We meet here every Tuesday, and the circle is open in between."),
)


def say(qtbot: QtBot, window: MainWindow, others: list[MainWindow], circle: str, text: str) -> None:
    send_by_typing(qtbot, window, text)
    for other in others:
        wait_for_text(qtbot, other, circle, text)


def test_make_screenshots(
    qtbot: QtBot,
    hearth_app: QApplication,
    two_members: tuple[MainWindow, MainWindow, str],
    profile: Path,
    tmp_path: Path,
) -> None:
    ash, bee, circle = two_members
    people = {"ash": ash, "bee": bee}
    for who, text in CONVERSATION:
        speaker = people[who]
        say(qtbot, speaker, [w for w in people.values() if w is not speaker], circle, text)
    checked_in = resolve(
        qtbot, bee.bridge.request(CheckIn(circle=circle, mood=3, text="Tired, but okay."))
    )
    assert checked_in is not None
    wait_for_text(qtbot, ash, circle, "Tired, but okay.")
    bee_id = member_id(pane_of(ash, circle), "Bee")
    resolve(
        qtbot,
        bee.bridge.request(
            Flag(circle=circle, kind="care", member=bee_id, note="Could use a call this week")
        ),
    )
    resolve(qtbot, ash.bridge.request(Mute(circle=circle, member=bee_id, seconds=600)))
    resolve(qtbot, ash.bridge.request(Mute(circle=circle, member=bee_id, seconds=0)))

    evening = create_circle(qtbot, ash, "Evening check-ins", "Ash")
    send_by_typing(qtbot, ash, "A quiet place for the end of the day.")
    assert ash.circle_list.select(circle)
    wait_showing(qtbot, ash, circle)
    assert evening in ash.circle_list.ids()
    qtbot.waitUntil(lambda: pane_of(ash, circle).care.open_count > 0, timeout=WAIT_MS)

    shown = screens.Screens(qtbot, ash, profile, tmp_path / "new-profile")
    written: list[Path] = []
    try:
        for choice in (theme.ThemeChoice.LIGHT, theme.ThemeChoice.DARK):
            theme.follower(hearth_app).choose(choice)
            for name, open_screen in screens.SCREENS.items():
                widget = open_screen(shown)
                for width, height in screens.SIZES:
                    path = FOLDER / f"{name}-{choice.value}-{width}x{height}.png"
                    written.append(screens.write_png(shown, widget, (width, height), path))
                screens.close(shown, widget)
    finally:
        screens.back_to_light(hearth_app)
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} screenshots in {FOLDER}, {total / 1024:.0f} KiB")
