"""The colours of each theme, as data: one frozen Palette of named roles per theme.

Rules:
- A widget or painter never names a colour; it names a role, and the active theme's
  Palette answers (`peerapp.ui.theme.current()`).
- Every role has a kind (ROLE_KINDS): what it may be drawn as, and so which WCAG 2.2 AA
  contrast it owes (tests/gui/test_theme_contrast.py measures each, in every theme):
    GROUND     a background text and controls sit on;
    TEXT       text: 4.5:1 against every ground it is drawn on;
    NON_TEXT   a control's outline, a focus ring, a state dot, a bar: 3:1 (WCAG 1.4.11);
    DECORATIVE a divider or a card edge, which tells nothing on its own: no minimum;
    DISABLED   the text of a control that cannot be used: exempt by WCAG.
- The style sheet (stylesheet.py) is generated from the Palette, and the pairs it draws
  are read back from it by the contrast test; what the delegates paint by hand is listed
  here, next to the roles, in PAINTED_PAIRS.
"""

from __future__ import annotations

import enum
import zlib
from dataclasses import dataclass, fields


class Kind(enum.Enum):
    GROUND = "ground"
    TEXT = "text"
    NON_TEXT = "non-text"
    DECORATIVE = "decorative"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Palette:
    name: str  # "light" or "dark", for tests and screenshots (not a colour)
    dark: bool
    # grounds
    window: str  # dialogs, the message list, the main window
    surface: str  # inputs, buttons, headers, other people's bubbles
    sidebar: str  # the circle list, the member panel, the status bar
    accent_soft: str  # one's own bubbles, selections, notes, chips
    error_background: str
    accent: str  # a primary button's fill, badges; on_accent is drawn on it
    accent_hover: str
    accent_pressed: str
    # text
    text: str
    muted: str  # timestamps, hints, notes
    on_accent: str  # text on accent fills (primary buttons, badges)
    accent_text: str  # accent-coloured words (notes, chips, holds)
    error_text: str
    link: str
    strength_too_short: str
    strength_weak: str
    strength_fair: str
    strength_strong: str
    # non-text
    outline: str  # the edge that shows a control is there (inputs, buttons, bubbles)
    focus: str  # the focus ring
    # the focus ring of a filled (primary) button, drawn inside its edge on the fill: no
    # one colour is 3:1 against both the dark theme's light ember and its dark window, so
    # this ring is measured against the fill it borders (INNER_RINGS)
    focus_on_accent: str
    online: str
    offline: str
    # decorative
    divider: str
    error_border: str
    # disabled
    disabled_text: str
    accent_disabled_text: str
    # a member's name keeps its colour in a circle: picked from these by the author id
    name_colours: tuple[str, ...]

    def strength(self, strength: str) -> str:
        """The colour of a passphrase strength ("too short", "weak", "fair", "strong")."""
        return str(getattr(self, "strength_" + strength.replace(" ", "_")))

    def name_colour(self, author: str) -> str:
        return self.name_colours[zlib.crc32(author.encode()) % len(self.name_colours)]

    def role(self, role: str) -> str:
        value = getattr(self, role)
        if role not in ROLE_KINDS or not isinstance(value, str):
            raise KeyError(role)
        return value


ROLE_KINDS: dict[str, Kind] = {
    "window": Kind.GROUND,
    "surface": Kind.GROUND,
    "sidebar": Kind.GROUND,
    "accent_soft": Kind.GROUND,
    "error_background": Kind.GROUND,
    "accent": Kind.GROUND,
    "accent_hover": Kind.GROUND,
    "accent_pressed": Kind.GROUND,
    "text": Kind.TEXT,
    "muted": Kind.TEXT,
    "on_accent": Kind.TEXT,
    "accent_text": Kind.TEXT,
    "error_text": Kind.TEXT,
    "link": Kind.TEXT,
    "strength_too_short": Kind.TEXT,
    "strength_weak": Kind.TEXT,
    "strength_fair": Kind.TEXT,
    "strength_strong": Kind.TEXT,
    "outline": Kind.NON_TEXT,
    "focus": Kind.NON_TEXT,
    "focus_on_accent": Kind.NON_TEXT,
    "online": Kind.NON_TEXT,
    "offline": Kind.NON_TEXT,
    "divider": Kind.DECORATIVE,
    "error_border": Kind.DECORATIVE,
    "disabled_text": Kind.DISABLED,
    "accent_disabled_text": Kind.DISABLED,
}

# the grounds most text sits on: a colour rule with no background of its own is measured
# against each of them (the page, an input or header, a side panel)
COMMON_GROUNDS = ("window", "surface", "sidebar")

# (foreground, background) that the delegates paint themselves (message_delegate.py,
# circle_list.py): names over the list, text and times in both kinds of bubble, the
# outline of other people's bubbles against the list, badges
PAINTED_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "accent_soft"),
    ("text", "surface"),
    ("muted", "accent_soft"),
    ("muted", "surface"),
    ("muted", "window"),
    ("outline", "window"),
    ("focus", "window"),
    ("accent_text", "accent_soft"),
    ("accent_text", "surface"),
    ("on_accent", "accent"),
    ("muted", "sidebar"),
    # issue 15: "New messages" over the list; links in others' and one's own bubbles
    ("accent_text", "window"),
    ("link", "surface"),
    ("link", "accent_soft"),
)
# reaction chips (issue 15), drawn just below a bubble on the message list's ground: (text,
# fill, edge) roles for one's own reaction (mine: True) and for the others'. Ours is
# filled with the accent, as a primary button is: it stands apart from the others' at a
# glance, whatever bubble it sits under. Their pairs are measured with the rest
# (CHIP_PAIRS, added to PAINTED_PAIRS below).
CHIP_LOOKS: dict[bool, tuple[str, str, str]] = {
    True: ("on_accent", "accent", "accent"),
    False: ("text", "surface", "outline"),
}
CHIP_PAIRS: tuple[tuple[str, str], ...] = tuple(
    pair for text, fill, edge in CHIP_LOOKS.values() for pair in ((text, fill), (edge, "window"))
)
PAINTED_PAIRS += CHIP_PAIRS
# rings drawn inside a filled control's edge: measured against the fill they border (the
# contrast test reads the fill from the control's own rule), not against the grounds
INNER_RINGS = frozenset({"focus_on_accent"})
# every name colour is drawn over the message list (above a bubble) and inside a bubble
NAME_GROUNDS = ("window", "surface", "accent_soft")


def _check_roles() -> None:
    """The kinds table and the Palette's colour fields are the same set (import-time)."""
    colour_fields = {f.name for f in fields(Palette)} - {"name", "dark", "name_colours"}
    if colour_fields != set(ROLE_KINDS):
        raise RuntimeError(f"roles without a kind: {colour_fields ^ set(ROLE_KINDS)}")


_check_roles()


# Warm neutrals with one ember accent: calm enough for hard conversations, not clinical.
LIGHT = Palette(
    name="light",
    dark=False,
    window="#FBF7F2",
    surface="#FFFFFF",
    sidebar="#F3ECE3",
    accent_soft="#F6E3D8",
    error_background="#FBE9E3",
    accent="#A8502C",
    accent_hover="#974725",
    accent_pressed="#803B1E",
    text="#3B3028",
    muted="#67574B",
    on_accent="#FFFFFF",
    accent_text="#8A4222",
    error_text="#8E3320",
    link="#8A4222",
    strength_too_short="#A8321C",
    strength_weak="#8F4E10",
    strength_fair="#6E5B0E",
    strength_strong="#3A6E3F",
    outline="#8E7C6D",
    focus="#3B3028",
    focus_on_accent="#1A120C",
    online="#4A8050",
    offline="#8E7C6D",
    divider="#E4D8CB",
    error_border="#E8B7A7",
    disabled_text="#B9AEA4",
    accent_disabled_text="#C99A83",
    name_colours=("#9A4524", "#7A5718", "#44693F", "#375D70", "#6F4264", "#8A4133"),
)

# The same warmth at night: deep brown grounds, light warm text, a lighter ember that
# carries dark text.
DARK = Palette(
    name="dark",
    dark=True,
    window="#1E1915",
    surface="#2A231E",
    sidebar="#241E1A",
    accent_soft="#45301F",
    error_background="#4A2219",
    accent="#E8976F",
    accent_hover="#F0A884",
    accent_pressed="#F6BC9E",
    text="#F2E9E0",
    muted="#C2B3A6",
    on_accent="#1E1915",
    accent_text="#F2AE8A",
    error_text="#FFB8A6",
    link="#F2AE8A",
    strength_too_short="#FF9E88",
    strength_weak="#F2B270",
    strength_fair="#E3CE70",
    strength_strong="#8FD095",
    outline="#8C7D71",
    focus="#F2E9E0",
    focus_on_accent="#1E1915",
    online="#7CC383",
    offline="#8C7D71",
    divider="#3E352E",
    error_border="#8C4A3A",
    disabled_text="#6E6158",
    accent_disabled_text="#8A6A58",
    name_colours=("#F2A27C", "#E3C07A", "#9CCB92", "#8EC0DA", "#D5A3CA", "#F0A596"),
)

THEMES: dict[str, Palette] = {palette.name: palette for palette in (LIGHT, DARK)}
