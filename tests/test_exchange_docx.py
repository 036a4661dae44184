"""The audit report in Word, read back with python-docx (and LibreOffice, when installed)."""

from __future__ import annotations

import io
import json
import shutil
import stat
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

import audit_bench
from audit_bench.reports.content import ReportContent
from audit_bench.services import Workspace
from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.reporting import build_report, report_input
from audit_bench.services.validation import UserError
from audit_bench.reports.typography import french_typography
from support import run_cli
from test_report import HOSTILE_NOTE, HUGE_WORD, new_audit

TODAY = date(2026, 11, 22)
SAMPLE_TEMPLATE = Path(audit_bench.__file__).parent / "templates" / "modele_rapport.docx"


def word_text(path: Path) -> str:
    """Every paragraph of the document, tables' cells included, one per line."""
    document = Document(path)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def squeezed(value: str) -> str:
    """Text as the report prints it (French typography), without whitespace."""
    return "".join(french_typography(value).replace("\u00a0", " ").split())


@pytest.mark.parametrize("referential", ["cedre", "afaq", "iae_os"])
def test_every_demo_audit_reads_back_whole_from_word(demo_source, referential, tmp_path):
    workspace = Workspace(demo_source)
    rows = [row for row in list_audits(workspace) if row.referential == referential]
    assert rows
    for row in rows:
        output = tmp_path / f"{row.id}.docx"
        with open_audit(workspace, row.id, write=False) as session:
            build_report(workspace, session, output, today=TODAY)
            snapshot, tree = session.snapshot(), session.tree
            content = ReportContent(report_input(workspace, session, TODAY, sections=False))
        assert stat.S_IMODE(output.stat().st_mode) == 0o600
        flat = squeezed(word_text(output))
        for node in tree.applicable_ratable(snapshot.header.siae_type):
            assert squeezed(node.id) in flat
        for assessment in snapshot.assessments:
            assert squeezed(content.rating_label(assessment.rating)) in flat
            assert squeezed(assessment.note) in flat
        for finding in snapshot.findings:
            assert squeezed(content.finding_title(finding)) in flat and squeezed(finding.text) in flat
        for action in snapshot.actions:
            assert squeezed(f"{action.id} — {action.text}") in flat and squeezed(action.owner) in flat
        document = Document(output)
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings[0] == "1. Objectifs, champ et critères de l’audit" and headings[-1].endswith("Signatures")
        checklists = [table for table in document.tables if table.rows[0].cells[0].text == "Exigence"]
        assert checklists and all(table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
                                  for table in checklists)  # repeated on every page
        if referential == "iae_os":
            assert "3. RECAP et RADAR de l’offre de services" in headings
            pictures = [shape for shape in document.inline_shapes]
            assert pictures, "the radar is a picture"
            with zipfile.ZipFile(output) as archive:
                png = [name for name in archive.namelist() if name.startswith("word/media/")]
                assert png and archive.read(png[0]).startswith(b"\x89PNG")


def hostile_audit(workspace: Workspace) -> str:
    """Markup-like text, a 10,000-character word, emoji, and control characters stored by hand."""
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", HOSTILE_NOTE)
        session.rate("1.2", "E", f"{HUGE_WORD} fin")
        finding = session.add_finding("1.2", "mineur", "Écart 🧑🏽‍🔧 signalé {{ structure }} {% if x %}")
        session.add_action(finding.id, "Former l'équipe 😀", "Direction", "2026-12-31")
    path = workspace.path / f"{audit_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["actions"]["1"]["owner"] = "Direction \x1b[2J générale\x07 et \x00 RH"
    data["header"]["1"]["auditors"] = ["Claire \x0b Martin"]
    path.write_text(json.dumps(data), encoding="utf-8")
    return audit_id


def test_a_hostile_audit_makes_a_valid_word_document(workspace, tmp_path):
    audit_id = hostile_audit(workspace)
    output = tmp_path / "hostile.docx"
    with open_audit(workspace, audit_id, write=False) as session:
        build_report(workspace, session, output, today=TODAY)
    text = word_text(output)
    assert "<b>gras</b> & <i>italique</i>" in text
    assert HUGE_WORD in text and "🧑🏽‍🔧" in text and "😀" in text
    assert "{{ structure }} {% if x %}" in text  # user text is never a template
    assert "Direction \ufffd[2J générale\ufffd et \ufffd RH" in text and "Claire \ufffd Martin" in text
    assert "\x1b" not in text and "\x00" not in text
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice absent: the conversion check needs it")
    converted = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                                str(output)], capture_output=True, timeout=180,
                               env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "hostile.pdf"
    assert converted.returncode == 0 and pdf.read_bytes().startswith(b"%PDF"), converted.stderr


def test_the_sample_template_restyles_the_report_and_fills_its_fields(demo_source, tmp_path):
    workspace = Workspace(demo_source)
    row = next(row for row in list_audits(workspace) if row.referential == "iae_os")
    output = tmp_path / "modele.docx"
    with open_audit(workspace, row.id, write=False) as session:
        build_report(workspace, session, output, today=TODAY, template=SAMPLE_TEMPLATE)
        org = session.org
    document = Document(output)
    assert document.paragraphs[0].text == "Rapport d’autodiagnostic" and document.paragraphs[1].text == org
    assert "{{" not in word_text(output)
    assert f"{org} — " in document.sections[0].header.paragraphs[0].text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Objectifs, champ et critères de l’audit"
    assert str(document.styles["Heading 1"].font.color.rgb) == "1F5F3A"  # the template's own style
    assert document.inline_shapes, "the radar is there too"


def template_with(tmp_path: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "modele.docx"
    document.save(path)
    return path


@pytest.mark.parametrize(("paragraphs", "expected"), [
    (["{{ structure }}", "{{ signataire }}", "{{ rapport }}"], "champ inconnu dans le modèle modele.docx : signataire"),
    (["{{ structure }", "{{ rapport }}"], "balise invalide"),
    (["{{ structure.__class__.__mro__ }}"], "modele.docx"),
])
def test_a_template_that_cannot_be_used_is_refused_before_anything_is_written(workspace, tmp_path, paragraphs,
                                                                               expected):
    audit_id = new_audit(workspace)
    template = template_with(tmp_path, *paragraphs)
    output = tmp_path / "rapport.docx"
    with open_audit(workspace, audit_id, write=False) as session:
        with pytest.raises(UserError, match=expected):
            build_report(workspace, session, output, today=TODAY, template=template)
    assert not output.exists()


def test_a_template_without_the_report_field_gets_the_report_after_its_own_content(workspace, tmp_path):
    audit_id = new_audit(workspace)
    template = template_with(tmp_path, "Papier à en-tête de {{ structure }}")
    output = tmp_path / "rapport.docx"
    with open_audit(workspace, audit_id, write=False) as session:
        build_report(workspace, session, output, today=TODAY, template=template)
    paragraphs = [p.text for p in Document(output).paragraphs]
    assert paragraphs[0] == "Papier à en-tête de Chantier «\u00a0Les Jardins\u00a0» — cœur de ville"
    assert "1. Objectifs, champ et critères de l’audit" in paragraphs
    assert "Rapport d’audit" not in paragraphs  # the template's page stands for the cover


def test_report_command_writes_word_and_refuses_a_template_for_a_pdf(cli, tmp_path):
    audit_id = cli("new", "--referential", "mini", "--org", "Atelier", "--siae-type", "ACI", "--kind", "internal",
                   "--date", "2026-11-20").stdout.strip()
    output = tmp_path / "rapport.docx"
    cli("report", audit_id, "-o", str(output))
    assert Document(io.BytesIO(output.read_bytes())).paragraphs[0].text == "Rapport d’audit"
    refused = cli("report", audit_id, "-o", str(tmp_path / "r.pdf"), "--template", str(SAMPLE_TEMPLATE), check=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "--template" in refused.stderr
    assert not (tmp_path / "r.pdf").exists()
    unknown = template_with(tmp_path, "{{ inconnu }}")
    refused = cli("report", audit_id, "-o", str(tmp_path / "t.docx"), "--template", str(unknown), check=False)
    assert refused.returncode == 1 and "inconnu" in refused.stderr and not (tmp_path / "t.docx").exists()
    assert run_cli(None, "report", "--help").stdout.count("--template") == 1
