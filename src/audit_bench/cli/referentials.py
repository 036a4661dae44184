"""`referentials`, `referential show`, `referential check`: what is installed, and one referential."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.common import Group, echo, emit_json, guarded, open_workspace, workspace_option

if TYPE_CHECKING:
    from audit_bench.referential import ReferentialTree
    from audit_bench.services.views import ReferentialsView

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")


@click.command("referentials")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def referentials_command(ctx: click.Context, as_json: bool, workspace: Path | None) -> None:
    """Référentiels installés, et plugins en erreur."""
    from audit_bench.services.views import referentials_view

    view = referentials_view(open_workspace(ctx, workspace))
    if as_json:
        emit_json(view)
        return
    print_referentials(view)


def print_referentials(view: ReferentialsView) -> None:
    for line in view.referentials:
        echo(f"{line.id:<12} {line.title} — version {line.version} ({line.requirements} exigences)")
    if not view.referentials:
        echo("Aucun référentiel installé : installer un plugin (audit-bench-cedre, audit-bench-afaq…).")
    for error in view.errors:
        echo(f"ERREUR plugin {error.plugin} : {error.error}", err=True)


@click.group("referential", cls=Group)
def referential_group() -> None:
    """Consulter ou vérifier un référentiel."""


@referential_group.command("show")
@click.argument("ref")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def referential_show(ctx: click.Context, ref: str, as_json: bool, workspace: Path | None) -> None:
    """L'arbre, l'échelle, les classes d'écart et les types de structure de REF."""
    tree = open_workspace(ctx, workspace).referential(ref)
    if as_json:
        from audit_bench.services.views import referential_view

        emit_json(referential_view(tree))
        return
    print_referential(tree)


def print_referential(tree: ReferentialTree) -> None:
    referential = tree.referential
    echo(f"{referential.title} — version {tree.version} ({referential.metadata.issuer})")
    if referential.siae_types:
        echo("Types de structure : " + ", ".join(f"{t.id} ({t.label})" for t in referential.siae_types))
    echo("Échelle : " + ", ".join(f"{level.value} = {level.label}" for level in referential.scale) + ", na = N/A")
    echo("Classes d'écart : " + ", ".join(f"{c.id} = {c.label}" for c in referential.finding_classes))
    if referential.recommendations:
        recommendations = referential.recommendations
        echo(f"Recommandations ({', '.join(recommendations.kinds)}) : "
             + ", ".join(f"{choice.id} = {choice.label}" for choice in recommendations.choices))
    for node in tree.walk():
        depth = len(tree.parents(node.id))
        marker = "•" if node.ratable else "▸"
        label = " ".join((node.title or node.text).split())
        echo(f"{'  ' * depth}{marker} {node.id} {label[:100]}")


@referential_group.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@guarded
def referential_check(path: Path) -> None:
    """Valider un fichier de référentiel (pour les auteurs de plugins)."""
    from audit_bench.referential import ReferentialError, ReferentialTree, content_hash, load_referential

    try:
        referential = load_referential(path)
    except ReferentialError as exc:
        echo(str(exc), err=True)
        sys.exit(1)
    tree = ReferentialTree(referential, content_hash(referential))
    echo(f"{path} : valide — {referential.id} version {referential.version}, "
         f"{len(tree.ratable)} exigences cotables")


COMMANDS = [referentials_command, referential_group]
