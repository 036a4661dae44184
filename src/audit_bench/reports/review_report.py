"""The bilan annuel (revue de direction) as a PDF, on the audit report's page frame: cover,
participants, one section per input of the pack, the consistency check's remaining points, the
decisions, signatures and distribution.

It prints a `ReviewDocument` and nothing else: for a signed review, its frozen pack and points
and its day of signature, so the same review always gives the same bytes (reportlab's invariant
mode: no creation date, no random document id).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from audit_bench.model import ROLES, CheckPoint, PackSection, Review
from audit_bench.model.vocab import REVIEW_DECISIONS, REVIEW_STATES
from audit_bench.reports import layout
from audit_bench.reports import styles as report_styles
from audit_bench.reports.cells import bold, cell, italic
from audit_bench.reports.layout import CONTENT_WIDTH, GROUP_FILL
from audit_bench.reports.styles import text
from audit_bench.reports.typography import NBSP, french_date, french_number


@dataclass(frozen=True)
class ReviewDocument:
    """What the bilan prints: the review, the structure's name, and its pack and check points
    (frozen ones for a signed review, built on the day for a draft)."""

    review: Review
    structure_name: str
    pack: list[PackSection]
    points: list[CheckPoint]
    generated_on: str
    """The day printed as the document's date: the meeting's for a signed review."""


def render_review_report(document: ReviewDocument) -> layout.BuiltDocument:
    review = document.review
    title = f"Bilan annuel {review.year} — revue de direction"
    return layout.build_document(
        _Bilan(document).story(), title=f"{title} — {document.structure_name}", subject=title,
        author=review.signature.by if review.signature else "",
        running_header=f"{document.structure_name} — {title}",
        footer=f"Bilan établi le {french_date(document.generated_on)} avec audit-bench — revue "
               f"{review.structure}/{review.id}", invariant=True)


class _Bilan:
    def __init__(self, document: ReviewDocument) -> None:
        self.document = document
        self.review = document.review
        self.st = report_styles.styles()
        self.chapter = 0

    def p(self, markup: str, style: str = "body") -> Paragraph:
        return Paragraph(markup, self.st[style])

    def heading(self, title: str) -> list[Flowable]:
        self.chapter += 1
        return [CondPageBreak(50 * mm), self.p(f"{self.chapter}. {text(title)}", "h1")]

    def story(self) -> list[Flowable]:
        story = self.cover()
        story.append(PageBreak())
        story += self.participants()
        story += self.inputs()
        story += self.points()
        story += self.decisions()
        story += self.signatures()
        story += self.distribution()
        return story

    def cover(self) -> list[Flowable]:
        review = self.review
        facts = [("Structure", self.document.structure_name),
                 ("Période revue", f"du {french_date(review.start)} au {french_date(review.end)}"),
                 ("État", REVIEW_STATES.get(review.state, review.state)),
                 ("Réunion", french_date(review.held_on) if review.held_on else "à tenir"),
                 ("Référentiels", ", ".join(dict.fromkeys(s.referential.upper() for s in self.document.pack)) or "—")]
        if review.supersedes:
            facts.append(("Remplace", f"la revue {review.supersedes}"))
        rows = [[cell(bold(label)), cell(value)] for label, value in facts]
        out: list[Flowable] = [
            Spacer(1, 25 * mm),
            self.p(f"Bilan annuel {review.year}", "title"),
            self.p(f"Revue de direction — {text(self.document.structure_name)}", "subtitle"),
            layout.table(rows, [45 * mm, CONTENT_WIDTH - 45 * mm], header=False,
                         extra=[("BACKGROUND", (0, 0), (0, -1), GROUP_FILL)]),
            Spacer(1, 8 * mm),
        ]
        if review.signature is not None:
            out.append(self.p(f"Signé par {text(review.signature.by)}. Empreinte SHA-256 du contenu signé{NBSP}: "
                              f"{review.signature.sha256}.", "muted"))
        else:
            out.append(self.p("Projet non signé : les données sont celles du jour où ce document est établi.",
                              "muted"))
        return out

    def participants(self) -> list[Flowable]:
        out = self.heading("Participants")
        if not self.review.participants:
            return out + [self.p("<i>Aucun participant inscrit.</i>")]
        rows = [layout.head_row("Rôle", "Nom", "Présence")]
        rows += [[cell(ROLES.get(p.role, p.role)), cell(p.name), cell("présent·e" if p.present else "absent·e, excusé·e")]
                 for p in self.review.participants]
        return out + [layout.table(rows, [70 * mm, 65 * mm, CONTENT_WIDTH - 135 * mm])]

    def inputs(self) -> list[Flowable]:
        out = self.heading("Données d'entrée")
        for section in self.document.pack:
            cited = " ".join(part for part in (section.referential.upper(), section.section) if part)
            source = f", ligne {section.line} du référentiel" if section.line else ""
            out.append(self.p(f"{text(section.title)}", "h3"))
            out.append(self.p(f"{text(cited)}{source}", "muted"))
            if section.no_data:
                out.append(self.p(f"<i>{text(section.no_data)}</i>"))
            if section.figures:
                rows = [layout.head_row("Donnée", "Valeur")]
                rows += [[cell(f.label), cell(_value(f.value))] for f in section.figures]
                out.append(layout.table(rows, [CONTENT_WIDTH - 35 * mm, 35 * mm],
                                        extra=[("ALIGN", (1, 0), (1, -1), "RIGHT")]))
            for line in section.details:
                out.append(self.p(f"• {text(line)}", "small"))
            out.append(Spacer(1, 3 * mm))
        return out

    def points(self) -> list[Flowable]:
        out = self.heading("Points du contrôle de cohérence restant à traiter")
        if not self.document.points:
            return out + [self.p("<i>Aucun point restant.</i>")]
        rows = [layout.head_row("Point", "Référence")]
        rows += [[cell(point.text), cell(point.ref)] for point in self.document.points]
        return out + [layout.table(rows, [CONTENT_WIDTH - 60 * mm, 60 * mm])]

    def decisions(self) -> list[Flowable]:
        out = self.heading("Décisions")
        if not self.review.decisions:
            return out + [self.p("<i>Aucune décision enregistrée.</i>")]
        rows = [layout.head_row("N°", "Nature", "Décision", "Responsable", "Échéance", "Plan")]
        rows += [[cell(d.id), cell(REVIEW_DECISIONS.get(d.kind, d.kind)), cell(d.text), cell(d.owner),
                  cell(french_date(d.due) if d.due else ""), cell(d.action or "")] for d in self.review.decisions]
        widths = [10 * mm, 32 * mm, CONTENT_WIDTH - 124 * mm, 32 * mm, 34 * mm, 16 * mm]
        return out + [layout.table(rows, widths)]

    def signatures(self) -> list[Flowable]:
        out = self.heading("Signatures")
        signature = self.review.signature
        if signature is None:
            out.append(self.p("<i>Revue non signée.</i>"))
        rows = [layout.head_row("Qualité", "Nom", "Signature")]
        rows += [[cell(ROLES.get(p.role, p.role)), cell(p.name),
                  cell(italic("signé")) if signature and p.name == signature.by else ""]
                 for p in self.review.participants if p.present]
        return out + [KeepTogether([layout.table(rows, [70 * mm, 60 * mm, CONTENT_WIDTH - 130 * mm],
                                                 heights=[None] + [14 * mm] * (len(rows) - 1))])]

    def distribution(self) -> list[Flowable]:
        out = self.heading("Diffusion")
        if not self.review.distribution:
            return out + [self.p("<i>Bilan non encore diffusé.</i>")]
        rows = [layout.head_row("Destinataire", "Envoyé le")]
        rows += [[cell(s.person), cell(french_date(s.sent_on))] for s in self.review.distribution]
        return out + [layout.table(rows, [CONTENT_WIDTH - 40 * mm, 40 * mm])]


def _value(value: int | float | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return french_number(value)
    return str(value)
