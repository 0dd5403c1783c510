"""WCAG 2.2 contrast, written once: relative luminance and the ratio between two colours.

https://www.w3.org/TR/WCAG22/#dfn-relative-luminance and #dfn-contrast-ratio. Plain
arithmetic on "#RRGGBB" strings, so the palette's tests and the palette itself need no Qt.
"""

from __future__ import annotations

# WCAG 2.2 AA: body text; large text (18pt, or 14pt bold); controls, outlines, focus rings
TEXT_AA = 4.5
LARGE_TEXT_AA = 3.0
NON_TEXT_AA = 3.0


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """The relative luminance of an opaque "#RRGGBB" colour, 0 (black) to 1 (white)."""
    hex_digits = colour.removeprefix("#")
    if len(hex_digits) != 6:
        raise ValueError(f"not an opaque #RRGGBB colour: {colour!r}")
    red, green, blue = (int(hex_digits[index : index + 2], 16) for index in (0, 2, 4))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def ratio(foreground: str, background: str) -> float:
    """The contrast ratio, 1 to 21, whichever of the two is lighter."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
