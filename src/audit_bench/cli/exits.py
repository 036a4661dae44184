"""`exits record|variant` and `exit-rate STRUCT --year Y`: the exits register (counts, never
persons) and the taux de sortie dynamique in every variant, side by side."""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import Group, echo, emit_json, guarded, non_empty, open_workspace, workspace_option
from audit_bench.model.vocab import EXIT_CLASSES

YEAR = click.IntRange(1900, 2200)


@click.group("exits", cls=Group)
def exits_group() -> None:
    """Le registre des sorties : effectifs par année, horizon et situation de sortie."""


@exits_group.command("record")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("counts", nargs=-1, metavar="SITUATION=NOMBRE...")
@click.option("--year", required=True, type=YEAR, metavar="AAAA", help="Année des sorties.")
@click.option("--months", type=click.IntRange(0, 36), default=0, show_default=True,
              help="Horizon : mois après la sortie (0 : à la sortie).")
@workspace_option
@click.pass_context
@guarded
def record_command(ctx: click.Context, structure_id: str, counts: tuple[str, ...], year: int, months: int,
                   workspace: Path | None) -> None:
    """Enregistrer les effectifs de sortie d'une année à un horizon (ex. cdi=4 inactif=2), en une écriture."""
    from audit_bench.services.exits import parse_counts, record_exits

    record_exits(open_workspace(ctx, workspace), structure_id, year, months, parse_counts(list(counts)))


@exits_group.command("variant")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("variant_id", metavar="ID")
@click.option("--label", required=True, callback=non_empty, help="Libellé de la variante.")
@click.option("--counted", multiple=True, required=True, metavar="CLASSE|SITUATION",
              help=f"Compté au numérateur (répétable) : {', '.join(EXIT_CLASSES)} ou une situation.")
@click.option("--excluded", multiple=True, metavar="CLASSE|SITUATION", help="Retiré de l'assiette (répétable).")
@workspace_option
@click.pass_context
@guarded
def variant_command(ctx: click.Context, structure_id: str, variant_id: str, label: str, counted: tuple[str, ...],
                    excluded: tuple[str, ...], workspace: Path | None) -> None:
    """Définir une variante locale du taux (ex. seul le CDI compte en emploi durable)."""
    from audit_bench.services.exits import set_local_variant

    set_local_variant(open_workspace(ctx, workspace), structure_id, variant_id, label, list(counted), list(excluded))


@click.command("exit-rate")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--year", required=True, type=YEAR, metavar="AAAA", help="Année des sorties.")
@click.option("--variant", default=None, callback=non_empty, metavar="ID",
              help="Ajouter au JSON la variante locale ID (clé « local »).")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def exit_rate_command(ctx: click.Context, structure_id: str, year: int, variant: str | None, as_json: bool,
                      workspace: Path | None) -> None:
    """Le taux de sortie dynamique, variantes officielle et URIAE côte à côte, à chaque horizon."""
    from audit_bench.services.exits import exit_rate

    view = exit_rate(open_workspace(ctx, workspace), structure_id, year, variant)
    if as_json:
        emit_json(view.to_builtins())
        return
    echo(f"Taux de sortie dynamique {view.year} ({view.referential})")
    for horizon in view.horizons:
        when = "à la sortie" if horizon.months == 0 else f"à {horizon.months} mois"
        breakdown = ", ".join(f"{EXIT_CLASSES[c]} {n}" for c, n in horizon.by_class.items() if n)
        echo(f"{when} : {horizon.total} sortie(s)" + (f" ({breakdown})" if breakdown else ""))
        for rate in horizon.variants:
            echo(f"  {one_line(rate.label)} : {one_line(rate.formula)}")


COMMANDS = [exits_group, exit_rate_command]
