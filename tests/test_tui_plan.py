"""The « Plan d'amélioration » area through the Pilot: from the plan, an overdue action is
postponed with its reason, done, verified not effective (the écart stays open), a new action is
added and verified effective (the écart closes); the filters, the écart and its source one key
away; « À surveiller » on the home."""

from __future__ import annotations

import asyncio

from audit_bench.tui.widgets.fixed_table import FixedTable

from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.plan import add_ecart
from audit_bench.services.structures import list_structures
from support import until
from test_tui_journeys import SIZE, app_for, choose, shown, type_text
from test_tui_structures import cells, fill, save


def overdue_audit(workspace) -> str:
    """An audit of `essai` whose one écart has one action, overdue on the tests' today (2026-10-05)."""
    header = create_audit(workspace, "essai", "Chantier du Val", "internal", "ACI", "2026-06-01", ["Claire Martin"])
    with open_audit(workspace, header.id) as session:
        session.rate("1.2", "E", "Pas d'entretien tracé.")
        finding = session.add_finding("1.2", "mineur", "Entretiens d'accueil non tracés")
        session.add_action(finding.id, "Tracer chaque entretien", "Direction", "2026-09-15")
    return header.id


def test_postpone_finish_verify_not_effective_then_a_new_action_closes_the_ecart(workspace_factory):
    asyncio.run(_journey(workspace_factory))


async def _journey(workspace_factory):
    workspace = workspace_factory()
    audit_id = overdue_audit(workspace)
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await until(pilot, lambda: pilot.app.screen.query_one("#watch").display, "the home's « À surveiller »")
        assert "À surveiller : 1 action(s) en retard · 0 à échéance sous 30 jours" in shown(pilot.app, "#watch")
        await pilot.press("p")
        await pilot.pause()
        assert pilot.app.screen.title == "Plan d'amélioration"
        [row] = cells(pilot.app, "#plan")
        assert row[0] == "2026-09-15" and "Tracer chaque entretien" in row[1] and row[4:6] == ["Direction", "À faire"]
        assert "EN RETARD" in shown(pilot.app, "#plan-detail") and "1 en retard" in shown(pilot.app, "#plan-filter")

        await pilot.press("enter")  # the écart, one key away
        await pilot.pause()
        assert pilot.app.screen.query_one("#page-body") is not None
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("d")  # postpone: refused without a reason, then recorded
        await pilot.pause()
        await fill(pilot, "due", "2026-10-20")
        await save(pilot)
        assert "raison" in shown(pilot.app, "#dialog-error")
        await fill(pilot, "reason", "Attente du devis du prestataire")
        await save(pilot)
        assert cells(pilot.app, "#plan")[0][0] == "2026-10-20"
        assert "Reportée 1 fois ; dernier report 2026-09-15 → 2026-10-20 : Attente du devis du prestataire" in \
            shown(pilot.app, "#plan-detail")
        assert "0 en retard" in shown(pilot.app, "#plan-filter")

        await pilot.press("t")  # done
        await pilot.pause()
        await choose(pilot, "#status", "done")
        await save(pilot)
        await pilot.press("v")  # verified: not effective
        await pilot.pause()
        await fill(pilot, "verified_by", "Claire Martin")
        await choose(pilot, "#effective", "no")
        await save(pilot)
        detail = shown(pilot.app, "#plan-detail")
        assert "non efficace" in detail and "Écart E1 ouvert" in detail, detail
        assert cells(pilot.app, "#plan")[0][6] == "non efficace"

        await pilot.press("a")  # a new action on the same écart
        await pilot.pause()
        await type_text(pilot, "Former les encadrants au compte rendu")
        await fill(pilot, "owner", "Claire Martin")
        await fill(pilot, "due", "2026-11-30")
        await save(pilot)
        assert len(cells(pilot.app, "#plan")) == 2
        assert "A2" in shown(pilot.app, "#plan-detail")
        await pilot.press("t")
        await pilot.pause()
        await choose(pilot, "#status", "done")
        await save(pilot)
        await pilot.press("v")
        await pilot.pause()
        await fill(pilot, "verified_by", "Claire Martin")
        await choose(pilot, "#effective", "yes")
        await save(pilot)
        assert cells(pilot.app, "#plan") == [], "a closed écart leaves the actions to follow"
        assert any("Écart E1 clos" in str(n.message) for n in pilot.app._notifications)
        await pilot.press("h")  # the history shows both actions, the écart closed
        await pilot.pause()
        assert [row[1].split(" ")[0] for row in cells(pilot.app, "#plan")] == ["E1→A1", "E1→A2"]
        assert "Écart E1 clos" in shown(pilot.app, "#plan-detail")

        await pilot.press("g")  # the source: the audit's walk, at the écart's requirement
        await pilot.pause()
        assert pilot.app.screen.title == "Parcours"
        await until(pilot, lambda: pilot.app.screen.current == "1.2", "the walk at requirement 1.2")
        assert pilot.app.screen.session.id == audit_id


def test_filters_and_an_ecart_of_another_source_in_the_plan(workspace_factory):
    asyncio.run(_filters(workspace_factory))


async def _filters(workspace_factory):
    workspace = workspace_factory()
    overdue_audit(workspace)
    structure = list_structures(workspace).structures[0].id
    add_ecart(workspace, structure, "reclamation", "Réponse [b]écrite[/b] non envoyée", ref="R-7")
    async with app_for(workspace).run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        rows = cells(pilot.app, "#plan")
        assert len(rows) == 2 and rows[1][1].startswith("⚑ E1 à planifier : Réponse [b]écrite[/")
        await pilot.press("f")
        await pilot.pause()
        await choose(pilot, "#source", "reclamation")
        await save(pilot)
        assert [row[1].split(" ")[1] for row in cells(pilot.app, "#plan")] == ["E1"]
        assert "source Réclamation" in shown(pilot.app, "#plan-filter")
        pilot.app.screen.query_one("#plan", FixedTable).move_cursor(0)
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Répondre par écrit")
        await fill(pilot, "owner", "Accueil")
        await fill(pilot, "due", "2026-10-12")
        await save(pilot)
        [row] = cells(pilot.app, "#plan")
        assert row[:2] == ["2026-10-12", "E1→A1 Répondre par écrit"]
        await pilot.press("f")
        await pilot.pause()
        await fill(pilot, "due_within", "trente")
        await save(pilot)
        assert "Nombre de jours invalide « trente »" in shown(pilot.app, "#dialog-error")
        await fill(pilot, "due_within", "3")
        await save(pilot)
        assert cells(pilot.app, "#plan") == []
        await pilot.press("n")  # a new écart of another source, its refusal shown in place
        await pilot.pause()
        await save(pilot)
        assert "Le texte de l'écart ne peut pas être vide" in shown(pilot.app, "#dialog-error")
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen.title == "Plan d'amélioration"
