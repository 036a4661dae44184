"""The previous audit in the walk of an audit that starts from it: what it recorded for a
requirement (as reference, never as the new rating), its open écarts and the referential's changes."""

from __future__ import annotations

from typing import Callable

from rich.text import Text

from audit_bench.model import ACTION_STATUSES, KINDS, Evidence
from audit_bench.referential import NA
from audit_bench.services.followup import Previous
from audit_bench.tui.text import clean


def audit_label(previous: Previous) -> str:
    header = previous.header
    return f"{KINDS.get(header.kind, header.kind)} du {header.date}"


def evidence_label(evidence: Evidence) -> str:
    details = " — ".join(part for part in (evidence.version, evidence.location) if part)
    return f"{evidence.title}" + (f" — {details}" if details else "")


def append_reference(text: Text, previous: Previous, requirement: str, carried: set[str]) -> None:
    """What the previous audit recorded for `requirement`, under the walk's own record."""
    text.append(f"\n\nAudit précédent ({clean(audit_label(previous))})", style="bold underline")
    reference = previous.reference(requirement)
    if reference is None:
        text.append("\n  Exigence nouvelle : absente de l'audit précédent.", style="italic")
        return
    if reference.previous_id != requirement:
        text.append(f"\n  Exigence {clean(reference.previous_id)} dans l'audit précédent (même texte).", style="dim")
    if reference.previous_text is not None:
        text.append("\n  ⚠ Exigence modifiée : ", style="bold yellow")
        text.append("texte de l'audit précédent : « ")
        text.append(clean(reference.previous_text), style="italic")
        text.append(" »")
    assessment = reference.assessment
    text.append("\n  Cotation : ", style="dim")
    if assessment is None or not assessment.rated:
        text.append("non cotée", style="dim")
        if assessment is not None:
            text.append(f" — {clean(assessment.note)}", style="dim")
    else:
        level = previous.tree.scale_by_value.get(assessment.rating)
        label = "N/A" if assessment.rating == NA else level.label if level else assessment.rating
        text.append(clean(label), style="dim bold")
        if assessment.note:
            text.append(f" — {clean(assessment.note)}", style="dim")
    for evidence in reference.evidence:
        mark = " ✓ reprise" if f"{previous.header.id}/{evidence.id}" in carried else ""
        text.append(f"\n  • {clean(evidence.id)} {clean(evidence_label(evidence))}", style="dim")
        text.append(mark, style="green")
    for finding in reference.open_findings:
        cls = previous.tree.finding_classes.get(finding.class_)
        text.append(f"\n  ⚑ Écart ouvert {clean(finding.id)} ({clean(cls.label if cls else finding.class_)}) : ",
                    style="bold red")
        text.append(clean(finding.text))
        for action in previous.actions_of(finding.id):
            text.append(f"\n      → {clean(action.id)} {clean(action.text)} ({clean(action.owner)}, {action.due}) ")
            text.append(clean(ACTION_STATUSES.get(action.status, action.status)), style="italic")
    if reference.evidence:
        text.append("\n  r : reprendre ses preuves", style="dim")


def follow_up_text(previous: Previous, now_rating: Callable[[str], str]) -> Text:
    """The previous audit's open écarts with their actions and this audit's rating of each
    requirement, then the referential's changes between the two versions."""
    text = Text()
    header = previous.header
    text.append(f"{clean(audit_label(previous))} — {clean(header.id)}\n", style="bold")
    text.append(f"Référentiel version {clean(header.referential.version)}\n\n", style="dim")
    text.append(f"Écarts restés ouverts ({len(previous.open_findings)})", style="bold underline")
    if not previous.open_findings:
        text.append("\n  Aucun.", style="dim")
    for finding in previous.open_findings:
        cls = previous.tree.finding_classes.get(finding.class_)
        now = previous.new_id(finding.requirement)
        text.append(f"\n⚑ {clean(finding.id)} · {clean(cls.label if cls else finding.class_)} · "
                    f"exigence {clean(finding.requirement)}", style="bold")
        text.append(f"\n  {clean(finding.text)}")
        text.append("\n  Dans cet audit : ", style="dim")
        text.append(clean(now_rating(now) if now else "exigence retirée de cette version"), style="dim bold")
        for action in previous.actions_of(finding.id):
            text.append(f"\n    → {clean(action.id)} {clean(action.text)} ({clean(action.owner)}, {action.due}) ")
            text.append(clean(ACTION_STATUSES.get(action.status, action.status)), style="italic")
    if previous.version_changed:
        text.append("\n\nÉvolution du référentiel", style="bold underline")
        for change in previous.modified:
            text.append(f"\n⚠ {clean(change.requirement)} modifiée", style="bold yellow")
            text.append(f"\n  avant : {clean(change.previous_text)}\n  après : {clean(change.text)}")
        for change in previous.renumbered:
            text.append(f"\n↪ {clean(change.previous_id)} devenue {clean(change.requirement)} (même texte)")
        for change in previous.added:
            text.append(f"\n+ {clean(change.requirement)} nouvelle : {clean(change.text)}")
        for change in previous.removed:
            text.append(f"\n− {clean(change.requirement)} retirée : {clean(change.text)}")
    return text
