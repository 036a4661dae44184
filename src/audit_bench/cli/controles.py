"""`controles STRUCT` and `controle add|frequency`: the contrôles of the engagements (AFAQ 6.1)."""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import Choice, Group, echo, emit_json, guarded, non_empty, open_workspace, workspace_option

RESULTS = {"conforme": True, "ecart": False}
STATES = {"done": "fait", "due": "à faire", "missed": "MANQUÉ"}


@click.command("controles")
@click.argument("structure_id", metavar="STRUCT")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def controles_command(ctx: click.Context, structure_id: str, as_json: bool, workspace: Path | None) -> None:
    """Le tableau récapitulatif des contrôles (fréquence par engagement, dus, manqués) et les contrôles faits.

    \b
    --json : {"structure", "frequencies": [{"engagement", "title", "every_months", "last",
    "due", "missed", "periods": [{"start", "end", "label", "state", "checks"}]}],
    "checks": [{"id", "date", "observer", "engagement", "conforme", "observation", "ecart"}]} ;
    state : done, due (période en cours sans contrôle) ou missed (période finie sans contrôle).
    """
    from audit_bench.services.checks import list_checks

    view = list_checks(open_workspace(ctx, workspace), structure_id)
    if as_json:
        emit_json(view.to_builtins())
        return
    if not view.frequencies:
        echo("Aucune fréquence de contrôle : « audit-bench controle frequency STRUCT ENGAGEMENT --months N ».")
    for row in view.frequencies:
        missed = ", ".join(p.label for p in row.periods if p.state == "missed")
        title = f" {one_line(row.title)}" if row.title else ""
        echo(f"{one_line(row.engagement)}{title} : tous les {row.every_months} mois, dernier contrôle "
             f"{row.last or '—'}{'  À FAIRE' if row.due else ''}{f'  MANQUÉ : {missed}' if missed else ''}")
    for check in view.checks:
        result = "conforme" if check.conforme else f"écart {check.ecart or ''}".strip()
        observation = f" — {one_line(check.observation)}" if check.observation else ""
        echo(f"{check.id}  {check.date}  {one_line(check.engagement)}  {one_line(check.observer)}  "
             f"{result}{observation}")


@click.group("controle", cls=Group)
def controle_group() -> None:
    """Enregistrer un contrôle, fixer la fréquence des contrôles d'un engagement."""


@controle_group.command("add")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--date", "on", required=True, callback=non_empty, help="Jour de l'observation (JJ/MM/AAAA).")
@click.option("--observer", required=True, callback=non_empty, help="Qui a observé (un membre du personnel).")
@click.option("--engagement", required=True, callback=non_empty, help="L'engagement contrôlé (E4).")
@click.option("--result", required=True, type=Choice(list(RESULTS)), help="conforme, ou ecart.")
@click.option("--observation", default="", help="Le constat (requis pour un écart, qui le reprend).")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def add_command(ctx: click.Context, structure_id: str, on: str, observer: str, engagement: str, result: str,
                observation: str, as_json: bool, workspace: Path | None) -> None:
    """Enregistrer un contrôle ; un écart est levé dans le plan avec lui. Affiche son numéro
    (--json : {"id", "ecart"})."""
    from audit_bench.services.checks import add_check

    check = add_check(open_workspace(ctx, workspace), structure_id, on, observer, engagement, RESULTS[result],
                      observation)
    if as_json:
        emit_json({"id": check.id, "ecart": check.ecart or None})
    else:
        echo(check.id + (f" (écart {check.ecart})" if check.ecart else ""))


@controle_group.command("frequency")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("engagement", metavar="ENGAGEMENT")
@click.option("--months", type=click.IntRange(min=1), default=None, metavar="N",
              help="Un contrôle tous les N mois (1, 2, 3, 4, 6 ou 12 : périodes de l'année civile).")
@click.option("--clear", is_flag=True, help="Retirer l'engagement du tableau récapitulatif.")
@workspace_option
@click.pass_context
@guarded
def frequency_command(ctx: click.Context, structure_id: str, engagement: str, months: int | None, clear: bool,
                      workspace: Path | None) -> None:
    """Fixer la fréquence des contrôles d'un engagement (le tableau récapitulatif, AFAQ 6.1)."""
    from audit_bench.services.checks import set_frequency
    from audit_bench.services.errors import UserError

    if (months is None) == (not clear):
        raise UserError("donner --months N, ou --clear pour retirer la fréquence")
    set_frequency(open_workspace(ctx, workspace), structure_id, engagement, months)


COMMANDS = [controles_command, controle_group]
