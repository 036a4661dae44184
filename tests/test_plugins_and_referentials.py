"""Plugins load one by one (a broken one is reported, not fatal); data files are refused with file:line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from audit_bench.referential import ReferentialError, load_referential
from support import MINI_YAML, write_distribution

RAISES_ON_IMPORT = "raise RuntimeError('module cassé volontairement')\n"


def _bad_data_plugin(path) -> str:
    return (f"from pathlib import Path\nfrom audit_bench.plugins import hookimpl\n"
            f"@hookimpl\ndef referentials():\n    return [Path({str(path)!r})]\n")


def test_broken_plugins_are_listed_with_their_reason_and_the_rest_works(cli, plugin_site, tmp_path):
    invalid = tmp_path / "invalide.yaml"
    invalid.write_text(MINI_YAML.read_text(encoding="utf-8").replace("id: mini", "id: autre", 1)
                       .replace("score: 2,", "score: deux,"), encoding="utf-8")
    write_distribution(plugin_site, "audit_bench_boom", "audit_bench_boom", RAISES_ON_IMPORT, "boom")
    write_distribution(plugin_site, "audit_bench_invalid", "audit_bench_invalid", _bad_data_plugin(invalid), "invalide")
    write_distribution(plugin_site, "audit_bench_hookfail", "audit_bench_hookfail",
                       "from audit_bench.plugins import hookimpl\n@hookimpl\ndef referentials():\n"
                       "    raise ValueError('données introuvables')\n", "hookfail")
    document = json.loads(cli("referentials", "--json").stdout)
    errors = {e["plugin"]: e["error"] for e in document["errors"]}
    assert "module cassé volontairement" in errors["boom"] and errors["boom"].startswith("import")
    line = next(n for n, text in enumerate(invalid.read_text().splitlines(), 1) if "score: deux" in text)
    assert f"{invalid}:{line}:" in errors["invalide"] and "$.scale[0].score" in errors["invalide"]
    assert "données introuvables" in errors["hookfail"]
    mini = next(r for r in document["referentials"] if r["id"] == "mini")
    assert mini == {"id": "mini", "title": "Référentiel d'essai « Qualité & insertion »", "version": "1.0",
                    "requirements": 5, "plugin": "mini"}
    created = cli("new", "--referential", "mini", "--org", "X", "--siae-type", "AI", "--kind", "internal")
    assert created.returncode == 0


def test_two_plugins_claiming_one_referential_id(cli, plugin_site):
    write_distribution(plugin_site, "audit_bench_copy", "audit_bench_copy", _bad_data_plugin(MINI_YAML), "copie")
    document = json.loads(cli("referentials", "--json").stdout)
    assert [r["id"] for r in document["referentials"]].count("mini") == 1
    assert any("déjà fourni" in e["error"] for e in document["errors"])


def _write(tmp_path, text: str):
    path = tmp_path / "ref.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutation,line_marker,message", [
    (("ratable: true\n        text: La structure remet", "ratable: 12\n        text: La structure remet"),
     "ratable: 12", "Expected `bool`"),
    (("  - id: \"1.2\"", "  - id: \"1.1\""), "id: \"1.1\"", "déjà utilisé"),
    (("AI: {applicable: false}", "ETTI: {applicable: false}"), "ETTI:", "non déclaré"),
    (("{value: P,", "{value: C,"), "{value: C, label: Piste", "en double"),
    (("  - {id: mineur, label: Écart mineur,", "  - {id: mineur, lable: Écart mineur,"), "lable", "unknown field"),
    (("engagement: \"1.2\"", "engagement: \"7.7\""), "engagement: \"7.7\"", "inconnu"),
    (("        text: L'encadrant technique présente le chantier le premier jour.",
      "        text: L'encadrant technique présente le chantier le premier jour.\n        children:\n"
      "          - {id: \"1.3.1\", ratable: true, text: Visite}"), "1.3.1", "sous-exigences"),
])
def test_invalid_data_names_file_line_and_problem(tmp_path, mutation, line_marker, message):
    source = MINI_YAML.read_text(encoding="utf-8")
    assert mutation[0] in source
    path = _write(tmp_path, source.replace(mutation[0], mutation[1], 1))
    with pytest.raises(ReferentialError) as raised:
        load_referential(path)
    # the last occurrence: for a duplicate, the second one is the culprit
    expected_line = max(n for n, text in enumerate(path.read_text().splitlines(), 1) if line_marker in text)
    assert f"{path}:{expected_line}:" in str(raised.value)
    assert message in str(raised.value)


def test_yaml_syntax_error_names_its_line(tmp_path):
    path = _write(tmp_path, "id: x\ntitle: [non fermé\nversion: 1\n")
    with pytest.raises(ReferentialError, match=rf"{path}:\d+: YAML invalide"):
        load_referential(path)


def test_toml_is_accepted_and_hashes_like_yaml(tmp_path):
    yaml_ref = load_referential(MINI_YAML)
    toml_path = tmp_path / "mini.toml"
    toml_path.write_text(textwrap.dedent('''
        id = "mini-toml"
        title = "Essai"
        version = "1"
        [metadata]
        issuer = "Moi"
        [[scale]]
        value = "C"
        label = "Conforme"
        score = 1
        [[finding_classes]]
        id = "mineur"
        label = "Écart mineur"
        severity = 1
        [[nodes]]
        id = "1"
        title = "Chapitre"
        [[nodes.children]]
        id = "1.1"
        ratable = true
        text = "Exigence"
    '''), encoding="utf-8")
    assert load_referential(toml_path).nodes[0].children[0].ratable
    assert yaml_ref.id == "mini"


def test_referential_check_command(tmp_path):
    good = subprocess.run([sys.executable, "-m", "audit_bench", "referential", "check", str(MINI_YAML)],
                          capture_output=True, text=True)
    assert good.returncode == 0 and "5 exigences cotables" in good.stdout
    bad = tmp_path / "bad.yaml"
    shutil.copy(MINI_YAML, bad)
    bad.write_text(bad.read_text(encoding="utf-8").replace("severity: 2", "severity: grave"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "audit_bench", "referential", "check", str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.startswith(f"{bad}:")


HEADLESS = ["audit_bench.model", "audit_bench.referential", "audit_bench.store.audit_file",
            "audit_bench.store.index", "audit_bench.store.blobs", "audit_bench.services",
            "audit_bench.services.workspace", "audit_bench.services.session", "audit_bench.plugins.manager",
            "audit_bench.reports", "audit_bench.reports.styles"]


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, importlib; importlib.import_module({module!r}); print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_layers_never_import_textual(module):
    loaded = _modules_after_import(module)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


@pytest.mark.parametrize("module,forbidden", [
    ("audit_bench.model", ("audit_bench.store", "audit_bench.services", "audit_bench.referential", "tinydb")),
    ("audit_bench.referential", ("audit_bench.store", "audit_bench.services", "audit_bench.plugins", "tinydb")),
    ("audit_bench.store.audit_file", ("audit_bench.services", "audit_bench.plugins", "audit_bench.reports")),
    ("audit_bench.reports", ("audit_bench.services", "audit_bench.store", "audit_bench.tui")),
    ("audit_bench.plugins.manager", ("audit_bench.services", "audit_bench.store")),
    ("audit_bench.cli", ("audit_bench.services", "tinydb", "textual", "reportlab")),
])
def test_imports_run_one_way(module, forbidden):
    loaded = _modules_after_import(module)
    assert not {m for m in loaded for f in forbidden if m == f or m.startswith(f + ".")}


def test_an_audit_kind_the_application_does_not_know_is_refused_with_its_line(tmp_path):
    bad = tmp_path / "kinds.yaml"
    bad.write_text(MINI_YAML.read_text(encoding="utf-8").replace("\nnodes:", "\naudit_kinds: [self-assessment, audit-blanc]\nnodes:", 1),
                   encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "audit_bench", "referential", "check", str(bad)],
                            capture_output=True, text=True)
    line = bad.read_text(encoding="utf-8").splitlines().index("audit_kinds: [self-assessment, audit-blanc]") + 1
    assert result.returncode == 1 and result.stderr.startswith(f"{bad}:{line}:"), result.stderr
    assert "audit_kinds" in result.stderr
