"""A table of one-line rows under columns of fixed widths, drawn a screenful at a time."""

from __future__ import annotations

from typing import Callable, Hashable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PADDING = 1
"""Blank cells on each side of a column, as a DataTable's cell padding."""


class FixedTable(ScrollView, can_focus=True):
    """The rows are values, and a function gives each row's cells: only the rows on screen are
    ever drawn, so a table costs the same at 5 rows and at 5,000 (a DataTable adds and measures
    every row, and draws its screenful again after each batch of rows it adds). A row whose value
    changes is drawn again, in place; the cursor stays."""

    DEFAULT_CSS = """
FixedTable {
    background: $surface;
    color: $foreground;
    height: auto;
    max-height: 100%;
    overflow-x: hidden;
    &:focus {
        background-tint: $foreground 5%;
        & > .fixed-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .fixed-table--header {
            background-tint: $foreground 5%;
        }
    }
    &:dark > .fixed-table--even-row {
        background: $surface-darken-1 40%;
    }
    & > .fixed-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    & > .fixed-table--even-row {
        background: $surface-lighten-1 50%;
    }
    & > .fixed-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
}
"""

    COMPONENT_CLASSES = {"fixed-table--header", "fixed-table--even-row", "fixed-table--cursor"}

    BINDINGS = [
        Binding("enter", "select", "Ouvrir", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "move_to(0)", show=False),
        Binding("end", "move_to(-1)", show=False),
    ]

    cursor_row = reactive(0, repaint=False)

    class RowSelected(Message):
        """Entrée, or a click, on a row."""

        def __init__(self, table: FixedTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

    class RowHighlighted(Message):
        """The cursor moved to another row (a screen showing the row's detail follows it)."""

        def __init__(self, table: FixedTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, *, zebra_stripes: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zebra_stripes = zebra_stripes
        self.columns: list[tuple[str, int]] = []
        self.shown: dict[str, Hashable] = {}
        """The value behind each row, by key, in order."""
        self.keys: list[str] = []
        self.cells: Callable[[Hashable], list] = lambda value: []
        self.texts: dict[str, Text] = {}
        """Each row drawn so far, as one line of text (dropped when its value changes)."""
        self.paint_style = Style()
        """The table's own style for the lines being drawn (see render_lines)."""

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def width(self) -> int:
        return sum(width + 2 * PADDING for _, width in self.columns)

    def set_columns(self, columns: list[tuple[str, int]]) -> None:
        """Lay out the columns (label, width); the rows are drawn again under them."""
        if columns != self.columns:
            self.columns = columns
            self.texts = {}
            self.refresh()

    def set_rows(self, rows: Sequence[tuple[str, Hashable]], cells: Callable[[Hashable], list]) -> None:
        """Show `rows` (key, value): only the rows whose value changed are drawn again; when the
        keys are not those shown, in order, the cursor goes back to the first row."""
        keys = [key for key, _ in rows]
        if keys != self.keys:
            self.cursor_row = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        for key, value in rows:
            if key not in self.shown or self.shown[key] != value:
                self.texts.pop(key, None)
        self.shown = dict(rows)
        self.keys = keys
        self.cells = cells
        self.cursor_row = min(self.cursor_row, max(0, len(keys) - 1))
        self.virtual_size = Size(self.width, len(keys) + 1)
        self.refresh()

    def fit(self, most: int) -> None:
        """As high as its header and rows, up to `most` rows (more scroll)."""
        self.styles.height = 1 + max(1, min(self.row_count, most))

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at `index`, as shown."""
        return [cell if isinstance(cell, Text) else Text(str(cell)) for cell in self.cells(self.shown[self.keys[index]])]

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, previous: int, row: int) -> None:
        top, height = self.scroll_offset.y, self.scrollable_content_region.height - 1
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif height > 0 and row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)
        for index in (previous, row):
            self.refresh_row(index)
        if row != previous:
            self.post_message(self.RowHighlighted(self, row))

    def action_move(self, rows: int) -> None:
        self.move_cursor(self.cursor_row + rows)

    def action_page(self, pages: int) -> None:
        self.move_cursor(self.cursor_row + pages * max(1, self.scrollable_content_region.height - 1))

    def action_move_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else self.row_count - 1)

    def action_select(self) -> None:
        if self.keys:
            self.post_message(self.RowSelected(self, self.keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on a row; a click on the cursor's row opens it."""
        row = self.scroll_offset.y + event.y - 1
        if event.y >= 1 and 0 <= row < self.row_count:
            if row == self.cursor_row:
                self.action_select()
            self.move_cursor(row)

    def refresh_row(self, index: int) -> None:
        """Repaint one row (under the header, which never scrolls)."""
        self.refresh(Region(0, index + 1 - self.scroll_offset.y, self.size.width, 1))

    def render_lines(self, crop: Region) -> list[Strip]:
        """The table's style is read once for all the lines drawn: `rich_style` walks every
        ancestor's styles at each call (a third of the table's drawing time, line by line)."""
        self.paint_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self.strip(self.line([label for label, _ in self.columns]), "fixed-table--header", width)
        row = self.scroll_offset.y + y - 1
        if row >= self.row_count:
            return Strip.blank(width, self.paint_style)
        key = self.keys[row]
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = self.line(self.cells(self.shown[key]))
        component = "fixed-table--even-row" if self.zebra_stripes and row % 2 == 0 else None
        strip = self.strip(text, component, width)
        if row == self.cursor_row:
            cursor = self.get_component_rich_style("fixed-table--cursor")
            strip = Strip(Segment.apply_style(strip, post_style=cursor), strip.cell_length)
        return strip

    def strip(self, text: Text, component: str | None, width: int) -> Strip:
        style = self.paint_style + (self.get_component_rich_style(component) if component else Style())
        segments = Segment.apply_style(text.render(self.app.console), style)
        return Strip(segments).crop_extend(0, width, style)

    def line(self, cells: list) -> Text:
        """One row's cells in their columns, each cut to its width with a « … »."""
        line = Text(no_wrap=True, end="")
        for cell, (_, width) in zip(cells, self.columns):
            part = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            part.truncate(width, overflow="ellipsis", pad=True)
            line.append(" " * PADDING)
            line.append_text(part)
            line.append(" " * PADDING)
        return line
