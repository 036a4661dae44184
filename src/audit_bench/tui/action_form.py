"""The action-plan form, opened from the walk (right after a new écart) and from the écarts."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from audit_bench.model import Finding
from audit_bench.services import AuditSession
from audit_bench.tui.forms import Field, FormSpec
from audit_bench.tui.text import clean


def action_form(session: AuditSession, finding: Finding, today: date) -> FormSpec:
    text = Text(f"{clean(finding.id)} ", style="bold")
    text.append(clean(finding.text))
    return FormSpec(
        "Plan d'action",
        [Field("text", "Action corrective", required=True, multiline=True),
         Field("owner", "Responsable", required=True),
         Field("due", "Échéance", placeholder=f"JJ/MM/AAAA (aujourd'hui : {today:%d/%m/%Y})", required=True)],
        lambda v: session.add_action(finding.id, v["text"], v["owner"], v["due"]),
        context=text, submit_label="Ajouter l'action")
