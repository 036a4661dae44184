"""`export`/`import`: the checklist as an Excel workbook and back; `bundle`/`unbundle`: one audit
as one file for another laptop."""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli.common import echo, guarded, open_session, open_workspace, path_value, workspace_option


@click.command("export")
@click.argument("audit_id", metavar="AUDIT")
@click.option("-o", "--output", "output", required=True, callback=path_value, metavar="FICHIER.xlsx",
              help="Classeur Excel à écrire.")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
@workspace_option
@click.pass_context
@guarded
def export_command(ctx: click.Context, audit_id: str, output: Path, force: bool, workspace: Path | None) -> None:
    """Exporter la liste de contrôle, les écarts et les scores en classeur Excel."""
    from audit_bench.services.exchange import export_xlsx

    bench = open_workspace(ctx, workspace)
    with open_session(bench, audit_id, write=False) as session:
        export_xlsx(bench, session, output, force=force)
    echo(str(output))


@click.command("import")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("workbook", metavar="FICHIER.xlsx", type=click.Path(path_type=Path))
@click.option("--apply", "apply", is_flag=True, help="Appliquer les changements (sinon : les montrer seulement).")
@workspace_option
@click.pass_context
@guarded
def import_command(ctx: click.Context, audit_id: str, workbook: Path, apply: bool, workspace: Path | None) -> None:
    """Relire les cotations et constats d'une liste de contrôle remplie dans Excel."""
    from audit_bench.services.exchange import import_xlsx

    bench = open_workspace(ctx, workspace)
    with open_session(bench, audit_id, write=apply) as session:
        outcome = import_xlsx(bench, session, workbook, apply=apply)
    for warning in outcome.warnings:
        echo(f"attention : {warning}", err=True)
    for change in outcome.changes:
        parts = []
        if change.rating_before != change.rating_after:
            parts.append(f"cotation {change.rating_before or 'non cotée'} → {change.rating_after}")
        if change.note_before != change.note_after:
            parts.append(f"constat « {_short(change.note_before)} » → « {_short(change.note_after)} »")
        echo(f"ligne {change.line} — {change.requirement} : {' ; '.join(parts)}")
    count = len(outcome.changes)
    if not count:
        echo("aucun changement")
    elif outcome.applied:
        echo(f"{count} changement(s) appliqué(s)")
    else:
        echo(f"{count} changement(s) à appliquer : relancer avec --apply")


def _short(note: str, width: int = 60) -> str:
    flat = " ".join(note.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@click.command("bundle")
@click.argument("audit_id", metavar="AUDIT")
@click.option("-o", "--output", "output", required=True, callback=path_value, metavar="FICHIER.auditbench",
              help="Paquet à écrire.")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
@workspace_option
@click.pass_context
@guarded
def bundle_command(ctx: click.Context, audit_id: str, output: Path, force: bool, workspace: Path | None) -> None:
    """Mettre un audit en paquet : l'audit, son référentiel figé, ses preuves et la structure."""
    from audit_bench.services.bundles import bundle_audit

    echo(str(bundle_audit(open_workspace(ctx, workspace), audit_id, output, force=force)))


@click.command("unbundle")
@click.argument("bundle", metavar="FICHIER", type=click.Path(path_type=Path))
@click.option("--as-copy", "as_copy", is_flag=True, help="Ajouter sous un nouvel identifiant si l'audit existe déjà.")
@workspace_option
@click.pass_context
@guarded
def unbundle_command(ctx: click.Context, bundle: Path, as_copy: bool, workspace: Path | None) -> None:
    """Ajouter l'audit d'un paquet à l'espace de travail (tout est vérifié avant d'écrire)."""
    from audit_bench.services.bundles import unbundle

    outcome = unbundle(open_workspace(ctx, workspace), bundle, as_copy=as_copy)
    if outcome.structure_kept:
        echo("attention : la fiche de la structure déjà présente dans l'espace de travail est gardée", err=True)
    echo(outcome.audit_id)


COMMANDS = [export_command, import_command, bundle_command, unbundle_command]
