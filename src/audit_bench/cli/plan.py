"""`plan` (the improvement plan, its filters and exports) and `ecart add|edit` (écarts of other
sources than audits, and the analysis of any écart)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import (
    Choice, Group, echo, emit_id, emit_json, guarded, non_empty, open_workspace, path_value, workspace_option,
)
from audit_bench.model.vocab import ACTION_STATUSES, ECART_CLASSES, SOURCES

if TYPE_CHECKING:
    from audit_bench.services.plan import PlanView


@click.command("plan")
@click.option("--structure", default=None, callback=non_empty, metavar="ID", help="Une seule structure.")
@click.option("--owner", default=None, callback=non_empty, metavar="NOM",
              help="Actions dont le responsable contient NOM (sans accents ni majuscules).")
@click.option("--status", type=Choice(list(ACTION_STATUSES)), default=None, help="Statut des actions.")
@click.option("--source", type=Choice(list(SOURCES)), default=None, help="Source des écarts.")
@click.option("--referential", default=None, callback=non_empty, metavar="REF", help="Référentiel des audits.")
@click.option("--overdue", is_flag=True, help="Actions en retard seulement.")
@click.option("--due-within", type=click.IntRange(0, 36_500), default=None, metavar="JOURS",
              help="Actions à échéance dans JOURS jours ou moins (retards compris).")
@click.option("--verified", type=Choice(["yes", "no"]), default=None,
              help="yes : efficacité vérifiée ; no : réalisées, efficacité à vérifier.")
@click.option("--all", "history", is_flag=True,
              help="Aussi les actions terminées (réalisées et jugées efficaces, ou d'un écart clos).")
@click.option("--xlsx", default=None, callback=path_value, metavar="FICHIER", help="Exporter en classeur Excel.")
@click.option("--csv", "csv_file", default=None, callback=path_value, metavar="FICHIER",
              help="Exporter en CSV (UTF-8, point-virgule).")
@click.option("--force", is_flag=True, help="Remplacer le fichier d'export s'il existe déjà.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def plan_command(ctx: click.Context, structure: str | None, owner: str | None, status: str | None,
                 source: str | None, referential: str | None, overdue: bool, due_within: int | None,
                 verified: str | None, history: bool, xlsx: Path | None, csv_file: Path | None, force: bool,
                 as_json: bool, workspace: Path | None) -> None:
    """Le plan d'amélioration : les actions à suivre de tous les écarts, audits et autres sources, par échéance."""
    from audit_bench.services.plan import PlanFilter, export_plan, read_plan

    bench = open_workspace(ctx, workspace)
    view = read_plan(bench, PlanFilter(structure=structure, owner=owner, status=status, source=source,
                                       referential=referential, overdue=overdue, due_within=due_within,
                                       verified=verified, history=history))
    if bench.index_warning:
        echo(f"attention : {bench.index_warning}", err=True)
    exports = {kind: path for kind, path in (("xlsx", xlsx), ("csv", csv_file)) if path is not None}
    if exports:
        for written in export_plan(bench, view, exports, force=force):
            echo(str(written), err=as_json)
    if as_json:
        emit_json(view)
    elif not exports:
        print_plan(view)


def print_plan(view: PlanView) -> None:
    from audit_bench.services.plan import Counts

    if not view.actions and not view.unplanned:
        echo("Aucune action dans le plan (avec ces filtres).")
    for action in view.records():
        late = "  EN RETARD" if action.overdue else ""
        verified = ("" if action.effective is None else
                    f"  vérifiée : {'efficace' if action.effective else 'non efficace'}")
        reports = f"  reportée {len(action.postponements)} fois" if action.postponements else ""
        name = one_line(view.names.get(action.structure, action.structure))
        echo(f"{action.due}  {action.holder} {action.id}  {name}"
             f"  [{SOURCES.get(action.source.kind, action.source.kind)}] {action.finding.id} :"
             f" {one_line(action.text)}  ({one_line(action.owner)}, "
             f"{ACTION_STATUSES.get(action.status, action.status)}){late}{reports}{verified}")
    for item in view.unplanned:
        echo(f"sans action  {item.holder} {item.finding.id}  {one_line(view.names.get(item.structure, item.structure))}"
             f"  [{SOURCES.get(item.source.kind, item.source.kind)}] {one_line(item.finding.text)}")
    counts: Counts = view.counts
    echo(f"{len(view.actions)} action(s) : {counts.todo} à faire, {counts.in_progress} en cours, {counts.done} "
         f"réalisée(s) dont {counts.unverified} à vérifier ; {counts.overdue} en retard")
    for error in view.errors:
        echo(f"{error.id}  ERREUR : {one_line(error.error)}", err=True)


@click.group("ecart", cls=Group)
def ecart_group() -> None:
    """Les écarts d'autres sources que les audits (contrôle, réclamation…), et l'analyse de tout écart."""


@ecart_group.command("add")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--source", required=True, type=Choice([kind for kind in SOURCES if kind != "audit"]),
              help="Où l'écart a été constaté.")
@click.option("--text", required=True, callback=non_empty, help="Constat de l'écart.")
@click.option("--class", "class_id", type=Choice(list(ECART_CLASSES)), default="ecart", show_default=True,
              help="Classe de l'écart.")
@click.option("--ref", default="", help="Référence dans la source (numéro de réclamation, date du contrôle…).")
@click.option("--immediate-action", default="", help="Action immédiate (curative) déjà menée.")
@click.option("--root-cause", default="", help="Cause de l'écart.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def ecart_add_command(ctx: click.Context, structure_id: str, source: str, text: str, class_id: str, ref: str,
                      immediate_action: str, root_cause: str, as_json: bool, workspace: Path | None) -> None:
    """Enregistrer un écart d'une structure ; affiche son identifiant."""
    from audit_bench.services.plan import add_ecart

    finding = add_ecart(open_workspace(ctx, workspace), structure_id, source, text, class_id, ref,
                        immediate_action, root_cause)
    emit_id(finding.id, as_json)


@ecart_group.command("edit")
@click.argument("holder", metavar="AUDIT|STRUCT")
@click.argument("finding_id", metavar="ECART")
@click.option("--immediate-action", default=None, help="Action immédiate (curative) menée.")
@click.option("--root-cause", default=None, help="Cause de l'écart.")
@workspace_option
@click.pass_context
@guarded
def ecart_edit_command(ctx: click.Context, holder: str, finding_id: str, immediate_action: str | None,
                       root_cause: str | None, workspace: Path | None) -> None:
    """Noter l'action immédiate et la cause d'un écart (d'un audit ou d'une structure)."""
    from audit_bench.services.plan import open_holder

    with open_holder(open_workspace(ctx, workspace), holder) as session:
        session.set_analysis(finding_id, immediate_action, root_cause)


COMMANDS = [plan_command, ecart_group]
