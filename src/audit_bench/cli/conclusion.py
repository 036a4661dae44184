"""`conclude`: the auditor's conclusion of an audit, and its recommendation where the referential
defines them (required before `close` on a certification audit)."""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli.common import guarded, non_empty, open_session, open_workspace, workspace_option


@click.command("conclude")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--text", required=True, help="Conclusion de l'auditeur (texte libre).")
@click.option("--recommendation", default=None, callback=non_empty, metavar="RECOMMANDATION",
              help="Recommandation prévue par le référentiel pour ce type d'audit (voir « referential show »).")
@workspace_option
@click.pass_context
@guarded
def conclude_command(ctx: click.Context, audit_id: str, text: str, recommendation: str | None,
                     workspace: Path | None) -> None:
    """Écrire (ou remplacer) la conclusion d'un audit et sa recommandation."""
    from audit_bench.services.conclusion import conclude

    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        conclude(session, text, recommendation)


COMMANDS = [conclude_command]
