"""The audit report as a Word document: the PDF's contents (`ReportContent`) in Word's own styles.

Headings are Word's built-in « Titre 1/2/3 » (Heading 1/2/3), tables use « Grille du tableau »
(Table Grid) with a header row repeated on every page, the requirement's wording the « Citation »
(Quote) style: an organisation restyles the whole report by opening it on its own template.
Plugin sections (reportlab flowables) are carried over: paragraphs as text, tables as Word tables,
drawings (the IAE OS radar) as pictures (`raster`).

`--template`: a .docx whose fields (Jinja tags `{{ structure }}`, see `TEMPLATE_FIELDS`) are
filled by docxtpl in a sandbox, and whose paragraph `{{ rapport }}` is replaced by the report's
body, in the template's styles. A template naming an unknown field is refused before anything
is written (`TemplateError`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell

from audit_bench.model import ACTION_STATUSES, Action
from audit_bench.model.vocab import conclusion_title
from audit_bench.referential.schema import NA
from audit_bench.reports.content import FollowUp, PluginContribution, ReportContent, ReportInput, printed
from audit_bench.reports.typography import NBSP, french_date, french_number, french_percent, plural, quoted

REPORT_FIELD = "rapport"
TEMPLATE_FIELDS = {
    "titre": "« Rapport d'audit » ou « Rapport d'autodiagnostic »",
    "structure": "nom de la structure auditée",
    "type_structure": "type de structure (ex. « Atelier et chantier d'insertion (ACI) »), vide sinon",
    "referentiel": "titre du référentiel",
    "version_referentiel": "version du référentiel",
    "emetteur": "émetteur du référentiel",
    "type_audit": "type d'audit (interne, initial, surveillance…)",
    "dates": "dates de l'audit, en toutes lettres",
    "lieu": "lieu de l'audit",
    "auditeurs": "équipe d'audit, noms séparés par des virgules",
    "objectifs": "objectifs de l'audit",
    "champ": "champ de l'audit",
    "statut": "statut de l'audit (en cours, clos le…)",
    "avancement": "exigences cotées sur applicables",
    "score_global": "degré de satisfaction global (ex. « 72,4 % »), « — » sans cotation",
    "identifiant_audit": "identifiant de l'audit",
    "empreinte_referentiel": "empreinte SHA-256 du référentiel figé",
    "date_rapport": "date d'établissement du rapport",
    "conclusion": "conclusion de l'auditeur (ou de l'autodiagnostic), vide tant qu'elle n'est pas rédigée",
    "recommandation": "recommandation de la conclusion (ex. « Favorable »), vide sans recommandation",
    REPORT_FIELD: "le corps du rapport : à placer seul dans son paragraphe",
}
"""The fields a template may use (documented in the README), with what each holds."""
PICTURE_WIDTH = 16.0
"""Widest picture, in centimetres: an A4 page within Word's default margins."""


class TemplateError(ValueError):
    """The template cannot be used; the message names the field or the problem."""


@dataclass
class RenderedDocx:
    docx: bytes
    missing_sections: list[PluginContribution]
    left_out: list[str] = field(default_factory=list)
    """Parts of plugin sections Word has no equivalent for, one French sentence each."""


def render_docx(data: ReportInput, template: Path | None = None) -> RenderedDocx:
    """The report as .docx bytes; on `template` when given (fields checked first)."""
    if template is None:
        document = Document()
        builder = _WordBuilder(document, data)
        builder.audit_page_frame()
        builder.body(cover=True)
    else:
        document, builder = _on_template(template, data)
    buffer = io.BytesIO()
    document.save(buffer)
    missing = [c for c in data.contributions if c.section is None]
    return RenderedDocx(buffer.getvalue(), missing, builder.left_out)


def template_fields(template: Path) -> set[str]:
    """The fields `template` uses; TemplateError when it is no Word document or its tags are broken."""
    import jinja2

    tpl = _load_template(template)
    try:
        return tpl.get_undeclared_template_variables(jinja_env=_sandbox())
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"modèle {template.name} : balise invalide ({exc.message}, ligne {exc.lineno})") from exc


def _load_template(template: Path) -> Any:
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(template)
    try:
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"le modèle {template.name} n'est pas un document Word (.docx) lisible") from exc
    return tpl


def _sandbox() -> Any:
    """Jinja as a template should see it: no attribute of Python objects, user text escaped."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True)


def _on_template(template: Path, data: ReportInput) -> tuple[WordDocument, _WordBuilder]:
    import jinja2

    used = template_fields(template)
    unknown = sorted(used - TEMPLATE_FIELDS.keys())
    if unknown:
        raise TemplateError(f"champ inconnu dans le modèle {template.name} : {', '.join(unknown)} "
                            f"(champs permis : {', '.join(TEMPLATE_FIELDS)})")
    tpl = _load_template(template)
    content = ReportContent(data)
    marker = f"audit-bench-rapport-{id(tpl)}"
    context = {name: printed(value) for name, value in _field_values(content).items()}
    context[REPORT_FIELD] = marker
    try:
        tpl.render(context, jinja_env=_sandbox(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"modèle {template.name} : {exc}") from exc
    document = tpl.docx
    builder = _WordBuilder(document, data)
    body = document.element.body
    template_part = set(body)  # lxml keeps one proxy per element while it is referenced
    builder.body(cover=not (used - {REPORT_FIELD}))
    placeholder = next((p for p in document.paragraphs if marker in p.text), None)
    if placeholder is not None:
        for element in [element for element in body if element not in template_part]:
            placeholder._p.addprevious(element)
        placeholder._p.getparent().remove(placeholder._p)
    return document, builder


def _field_values(content: ReportContent) -> dict[str, str]:
    header, referential = content.header, content.tree.referential
    overall = next((s for s in content.data.scores if s.depth < 0), None)
    facts = dict(content.cover_facts())
    conclusion = content.auditor_conclusion()
    return {
        "titre": content.title(),
        "structure": header.org,
        "type_structure": content.type_label(),
        "referentiel": referential.title,
        "version_referentiel": referential.version,
        "emetteur": referential.metadata.issuer,
        "type_audit": facts["Type d'audit"],
        "dates": facts["Dates"],
        "lieu": header.place,
        "auditeurs": ", ".join(header.auditors),
        "objectifs": header.objectives,
        "champ": header.scope,
        "statut": content.status_line(),
        "avancement": content.progress_line(),
        "score_global": french_percent(overall.percent if overall else None),
        "identifiant_audit": header.id,
        "empreinte_referentiel": header.referential.sha256,
        "date_rapport": french_date(content.data.generated_on),
        "conclusion": conclusion[1] if conclusion else "",
        "recommandation": (conclusion[0] or "") if conclusion else "",
    }


class WordWriter:
    """Paragraphs, numbered headings and tables in Word's built-in styles, into one python-docx
    document: what the Word documents of the product (audit report, bilan annuel) share."""

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.style_ids = {style.name: style.style_id for style in document.styles}
        """Built-in style name → its id in this document: set directly, since python-docx looks
        the name up among every style at each paragraph (a third of the build)."""
        self.chapter = 0

    def style(self, name: str) -> str | None:
        """A built-in style the document has; None (the default style) when a template lacks it."""
        return name if name in self.style_ids else None

    def para(self, value: str = "", style: str | None = None, bold: bool = False, italic: bool = False) -> Any:
        paragraph = self.document.add_paragraph()
        if style in self.style_ids:
            paragraph._p.style = self.style_ids[style]
        if value:
            run = paragraph.add_run(printed(value))
            run.bold, run.italic = bold or None, italic or None
        return paragraph

    def labelled(self, label: str, value: str) -> Any:
        """« Label : value », the label in bold."""
        paragraph = self.para(f"{label}{NBSP}: ", bold=True)
        paragraph.add_run(printed(value))
        return paragraph

    def user(self, value: str, style: str | None = None) -> None:
        """User text, one paragraph per block of lines ("—" when empty)."""
        blocks = [block for block in value.replace("\r\n", "\n").split("\n\n") if block.strip()]
        for block in blocks or ["—"]:
            self.para(block, style)

    def heading(self, title: str, level: int = 1) -> None:
        if level == 1:
            self.chapter += 1
            title = f"{self.chapter}. {title}"
        self.para(title, f"Heading {level}")

    def table(self, header: list[str] | None, rows: list[list[str]], widths: list[float] | None = None) -> Table:
        """A table in the « Table Grid » style; its header row, in bold, repeats on every page."""
        columns = len(header) if header else len(rows[0])
        table = self.document.add_table(rows=len(rows) + (1 if header else 0), cols=columns)
        if self.style("Table Grid"):
            table.style = "Table Grid"
        sizes = [Pt(width * 72 / 2.54) for width in widths] if widths else []
        if sizes:
            table.autofit = False
            for column, size in zip(table.columns, sizes):
                column.width = size
        lines = iter(table.rows)
        if header:
            first = next(lines)
            first._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for cell, label, size in zip(self.cells(table, first), header, sizes or [None] * columns):
                cell.paragraphs[0].add_run(printed(label)).bold = True
                if size:
                    cell.width = size
        for line, values in zip(lines, rows):
            for cell, value, size in zip(self.cells(table, line), values, sizes or [None] * columns):
                if value:
                    cell.paragraphs[0].add_run(printed(value))
                if size:
                    cell.width = size  # Word reads each cell's width, LibreOffice the grid's
        return table

    @staticmethod
    def cells(table: Table, row: Any) -> list[_Cell]:
        """The cells of one row. `row.cells` scans the whole table at each call (quadratic in
        rows: seconds for a 300-row checklist); the row's own `w:tc` elements are enough here,
        where no cell spans columns when it is filled."""
        return [_Cell(tc, table) for tc in row._tr.tc_lst]

    def page_frame(self, running_header: str, footer_text: str, *, title: str, author: str, subject: str) -> None:
        """Running header and footer (« page X » as a Word field), properties, language French."""
        section = self.document.sections[0]
        section.header.paragraphs[0].text = printed(running_header)
        footer = section.footer.paragraphs[0]
        footer.text = printed(f"{footer_text} — page ")
        page = OxmlElement("w:fldSimple")
        page.set(qn("w:instr"), "PAGE")
        footer._p.append(page)
        properties = self.document.core_properties
        properties.title = printed(title)[:255]
        properties.author = printed(author)[:255]
        properties.subject = printed(subject)[:255]
        properties.language = "fr-FR"
        defaults = self.document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")
        if defaults:
            defaults[0].set(qn("w:val"), "fr-FR")  # Word's spelling and hyphenation in French
        else:
            normal = self.document.styles["Normal"].element.get_or_add_rPr()
            language = OxmlElement("w:lang")
            language.set(qn("w:val"), "fr-FR")
            normal.insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")


class _WordBuilder(ReportContent, WordWriter):
    """Writes the report into a python-docx document, chapter by chapter."""

    def __init__(self, document: WordDocument, data: ReportInput) -> None:
        ReportContent.__init__(self, data)
        WordWriter.__init__(self, document)
        self.left_out: list[str] = []

    def audit_page_frame(self) -> None:
        """The audit report's running header, footer and properties."""
        header, referential = self.header, self.tree.referential
        generated = french_date(self.data.generated_on)
        self.page_frame(f"{header.org} — {referential.title} (version {self.tree.version})",
                        f"Rapport établi le {generated} avec audit-bench — audit {header.id}",
                        title=f"Rapport d'audit — {header.org}", author=", ".join(header.auditors),
                        subject=f"{referential.title} (version {self.tree.version})")

    # the body

    def body(self, *, cover: bool) -> None:
        if cover:
            self.cover()
        self.frame_of_audit()
        self.summary()
        self.auditor_conclusion_section()
        for contribution in self.data.contributions:
            self.plugin_section(contribution)
        if self.data.follow_up is not None:
            self.follow_up(self.data.follow_up)
        self.findings()
        self.checklist()
        self.not_covered()
        self.evidence_index()
        self.signatures()

    def cover(self) -> None:
        header = self.header
        self.para(self.title(), "Title")
        self.para(header.org, "Subtitle")
        self.table(None, [[label, value] for label, value in self.cover_facts()], widths=[4.5, 11.5])
        self.para(f"Identifiant de l'audit{NBSP}: {header.id}. Référentiel figé dans l'audit, empreinte "
                  f"SHA-256{NBSP}: {header.referential.sha256}.", italic=True)
        self.para(f"Rapport établi le {french_date(self.data.generated_on)}.", italic=True)
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def frame_of_audit(self) -> None:
        header, referential = self.header, self.tree.referential
        self.heading("Objectifs, champ et critères de l'audit")
        self.heading("Objectifs", 2)
        self.user(header.objectives) if header.objectives else self.para("Non renseignés.", italic=True)
        self.heading("Champ de l'audit", 2)
        self.user(header.scope) if header.scope else self.para("Non précisé.", italic=True)
        if referential.metadata.scope:
            self.labelled("Champ d'application du référentiel", referential.metadata.scope)
        self.heading("Critères d'audit", 2)
        self.para(self.criteria())
        self.heading("Dates, lieux et équipe d'audit", 2)
        self.para(self.team_line())
        check = self.data.auditor_check
        if check is not None:
            self.heading(self.AUDITORS_TITLE, 2)
            self.para(self.auditor_rule(check))
            for warning in check.warnings:
                self.labelled("À vérifier", f"{warning}.")
            if not check.warnings:
                self.para(self.AUDITORS_CHECKED)
        self.heading("Échelle de cotation et classes d'écarts", 2)
        rows = [[label, points] for _, label, points in self.scale_rows()]
        self.table(["Cotation", "Points"], rows, widths=[13.5, 2.5])
        self.para()
        classes = sorted(referential.finding_classes, key=lambda c: -c.severity)
        self.table(["Classe", "Gravité", "Plan d'action"],
                   [[c.label, str(c.severity), "requis" if c.requires_action else "facultatif"] for c in classes],
                   widths=[11, 2.5, 2.5])

    def summary(self) -> None:
        self.heading("Synthèse")
        self.heading("Avancement", 2)
        self.para(f"{self.progress_line()}{NBSP}; "
                  f"{plural(self.progress.remaining, 'exigence reste', 'exigences restent')} à coter.")
        self.table(["Cotation", "Exigences"], [[label, str(count)] for _, label, count in self.rating_counts()],
                   widths=[13, 3])
        self.heading("Écarts par classe", 2)
        self.table(["Classe", "Écarts", "dont ouverts", "à rédiger"],
                   [[c.label, str(c.recorded), str(c.open), str(c.to_write)] for c in self.data.class_counts],
                   widths=[8.5, 2.5, 2.5, 2.5])
        self.heading("Degré de satisfaction des exigences par section", 2)
        self.para("Points obtenus sur le maximum des exigences cotées et applicables (hors N/A et non cotées). "
                  "Le détail par sous-section figure dans la liste de contrôle.", italic=True)
        bands = bool(self.tree.referential.score_bands)
        rows = []
        for name, score, rated in self.summary_scores():
            row = [name, rated, f"{french_number(score.score)} / {french_number(score.max)}",
                   french_percent(score.percent)]
            if bands:
                row.append(self.band_label(score.percent) or "—")
            rows.append(row)
        self.table(["Section", "Cotées", "Points", "%"] + (["Appréciation"] if bands else []), rows,
                   widths=[6.5, 2.2, 3, 2.3, 3] if bands else [8.5, 2.2, 3, 2.3])
        self.heading("Conclusions", 2)
        for sentence in self.conclusions():
            self.para(sentence)
        if self.data.pending:
            self.heading("Reste à faire", 2)
            for item in self.data.pending:
                self.para(item, "List Bullet")

    def auditor_conclusion_section(self) -> None:
        written = self.auditor_conclusion()
        if written is None:
            return
        recommendation, conclusion = written
        self.heading(conclusion_title(self.header.kind))
        if recommendation is not None:
            self.labelled("Recommandation", recommendation)
        self.user(conclusion)

    def plugin_section(self, contribution: PluginContribution) -> None:
        if contribution.section is None:
            self.heading(f"Section du module {contribution.plugin} (manquante)")
            self.para(f"Section manquante{NBSP}: le module {quoted(contribution.plugin)} n'a pas pu produire "
                      "sa section du rapport.", bold=True)
            self.para(f"Erreur{NBSP}: {contribution.error or 'inconnue'}", italic=True)
            return
        self.heading(str(contribution.section.title))
        for flowable in contribution.section.flowables:
            self.flowable(contribution.plugin, flowable)

    def flowable(self, plugin: str, flowable: Any) -> None:
        """A reportlab flowable in Word: text, table or picture; spacing is Word's business."""
        from reportlab.graphics.shapes import Drawing
        from reportlab.platypus import Paragraph, Table as PdfTable

        if isinstance(flowable, Paragraph):
            name = getattr(flowable.style, "name", "")
            level = {"h1": 1, "h2": 2, "h3": 3}.get(name)
            self.para(flowable.getPlainText(), f"Heading {level + 1}" if level else None)
        elif isinstance(flowable, PdfTable):
            rows = [[_plain(cell) for cell in row] for row in flowable._cellvalues]
            if rows and rows[0]:
                header = rows[0] if flowable.repeatRows else None
                widths = [w / 72 * 2.54 if isinstance(w, (int, float)) else None for w in flowable._argW]
                if None in widths:
                    widths = [PICTURE_WIDTH / len(widths)] * len(widths)
                fit = min(1.0, PICTURE_WIDTH / sum(widths))
                self.table(header, rows[1:] if header else rows, [w * fit for w in widths])
        elif isinstance(flowable, Drawing):
            from audit_bench.reports.raster import drawing_png

            width = min(PICTURE_WIDTH, flowable.width / 72 * 2.54)
            self.document.add_picture(io.BytesIO(drawing_png(flowable)), width=Pt(width * 72 / 2.54))
        elif type(flowable).__name__ not in ("Spacer", "CondPageBreak", "PageBreak"):
            self.left_out.append(f"section du module « {plugin} » : un élément {type(flowable).__name__} "
                                 "n'a pas d'équivalent dans le document Word")

    def follow_up(self, follow_up: FollowUp) -> None:
        """The previous audit's open écarts, then how the referential changed (as in the PDF)."""
        self.heading(self.FOLLOW_UP_TITLE)
        if follow_up.error is not None:
            self.labelled("Audit précédent illisible", self.follow_up_unreadable(follow_up))
            return
        self.para(self.follow_up_intro(follow_up))
        if not follow_up.findings:
            self.para(self.FOLLOW_UP_NONE_OPEN)
        for finding in follow_up.findings:
            self.heading(self.followed_title(finding), 2)
            self.user(finding.text)
            self.labelled("Cotation dans cet audit", self.followed_rating(finding))
            if finding.actions:
                self.action_table(finding.actions)
            else:
                self.para(self.NO_ACTION, italic=True)
        if not follow_up.changed():
            return
        self.heading(self.changes_title(follow_up), 2)
        if follow_up.modified:
            self.table(["Exigence modifiée", "Texte de l'audit précédent", "Texte de cet audit"],
                       [list(change) for change in follow_up.modified], widths=[2.5, 6.75, 6.75])
        if follow_up.renumbered:
            self.para(self.renumbered_line(follow_up))
        for title, changes in (("Exigences nouvelles", follow_up.added), ("Exigences retirées", follow_up.removed)):
            if changes:
                self.table([title, "Texte"], [list(change) for change in changes], widths=[2.5, 13.5])

    def action_table(self, actions: list[Action]) -> None:
        self.table(["Action", "Responsable", "Échéance", "Statut", "Efficacité"],
                   [[f"{a.id} — {a.text}", a.owner,
                     french_date(a.due) + (" (dépassée)" if self.overdue(a) else ""),
                     ACTION_STATUSES.get(a.status, a.status), self.action_check(a)] for a in actions],
                   widths=[6, 2.8, 2.6, 1.8, 2.8])

    def findings(self) -> None:
        self.heading("Écarts et plans d'action")
        findings = self.ordered_findings()
        if not findings:
            self.para("Aucun écart n'a été relevé.")
        for finding in findings:
            self.finding_block(finding)

    def finding_block(self, finding: Any) -> None:
        self.heading(self.finding_title(finding), 2)
        node = self.finding_node(finding)
        if node is not None:
            self.para(f"Exigence{self.variant_note(node)}{NBSP}:", bold=True)
            self.para(self.tree.text_for(node, self.siae_type) or "—", "Quote")
        self.para(f"Constat de l'écart{NBSP}:", bold=True)
        self.user(finding.text)
        assessment = self.assessments.get(finding.requirement)
        if assessment is not None:
            note = f" — {assessment.note}" if assessment.note else ""
            self.labelled("Cotation", f"{self.rating_label(assessment.rating)}{note}")
        evidence = self.finding_evidence(finding)
        if evidence:
            self.para(f"Preuves{NBSP}:", bold=True)
            for item in evidence:
                self.para(f"{item.id} — {self.evidence_title(item)}", "List Bullet")
        else:
            self.labelled("Preuves", "aucune preuve rattachée à cette exigence.")
        actions = self.audit.actions_of(finding.id)
        if actions:
            self.action_table(actions)
        elif self.requires_action(finding):
            self.para("Plan d'action requis et non défini.", bold=True)
        else:
            self.para("Pas de plan d'action (non requis pour cette classe).", italic=True)
        self.labelled("État de l'écart", f"{self.finding_state(finding, actions)}.")

    def checklist(self) -> None:
        self.heading("Liste de contrôle complète")
        self.para("Chaque exigence applicable, dans la formulation qui s'applique au type de structure, "
                  "avec sa cotation et son constat (pour une cotation N/A, son motif).", italic=True)
        for top, checklist_rows in self.checklist_sections():
            self.heading(self.requirement_label(top), 2)
            if top.id in self.scores:
                self.para(self.score_line(self.scores[top.id]), italic=True)
            rows, groups = [], []
            for row in checklist_rows:
                if row.group:
                    groups.append(len(rows))
                    label = self.requirement_label(row.node)
                    if row.node.id in self.scores:
                        label += f" — {self.score_line(self.scores[row.node.id])}"
                    rows.append([label, "", ""])
                    continue
                node, assessment = row.node, row.assessment
                wording = self.tree.text_for(node, self.siae_type)
                requirement = f"{node.id} {node.title}\n{wording}" if node.title else f"{node.id} {wording}"
                if assessment is None:
                    note = "non évaluée"
                elif assessment.rating == NA:
                    note = f"Motif{NBSP}: {assessment.note or 'non donné'}"
                else:
                    note = assessment.note
                pointer = self.finding_pointer(node.id)
                rating = self.rating_label(assessment.rating if assessment else None)
                rows.append([requirement, f"{rating}\n{pointer}" if pointer else rating, note])
            table = self.table(["Exigence", "Cotation", "Constat"], rows, widths=[7.5, 2.7, 5.8])
            lines = table.rows
            for index in groups:
                cells = self.cells(table, lines[index + 1])
                for run in cells[0].paragraphs[0].runs:
                    run.bold = True
                cells[0].merge(cells[2])

    def not_covered(self) -> None:
        self.heading("Points non couverts")
        self.heading("Exigences applicables non évaluées", 2)
        unrated = self.unrated()
        if unrated:
            self.table(["Exigence", "Formulation"],
                       [[node.id, self.tree.text_for(node, self.siae_type)] for node in unrated], widths=[2.5, 13.5])
        else:
            self.para(f"Aucune{NBSP}: toutes les exigences applicables ont été évaluées.")
        self.heading("Exigences cotées non applicables (N/A) et motifs", 2)
        not_applicable = self.not_applicable()
        if not_applicable:
            self.table(["Exigence", "Motif"], [[node.id, a.note or "motif non donné"] for node, a in not_applicable],
                       widths=[2.5, 13.5])
        else:
            self.para("Aucune.")
        excluded = self.excluded()
        if excluded:
            self.heading("Exigences sans objet pour ce type de structure", 2)
            self.para(f"Le référentiel ne les applique pas au type {quoted(self.type_label())}{NBSP}: "
                      f"{', '.join(node.id for node in excluded)}.")

    def evidence_index(self) -> None:
        self.heading("Index des preuves")
        if not self.audit.evidence:
            self.para("Aucune preuve n'a été enregistrée.")
            return
        rows = []
        for evidence in self.audit.evidence:
            where = [evidence.location] if evidence.location else []
            if evidence.filename:
                where.append(f"Fichier{NBSP}: {evidence.filename}")
            review = self.evidence_review(evidence)
            if review:
                where.append(review)
            problem = self.evidence_problem(evidence)
            if problem:
                where.append(problem[0].upper() + problem[1:])
            if evidence.sha256:
                where.append(f"{'SHA-256 enregistrée' if problem else 'SHA-256'}{NBSP}: {evidence.sha256}")
            rows.append([evidence.id, evidence.requirement, evidence.title, evidence.version, "\n".join(where)])
        self.table(["Réf.", "Exigence", "Document", "Version", "Emplacement et fichier"], rows,
                   widths=[1.2, 2, 5, 2.3, 5.5])

    def signatures(self) -> None:
        self.heading("Signatures")
        self.para("Les signataires attestent que ce rapport rend compte fidèlement de l'audit.", italic=True)
        table = self.table(["Qualité", "Nom", "Date", "Signature"],
                           [[role, name, "", ""] for role, name in self.signatories()], widths=[4.5, 5.5, 2.8, 3.2])
        for row in list(table.rows)[1:]:
            row.height = Pt(50)


def _plain(cell: Any) -> str:
    """A reportlab table cell as text: a string, a Paragraph, or a list of them."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, (list, tuple)):
        return "\n".join(filter(None, (_plain(item) for item in cell)))
    plain = getattr(cell, "getPlainText", None)
    return plain() if plain else ""
