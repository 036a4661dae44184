"""What the bilan annuel says, in plain words, whatever its format (PDF, Word): the cover's facts,
each chapter's heading, rows and empty-case sentence, once, so the two documents cannot disagree.
Plain text here: each format escapes and styles it its own way. No reportlab, no python-docx."""

from __future__ import annotations

from dataclasses import dataclass

from audit_bench.model import ROLES, CheckPoint, Figure, PackSection, Review
from audit_bench.model.vocab import REVIEW_DECISIONS, REVIEW_STATES
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


@dataclass(frozen=True)
class Chapter:
    """A chapter as a table: its heading, the table's header and rows, and what it says when empty."""

    title: str
    header: list[str]
    rows: list[list[str]]
    empty: str
    """Printed instead of the table when there is no row."""
    note: str = ""
    """Printed above the table (the signatures of a review not signed yet)."""


class ReviewContent:
    def __init__(self, document: ReviewDocument) -> None:
        self.document = document
        self.review = document.review

    def title(self) -> str:
        return f"Bilan annuel {self.review.year}"

    def subtitle(self) -> str:
        return f"Revue de direction — {self.document.structure_name}"

    def running_header(self) -> str:
        return f"{self.document.structure_name} — {self.title()} — revue de direction"

    def footer(self) -> str:
        return (f"Bilan établi le {french_date(self.document.generated_on)} avec audit-bench — revue "
                f"{self.review.structure}/{self.review.id}")

    def cover_facts(self) -> list[tuple[str, str]]:
        review = self.review
        referentials = ", ".join(dict.fromkeys(s.cite or s.referential.upper() for s in self.document.pack))
        facts = [("Structure", self.document.structure_name),
                 ("Période revue", f"du {french_date(review.start)} au {french_date(review.end)}"),
                 ("État", REVIEW_STATES.get(review.state, review.state)),
                 ("Réunion", french_date(review.held_on) if review.held_on else "à tenir"),
                 ("Référentiels", referentials or "—")]
        if review.supersedes:
            facts.append(("Remplace", f"la revue {review.supersedes}"))
        return facts

    def signature_note(self) -> str:
        signature = self.review.signature
        if signature is None:
            return "Projet non signé : les données sont celles du jour où ce document est établi."
        return f"Signé par {signature.by}. Empreinte SHA-256 du contenu signé{NBSP}: {signature.sha256}."

    def participants(self) -> Chapter:
        return Chapter("Participants", ["Rôle", "Nom", "Présence"],
                       [[ROLES.get(p.role, p.role), p.name, "présent·e" if p.present else "absent·e, excusé·e"]
                        for p in self.review.participants], "Aucun participant inscrit.")

    INPUTS = "Données d'entrée"

    @staticmethod
    def cited(section: PackSection) -> str:
        """Where the referential states the input: « AFAQ 6.7, ligne 341 du référentiel »."""
        return section.citation() + (f", ligne {section.line} du référentiel" if section.line else "")

    @staticmethod
    def compared(section: PackSection) -> bool:
        """Whether the section's figures are compared with earlier ones (a column each)."""
        return any(figure.previous is not None for figure in section.figures)

    @classmethod
    def figure_header(cls, section: PackSection) -> list[str]:
        return ["Donnée", "Valeur", "Précédent", "Évolution"] if cls.compared(section) else ["Donnée", "Valeur"]

    @classmethod
    def figure_rows(cls, section: PackSection) -> list[list[str]]:
        if not cls.compared(section):
            return [[figure.label, value_text(figure.value, figure.unit)] for figure in section.figures]
        return [[figure.label, value_text(figure.value, figure.unit), value_text(figure.previous, figure.unit),
                 evolution_text(figure)] for figure in section.figures]

    def points(self) -> Chapter:
        return Chapter("Points du contrôle de cohérence restant à traiter", ["Point", "Référence"],
                       [[point.text, self.local(point.ref)] for point in self.document.points],
                       "Aucun point restant.")

    def local(self, ref: str) -> str:
        """A reference within the structure the bilan is about, without its id (on the cover):
        « RD1/D2 », « IND3 »; an audit's or a referential's as it is."""
        own = f"{self.review.structure}/"
        return ref[len(own):] if ref.startswith(own) else ref

    def decisions(self) -> Chapter:
        return Chapter("Décisions", ["N°", "Nature", "Décision", "Responsable", "Échéance", "Plan"],
                       [[d.id, REVIEW_DECISIONS.get(d.kind, d.kind), d.text, d.owner,
                         french_date(d.due) if d.due else "", d.action or ""] for d in self.review.decisions],
                       "Aucune décision enregistrée.")

    def signatures(self) -> Chapter:
        """The present participants, the signatory's line marked « signé »."""
        signature = self.review.signature
        return Chapter("Signatures", ["Qualité", "Nom", "Signature"],
                       [[ROLES.get(p.role, p.role), p.name,
                         "signé" if signature is not None and p.name == signature.by else ""]
                        for p in self.review.participants if p.present],
                       "Aucun participant présent.", note="Revue non signée." if signature is None else "")

    def distribution(self) -> Chapter:
        return Chapter("Diffusion", ["Destinataire", "Envoyé le"],
                       [[s.person, french_date(s.sent_on)] for s in self.review.distribution],
                       "Bilan non encore diffusé.")


def value_text(value: int | float | str | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    shown = french_number(value) if isinstance(value, float) else str(value)
    return f"{shown}{NBSP}{unit}" if unit else shown


def evolution_text(figure: Figure) -> str:
    """The change since the previous value, signed: « +33,3 points » for percentages."""
    if not isinstance(figure.value, (int, float)) or figure.previous is None:
        return "—"
    change = round(figure.value - figure.previous, 1)
    unit = "points" if figure.unit == "%" else figure.unit
    return f"{'+' if change > 0 else ''}{french_number(change)}" + (f"{NBSP}{unit}" if unit else "")


COMMENT_LABEL = "Analyse du référent qualité"
"""What heads the référent's text for an input, wherever the review is shown."""


def comment_paragraphs(review: Review, section: PackSection) -> list[str]:
    """The référent's text for the section's input, a paragraph per line he typed (blank lines dropped):
    the bilan prints it under the section's figures and lines, headed `COMMENT_LABEL`."""
    return [line.strip() for line in review.comment_of(section.referential, section.input).split("\n") if line.strip()]
