"""The tables of the Accueil and the structures: a screenful drawn whatever the number of rows."""

from __future__ import annotations

import asyncio

from textual.app import App

from audit_bench.tui.widgets.fixed_table import FixedTable

ROWS = 5000


class OneTable(App):
    def __init__(self) -> None:
        super().__init__()
        self.drawn: list[int] = []
        self.selected: list[str] = []

    def compose(self):
        yield FixedTable(id="table", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(FixedTable)
        table.set_columns([("Audit", 20), ("Avancement", 10)])
        table.set_rows([(f"audit-{n}", n) for n in range(ROWS)], self.cells)
        table.focus()

    def cells(self, n: int) -> list[str]:
        self.drawn.append(n)
        return [f"Audit n° {n}", f"{n % 100} %"]

    def on_fixed_table_row_selected(self, event: FixedTable.RowSelected) -> None:
        self.selected.append(event.key)


def test_a_table_of_5000_rows_draws_only_the_rows_on_screen_and_answers_keys_and_clicks():
    asyncio.run(_table_of_5000_rows())


async def _table_of_5000_rows():
    app = OneTable()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert set(app.drawn) == set(range(19)), "the header and 19 rows fill the screen"
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.selected == [f"audit-{ROWS - 1}"]
        assert max(app.drawn) == ROWS - 1 and len(set(app.drawn)) < 40
        table = app.query_one(FixedTable)
        await pilot.press("home", "down", "down", "enter")
        await pilot.pause()
        assert table.cursor_row == 2 and app.selected[-1] == "audit-2"
        await pilot.click(FixedTable, offset=(2, 5))  # the header, then rows 0 to 3: the fifth row
        await pilot.pause()
        assert table.cursor_row == 4 and app.selected[-1] == "audit-2", "a first click moves the cursor"
        await pilot.click(FixedTable, offset=(2, 5))
        await pilot.pause()
        assert app.selected[-1] == "audit-4", "a click on the cursor's row opens it"
        await pilot.press("up", "up")
        table.set_rows([(f"audit-{n}", n + 1 if n == 2 else n) for n in range(ROWS)], app.cells)
        await pilot.pause()
        assert table.cursor_row == 2, "a row changed in place keeps the cursor"
        assert str(table.get_row_at(2)[0]) == "Audit n° 3"
