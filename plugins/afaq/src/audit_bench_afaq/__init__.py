"""AFAQ Engagement de service® REF-209 for audit-bench.

The referential is data (`afaq.yaml`); this module only tells audit-bench where it is and
contributes the demo audit (`afaq_demo.yaml`), the demo structure's year of records
(`afaq_demo_year.yaml`) and a report section with a verdict per
engagement de service. Scores are left to the generic scoring: REF-209
has no scoring rule of its own, a certification audit counts écarts rather than points.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import yaml

from audit_bench.model import DemoAudit
from audit_bench.model.demo_year import DemoYear
from audit_bench.plugins import hookimpl

REFERENTIAL_ID = "afaq"
HERE = Path(__file__).resolve().parent
DATA_FILE = HERE / "afaq.yaml"
DEMO_FILE = HERE / "afaq_demo.yaml"
DEMO_YEAR_FILE = HERE / "afaq_demo_year.yaml"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@hookimpl
def referentials() -> list[Path]:
    """Ship REF-209 as a data file, validated by the core like any third-party referential."""
    return [DATA_FILE]


def load_demo() -> DemoAudit:
    """The demo audit as plain data; kept in YAML so it reads like the auditor's notes."""
    data = yaml.load(DEMO_FILE.read_text(encoding="utf-8"), Loader=_Loader)
    return msgspec.convert(data, DemoAudit)


@hookimpl
def report_sections(tree, audit, history):
    """Lead the report with a verdict per engagement de service, as a certification report does."""
    if tree.id != REFERENTIAL_ID:
        return None
    from audit_bench_afaq.report import engagement_section  # imports reportlab lazily

    return [engagement_section(tree, audit)]


@hookimpl
def demo_audits() -> list[DemoAudit]:
    """An internal audit (REF-209 § 6.2) of a made-up PLIE, for `audit-bench demo`."""
    return [load_demo()]


@hookimpl
def demo_years() -> list[DemoYear]:
    """The demo PLIE's 2026 registers and its signed bilan of 2025, for `audit-bench demo`."""
    data = yaml.load(DEMO_YEAR_FILE.read_text(encoding="utf-8"), Loader=_Loader)
    return [msgspec.convert(data, DemoYear)]
