"""Fonts, paragraph styles and text helpers shared by the report and by plugins' report sections.

DejaVu Sans is shipped with the package and embedded in every PDF: it covers all of French
(é è ê à ù ç œ Œ « » € ’, the narrow no-break space) and extracts exactly. Characters it lacks
(most emoji) are replaced by a visible "□" rather than drawn as an empty or black box.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from audit_bench.reports.typography import NBSP, french_typography

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

MISSING_GLYPH = "\u25a1"
"""Drawn in place of a character the font cannot draw (an emoji, a rare script)."""

_NARROW_NBSP = "\u202f"
_ZWJ = "\u200d"
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_INVISIBLE_CATEGORIES = {"Cf", "Mn", "Me", "Sk", "Cs", "Co", "Cn", "Cc"}
"""Categories of characters dropped (not replaced) when the font lacks them: joiners, variation
selectors, skin-tone modifiers, controls. An emoji sequence thus shows as one "□", not four."""


def font_path(name: str) -> Path:
    """The shipped TrueType file of one face of the family (DejaVu Sans for any other name)."""
    path = _FONT_DIR / f"{name}.ttf"
    return path if name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC) else _FONT_DIR / f"{FONT}.ttf"


@cache
def register_fonts() -> None:
    """Register the shipped TrueType family once per process."""
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD_ITALIC)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, splitLongWords=True)
    muted_colour = colors.HexColor("#555555")
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "tiny": ParagraphStyle("tiny", parent=body, fontSize=6.5, leading=8),
        "muted": ParagraphStyle("muted", parent=body, fontSize=8, leading=10, textColor=muted_colour),
        "quote": ParagraphStyle("quote", parent=body, fontSize=8.5, leading=11, leftIndent=8,
                                borderPadding=(3, 4, 3, 4), borderColor=colors.HexColor("#c9d3df"),
                                borderWidth=0, backColor=colors.HexColor("#f3f6f9"), spaceBefore=3,
                                spaceAfter=5),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, keepWithNext=True, fontSize=16, leading=20, spaceBefore=6, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, keepWithNext=True, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=5),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, keepWithNext=True, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=22, leading=27, spaceAfter=12),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, leading=17, spaceAfter=18,
                                   textColor=muted_colour),
    }


@cache
def _drawable() -> frozenset[int]:
    """Code points every face of the family can draw (regular and bold), in the Basic Multilingual
    Plane only: reportlab writes the text map of a character beyond U+FFFF (😀) as an odd-length
    hex string, which PDF readers reject, so copying or extracting the text would fail."""
    register_fonts()
    regular = pdfmetrics.getFont(FONT).face.charToGlyph
    bold = pdfmetrics.getFont(FONT_BOLD).face.charToGlyph
    return frozenset(code for code in regular.keys() & bold.keys() if code <= 0xFFFF)


@cache
def _drawable_or_breaks() -> frozenset[str]:
    """The characters `printable` keeps as they are, for a check at C speed."""
    return frozenset(map(chr, _drawable())) | {"\n", "\t"}


def printable(value: str) -> str:
    """Text the shipped font can draw: composed accents, one kind of line break, the narrow
    no-break space (where Paragraph would break a line) made a plain no-break space, and every
    character the font lacks replaced by "□" or, when it is invisible anyway, dropped."""
    value = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", value)).replace(_NARROW_NBSP, NBSP)
    if _drawable_or_breaks().issuperset(value):
        return value
    drawable = _drawable()
    kept: list[str] = []
    replacing = joined = False
    for char in value:
        if replacing and (joined or char == _ZWJ or unicodedata.category(char) in _INVISIBLE_CATEGORIES):
            joined = char == _ZWJ  # the rest of an emoji sequence: already stands as one "□"
            continue
        replacing = joined = False
        if ord(char) in drawable or char == "\n":
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
            kept.append(MISSING_GLYPH)
            replacing = True
    return "".join(kept)


def text(value: str) -> str:
    """User text made safe for a Paragraph: drawable, in French typography, markup characters
    escaped, line breaks kept."""
    return escape(french_typography(printable(value))).replace("\n", "<br/>")
