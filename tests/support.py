"""Helpers shared by the tests (importable: `tests` is on pytest's pythonpath)."""

from __future__ import annotations

import hashlib
import sys
import textwrap
from types import ModuleType
from pathlib import Path

DATA = Path(__file__).parent / "data"
MINI_YAML = DATA / "mini.yaml"

MINI_PLUGIN = f'''
"""The tests' own referential plugin."""
from pathlib import Path
from audit_bench.plugins import hookimpl
from audit_bench.model import DemoAudit, DemoRating, DemoFinding, DemoAction, DemoEvidence

@hookimpl
def referentials():
    return [Path({str(MINI_YAML)!r})]

@hookimpl
def demo_audits():
    return [DemoAudit(referential="mini", org="Atelier de démonstration", siae_type="ACI",
                      kind="internal", date="2026-10-01", auditors=["Claire Martin"],
                      ratings=[DemoRating(requirement="1.1", rating="C", note="Livret remis."),
                               DemoRating(requirement="2.1", rating="E", note="Registre absent.")],
                      evidence=[DemoEvidence(requirement="1.1", title="Livret d'accueil", version="2026")],
                      findings=[DemoFinding(requirement="2.1", class_="mineur", text="Pas de registre.",
                                            actions=[DemoAction(text="Créer le registre", owner="Direction",
                                                                due="2026-12-31")])])]
'''


def write_distribution(site: Path, dist: str, module: str, source: str, entry_name: str) -> None:
    """Install a plugin the way pip would, as far as entry points go: a module and its dist-info."""
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[audit_bench]\n{entry_name} = {module}\n", encoding="utf-8")



def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes, to prove nothing changed."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def mini_plugin() -> ModuleType:
    """The tests' plugin as a module object, for registries built directly (no entry point)."""
    namespace: dict = {}
    exec(compile(MINI_PLUGIN, "audit_bench_mini", "exec"), namespace)
    module = type(sys)("audit_bench_mini")
    module.__dict__.update(namespace)
    return module
