"""The Revue de direction area driven with the keyboard, on a structure certified AFAQ: prepare
the review of the year, take its participants and decisions in the meeting (an action lands in
the plan at once), jump from the consistency check to what to fix, sign it (then it refuses
edits), write the bilan."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date

import pytest
from rich.console import Console

from audit_bench.services import Workspace
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.complaints import add_complaint, answer_complaint
from audit_bench.services.plan import PlanFilter, read_plan
from audit_bench.services.review import list_reviews, new_review, set_participant, show_review, sign
from audit_bench.services.structures import create_structure, set_certification
from audit_bench.tui.app import AuditBenchApp
from audit_bench.tui.forms import FormDialog
from audit_bench.tui.screens.home import PLUGIN_CHECK_DELAY
from audit_bench.tui.screens.registers import StructureRegistersScreen
from audit_bench.tui.screens.reviews import ReviewScreen, StructureReviewsScreen, proposed_year
from audit_bench.tui.screens.structures import ReviewsScreen
from audit_bench.tui.screens.walk import WalkScreen
from test_tui_journeys import cursor_requirement, shown, type_text

TODAY = date(2027, 1, 20)


def certified(tmp_path) -> tuple[Workspace, str]:
    """A structure certified AFAQ whose closed internal audit of 2026 left an écart without action."""
    workspace = Workspace(tmp_path / "ws")
    structure = create_structure(workspace, "Passerelle [b]Emploi[/b]").id
    set_certification(workspace, structure, "afaq", "AFNOR Certification", "ES-209-17", "2025-03-01", "2028-02-28")
    audit = create_audit(workspace, "afaq", kind="internal", audit_date="2026-04-02", auditors=["Claire"],
                         structure=structure)
    with open_audit(workspace, audit.id) as session:
        session.add_finding("E1.2", "ecart-majeur", "Délai de premier entretien dépassé")
        session.close_audit()
    return workspace, structure


def pack(app) -> str:
    """The pack as the screen prints it."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#pack-text").content)
    return console.export_text()


def words(text: str) -> str:
    """`text` with each run of spaces and line ends one space."""
    return " ".join(text.split())


def test_the_year_proposed_is_the_last_one_until_march():
    assert proposed_year(date(2027, 3, 31)) == 2026
    assert proposed_year(date(2027, 4, 1)) == 2027


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_a_review_held_in_the_meeting(tmp_path, size):
    asyncio.run(_review_journey(tmp_path, size))


async def _review_journey(tmp_path, size):
    workspace, structure = certified(tmp_path)
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(PLUGIN_CHECK_DELAY + 0.2)
        assert "Revue" in shown(app, "#areas")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReviewsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StructureReviewsScreen)
        assert shown(app, "#reviews-of").startswith("Passerelle [b]Emploi[/b]")  # not markup

        # n proposes last year's review in January, and says so
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#year").value == "2026"
        assert "Année proposée : 2026 (de janvier à mars, l'année écoulée)" in shown(app, ".dialog-context")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        ref = f"{structure}/RD1"
        assert [row.year for row in list_reviews(workspace, structure).reviews] == [2026]
        printed = pack(app)
        assert "Aucune réclamation enregistrée en 2026" in printed and "Délai de premier entretien dépassé" in printed

        # p: a participant, typed fast
        await pilot.press("p")
        await type_text(pilot, "Anne Durand")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert [(p.name, p.role) for p in show_review(workspace, ref, TODAY).participants] == \
            [("Anne Durand", "president")]

        # Entrée on a missing participant opens the participant form for that role
        table = app.screen.query_one("#check")
        points = list(table.shown.values())
        table.focus()
        await pilot.press(*["down"] * next(i for i, p in enumerate(points) if p.kind == "missing-participant"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog) and app.screen.query_one("#role").value == "direction"
        await type_text(pilot, "Marc Petit")
        await pilot.press("ctrl+s")
        await pilot.pause()

        # Entrée on the écart without action opens the audit's walk at its requirement
        table = app.screen.query_one("#check")
        points = list(table.shown.values())
        table.focus()
        table.move_cursor(next(i for i, p in enumerate(points) if p.kind == "ecart-without-action"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen) and cursor_requirement(app) == "E1.2"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)

        # d: an action decided lands in the plan at once, with its owner and due date
        await pilot.press("d")
        await pilot.pause()
        assert "entre au plan d'amélioration dès l'enregistrement" in shown(app, ".dialog-context")
        assert app.screen.query_one("#kind").value == "action"
        await type_text(pilot, "Former l'équipe au délai d'entretien")  # the text has the focus at once
        await pilot.press("tab")
        await type_text(pilot, "Direction")
        await pilot.press("tab")
        await type_text(pilot, "30/06/2027")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        planned = read_plan(workspace, PlanFilter(structure=structure, source="revue"), TODAY).actions
        assert [(a["text"], a["owner"], a["due"]) for a in planned] == \
            [("Former l'équipe au délai d'entretien", "Direction", "2027-06-30")]
        assert "→ action" in pack(app)

        # s: the confirmation says it freezes the pack; then the review refuses edits
        await pilot.press("s")
        await type_text(pilot, "Anne Durand")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "fige le bilan" in str(app.screen.query_one("Static").content)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert show_review(workspace, ref, TODAY).state == "signed"
        assert "signée par Anne Durand, réunion du 2027-01-20" in shown(app, "#review-header")
        for key in ("p", "d", "s"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen), key
        assert len(show_review(workspace, ref, TODAY).decisions) == 1

        # r: the bilan, where proposed
        await pilot.press("r")
        await pilot.pause()
        proposed = workspace.path / "rapports" / f"bilan-{structure}-2026.pdf"
        assert app.screen.query_one("#path").value == str(proposed)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert proposed.read_bytes().startswith(b"%PDF")


def test_the_referents_texts_a_participant_removed_and_a_new_version_of_the_signed_review(tmp_path):
    asyncio.run(_texts_journey(tmp_path))


async def _texts_journey(tmp_path):
    workspace, structure = certified(tmp_path)
    ref = f"{structure}/{new_review(workspace, structure, 2026).id}"
    for name, role in [("Anne Durand", "president"), ("Marc Petit", "direction")]:
        set_participant(workspace, ref, name, role)
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(PLUGIN_CHECK_DELAY + 0.2)
        await pilot.press("v", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        keys = shown(app, "KeyBar")
        assert "c Texte" in keys and "x Retirer" in keys and "Nouvelle version" not in keys  # a draft has no version
        assert "Les propositions d'amélioration [AFAQ 6.7] À compléter par le référent qualité (c : écrire son " \
               "texte)" in words(pack(app))

        # Entrée on an input to complete opens its text, typed fast over two lines, saved with ctrl+s
        table = app.screen.query_one("#check")
        points = list(table.shown.values())
        table.focus()
        table.move_cursor(next(i for i, p in enumerate(points) if p.ref == f"{ref}/afaq:propositions"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog) and "AFAQ 6.7 — Les propositions" in shown(app, ".dialog-context")
        await type_text(pilot, "Deux propositions [b]accueil[/b]")
        await pilot.press("enter")
        await type_text(pilot, "et une du conseil")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        propositions = next(s for s in show_review(workspace, ref, TODAY).inputs if s.input == "propositions")
        assert propositions.comment == "Deux propositions [b]accueil[/b]\net une du conseil"
        assert "✎ Analyse du référent qualité : Deux propositions [b]accueil[/b] et une du conseil" in words(pack(app))
        assert f"{ref}/afaq:propositions" not in {p.ref for p in app.screen.query_one("#check").shown.values()}

        # c proposes the input still to complete; Entrée writes its text
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#input").value == "afaq:sous-traitance"
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Bilan fait en mars")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [s.comment for s in show_review(workspace, ref, TODAY).inputs if s.input == "sous-traitance"] == [
            "Bilan fait en mars"]

        # x: which participant, then Entrée removes and Échap keeps
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Retirer Marc Petit (Direction) de la revue ?" in str(app.screen.query_one("Static").content)
        await pilot.press("escape")
        await pilot.pause()
        assert len(show_review(workspace, ref, TODAY).participants) == 2
        await pilot.press("x", "down", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [p.name for p in show_review(workspace, ref, TODAY).participants] == ["Anne Durand"]

        # signed: the texts are refused, n makes a new version that starts from its texts
        sign(workspace, ref, "Anne Durand", today=TODAY)
        await pilot.press("f5")
        await pilot.pause()
        assert shown(app, "KeyBar").startswith("n Nouvelle version")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and ref in app.screen.ref
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = app.screen.body.plain
        assert all(words in help_text for words in ("Nouvelle version", "Texte", "Retirer"))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert "Préparer une nouvelle version de la revue RD1 ?" in str(app.screen.query_one("Static").content)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.ref == f"{structure}/RD2"
        assert "nouvelle version de RD1" in shown(app, "#review-header")
        draft = show_review(workspace, f"{structure}/RD2", TODAY)
        assert (draft.state, draft.supersedes, [p.name for p in draft.participants]) == ("draft", "RD1", ["Anne Durand"])
        assert {s.input: s.comment for s in draft.inputs}["sous-traitance"] == "Bilan fait en mars"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StructureReviewsScreen)


def test_a_damaged_review_is_listed_illisible_and_says_why(tmp_path):
    asyncio.run(_damaged_journey(tmp_path))


async def _damaged_journey(tmp_path):
    workspace, structure = certified(tmp_path)
    for year in (2025, 2026):
        new_review(workspace, structure, year)
    path = workspace.path / "structures" / f"{structure}.json"
    document = json.loads(path.read_bytes())
    document["reviews"]["1"]["id"] = "RD1/../x"
    document["reviews"]["3"] = 42
    path.write_text(json.dumps(document), encoding="utf-8")
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(PLUGIN_CHECK_DELAY + 0.2)
        await pilot.press("v", "enter")
        await pilot.pause()
        table = app.screen.query_one("#reviews")
        assert [[c.plain for c in table.get_row_at(i)[:3]] for i in range(3)] == [
            ["RD2", "2026", "en préparation"], ["RD1/../x", "—", "illisible"], ["?", "—", "illisible"]]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StructureReviewsScreen)
        assert any("document 1 de la table « reviews »" in str(n.message) for n in app._notifications)
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


def test_entrée_on_an_unanswered_complaint_of_the_check_opens_the_register_at_it(tmp_path):
    asyncio.run(_complaint_point_journey(tmp_path))


async def _complaint_point_journey(tmp_path):
    workspace, structure = certified(tmp_path)
    add_complaint(workspace, structure, "2026-03-02", "courrier", "client", "Facture erronée", today=TODAY)
    answer_complaint(workspace, structure, "R1", "solution", "2026-03-03", text="Avoir émis", today=TODAY)
    add_complaint(workspace, structure, "2026-05-04", "orale", "client", "Accueil brusque", today=TODAY)
    ref = f"{structure}/{new_review(workspace, structure, 2026).id}"
    app = AuditBenchApp(workspace, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(PLUGIN_CHECK_DELAY + 0.2)
        await pilot.press("v", "enter", "enter")
        await pilot.pause()
        table = app.screen.query_one("#check")
        points = list(table.shown.values())
        table.focus()
        table.move_cursor(next(i for i, p in enumerate(points) if p.ref == f"{structure}/R2"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StructureRegistersScreen), ref
        assert app.focused.id == "complaints" and app.focused.keys[app.focused.cursor_row] == "R2"
