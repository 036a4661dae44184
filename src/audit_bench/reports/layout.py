"""The page frame every PDF of the product shares: A4 margins, a running header from page 2 on,
a footer saying "page X / Y", and the table look. A report gives its flowables and its header
and footer lines; this module lays them out (the audit report today, the bilan annuel next).
"""

from __future__ import annotations

import io
from typing import Any, NamedTuple

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from audit_bench.reports import styles as report_styles
from audit_bench.reports.cells import TextCell, bold, cell
from audit_bench.reports.styles import FONT, printable
from audit_bench.reports.typography import french_typography

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GRID = colors.HexColor("#c4c9cf")
HEADER_FILL = colors.HexColor("#e8eef5")
GROUP_FILL = colors.HexColor("#f2f4f6")
MUTED = colors.HexColor("#666666")
RUNNING_SIZE = 7.5
SPLIT_ROW_MIN = 60
"""A table row is cut across pages only when at least this many points of it fall on each page:
short rows move whole to the next page, a note longer than a page still flows (never LayoutError)."""


class BuiltDocument(NamedTuple):
    pdf: bytes
    pages: int


def build_document(flowables: list[Flowable], *, title: str, running_header: str, footer: str,
                   author: str = "", subject: str = "", invariant: bool = False) -> BuiltDocument:
    """Lay `flowables` out on numbered A4 pages. The strings may come from stored data: each is
    made one printable line here (no control character reaches the PDF, its metadata included).
    `invariant`: the same flowables give the same bytes (no creation date, no random file id)."""
    report_styles.register_fonts()
    counter: list[int] = []
    canvas = _numbered_canvas(_line(running_header), _line(footer), counter)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=A4, pageTemplates=[_page_template()],
        leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=_line(title), author=_line(author), subject=_line(subject), creator="audit-bench",
        lang="fr-FR", invariant=1 if invariant else None,
    )
    document.build(flowables, canvasmaker=canvas)
    return BuiltDocument(buffer.getvalue(), counter[-1])


def _line(value: str) -> str:
    """Stored text as one drawable line in French typography: a canvas draws a line break as an
    undrawable glyph."""
    return french_typography(printable(value)).replace("\n", " ").replace("\t", " ")


def try_layout(flowables: list[Flowable]) -> None:
    """Lay `flowables` out on a scratch document of the same frame; raises what reportlab raises."""
    report_styles.register_fonts()
    BaseDocTemplate(io.BytesIO(), pagesize=A4, pageTemplates=[_page_template()]).build(flowables)


def _page_template() -> PageTemplate:
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    return PageTemplate("page", frames=[frame])


def _numbered_canvas(header_text: str, footer_text: str, counter: list[int]) -> type[Canvas]:
    """A canvas that holds every page until the end, so each footer can say "page X / Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            counter.append(total)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont(FONT, RUNNING_SIZE)
            self.setFillColor(MUTED)
            self.setStrokeColor(GRID)
            if number > 1:
                self.drawString(MARGIN_X, PAGE_HEIGHT - 12 * mm, _clip(self, header_text, CONTENT_WIDTH))
                self.line(MARGIN_X, PAGE_HEIGHT - 13.5 * mm, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 13.5 * mm)
            self.line(MARGIN_X, 12.5 * mm, PAGE_WIDTH - MARGIN_X, 12.5 * mm)
            self.drawString(MARGIN_X, 9 * mm, _clip(self, footer_text, CONTENT_WIDTH - 30 * mm))
            self.drawRightString(PAGE_WIDTH - MARGIN_X, 9 * mm, f"page {number} / {total}")
            self.restoreState()

    return NumberedCanvas


def _clip(canvas: Canvas, value: str, width: float) -> str:
    """One running line: cut with "…" if it would overflow the margin."""
    if canvas.stringWidth(value, FONT, RUNNING_SIZE) <= width:
        return value
    while value and canvas.stringWidth(value + "…", FONT, RUNNING_SIZE) > width:
        value = value[: max(1, int(len(value) * 0.9))] if len(value) > 200 else value[:-1]
    return value + "…"


# Tables --------------------------------------------------------------------------------------


def table(rows: list[list[Any]], widths: list[float], *, header: bool = True, extra: list[tuple] | None = None,
          heights: list[float | None] | None = None, split_in_row: int = SPLIT_ROW_MIN) -> Table:
    """A grid in the report's look; with `header`, its first row is shaded and repeated on each
    page the table runs onto."""
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    grid = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1 if header else 0,
                 splitInRow=split_in_row, hAlign="LEFT")
    grid.setStyle(TableStyle(commands + (extra or [])))
    return grid


def head_row(*labels: str) -> list[TextCell]:
    """A header row of bold labels."""
    return [cell(bold(label)) for label in labels]
