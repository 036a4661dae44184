"""`indicator define|target|record|ecart` and `indicators STRUCT`: the indicateurs de performance
(AFAQ 6.6) of a structure, their targets, values per period and the écarts they raise."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import Choice, Group, echo, emit_json, guarded, non_empty, open_workspace, workspace_option
from audit_bench.model.vocab import INDICATOR_DIRECTIONS, INDICATOR_PERIODS

if TYPE_CHECKING:
    from audit_bench.services.indicators import EcartProposal, IndicatorRow, PeriodValue


class Number(click.ParamType):
    """A decimal number as French users write it too (« 72,5 »), refused in French."""

    name = "nombre"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            return value
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            name = param.opts[0] if param is not None and param.opts else param.human_readable_name if param else "valeur"
            raise click.UsageError(f"{name} : « {value} » n'est pas un nombre", ctx)
        return number


NUMBER = Number()


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",") + (f" {unit}" if unit else "")


def flag(value: PeriodValue) -> str:
    if value.missing:
        return "MANQUANTE"
    return {True: "dans la cible", False: "HORS CIBLE", None: ""}[value.on_target]


@click.group("indicator", cls=Group)
def indicator_group() -> None:
    """Définir un indicateur de la structure, fixer sa cible, saisir ses valeurs."""


@indicator_group.command("define")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("indicator_id", metavar="ID")
@click.option("--name", required=True, callback=non_empty, help="Nom de l'indicateur.")
@click.option("--direction", required=True, type=Choice(list(INDICATOR_DIRECTIONS)),
              help="higher : plus haut est mieux ; lower : plus bas est mieux.")
@click.option("--period", required=True, type=Choice(list(INDICATOR_PERIODS)), help="Rythme de saisie.")
@click.option("--unit", default="", help="Unité (« % » pour un taux).")
@click.option("--numerator", default="", help="Pour un ratio : ce qui est compté.")
@click.option("--denominator", default="", help="Pour un ratio : sur quoi.")
@click.option("--description", default="", help="Définition, mode de calcul.")
@workspace_option
@click.pass_context
@guarded
def define_command(ctx: click.Context, structure_id: str, indicator_id: str, name: str, direction: str,
                   period: str, unit: str, numerator: str, denominator: str, description: str,
                   workspace: Path | None) -> None:
    """Définir (ou modifier) un indicateur propre à la structure."""
    from audit_bench.services.indicators import define_indicator

    define_indicator(open_workspace(ctx, workspace), structure_id, indicator_id, name, direction, period, unit,
                     numerator, denominator, description)


@indicator_group.command("target")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("indicator_id", metavar="IND")
@click.argument("target", type=NUMBER, metavar="CIBLE")
@click.option("--direction", default=None, type=Choice(list(INDICATOR_DIRECTIONS)),
              help="Le sens, si la définition ne le dit pas.")
@click.option("--period", default=None, type=Choice(list(INDICATOR_PERIODS)),
              help="Le rythme, si la définition ne le dit pas.")
@workspace_option
@click.pass_context
@guarded
def target_command(ctx: click.Context, structure_id: str, indicator_id: str, target: float, direction: str | None,
                   period: str | None, workspace: Path | None) -> None:
    """Fixer la cible de la structure pour un indicateur (AFAQ 6.6)."""
    from audit_bench.services.indicators import set_target

    set_target(open_workspace(ctx, workspace), structure_id, indicator_id, target, direction, period)


@indicator_group.command("record")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("indicator_id", metavar="IND")
@click.argument("period", metavar="PÉRIODE")
@click.option("--value", type=NUMBER, default=None, help="La valeur (indicateur qui n'est pas un ratio).")
@click.option("--numerator", type=NUMBER, default=None, help="Le numérateur d'un ratio.")
@click.option("--denominator", type=NUMBER, default=None, help="Le dénominateur d'un ratio.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def record_command(ctx: click.Context, structure_id: str, indicator_id: str, period: str, value: float | None,
                   numerator: float | None, denominator: float | None, as_json: bool, workspace: Path | None) -> None:
    """Saisir la valeur d'une période (2026, 2026-T1, 2026-03) ; hors cible, l'écart est proposé."""
    from audit_bench.services.indicators import record_value

    recorded = record_value(open_workspace(ctx, workspace), structure_id, indicator_id, period, value,
                                   numerator, denominator)
    shown, proposal = recorded.value, recorded.proposal
    if as_json:
        emit_json({"period": shown.period, "value": shown.value, "on_target": shown.on_target,
                   "proposed_ecart": None if proposal is None else proposal.text})
        return
    echo(f"{indicator_id} {shown.period} : {figure(shown.value, recorded.definition.unit)}  {flag(shown)}".rstrip())
    if proposal is not None:
        print_proposal(proposal, structure_id, indicator_id, shown.period)


def print_proposal(proposal: EcartProposal, structure_id: str, indicator_id: str, period: str) -> None:
    if proposal.existing is not None:
        echo(f"écart déjà ouvert : {proposal.existing}")
        return
    echo(f"écart proposé : {one_line(proposal.text)}")
    echo(f"le confirmer : audit-bench indicator ecart {structure_id} {indicator_id} {period}")


@indicator_group.command("ecart")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("indicator_id", metavar="IND")
@click.argument("period", metavar="PÉRIODE")
@click.option("--text", default=None, callback=non_empty, help="Constat, à la place du texte proposé.")
@workspace_option
@click.pass_context
@guarded
def ecart_command(ctx: click.Context, structure_id: str, indicator_id: str, period: str, text: str | None,
                  workspace: Path | None) -> None:
    """Confirmer l'écart qu'une valeur hors cible propose ; affiche son identifiant."""
    from audit_bench.services.indicators import raise_ecart

    echo(raise_ecart(open_workspace(ctx, workspace), structure_id, indicator_id, period, text))


@click.command("indicators")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--year", type=click.IntRange(1900, 2200), default=None, metavar="AAAA", help="Une seule année.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def indicators_command(ctx: click.Context, structure_id: str, year: int | None, as_json: bool,
                       workspace: Path | None) -> None:
    """Les indicateurs suivis : cible, valeurs par période, hors cible et manquantes, tendance annuelle."""
    from audit_bench.services.indicators import list_indicators

    view = list_indicators(open_workspace(ctx, workspace), structure_id, year)
    if as_json:
        emit_json(view.to_builtins())
        return
    if not view.indicators:
        echo("Aucun indicateur suivi : fixer une cible (indicator target) ou en définir un (indicator define).")
    for row in view.indicators:
        print_row(row)


def print_row(row: IndicatorRow) -> None:
    definition = row.definition
    direction = INDICATOR_DIRECTIONS[definition.direction] if definition.direction else "sens à fixer"
    period = INDICATOR_PERIODS[definition.period] if definition.period else "rythme à fixer"
    echo(f"{definition.id}  {one_line(definition.name)}  [{definition.origin}]")
    echo(f"  cible : {figure(row.target, definition.unit) if row.target is not None else 'à fixer'}"
         f"  ({direction}, par {period})")
    if definition.ratio:
        echo(f"  ratio : {one_line(definition.numerator)} / {one_line(definition.denominator)}")
    for value in row.values:
        counts = (f"  ({value.numerator:g} / {value.denominator:g})" if value.numerator is not None
                  and value.denominator is not None else "")
        echo(f"  {value.period}  {figure(value.value, definition.unit)}{counts}  {flag(value)}".rstrip())
    for value in row.years:
        echo(f"  année {value.period}  {figure(value.value, definition.unit)}  {flag(value)}".rstrip())


COMMANDS = [indicator_group, indicators_command]
