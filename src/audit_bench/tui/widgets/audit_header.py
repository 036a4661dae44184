"""The audit's identity line, at the top of the walk, the écarts and the synthesis."""

from __future__ import annotations

from rich.text import Text

from audit_bench.model.vocab import KINDS
from audit_bench.services import AuditSession
from audit_bench.services.errors import read_only_message
from audit_bench.tui.text import clean, percent_text, sentence
from audit_bench.tui.widgets.fitted_text import FittedText


class AuditHeader(FittedText):
    """One or two lines naming the audit, its progress, and whether it can be changed."""

    DEFAULT_CSS = "AuditHeader { padding: 0 1; background: $boost; }"

    def show(self, session: AuditSession) -> None:
        self.show_text(header_text(session))


def header_text(session: AuditSession) -> Text:
    header = session.snapshot().header
    text = Text()
    text.append(clean(header.org), style="bold")
    if header.siae_type:
        text.append(f" ({clean(header.siae_type)})", style="bold")
    text.append(" · ")
    text.append(f"{clean(header.referential.id)} (v. {clean(header.referential.version)})")
    text.append(f" · {clean(KINDS.get(header.kind, header.kind))} · {clean(header.date)}")
    text.append(f" · cotées {percent_text(session.progress())} · écarts ouverts {session.open_findings()}")
    if session.read_only:
        text.append("\n")
        text.append(sentence(clean(read_only_message(session.locked_by))), style="bold reverse red")
        text.append(" — rien ne peut être modifié ici.")
    elif header.status == "closed":
        text.append("\nAUDIT CLOS", style="bold reverse yellow")
        text.append(" — cotations, preuves et écarts figés ; les actions restent modifiables.")
    return text
