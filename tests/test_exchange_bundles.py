"""Audit bundles: a round trip byte for byte, and every hostile bundle refused with one line and
nothing written."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from audit_bench.services import Workspace
from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.bundles import FORMAT_VERSION, bundle_audit, unbundle
from support import MINI_PLUGIN, Cli, mini_env, tree_digest, write_distribution


def members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_demo_audit_comes_back_byte_for_byte_in_an_empty_workspace(demo_source, tmp_path):
    source = Workspace(demo_source)
    for row in list_audits(source):
        bundle = bundle_audit(source, row.id, tmp_path / f"{row.id}.auditbench")
        assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
        target = Workspace(tmp_path / f"empty-{row.id}")
        assert unbundle(target, bundle).audit_id == row.id
        carried = members(bundle)
        manifest = json.loads(carried.pop("manifest.json"))
        assert manifest["version"] == FORMAT_VERSION and set(manifest["members"]) == set(carried)
        for name, data in carried.items():
            place = name.removeprefix("audit/")
            assert (target.path / place).read_bytes() == (demo_source / place).read_bytes() == data
            assert stat.S_IMODE((target.path / place).stat().st_mode) == 0o600
            assert manifest["members"][name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert any(name.startswith("referentials/") for name in carried)
        assert any(name.startswith("structures/") for name in carried)
        with open_audit(target, row.id, write=False) as copied, open_audit(source, row.id, write=False) as original:
            assert copied.snapshot() == original.snapshot()
        assert [r.id for r in list_audits(target)] == [row.id]


@pytest.fixture(scope="module")
def filed_source(tmp_path_factory) -> tuple[Cli, str, Path]:
    """An audit with an attached evidence file, and its bundle, made once for the module."""
    folder = tmp_path_factory.mktemp("filed")
    site = folder / "site"
    site.mkdir()
    write_distribution(site, "audit_bench_mini", "audit_bench_mini", MINI_PLUGIN, "mini")
    cli = Cli(folder / "ws", mini_env(site))
    audit_id = cli("new", "--referential", "mini", "--org", "Atelier", "--siae-type", "ACI", "--kind", "internal",
                   "--date", "2026-11-20").stdout.strip()
    cli("assess", audit_id, "1.1", "C", "--note", "Livret remis.")
    document = folder / "livret.pdf"
    document.write_bytes(b"%PDF-1.4 livret d'accueil " * 100)
    cli("evidence", audit_id, "1.1", "--title", "Livret d'accueil", "--file", str(document))
    bundle = folder / "audit.auditbench"
    cli("bundle", audit_id, "-o", str(bundle))
    return cli, audit_id, bundle


@pytest.fixture
def filed(filed_source, tmp_path):
    """A copy of `filed_source`'s workspace (to change), its audit, its bundle, and an empty
    workspace to unbundle into."""
    source, audit_id, bundle = filed_source
    cli = Cli(Path(shutil.copytree(source.workspace, tmp_path / "ws")), source.env)
    return cli, audit_id, bundle, tmp_path / "other"


def test_an_attached_file_travels_with_its_audit(filed):
    cli, audit_id, bundle, other = filed
    result = cli("unbundle", str(bundle), "--workspace", str(other))
    assert result.stdout.strip() == audit_id
    shown = json.loads(cli("show", audit_id, "--json", "--workspace", str(other)).stdout)
    sha = shown["evidence"][0]["sha256"]
    assert (other / "evidence" / sha[:2] / sha).read_bytes() == (cli.workspace / "evidence" / sha[:2] / sha).read_bytes()
    assert json.loads(cli("show", audit_id, "--json").stdout) == shown


def rebuilt(bundle: Path, out: Path, change: Callable[[dict[str, bytes], dict], None], *,
            keep_manifest_hashes: bool = False) -> Path:
    """The bundle with its members changed by `change` (the manifest rewritten to match unless
    `keep_manifest_hashes`)."""
    contents = members(bundle)
    manifest = json.loads(contents.pop("manifest.json"))
    change(contents, manifest)
    if not keep_manifest_hashes:
        manifest["members"] = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                               for name, data in contents.items()}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, data in contents.items():
            archive.writestr(name, data)
    return out


def _audit_member(contents: dict[str, bytes]) -> str:
    return next(name for name in contents if name.startswith("audit/"))


def tamper(contents, manifest):
    name = _audit_member(contents)
    contents[name] = contents[name].replace(b"Livret remis.", b"Livret absent")


def traverse(contents, manifest):
    contents["../../etc/evil.json"] = b"{}"


def traverse_inside(contents, manifest):
    contents["audit/../../evil.json"] = b"{}"


def bomb(contents, manifest):
    contents["evidence/00/" + "0" * 64] = b"\0" * (30 << 20)


def newer(contents, manifest):
    manifest["version"] = FORMAT_VERSION + 1


def swap_referential(contents, manifest):
    name = next(n for n in contents if n.startswith("referentials/"))
    contents[name] = contents[name].replace(b"Conforme", b"Conforme!")


def other_referential(contents, manifest):
    name = next(n for n in contents if n.startswith("referentials/"))
    data = contents.pop(name).replace(b"Conforme", b"Conforme!")
    contents[f"referentials/{hashlib.sha256(data).hexdigest()}.json"] = data


def missing_evidence(contents, manifest):
    for name in [n for n in contents if n.startswith("evidence/")]:
        del contents[name]


def newer_audit_file(contents, manifest):
    name = _audit_member(contents)
    data = json.loads(contents[name])
    data["meta"]["1"]["format"] = 99
    contents[name] = json.dumps(data).encode()


def foreign_structure(contents, manifest):
    name = next(n for n in contents if n.startswith("structures/"))
    data = json.loads(contents[name])
    data["record"]["1"]["id"] = "une-autre-structure"
    contents[name] = json.dumps(data).encode()


REFUSALS = {
    "tampered member": (tamper, True, "a été modifié (empreinte SHA-256 différente)"),
    "path traversal": (traverse, False, "chemin refusé « ../../etc/evil.json »"),
    "path traversal inside a folder": (traverse_inside, False, "chemin refusé « audit/../../evil.json »"),
    "zip bomb": (bomb, False, "fois plus gros : refusé (bombe zip)"),
    "newer format": (newer, False, "plus récent que celui de cette version"),
    "referential altered": (swap_referential, False, "ne correspond pas à son empreinte"),
    "another referential": (other_referential, False, "que l'audit épingle"),
    "evidence file missing": (missing_evidence, False, "manque au paquet"),
    "audit file of a newer format": (newer_audit_file, False, "plus récent que celui de cette version"),
    "structure file of another structure": (foreign_structure, False, "la fiche est celle de « une-autre-structure »"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_hostile_bundle_is_refused_with_one_line_and_nothing_written(filed, case, tmp_path):
    cli, audit_id, bundle, other = filed
    change, keep, expected = REFUSALS[case]
    hostile = rebuilt(bundle, tmp_path / "hostile.auditbench", change, keep_manifest_hashes=keep)
    before = tree_digest(cli.workspace)
    for workspace in (other, cli.workspace):
        refused = cli("unbundle", str(hostile), "--as-copy", "--workspace", str(workspace), check=False)
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
        assert expected in refused.stderr
    assert not other.exists() or not any(other.rglob("*"))
    assert tree_digest(cli.workspace) == before
    assert not (tmp_path / "etc").exists()


def test_a_truncated_bundle_is_refused(filed, tmp_path):
    cli, audit_id, bundle, other = filed
    cut = tmp_path / "cut.auditbench"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    refused = cli("unbundle", str(cut), "--workspace", str(other), check=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "illisible ou tronquée" in refused.stderr and not other.exists()


def test_an_existing_audit_is_never_replaced_but_may_be_added_as_a_copy(filed):
    cli, audit_id, bundle, other = filed
    before = tree_digest(cli.workspace)
    refused = cli("unbundle", str(bundle), check=False)
    assert refused.returncode == 1 and "existe déjà" in refused.stderr and "--as-copy" in refused.stderr
    assert tree_digest(cli.workspace) == before
    copy = cli("unbundle", str(bundle), "--as-copy").stdout.strip()
    assert copy != audit_id and copy.startswith("2026-11-20-atelier-")
    original = json.loads(cli("show", audit_id, "--json").stdout)
    copied = json.loads(cli("show", copy, "--json").stdout)
    assert copied["id"] == copy and {**copied, "id": audit_id} == original
    assert {k: v for k, v in tree_digest(cli.workspace).items() if k in before} == before  # nothing replaced


def test_bundle_refuses_an_audit_whose_evidence_file_is_gone(filed, tmp_path):
    cli, audit_id, bundle, other = filed
    for blob in (cli.workspace / "evidence").rglob("*"):
        if blob.is_file():
            blob.unlink()
    refused = cli("bundle", audit_id, "-o", str(tmp_path / "b.auditbench"), check=False)
    assert refused.returncode == 1 and "preuve P1 : fichier absent" in refused.stderr
    assert not (tmp_path / "b.auditbench").exists()
