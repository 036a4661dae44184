"""The Synthèse holds the auditor's conclusion: written with `n`, the recommendation chosen among
the referential's, required before a certification audit is closed."""

from __future__ import annotations

import asyncio

import yaml
from textual.widgets import Input

from audit_bench.services.audits import create_audit
from test_tui_journeys import FilePlugin, SIZE, app_for, choose, essai_referential, make_workspace, rated_audit
from test_tui_journeys import records, shown, type_text

RECOMMENDATIONS = {"rule": "choix du référentiel d'essai", "kinds": ["initial", "surveillance", "renewal"],
                   "choices": [{"id": "favorable", "label": "Favorable"},
                               {"id": "defavorable", "label": "Défavorable"}]}


def certification_workspace(tmp_path):
    data = {**essai_referential(), "id": "certif", "title": "Référentiel certifiant", "recommendations": RECOMMENDATIONS}
    path = tmp_path / "certif.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return make_workspace(tmp_path, ("certif", FilePlugin(path)))


def test_a_surveillance_audit_is_closed_only_after_its_conclusion_written_in_the_synthesis(tmp_path):
    workspace = certification_workspace(tmp_path)
    audit_id = create_audit(workspace, "certif", "Chantier du Val", "surveillance", "ACI", "2026-10-01",
                            ["Claire Martin"]).id
    asyncio.run(_conclude_then_close(workspace, audit_id))


async def _conclude_then_close(workspace, audit_id: str) -> None:
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("enter", "s")
        await pilot.pause()
        assert "Conclusion de l'auditeur (n : rédiger)\nnon rédigée" in shown(app, "#summary-text")
        await pilot.press("c")  # refused at once, saying why: no question is asked first
        await pilot.pause()
        assert app.screen.title == "Synthèse"
        assert list(app._notifications)[-1].message == (
            "Audit de surveillance : rédiger la conclusion de l'auditeur avant de clore l'audit (touche n).")
        assert records(workspace, audit_id)[0].status == "open"

        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Système vivant; revue à tenir")
        await choose(pilot, "#recommendation", "favorable")
        await pilot.press("ctrl+s")
        await pilot.pause()
        summary = shown(app, "#summary-text")
        assert "Recommandation : Favorable\nSystème vivant; revue à tenir" in summary
        assert "avant de clore" not in summary
        conclusion = records(workspace, audit_id)[0].conclusion
        assert (conclusion.text, conclusion.recommendation) == ("Système vivant; revue à tenir", "favorable")

        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert records(workspace, audit_id)[0].status == "closed"


def test_the_report_is_written_where_the_auditor_types(workspace_factory, tmp_path):
    """A folder typed gets the proposed name; a name without suffix gets the report's."""
    workspace = workspace_factory()
    rated_audit(workspace)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    asyncio.run(_report_where_typed(workspace, [str(elsewhere), str(elsewhere / "version-finale")]))
    assert sorted(p.name for p in elsewhere.iterdir()) == ["chantier-du-val-2026-10-01.pdf", "version-finale.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in elsewhere.iterdir())


async def _report_where_typed(workspace, places: list[str]) -> None:
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("enter", "s")
        await pilot.pause()
        for place in places:
            await pilot.press("r")
            await pilot.pause()
            app.screen.query_one("#path", Input).value = ""
            await type_text(pilot, place)
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
