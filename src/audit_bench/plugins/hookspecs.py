"""The hooks a referential plugin may implement.

A plugin is a module (or any object) registered under the `audit_bench` entry-point group; it
implements any of these hooks with the `hookimpl` marker. Every hook is optional. A hook name
that is not below is refused when the plugins load: the plugin is reported and left out.

Each hook is called through pluggy, plugin by plugin, latest registered first (`tryfirst` and
`trylast` reorder). A hook implementation that raises is reported with the plugin's name and
skipped: the other plugins still answer. `hookimpl(wrapper=True)` wraps the other plugins'
implementations of a hook, as pluggy documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from audit_bench.model import AuditSnapshot, DemoAudit, SectionScore
    from audit_bench.model.demo_year import DemoYear
    from audit_bench.referential.tree import ReferentialTree

PROJECT = "audit_bench"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def referentials() -> list[Path]:
    """Return the referential data files the plugin ships.

    Called once per process, the first time a command or a screen needs the installed
    referentials. Each file is validated against the one schema
    (`audit_bench/referential/schema.py`); an invalid file, or a referential id another plugin
    already provides, is reported under the plugin's name and left out.

    :returns: Paths of YAML (`.yaml`, `.yml`) or TOML (`.toml`) files, usually next to the
        plugin's module (`Path(__file__).with_name(...)`), shipped as package data.
    """


@hookspec(firstresult=True)
def score(tree: ReferentialTree, audit: AuditSnapshot) -> list[SectionScore] | None:
    """Return the section scores of an audit, in place of the generic scoring.

    Called each time scores are shown: `audit-bench show`, the Synthèse screen, the report.
    Answer only for the plugin's own referential (check `tree.id`) and return None otherwise;
    with no answer at all, the generic scoring sums the scale's points per top-level section
    over the rated, applicable requirements.

    Stops at first non-None result: the plugins after the one that answers are not called.

    :param tree: The referential the audit was made with (its pinned, frozen copy).
    :param audit: The audit's header, ratings, evidence and findings, read-only.
    :returns: One `SectionScore` per section, in the order they are shown, or None to let the
        next plugin, then the generic scoring, answer.
    """


@hookspec
def report_sections(tree: ReferentialTree, audit: AuditSnapshot,
                    history: list[AuditSnapshot]) -> list[Any] | None:
    """Return extra sections for the PDF audit report.

    Called each time a report is built (`audit-bench report`, "générer le rapport"), after the
    summary is laid out. Answer only for the plugin's own referential (check `tree.id`). A
    plugin whose hook raises, or whose flowables fail to lay out, gets a "section manquante"
    notice in the report and a warning for the user; the rest of the report is written.

    :param tree: The referential the audit was made with.
    :param audit: The audit being reported, read-only.
    :param history: Earlier audits of the same structure against the same referential, oldest
        first, so a section can show progress (empty for a first audit).
    :returns: A list of `audit_bench.reports.ReportSection` (a title and reportlab flowables,
        styled with `audit_bench.reports.styles`), or None to add nothing.
    """


@hookspec
def demo_audits() -> list[DemoAudit]:
    """Return realistic demo audits for the plugin's referentials.

    Called by `audit-bench demo` and the first-run screen's "charger la démo". Each demo is
    created through the same services as a user's audit (a demo whose referential, structure
    and date already exist in the workspace is skipped), so an invalid demo fails loudly.

    :returns: `audit_bench.model.DemoAudit` records (plain data: header, ratings, evidence,
        findings with their actions).
    """


@hookspec
def demo_years() -> list[DemoYear]:
    """Return a year of quality records for the structures of the plugin's demo audits.

    Called by `audit-bench demo` after the demo audits: the certificate, the registers
    (complaints, surveys, indicators, contrôles) and the review of the year before, signed, so the
    revue de direction of the demo structure has data in every section a register feeds and
    follows up decisions. Created through the same services as a user's records; a structure
    whose review of that year exists already is skipped.

    :returns: `audit_bench.model.demo_year.DemoYear` records (plain data).
    """


HOOK_NAMES: tuple[str, ...] = tuple(name for name, value in list(globals().items())
                                    if hasattr(value, f"{PROJECT}_spec"))
"""Every hook above, in the order they are documented."""
