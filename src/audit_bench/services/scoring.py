"""Generic section scores from the referential's scale, used when no plugin scores the audit."""

from __future__ import annotations

from audit_bench.model import SCORE_TOTAL, AuditSnapshot, SectionScore
from audit_bench.referential import NA, ReferentialTree
from audit_bench.services import rules
from audit_bench.referential.schema import Node


def generic_scores(tree: ReferentialTree, audit: AuditSnapshot) -> list[SectionScore]:
    """Points earned over the maximum for the rated applicable items, per top-level section,
    per sub-section that groups requirements, and overall. N/A and unrated items earn nothing and
    leave the maximum; `rated` and `applicable` follow `rules.progress` (N/A counts as assessed)."""
    ratings = rules.ratings_of(audit)
    siae_type = audit.header.siae_type
    scores: list[SectionScore] = []

    def section(node: Node, depth: int) -> SectionScore:
        return _score(tree, node.id, node.title or node.id, tree.descendants(node), ratings, siae_type, depth)

    for top in tree.referential.nodes:
        if not any(d.ratable for d in tree.descendants(top)):
            continue  # presentation chapters (definitions, glossary) have nothing to score
        scores.append(section(top, 0))
        for child in top.children:
            if not child.ratable and any(d.ratable for d in tree.descendants(child)):
                scores.append(section(child, 1))
    scores.append(_score(tree, SCORE_TOTAL, "Ensemble", iter(tree.ratable), ratings, siae_type, -1))
    return scores


def _score(tree: ReferentialTree, section_id: str, title: str, nodes, ratings: dict[str, str],
           siae_type: str | None, depth: int) -> SectionScore:
    earned = maximum = 0.0
    rated = applicable = 0
    best = tree.max_score
    for node in nodes:
        if not node.ratable or not tree.applicable(node, siae_type):
            continue
        rating = ratings.get(node.id)
        applicable += 1
        rated += rating is not None
        level = tree.scale_by_value.get(rating) if rating and rating != NA else None
        if level is None:
            continue
        if level.score is not None and best is not None:
            earned += level.score
            maximum += best
    percent = round(100 * earned / maximum, 1) if maximum else None
    return SectionScore(section=section_id, title=title, score=earned, max=maximum, percent=percent,
                        depth=depth, rated=rated, applicable=applicable)
