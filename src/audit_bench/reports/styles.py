"""Fonts and paragraph styles shared by the report and by plugins' report sections.

DejaVu Sans is shipped with the package and embedded in every PDF: it covers all of French
(é è ê à ù ç œ Œ « » € ’, the narrow no-break space) and extracts exactly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"


@cache
def register_fonts() -> None:
    """Register the shipped TrueType family once per process."""
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD_ITALIC)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, splitLongWords=True)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=6, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=5),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=22, leading=27, spaceAfter=12),
    }


def text(value: str) -> str:
    """User text made safe for a Paragraph: markup characters escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")
