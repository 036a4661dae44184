"""Use cases of the on-site walk that are not screens: filters, search, progress, summaries.

The TUI reads these; they take a referential tree and an audit snapshot, so they can be tested
(and reused by another face) without a terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from audit_bench.model import AuditSnapshot, Finding
from audit_bench.referential import NA, ReferentialTree
from audit_bench.referential.schema import Node, ScaleLevel
from audit_bench.services import rules
from audit_bench.services.rules import needs_finding
from audit_bench.services.text import fold

FILTERS: dict[str, str] = {
    "all": "toutes",
    "unrated": "non cotées",
    "findings": "avec écart rédigé",
    "open_findings": "écarts ouverts",
    "to_write": "écart à rédiger",
    "no_evidence": "sans preuve",
    "today": "modifiées aujourd'hui",
    "na": "N/A",
}
"""Walk filters, in the order the filter key cycles through them, with their French names."""

REPORTS_FOLDER = "rapports"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def filtered_items(tree: ReferentialTree, snapshot: AuditSnapshot, filter_id: str,
                   today: date | None = None) -> list[Node]:
    """The applicable requirements in the walk filter `filter_id` (a key of FILTERS); « today »
    is the day the changes are looked for (default: the computer's)."""
    siae_type = snapshot.header.siae_type
    keep = _filter(tree, snapshot, filter_id, today or date.today())
    return [node for node in tree.applicable_ratable(siae_type) if keep(node)]


def _filter(tree: ReferentialTree, snapshot: AuditSnapshot, filter_id: str, today: date) -> Callable[[Node], bool]:
    """Whether a requirement belongs to the filter; what it needs is gathered once per filtering."""
    rated = rules.rated(snapshot)
    if filter_id == "all":
        return lambda node: True
    if filter_id == "unrated":
        return lambda node: node.id not in rated
    if filter_id == "na":
        return lambda node: node.id in rated and rated[node.id].rating == NA
    if filter_id == "findings":
        written = {finding.requirement for finding in snapshot.findings}
        return lambda node: node.id in written
    if filter_id == "open_findings":
        still_open = {finding.requirement for finding in rules.open_findings(tree, snapshot)}
        return lambda node: node.id in still_open
    if filter_id == "to_write":
        return lambda node: needs_finding(tree, snapshot, node.id)
    if filter_id == "no_evidence":
        evidenced = {evidence.requirement for evidence in snapshot.evidence}
        return lambda node: node.id not in evidenced
    if filter_id == "today":
        day = today.isoformat()
        changed = {record.requirement for record in (*snapshot.assessments, *snapshot.evidence, *snapshot.findings)
                   if record.at[:10] == day}
        changed |= {finding.requirement for finding in snapshot.findings
                    if any(action.at[:10] == day for action in snapshot.actions_of(finding.id))}
        return lambda node: node.id in changed
    raise ValueError(f"unknown walk filter {filter_id!r}")


def next_unrated(tree: ReferentialTree, snapshot: AuditSnapshot, after: str | None) -> Node | None:
    """The first applicable unrated requirement after `after` in document order, wrapping around."""
    items = tree.applicable_ratable(snapshot.header.siae_type)
    rated = rules.rated(snapshot)
    ids = [node.id for node in items]
    start = ids.index(after) + 1 if after in ids else 0
    for node in items[start:] + items[:start]:
        if node.id not in rated:
            return node
    return None


@dataclass(frozen=True)
class SearchHit:
    node: Node
    excerpt: str
    """The matching text around the query, on one line."""


def search(tree: ReferentialTree, snapshot: AuditSnapshot, query: str, limit: int = 200) -> list[SearchHit]:
    """Requirements and sections whose id, title, text (in the structure's variant), guidance or
    expected evidence, or whose audit notes, evidence references, écarts and actions, contain
    every word of `query`, ignoring case and accents. What the auditor wrote comes first in the
    excerpt: it is what a search for « extincteur » during the visit is after."""
    words = fold(query).split()
    if not words:
        return []
    siae_type = snapshot.header.siae_type
    written = _written_by_requirement(snapshot)
    hits = []
    for node in tree.walk():
        if not node.ratable and not node.title:
            continue
        if node.ratable and not tree.applicable(node, siae_type):
            continue
        fields = [*written.get(node.id, []), node.id, node.title, tree.text_for(node, siae_type), node.intent,
                  node.guidance, tree.variant(node, siae_type).guidance,
                  *(item for hint in node.evidence for item in hint.items)]
        folded = [fold(field) for field in fields]
        haystack = " ".join(folded)
        if all(word in haystack for word in words):
            hits.append(SearchHit(node, _excerpt(fields, folded, words[0])))
            if len(hits) >= limit:
                break
    return hits


def _written_by_requirement(snapshot: AuditSnapshot) -> dict[str, list[str]]:
    """The texts the auditor wrote on each requirement: its note, evidence references, écarts and
    their actions."""
    written: dict[str, list[str]] = {}
    for assessment in snapshot.assessments:
        written.setdefault(assessment.requirement, []).append(assessment.note)
    for evidence in snapshot.evidence:
        written.setdefault(evidence.requirement, []).extend([evidence.title, evidence.location])
    for finding in snapshot.findings:
        written.setdefault(finding.requirement, []).append(finding.text)
        written[finding.requirement].extend(action.text for action in snapshot.actions_of(finding.id))
    return written


def _excerpt(fields: list[str], folded: list[str], word: str, width: int = 70) -> str:
    for original, lowered in zip(fields, folded):
        at = lowered.find(word)
        if at >= 0 and len(original) == len(lowered):
            start = max(0, at - width // 3)
            text = " ".join(original[start:start + width].split())
            return ("…" if start else "") + text + ("…" if start + width < len(original) else "")
        if at >= 0:
            return " ".join(original.split())[:width]
    return ""


def rating_legend(tree: ReferentialTree) -> list[tuple[str, ScaleLevel]]:
    """(digit, level) for each scale level, in the scale's order."""
    return sorted(tree.rating_keys.items(), key=lambda item: tree.referential.scale.index(item[1]))


def findings_of(snapshot: AuditSnapshot, requirement: str) -> list[Finding]:
    return [f for f in snapshot.findings if f.requirement == requirement]


def report_path(workspace: Path, audit_id: str, suffix: str = ".pdf") -> Path:
    """Where the walk proposes to write an audit's report: `<workspace>/rapports/<name>.pdf` (or
    `.docx`). The id is read from the file's content, which may have been edited by hand: it is
    reduced to a safe name (no folder part); `reporting.build_report` checks the folder itself."""
    name = _SAFE_NAME.sub('-', audit_id).strip('-_.')[:120] or 'rapport'
    return Path(workspace) / REPORTS_FOLDER / f"{name}{suffix}"
