"""The Theme submenu (Profile > Theme): Follow the system, Light, Dark, one checked.

Rules:
- a choice applies to the whole application at once, is kept in the session's
  preferences (so it outlives a lock) and is stored in the profile's encrypted settings
  through the engine (`set_appearance`), so the next start finds it;
- once the engine is ready the stored choice is read (`appearance`) and applied; until
  then -- the unlock and welcome screens -- the session's choice holds (at first: follow
  the system). A failure to read or store changes nothing shown and is only logged: a
  look is no reason to interrupt anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from peerapp.core.api.appearance import Appearance, SetAppearance
from peerapp.ui.async_slot import async_slot, settle_quietly, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.preferences import Preferences
from peerapp.ui.text import appearance
from peerapp.ui.theme import ThemeChoice, follower

log = logging.getLogger(__name__)

CHOICES: tuple[tuple[ThemeChoice, Callable[[], str]], ...] = (
    (ThemeChoice.SYSTEM, appearance.theme_system),
    (ThemeChoice.LIGHT, appearance.theme_light),
    (ThemeChoice.DARK, appearance.theme_dark),
)


class ThemeMenu(QMenu):
    def __init__(
        self, preferences: Preferences, bridge: EngineBridge | None, parent: QWidget
    ) -> None:
        super().__init__(appearance.theme_menu(), parent)
        self.setObjectName("themeMenu")
        self.menuAction().setToolTip(appearance.theme_menu_tooltip())
        self.preferences = preferences
        self.bridge = bridge
        self.chosen_here = False  # a choice made before the stored one was read wins
        group = QActionGroup(self)
        group.setExclusive(True)
        self.choice_actions: dict[ThemeChoice, QAction] = {}
        for choice, words in CHOICES:
            action = QAction(words(), self)
            action.setCheckable(True)
            action.setData(choice.value)
            action.triggered.connect(lambda _=False, c=choice: self.choose(c))
            group.addAction(action)
            self.addAction(action)
            self.choice_actions[choice] = action
        self._show(preferences.theme)

    def choose(self, choice: ThemeChoice) -> None:
        """The person's choice: shown, applied and stored."""
        self.chosen_here = True
        self._apply(choice)
        if self.bridge is not None:
            settle_quietly(self.bridge.request(SetAppearance(theme=choice.value)), "theme")

    @async_slot()
    async def load(self) -> None:
        """The profile's stored choice, once its engine is ready."""
        if self.bridge is None:
            return
        try:
            stored = await self.bridge.request(Appearance())
        except Exception as error:
            log.info("reading the theme failed (%s)", type(error).__name__)
            return  # the look stays as it is
        if still_alive(self) and not self.chosen_here:
            self._apply(ThemeChoice(stored.theme))

    def _apply(self, choice: ThemeChoice) -> None:
        self.preferences.theme = choice
        self._show(choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            follower(app).choose(choice)

    def _show(self, choice: ThemeChoice) -> None:
        self.choice_actions[choice].setChecked(True)
