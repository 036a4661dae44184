"""`finding-edit|finding-delete`, `evidence-edit|evidence-delete`, `action-edit|action-delete`:
correcting what was recorded. An audit's écarts and evidence are frozen once it is closed; its
actions, like a structure's, stay editable (the plan outlives the visit)."""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli.common import Choice, echo, guarded, non_empty, open_session, open_workspace, workspace_option
from audit_bench.model.vocab import ACTION_TYPES


def _holder(ctx: click.Context, workspace: Path | None, holder: str):
    from audit_bench.services.plan import open_holder

    return open_holder(open_workspace(ctx, workspace), holder)


@click.command("finding-edit")
@click.argument("holder", metavar="AUDIT|STRUCT")
@click.argument("finding_id", metavar="ECART")
@click.option("--text", default=None, callback=non_empty, help="Nouveau constat de l'écart.")
@click.option("--class", "class_id", default=None, callback=non_empty, help="Nouvelle classe d'écart.")
@workspace_option
@click.pass_context
@guarded
def finding_edit_command(ctx: click.Context, holder: str, finding_id: str, text: str | None, class_id: str | None,
                         workspace: Path | None) -> None:
    """Reformuler un écart ou changer sa classe."""
    with _holder(ctx, workspace, holder) as session:
        session.edit_finding(finding_id, text, class_id)


@click.command("finding-delete")
@click.argument("holder", metavar="AUDIT|STRUCT")
@click.argument("finding_id", metavar="ECART")
@workspace_option
@click.pass_context
@guarded
def finding_delete_command(ctx: click.Context, holder: str, finding_id: str, workspace: Path | None) -> None:
    """Supprimer un écart et ses actions ; dit lesquelles ont été supprimées avec lui."""
    with _holder(ctx, workspace, holder) as session:
        actions = session.delete_finding(finding_id)
    echo(f"écart {finding_id} supprimé" + (f", avec ses actions {', '.join(actions)}" if actions else ""))


@click.command("evidence-edit")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("evidence_id", metavar="PREUVE")
@click.option("--title", default=None, callback=non_empty, help="Titre du document vu.")
@click.option("--version", "version", default=None, help="Version ou date du document.")
@click.option("--location", default=None, help="Où il se trouve.")
@workspace_option
@click.pass_context
@guarded
def evidence_edit_command(ctx: click.Context, audit_id: str, evidence_id: str, title: str | None,
                          version: str | None, location: str | None, workspace: Path | None) -> None:
    """Corriger une référence de preuve (un fichier joint le reste)."""
    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        session.edit_evidence(evidence_id, title, version, location)


@click.command("evidence-delete")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("evidence_id", metavar="PREUVE")
@workspace_option
@click.pass_context
@guarded
def evidence_delete_command(ctx: click.Context, audit_id: str, evidence_id: str, workspace: Path | None) -> None:
    """Supprimer une référence de preuve."""
    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        session.delete_evidence(evidence_id)


@click.command("action-edit")
@click.argument("holder", metavar="AUDIT|STRUCT")
@click.argument("action_id", metavar="ACTION")
@click.option("--text", default=None, callback=non_empty, help="Action à mener.")
@click.option("--owner", default=None, callback=non_empty, help="Responsable.")
@click.option("--type", "type_", type=Choice(list(ACTION_TYPES)), default=None, help="Type d'action.")
@workspace_option
@click.pass_context
@guarded
def action_edit_command(ctx: click.Context, holder: str, action_id: str, text: str | None, owner: str | None,
                        type_: str | None, workspace: Path | None) -> None:
    """Reformuler une action, changer son responsable ou son type (l'échéance : action-update
    --due --reason)."""
    with _holder(ctx, workspace, holder) as session:
        session.edit_action(action_id, text, owner, type_)


@click.command("action-delete")
@click.argument("holder", metavar="AUDIT|STRUCT")
@click.argument("action_id", metavar="ACTION")
@workspace_option
@click.pass_context
@guarded
def action_delete_command(ctx: click.Context, holder: str, action_id: str, workspace: Path | None) -> None:
    """Supprimer une action."""
    with _holder(ctx, workspace, holder) as session:
        session.delete_action(action_id)


COMMANDS = [finding_edit_command, finding_delete_command, evidence_edit_command, evidence_delete_command,
            action_edit_command, action_delete_command]
