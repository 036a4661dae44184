"""`audit-bench plugins`, the README's plugin example installed for real, and the hooks'
documentation and tests kept complete (every hookspec documented and exercised)."""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from audit_bench.plugins import hookspecs
from support import write_distribution

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PLUGIN_SECTION = "## Writing a referential plugin"
BUNDLED = {"cedre": "audit-bench-cedre", "afaq": "audit-bench-afaq", "iae_os": "audit-bench-iae-os"}
SECTION_ONLY = ("from audit_bench.plugins import hookimpl\n"
                "@hookimpl\ndef report_sections(tree, audit, history):\n    return None\n")


def readme_plugin_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(PLUGIN_SECTION)
    end = text.find("\n## ", start + len(PLUGIN_SECTION))
    return text[start:] if end < 0 else text[start:end]


def readme_files() -> dict[str, str]:
    """The example's files: each fenced block right under a bold `path` line."""
    blocks = re.findall(r"^\*\*`([^`]+)`\*\*\n\n```[a-z]*\n(.*?)^```$", readme_plugin_section(), re.M | re.S)
    return dict(blocks)


def test_plugins_command_lists_every_plugin_with_version_hooks_and_error(cli, plugin_site):
    write_distribution(plugin_site, "audit_bench_boom", "audit_bench_boom",
                       "raise RuntimeError('module cassé volontairement')\n", "boom")
    write_distribution(plugin_site, "audit_bench_sommaire", "audit_bench_sommaire", SECTION_ONLY, "sommaire")
    write_distribution(plugin_site, "audit_bench_faute", "audit_bench_faute",
                       "from audit_bench.plugins import hookimpl\n@hookimpl\ndef referential():\n    return []\n",
                       "faute")
    listed = {p["name"]: p for p in json.loads(cli("plugins", "--json").stdout)["plugins"]}

    for name, distribution in BUNDLED.items():
        assert listed[name]["version"] == version(distribution) and listed[name]["error"] is None
        assert "referentials" in listed[name]["hooks"] and "demo_audits" in listed[name]["hooks"]
    assert "report_sections" in listed["iae_os"]["hooks"] and "report_sections" not in listed["cedre"]["hooks"]
    assert listed["mini"] == {"name": "mini", "version": "1.0", "hooks": ["demo_audits", "referentials"],
                              "error": None}
    assert listed["sommaire"] == {"name": "sommaire", "version": "1.0", "hooks": ["report_sections"],
                                  "error": None}
    assert listed["boom"]["version"] == "1.0" and listed["boom"]["hooks"] == []
    assert listed["boom"]["error"].startswith("import: RuntimeError: module cassé volontairement")
    assert listed["faute"]["hooks"] == ["referential"] and "« referential »" in listed["faute"]["error"]

    lines = cli("plugins").stdout.splitlines()
    assert len(lines) == len(listed)
    by_name = {line.split()[0]: line for line in lines}
    assert by_name.keys() == listed.keys()
    assert "ERREUR" in by_name["boom"] and "module cassé volontairement" in by_name["boom"]
    assert "report_sections" in by_name["sommaire"] and "ERREUR" not in by_name["sommaire"]


def test_plugins_command_shows_invalid_data_as_the_plugins_error(cli, plugin_site, tmp_path):
    broken = tmp_path / "casse.yaml"
    broken.write_text("id: casse\ntitle: [non fermé\n", encoding="utf-8")
    write_distribution(plugin_site, "audit_bench_casse", "audit_bench_casse",
                       f"from pathlib import Path\nfrom audit_bench.plugins import hookimpl\n"
                       f"@hookimpl\ndef referentials():\n    return [Path({str(broken)!r})]\n", "casse")
    listed = {p["name"]: p for p in json.loads(cli("plugins", "--json").stdout)["plugins"]}
    assert listed["casse"]["error"].startswith(f"{broken}:") and "YAML invalide" in listed["casse"]["error"]
    assert listed["casse"]["hooks"] == ["referentials"]


def test_hook_referentials_of_the_readme_example_once_pip_installed(cli, tmp_path):
    files = readme_files()
    assert {"pyproject.toml", "src/audit_bench_accueil/__init__.py"} <= files.keys()
    project = tmp_path / "accueil"
    for relative, content in files.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(content, encoding="utf-8")
    data_file = next(project / name for name in files if name.endswith(".yaml"))
    assert 10 <= len(data_file.read_text(encoding="utf-8").splitlines()) <= 15

    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-index", "--no-build-isolation", "--no-deps", "--target", str(target), str(project)],
                   check=True, capture_output=True, text=True, timeout=120)
    cli.env = {**cli.env, "PYTHONPATH": os.pathsep.join([str(target), cli.env["PYTHONPATH"]])}

    plugins = {p["name"]: p for p in json.loads(cli("plugins", "--json").stdout)["plugins"]}
    assert plugins["accueil"] == {"name": "accueil", "version": "1.0.0", "hooks": ["referentials"], "error": None}
    document = json.loads(cli("referentials", "--json").stdout)
    accueil = next(r for r in document["referentials"] if r["id"] == "accueil")
    assert accueil == {"id": "accueil", "title": "Charte d'accueil du réseau", "version": "1.0",
                       "requirements": 2, "plugin": "accueil"}
    assert document["errors"] == []


def test_every_hookspec_is_documented_like_pytests():
    for name in hookspecs.HOOK_NAMES:
        spec = getattr(hookspecs, name)
        doc = inspect.getdoc(spec) or ""
        summary, _, body = doc.partition("\n\n")
        assert summary.endswith(".") and "Called" in body, f"{name}: say what it does and when it runs"
        for parameter in inspect.signature(spec).parameters:
            assert f":param {parameter}:" in doc, f"{name}: parameter {parameter} undocumented"
        assert ":returns:" in doc, f"{name}: return value undocumented"
        firstresult = getattr(spec, f"{hookspecs.PROJECT}_spec").get("firstresult")
        assert ("Stops at first non-None result" in doc) == bool(firstresult), name


def test_every_hookspec_is_in_the_readme_plugin_section():
    section = readme_plugin_section()
    for name in hookspecs.HOOK_NAMES:
        parameters = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"`{name}({parameters})`" in section, f"README: hook {name} undocumented"


def test_every_hookspec_has_a_test():
    """As datasette does: a test named `test_hook_<hook>…` somewhere in the suite, per hook."""
    names = {match for path in ROOT.glob("tests/test_*.py")
             for match in re.findall(r"^def (test_hook_\w+)", path.read_text(encoding="utf-8"), re.M)}
    assert hookspecs.HOOK_NAMES == ("referentials", "score", "report_sections", "demo_audits", "demo_years")
    for hook in hookspecs.HOOK_NAMES:
        assert any(name.startswith(f"test_hook_{hook}_") for name in names), f"hook {hook} has no test"
