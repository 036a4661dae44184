"""The audit report as a PDF: what ISO 19011 (6.5.1) expects of an audit report, in French.

The reports layer receives plain data (`ReportInput`) and returns the PDF's bytes; reading the
audit, calling the plugins and writing the file are the services' business.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from audit_bench.model import (
    ACTION_STATUSES, AUDIT_STATUSES, KINDS, Action, Assessment, AuditSnapshot, Evidence, Finding, Progress,
    SectionScore,
)
from audit_bench.referential.schema import NA, Node
from audit_bench.referential.tree import ReferentialTree
from audit_bench.reports import layout
from audit_bench.reports import styles as report_styles
from audit_bench.reports.layout import CONTENT_WIDTH, GROUP_FILL
from audit_bench.reports.sections import ReportSection
from audit_bench.reports.styles import printable, text
from audit_bench.reports.typography import (
    NBSP, french_date, french_number, french_percent, french_period, plural, quoted,
)

ALERT = colors.HexColor("#b3261e")
NA_LABEL = "Non applicable (N/A)"
EVIDENCE_PROBLEMS = {
    "missing": "fichier absent de l'espace de travail",
    "altered": "fichier modifié depuis son dépôt (empreinte différente)",
}
"""What the evidence index says of an attached file that is no longer as it was filed."""
LONG_NOTE = 1500
"""A constat longer than this (characters) is previewed in the checklist and printed in full after
the table, so every checklist row fits on a page and need not be split."""
NOTE_PREVIEW = 500
"""How many characters of a long constat the checklist shows."""


@dataclass
class PluginContribution:
    """What one plugin gave through `report_sections`: a section, or the reason it is missing."""

    plugin: str
    section: ReportSection | None = None
    error: str | None = None


class ClassTally(NamedTuple):
    """The écarts of one finding class, as the services count them."""

    label: str
    recorded: int
    open: int
    to_write: int
    """Ratings whose level calls for an écart of this class, not written yet."""


class FollowedFinding(NamedTuple):
    """An écart the previous audit left open, as the services read it."""

    id: str
    requirement: str
    """Its requirement in the previous audit."""
    now_requirement: str | None
    """The same requirement in this audit; None when this version of the referential removed it."""
    class_label: str
    text: str
    actions: list[Action]


@dataclass
class FollowUp:
    """The audit this one starts from: its open écarts, and how the requirements changed between
    the two versions of the referential (id, texts)."""

    audit_id: str
    kind: str
    date: str
    version: str
    findings: list[FollowedFinding]
    modified: list[tuple[str, str, str]] = field(default_factory=list)
    """(requirement, previous text, text)."""
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    """(previous id, id)."""
    added: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    """Why the previous audit could not be read (deleted, damaged): then nothing else is known."""


@dataclass
class AuditorCheck:
    """What the referential asks of internal auditors, and what the auditors of this audit miss."""

    rule: str
    warnings: list[str]


@dataclass
class ReportInput:
    """What the report prints. Every figure is decided by the services' rules (progress, which
    écarts are open, counts by class, what is owed, evidence files' state): the report counts
    nothing of its own, so it cannot disagree with the other faces."""

    tree: ReferentialTree
    audit: AuditSnapshot
    scores: list[SectionScore]
    progress: Progress
    open_findings: frozenset[str] = frozenset()
    class_counts: list[ClassTally] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    """What the auditor still owes, one French sentence each."""
    evidence_states: dict[str, str] = field(default_factory=dict)
    """Evidence id → "ok", "missing" or "altered", for evidence with an attached file."""
    contributions: list[PluginContribution] = field(default_factory=list)
    generated_on: date = field(default_factory=date.today)
    follow_up: FollowUp | None = None
    auditor_check: AuditorCheck | None = None


@dataclass
class RenderedReport:
    pdf: bytes
    pages: int
    missing_sections: list[PluginContribution]


def render_audit_report(data: ReportInput) -> RenderedReport:
    """Lay out the whole report; a plugin section that fails to lay out is printed as missing."""
    contributions = [_checked(c) for c in data.contributions]
    story = _ReportBuilder(data, contributions).story()
    header, referential = data.audit.header, data.tree.referential
    built = layout.build_document(
        story, title=f"Rapport d'audit — {header.org}", author=", ".join(header.auditors),
        subject=f"{referential.title} (version {data.tree.version})",
        running_header=f"{header.org} — {referential.title} (version {data.tree.version})",
        footer=f"Rapport établi le {french_date(data.generated_on)} avec audit-bench — audit {header.id}")
    missing = [c for c in contributions if c.section is None]
    return RenderedReport(built.pdf, built.pages, missing)


def _checked(contribution: PluginContribution) -> PluginContribution:
    """Lay a plugin's section out alone first: if that raises, the section is reported missing."""
    if contribution.section is None:
        return contribution if contribution.error else PluginContribution(contribution.plugin, None, "section vide")
    section = contribution.section
    if not isinstance(section, ReportSection):
        return PluginContribution(contribution.plugin, None,
                                  f"réponse invalide ({type(section).__name__} au lieu d'une ReportSection)")
    try:
        flowables = copy.deepcopy(section.flowables)  # a build edits its flowables (keepWithNext…)
    except Exception:  # not copyable: laid out once, in the report itself
        return contribution
    try:
        layout.try_layout([Paragraph(text(str(section.title)), report_styles.styles()["h2"]), *flowables])
    except Exception as exc:  # a plugin's flowables are outside our control
        return PluginContribution(contribution.plugin, None, f"mise en page : {type(exc).__name__}: {exc}")
    return contribution


# Content -------------------------------------------------------------------------------------


def _is_code(value: str, label: str) -> bool:
    """A scale value worth printing beside its label: a short code such as "2", not "conforme"."""
    return len(value) <= 3 and value.casefold() != label.casefold()


def _finding_order(finding_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in finding_id if ch.isdigit())
    return (int(digits) if digits else 0, finding_id)


class _ReportBuilder:
    """Turns the audit into flowables, section by section."""

    def __init__(self, data: ReportInput, contributions: list[PluginContribution]) -> None:
        self.data = data
        self.tree = data.tree
        self.audit = data.audit
        self.header = data.audit.header
        self.contributions = contributions
        self.st = report_styles.styles()
        self.assessments = data.audit.assessment_map()
        self.siae_type = self.header.siae_type
        self.applicable = self.tree.applicable_ratable(self.siae_type)
        self.progress = data.progress
        self.scores = {score.section: score for score in data.scores if score.depth >= 0}
        self.chapter = 0

    # helpers

    def p(self, markup: str, style: str = "body") -> Paragraph:
        return Paragraph(markup, self.st[style])

    def user(self, value: str, style: str = "body") -> list[Paragraph]:
        """User text as paragraphs, one per block of lines, so a huge note can flow over pages."""
        blocks = [block for block in printable(value).split("\n\n") if block.strip()]
        return [Paragraph(text(block), self.st[style]) for block in blocks] or [self.p("—", style)]

    def heading(self, title: str) -> list[Flowable]:
        self.chapter += 1
        return [CondPageBreak(60 * mm), self.p(f"{self.chapter}. {text(title)}", "h1")]

    def rating_label(self, rating: str | None) -> str:
        if rating is None:
            return "non cotée"
        if rating == NA:
            return NA_LABEL
        level = self.tree.scale_by_value.get(rating)
        if level is None:
            return rating
        return f"{level.value} — {level.label}" if _is_code(level.value, level.label) else level.label

    def rating_cell(self, assessment: Assessment | None) -> Paragraph:
        """The rating in words; short codes (0–3) in bold before the label. Its colour is a bar
        beside the cell (`rating_bar`), since pale scale colours are unreadable as text."""
        if assessment is None:
            return self.p("<i>non cotée</i>", "small")
        if assessment.rating == NA:
            return self.p("<b>N/A</b>", "small")
        level = self.tree.scale_by_value.get(assessment.rating)
        if level is None:
            return layout.cell(assessment.rating)
        if _is_code(level.value, level.label):
            return self.p(f"<b>{text(level.value)}</b> {text(level.label)}", "small")
        return self.p(f"<b>{text(level.label)}</b>", "small")

    def rating_bar(self, assessment: Assessment | None, column: int, row: int) -> list[tuple]:
        level = self.tree.scale_by_value.get(assessment.rating) if assessment else None
        if level is None:
            return []
        return [("LINEBEFORE", (column, row), (column, row), 3, colors.HexColor(level.colour))]

    def requirement_label(self, node: Node) -> str:
        return f"{node.id} {node.title}".strip() if node.title else node.id

    def type_label(self) -> str:
        for structure_type in self.tree.referential.siae_types:
            if structure_type.id == self.siae_type:
                return f"{structure_type.label} ({structure_type.id})"
        return self.siae_type or ""

    def band_label(self, percent: float | None) -> str:
        band = self.tree.band_for(percent)
        return band.label if band else ""

    # the story

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self.cover()
        story.append(PageBreak())
        story += self.frame_of_audit()
        story += self.summary()
        for contribution in self.contributions:
            story += self.plugin_section(contribution)
        if self.data.follow_up is not None:
            story += self.follow_up(self.data.follow_up)
        story += self.findings()
        story += self.checklist()
        story += self.not_covered()
        story += self.evidence_index()
        story += self.signatures()
        return story

    def cover(self) -> list[Flowable]:
        header, referential = self.header, self.tree.referential
        kind = KINDS.get(header.kind, header.kind)
        title = "Rapport d'autodiagnostic" if header.kind == "self-assessment" else "Rapport d'audit"
        status = AUDIT_STATUSES.get(header.status, header.status)
        if header.status == "closed" and header.closed_at:
            status = f"{status} le {french_date(header.closed_at)}"
        elif header.status != "closed":
            status = f"{status} (rapport provisoire)"
        edition = (french_date(referential.metadata.edition_date) if referential.metadata.edition_date
                   else "non indiquée par le référentiel")
        facts: list[tuple[str, str]] = [("Structure auditée", header.org)]
        if self.siae_type:
            facts.append(("Type de structure", self.type_label()))
        facts += [
            ("Référentiel", referential.title),
            ("Version", f"{referential.version}, édition {edition}" if referential.metadata.edition_date
             else f"{referential.version} (date d'édition non indiquée)"),
            ("Émetteur", referential.metadata.issuer),
            ("Type d'audit", kind),
            ("Dates", french_period(header.date, header.end_date)),
            ("Lieu", header.place or "non précisé"),
            ("Équipe d'audit", ", ".join(header.auditors) or "non précisée"),
            ("Champ de l'audit", header.scope or "non précisé"),
            ("Statut de l'audit", status),
            ("Avancement", self.progress_line()),
        ]
        rows = [[self.p(f"<b>{text(label)}</b>", "small"), self.user(value)] for label, value in facts]
        table = layout.table(rows, [45 * mm, CONTENT_WIDTH - 45 * mm], header=False,
                           extra=[("BACKGROUND", (0, 0), (0, -1), GROUP_FILL),
                                  ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
        return [
            Spacer(1, 25 * mm),
            self.p(text(title), "title"),
            self.p(text(header.org), "subtitle"),
            table,
            Spacer(1, 8 * mm),
            self.p(f"Identifiant de l'audit{NBSP}: {text(header.id)}. Référentiel figé dans l'audit, empreinte "
                   f"SHA-256{NBSP}: {text(header.referential.sha256)}.", "muted"),
            self.p(f"Rapport établi le {french_date(self.data.generated_on)}.", "muted"),
        ]

    def frame_of_audit(self) -> list[Flowable]:
        header, referential = self.header, self.tree.referential
        out = self.heading("Objectifs, champ et critères de l'audit")
        out.append(self.p("Objectifs", "h3"))
        out += self.user(header.objectives) if header.objectives else [self.p("<i>Non renseignés.</i>")]
        out.append(self.p("Champ de l'audit", "h3"))
        out += self.user(header.scope) if header.scope else [self.p("<i>Non précisé.</i>")]
        if referential.metadata.scope:
            out.append(self.p(f"Champ d'application du référentiel{NBSP}: {text(referential.metadata.scope)}", "muted"))
        out.append(self.p("Critères d'audit", "h3"))
        edition = (f", édition du {text(french_date(referential.metadata.edition_date))}"
                   if referential.metadata.edition_date else " (date d'édition non indiquée)")
        criteria = (f"{quoted(text(referential.title))}, version {text(referential.version)}{edition}, "
                    f"publié par {text(referential.metadata.issuer)}.")
        if self.siae_type:
            criteria += (f" Les exigences sont lues dans leur variante pour le type de structure "
                         f"{quoted(text(self.type_label()))}.")
        excluded = len(self.tree.ratable) - len(self.applicable)
        criteria += (f" {plural(self.progress.total, 'exigence applicable', 'exigences applicables')}"
                     + (f" ({excluded} sans objet pour ce type de structure)." if excluded else "."))
        out.append(self.p(criteria))
        out.append(self.p("Dates, lieux et équipe d'audit", "h3"))
        place = f", {text(header.place)}" if header.place else ""
        out.append(self.p(f"Audit réalisé {text(french_period(header.date, header.end_date))}{place}. "
                          f"Équipe d'audit{NBSP}: {text(', '.join(header.auditors)) or 'non précisée'}."))
        check = self.data.auditor_check
        if check is not None:
            out.append(self.p("Qualification et indépendance des auditeurs internes", "h3"))
            out.append(self.p(f"Exigence{NBSP}: {text(check.rule)}."))
            if check.warnings:
                out += [self.p(f'<font color="#b3261e"><b>À vérifier</b></font>{NBSP}: {text(w)}.')
                        for w in check.warnings]
            else:
                out.append(self.p("Vérifiées d'après les personnes de la structure : formation à l'audit "
                                  "enregistrée avant l'audit, activité déclarée hors du champ audité."))
        out.append(self.p("Échelle de cotation et classes d'écarts", "h3"))
        rows = [layout.head_row("Cotation", "Libellé", "Points")]
        extra = []
        for i, level in enumerate(referential.scale, start=1):
            rows.append([layout.cell(level.value), layout.cell(level.label),
                         layout.cell(french_number(level.score) if level.score is not None else "hors score")])
            extra.append(("LINEBEFORE", (0, i), (0, i), 3, colors.HexColor(level.colour)))
        rows.append([layout.cell("N/A"), layout.cell("Non applicable, avec le motif dans le constat"),
                     layout.cell("hors score")])
        out.append(layout.table(rows, [25 * mm, CONTENT_WIDTH - 50 * mm, 25 * mm], extra=extra))
        out.append(Spacer(1, 4))
        rows = [layout.head_row("Classe", "Gravité", "Plan d'action")]
        for cls in sorted(referential.finding_classes, key=lambda c: -c.severity):
            rows.append([layout.cell(cls.label), layout.cell(str(cls.severity)),
                         layout.cell("requis" if cls.requires_action else "facultatif")])
        out.append(layout.table(rows, [CONTENT_WIDTH - 50 * mm, 25 * mm, 25 * mm]))
        return out

    def summary(self) -> list[Flowable]:
        out = self.heading("Synthèse")
        progress = self.progress
        applicable_ids = {node.id for node in self.applicable}
        ratings = [a.rating for a in self.audit.assessments if a.requirement in applicable_ids]
        out.append(self.p("Avancement", "h3"))
        out.append(self.p(
            f"{text(self.progress_line())}{NBSP}; "
            f"{plural(progress.remaining, 'exigence reste', 'exigences restent')} à coter."))
        rows = [layout.head_row("Cotation", "Exigences")]
        extra = []
        for i, level in enumerate(self.tree.referential.scale, start=1):
            rows.append([layout.cell(self.rating_label(level.value)), layout.cell(str(ratings.count(level.value)))])
            extra.append(("LINEBEFORE", (0, i), (0, i), 3, colors.HexColor(level.colour)))
        rows.append([layout.cell(NA_LABEL), layout.cell(str(progress.na))])
        rows.append([layout.cell("Non cotées"), layout.cell(str(progress.remaining))])
        out.append(layout.table(rows, [CONTENT_WIDTH - 30 * mm, 30 * mm], extra=extra))

        out.append(self.p("Écarts par classe", "h3"))
        rows = [layout.head_row("Classe", "Écarts", "dont ouverts", "à rédiger")]
        for count in self.data.class_counts:
            rows.append([layout.cell(count.label), layout.cell(str(count.recorded)), layout.cell(str(count.open)),
                         layout.cell(str(count.to_write))])
        out.append(layout.table(rows, [CONTENT_WIDTH - 75 * mm, 25 * mm, 25 * mm, 25 * mm]))

        out.append(self.p("Degré de satisfaction des exigences par section", "h3"))
        out.append(self.p("Points obtenus sur le maximum des exigences cotées et applicables (hors N/A et "
                          "non cotées). Le détail par sous-section figure dans la liste de contrôle.", "muted"))
        bands = bool(self.tree.referential.score_bands)
        labels = ["Section", "Cotées", "Points", "%"] + (["Appréciation"] if bands else [])
        rows = [layout.head_row(*labels)]
        extra = []
        shown = [s for s in self.data.scores if s.depth < 0 or (s.depth == 0 and s.applicable)]
        for i, score in enumerate(shown, start=1):
            name = "Ensemble du référentiel" if score.depth < 0 else f"{score.section} {score.title}".strip()
            if score.depth > 0:
                label = Paragraph(text(name), self.st["small"].clone("indented", leftIndent=10))
            else:
                label = self.p(f"<b>{text(name)}</b>", "small")
                extra.append(("BACKGROUND", (0, i), (-1, i), GROUP_FILL))
            rated = (progress.assessed, progress.total) if score.depth < 0 else (score.rated, score.applicable)
            row = [label, layout.cell(f"{rated[0]} / {rated[1]}"),
                   layout.cell(f"{french_number(score.score)} / {french_number(score.max)}"),
                   layout.cell(french_percent(score.percent))]
            if bands:
                band = self.tree.band_for(score.percent)
                row.append(layout.cell(band.label if band else "—"))
                if band:
                    extra.append(("LINEBEFORE", (4, i), (4, i), 3, colors.HexColor(band.colour)))
            rows.append(row)
        widths = [CONTENT_WIDTH - (105 if bands else 75) * mm, 22 * mm, 30 * mm, 23 * mm] + ([30 * mm] if bands else [])
        out.append(layout.table(rows, widths, extra=extra))

        out.append(self.p("Conclusions", "h3"))
        out += [self.p(sentence) for sentence in self.conclusions()]
        if self.data.pending:
            out.append(self.p("Reste à faire", "h3"))
            out += [self.p(f"• {text(item)}") for item in self.data.pending]
        return out

    def progress_line(self) -> str:
        """The audit's progress in words, as every face states it (`rules.progress`)."""
        progress = self.progress
        return (f"{plural(progress.assessed, 'exigence cotée', 'exigences cotées')} sur "
                f"{french_number(progress.total, 0)} applicables ({progress.percent}{NBSP}%), dont {progress.na}{NBSP}N/A")

    def conclusions(self) -> list[str]:
        sentences = []
        overall = next((s for s in self.data.scores if s.depth < 0), None)
        if overall is not None and overall.percent is not None:
            band = self.band_label(overall.percent)
            sentences.append(
                f"Sur les exigences cotées, le degré de satisfaction global est de {french_percent(overall.percent)}"
                + (f" ({quoted(text(band))})" if band else "") + ".")
        sections = [s for s in self.data.scores if s.depth == 0 and s.percent is not None]
        if len(sections) > 1:
            weakest = sorted(sections, key=lambda s: s.percent)[:2]
            names = " et ".join(f"{quoted(text(f'{s.section} {s.title}'.strip()))} ({french_percent(s.percent)})"
                                for s in weakest)
            sentences.append(f"Sections les moins satisfaites{NBSP}: {names}.")
        counts = [f"{text(c.label.lower())} ({c.recorded})" for c in self.data.class_counts if c.recorded]
        if counts:
            open_actions = sum(1 for a in self.audit.actions if a.status != "done")
            sentences.append(f"Constats relevés{NBSP}: {', '.join(counts)}. "
                             f"{plural(open_actions, 'action corrective reste', 'actions correctives restent')} "
                             "à réaliser.")
        else:
            sentences.append("Aucun écart n'a été relevé.")
        if self.progress.remaining:
            left = plural(self.progress.remaining, 'exigence applicable n’a', 'exigences applicables n’ont')
            sentences.append(f"{left} "
                             "pas été évaluée(s)"
                             f"{NBSP}: voir {quoted('Points non couverts')}.")
        else:
            sentences.append("Toutes les exigences applicables ont été évaluées.")
        return sentences

    def plugin_section(self, contribution: PluginContribution) -> list[Flowable]:
        if contribution.section is not None:
            return [*self.heading(str(contribution.section.title)), *contribution.section.flowables]
        out = self.heading(f"Section du module {contribution.plugin} (manquante)")
        out.append(self.p(f'<font color="#b3261e"><b>Section manquante</b></font>{NBSP}: le module '
                          f"{quoted(text(contribution.plugin))} n'a pas pu produire sa section du rapport."))
        out.append(self.p(f"Erreur{NBSP}: {text(contribution.error or 'inconnue')}", "muted"))
        return out

    def follow_up(self, follow_up: FollowUp) -> list[Flowable]:
        """The previous audit's open écarts, each with its actions and this audit's rating of the
        requirement; then how the referential changed, when the two versions differ."""
        out = self.heading("Suivi des écarts de l'audit précédent")
        if follow_up.error is not None:
            out.append(self.p(f'<font color="#b3261e"><b>Audit précédent illisible</b></font>{NBSP}: cet audit part '
                              f"de l'audit {text(follow_up.audit_id)}, qui n'a pas pu être lu ({text(follow_up.error)})."))
            return out
        kind = KINDS.get(follow_up.kind, follow_up.kind).lower()
        out.append(self.p(f"Cet audit part de l'{text(kind)} du {french_date(follow_up.date)} "
                          f"({text(follow_up.audit_id)}, référentiel version {text(follow_up.version)}). "
                          "Ses cotations, constats et preuves ont servi de référence ; ses écarts restés ouverts "
                          "sont suivis ci-dessous."))
        if not follow_up.findings:
            out.append(self.p("Aucun écart de l'audit précédent ne restait ouvert."))
        for finding in follow_up.findings:
            where = (f"exigence {text(finding.requirement)}" if finding.now_requirement == finding.requirement
                     else f"exigence {text(finding.requirement)}, devenue {text(finding.now_requirement)}"
                     if finding.now_requirement else f"exigence {text(finding.requirement)}, retirée de cette version")
            block: list[Flowable] = [
                self.p(f"{text(finding.id)} · {text(finding.class_label)} · {where}", "h3"), *self.user(finding.text)]
            assessment = self.assessments.get(finding.now_requirement or "")
            now = self.rating_label(assessment.rating) if assessment else "non cotée"
            note = f" — {text(assessment.note)}" if assessment and assessment.note else ""
            block.append(self.p(f"<b>Cotation dans cet audit</b>{NBSP}: {text(now)}{note}", "small"))
            if finding.actions:
                block.append(Spacer(1, 3))
                block.append(self.action_table(finding.actions))
            else:
                block.append(self.p("Aucune action définie.", "muted"))
            block.append(Spacer(1, 6))
            out.append(KeepTogether(block[:3]))
            out += block[3:]
        if follow_up.modified or follow_up.renumbered or follow_up.added or follow_up.removed:
            out += self.requirement_changes(follow_up)
        return out

    def requirement_changes(self, follow_up: FollowUp) -> list[Flowable]:
        out = [self.p(f"Évolution du référentiel depuis la version {text(follow_up.version)}", "h3")]
        if follow_up.modified:
            rows = [layout.head_row("Exigence modifiée", "Texte de l'audit précédent", "Texte de cet audit")]
            rows += [[layout.cell(req), layout.cell(before), layout.cell(after)]
                     for req, before, after in follow_up.modified]
            third = (CONTENT_WIDTH - 25 * mm) / 2
            out.append(layout.table(rows, [25 * mm, third, third]))
        if follow_up.renumbered:
            out.append(self.p("Exigences renumérotées (même texte)" + NBSP + ": " + text(", ".join(
                f"{before} → {after}" for before, after in follow_up.renumbered)) + "."))
        for title, changes in (("Exigences nouvelles", follow_up.added), ("Exigences retirées", follow_up.removed)):
            if changes:
                rows = [layout.head_row(title, "Texte")]
                rows += [[layout.cell(req), layout.cell(wording)] for req, wording in changes]
                out.append(layout.table(rows, [25 * mm, CONTENT_WIDTH - 25 * mm]))
        return out

    def findings(self) -> list[Flowable]:
        out = self.heading("Écarts et plans d'action")
        classes = self.tree.finding_classes
        findings = sorted(self.audit.findings, key=lambda f: (
            -(classes[f.class_].severity if f.class_ in classes else 0), _finding_order(f.id)))
        if not findings:
            out.append(self.p("Aucun écart n'a été relevé."))
            return out
        for finding in findings:
            out += self.finding_block(finding)
        return out

    def finding_block(self, finding: Finding) -> list[Flowable]:
        cls = self.tree.finding_classes.get(finding.class_)
        class_label = cls.label if cls else finding.class_
        node = self.tree.node(finding.requirement) if finding.requirement in self.tree else None
        title = f"{finding.id} · {class_label} · exigence {self.requirement_label(node) if node else finding.requirement}"
        head: list[Flowable] = [self.p(text(title), "h3")]
        if node is not None:
            variant = f" (variante {text(self.siae_type)})" if self.siae_type and node.variants.get(self.siae_type) else ""
            head.append(self.p(f"<b>Exigence</b>{variant}{NBSP}:", "small"))
            head.append(Paragraph(text(self.tree.text_for(node, self.siae_type)) or "—", self.st["quote"]))
        body: list[Flowable] = [self.p(f"<b>Constat de l'écart</b>{NBSP}:", "small"), *self.user(finding.text)]
        assessment = self.assessments.get(finding.requirement)
        if assessment is not None:
            note = f" — {text(assessment.note)}" if assessment.note else ""
            body.append(self.p(f"<b>Cotation</b>{NBSP}: {text(self.rating_label(assessment.rating))}{note}", "small"))
        evidence = [e for e in self.audit.evidence if e.requirement == finding.requirement]
        if evidence:
            listed = "<br/>".join(f"{text(e.id)} — {text(self.evidence_title(e))}" for e in evidence)
            body.append(self.p(f"<b>Preuves</b>{NBSP}:<br/>{listed}", "small"))
        else:
            body.append(self.p(f"<b>Preuves</b>{NBSP}: aucune preuve rattachée à cette exigence.", "small"))
        actions = self.audit.actions_of(finding.id)
        if actions:
            body.append(Spacer(1, 3))
            body.append(self.action_table(actions))
        elif cls is not None and cls.requires_action:
            body.append(self.p('<font color="#b3261e"><b>Plan d\'action requis et non défini.</b></font>', "small"))
        else:
            body.append(self.p("Pas de plan d'action (non requis pour cette classe).", "muted"))
        body.append(self.p(f"<b>État de l'écart</b>{NBSP}: {self.finding_state(finding, actions)}.", "small"))
        body.append(Spacer(1, 6))
        return [KeepTogether(head + body[:2]), *body[2:]]

    def finding_state(self, finding: Finding, actions: list[Action]) -> str:
        """Open or not as the services decided (`rules.open_findings`), in words."""
        if finding.id in self.data.open_findings:
            return "ouvert"
        return "clos, actions réalisées et jugées efficaces" if actions else "clos, aucune action requise"

    def evidence_title(self, evidence: Evidence) -> str:
        parts = [evidence.title]
        if evidence.version:
            parts.append(f"version {evidence.version}")
        if evidence.location:
            parts.append(evidence.location)
        if evidence.filename:
            parts.append(f"fichier {evidence.filename}")
        if evidence.reviewed_on:
            parts.append(f"revue le {french_date(evidence.reviewed_on)}")
        return ", ".join(parts)

    def action_table(self, actions: list[Action]) -> Table:
        rows = [layout.head_row("Action", "Responsable", "Échéance", "Statut", "Efficacité")]
        overdue = []
        for i, action in enumerate(actions, start=1):
            if action.effective is None:
                check = "à vérifier"
            else:
                verdict = "efficace" if action.effective else "non efficace"
                when = f" le {french_date(action.verified_at)}" if action.verified_at else ""
                check = f"{verdict}, vérifiée par {action.verified_by or '?'}{when}"
            rows.append([self.p(f"<b>{text(action.id)}</b> — {text(action.text)}", "small"),
                         layout.cell(action.owner), layout.cell(french_date(action.due)),
                         layout.cell(ACTION_STATUSES.get(action.status, action.status)), layout.cell(check)])
            if action.status != "done" and action.due < self.data.generated_on.isoformat():
                overdue.append(("TEXTCOLOR", (2, i), (2, i), ALERT))
        return layout.table(rows, [CONTENT_WIDTH - 118 * mm, 30 * mm, 26 * mm, 20 * mm, 42 * mm], extra=overdue)

    def checklist(self) -> list[Flowable]:
        out = self.heading("Liste de contrôle complète")
        out.append(self.p("Chaque exigence applicable, dans la formulation qui s'applique au type de structure, "
                          "avec sa cotation et son constat (pour une cotation N/A, son motif).", "muted"))
        widths = [CONTENT_WIDTH * 0.47, CONTENT_WIDTH * 0.17, CONTENT_WIDTH * 0.36]
        for top in self.tree.referential.nodes:
            rows = [layout.head_row("Exigence", "Cotation", "Constat")]
            extra: list[tuple] = []
            self.long_notes: list[Assessment] = []
            self.checklist_rows(top.children if not top.ratable else [top], rows, extra)
            if len(rows) == 1:
                continue
            out.append(CondPageBreak(40 * mm))
            out.append(self.p(text(self.requirement_label(top)), "h2"))
            if top.id in self.scores:
                out.append(self.p(self.score_line(self.scores[top.id]), "muted"))
            # Rows are bounded (long constats go below), so none is split: reportlab repeats the
            # column header twice on a page where it splits a row inside itself.
            out.append(layout.table(rows, widths, extra=extra, split_in_row=0))
            for assessment in self.long_notes:
                out.append(self.p(f"Constat détaillé — {text(assessment.requirement)}", "h3"))
                out += self.user(assessment.note)
        return out

    def score_line(self, score: SectionScore) -> str:
        if score.percent is None:
            return (f"Degré de satisfaction{NBSP}: non évalué — {score.rated} / {score.applicable} "
                    "exigences cotées")
        band = self.band_label(score.percent)
        return (f"Degré de satisfaction{NBSP}: {french_percent(score.percent)}"
                + (f" ({text(band)})" if band else "")
                + f" — {french_number(score.score)} / {french_number(score.max)} points, "
                f"{score.rated} / {score.applicable} exigences cotées")

    def checklist_rows(self, nodes: list[Node], rows: list, extra: list) -> None:
        for node in nodes:
            if node.ratable:
                if self.tree.applicable(node, self.siae_type):
                    self.checklist_row(node, rows, extra)
            elif any(d.ratable and self.tree.applicable(d, self.siae_type) for d in self.tree.descendants(node)):
                label = f"<b>{text(self.requirement_label(node))}</b>"
                if node.id in self.scores:
                    label += f'<br/><font size="7" color="#555555">{self.score_line(self.scores[node.id])}</font>'
                rows.append([self.p(label, "small"), "", ""])
                extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                          ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), GROUP_FILL)]
                self.checklist_rows(node.children, rows, extra)

    def checklist_row(self, node: Node, rows: list, extra: list) -> None:
        assessment = self.assessments.get(node.id)
        wording = text(self.tree.text_for(node, self.siae_type))
        if node.title:
            requirement = f"<b>{text(node.id)} {text(node.title)}</b><br/>{wording}"
        else:
            requirement = f"<b>{text(node.id)}</b> {wording}"
        shown_note = assessment.note if assessment else ""
        if len(shown_note) > LONG_NOTE:
            self.long_notes.append(assessment)
            shown_note = (shown_note[:NOTE_PREVIEW].rstrip() + "… (suite sous le tableau, "
                          f"« Constat détaillé — {node.id} »)")
        if assessment is None:
            note: Any = self.p("<i>non évaluée</i>", "small")
        elif assessment.rating == NA:
            note = self.p(f"<b>Motif{NBSP}:</b> {text(shown_note) or '<i>non donné</i>'}", "small")
        else:
            note = layout.cell(shown_note)
        rows.append([self.p(requirement, "small"), self.rating_cell(assessment), note])
        extra += self.rating_bar(assessment, 1, len(rows) - 1)

    def not_covered(self) -> list[Flowable]:
        out = self.heading("Points non couverts")
        unrated = [node for node in self.applicable if node.id not in self.assessments]
        not_applicable = [(node, self.assessments[node.id]) for node in self.applicable
                          if node.id in self.assessments and self.assessments[node.id].rating == NA]
        excluded = [node for node in self.tree.ratable if not self.tree.applicable(node, self.siae_type)]
        out.append(self.p("Exigences applicables non évaluées", "h3"))
        if unrated:
            rows = [layout.head_row("Exigence", "Formulation")]
            rows += [[layout.cell(node.id), layout.cell(self.tree.text_for(node, self.siae_type))] for node in unrated]
            out.append(layout.table(rows, [25 * mm, CONTENT_WIDTH - 25 * mm]))
        else:
            out.append(self.p(f"Aucune{NBSP}: toutes les exigences applicables ont été évaluées."))
        out.append(self.p("Exigences cotées non applicables (N/A) et motifs", "h3"))
        if not_applicable:
            rows = [layout.head_row("Exigence", "Motif")]
            rows += [[layout.cell(node.id), layout.cell(a.note or "motif non donné")] for node, a in not_applicable]
            out.append(layout.table(rows, [25 * mm, CONTENT_WIDTH - 25 * mm]))
        else:
            out.append(self.p("Aucune."))
        if excluded:
            out.append(self.p("Exigences sans objet pour ce type de structure", "h3"))
            out.append(self.p(f"Le référentiel ne les applique pas au type {quoted(text(self.type_label()))}{NBSP}: "
                              f"{text(', '.join(node.id for node in excluded))}."))
        return out

    def evidence_index(self) -> list[Flowable]:
        out = self.heading("Index des preuves")
        if not self.audit.evidence:
            out.append(self.p("Aucune preuve n'a été enregistrée."))
            return out
        rows = [layout.head_row("Réf.", "Exigence", "Document", "Version", "Emplacement et fichier")]
        for evidence in self.audit.evidence:
            where = [text(evidence.location)] if evidence.location else []
            if evidence.filename:
                where.append(f"Fichier{NBSP}: {text(evidence.filename)}")
            if evidence.reviewed_on:
                where.append(f"Reprise de l'audit précédent, revue le {french_date(evidence.reviewed_on)}")
            problem = EVIDENCE_PROBLEMS.get(self.data.evidence_states.get(evidence.id, ""))
            if problem:
                where.append(f'<font color="#b3261e"><b>{problem[0].upper()}{problem[1:]}</b></font>')
            if evidence.sha256:
                recorded = "SHA-256 enregistrée" if problem else "SHA-256"
                where.append(f'<font size="6.5">{recorded}{NBSP}: {text(evidence.sha256)}</font>')
            rows.append([layout.cell(evidence.id), layout.cell(evidence.requirement), layout.cell(evidence.title),
                         layout.cell(evidence.version), self.p("<br/>".join(where) or "—", "small")])
        out.append(layout.table(rows, [12 * mm, 20 * mm, CONTENT_WIDTH - 137 * mm, 25 * mm, 80 * mm]))
        return out

    def signatures(self) -> list[Flowable]:
        out: list[Flowable] = [CondPageBreak(90 * mm)]
        out += self.heading("Signatures")
        out.append(self.p("Les signataires attestent que ce rapport rend compte fidèlement de l'audit.", "muted"))
        rows = [layout.head_row("Qualité", "Nom", "Date", "Signature")]
        for i, auditor in enumerate(self.header.auditors):
            role = "Responsable de l'audit" if i == 0 and len(self.header.auditors) > 1 else "Auditeur"
            rows.append([layout.cell(role), layout.cell(auditor), "", ""])
        if not self.header.auditors:
            rows.append([layout.cell("Auditeur"), "", "", ""])
        rows.append([layout.cell("Représentant de la structure"), "", "", ""])
        table = layout.table(rows, [45 * mm, 55 * mm, 28 * mm, CONTENT_WIDTH - 128 * mm],
                           heights=[None] + [18 * mm] * (len(rows) - 1))
        out.append(KeepTogether([table]))
        return out
