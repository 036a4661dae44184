"""What to do with the open écarts a new rating contradicts: keep, close as resolved, delete."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from audit_bench.model import Finding
from audit_bench.referential import NA, ReferentialTree
from audit_bench.tui.forms import Dialog
from audit_bench.tui.text import clean

KEEP, RESOLVE, DELETE = "keep", "resolve", "delete"
"""The answers, one key each; Échap keeps the écarts as they are."""


class ContradictionDialog(Dialog):
    """Asked right after a rating that no longer calls for an open écart of the requirement
    (an écart majeur left open on a requirement now rated conforme)."""

    BINDINGS = [
        Binding("g,escape", f"answer('{KEEP}')", "Garder"),
        Binding("c", f"answer('{RESOLVE}')", "Clore : résolu sur place"),
        Binding("s", f"answer('{DELETE}')", "Supprimer"),
    ]

    def __init__(self, tree: ReferentialTree, requirement: str, rating: str, findings: list[Finding],
                 actions: dict[str, list[str]]) -> None:
        """`actions`: the ids of each écart's actions, named before they are deleted with it."""
        super().__init__()
        self.question = contradiction_text(tree, requirement, rating, findings, actions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.question)
            yield Static(Text("g : garder · c : clore (résolu sur place) · s : supprimer · Échap : garder",
                              style="dim"))

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice)


def contradiction_text(tree: ReferentialTree, requirement: str, rating: str, findings: list[Finding],
                       actions: dict[str, list[str]]) -> Text:
    level = tree.scale_by_value.get(rating)
    label = "N/A" if rating == NA else level.label if level else rating
    text = Text(f"{clean(requirement)} est maintenant cotée « {clean(label)} », "
                "mais reste ouvert :")
    for finding in findings:
        cls = tree.finding_classes.get(finding.class_)
        text.append(f"\n  ⚑ {clean(finding.id)} ", style="bold red")
        text.append(clean(cls.label if cls else finding.class_), style="bold")
        text.append(f" : {clean(finding.text)[:120]}")
        if actions.get(finding.id):
            text.append(f"\n    actions {clean(', '.join(actions[finding.id]))} (supprimées avec lui)", style="dim")
    text.append("\n\nQue faire de cet écart ?" if len(findings) == 1 else "\n\nQue faire de ces écarts ?")
    return text
