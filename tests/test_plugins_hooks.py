"""Hooks run through pluggy: firstresult stops at the first answer, wrappers wrap, a plugin that
raises or misspells a hook is reported once and left out while the others keep answering."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from pypdf import PdfReader

from audit_bench.model import SectionScore
from audit_bench.plugins import hookimpl
from audit_bench.plugins.manager import load_plugins
from audit_bench.services import Workspace
from audit_bench.services.reporting import build_report, plugin_contributions
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.demo import load_demo
from support import MINI_YAML, mini_plugin, write_distribution


def make_workspace(folder: Path, *plugins: tuple[str, object]) -> Workspace:
    """The tests' referential plus `plugins`, registered in that order (pluggy calls the last first)."""
    return Workspace(folder / "ws", registry=load_plugins(extra=[("mini", mini_plugin()), *plugins],
                                                          discover=list))


def new_audit(workspace: Workspace) -> str:
    return create_audit(workspace, "mini", "Atelier du Port", "internal", siae_type="ACI",
                                  audit_date="2026-11-20").id


def pdf_words(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def scorer(name: str, answer: list[SectionScore] | None, asked: list[str]) -> SimpleNamespace:
    @hookimpl
    def score(tree, audit):
        asked.append(name)
        return answer
    return SimpleNamespace(score=score)


def raising_scorer(asked: list[str]) -> SimpleNamespace:
    @hookimpl
    def score(tree, audit):
        asked.append("panne")
        raise RuntimeError("barème introuvable")
    return SimpleNamespace(score=score)


def section_plugin(title: str) -> SimpleNamespace:
    from reportlab.platypus import Paragraph

    from audit_bench.reports import ReportSection
    from audit_bench.reports.styles import styles, text

    @hookimpl
    def report_sections(tree, audit, history):
        return [ReportSection(title, [Paragraph(text(f"Contenu de « {title} »"), styles()["body"])])]
    return SimpleNamespace(report_sections=report_sections)


def raising_section_plugin() -> SimpleNamespace:
    @hookimpl
    def report_sections(tree, audit, history):
        raise RuntimeError("radar indisponible")
    return SimpleNamespace(report_sections=report_sections)


def summary_wrapper() -> SimpleNamespace:
    """Wraps the other plugins' sections and adds one that counts them."""
    from audit_bench.reports import ReportSection

    @hookimpl(wrapper=True)
    def report_sections(tree, audit, history):
        groups = yield
        titles = [section.title for group in groups for section in group]
        return [*groups, [ReportSection(f"Sommaire du réseau : {len(titles)} section(s) avant moi", [])]]
    return SimpleNamespace(report_sections=report_sections)


def test_hook_score_stops_at_first_non_none_result(tmp_path):
    asked: list[str] = []
    network = [SectionScore(section="1", title="Accueil selon le réseau", score=7, max=8, percent=87.5)]
    never = [SectionScore(section="1", title="Jamais demandé", score=0, max=8, percent=0)]
    workspace = make_workspace(tmp_path, ("tardif", scorer("tardif", never, asked)),
                               ("reseau", scorer("reseau", network, asked)),
                               ("muet", scorer("muet", None, asked)), ("panne", raising_scorer(asked)))
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C")
        assert session.scores() == network
    # the raising plugin is reported and skipped, the silent one passes, the one after the answer is never asked
    assert asked == ["panne", "muet", "reseau"]
    assert [(e.plugin, e.error) for e in workspace.plugin_errors()] == [
        ("panne", "score: RuntimeError: barème introuvable")]


def test_hook_score_without_answer_falls_back_to_generic_scores(tmp_path):
    asked: list[str] = []
    workspace = make_workspace(tmp_path, ("muet", scorer("muet", None, asked)))
    with open_audit(workspace, new_audit(workspace)) as session:
        session.rate("1.1", "C")
        scores = session.scores()
    assert asked == ["muet"]
    first = next(s for s in scores if s.section == "1")
    assert (first.score, first.rated) == (2, 1)


def test_hook_report_sections_wrapper_sees_and_extends_the_other_sections(tmp_path):
    workspace = make_workspace(tmp_path, ("reseau", section_plugin("Tableau de bord du réseau")),
                               ("sommaire", summary_wrapper()))
    with open_audit(workspace, new_audit(workspace)) as session:
        contributions = plugin_contributions(workspace, session)
        output = tmp_path / "rapport.pdf"
        warnings = build_report(workspace, session, output)
    assert [(c.plugin, c.section.title, c.error) for c in contributions] == [
        ("reseau", "Tableau de bord du réseau", None),
        ("sommaire", "Sommaire du réseau : 1 section(s) avant moi", None)]
    words = pdf_words(output)
    assert "Tableau de bord du réseau" in words and "Sommaire du réseau : 1 section(s) avant moi" in words
    assert not [w for w in warnings if "manquante" in w]


def test_hook_report_sections_failing_wrapper_leaves_the_sections_as_they_were(tmp_path):
    @hookimpl(wrapper=True)
    def report_sections(tree, audit, history):
        yield
        raise ValueError("sommaire cassé")

    workspace = make_workspace(tmp_path, ("reseau", section_plugin("Tableau de bord du réseau")),
                               ("sommaire", SimpleNamespace(report_sections=report_sections)))
    with open_audit(workspace, new_audit(workspace)) as session:
        contributions = plugin_contributions(workspace, session)
    assert [(c.plugin, c.section.title if c.section else None, c.error) for c in contributions] == [
        ("sommaire", None, "report_sections: ValueError: sommaire cassé"),
        ("reseau", "Tableau de bord du réseau", None)]


def test_hook_report_sections_raising_plugin_is_reported_once_over_three_reports(tmp_path):
    workspace = make_workspace(tmp_path, ("reseau", section_plugin("Tableau de bord du réseau")),
                               ("radar", raising_section_plugin()))
    audit_id = new_audit(workspace)
    for attempt in range(3):
        with open_audit(workspace, audit_id, write=False) as session:
            output = tmp_path / f"rapport-{attempt}.pdf"
            warnings = build_report(workspace, session, output)
        assert [w for w in warnings if "radar" in w] == [
            "section du module « radar » manquante dans le rapport : report_sections: RuntimeError: radar indisponible"]
        assert "Tableau de bord du réseau" in pdf_words(output)
    assert [(e.plugin, e.error) for e in workspace.plugin_errors()] == [
        ("radar", "report_sections: RuntimeError: radar indisponible")]


def test_hook_demo_audits_failing_plugin_does_not_stop_the_demo(tmp_path):
    @hookimpl
    def demo_audits():
        raise RuntimeError("démo illisible")

    workspace = make_workspace(tmp_path, ("panne", SimpleNamespace(demo_audits=demo_audits)))
    created = load_demo(workspace)
    assert [row.org for row in list_audits(workspace) if row.id in created] == ["Atelier de démonstration"]
    assert [(e.plugin, e.error) for e in workspace.plugin_errors()] == [
        ("panne", "demo_audits: RuntimeError: démo illisible")]


def test_hook_demo_years_failing_plugin_leaves_the_demo_audits(tmp_path):
    @hookimpl
    def demo_years():
        raise RuntimeError("année illisible")

    workspace = make_workspace(tmp_path, ("panne", SimpleNamespace(demo_years=demo_years)))
    created = load_demo(workspace)
    assert [row.org for row in list_audits(workspace) if row.id in created] == ["Atelier de démonstration"]
    assert [(e.plugin, e.error) for e in workspace.plugin_errors()] == [
        ("panne", "demo_years: RuntimeError: année illisible")]


def _misspelt_plugin(hook_line: str) -> str:
    """A plugin with a real `referentials` hook and a second hook whose name is misspelt."""
    return (f"from pathlib import Path\nfrom audit_bench.plugins import hookimpl\n"
            f"@hookimpl\ndef referentials():\n    return [Path({str(MINI_YAML)!r})]\n"
            f"@hookimpl\n{hook_line}\n    return None\n")


def test_misspelt_hook_is_that_plugins_error_and_the_others_keep_working(cli, plugin_site):
    write_distribution(plugin_site, "audit_bench_faute", "audit_bench_faute",
                       _misspelt_plugin("def report_section(tree, audit, history):"), "faute")
    document = json.loads(cli("referentials", "--json").stdout)
    errors = [(e["plugin"], e["error"]) for e in document["errors"]]
    assert len(errors) == 1 and errors[0][0] == "faute"
    assert "crochet inconnu « report_section »" in errors[0][1] and "report_sections" in errors[0][1]
    # left out entirely: its valid `referentials` hook is not called either (no "déjà fourni" clash)
    assert [r["plugin"] for r in document["referentials"] if r["id"] == "mini"] == ["mini"]
    created = cli("new", "--referential", "mini", "--org", "X", "--siae-type", "AI", "--kind", "internal")
    assert created.returncode == 0


def test_misspelt_hook_given_directly_is_unregistered(tmp_path):
    @hookimpl
    def referential():
        return [MINI_YAML]

    workspace = make_workspace(tmp_path, ("faute", SimpleNamespace(referential=referential)))
    assert [t.id for t in workspace.referentials()] == ["mini"]
    assert [e.plugin for e in workspace.plugin_errors()] == ["faute"]
    assert "« referential »" in workspace.plugin_errors()[0].error
    assert "faute" not in [name for name, _ in workspace.registry.manager.list_name_plugin()]


def test_plugin_refused_by_pluggy_is_listed_and_none_of_its_hooks_run(tmp_path):
    @hookimpl
    def referentials():
        return [MINI_YAML]

    @hookimpl
    def score(tree, audti):
        return []

    workspace = make_workspace(tmp_path, ("refuse", SimpleNamespace(referentials=referentials, score=score)))
    assert [(r.id, workspace.plugin_of(r.id)) for r in workspace.referentials()] == [("mini", "mini")]
    errors = workspace.plugin_errors()
    assert [e.plugin for e in errors] == ["refuse"] and "audti" in errors[0].error
    assert errors[0].error.startswith("enregistrement: ")
