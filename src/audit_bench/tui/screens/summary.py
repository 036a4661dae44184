"""Synthèse: scores per section as bars, écarts by class, what is still owed, and the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from audit_bench.model.vocab import conclusion_title
from audit_bench.referential.schema import recommendation_label
from audit_bench.services import AuditSession
from audit_bench.services import conclusion as conclusion_service
from audit_bench.services import rules
from audit_bench.services.errors import REFUSALS
from audit_bench.services.reporting import proposed_report_path
from audit_bench.tui.refusals import attempt, describe, writable
from audit_bench.tui.text import clean, sentence
from audit_bench.tui.widgets.audit_header import AuditHeader
from audit_bench.tui.widgets.key_bar import KeyBar
from audit_bench.tui.widgets.title_bar import TitleBar


def bar(percent: float | None, width: int) -> Text:
    if percent is None:
        return Text("░" * width, style="dim")
    full = round(width * percent / 100)
    return Text("█" * full, style="bold") + Text("░" * (width - full), style="dim")


class SummaryScreen(Screen[str | None]):
    """What the audit says so far and its conclusion; `r` writes the report where the auditor
    chooses (proposed: <workspace>/rapports/<structure>-<date>.pdf), `w` the same for Word (.docx)."""

    DEFAULT_CSS = """
SummaryScreen #summary {
    padding: 0 1;
}
"""

    TITLE = "Synthèse"

    BINDINGS = [
        Binding("r", "report('.pdf')", "Générer le rapport"),
        Binding("w", "report('.docx')", "Rapport Word"),
        Binding("i", "edit_header", "En-tête de l'audit"),
        Binding("n", "conclude", "Conclusion"),
        Binding("c", "toggle_closed", "Clore / rouvrir l'audit"),
        Binding("escape", "back", "Retour au parcours"),
    ]

    def __init__(self, session: AuditSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield AuditHeader(id="walk-header")
        with VerticalScroll(id="summary"):
            yield Static(id="summary-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#summary").focus()
        self.render_summary()

    def on_resize(self) -> None:
        self.render_summary()

    def render_summary(self) -> None:
        self.query_one("#walk-header", AuditHeader).show(self.session)
        self.query_one("#summary-text", Static).update(self.summary(max(10, min(40, self.size.width - 62))))

    def summary(self, width: int) -> Text:
        tree = self.session.tree
        snapshot = self.session.snapshot()
        text = Text()
        text.append("Scores par section", style="bold underline")
        for score in self.session.scores():
            indent = {0: "", 1: "  ", -1: ""}.get(score.depth, "  ")
            title = clean(f"{score.section if score.depth != -1 else ''} {score.title}".strip())
            title = indent + (title if len(title) <= 34 - len(indent) else title[:33 - len(indent)] + "…")
            band = tree.band_for(score.percent)
            text.append("\n" if score.depth != -1 else "\n\n")
            text.append(f"{title:<34} ", style="bold" if score.depth in (0, -1) else "")
            text.append(bar(score.percent, width) if score.depth != 1 else Text(bar(score.percent, width).plain,
                                                                                   style="dim"))
            shown = "   —  " if score.percent is None else f"{score.percent:5.0f}\u00a0%"
            text.append(f" {shown}", style=band.colour if band else "")
            text.append(f"  {score.rated}/{score.applicable}", style="dim")
            if band is not None and score.depth in (0, -1):
                text.append(f"  {clean(band.label)}", style=band.colour)
        text.append("\n\nÉcarts par classe", style="bold underline")
        text.append(f"\n{'':<34} rédigés  ouverts  à rédiger", style="dim")
        for count in rules.counts_by_class(tree, snapshot):
            text.append("\n")
            text.append(f"{clean(count.label):<34} ")
            for value, width in ((count.recorded, 8), (count.open, 9), (count.to_write, 11)):
                text.append(f"{value:>{width}}", style="bold" if value else "dim")
        done = sum(1 for action in snapshot.actions if action.status == "done")
        text.append(f"\n\nActions : {len(snapshot.actions)} dont {done} réalisée(s) ; "
                    f"écarts ouverts : {self.session.open_findings()}")
        pending = self.session.pending()
        if pending:
            text.append(f"\n\nReste à faire ({len(pending)})", style="bold underline yellow")
            for item in pending[:20]:
                text.append("\n  • ")
                text.append(clean(item.message))
            if len(pending) > 20:
                text.append(f"\n  … et {len(pending) - 20} autre(s)", style="dim")
        header = snapshot.header
        text.append(self.conclusion_text())
        text.append("\n\nEn-tête de l'audit (i : compléter)", style="bold underline")
        for label, value in (("Lieu", header.place), ("Objectifs", header.objectives), ("Champ", header.scope),
                             ("Dernier jour", header.end_date or ""), ("Auditeurs", ", ".join(header.auditors))):
            text.append(f"\n{label:<13}")
            text.append(clean(value) if value else "non précisé", style="" if value else "dim italic")
        text.append("\n\nr : générer le rapport PDF · w : le rapport Word (.docx) · i : en-tête · "
                    "n : conclusion · c : clore ou rouvrir l'audit", style="dim")
        return text

    def conclusion_text(self) -> Text:
        """The conclusion as written, or what it lacks (and whether closing waits for it)."""
        header = self.session.snapshot().header
        conclusion = header.conclusion
        missing = self.session.missing_conclusion()
        text = Text(f"\n\n{conclusion_title(header.kind)} (n : rédiger)", style="bold underline")
        if conclusion is None:
            text.append("\nnon rédigée", style="dim italic")
        else:
            if conclusion.recommendation is not None:
                label = recommendation_label(self.session.tree.referential, header.kind, conclusion.recommendation)
                text.append("\nRecommandation : ", style="bold")
                text.append(clean(label), style="bold")
            text.append("\n")
            text.append(clean(conclusion.text))
        if missing is not None:
            text.append(f"\n⚠ {clean(sentence(missing))}.", style="bold yellow")
        return text

    def action_report(self, suffix: str) -> None:
        """Ask where to write the report (the proposed path filled in), then write it."""
        from audit_bench.tui.report_place import ask_place

        proposed = proposed_report_path(self.app.workspace.path, self.session, suffix)
        ask_place(self, "Rapport Word (.docx)" if suffix == ".docx" else "Rapport PDF", proposed,
                  lambda output, replace: self.start_report(output, replace=replace))

    def start_report(self, output: Path, *, replace: bool) -> None:
        self.notify("Génération du rapport…", timeout=3)
        self.build_report(output, replace)

    @work(thread=True, exclusive=True, group="report")
    def build_report(self, output: Path, replace: bool) -> None:
        """Write the report in a thread: reportlab or python-docx is imported (and runs) off the UI."""
        from audit_bench.services.reporting import build_report

        workspace = self.app.workspace
        try:
            warnings = build_report(workspace, self.session, output, force=replace)
        except REFUSALS as exc:
            self.app.call_from_thread(self.notify, describe(exc), title="Rapport non généré",
                                      severity="error", markup=False)
            return
        message = f"Rapport écrit : {clean(output)}"
        if warnings:
            message += "\n" + "\n".join(f"• {clean(warning)}" for warning in warnings)
        self.app.call_from_thread(self.notify, message, title="Rapport", markup=False, timeout=15,
                                  severity="warning" if warnings else "information")

    def action_edit_header(self) -> None:
        """Place, objectives, scope, last day and auditors: what the report's first pages say."""
        from audit_bench.tui.forms import Field, FormDialog, FormSpec

        if not writable(self, self.session):
            return
        header = self.session.snapshot().header
        fields = [
            Field("place", "Lieu", header.place),
            Field("objectives", "Objectifs de l'audit", header.objectives),
            Field("scope", "Champ de l'audit", header.scope),
            Field("end_date", "Dernier jour (vide : un audit d'un jour)",
                  f"{date.fromisoformat(header.end_date):%d/%m/%Y}" if header.end_date else "",
                  placeholder="JJ/MM/AAAA"),
            Field("auditors", "Auditeurs (séparés par des virgules)", ", ".join(header.auditors)),
        ]

        def submit(values: dict[str, str]) -> bool:
            self.session.edit_header(values["place"], values["objectives"], values["scope"], values["end_date"],
                                     values["auditors"].split(","))
            return True

        def done(changed: bool | None) -> None:
            if changed:
                self.notify("En-tête de l'audit enregistré.")
                self.render_summary()

        self.app.push_screen(FormDialog(FormSpec("En-tête de l'audit", fields, submit)), done)

    def action_conclude(self) -> None:
        """The conclusion's text and, where the referential defines them for this kind, the recommendation."""
        from audit_bench.tui.forms import Field, FormDialog, FormSpec

        if not writable(self, self.session):
            return
        conclusion = self.session.snapshot().header.conclusion
        title = conclusion_title(self.session.snapshot().header.kind)
        fields = [Field("text", title, conclusion.text if conclusion else "", required=True)]
        choices = conclusion_service.recommendations(self.session)
        if choices:
            fields.append(Field("recommendation", "Recommandation",
                                (conclusion.recommendation if conclusion else None) or "",
                                options=[("", "À choisir"), *((c.id, c.label) for c in choices)]))

        def submit(values: dict[str, str]) -> bool:
            conclusion_service.conclude(self.session, values["text"], values.get("recommendation") or None)
            return True

        def done(changed: bool | None) -> None:
            if changed:
                self.notify("Conclusion enregistrée.")
                self.render_summary()

        self.app.push_screen(FormDialog(FormSpec(title, fields, submit)), done)

    def action_toggle_closed(self) -> None:
        """Close or reopen, once the auditor has read what it freezes or unfreezes."""
        from audit_bench.tui.forms import ConfirmDialog

        if not writable(self, self.session):
            return
        closing = self.session.snapshot().header.status != "closed"
        missing = self.session.missing_conclusion() if closing else None
        if missing is not None:
            self.notify(f"{sentence(missing)} (touche n).", title="Audit non clos", severity="error", markup=False)
            return
        question = closing_question(self.session) if closing else Text(
            "Rouvrir l'audit ? Cotations, constats, preuves, écarts et conclusion redeviendront modifiables ; "
            "la date de clôture sera effacée.")
        self.app.push_screen(ConfirmDialog(question), lambda yes: self.toggle_closed(closing) if yes else None)

    def toggle_closed(self, closing: bool) -> None:
        if not closing:
            if attempt(self, lambda: self.session.reopen_audit() or True):
                self.notify("Audit rouvert.")
        else:
            pending = attempt(self, lambda: self.session.close_audit())
            if pending is not None:
                self.notify("Audit clos." + (f" Reste à faire : {len(pending)} point(s)." if pending else ""),
                            severity="warning" if pending else "information")
        self.render_summary()

    def action_back(self) -> None:
        self.dismiss(None)


def closing_question(session: AuditSession) -> Text:
    """What closing freezes, and what is still missing: the requirements not rated, the écarts
    or actions still owed."""
    progress = session.progress()
    unrated = progress.total - progress.assessed
    text = Text("Clore l'audit ?", style="bold")
    text.append("\nCotations, constats, preuves, écarts et conclusion seront figés ; les actions restent suivies "
                "(avancement, vérification de l'efficacité).")
    if unrated:
        verb = "ne sont pas cotées" if unrated > 1 else "n'est pas cotée"
        plural = "s" if unrated > 1 else ""
        text.append(f"\n{unrated} exigence{plural} applicable{plural} {verb}.", style="bold yellow")
    owed = len(session.pending())
    if owed:
        text.append(f"\nReste à faire : {owed} point{'s' if owed > 1 else ''} (voir la synthèse).", style="yellow")
    return text
