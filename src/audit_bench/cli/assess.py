"""`assess`, `evidence`, `evidence-carry`, `finding`, `action`, `action-update`: the walk of one audit."""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli.common import (
    Choice, echo, guarded, non_empty, open_session, path_value, open_workspace, workspace_option,
)
from audit_bench.model.vocab import ACTION_STATUSES, ACTION_TYPES


@click.command("assess")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("requirement", metavar="REQ")
@click.argument("rating", metavar="RATING")
@click.option("--note", default=None, help="Constat (obligatoire pour na ; sans --note, le constat déjà écrit est gardé).")
@workspace_option
@click.pass_context
@guarded
def assess_command(ctx: click.Context, audit_id: str, requirement: str, rating: str, note: str | None,
                   workspace: Path | None) -> None:
    """Coter une exigence (RATING : une valeur de l'échelle, ou na)."""
    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        session.rate(requirement, rating, note)


@click.command("evidence")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("requirement", metavar="REQ")
@click.option("--title", required=True, callback=non_empty, help="Titre du document vu.")
@click.option("--version", "version", default="", help="Version ou date du document.")
@click.option("--location", default="", help="Où il se trouve.")
@click.option("--file", "file", default=None, callback=path_value, metavar="FICHIER", help="Fichier à joindre.")
@workspace_option
@click.pass_context
@guarded
def evidence_command(ctx: click.Context, audit_id: str, requirement: str, title: str, version: str,
                     location: str, file: Path | None, workspace: Path | None) -> None:
    """Ajouter un élément de preuve ; affiche son identifiant."""
    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        echo(session.add_evidence(requirement, title, version, location, file).id)


@click.command("evidence-carry")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("evidence_ids", metavar="[PREUVE]...", nargs=-1)
@click.option("--all", "carry_all", is_flag=True, help="Toutes les preuves de l'audit précédent pas encore reprises.")
@workspace_option
@click.pass_context
@guarded
def evidence_carry_command(ctx: click.Context, audit_id: str, evidence_ids: tuple[str, ...], carry_all: bool,
                           workspace: Path | None) -> None:
    """Reprendre des preuves de l'audit précédent (new --from), marquées « revue » aujourd'hui ;
    affiche les identifiants des preuves créées."""
    from audit_bench.services.errors import UserError
    from audit_bench.services.followup import carry_evidence

    if carry_all == bool(evidence_ids):
        raise UserError("donner les preuves à reprendre (P1 P2…) ou --all, pas les deux")
    bench = open_workspace(ctx, workspace)
    with open_session(bench, audit_id) as session:
        for evidence in carry_evidence(bench, session, None if carry_all else list(evidence_ids)):
            echo(evidence.id)


@click.command("finding")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("requirement", metavar="REQ")
@click.option("--class", "class_id", required=True, callback=non_empty, help="Classe d'écart du référentiel.")
@click.option("--text", required=True, callback=non_empty, help="Constat de l'écart.")
@workspace_option
@click.pass_context
@guarded
def finding_command(ctx: click.Context, audit_id: str, requirement: str, class_id: str, text: str,
                    workspace: Path | None) -> None:
    """Enregistrer un écart ; affiche son identifiant."""
    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        echo(session.add_finding(requirement, class_id, text).id)


@click.command("action")
@click.argument("holder", metavar="AUDIT|STRUCT")
@click.argument("finding_id", metavar="ECART")
@click.option("--text", required=True, callback=non_empty, help="Action à mener.")
@click.option("--owner", required=True, callback=non_empty, help="Responsable.")
@click.option("--due", required=True, callback=non_empty, help="Échéance (AAAA-MM-JJ).")
@click.option("--type", "type_", type=Choice(list(ACTION_TYPES)), default="corrective", show_default=True,
              help="Type d'action.")
@workspace_option
@click.pass_context
@guarded
def action_command(ctx: click.Context, holder: str, finding_id: str, text: str, owner: str, due: str, type_: str,
                   workspace: Path | None) -> None:
    """Ajouter une action à un écart d'un audit ou d'une structure ; affiche son identifiant."""
    from audit_bench.services.plan import open_holder

    with open_holder(open_workspace(ctx, workspace), holder) as session:
        echo(session.add_action(finding_id, text, owner, due, type_).id)


@click.command("action-update")
@click.argument("holder", metavar="AUDIT|STRUCT")
@click.argument("action_id", metavar="ACTION")
@click.option("--status", type=Choice(list(ACTION_STATUSES)), default=None, help="Statut de l'action.")
@click.option("--due", default=None, callback=non_empty, help="Nouvelle échéance (AAAA-MM-JJ), avec --reason.")
@click.option("--reason", default=None, help="Raison du report d'échéance.")
@click.option("--verified-by", default=None, callback=non_empty, help="Qui a vérifié l'efficacité.")
@click.option("--effective", type=Choice(["yes", "no"]), default=None, help="Action efficace ?")
@click.option("--comment", default=None, help="Commentaire de la vérification d'efficacité.")
@workspace_option
@click.pass_context
@guarded
def action_update_command(ctx: click.Context, holder: str, action_id: str, status: str | None, due: str | None,
                          reason: str | None, verified_by: str | None, effective: str | None, comment: str | None,
                          workspace: Path | None) -> None:
    """Changer le statut d'une action, reporter son échéance (avec sa raison), ou enregistrer la
    vérification de son efficacité."""
    from audit_bench.services.plan import open_holder

    with open_holder(open_workspace(ctx, workspace), holder) as session:
        session.update_action(action_id, status, verified_by, None if effective is None else effective == "yes",
                              comment=comment, due=due, reason=reason)


COMMANDS = [assess_command, evidence_command, evidence_carry_command, finding_command, action_command,
            action_update_command]
