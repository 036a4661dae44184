"""`audit-bench demo`: each plugin's realistic audits, created through the same use cases as a user's."""

from __future__ import annotations

from typing import Callable

import msgspec

from audit_bench.model import DemoAudit
from audit_bench.model.demo_year import DemoYear
from audit_bench.services.audits import create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.demo_year import create_year, year_writes
from audit_bench.services.workspace import Workspace
from audit_bench.store.atomic import ensure_dir
from audit_bench.store.lock import FileLock

DEMO_LOCK = "demo.lock"

Progress = Callable[[int, int, DemoAudit | DemoYear], None]
"""Told after each write: (writes done, writes in all, the demo audit or year being written; both
say their `referential` and `org`)."""


def load_demo(workspace: Workspace, plugin: str | None = None, progress: Progress | None = None) -> list[str]:
    """Create the demo audits of every plugin (or of `plugin` only), then the year of records of
    their structures, once: under a workspace lock, so two `demo` at once never duplicate an audit,
    and a demo already present is skipped. Each write is durable, so this takes seconds:
    `progress` is told after each one."""
    ensure_dir(workspace.path)
    with FileLock(workspace.path / DEMO_LOCK):
        existing = {(row.referential, row.org, row.date) for row in list_audits(workspace)}
        demos = []
        for plugin_name, plugin_demos in workspace.registry.call("demo_audits").results:
            if plugin is not None and plugin_name != plugin:
                continue
            for demo in plugin_demos:
                demo = msgspec.convert(msgspec.to_builtins(demo), DemoAudit)
                if (demo.referential, demo.org, demo.date) not in existing:
                    demos.append(demo)
                    existing.add((demo.referential, demo.org, demo.date))
        years = [msgspec.convert(msgspec.to_builtins(year), DemoYear)
                 for plugin_name, plugin_years in workspace.registry.call("demo_years").results
                 if plugin is None or plugin_name == plugin for year in plugin_years]
        total = sum(_writes(demo) for demo in demos) + sum(year_writes(year) for year in years)
        done = 0

        def written(demo: DemoAudit | DemoYear) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total, demo)

        created = [_create_demo(workspace, demo, written) for demo in demos]
        for year in years:
            create_year(workspace, year, written)
        return created


def _writes(demo: DemoAudit) -> int:
    """The writes `_create_demo` makes for `demo`: one per record, and the audit's creation."""
    return (1 + len(demo.ratings) + len(demo.evidence) + len(demo.findings)
            + sum(len(finding.actions) for finding in demo.findings))


def _create_demo(workspace: Workspace, demo: DemoAudit, written: Callable[[DemoAudit], None]) -> str:
    header = create_audit(workspace, demo.referential, demo.org, demo.kind, demo.siae_type, demo.date,
                          demo.auditors, objectives=demo.objectives, scope=demo.scope, place=demo.place)
    written(demo)
    with open_audit(workspace, header.id) as audit:
        for rating in demo.ratings:
            audit.rate(rating.requirement, rating.rating, rating.note)
            written(demo)
        for evidence in demo.evidence:
            audit.add_evidence(evidence.requirement, evidence.title, evidence.version, evidence.location)
            written(demo)
        for demo_finding in demo.findings:
            finding = audit.add_finding(demo_finding.requirement, demo_finding.class_, demo_finding.text)
            written(demo)
            for demo_action in demo_finding.actions:
                action = audit.add_action(finding.id, demo_action.text, demo_action.owner, demo_action.due)
                if demo_action.status != "todo" or demo_action.verified_by:
                    audit.update_action(action.id, status=demo_action.status,
                                        verified_by=demo_action.verified_by,
                                        effective=demo_action.effective if demo_action.verified_by else None)
                written(demo)
        if demo.closed:
            audit.close_audit()
    return header.id
