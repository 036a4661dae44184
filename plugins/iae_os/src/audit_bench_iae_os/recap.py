"""The RECAP of the grid, as pure functions over a referential tree and an audit snapshot.

Per action: Résultat (sum of the ratings), Note maxi (3 × rated practices), %; then per axis and
overall. Practices rated N/A, and practices that do not apply to the structure's type, are left
out of the maximum (the original spreadsheet counted every row); unrated practices are left out
too, so a partly rated grid shows the level reached on what has been rated. No I/O here.
"""

from __future__ import annotations

from typing import NamedTuple

from audit_bench.model import AuditSnapshot, SectionScore
from audit_bench.referential.schema import NA, Node
from audit_bench.referential.tree import ReferentialTree

TOTAL = "total"


class _Tally:
    __slots__ = ("score", "max", "rated", "applicable")

    def __init__(self) -> None:
        self.score = 0.0
        self.max = 0.0
        self.rated = 0
        self.applicable = 0

    def add(self, other: "_Tally") -> None:
        self.score += other.score
        self.max += other.max
        self.rated += other.rated
        self.applicable += other.applicable

    def section(self, section: str, title: str, depth: int) -> SectionScore:
        percent = 100.0 * self.score / self.max if self.max else None
        return SectionScore(section=section, title=title, score=self.score, max=self.max,
                            percent=percent, depth=depth, rated=self.rated, applicable=self.applicable)


def _tally(tree: ReferentialTree, practices: list[Node], audit: AuditSnapshot) -> _Tally:
    tally = _Tally()
    structure_type = audit.header.siae_type
    ratings = audit.assessment_map()
    top = tree.max_score or 0.0
    for practice in practices:
        if not tree.applicable(practice, structure_type):
            continue
        assessment = ratings.get(practice.id)
        if assessment is not None and assessment.rating == NA:
            continue
        tally.applicable += 1
        level = tree.scale_by_value.get(assessment.rating) if assessment is not None else None
        if level is None or level.score is None:
            continue
        tally.rated += 1
        tally.score += level.score
        tally.max += top
    return tally


def _ratable_under(tree: ReferentialTree, node: Node) -> list[Node]:
    return [n for n in tree.descendants(node) if n.ratable]


def recap(tree: ReferentialTree, audit: AuditSnapshot) -> list[SectionScore]:
    """The RECAP rows in document order: each axis (depth 0) followed by its actions (depth 1),
    then the overall total (depth -1, section "total")."""
    rows: list[SectionScore] = []
    overall = _Tally()
    for axis in tree.referential.nodes:
        axis_tally = _Tally()
        action_rows = []
        for action in axis.children:
            practices = _ratable_under(tree, action) if not action.ratable else [action]
            tally = _tally(tree, practices, audit)
            axis_tally.add(tally)
            action_rows.append(tally.section(action.id, action.title or action.text, 1))
        rows.append(axis_tally.section(axis.id, axis.title or axis.text, 0))
        rows.extend(action_rows)
        overall.add(axis_tally)
    rows.append(overall.section(TOTAL, "Total", -1))
    return rows


def axis_scores(tree: ReferentialTree, audit: AuditSnapshot) -> list[SectionScore]:
    return [row for row in recap(tree, audit) if row.depth == 0]


class AxisComparison(NamedTuple):
    """One axis compared between two evaluations of the same structure."""

    axis: str
    title: str
    older: float | None
    newer: float | None
    delta: float | None
    """newer − older in percentage points; None when either side has nothing rated."""


def compare(tree: ReferentialTree, older: AuditSnapshot, newer: AuditSnapshot) -> list[AxisComparison]:
    """Axis by axis: the older and newer percentages and the change in points."""
    before = {row.section: row for row in axis_scores(tree, older)}
    result = []
    for row in axis_scores(tree, newer):
        old = before[row.section].percent
        delta = row.percent - old if row.percent is not None and old is not None else None
        result.append(AxisComparison(row.section, row.title, old, row.percent, delta))
    return result


def band(tree: ReferentialTree, percent: float | None):
    """The documented colour band of a percentage (score_bands of the referential)."""
    return tree.band_for(percent)


def format_percent(percent: float | None) -> str:
    """French rendering, rounded like the spreadsheet: « 72 % » with a no-break space."""
    if percent is None:
        return "—"
    return f"{round(percent)}\u00a0%"
