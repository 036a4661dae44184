"""A reportlab Drawing (the IAE OS radar, a plugin's chart) as a PNG picture, for the Word report.

reportlab 5 draws bitmaps only through its `rlPyCairo` backend, which needs pycairo, and pycairo
ships no wheel for Linux (it compiles against the system's cairo): not something an offline
install can count on. Pillow is already there (reportlab depends on it), so this renderer walks
the drawing with reportlab's own `Renderer` (groups, transforms, widgets such as SpiderChart) and
paints each shape with Pillow, at three times the size, then averages each 3 × 3 block for
smooth edges.
Lines, polygons, rectangles, circles, ellipses, paths (filled) and strings in the shipped fonts
are drawn; rounded corners and rotated text are drawn square and upright.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.renderbase import Renderer, getStateDelta
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics

from audit_bench.reports.styles import font_path, register_fonts

DPI = 150
SUPERSAMPLE = 3

Point = tuple[float, float]


def drawing_png(drawing: Drawing, dpi: int = DPI) -> bytes:
    """The drawing as PNG bytes, on white, `dpi` pixels per inch."""
    register_fonts()
    scale = dpi / 72 * SUPERSAMPLE
    size = (max(1, math.ceil(drawing.width * scale)), max(1, math.ceil(drawing.height * scale)))
    image = Image.new("RGB", size, (255, 255, 255))  # an "RGBA" pen on an RGB image blends
    _PillowRenderer(ImageDraw.Draw(image, "RGBA"), scale, drawing.height).draw(drawing, _Canvas())
    buffer = io.BytesIO()
    image.reduce(SUPERSAMPLE).save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _font(name: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), max(1, pixels))


def _rgba(colour: Any, opacity: float | None) -> tuple[int, int, int, int] | None:
    if not isinstance(colour, Color):
        return None
    alpha = colour.alpha if opacity is None else opacity * colour.alpha
    return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255), round(alpha * 255))


def _dashed(points: list[Point], pattern: list[float]) -> list[list[Point]]:
    """The pieces of a polyline that a dash pattern (lengths in pixels: on, off, on…) draws."""
    pieces: list[list[Point]] = []
    index, left, drawing = 0, pattern[0], True
    current: list[Point] = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while length - done > left:
            done += left
            point = (x0 + (x1 - x0) * done / length, y0 + (y1 - y0) * done / length)
            if drawing:
                current.append(point)
                pieces.append(current)
            current = [point]
            index = (index + 1) % len(pattern)
            left, drawing = pattern[index], not drawing
        left -= length - done
        if drawing:
            current.append((x1, y1))
    if drawing and len(current) > 1:
        pieces.append(current)
    return pieces


class _Canvas:
    """What `Renderer.draw` expects of a canvas beyond the renderer's own methods: nothing to save."""

    def saveState(self) -> None:  # noqa: N802 (reportlab's protocol)
        pass

    def restoreState(self) -> None:  # noqa: N802
        pass


class _PillowRenderer(Renderer):
    """reportlab's renderer protocol, drawing into a Pillow image (y axis flipped)."""

    def __init__(self, canvas: ImageDraw.ImageDraw, scale: float, height: float) -> None:
        self.canvas = canvas
        self.scale = scale
        self.height = height

    def drawNode(self, node: Any) -> None:  # noqa: N802 (reportlab's protocol)
        self._tracker.push(getStateDelta(node))
        self.drawNodeDispatcher(node)
        self._tracker.pop()

    def applyStateChanges(self, delta: dict, newState: dict) -> None:  # noqa: N802
        """Nothing to set ahead: each shape reads the state it is drawn in."""

    # geometry and state

    def state(self, key: str) -> Any:
        return self._tracker.getState()[key]

    def pixels(self, points: list[Point]) -> list[Point]:
        a, b, c, d, e, f = self._tracker.getCTM()
        return [((a * x + c * y + e) * self.scale, (self.height - (b * x + d * y + f)) * self.scale)
                for x, y in points]

    def line_width(self) -> float:
        a, b, c, d, _, _ = self._tracker.getCTM()
        return max(1.0, (self.state("strokeWidth") or 0) * math.sqrt(abs(a * d - b * c)) * self.scale)

    def stroke(self, points: list[Point], closed: bool = False) -> None:
        colour = _rgba(self.state("strokeColor"), self.state("strokeOpacity"))
        if colour is None or not self.state("strokeWidth") or len(points) < 2:
            return
        if closed:
            points = [*points, points[0]]
        width = self.line_width()
        dashes = self.state("strokeDashArray")
        if dashes and isinstance(dashes, (list, tuple)) and all(isinstance(v, (int, float)) and v > 0 for v in dashes):
            unit = width / max(self.state("strokeWidth"), 1e-9)
            pieces = _dashed(points, [v * unit for v in dashes])
        else:
            pieces = [points]
        for piece in pieces:
            self.canvas.line(piece, fill=colour, width=round(width), joint="curve")

    def fill(self, points: list[Point]) -> None:
        colour = _rgba(self.state("fillColor"), self.state("fillOpacity"))
        if colour is not None and len(points) >= 3:
            self.canvas.polygon(points, fill=colour)

    # shapes

    def drawLine(self, line: Any) -> None:  # noqa: N802
        self.stroke(self.pixels([(line.x1, line.y1), (line.x2, line.y2)]))

    def drawRect(self, rect: Any) -> None:  # noqa: N802
        corners = self.pixels([(rect.x, rect.y), (rect.x + rect.width, rect.y),
                               (rect.x + rect.width, rect.y + rect.height), (rect.x, rect.y + rect.height)])
        self.fill(corners)
        self.stroke(corners, closed=True)

    def drawPolygon(self, polygon: Any) -> None:  # noqa: N802
        points = self.pixels(list(zip(polygon.points[::2], polygon.points[1::2])))
        self.fill(points)
        self.stroke(points, closed=True)

    def drawPolyLine(self, polyline: Any) -> None:  # noqa: N802
        self.stroke(self.pixels(list(zip(polyline.points[::2], polyline.points[1::2]))))

    def drawEllipse(self, ellipse: Any) -> None:  # noqa: N802
        self._ellipse(ellipse.cx, ellipse.cy, ellipse.rx, ellipse.ry)

    def drawCircle(self, circle: Any) -> None:  # noqa: N802
        self._ellipse(circle.cx, circle.cy, circle.r, circle.r)

    def _ellipse(self, cx: float, cy: float, rx: float, ry: float) -> None:
        steps = 72
        outline = [(cx + rx * math.cos(2 * math.pi * k / steps), cy + ry * math.sin(2 * math.pi * k / steps))
                   for k in range(steps)]
        points = self.pixels(outline)
        self.fill(points)
        self.stroke(points, closed=True)

    def drawString(self, string: Any) -> None:  # noqa: N802
        colour = _rgba(self.state("fillColor"), self.state("fillOpacity"))
        if colour is None or not string.text:
            return
        name, size = self.state("fontName"), self.state("fontSize")
        width = pdfmetrics.stringWidth(string.text, name, size)
        anchor = self.state("textAnchor")
        shift = {"middle": width / 2, "end": width}.get(anchor, 0)
        (x, y), = self.pixels([(string.x - shift, string.y)])
        a, b, c, d, _, _ = self._tracker.getCTM()
        pixels = round(size * math.sqrt(abs(a * d - b * c)) * self.scale)
        self.canvas.text((x, y), string.text, font=_font(name, pixels), fill=colour, anchor="ls")

    def drawImage(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        """Pictures inside a drawing are left out."""
