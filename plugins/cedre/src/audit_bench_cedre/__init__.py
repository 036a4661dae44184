"""CEDRE v2 referential plugin for audit-bench.

The referential itself is data (`cedre.yaml`), validated by the core loader; the demo audit is
data too (`cedre_demo.yaml`). This module only tells the plugin manager where they are.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import yaml

from audit_bench.model import DemoAudit
from audit_bench.plugins import hookimpl

HERE = Path(__file__).resolve().parent
REFERENTIAL_PATH = HERE / "cedre.yaml"
DEMO_PATH = HERE / "cedre_demo.yaml"

__all__ = ["REFERENTIAL_PATH", "DEMO_PATH", "referentials", "demo_audits", "load_demo"]


@hookimpl
def referentials() -> list[Path]:
    """Ship the CEDRE v2 data file; the core validates it and reports it under our name if broken."""
    return [REFERENTIAL_PATH]


def load_demo() -> DemoAudit:
    """Read the demo audit; a typo in the file fails here, loudly, rather than in the workspace."""
    data = yaml.load(DEMO_PATH.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return msgspec.convert(data, DemoAudit)


@hookimpl
def demo_audits() -> list[DemoAudit]:
    """Contribute one realistic CEDRE surveillance audit of an ACI to `audit-bench demo`."""
    return [load_demo()]
