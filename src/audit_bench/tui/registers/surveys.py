"""The « Enquêtes » tab of the Registres area: a structure's satisfaction surveys and, under them,
the results of the one highlighted; `a` records a survey, `i` imports its results, `s` sets the
threshold and the least sample, `e` raises the écart a weak result proposes."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from audit_bench.model.surveys import MOMENTS, POPULATIONS
from audit_bench.services import Workspace
from audit_bench.services.surveys import (
    SurveyRow, SurveyView, add_survey, import_results, list_surveys, raise_ecart, set_settings, show_survey,
)
from audit_bench.services.errors import UserError
from audit_bench.tui.forms import Field, FormDialog, FormSpec
from audit_bench.tui.refusals import attempt
from audit_bench.tui.registers import RegisterTab
from audit_bench.tui.text import clean, plain
from audit_bench.tui.widgets.fixed_table import FixedTable
from audit_bench.tui.widgets.listing import WIDE

TAB_TITLE = "Enquêtes"
SURVEY_COLUMNS = [("N°", 4), ("Public", 22), ("Moment", 22), ("Période", 23), ("Réponses", 9),
                  ("Satisf.", 8), ("Alertes", 24)]
COMPACT_SURVEY_COLUMNS = [column for column in SURVEY_COLUMNS if column[0] not in ("Moment", "Période")]
"""Below WIDE columns the detail says the moment and the period, so that the flags show at 80."""
QUESTION_COLUMNS = [("Q", 3), ("Question", 40), ("Engag.", 7), ("Réponses", 8), ("Satisf.", 8), ("Résultat", 22)]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}\u00a0%".replace(".", ",")


def survey_flags(row: SurveyRow) -> Text:
    flags = Text()
    for label, on in (("échantillon faible", row.small_sample), ("sous le seuil", row.under_threshold),
                      (f"{row.proposals} écart(s) à lever", row.proposals)):
        if on:
            flags.append(("  " if flags else "") + label, style="bold red" if "écart" in label else "yellow")
    return flags


def survey_cells(row: SurveyRow, compact: bool = False) -> list:
    """A survey's line; `compact`: without its moment and period (the detail says them)."""
    moment_and_period = [] if compact else [MOMENTS.get(row.moment, row.moment), f"{row.start} → {row.end}"]
    return [row.id, POPULATIONS.get(row.population, row.population), *moment_and_period,
            f"{row.answers}/{row.population_size}", percent(row.rate), survey_flags(row)]


def number(text: str, what: str, kind: type = int):
    """A number typed in a form field; empty → None."""
    text = text.strip().replace(",", ".").replace("%", "").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise UserError(f"{what} invalide « {text} » : donner un nombre") from None


class SurveysTab(RegisterTab):
    """A structure's surveys; the highlighted one's results below."""

    MAIN = "#survey-list"

    DEFAULT_CSS = """
SurveysTab #survey-settings { height: 1; padding: 0 1; color: $text-muted; }
SurveysTab #survey-list { height: auto; max-height: 8; }
SurveysTab #survey-detail { height: auto; padding: 0 1; }
SurveysTab #survey-questions { height: 1fr; }
"""

    BINDINGS = [
        Binding("a", "add", "Nouvelle enquête"),
        Binding("i", "import_results", "Importer les résultats"),
        Binding("e", "raise_ecart", "Lever l'écart proposé"),
        Binding("s", "settings", "Seuils"),
    ]

    def __init__(self, workspace: Workspace, structure_id: str) -> None:
        super().__init__(workspace, structure_id)
        self.survey: SurveyView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="survey-settings")
        yield FixedTable(id="survey-list", zebra_stripes=True)
        yield Static(id="survey-detail")
        yield FixedTable(id="survey-questions", zebra_stripes=True)

    def on_mount(self) -> None:
        compact = self.app.size.width < WIDE
        self.query_one("#survey-list", FixedTable).set_columns(
            self.fitted(COMPACT_SURVEY_COLUMNS if compact else SURVEY_COLUMNS, "Public"))
        self.query_one("#survey-questions", FixedTable).set_columns(self.fitted(QUESTION_COLUMNS, "Question"))
        self.refresh_surveys()

    def refresh_surveys(self, keep: str | None = None) -> None:
        view = attempt(self, lambda: list_surveys(self.workspace, self.structure_id))
        if view is None:
            return
        self.query_one("#survey-settings", Static).update(Text(
            f"Seuil de satisfaction : {percent(view.threshold)} · échantillon minimal : "
            f"{view.min_answers if view.min_answers is not None else '—'} réponses"))
        table = self.query_one("#survey-list", FixedTable)
        compact = self.app.size.width < WIDE
        table.set_rows([(row.id, row) for row in view.surveys], lambda row: survey_cells(row, compact))
        table.fit(6)
        if keep in table.keys:
            table.move_cursor(table.keys.index(keep))
        self.show_current()

    @property
    def current_id(self) -> str | None:
        table = self.query_one("#survey-list", FixedTable)
        return table.keys[table.cursor_row] if table.row_count else None

    def on_fixed_table_row_highlighted(self, event: FixedTable.RowHighlighted) -> None:
        if event.table.id == "survey-list":
            self.show_current()

    def show_current(self) -> None:
        survey_id = self.current_id
        self.survey = None if survey_id is None else attempt(
            self, lambda: show_survey(self.workspace, self.structure_id, survey_id))
        detail = Text()
        questions = self.query_one("#survey-questions", FixedTable)
        if self.survey is None:
            detail.append("Aucune enquête : a pour en enregistrer une.")
            questions.set_rows([], lambda q: [])
        else:
            view = self.survey
            if self.app.size.width < WIDE:
                survey = view.survey
                detail.append(f"{MOMENTS.get(survey.moment, survey.moment)}, du {survey.start} au {survey.end}\n")
            if view.levels:
                detail.append("Niveaux : " + " / ".join(map(clean, view.levels)))
                detail.append(" (satisfaits : " + " / ".join(map(clean, view.satisfied_levels)) + ")\n")
            if view.strengths:
                detail.append("Points forts : " + ", ".join(f"Q{n}" for n in view.strengths) + "\n", style="green")
            if view.weaknesses:
                detail.append("Points faibles : " + ", ".join(f"Q{n}" for n in view.weaknesses) + "\n", style="red")
            for proposal in view.proposals:
                detail.append(f"Écart proposé (e) : Q{proposal.question}\n", style="bold red")
            for warning in view.warnings:
                detail.append(f"Attention : {warning}\n", style="yellow")
            questions.set_rows([(str(q.number), q) for q in view.questions], self.question_cells)
        self.query_one("#survey-detail", Static).update(detail)

    @staticmethod
    def question_cells(question) -> list:
        if question.ecart is not None:
            result = Text(f"écart {question.ecart} levé", style="red")
        elif question.under_threshold:
            result = Text("SOUS LE SEUIL (e)", style="bold red")
        else:
            result = Text("")
        return [f"Q{question.number}", plain(question.text), plain(question.engagement), str(question.answers),
                percent(question.rate), result]

    # Actions ---------------------------------------------------------------------------------

    def action_add(self) -> None:
        def submit(values: dict[str, str]) -> str:
            return add_survey(self.workspace, self.structure_id, values["population"], values["moment"],
                              values["start"], values["end"], number(values["size"], "population") or 0,
                              number(values["answers"], "nombre de réponses") or 0).id

        fields = [Field("population", "Public interrogé", options=list(POPULATIONS.items())),
                  Field("moment", "Moment du parcours", options=list(MOMENTS.items())),
                  Field("start", "Début de la période", placeholder="JJ/MM/AAAA", required=True),
                  Field("end", "Fin de la période", placeholder="JJ/MM/AAAA", required=True),
                  Field("size", "Personnes interrogées", required=True),
                  Field("answers", "Questionnaires reçus", required=True)]
        self.app.push_screen(FormDialog(FormSpec("Nouvelle enquête de satisfaction", fields, submit,
                                                 submit_label="Enregistrer")), self.refresh_surveys)

    def action_import_results(self) -> None:
        survey_id = self.current_id
        if survey_id is None:
            self.app.notify("Enregistrer d'abord l'enquête (a).", severity="warning")
            return

        def submit(values: dict[str, str]) -> str:
            import_results(self.workspace, self.structure_id, survey_id, Path(values["path"]).expanduser())
            return survey_id

        context = Text("Une ligne par question : colonne A la question, colonne B « Engagement » (facultative), "
                       "puis une colonne par niveau de réponse, du moins au plus satisfait.")
        self.app.push_screen(FormDialog(FormSpec(f"Résultats de l'enquête {survey_id}",
                                                 [Field("path", "Fichier CSV ou XLSX", required=True)], submit,
                                                 context=context, submit_label="Importer")), self.refresh_surveys)

    def action_settings(self) -> None:
        def submit(values: dict[str, str]) -> str | None:
            set_settings(self.workspace, self.structure_id, number(values["threshold"], "seuil", float),
                         number(values["min_answers"], "échantillon minimal"))
            return self.current_id

        fields = [Field("threshold", "Seuil de satisfaction (%)", placeholder="75"),
                  Field("min_answers", "Échantillon minimal (réponses)", placeholder="30")]
        self.app.push_screen(FormDialog(FormSpec("Seuils des enquêtes", fields, submit)), self.refresh_surveys)

    def action_raise_ecart(self) -> None:
        view = self.survey
        if view is None or not view.proposals:
            self.app.notify("Aucun écart proposé pour cette enquête.", severity="warning")
            return
        questions = self.query_one("#survey-questions", FixedTable)
        highlighted = int(questions.keys[questions.cursor_row]) if questions.row_count else None
        proposal = next((p for p in view.proposals if p.question == highlighted), view.proposals[0])
        survey_id = view.survey.id

        def submit(values: dict[str, str]) -> str:
            raise_ecart(self.workspace, self.structure_id, survey_id, proposal.question, values["text"])
            return survey_id

        self.app.push_screen(FormDialog(FormSpec(
            f"Écart de l'enquête {survey_id}, question {proposal.question}",
            [Field("text", "Constat", proposal.text, required=True)], submit,
            context=Text(f"Source : enquête de satisfaction · référence : {proposal.ref}"),
            submit_label="Lever l'écart")), self.refresh_surveys)
