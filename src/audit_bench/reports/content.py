"""What the audit report says, in plain words, whatever its format (PDF, Word).

The figures are decided by the services' rules and handed over in `ReportInput`; `ReportContent`
turns them into the report's facts and sentences (cover, conclusions, the state of an écart,
the checklist's order…) once, so the PDF and the Word document cannot disagree. Plain text here:
each format escapes and styles it its own way. No reportlab, no python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator, NamedTuple

from audit_bench.model import AUDIT_STATUSES, KINDS, Action, Assessment, AuditSnapshot, Evidence, Finding, Progress
from audit_bench.model import SectionScore
from audit_bench.referential.schema import NA, Node, ScaleLevel, recommendation_label
from audit_bench.referential.tree import ReferentialTree
from audit_bench.reports.typography import NBSP, french_date, french_number, french_percent, french_period, plural
from audit_bench.reports.typography import french_typography, quoted

NA_LABEL = "Non applicable (N/A)"
EVIDENCE_PROBLEMS = {
    "missing": "fichier absent de l'espace de travail",
    "altered": "fichier modifié depuis son dépôt (empreinte différente)",
}
"""What the evidence index says of an attached file that is no longer as it was filed."""
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """Text an XML document (Word, Excel) may hold: a control character (only a hand-edited
    file has one) becomes "�" instead of making the file unreadable."""
    return _XML_ILLEGAL.sub("\ufffd", value)


def printed(value: str) -> str:
    """Text as a Word document prints it: in French typography, XML-safe."""
    return xml_safe(french_typography(value))


@dataclass
class PluginContribution:
    """What one plugin gave through `report_sections`: a section, or the reason it is missing."""

    plugin: str
    section: Any = None
    """A `ReportSection` (reportlab flowables)."""
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

    def changed(self) -> bool:
        """The two versions of the referential differ in some requirement."""
        return bool(self.modified or self.renumbered or self.added or self.removed)


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


class ChecklistRow(NamedTuple):
    """One row of a checklist table: a group heading (`assessment` unused) or a requirement."""

    node: Node
    group: bool
    assessment: Assessment | None


def is_code(value: str, label: str) -> bool:
    """A scale value worth printing beside its label: a short code such as "2", not "conforme"."""
    return len(value) <= 3 and value.casefold() != label.casefold()


def _finding_order(finding_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in finding_id if ch.isdigit())
    return (int(digits) if digits else 0, finding_id)


class ReportContent:
    """The report's facts and sentences for one `ReportInput`, in plain text."""

    def __init__(self, data: ReportInput) -> None:
        self.data = data
        self.tree = data.tree
        self.audit = data.audit
        self.header = data.audit.header
        self.assessments = data.audit.assessment_map()
        self.siae_type = self.header.siae_type
        self.applicable = self.tree.applicable_ratable(self.siae_type)
        self.progress = data.progress
        self.scores = {score.section: score for score in data.scores if score.depth >= 0}

    # words for one thing

    def rating_label(self, rating: str | None) -> str:
        if not rating:
            return "non cotée"
        if rating == NA:
            return NA_LABEL
        level = self.tree.scale_by_value.get(rating)
        if level is None:
            return rating
        return f"{level.value} — {level.label}" if is_code(level.value, level.label) else level.label

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

    def class_label(self, class_id: str) -> str:
        cls = self.tree.finding_classes.get(class_id)
        return cls.label if cls else class_id

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

    def evidence_review(self, evidence: Evidence) -> str | None:
        """Where a carried-over reference comes from, for the evidence index."""
        if not evidence.reviewed_on:
            return None
        return f"Reprise de l'audit précédent, revue le {french_date(evidence.reviewed_on)}"

    def evidence_problem(self, evidence: Evidence) -> str | None:
        return EVIDENCE_PROBLEMS.get(self.data.evidence_states.get(evidence.id, ""))

    # the cover and the frame

    def title(self) -> str:
        return "Rapport d'autodiagnostic" if self.self_assessment() else "Rapport d'audit"

    def status_line(self) -> str:
        header = self.header
        status = AUDIT_STATUSES.get(header.status, header.status)
        if header.status == "closed" and header.closed_at:
            return f"{status} le {french_date(header.closed_at)}"
        if header.status != "closed":
            return f"{status} (rapport provisoire)"
        return status

    def cover_facts(self) -> list[tuple[str, str]]:
        header, referential = self.header, self.tree.referential
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
            ("Type d'audit", KINDS.get(header.kind, header.kind)),
            ("Dates", french_period(header.date, header.end_date)),
            ("Lieu", header.place or "non précisé"),
            (self.team_label(), ", ".join(header.auditors) or "non précisée"),
            ("Champ de l'audit", header.scope or "non précisé"),
            ("Statut de l'audit", self.status_line()),
            ("Avancement", self.progress_line()),
        ]
        return facts

    def criteria(self) -> str:
        referential = self.tree.referential
        edition = (f", édition du {french_date(referential.metadata.edition_date)}"
                   if referential.metadata.edition_date else " (date d'édition non indiquée)")
        criteria = (f"{quoted(referential.title)}, version {referential.version}{edition}, "
                    f"publié par {referential.metadata.issuer}.")
        if self.siae_type:
            criteria += (f" Les exigences sont lues dans leur variante pour le type de structure "
                         f"{quoted(self.type_label())}.")
        excluded = len(self.tree.ratable) - len(self.applicable)
        criteria += (f" {plural(self.progress.total, 'exigence applicable', 'exigences applicables')}"
                     + (f" ({excluded} sans objet pour ce type de structure)." if excluded else "."))
        return criteria

    def self_assessment(self) -> bool:
        return self.header.kind == "self-assessment"

    def team_label(self) -> str:
        """An autodiagnostic is made by the structure's own people, not by an audit team."""
        return "Réalisé par" if self.self_assessment() else "Équipe d'audit"

    def team_line(self) -> str:
        header = self.header
        place = f", {header.place}" if header.place else ""
        done = "Autodiagnostic réalisé" if self.self_assessment() else "Audit réalisé"
        return (f"{done} {french_period(header.date, header.end_date)}{place}. "
                f"{self.team_label()}{NBSP}: {', '.join(header.auditors) or 'non précisé'}.")

    # the internal auditors' check

    AUDITORS_TITLE = "Qualification et indépendance des auditeurs internes"
    AUDITORS_CHECKED = ("Vérifiées d'après les personnes de la structure : formation à l'audit "
                        "enregistrée avant l'audit, activité déclarée hors du champ audité.")

    def auditor_rule(self, check: AuditorCheck) -> str:
        return f"Exigence{NBSP}: {check.rule}."

    # the summary

    def progress_line(self) -> str:
        """The audit's progress in words, as every face states it (`rules.progress`)."""
        progress = self.progress
        return (f"{plural(progress.assessed, 'exigence cotée', 'exigences cotées')} sur "
                f"{french_number(progress.total, 0)} applicables ({progress.percent}{NBSP}%), dont {progress.na}{NBSP}N/A")

    def scale_rows(self) -> list[tuple[ScaleLevel | None, str, str]]:
        """(level, its label, its points) for each level of the scale, then N/A: the labels an
        auditor reads, with a short code (0–3) before its label, never a value such as
        « point-fort »."""
        rows: list[tuple[ScaleLevel | None, str, str]] = [
            (level, self.rating_label(level.value),
             french_number(level.score) if level.score is not None else "hors score")
            for level in self.tree.referential.scale]
        rows.append((None, f"{NA_LABEL} (le motif figure dans le constat)", "hors score"))
        return rows

    def rating_counts(self) -> list[tuple[ScaleLevel | None, str, int]]:
        """(level, label, requirements) for each level of the scale, then N/A and unrated."""
        applicable_ids = {node.id for node in self.applicable}
        ratings = [a.rating for a in self.audit.assessments if a.requirement in applicable_ids]
        counts: list[tuple[ScaleLevel | None, str, int]] = [
            (level, self.rating_label(level.value), ratings.count(level.value)) for level in self.tree.referential.scale]
        counts.append((None, NA_LABEL, self.progress.na))
        counts.append((None, "Non cotées", self.progress.remaining))
        return counts

    def summary_scores(self) -> list[tuple[str, SectionScore, str]]:
        """(name, score, "cotées / applicables") of the overall total and each top-level section."""
        shown = [s for s in self.data.scores if s.depth < 0 or (s.depth == 0 and s.applicable)]
        rows = []
        for score in shown:
            name = "Ensemble du référentiel" if score.depth < 0 else f"{score.section} {score.title}".strip()
            rated = ((self.progress.assessed, self.progress.total) if score.depth < 0
                     else (score.rated, score.applicable))
            rows.append((name, score, f"{rated[0]} / {rated[1]}"))
        return rows

    def score_line(self, score: SectionScore) -> str:
        if score.percent is None:
            return (f"Degré de satisfaction{NBSP}: non évalué — {score.rated} / {score.applicable} "
                    "exigences cotées")
        band = self.band_label(score.percent)
        return (f"Degré de satisfaction{NBSP}: {french_percent(score.percent)}"
                + (f" ({band})" if band else "")
                + f" — {french_number(score.score)} / {french_number(score.max)} points, "
                f"{score.rated} / {score.applicable} exigences cotées")

    def auditor_conclusion(self) -> tuple[str | None, str] | None:
        """(the recommendation in words, or None; the text) of the auditor's conclusion; None until written."""
        conclusion = self.header.conclusion
        if conclusion is None:
            return None
        recommendation = conclusion.recommendation
        label = None if recommendation is None else recommendation_label(self.tree.referential, self.header.kind,
                                                                           recommendation)
        return label, conclusion.text

    def conclusions(self) -> list[str]:
        sentences = []
        overall = next((s for s in self.data.scores if s.depth < 0), None)
        if overall is not None and overall.percent is not None:
            band = self.band_label(overall.percent)
            sentences.append(
                f"Sur les exigences cotées, le degré de satisfaction global est de {french_percent(overall.percent)}"
                + (f" ({quoted(band)})" if band else "") + ".")
        sections = [s for s in self.data.scores if s.depth == 0 and s.percent is not None]
        if len(sections) > 1:
            weakest = sorted(sections, key=lambda s: s.percent)[:2]
            names = " et ".join(f"{quoted(f'{s.section} {s.title}'.strip())} ({french_percent(s.percent)})"
                                for s in weakest)
            sentences.append(f"Sections les moins satisfaites{NBSP}: {names}.")
        counts = [f"{c.label.lower()} ({c.recorded})" for c in self.data.class_counts if c.recorded]
        if counts:
            open_actions = sum(1 for a in self.audit.actions if a.status != "done")
            sentences.append(f"Constats relevés{NBSP}: {', '.join(counts)}. "
                             f"{plural(open_actions, 'action corrective reste', 'actions correctives restent')} "
                             "à réaliser.")
        else:
            sentences.append("Aucun écart n'a été relevé.")
        if self.progress.remaining:
            left = plural(self.progress.remaining, "exigence applicable n’a pas été évaluée",
                          "exigences applicables n’ont pas été évaluées")
            sentences.append(f"{left}{NBSP}: voir {quoted('Points non couverts')}.")
        else:
            sentences.append("Toutes les exigences applicables ont été évaluées.")
        return sentences

    # écarts and actions

    def ordered_findings(self) -> list[Finding]:
        """The écarts, most severe class first, then in the order they were recorded."""
        classes = self.tree.finding_classes
        return sorted(self.audit.findings, key=lambda f: (
            -(classes[f.class_].severity if f.class_ in classes else 0), _finding_order(f.id)))

    def finding_node(self, finding: Finding) -> Node | None:
        return self.tree.node(finding.requirement) if finding.requirement in self.tree else None

    def finding_pointer(self, requirement: str) -> str:
        """« Écart E2 » (« Écarts E2, E3 ») for a requirement with écarts, to find them in the
        chapter of écarts; empty for one without."""
        ids = [finding.id for finding in self.audit.findings if finding.requirement == requirement]
        if not ids:
            return ""
        return f"{'Écarts' if len(ids) > 1 else 'Écart'} {', '.join(sorted(ids, key=_finding_order))}"

    def finding_title(self, finding: Finding) -> str:
        node = self.finding_node(finding)
        requirement = self.requirement_label(node) if node else finding.requirement
        return f"{finding.id} · {self.class_label(finding.class_)} · exigence {requirement}"

    def variant_note(self, node: Node) -> str:
        """" (variante ACI)" when the requirement is read in its variant for the structure's type."""
        return f" (variante {self.siae_type})" if self.siae_type and node.variants.get(self.siae_type) else ""

    def requires_action(self, finding: Finding) -> bool:
        cls = self.tree.finding_classes.get(finding.class_)
        return cls is not None and cls.requires_action

    def finding_evidence(self, finding: Finding) -> list[Evidence]:
        return [e for e in self.audit.evidence if e.requirement == finding.requirement]

    def finding_state(self, finding: Finding, actions: list[Action]) -> str:
        """Open or not as the services decided (`rules.open_findings`), in words."""
        if finding.id in self.data.open_findings:
            return "ouvert"
        return "clos, actions réalisées et jugées efficaces" if actions else "clos, aucune action requise"

    def action_check(self, action: Action) -> str:
        if action.effective is None:
            return "à vérifier"
        verdict = "efficace" if action.effective else "non efficace"
        when = f" le {french_date(action.verified_at)}" if action.verified_at else ""
        return f"{verdict}, vérifiée par {action.verified_by or '?'}{when}"

    def overdue(self, action: Action) -> bool:
        return action.status != "done" and action.due < self.data.generated_on.isoformat()

    # the previous audit's écarts

    FOLLOW_UP_TITLE = "Suivi des écarts de l'audit précédent"
    FOLLOW_UP_NONE_OPEN = "Aucun écart de l'audit précédent ne restait ouvert."
    NO_ACTION = "Aucune action définie."

    def follow_up_unreadable(self, follow_up: FollowUp) -> str:
        return (f"cet audit part de l'audit {follow_up.audit_id}, qui n'a pas pu être lu "
                f"({follow_up.error}).")

    def follow_up_intro(self, follow_up: FollowUp) -> str:
        kind = KINDS.get(follow_up.kind, follow_up.kind).lower()
        return (f"Cet audit part de l'{kind} du {french_date(follow_up.date)} ({follow_up.audit_id}, "
                f"référentiel version {follow_up.version}). Ses cotations, constats et preuves ont servi de "
                "référence ; ses écarts restés ouverts sont suivis ci-dessous.")

    def followed_title(self, finding: FollowedFinding) -> str:
        """« E2 · Écart mineur · exigence 3.1, devenue 3.2 »: where the écart's requirement is now."""
        if finding.now_requirement == finding.requirement:
            where = f"exigence {finding.requirement}"
        elif finding.now_requirement:
            where = f"exigence {finding.requirement}, devenue {finding.now_requirement}"
        else:
            where = f"exigence {finding.requirement}, retirée de cette version"
        return f"{finding.id} · {finding.class_label} · {where}"

    def followed_rating(self, finding: FollowedFinding) -> str:
        """This audit's rating of the écart's requirement, with its note."""
        assessment = self.assessments.get(finding.now_requirement or "")
        now = self.rating_label(assessment.rating) if assessment else "non cotée"
        note = f" — {assessment.note}" if assessment and assessment.note else ""
        return f"{now}{note}"

    def changes_title(self, follow_up: FollowUp) -> str:
        return f"Évolution du référentiel depuis la version {follow_up.version}"

    def renumbered_line(self, follow_up: FollowUp) -> str:
        moves = ", ".join(f"{before} → {after}" for before, after in follow_up.renumbered)
        return f"Exigences renumérotées (même texte){NBSP}: {moves}."

    # the checklist and what it does not cover

    def checklist_sections(self) -> Iterator[tuple[Node, list[ChecklistRow]]]:
        """Each top-level section with its rows (sub-section headings and applicable
        requirements, in the referential's order); sections with nothing applicable are skipped."""
        for top in self.tree.referential.nodes:
            rows: list[ChecklistRow] = []
            self._checklist_rows(top.children if not top.ratable else [top], rows)
            if rows:
                yield top, rows

    def _checklist_rows(self, nodes: list[Node], rows: list[ChecklistRow]) -> None:
        for node in nodes:
            if node.ratable:
                if self.tree.applicable(node, self.siae_type):
                    rows.append(ChecklistRow(node, False, self.assessments.get(node.id)))
            elif any(d.ratable and self.tree.applicable(d, self.siae_type) for d in self.tree.descendants(node)):
                rows.append(ChecklistRow(node, True, None))
                self._checklist_rows(node.children, rows)

    def unrated(self) -> list[Node]:
        return [node for node in self.applicable
                if node.id not in self.assessments or not self.assessments[node.id].rated]

    def not_applicable(self) -> list[tuple[Node, Assessment]]:
        return [(node, self.assessments[node.id]) for node in self.applicable
                if node.id in self.assessments and self.assessments[node.id].rating == NA]

    def excluded(self) -> list[Node]:
        return [node for node in self.tree.ratable if not self.tree.applicable(node, self.siae_type)]

    def signatories(self) -> list[tuple[str, str]]:
        """(role, name) of each signature line: the auditors, then the structure's representative."""
        rows = []
        for i, auditor in enumerate(self.header.auditors):
            role = "Responsable de l'audit" if i == 0 and len(self.header.auditors) > 1 else "Auditeur"
            rows.append((role, auditor))
        if not self.header.auditors:
            rows.append(("Auditeur", ""))
        rows.append(("Représentant de la structure", ""))
        return rows
