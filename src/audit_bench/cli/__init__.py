"""The `audit-bench` command: a thin face over the services (the contract is in DESIGN.md), one
module per noun.

Heavy modules (the services, TinyDB, the TUI, reportlab) are imported inside the commands so
that `--help` and a typo answer at once.
"""

from __future__ import annotations

from pathlib import Path

import click

from audit_bench.cli import agenda, assess, audits, edits, exchange, plan, plugins, referentials, report, structures
from audit_bench.cli import complaints, conclusion, controles, exits, indicators, reviews, surveys
from audit_bench.cli.common import WORKSPACE_HELP, Group, path_value, workspace_path


@click.group(cls=Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workspace", default=None, callback=path_value, metavar="DOSSIER", help=WORKSPACE_HELP)
@click.version_option(package_name="audit-bench")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None) -> None:
    """audit-bench : l'atelier d'audit qualité des SIAE, au clavier et hors ligne.

    Sans commande, ouvre l'application sur l'espace de travail.
    """
    if ctx.invoked_subcommand is None:
        from audit_bench.tui.app import run

        run(workspace_path(ctx, workspace))


for _module in (referentials, plugins, structures, audits, assess, edits, plan, report, exchange, agenda,
                conclusion, complaints, surveys, controles, indicators, exits, reviews):
    for _command in _module.COMMANDS:
        main.add_command(_command)

__all__ = ["main"]
