"""Per-engagement synthesis of an audit: what a service-certification report leads with.

Pure data (no reportlab): the report section and the tests both read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit_bench.model import AuditSnapshot
from audit_bench.referential.schema import Indicator
from audit_bench.referential.tree import ReferentialTree

ENGAGEMENTS_CHAPTER = "IV"
WORST_FIRST = ("ecart-majeur", "ecart-mineur", "point-sensible")
VERDICTS = {
    "ecart-majeur": "Non tenu (écart majeur)",
    "ecart-mineur": "Tenu avec écart mineur",
    "point-sensible": "Tenu, point sensible",
    "conforme": "Tenu",
}
NOT_RATED = "Non évalué entièrement"


@dataclass
class EngagementSummary:
    id: str
    title: str
    total: int
    rated: int
    counts: dict[str, int] = field(default_factory=dict)
    """Ratings by scale value, plus `na`."""
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        for value in WORST_FIRST:
            if self.counts.get(value):
                return VERDICTS[value]
        if self.rated < self.total:
            return NOT_RATED
        if self.counts.get("conforme"):
            return VERDICTS["conforme"]
        return "Sans objet"


def engagement_summary(tree: ReferentialTree, audit: AuditSnapshot) -> list[EngagementSummary]:
    """One row per engagement de service: its commitments' ratings and the 6.6 indicators."""
    ratings = {a.requirement: a.rating for a in audit.assessments}
    rows = []
    for engagement in tree.node(ENGAGEMENTS_CHAPTER).children:
        commitments = [n for n in tree.descendants(engagement)
                       if n.ratable and tree.applicable(n, audit.header.siae_type)]
        counts: dict[str, int] = {}
        for node in commitments:
            if node.id in ratings:
                counts[ratings[node.id]] = counts.get(ratings[node.id], 0) + 1
        rows.append(EngagementSummary(
            id=engagement.id, title=engagement.title, total=len(commitments),
            rated=sum(counts.values()), counts=counts,
            indicators=[i for node in [engagement, *tree.descendants(engagement)] for i in node.indicators],
        ))
    return rows

