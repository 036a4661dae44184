"""The Synthèse offers the report in Word too: `w` proposes the PDF's place, in .docx."""

from __future__ import annotations

import asyncio

from docx import Document

from test_tui_journeys import SIZE, app_for, rated_audit, shown


def test_w_writes_the_report_for_word_in_the_reports_folder(workspace_factory):
    workspace = workspace_factory()
    rated_audit(workspace)
    asyncio.run(_word_report(workspace))
    report = workspace.path / "rapports" / "chantier-du-val-2026-10-01.docx"
    paragraphs = [p.text for p in Document(report).paragraphs]
    assert paragraphs[:2] == ["Rapport d’audit", "Chantier du Val"]
    assert not report.with_suffix(".pdf").exists()


async def _word_report(workspace) -> None:
    app = app_for(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "s")
        await pilot.pause()
        assert "w : le rapport Word (.docx)" in shown(app, "#summary-text")
        await pilot.press("w", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Rapport écrit" in n.message and n.message.split("\n")[0].endswith(".docx")
                   for n in app._notifications), [n.message for n in app._notifications]
