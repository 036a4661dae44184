"""The hooks a referential plugin may implement.

A plugin is a module registered under the `audit_bench` entry-point group; it implements any
of these hooks with the `hookimpl` marker. Every hook is optional. A hook that raises is
reported with the plugin's name and skipped; the application goes on with the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from audit_bench.model import AuditSnapshot, DemoAudit, SectionScore
    from audit_bench.referential.tree import ReferentialTree

PROJECT = "audit_bench"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def referentials() -> list[Path]:
    """Return the paths of the referential data files (YAML or TOML) the plugin ships.

    Called once per process, when the plugin manager loads the plugins. Each file is validated
    against the referential schema; an invalid one is reported under the plugin's name.
    """


@hookspec(firstresult=True)
def score(tree: ReferentialTree, audit: AuditSnapshot) -> list[SectionScore] | None:
    """Return the section scores of `audit`, or None to leave it to the generic scoring.

    Called each time scores are shown (`show`, the Synthèse screen, the report). Implement it
    only for the plugin's own referential (check `tree.id`); the generic scoring sums the
    scale's points per top-level section over the rated applicable requirements.
    """


@hookspec
def report_sections(tree: ReferentialTree, audit: AuditSnapshot,
                    history: list[AuditSnapshot]) -> list[Any] | None:
    """Return extra report sections for `audit`, as `reports.ReportSection` objects.

    Called while the PDF report is built, after the summary. `history` holds the earlier
    audits of the same structure against the same referential, oldest first, so a section
    can draw progress. A section that raises is printed as missing in the report.
    """


@hookspec
def demo_audits() -> list[DemoAudit]:
    """Return realistic demo audits for the plugin's referentials.

    Called by `audit-bench demo` and the first-run screen's "load the demo" action. Each demo
    is created through the same services as a user's audit, so an invalid demo fails loudly.
    """
