"""The wizard's « from the last audit », the previous audit as reference in the walk, evidence
carried over one by one or all at once, and the auditor check, driven with the keyboard."""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList, Static

from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.structures import list_structures
from audit_bench.tui.forms import CarryDialog
from audit_bench.tui.screens.new_audit import NewAuditScreen
from audit_bench.tui.screens.walk import WalkScreen
from test_tui_agenda import certified
from test_tui_journeys import SIZE, TODAY, app_for, choose, rated_audit, shown, type_text


def detail(app) -> str:
    return shown(app, "#detail")


def test_a_new_audit_from_the_last_one_shows_it_as_reference_and_carries_its_evidence(workspace_factory):
    asyncio.run(_from_the_last_audit(workspace_factory))


async def _from_the_last_audit(workspace_factory):
    workspace = workspace_factory()
    previous = rated_audit(workspace)  # « essai », Chantier du Val: 1.2 rated E with an open écart E1
    with open_audit(workspace, previous) as session:
        session.add_evidence("1.1", "Livret d'accueil", "v2026", "Classeur RH")
        session.add_evidence("1.1", "Registre des entrées", "2026")
    async with app_for(workspace).run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await choose(pilot, "#referential", "essai")
        pilot.app.screen.query_one("#org").focus()
        await type_text(pilot, "Chantier du Val")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, NewAuditScreen) and form.query_one("#from").value == previous
        assert "Oui : audit interne du 2026-10-01" in form.query_one("#from").render().plain
        await pilot.press("ctrl+s")
        await pilot.pause()
        walk = pilot.app.screen
        assert isinstance(walk, WalkScreen) and walk.previous is not None
        [created] = [row for row in list_audits(workspace) if row.id != previous]

        walk.select("1.2")
        await pilot.pause()
        text = detail(pilot.app)
        assert "Audit précédent (Audit interne du 2026-10-01)" in text
        assert "Cotation : Écart — Pas d'entretien tracé." in text  # the reference, not the new rating
        assert "Écart ouvert E1 (Écart mineur) : Entretiens d'accueil non tracés" in text
        assert "Cotation : non cotée" in text

        walk.select("1.1")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CarryDialog)
        await pilot.press("enter")  # the first one
        await pilot.pause()
        options = pilot.app.screen.query_one(OptionList)
        assert "✓ reprise" in str(options.get_option_at_index(0).prompt)
        assert "✓ reprise" not in str(options.get_option_at_index(1).prompt)
        await pilot.press("escape")
        await pilot.pause()
        with open_audit(workspace, created.id, write=False) as session:
            [carried] = session.snapshot().evidence
        assert (carried.title, carried.reviewed_on, carried.carried_from) == (
            "Livret d'accueil", TODAY.isoformat(), f"{previous}/P1")
        assert "revue le 2026-10-05" in detail(pilot.app)

        await pilot.press("R")
        await pilot.pause()
        await pilot.press("enter")  # yes, all the others
        await pilot.pause()
        with open_audit(workspace, created.id, write=False) as session:
            assert [e.title for e in session.snapshot().evidence] == ["Livret d'accueil", "Registre des entrées"]

        await pilot.press("v")
        await pilot.pause()
        page = pilot.app.screen.query_one("#page-text", Static).content.plain
        assert "Écarts restés ouverts (1)" in page and "Tracer chaque entretien" in page
        assert "Dans cet audit : non cotée" in page


def test_the_wizard_warns_of_internal_auditors_the_referential_would_refuse(tmp_path):
    asyncio.run(_auditor_warning(tmp_path))


async def _auditor_warning(tmp_path):
    from audit_bench.services.structures import set_person
    from audit_bench.tui.app import AuditBenchApp

    workspace, structure = certified(tmp_path)
    set_person(workspace, structure, "Nadia Benali", "auditeur-interne", "2024-02-01", "Accompagnement")
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await choose(pilot, "#referential", "afaq")
        await choose(pilot, "#kind", "internal")
        form.query_one("#org").focus()
        await type_text(pilot, list_structures(workspace).structures[0].name)
        form.query_one("#auditors").focus()
        await type_text(pilot, "Nadia Benali")
        await pilot.pause()
        assert "champ de l'audit non précisé" in shown(app, "#auditor-check")  # trained in 2024
        form.query_one("#scope").focus()
        await type_text(pilot, "Accompagnement, antenne nord")
        await pilot.pause()
        warning = shown(app, "#auditor-check")
        assert warning.startswith("⚠ AFAQ 6.2 — auditeurs formés à l'audit qualité et au référentiel")
        assert "Nadia Benali exerce l'activité auditée « Accompagnement » : pas indépendant(e)" in warning
        form.query_one("#scope").value = "Direction, siège"
        await pilot.pause()
        assert shown(app, "#auditor-check") == ""  # trained before the audit, not in the audited activity
        form.query_one("#scope").value = "Accompagnement"
        await choose(pilot, "#kind", "surveillance")
        assert shown(app, "#auditor-check") == ""  # only internal audits are checked
