"""The PDF audit report, read back as a user would: its extracted text, fonts, pages and file."""

from __future__ import annotations

import re
import stat
import types
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit_bench.plugins import hookimpl
from audit_bench.plugins.manager import load_plugins
from audit_bench.services import Workspace
from audit_bench.services.reporting import build_report
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.reports.typography import french_typography
from support import mini_plugin

TODAY = date(2026, 11, 22)


RUNNING_BAND = 45  # points from the top and bottom edges of an A4 page: running header and footer


def pdf_text(path: Path) -> tuple[list[str], str]:
    """Each page's full text, and the body text of the whole report (running header and footer
    left out, so text flowing over a page break reads on) with each run of whitespace one space."""
    pages, body = [], []
    for page in PdfReader(path).pages:
        top = float(page.mediabox.top)

        def keep_body(fragment, cm, tm, font, size):
            y = tm[5] * cm[3] + cm[5]
            if RUNNING_BAND < y < top - RUNNING_BAND:
                body.append(fragment)

        pages.append(page.extract_text(visitor_text=keep_body))
        body.append("\n")
    return pages, " ".join("".join(body).replace("\u00a0", " ").split())


def typeset(value: str) -> str:
    """Text as `pdf_text` reads it back from the report: in French typography, each run of
    whitespace (no-break spaces included) one space."""
    return " ".join(french_typography(value).split())


def squeezed(value: str) -> str:
    """Text as the report prints it (French typography) without any whitespace: wrapped lines and
    split long words compare equal."""
    return re.sub(r"\s+", "", french_typography(value).replace("\u00a0", " "))


def assert_page_numbers(pages: list[str]) -> None:
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {total}" in page, f"page {number} lacks its number"


def new_audit(workspace: Workspace, org: str = "Chantier « Les Jardins » — cœur de ville", siae_type: str = "ACI",
              **extra):
    header = create_audit(workspace, "mini", org, "internal", siae_type=siae_type, audit_date="2026-11-20",
                                    end_date="2026-11-21", auditors=["Claire Martin", "Yves Dupont"],
                                    objectives="Vérifier l'application du référentiel avant l'audit de "
                                               "renouvellement.",
                                    scope="Atelier bois et espaces verts ; 24 salariés en parcours.",
                                    place="Lyon 7e", **extra)
    return header.id


def test_report_holds_the_audit_in_french(workspace, tmp_path):
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", "Livret remis à l’embauche : « Bienvenue » ; coût 1 250 € ; Œuvre commune… "
                                 "ça marche, où, déjà, même")
        session.rate("1.2", "E", "Aucun entretien tracé")
        session.rate("2.2", "na", "Structure créée il y a six mois")
        evidence = session.add_evidence("1.1", "Livret d'accueil", "v3 2026", "Classeur qualité")
        finding = session.add_finding("1.2", "majeur", "Les entretiens d'accueil ne sont pas tracés.")
        first = session.add_action(finding.id, "Créer une fiche d'entretien", "Direction", "2026-12-31")
        second = session.add_action(finding.id, "Former les encadrants à la fiche", "Claire Martin", "2027-01-31")
        session.update_action(first.id, status="done", verified_by="Yves Dupont", effective=True)
        output = tmp_path / "rapport.pdf"
        warnings = build_report(workspace, session, output, today=TODAY)

    pages, whole = pdf_text(output)
    assert_page_numbers(pages)
    assert "Chantier « Les Jardins » — cœur de ville — Référentiel d’essai" in pages[1].replace("\u00a0", " ")  # running header
    for expected in ("Chantier « Les Jardins » — cœur de ville", "Livret remis à l’embauche : « Bienvenue »",
                     "1 250 €", "Œuvre commune… ça marche, où, déjà, même",
                     "du 20 au 21 novembre 2026", "Rapport établi le 22 novembre 2026.",
                     "Atelier et chantier d’insertion (ACI)", "Référentiel d’essai « Qualité & insertion »",
                     "édition 15 janvier 2026", "Claire Martin, Yves Dupont", "Lyon 7e",
                     "Statut de l’audit en cours", "Vérifier l’application du référentiel",
                     "Atelier bois et espaces verts"):
        assert expected in whole, expected
    # the écart with its requirement's text, its constat and both actions with their follow-up
    assert f"{finding.id} · Écart majeur · exigence 1.2" in whole
    assert "Un entretien d’accueil a lieu dans les 8 jours." in whole
    assert "Les entretiens d’accueil ne sont pas tracés." in whole
    for action in (first, second):
        assert squeezed(action.text) in squeezed(whole)
    assert "31 décembre 2026" in whole and "31 janvier 2027" in whole
    assert "efficace, vérifiée par Yves Dupont" in whole
    # the evidence index and the checklist
    assert f"{evidence.id} 1.1 Livret d’accueil v3 2026 Classeur qualité" in whole
    assert "Motif : Structure créée il y a six mois" in whole
    # points not covered: 2.1 was not rated; 1.3 applies to ACI and is not rated either
    not_covered = whole[whole.index("Points non couverts"):]
    assert "1.3 L’encadrant technique présente le chantier le premier jour." in not_covered
    assert "2.1 Les réclamations sont enregistrées et traitées." in not_covered
    assert "Signatures" in whole and "Représentant de la structure" in whole
    assert any("non cotée" in warning for warning in warnings)


def test_structure_type_variant_and_exclusions(workspace, tmp_path):
    audit_id = new_audit(workspace, org="Association Relais", siae_type="AI")
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "E", "Livret non remis aux salariés mis à disposition")
        finding = session.add_finding("1.1", "mineur", "Livret absent pour les MAD.")
        session.add_action(finding.id, "Remettre le livret à chaque mise à disposition", "Accueil", "2027-02-01")
        session.close_audit()
        output = tmp_path / "ai.pdf"
        build_report(workspace, session, output, today=TODAY)
    _, whole = pdf_text(output)
    assert "Exigence (variante AI) : La structure remet un livret d’accueil à chaque salarié mis à disposition." in whole
    assert "Statut de l’audit clos le" in whole
    checklist = whole[whole.index("Liste de contrôle complète"):whole.index("Points non couverts")]
    assert "1.3" not in checklist  # not applicable to an AI: left out of the checklist…
    assert "ne les applique pas au type « Association intermédiaire (AI) » : 1.3" in whole  # …and said so


def test_font_is_embedded_truetype_dejavu(workspace, tmp_path):
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        output = tmp_path / "fonts.pdf"
        build_report(workspace, session, output, today=TODAY)
    embedded = set()
    for page in PdfReader(output).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]).split("+")[-1])
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor:
                    embedded.add(str(descendant.get_object()["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= embedded
    assert all(name.startswith("DejaVuSans") for name in embedded)


HUGE_WORD = "x" * 10_000
HOSTILE_NOTE = ("<b>gras</b> & <i>italique</i> &amp; <font size=40>énorme</font> <br/> ]]> <para>\n"
                "deuxième ligne\r\ntroisième ligne\u2028quatrième\t tabulée 😀 fusée 🚀 codeuse 👩‍💻 fin")


def test_hostile_text_neither_breaks_nor_leaks_markup(workspace, tmp_path):
    audit_id = new_audit(workspace, org="<Structure> & « Cie » 🚀")
    long_note = "\n\n".join(f"Paragraphe {n} : " + " ".join(f"constat{n}_{k}" for k in range(60)) for n in range(40))
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", HOSTILE_NOTE)
        session.rate("1.2", "E", HUGE_WORD)
        session.rate("1.3", "P", long_note)  # several pages in one table cell
        session.add_evidence("1.1", f"<script>{HUGE_WORD[:3000]}</script>", "v1 & v2", "Bureau <A>")
        finding = session.add_finding("1.2", "mineur", f"Écart {HOSTILE_NOTE} {HUGE_WORD}")
        session.add_action(finding.id, "<b>Agir</b> & vérifier 🚀", "Dupont & <fils>", "2026-12-01")
        output = tmp_path / "hostile.pdf"
        build_report(workspace, session, output, today=TODAY)

    pages, whole = pdf_text(output)
    assert_page_numbers(pages)
    flat = squeezed(whole)
    for visible in ("<b>gras</b> & <i>italique</i> &amp; <font size=40>énorme</font> <br/> ]]> <para>",
                    "deuxième ligne", "troisième ligne", "quatrième", "□ fusée □ codeuse □ fin",
                    "<Structure> & « Cie » □", "<b>Agir</b> & vérifier □", "Dupont & <fils>", "Bureau <A>"):
        assert squeezed(visible) in flat, visible
    assert HUGE_WORD in flat  # split over lines and pages, every character kept
    assert set(re.findall(r"constat\d+_\d+", whole)) == {f"constat{n}_{k}" for n in range(40) for k in range(60)}
    assert "🚀" not in whole and "😀" not in whole and "\u200d" not in whole
    for number, page in enumerate(pages, start=1):  # a row taller than a page doubled the header
        assert squeezed(page).count("ExigenceCotationConstat") <= 1, f"page {number}: header twice"
    assert "« Constat détaillé — 1.3 »" in whole  # the checklist cell points to the full constat


def test_emoji_and_unknown_characters_become_one_visible_box():
    from reportlab.pdfbase import pdfmetrics

    from audit_bench.reports.styles import FONT, printable, register_fonts

    register_fonts()
    drawable = pdfmetrics.getFont(FONT).face.charToGlyph
    result = printable("a🚀b👩‍💻c👍🏽d\x07e\u202ff😀g")
    assert result == "a□b□c□de\u00a0f□g"
    assert all(ord(char) in drawable for char in result)


class SectionPlugins:
    """Three report plugins: one that works, one that raises, one whose flowable fails to lay out."""

    @staticmethod
    def good():
        from reportlab.platypus import Paragraph

        from audit_bench.reports import ReportSection
        from audit_bench.reports.styles import styles, text

        @hookimpl
        def report_sections(tree, audit, history):
            return [ReportSection("Tableau de bord du réseau",
                                  [Paragraph(text(f"{len(audit.assessments)} cotations, {len(history)} audit(s) "
                                                  "antérieur(s) « comparés »"), styles()["body"])])]
        return types.SimpleNamespace(report_sections=report_sections)

    @staticmethod
    def raising():
        @hookimpl
        def report_sections(tree, audit, history):
            raise RuntimeError("radar indisponible")
        return types.SimpleNamespace(report_sections=report_sections)

    @staticmethod
    def broken_layout():
        from reportlab.platypus import Flowable

        from audit_bench.reports import ReportSection

        class Exploding(Flowable):
            def wrap(self, width, height):
                raise ValueError("dessin impossible")

        @hookimpl
        def report_sections(tree, audit, history):
            return [ReportSection("Section qui casse", [Exploding()])]
        return types.SimpleNamespace(report_sections=report_sections)


def test_plugin_sections_appear_and_failing_ones_are_reported_missing(tmp_path):
    registry = load_plugins(extra=[("mini", mini_plugin()), ("reseau", SectionPlugins.good()),
                                   ("radar", SectionPlugins.raising()), ("cassant", SectionPlugins.broken_layout())],
                            discover=list)
    workspace = Workspace(tmp_path / "ws", registry=registry)
    earlier = new_audit(workspace)
    with open_audit(workspace, earlier) as session:
        session.rate("1.1", "C")
    later = create_audit(workspace, "mini", "Chantier « Les Jardins » — cœur de ville", "internal", siae_type="ACI",
                                   audit_date="2027-11-20").id
    with open_audit(workspace, later) as session:
        session.rate("1.1", "C", "Toujours remis")
        output = tmp_path / "plugins.pdf"
        warnings = build_report(workspace, session, output, today=TODAY)

    _, whole = pdf_text(output)
    assert "Tableau de bord du réseau" in whole
    assert "1 cotations, 1 audit(s) antérieur(s) « comparés »" in whole
    assert "Section manquante : le module « radar » n’a pas pu produire sa section du rapport." in whole
    assert "RuntimeError : radar indisponible" in whole
    assert "Section manquante : le module « cassant »" in whole and "dessin impossible" in whole
    # the section comes after the summary and before the écarts
    assert whole.index("Synthèse") < whole.index("Tableau de bord du réseau") < whole.index("Écarts et plans d’action")
    assert any("radar" in w and "manquante" in w for w in warnings)
    assert any("cassant" in w for w in warnings)


def test_report_file_is_private_and_replaced_atomically(workspace, tmp_path):
    audit_id = new_audit(workspace)
    output = tmp_path / "out" / "rapport.pdf"
    output.parent.mkdir()
    output.write_bytes(b"ancien rapport")
    with open_audit(workspace, audit_id, write=False) as session:
        build_report(workspace, session, output, today=TODAY, force=True)
    assert output.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert [p.name for p in output.parent.iterdir()] == ["rapport.pdf"]


def test_report_refuses_a_folder_or_missing_folder(workspace, tmp_path):
    from audit_bench.services import UserError

    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        with pytest.raises(UserError, match="dossier"):
            build_report(workspace, session, tmp_path)
        with pytest.raises(UserError, match="introuvable"):
            build_report(workspace, session, tmp_path / "absent" / "r.pdf")


def test_cli_report_writes_the_pdf_and_warns(cli, tmp_path):
    import json

    audit_id = json.loads(cli("new", "--referential", "mini", "--org", "Atelier Test", "--siae-type", "ACI",
                              "--kind", "internal", "--date", "2026-11-20", "--json").stdout)["id"]
    cli("assess", audit_id, "2.1", "E", "--note", "Registre absent")
    output = tmp_path / "cli.pdf"
    result = cli("report", audit_id, "-o", str(output))
    assert result.stdout.strip() == str(output)
    assert "2.1 coté « Écart » sans écart rédigé" in result.stderr
    pages, whole = pdf_text(output)
    assert_page_numbers(pages)
    assert "Atelier Test" in whole


def test_page_frame_serves_any_document(tmp_path):
    """The frame a second report (the bilan annuel) builds on: numbered pages, running header
    from page 2, one-line header and footer even from multi-line stored text, metadata."""
    from reportlab.platypus import PageBreak, Paragraph

    from audit_bench.reports.layout import build_document
    from audit_bench.reports.styles import styles

    body = styles()["body"]
    flowables = [Paragraph(f"Chapitre {n}", body) for n in range(3)]
    built = build_document([flowables[0], PageBreak(), flowables[1], PageBreak(), flowables[2]],
                           title="Bilan annuel 2026", running_header="Entreprise « Les Dunes »\nBilan",
                           footer="Bilan établi le 2 février 2027", author="Claire Martin")
    output = tmp_path / "bilan.pdf"
    output.write_bytes(built.pdf)
    pages, _ = pdf_text(output)
    assert built.pages == len(pages) == 3
    assert_page_numbers(pages)
    assert "Les Dunes" not in pages[0]
    assert all("Entreprise « Les Dunes » Bilan" in page and "Bilan établi le 2 février 2027" in page
               for page in pages[1:])
    assert PdfReader(output).metadata["/Title"] == "Bilan annuel 2026"


def test_table_cells_never_break_a_line_at_a_no_break_space(workspace, tmp_path):
    amounts = [f"8{n}\u00a0%" for n in range(10)] + [f"1\u00a0{n}50\u00a0€" for n in range(10)]
    note = " ; ".join(f"objectif n°\u00a0{n} atteint à {amount}" for n, amount in enumerate(amounts))
    audit_id = new_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", note)
        output = tmp_path / "espaces.pdf"
        build_report(workspace, session, output, today=TODAY)
    lines = [line.replace("\u00a0", " ") for page in PdfReader(output).pages for line in page.extract_text().split("\n")]
    for amount in amounts:  # each in one piece on one line of the checklist's cell
        assert any(amount.replace("\u00a0", " ") in line for line in lines), amount


def test_the_report_sets_every_text_in_french_typography_and_keeps_it_escaped(workspace, tmp_path):
    """One apostrophe and French spacing even where the text typed lacks them; markup stays text."""
    from docx import Document

    audit_id = new_audit(workspace)
    typed = "Voir l'annexe: «CEDRE» signée?! <b>non</b> & 10:30 https://x.fr"
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", typed)
        build_report(workspace, session, tmp_path / "r.pdf", today=TODAY)
        build_report(workspace, session, tmp_path / "r.docx", today=TODAY)
    printed = "Voir l’annexe\u00a0: «\u00a0CEDRE\u00a0» signée\u00a0?! <b>non</b> & 10:30 https://x.fr"
    pages, whole = pdf_text(tmp_path / "r.pdf")
    assert printed.replace("\u00a0", " ") in whole  # pypdf extracts a no-break space as a space
    assert "Rapport d’audit" in pages[0] and "Rapport d'audit" not in "".join(pages)
    assert any(printed in p.text for table in Document(tmp_path / "r.docx").tables
               for row in table.rows for cell in row.cells for p in cell.paragraphs)
