"""The menu of one member: the moderation actions the viewer may take on them, and only
those (peerapp.ui.member_actions decides which). Muting offers a few lengths and a
custom one; what is chosen goes to `chosen` as (action, seconds), seconds being the
mute's length, CUSTOM_LENGTH to ask for one, or 0 for the other actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMenu, QWidget

from peerapp.core.moderation_policy import MUTE_CHOICES
from peerapp.core.permissions import MemberAction
from peerapp.ui.text import boundaries, care, moderation, private_talk

CUSTOM_LENGTH = -1

Chosen = Callable[[MemberAction, int], None]

# text functions, called when the menu is built
LABELS: dict[MemberAction, Callable[[], str]] = {
    MemberAction.TALK_PRIVATELY: private_talk.talk_privately_action,
    MemberAction.CARE_FLAG: care.worried_action,
    MemberAction.ASK_SUPPORT: care.ask_support_action,
    MemberAction.PROMOTE: moderation.promote_action,
    MemberAction.DEMOTE: moderation.demote_action,
    MemberAction.MAKE_FOUNDER: moderation.make_founder_action,
    MemberAction.MUTE: moderation.mute_menu,
    MemberAction.UNMUTE: moderation.unmute_action,
    MemberAction.REMOVE: moderation.remove_action,
    MemberAction.BAN: moderation.ban_action,
    MemberAction.BLOCK: boundaries.block_action,
    MemberAction.UNBLOCK: boundaries.unblock_action,
}
# a line between the gentle actions and the ones that take someone out of the circle
# and one before one's own boundaries (block), which are not moderation
SEPARATE_BEFORE = (MemberAction.REMOVE, MemberAction.BLOCK, MemberAction.UNBLOCK)


def member_menu(
    actions: Sequence[MemberAction], chosen: Chosen, parent: QWidget | None = None
) -> QMenu | None:
    """A menu of `actions` (None when there are none) that calls `chosen` on a choice."""
    if not actions:
        return None
    menu = QMenu(parent)
    for action in actions:
        if action in SEPARATE_BEFORE and not menu.isEmpty():
            menu.addSeparator()
        if action is MemberAction.MUTE:
            lengths = menu.addMenu(LABELS[action]())
            for seconds in MUTE_CHOICES:
                item = lengths.addAction(moderation.mute_choice(seconds))
                item.triggered.connect(lambda _=False, s=seconds: chosen(MemberAction.MUTE, s))
            lengths.addSeparator()
            custom = lengths.addAction(moderation.mute_custom_choice())
            custom.triggered.connect(lambda: chosen(MemberAction.MUTE, CUSTOM_LENGTH))
            continue
        item = menu.addAction(LABELS[action]())
        item.triggered.connect(lambda _=False, a=action: chosen(a, 0))
    return menu


def labels_of(menu: QMenu) -> list[str]:
    """What a menu offers, submenus by their titles (for tests and accessibility checks)."""
    return [action.text() for action in menu.actions() if not action.isSeparator()]
