"""Journeys through the Textual application, driven with the keyboard as an auditor would."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from rich.text import Text
from textual.widgets import DataTable, Input, Static, Tree

from audit_bench.plugins import hookimpl
from audit_bench.plugins.manager import load_plugins
from audit_bench.services import Workbench
from audit_bench.tui.app import AuditBenchApp
from support import MINI_PLUGIN

TODAY = date(2026, 10, 5)
SIZE = (120, 40)


def essai_referential() -> dict:
    """Three chapters of five requirements; 2.5 does not apply to ACI; texts made for search."""
    topics = {
        "1": ("Accueil", ["livret d'accueil remis", "entretien d'accueil sous huit jours", "visite du chantier",
                          "référent désigné", "Pièce [b]annexe[/b] signée"]),
        "2": ("Accompagnement", ["diagnostic socio-professionnel", "plan d'action individuel",
                                 "bilan à mi-parcours", "suivi des freins périphériques", "mise à disposition suivie"]),
        "3": ("Amélioration", ["réclamations enregistrées", "revue de direction annuelle", "indicateurs suivis",
                               "enquête de satisfaction", "évaluation des fournisseurs"]),
    }
    nodes = []
    for number, (title, texts) in topics.items():
        children = []
        for index, text in enumerate(texts, start=1):
            child = {"id": f"{number}.{index}", "kind": "spécification", "ratable": True,
                     "text": f"La structure assure : {text}."}
            if (number, index) == ("2", 5):
                child["variants"] = {"ACI": {"applicable": False}}
            children.append(child)
        nodes.append({"id": number, "title": title, "kind": "chapitre", "children": children,
                      "intent": f"Intention du chapitre {title}.",
                      "evidence": [{"category": "Documents de référence", "items": [f"Procédure {title}"]}]})
    return {
        "id": "essai", "title": "Référentiel d'essai du parcours", "version": "1.0",
        "metadata": {"issuer": "Équipe audit-bench"},
        "siae_types": [{"id": "AI", "label": "Association intermédiaire"},
                       {"id": "ACI", "label": "Atelier et chantier d'insertion"}],
        "scale": [{"value": "C", "label": "Conforme", "score": 2, "colour": "#2e7d32"},
                  {"value": "P", "label": "Partiel", "score": 1, "colour": "#f9a825"},
                  {"value": "E", "label": "Écart", "score": 0, "colour": "#c62828", "requires_finding": True}],
        "finding_classes": [{"id": "mineur", "label": "Écart mineur", "severity": 1, "requires_action": True},
                            {"id": "observation", "label": "Observation", "severity": 0}],
        "nodes": nodes,
        "glossary": [{"term": "Référent qualité", "definition": "Personne chargée du système qualité."},
                     {"term": "PMSMP", "definition": "Période de mise en situation en milieu professionnel."}],
    }


class FilePlugin:
    """A referential plugin shipping one data file, as a third party would."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def referentials(self) -> list[Path]:
        return [self.path]


def mini_plugin():
    namespace: dict = {}
    exec(compile(MINI_PLUGIN, "audit_bench_mini", "exec"), namespace)
    plugin = type(sys)("audit_bench_mini")
    plugin.__dict__.update(namespace)
    return plugin


def make_workbench(folder: Path, *extra) -> Workbench:
    data = folder / "essai.yaml"
    data.write_text(yaml.safe_dump(essai_referential(), allow_unicode=True), encoding="utf-8")
    registry = load_plugins(extra=[("mini", mini_plugin()), ("essai", FilePlugin(data)), *extra], discover=list)
    return Workbench(folder / "ws", registry=registry)


@pytest.fixture
def workbench_factory(tmp_path: Path):
    return lambda *extra: make_workbench(tmp_path, *extra)


def app_for(workbench: Workbench) -> AuditBenchApp:
    return AuditBenchApp(workbench, today=lambda: TODAY)


def shown(app, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def cursor_requirement(app) -> str:
    return app.screen.query_one("#tree", Tree).cursor_node.data


async def choose(pilot, selector: str, value: str) -> None:
    """Pick a value in a Select with the keyboard: open it, move to the option, confirm."""
    select = pilot.app.screen.query_one(selector)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    values = [option[1] for option in select._options]
    target = values.index(value)
    current = values.index(select.value) if select.value in values else -1
    key = "down" if target > current else "up"
    for _ in range(abs(target - current)):
        await pilot.press(key)
    await pilot.press("enter")
    await pilot.pause()
    assert select.value == value


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(char, char) for char in text])


def test_first_run_offers_the_demo_and_loads_it(workbench_factory):
    asyncio.run(_first_run_offers_the_demo_and_loads_it(workbench_factory))


async def _first_run_offers_the_demo_and_loads_it(workbench_factory):
    workbench = workbench_factory()
    async with app_for(workbench).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Bienvenue" in shown(pilot.app, "#first-run-text")
        assert not pilot.app.screen.query_one("#audits").display
        await pilot.press("d")
        await pilot.pause()
        table = pilot.app.screen.query_one("#audits", DataTable)
        assert table.display and table.row_count == 1
        assert str(table.get_row_at(0)[0]) == "Atelier de démonstration"
        assert not pilot.app.screen.query_one("#first-run").display
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen.title == "Parcours"
        assert "Atelier de démonstration" in shown(pilot.app, "#walk-header")


def test_new_audit_rated_with_single_keys_then_evidence_finding_action_survive_reopening(workbench_factory):
    asyncio.run(_new_audit_rated_with_single_keys_then_evidence_finding_action_survive_reopening(workbench_factory))


async def _new_audit_rated_with_single_keys_then_evidence_finding_action_survive_reopening(workbench_factory):
    workbench = workbench_factory()
    async with app_for(workbench).run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await choose(pilot, "#referential", "essai")
        pilot.app.screen.query_one("#org").focus()
        await type_text(pilot, "Chantier du Val")
        await choose(pilot, "#siae_type", "ACI")
        pilot.app.screen.query_one("#auditors").focus()
        await type_text(pilot, "Claire Martin, Paul Roche")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen.title == "Parcours"
        assert cursor_requirement(pilot.app) == "1.1"

        keys = ["1", "1", "2", "1", "1", "2", "1", "1", "1", "1"]
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        # 2.5 does not apply to ACI: the tenth rating lands on 3.1, and the cursor moved on to 3.2.
        assert cursor_requirement(pilot.app) == "3.2"
        assert "cotées 10/14" in shown(pilot.app, "#walk-header")

        await pilot.press("p")
        await pilot.pause()
        await type_text(pilot, "Registre des réclamations")
        await pilot.press("enter")
        await type_text(pilot, "2026")
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert "Registre des réclamations" in shown(pilot.app, "#detail-text")

        await pilot.press("3")  # Écart: requires a finding, so the app offers to write it now
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen.query_one("#class_").value == "mineur"
        await type_text(pilot, "Indicateurs non suivis")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_text(pilot, "Tableau de bord mensuel")
        await pilot.press("enter")
        await type_text(pilot, "Direction")
        await pilot.press("enter")
        await type_text(pilot, "2026-12-31")
        await pilot.press("enter")
        await pilot.pause()
        assert cursor_requirement(pilot.app) == "3.3"

        await pilot.press("up")
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Aucun tableau de bord")
        await pilot.press("ctrl+q")
        await pilot.pause()

    audit_id = workbench.list_audits()[0].id
    async with app_for(workbench).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "cotées 11/14" in shown(pilot.app, "#walk-header")
        assert "écarts ouverts 1" in shown(pilot.app, "#walk-header")
        pilot.app.screen.select("3.2")
        await pilot.pause()
        detail = shown(pilot.app, "#detail-text")
        assert "Indicateurs non suivis" in detail and "Tableau de bord mensuel (Direction, 2026-12-31)" in detail
        assert pilot.app.screen.query_one("#note", Input).value == "Aucun tableau de bord"
    with workbench.open_audit(audit_id, write=False) as session:
        snapshot = session.snapshot()
    assert [a.rating for a in snapshot.assessments if a.requirement == "3.2"] == ["E"]
    assert [(e.requirement, e.title, e.version) for e in snapshot.evidence] == [
        ("3.2", "Registre des réclamations", "2026")]
    assert snapshot.header.auditors == ["Claire Martin", "Paul Roche"]
    assert [(a.text, a.owner, a.due) for a in snapshot.actions] == [("Tableau de bord mensuel", "Direction",
                                                                      "2026-12-31")]
