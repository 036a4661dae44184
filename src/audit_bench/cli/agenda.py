"""`agenda`, `agenda-done`, `agenda-done-delete`: what is due, and the obligations recorded as met."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import echo, emit_json, guarded, non_empty, open_workspace, path_value, workspace_option
from audit_bench.model.cycle import DAYS_AHEAD
from audit_bench.model.vocab import AGENDA_STATES

if TYPE_CHECKING:
    from audit_bench.services.agenda import AgendaView

@click.command("agenda")
@click.option("--structure", default=None, callback=non_empty, metavar="ID", help="Seulement cette structure.")
@click.option("--within", default=DAYS_AHEAD, type=click.IntRange(min=0), metavar="JOURS", show_default=True,
              help="Jusqu'où regarder devant (jours) ; ce qui est en retard est toujours listé.")
@click.option("--ics", "ics", default=None, callback=path_value, metavar="FICHIER.ics",
              help="Écrire aussi l'agenda au format iCalendar (Thunderbird, Outlook).")
@click.option("--force", is_flag=True, help="Remplacer le fichier --ics s'il existe.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def agenda_command(ctx: click.Context, structure: str | None, within: int, ics: Path | None, force: bool,
                   as_json: bool, workspace: Path | None) -> None:
    """Ce qui est dû : audits du cycle, obligations du référentiel, fins de validité, actions."""
    from audit_bench.services.agenda import agenda, write_calendar

    bench = open_workspace(ctx, workspace)
    view = agenda(bench, date.today(), structure, within)
    if ics is not None:
        written = write_calendar(bench, view, ics, force=force)
        if not as_json:
            echo(f"agenda écrit : {written} ({len(view.items)} échéance(s))", err=True)
    if as_json:
        emit_json(view.to_builtins())
        return
    print_agenda(view)


def print_agenda(view: AgendaView) -> None:
    if not view.items:
        echo("Rien à l'agenda.")
    for item in view.items:
        done = f" — {one_line(item.done_by)}" if item.done_by else ""
        echo(f"{item.date}  {AGENDA_STATES[item.state]:<9}  {one_line(item.structure_name)} : {one_line(item.title)}"
             f"  [{one_line(item.rule)}]{done}  ({item.ref})")
    for entry in view.to_set:
        echo(f"à fixer : {one_line(entry.structure_name)} — {entry.what} [{one_line(entry.rule)}] : "
             f"audit-bench structure frequency {entry.structure} --referential {entry.referential} "
             f"--of {entry.of} --months N")


@click.command("agenda-done")
@click.argument("structure_id", metavar="STRUCTURE")
@click.option("--referential", "ref", required=True, callback=non_empty, help="Identifiant du référentiel.")
@click.option("--obligation", required=True, callback=non_empty,
              help="Identifiant de l'obligation (voir audit-bench agenda --json, clé obligation).")
@click.option("--on", "on", required=True, callback=non_empty, help="Date de réalisation (AAAA-MM-JJ).")
@click.option("--note", default="", help="Ce qui le montre (compte rendu signé, classeur…).")
@workspace_option
@click.pass_context
@guarded
def agenda_done_command(ctx: click.Context, structure_id: str, ref: str, obligation: str, on: str, note: str,
                        workspace: Path | None) -> None:
    """Marquer fait une obligation qu'aucun registre n'enregistre encore (revue, enquête, bilan)."""
    from audit_bench.services.cycle import record_met

    record_met(open_workspace(ctx, workspace), structure_id, ref, obligation, on, note)


@click.command("agenda-done-delete")
@click.argument("structure_id", metavar="STRUCTURE")
@click.option("--referential", "ref", required=True, callback=non_empty, help="Identifiant du référentiel.")
@click.option("--obligation", required=True, callback=non_empty, help="Identifiant de l'obligation.")
@click.option("--on", "on", required=True, callback=non_empty, help="Date de réalisation enregistrée.")
@workspace_option
@click.pass_context
@guarded
def agenda_done_delete_command(ctx: click.Context, structure_id: str, ref: str, obligation: str, on: str,
                               workspace: Path | None) -> None:
    """Retirer une réalisation enregistrée par erreur."""
    from audit_bench.services.cycle import remove_met

    remove_met(open_workspace(ctx, workspace), structure_id, ref, obligation, on)


COMMANDS = [agenda_command, agenda_done_command, agenda_done_delete_command]
