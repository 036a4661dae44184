"""The audit report as a PDF: what ISO 19011 (6.5.1) expects of an audit report, in French.

The reports layer receives plain data (`ReportInput`) and returns the PDF's bytes; reading the
audit, calling the plugins and writing the file are the services' business.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from audit_bench.model import ACTION_STATUSES, Action, Assessment, Finding
from audit_bench.model.vocab import conclusion_title
from audit_bench.referential.schema import NA, Node
from audit_bench.reports import layout
from audit_bench.reports import styles as report_styles
from audit_bench.reports.content import FollowUp, PluginContribution, ReportContent, ReportInput, is_code
from audit_bench.reports.cells import Run, TextCell, bold, cell, italic
from audit_bench.reports.layout import CONTENT_WIDTH, GROUP_FILL
from audit_bench.reports.sections import ReportSection
from audit_bench.reports.styles import FONT_BOLD, printable, text
from audit_bench.reports.typography import NBSP, french_date, french_markup, french_number, french_percent, plural
from audit_bench.reports.typography import quoted

ALERT = colors.HexColor("#b3261e")
LONG_NOTE = 1500
"""A constat longer than this (characters) is previewed in the checklist and printed in full after
the table, so every checklist row fits on a page and need not be split."""
NOTE_PREVIEW = 500
"""How many characters of a long constat the checklist shows."""


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


class _ReportBuilder(ReportContent):
    """Turns the audit into flowables, section by section; the words are `ReportContent`'s."""

    def __init__(self, data: ReportInput, contributions: list[PluginContribution]) -> None:
        super().__init__(data)
        self.contributions = contributions
        self.st = report_styles.styles()
        self.chapter = 0

    # helpers

    def p(self, markup: str, style: str = "body") -> Paragraph:
        """A paragraph of the report's words and escaped user text, all in French typography."""
        return Paragraph(french_markup(markup), self.st[style])

    def user(self, value: str, style: str = "body") -> list[Paragraph]:
        """User text as paragraphs, one per block of lines, so a huge note can flow over pages."""
        blocks = [block for block in printable(value).split("\n\n") if block.strip()]
        return [Paragraph(text(block), self.st[style]) for block in blocks] or [self.p("—", style)]

    def heading(self, title: str) -> list[Flowable]:
        self.chapter += 1
        return [CondPageBreak(60 * mm), self.p(f"{self.chapter}. {text(title)}", "h1")]

    def rating_cell(self, assessment: Assessment | None) -> TextCell:
        """The rating in words; short codes (0–3) in bold before the label. Its colour is a bar
        beside the cell (`rating_bar`), since pale scale colours are unreadable as text."""
        if assessment is None or not assessment.rated:
            return cell(italic("non cotée"))
        if assessment.rating == NA:
            return cell(bold("N/A"))
        level = self.tree.scale_by_value.get(assessment.rating)
        if level is None:
            return cell(assessment.rating)
        if is_code(level.value, level.label):
            return cell(bold(level.value), f" {level.label}")
        return cell(bold(level.label))

    def rating_bar(self, assessment: Assessment | None, column: int, row: int) -> list[tuple]:
        level = self.tree.scale_by_value.get(assessment.rating) if assessment else None
        if level is None:
            return []
        return [("LINEBEFORE", (column, row), (column, row), 3, colors.HexColor(level.colour))]

    # the story

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self.cover()
        story.append(PageBreak())
        story += self.frame_of_audit()
        story += self.summary()
        story += self.auditor_conclusion_section()
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
        header = self.header
        rows = [[self.p(f"<b>{text(label)}</b>", "small"), self.user(value)] for label, value in self.cover_facts()]
        table = layout.table(rows, [45 * mm, CONTENT_WIDTH - 45 * mm], header=False,
                           extra=[("BACKGROUND", (0, 0), (0, -1), GROUP_FILL),
                                  ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
        return [
            Spacer(1, 25 * mm),
            self.p(text(self.title()), "title"),
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
        out.append(self.p(text(self.criteria())))
        out.append(self.p("Dates, lieux et équipe d'audit", "h3"))
        out.append(self.p(text(self.team_line())))
        check = self.data.auditor_check
        if check is not None:
            out.append(self.p(self.AUDITORS_TITLE, "h3"))
            out.append(self.p(text(self.auditor_rule(check))))
            if check.warnings:
                out += [self.p(f'<font color="#b3261e"><b>À vérifier</b></font>{NBSP}: {text(w)}.')
                        for w in check.warnings]
            else:
                out.append(self.p(text(self.AUDITORS_CHECKED)))
        out.append(self.p("Échelle de cotation et classes d'écarts", "h3"))
        rows = [layout.head_row("Cotation", "Points")]
        extra = []
        for i, (level, label, points) in enumerate(self.scale_rows(), start=1):
            rows.append([cell(label), cell(points)])
            if level is not None:
                extra.append(("LINEBEFORE", (0, i), (0, i), 3, colors.HexColor(level.colour)))
        out.append(layout.table(rows, [CONTENT_WIDTH - 25 * mm, 25 * mm], extra=extra))
        out.append(Spacer(1, 4))
        rows = [layout.head_row("Classe", "Gravité", "Plan d'action")]
        for cls in sorted(referential.finding_classes, key=lambda c: -c.severity):
            rows.append([cell(cls.label), cell(str(cls.severity)),
                         cell("requis" if cls.requires_action else "facultatif")])
        out.append(layout.table(rows, [CONTENT_WIDTH - 50 * mm, 25 * mm, 25 * mm]))
        return out

    def summary(self) -> list[Flowable]:
        out = self.heading("Synthèse")
        progress = self.progress
        out.append(self.p("Avancement", "h3"))
        out.append(self.p(
            f"{text(self.progress_line())}{NBSP}; "
            f"{plural(progress.remaining, 'exigence reste', 'exigences restent')} à coter."))
        rows = [layout.head_row("Cotation", "Exigences")]
        extra = []
        for i, (level, label, count) in enumerate(self.rating_counts(), start=1):
            rows.append([cell(label), cell(str(count))])
            if level is not None:
                extra.append(("LINEBEFORE", (0, i), (0, i), 3, colors.HexColor(level.colour)))
        out.append(layout.table(rows, [CONTENT_WIDTH - 30 * mm, 30 * mm], extra=extra))

        out.append(self.p("Écarts par classe", "h3"))
        rows = [layout.head_row("Classe", "Écarts", "dont ouverts", "à rédiger")]
        for count in self.data.class_counts:
            rows.append([cell(count.label), cell(str(count.recorded)), cell(str(count.open)),
                         cell(str(count.to_write))])
        out.append(layout.table(rows, [CONTENT_WIDTH - 75 * mm, 25 * mm, 25 * mm, 25 * mm]))

        out.append(self.p("Degré de satisfaction des exigences par section", "h3"))
        out.append(self.p("Points obtenus sur le maximum des exigences cotées et applicables (hors N/A et "
                          "non cotées). Le détail par sous-section figure dans la liste de contrôle.", "muted"))
        bands = bool(self.tree.referential.score_bands)
        labels = ["Section", "Cotées", "Points", "%"] + (["Appréciation"] if bands else [])
        rows = [layout.head_row(*labels)]
        extra = []
        for i, (name, score, rated) in enumerate(self.summary_scores(), start=1):
            extra.append(("BACKGROUND", (0, i), (-1, i), GROUP_FILL))
            row = [cell(bold(name)), cell(rated),
                   cell(f"{french_number(score.score)} / {french_number(score.max)}"),
                   cell(french_percent(score.percent))]
            if bands:
                band = self.tree.band_for(score.percent)
                row.append(cell(band.label if band else "—"))
                if band:
                    extra.append(("LINEBEFORE", (4, i), (4, i), 3, colors.HexColor(band.colour)))
            rows.append(row)
        widths = [CONTENT_WIDTH - (105 if bands else 75) * mm, 22 * mm, 30 * mm, 23 * mm] + ([30 * mm] if bands else [])
        out.append(layout.table(rows, widths, extra=extra))

        out.append(self.p("Conclusions", "h3"))
        out += [self.p(text(sentence)) for sentence in self.conclusions()]
        if self.data.pending:
            out.append(self.p("Reste à faire", "h3"))
            out += [self.p(f"• {text(item)}") for item in self.data.pending]
        return out

    def auditor_conclusion_section(self) -> list[Flowable]:
        written = self.auditor_conclusion()
        if written is None:
            return []
        recommendation, conclusion = written
        out = self.heading(conclusion_title(self.header.kind))
        if recommendation is not None:
            out.append(self.p(f"<b>Recommandation</b>{NBSP}: {text(recommendation)}"))
        return out + self.user(conclusion)

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
        out = self.heading(self.FOLLOW_UP_TITLE)
        if follow_up.error is not None:
            out.append(self.p(f'<font color="#b3261e"><b>Audit précédent illisible</b></font>{NBSP}: '
                              f"{text(self.follow_up_unreadable(follow_up))}"))
            return out
        out.append(self.p(text(self.follow_up_intro(follow_up))))
        if not follow_up.findings:
            out.append(self.p(text(self.FOLLOW_UP_NONE_OPEN)))
        for finding in follow_up.findings:
            block: list[Flowable] = [self.p(text(self.followed_title(finding)), "h3"), *self.user(finding.text)]
            block.append(self.p(f"<b>Cotation dans cet audit</b>{NBSP}: {text(self.followed_rating(finding))}",
                                "small"))
            if finding.actions:
                block.append(Spacer(1, 3))
                block.append(self.action_table(finding.actions))
            else:
                block.append(self.p(text(self.NO_ACTION), "muted"))
            block.append(Spacer(1, 6))
            out.append(KeepTogether(block[:3]))
            out += block[3:]
        if follow_up.changed():
            out += self.requirement_changes(follow_up)
        return out

    def requirement_changes(self, follow_up: FollowUp) -> list[Flowable]:
        out = [self.p(text(self.changes_title(follow_up)), "h3")]
        if follow_up.modified:
            rows = [layout.head_row("Exigence modifiée", "Texte de l'audit précédent", "Texte de cet audit")]
            rows += [[cell(req), cell(before), cell(after)] for req, before, after in follow_up.modified]
            third = (CONTENT_WIDTH - 25 * mm) / 2
            out.append(layout.table(rows, [25 * mm, third, third]))
        if follow_up.renumbered:
            out.append(self.p(text(self.renumbered_line(follow_up))))
        for title, changes in (("Exigences nouvelles", follow_up.added), ("Exigences retirées", follow_up.removed)):
            if changes:
                rows = [layout.head_row(title, "Texte")]
                rows += [[cell(req), cell(wording)] for req, wording in changes]
                out.append(layout.table(rows, [25 * mm, CONTENT_WIDTH - 25 * mm]))
        return out

    def findings(self) -> list[Flowable]:
        out = self.heading("Écarts et plans d'action")
        findings = self.ordered_findings()
        if not findings:
            out.append(self.p("Aucun écart n'a été relevé."))
            return out
        for finding in findings:
            out += self.finding_block(finding)
        return out

    def finding_block(self, finding: Finding) -> list[Flowable]:
        node = self.finding_node(finding)
        head: list[Flowable] = [self.p(text(self.finding_title(finding)), "h3")]
        if node is not None:
            head.append(self.p(f"<b>Exigence</b>{text(self.variant_note(node))}{NBSP}:", "small"))
            head.append(Paragraph(text(self.tree.text_for(node, self.siae_type)) or "—", self.st["quote"]))
        body: list[Flowable] = [self.p(f"<b>Constat de l'écart</b>{NBSP}:", "small"), *self.user(finding.text)]
        assessment = self.assessments.get(finding.requirement)
        if assessment is not None:
            note = f" — {text(assessment.note)}" if assessment.note else ""
            body.append(self.p(f"<b>Cotation</b>{NBSP}: {text(self.rating_label(assessment.rating))}{note}", "small"))
        evidence = self.finding_evidence(finding)
        if evidence:
            listed = "<br/>".join(f"{text(e.id)} — {text(self.evidence_title(e))}" for e in evidence)
            body.append(self.p(f"<b>Preuves</b>{NBSP}:<br/>{listed}", "small"))
        else:
            body.append(self.p(f"<b>Preuves</b>{NBSP}: aucune preuve rattachée à cette exigence.", "small"))
        actions = self.audit.actions_of(finding.id)
        if actions:
            body.append(Spacer(1, 3))
            body.append(self.action_table(actions))
        elif self.requires_action(finding):
            body.append(self.p('<font color="#b3261e"><b>Plan d\'action requis et non défini.</b></font>', "small"))
        else:
            body.append(self.p("Pas de plan d'action (non requis pour cette classe).", "muted"))
        body.append(self.p(f"<b>État de l'écart</b>{NBSP}: {self.finding_state(finding, actions)}.", "small"))
        body.append(Spacer(1, 6))
        return [KeepTogether(head + body[:2]), *body[2:]]

    def action_table(self, actions: list[Action]) -> Table:
        rows = [layout.head_row("Action", "Responsable", "Échéance", "Statut", "Efficacité")]
        overdue = []
        for i, action in enumerate(actions, start=1):
            rows.append([cell(bold(action.id), f" — {action.text}"),
                         cell(action.owner), cell(french_date(action.due)),
                         cell(ACTION_STATUSES.get(action.status, action.status)),
                         cell(self.action_check(action))])
            if self.overdue(action):
                overdue.append(("TEXTCOLOR", (2, i), (2, i), ALERT))
        return layout.table(rows, [CONTENT_WIDTH - 118 * mm, 30 * mm, 26 * mm, 20 * mm, 42 * mm], extra=overdue)

    def checklist(self) -> list[Flowable]:
        out = self.heading("Liste de contrôle complète")
        out.append(self.p("Chaque exigence applicable, dans la formulation qui s'applique au type de structure, "
                          "avec sa cotation et son constat (pour une cotation N/A, son motif).", "muted"))
        widths = [CONTENT_WIDTH * 0.47, CONTENT_WIDTH * 0.17, CONTENT_WIDTH * 0.36]
        for top, checklist_rows in self.checklist_sections():
            rows = [layout.head_row("Exigence", "Cotation", "Constat")]
            extra: list[tuple] = []
            self.long_notes: list[Assessment] = []
            for row in checklist_rows:
                if row.group:
                    self.group_row(row.node, rows, extra)
                else:
                    self.checklist_row(row.node, rows, extra)
            out.append(CondPageBreak(40 * mm))
            out.append(self.p(text(self.requirement_label(top)), "h2"))
            if top.id in self.scores:
                out.append(self.p(text(self.score_line(self.scores[top.id])), "muted"))
            # Rows are bounded (long constats go below), so none is split: reportlab repeats the
            # column header twice on a page where it splits a row inside itself.
            out.append(layout.table(rows, widths, extra=extra, split_in_row=0))
            for assessment in self.long_notes:
                out.append(self.p(f"Constat détaillé — {text(assessment.requirement)}", "h3"))
                out += self.user(assessment.note)
        return out

    def group_row(self, node: Node, rows: list, extra: list) -> None:
        label = [bold(self.requirement_label(node))]
        if node.id in self.scores:
            label.append(Run(f"\n{self.score_line(self.scores[node.id])}", size=7, color=self.st["muted"].textColor))
        rows.append([cell(*label), "", ""])
        extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                  ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), GROUP_FILL)]

    def checklist_row(self, node: Node, rows: list, extra: list) -> None:
        assessment = self.assessments.get(node.id)
        wording = self.tree.text_for(node, self.siae_type)
        if node.title:
            requirement = cell(bold(f"{node.id} {node.title}"), f"\n{wording}")
        else:
            requirement = cell(bold(node.id), f" {wording}")
        shown_note = assessment.note if assessment else ""
        if len(shown_note) > LONG_NOTE:
            self.long_notes.append(assessment)
            shown_note = (shown_note[:NOTE_PREVIEW].rstrip() + "… (suite sous le tableau, "
                          f"« Constat détaillé — {node.id} »)")
        if assessment is None:
            note = cell(italic("non évaluée"))
        elif assessment.rating == NA:
            note = cell(bold(f"Motif{NBSP}:"), f" {shown_note}" if shown_note else italic(" non donné"))
        else:
            note = cell(shown_note)
        rating = self.rating_cell(assessment)
        pointer = self.finding_pointer(node.id)
        if pointer:
            rating = cell(*rating.runs, Run(f"\n{pointer}", FONT_BOLD, color=ALERT))
        rows.append([requirement, rating, note])
        extra += self.rating_bar(assessment, 1, len(rows) - 1)

    def not_covered(self) -> list[Flowable]:
        out = self.heading("Points non couverts")
        unrated, not_applicable, excluded = self.unrated(), self.not_applicable(), self.excluded()
        out.append(self.p("Exigences applicables non évaluées", "h3"))
        if unrated:
            rows = [layout.head_row("Exigence", "Formulation")]
            rows += [[cell(node.id), cell(self.tree.text_for(node, self.siae_type))] for node in unrated]
            out.append(layout.table(rows, [25 * mm, CONTENT_WIDTH - 25 * mm]))
        else:
            out.append(self.p(f"Aucune{NBSP}: toutes les exigences applicables ont été évaluées."))
        out.append(self.p("Exigences cotées non applicables (N/A) et motifs", "h3"))
        if not_applicable:
            rows = [layout.head_row("Exigence", "Motif")]
            rows += [[cell(node.id), cell(a.note or "motif non donné")] for node, a in not_applicable]
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
            where = [Run(evidence.location)] if evidence.location else []
            if evidence.filename:
                where.append(Run(f"Fichier{NBSP}: {evidence.filename}"))
            review = self.evidence_review(evidence)
            if review:
                where.append(Run(review))
            problem = self.evidence_problem(evidence)
            if problem:
                where.append(Run(f"{problem[0].upper()}{problem[1:]}", FONT_BOLD, color=ALERT))
            if evidence.sha256:
                recorded = "SHA-256 enregistrée" if problem else "SHA-256"
                where.append(Run(f"{recorded}{NBSP}: {evidence.sha256}", size=6.5))
            lines = [where[0], *(run._replace(text=f"\n{run.text}") for run in where[1:])] if where else []
            rows.append([cell(evidence.id), cell(evidence.requirement), cell(evidence.title),
                         cell(evidence.version), cell(*lines)])
        out.append(layout.table(rows, [12 * mm, 20 * mm, CONTENT_WIDTH - 137 * mm, 25 * mm, 80 * mm]))
        return out

    def signatures(self) -> list[Flowable]:
        out: list[Flowable] = [CondPageBreak(90 * mm)]
        out += self.heading("Signatures")
        out.append(self.p("Les signataires attestent que ce rapport rend compte fidèlement de l'audit.", "muted"))
        rows = [layout.head_row("Qualité", "Nom", "Date", "Signature")]
        rows += [[cell(role), cell(name) if name else "", "", ""] for role, name in self.signatories()]
        table = layout.table(rows, [45 * mm, 55 * mm, 28 * mm, CONTENT_WIDTH - 128 * mm],
                           heights=[None] + [18 * mm] * (len(rows) - 1))
        out.append(KeepTogether([table]))
        return out
