"""Table cells whose lines are known: text broken into lines once, drawn as one text object.

A reportlab Paragraph parses its markup when it is made and breaks its lines again at every
wrap, and a table wraps each cell when it measures its rows, when it splits over a page and when
it draws: at 1,000 checklist rows that was most of the report's time. A cell holds the report's
words and user text with at most bold, italic, a colour or a smaller size, which needs none of
that. Its words are measured with `pdfmetrics.stringWidth` (each distinct word once) and broken
at spaces as Paragraph breaks them (a no-break space never breaks a line; a word wider than the
cell is cut); the lines are kept for the width they were broken at.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Sequence

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from audit_bench.reports.styles import FONT, FONT_BOLD, FONT_ITALIC, printable, styles
from audit_bench.reports.typography import french_typography


class Run(NamedTuple):
    """A stretch of text in one font: plain text, never parsed as markup."""

    text: str
    font: str = FONT
    size: float | None = None
    """The cell's size when None."""
    color: Color | None = None
    """The cell's colour when None."""


Look = tuple[str, float, Color]
"""Font, size and colour of a piece of a line."""
Line = list[tuple[str, Look]]
"""What one line draws: strings, each in its look."""

_TOKENS = re.compile(r"\n|[ \t\r\f\v]+|[^ \t\r\f\v\n]+")
"""A line break, a run of spaces (never U+00A0, French typography's no-break space), or text."""
_SPACES = " \t\r\f\v"
_SPACE_RUN = re.compile(r"[ \t\r\f\v]+")


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    """The width of a word: words repeat, so each is measured once."""
    return pdfmetrics.stringWidth(text, font, size)


class TextCell(Flowable):
    """Text in a table cell (or anywhere a Paragraph without markup would do), left-aligned,
    laid out like a Paragraph of the same style: same size, leading and first baseline."""

    def __init__(self, runs: Sequence[Run], style: ParagraphStyle, lines: list[Line] | None = None) -> None:
        """`lines`: the lines of a piece of a split cell, which keeps them whatever the width."""
        super().__init__()
        self.runs = tuple(runs)
        self.font_size = style.fontSize
        self.leading = style.leading
        self.color = style.textColor
        self.shrinkage = style.spaceShrinkage
        self._style = style
        self._lines = lines
        self._fixed = lines is not None
        self._broken_at: float | None = None

    def __repr__(self) -> str:
        return f"TextCell({''.join(run.text for run in self.runs)[:40]!r})"

    def lines(self, width: float) -> list[Line]:
        """The lines at `width`, broken again only when the width changes."""
        if self._lines is None or (not self._fixed and self._broken_at != width):
            self._lines = _break(self.runs, width, self.font_size, self.color, self.shrinkage)
            self._broken_at = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self._lines if self._lines is not None else self.lines(availWidth)  # split at the width wrapped
        fitting = int((availHeight + 1e-6) // self.leading)
        if fitting >= len(lines):
            return [self]
        if fitting <= 0:
            return []
        return [TextCell((), self._style, lines[:fitting]), TextCell((), self._style, lines[fitting:])]

    def draw(self) -> None:
        """One text object, lines a leading apart (PDF's T*). `drawOn` saved the canvas state
        and restores it after, so a colour set here goes no further."""
        canvas = self.canv
        text = canvas.beginText(0, self.height - self.font_size)
        font: tuple[str, float] | None = None
        color = canvas._fillColorObj
        for line in self._lines or ():
            for n, (string, look) in enumerate(line, start=1 - len(line)):
                if look[:2] != font:
                    font = look[:2]
                    text.setFont(font[0], font[1], self.leading)
                if look[2] != color:
                    color = look[2]
                    text.setFillColor(color)
                text._textOut(string, TStar=n == 0)  # textOut would measure every string again
            if not line:
                text._textOut("", TStar=True)
        canvas.drawText(text)


def _break(runs: Sequence[Run], width: float, size: float, color: Color, shrinkage: float) -> list[Line]:
    """Greedy line breaking, as Paragraph does: a word goes on the line if it fits, its spaces
    allowed to shrink by `shrinkage` (reportlab's `spaceShrinkage`), else it starts the next
    one; a word wider than a whole line is cut into lines of its own. A line breaks at spaces
    and line breaks, and may break where one run ends and the next begins."""
    if len(runs) == 1 and "\n" not in runs[0].text:
        run = runs[0]
        flat = _SPACE_RUN.sub(" ", run.text).strip(" ")
        if _width(flat, run.font, run.size or size) <= width:  # one line: most cells
            return [[(flat, (run.font, run.size or size, run.color or color))]] if flat else []
    lines: list[Line] = []
    line: list[tuple[list[str], Look]] = []
    used = spaces = 0.0
    after_space = False
    for run in runs:
        look = (run.font, run.size or size, run.color or color)
        font, font_size = look[0], look[1]
        space = _width(" ", font, font_size)
        for token in _TOKENS.findall(run.text):
            first = token[0]
            if first == "\n":
                lines.append(_joined(line))
                line, used, spaces, after_space = [], 0.0, 0.0, False
                continue
            if first in _SPACES:
                after_space = True
                continue
            word = _width(token, font, font_size)
            gap = space if line and after_space else 0.0
            after_space = False
            if line and used + gap + word > width + shrinkage * (spaces + gap):
                lines.append(_joined(line))
                line, used, spaces, gap = [], 0.0, 0.0, 0.0
            if word > width:
                *whole_lines, token = _cut(token, font, font_size, width)
                lines += [[(chunk, look)] for chunk in whole_lines]
                word = _width(token, font, font_size)
            if line and line[-1][1] is look:
                line[-1][0].append(" " + token if gap else token)
            else:
                line.append(([" " + token if gap else token], look))
            used += gap + word
            spaces += gap
    lines.append(_joined(line))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _joined(line: list[tuple[list[str], Look]]) -> Line:
    return [("".join(strings), look) for strings, look in line]


def _cut(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than a line, cut into pieces that each fill a line (at least one character)."""
    face = pdfmetrics.getFont(font).face
    widths, default, scale = face.charWidths, face.defaultWidth, size / 1000
    pieces: list[str] = []
    start, used = 0, 0.0
    for end, char in enumerate(word):
        char_width = widths.get(ord(char), default) * scale
        if used + char_width > width and end > start:
            pieces.append(word[start:end])
            start, used = end, 0.0
        used += char_width
    pieces.append(word[start:])
    return pieces


def bold(value: str) -> Run:
    return Run(value, FONT_BOLD)


def italic(value: str) -> Run:
    return Run(value, FONT_ITALIC)


def cell(*runs: Run | str, style: str = "small") -> TextCell:
    """A table cell of text, user text included (never read as markup, made printable and set in
    French typography here); a plain string is a run in the regular font; "—" when there is no text."""
    runs = tuple(Run(run) if isinstance(run, str) else run for run in runs)
    printed = [run._replace(text=french_typography(printable(run.text))) for run in runs if run.text]
    return TextCell(printed or [Run("—")], styles()[style])
