"""`report`: the audit report as a PDF, or as a Word document (on the organisation's template)."""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli.common import echo, guarded, open_session, path_value, open_workspace, workspace_option


@click.command("report")
@click.argument("audit_id", metavar="AUDIT")
@click.option("-o", "--output", "output", required=True, callback=path_value, metavar="FICHIER.pdf|FICHIER.docx",
              help="Fichier à écrire : PDF, ou Word si son nom finit par .docx.")
@click.option("--template", "template", default=None, callback=path_value, metavar="MODELE.docx",
              help="Modèle Word de la structure ou de l'organisme (champs : voir le README).")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
@workspace_option
@click.pass_context
@guarded
def report_command(ctx: click.Context, audit_id: str, output: Path, template: Path | None, force: bool,
                   workspace: Path | None) -> None:
    """Produire le rapport d'audit en PDF ou en Word (.docx)."""
    from audit_bench.services.reporting import build_report

    bench = open_workspace(ctx, workspace)
    with open_session(bench, audit_id, write=False) as session:
        for problem in build_report(bench, session, output, force=force, template=template):
            echo(f"attention : {problem}", err=True)
    echo(str(output))


COMMANDS = [report_command]
