"""The multi-line field of the forms (a constat, an écart, the référent's text), typed into as an
auditor does: at once, onto text already written."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult

from audit_bench.tui.widgets.text_input import TextBox
from test_tui_journeys import type_text


class BoxApp(App):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextBox(self.text, id="box")


async def _typed_onto(text: str, typed: str) -> tuple[str, bool]:
    app = BoxApp(text)
    async with app.run_test() as pilot:
        await pilot.pause()
        box = app.query_one(TextBox)
        box.focus()
        await type_text(pilot, typed)
        return box.value, box.would_lose_text()


def test_typing_onto_written_text_goes_on_a_line_of_its_own():
    assert asyncio.run(_typed_onto("Délais en baisse.", "Suivi en 2027")) == (
        "Délais en baisse.\nSuivi en 2027", True)
    assert asyncio.run(_typed_onto("Deux lignes\n", "la suite")) == ("Deux lignes\nla suite", True)


def test_a_text_opened_and_left_as_it_was_is_unchanged():
    assert asyncio.run(_typed_onto("Délais en baisse.", "")) == ("Délais en baisse.", False)
    assert asyncio.run(_typed_onto("", "Premier mot")) == ("Premier mot", True)
