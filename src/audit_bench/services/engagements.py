"""The engagement a survey question or a contrôle is about: a node of a referential the structure
follows (AFAQ E1…E9), checked against it; the structure's own wording when it follows none."""

from __future__ import annotations

from audit_bench.model import StructureSnapshot
from audit_bench.referential import ReferentialTree
from audit_bench.services.listing import workspace_rows
from audit_bench.services.validation import UserError, check_text
from audit_bench.services.workspace import Workspace


def followed_trees(workspace: Workspace, snapshot: StructureSnapshot) -> list[ReferentialTree]:
    """The installed referentials the structure follows: those of its certificates and its audits."""
    structure_id = snapshot.structure.id
    followed = {c.referential for c in snapshot.certifications}
    followed |= {row.referential for row in workspace_rows(workspace).audits
                 if row.error is None and row.structure == structure_id}
    installed = workspace.registry.referentials
    return [installed[ref].tree for ref in sorted(followed) if ref in installed]


def check_engagement(trees: list[ReferentialTree], engagement: str | None, what: str = "l'engagement") -> str:
    """The engagement, stripped: a node id of one of `trees` when there are any."""
    engagement = check_text(engagement, what)
    if trees and not any(engagement in tree for tree in trees):
        names = ", ".join(tree.id for tree in trees)
        raise UserError(f"engagement inconnu « {engagement} » : donner l'identifiant d'un élément de {names} "
                        f"(voir « referential show {trees[0].id} »)")
    return engagement


def engagement_title(trees: list[ReferentialTree], engagement: str) -> str:
    """The engagement's title in the first referential that has it, else empty."""
    for tree in trees:
        if engagement in tree:
            return tree.node(engagement).title
    return ""
