"""`surveys STRUCT` and `survey add|import|show|settings|ecart`: the satisfaction surveys (AFAQ 6.5)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import (
    Choice, Group, echo, emit_id, emit_json, guarded, non_empty, open_workspace, path_value, workspace_option,
)
from audit_bench.model.surveys import MOMENTS, POPULATIONS

if TYPE_CHECKING:
    from audit_bench.services.surveys import SurveyRow, SurveyView


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g} %".replace(".", ",")


@click.command("surveys")
@click.argument("structure_id", metavar="STRUCT")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def surveys_command(ctx: click.Context, structure_id: str, as_json: bool, workspace: Path | None) -> None:
    """Les enquêtes de satisfaction d'une structure, les plus récentes d'abord.

    \b
    --json : {"structure", "threshold", "min_answers", "surveys": [{"id", "population", "moment",
    "start", "end", "population_size", "answers", "response_rate", "small_sample", "rate",
    "under_threshold", "weaknesses", "proposals"}]} ; les taux en %, null sans réponse.
    """
    from audit_bench.services.surveys import list_surveys

    view = list_surveys(open_workspace(ctx, workspace), structure_id)
    if as_json:
        emit_json(view.to_builtins())
        return
    echo(f"Seuil de satisfaction : {percent(view.threshold)} ; échantillon minimal : "
         f"{view.min_answers if view.min_answers is not None else '—'}")
    if not view.surveys:
        echo("Aucune enquête. En ajouter une avec « audit-bench survey add STRUCT … ».")
    for row in view.surveys:
        echo(survey_line(row))


def survey_line(row: SurveyRow) -> str:
    flags = [flag for flag, on in (("ÉCHANTILLON FAIBLE", row.small_sample), ("SOUS LE SEUIL", row.under_threshold),
                                   (f"{row.proposals} écart(s) à lever", row.proposals)) if on]
    return (f"{row.id}  {POPULATIONS.get(row.population, row.population)}, {MOMENTS.get(row.moment, row.moment)}"
            f"  du {row.start} au {row.end}  {row.answers}/{row.population_size} réponses  "
            f"satisfaction {percent(row.rate)}" + "".join(f"  {flag}" for flag in flags))


@click.group("survey", cls=Group)
def survey_group() -> None:
    """Enregistrer une enquête de satisfaction, importer ses résultats, lire ses points forts et faibles."""


@survey_group.command("add")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--population", required=True, type=Choice(list(POPULATIONS)),
              help="Public interrogé : " + ", ".join(f"{k} ({v})" for k, v in POPULATIONS.items()) + ".")
@click.option("--moment", required=True, type=Choice(list(MOMENTS)),
              help="Moment du parcours : " + ", ".join(f"{k} ({v})" for k, v in MOMENTS.items()) + ".")
@click.option("--from", "start", required=True, callback=non_empty, help="Début de la période (JJ/MM/AAAA).")
@click.option("--to", "end", required=True, callback=non_empty, help="Fin de la période (JJ/MM/AAAA).")
@click.option("--population-size", required=True, type=click.IntRange(min=0), metavar="N",
              help="Nombre de personnes interrogées.")
@click.option("--answers", required=True, type=click.IntRange(min=0), metavar="N",
              help="Nombre de questionnaires reçus.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def add_command(ctx: click.Context, structure_id: str, population: str, moment: str, start: str, end: str,
                population_size: int, answers: int, as_json: bool, workspace: Path | None) -> None:
    """Enregistrer une enquête (résultats agrégés seulement) ; affiche son numéro (--json : {"id"})."""
    from audit_bench.services.surveys import add_survey

    survey = add_survey(open_workspace(ctx, workspace), structure_id, population, moment, start, end,
                        population_size, answers)
    emit_id(survey.id, as_json)


@survey_group.command("import")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("survey_id", metavar="ENQUETE")
@click.argument("table", metavar="FICHIER", callback=path_value)
@workspace_option
@click.pass_context
@guarded
def import_command(ctx: click.Context, structure_id: str, survey_id: str, table: Path,
                   workspace: Path | None) -> None:
    """Importer les résultats d'un tableau CSV ou XLSX (remplace les précédents).

    \b
    Une ligne d'en-tête puis une ligne par question :
      colonne A : la question ;
      colonne B, facultative, titrée « Engagement » : l'engagement mesuré (E4) ;
      les colonnes suivantes : une par niveau de réponse, du moins au plus satisfait,
      le nombre de réponses à ce niveau (cellule vide : 0).
    Un tableau fautif est refusé en entier, avec sa ligne et sa colonne.
    """
    from audit_bench.services.surveys import import_results

    survey = import_results(open_workspace(ctx, workspace), structure_id, survey_id, table)
    echo(f"{survey.id} : {len(survey.questions)} question(s), {len(survey.levels)} niveaux de réponse")


@survey_group.command("show")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("survey_id", metavar="ENQUETE")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def show_command(ctx: click.Context, structure_id: str, survey_id: str, as_json: bool,
                 workspace: Path | None) -> None:
    """Une enquête : ses résultats par question, ses points forts et faibles, les écarts proposés.

    \b
    --json : {"survey": {… comme « surveys »}, "levels", "satisfied_levels", "threshold",
    "min_answers", "questions": [{"number", "text", "engagement", "engagement_title", "counts":
    {NIVEAU: N}, "answers", "rate", "under_threshold", "ecart"}], "strengths", "weaknesses"
    (numéros de question), "proposals": [{"question", "text", "ref"}], "warnings"}.
    Le taux de satisfaction d'une question est la part de ses réponses dans la moitié haute des
    niveaux (les 2 plus satisfaits sur 4 ou sur 5).
    """
    from audit_bench.services.surveys import show_survey

    view = show_survey(open_workspace(ctx, workspace), structure_id, survey_id)
    if as_json:
        emit_json(view.to_builtins())
        return
    print_survey(view)


def print_survey(view: SurveyView) -> None:
    echo(survey_line(view.survey))
    if view.levels:
        echo(f"Niveaux : {' / '.join(map(one_line, view.levels))} (satisfaits : "
             f"{' / '.join(map(one_line, view.satisfied_levels))})")
    for question in view.questions:
        flag = f"  SOUS LE SEUIL{'' if question.ecart is None else f' (écart {question.ecart})'}" \
            if question.under_threshold else ""
        about = f" [{one_line(question.engagement)}]" if question.engagement else ""
        counts = ", ".join(f"{n}" for n in question.counts.values())
        echo(f"  Q{question.number}{about} {one_line(question.text)} : {percent(question.rate)} ({counts}){flag}")
    if view.strengths:
        echo("Points forts : " + ", ".join(f"Q{n}" for n in view.strengths))
    if view.weaknesses:
        echo("Points faibles : " + ", ".join(f"Q{n}" for n in view.weaknesses))
    for proposal in view.proposals:
        echo(f"Écart proposé (survey ecart {view.survey.id} {proposal.question}) : {one_line(proposal.text)}")
    for warning in view.warnings:
        echo(f"attention : {warning}")
    if view.threshold is None:
        echo("Le seuil se fixe par « audit-bench survey settings STRUCT --threshold POURCENT ».")


@survey_group.command("settings")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--threshold", type=float, default=None, metavar="POURCENT",
              help="Seuil de satisfaction (%) en deçà duquel un plan d'amélioration est dû.")
@click.option("--min-answers", type=int, default=None, metavar="N",
              help="Nombre de réponses en deçà duquel l'échantillon est signalé faible.")
@workspace_option
@click.pass_context
@guarded
def settings_command(ctx: click.Context, structure_id: str, threshold: float | None, min_answers: int | None,
                     workspace: Path | None) -> None:
    """Fixer le seuil de satisfaction et l'échantillon minimal de la structure (AFAQ 6.5)."""
    from audit_bench.services.surveys import set_settings

    set_settings(open_workspace(ctx, workspace), structure_id, threshold, min_answers)


@survey_group.command("ecart")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("survey_id", metavar="ENQUETE")
@click.argument("question", type=click.IntRange(min=1), metavar="QUESTION")
@click.option("--text", default=None, callback=non_empty, help="Reformuler l'écart proposé.")
@workspace_option
@click.pass_context
@guarded
def ecart_command(ctx: click.Context, structure_id: str, survey_id: str, question: int, text: str | None,
                  workspace: Path | None) -> None:
    """Lever dans le plan l'écart proposé pour une question sous le seuil ; affiche son numéro."""
    from audit_bench.services.surveys import raise_ecart

    echo(raise_ecart(open_workspace(ctx, workspace), structure_id, survey_id, question, text).id)


COMMANDS = [surveys_command, survey_group]
