"""The whole CLI contract, through the entry point, on a plugin registered by entry point."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest

from support import tree_digest


def new_audit(cli, *extra: str) -> str:
    result = cli("new", "--referential", "mini", "--org", "Chantier « Les Jardins »", "--siae-type", "ACI",
                 "--kind", "internal", "--date", "2026-11-20", "--auditor", "Claire Martin",
                 "--auditor", "Yves Dupont", "--json", *extra)
    return json.loads(result.stdout)["id"]


def test_full_journey_is_visible_in_show_and_audits(cli, tmp_path):
    audit = new_audit(cli)
    cli("assess", audit, "1.1", "C", "--note", "Livret remis à l'embauche <signé> & daté")
    cli("assess", audit, "1.2", "E", "--note", "Pas d'entretien tracé")
    cli("assess", audit, "2.2", "na", "--note", "Structure créée il y a six mois")
    attachment = tmp_path / "livret.pdf"
    attachment.write_bytes(b"%PDF-1.4 livret d'accueil")
    evidence_id = cli("evidence", audit, "1.1", "--title", "Livret d'accueil", "--version", "v3 2026",
                      "--location", "Classeur qualité", "--file", str(attachment)).stdout.strip()
    finding_id = cli("finding", audit, "1.2", "--class", "mineur", "--text", "Entretiens non tracés").stdout.strip()
    action_id = cli("action", audit, finding_id, "--text", "Créer une fiche d'entretien", "--owner", "CIP",
                    "--due", "2027-01-31").stdout.strip()
    cli("action-update", audit, action_id, "--status", "done")
    cli("action-update", audit, action_id, "--verified-by", "Claire Martin", "--effective", "yes")

    shown = json.loads(cli("show", audit, "--json").stdout)
    assert shown["referential"]["id"] == "mini" and shown["siae_type"] == "ACI"
    assert shown["auditors"] == ["Claire Martin", "Yves Dupont"]
    assert shown["progress"] == {"assessed": 3, "total": 5}
    ratings = {a["requirement"]: (a["rating"], a["note"]) for a in shown["assessments"]}
    assert ratings["1.1"] == ("C", "Livret remis à l'embauche <signé> & daté")
    assert ratings["2.2"][0] == "na"
    sha = hashlib.sha256(attachment.read_bytes()).hexdigest()
    assert shown["evidence"] == [{"id": evidence_id, "requirement": "1.1", "title": "Livret d'accueil",
                                  "version": "v3 2026", "location": "Classeur qualité", "sha256": sha,
                                  "filename": "livret.pdf", "file": "ok", "carried_from": None,
                                  "reviewed_on": None}]
    stored = cli.workspace / "evidence" / sha[:2] / sha
    assert stored.read_bytes() == attachment.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    [finding] = shown["findings"]
    assert (finding["id"], finding["class"], finding["requirement"]) == (finding_id, "mineur", "1.2")
    [action] = finding["actions"]
    assert action["status"] == "done" and action["verified_by"] == "Claire Martin" and action["effective"] is True
    # Chapter 1 of the ACI variant: 1.1 conforme (2/2), 1.2 écart (0/2) → 50 %.
    scores = {s["section"]: s for s in shown["scores"]}
    assert (scores["1"]["score"], scores["1"]["max"], scores["1"]["percent"]) == (2, 4, 50.0)
    assert scores["2"]["percent"] is None  # only N/A there

    listed = json.loads(cli("audits", "--json").stdout)["audits"]
    assert [(a["id"], a["assessed"], a["total"], a["open_findings"]) for a in listed] == [(audit, 3, 5, 0)]


def test_variant_decides_total_and_applicability(cli):
    audit = json.loads(cli("new", "--referential", "mini", "--org", "AI du Val", "--siae-type", "AI",
                           "--kind", "self-assessment", "--date", "2026-11-02", "--json").stdout)["id"]
    refused = cli("assess", audit, "1.3", "C", check=False)
    assert refused.returncode != 0 and "ne s'applique pas" in refused.stderr
    shown = json.loads(cli("show", audit, "--json").stdout)
    assert shown["progress"]["total"] == 4


def test_referential_show_exposes_variants(cli):
    shown = json.loads(cli("referential", "show", "mini", "--json").stdout)
    assert [t["id"] for t in shown["siae_types"]] == ["AI", "ACI"]
    assert [s["value"] for s in shown["scale"]] == ["C", "P", "E"]
    node = shown["nodes"][0]["children"][0]
    assert node["variants"]["AI"]["text"].endswith("mis à disposition.")
    assert node["variants"]["ACI"]["text"] == "La structure remet un livret d'accueil à chaque salarié."
    assert shown["nodes"][0]["children"][2]["variants"]["AI"]["applicable"] is False


def test_close_freezes_ratings_but_not_actions(cli):
    audit = new_audit(cli)
    cli("assess", audit, "1.2", "E", "--note", "absent")
    finding_id = cli("finding", audit, "1.2", "--class", "majeur", "--text", "Aucun entretien").stdout.strip()
    closing = cli("close", audit)
    assert "sans plan d'action" in closing.stderr
    before = tree_digest(cli.workspace)
    for args in (("assess", audit, "1.1", "C"), ("evidence", audit, "1.1", "--title", "x"),
                 ("finding", audit, "1.1", "--class", "mineur", "--text", "x")):
        refused = cli(*args, check=False)
        assert refused.returncode == 1 and "audit clos" in refused.stderr
    assert tree_digest(cli.workspace) == before
    cli("action", audit, finding_id, "--text", "Former l'équipe", "--owner", "Direction", "--due", "2027-02-01")
    cli("reopen", audit)
    cli("assess", audit, "1.1", "C")
    assert json.loads(cli("show", audit, "--json").stdout)["status"] == "open"


def test_demo_creates_each_plugin_demo_once(cli):
    first = cli("demo").stdout.split()
    listed = json.loads(cli("audits", "--json").stdout)["audits"]
    mini = [a for a in listed if a["referential"] == "mini"]
    assert len(mini) == 1 and mini[0]["id"] in first and mini[0]["assessed"] == 2
    cli("demo")
    assert len(json.loads(cli("audits", "--json").stdout)["audits"]) == len(listed)


BAD_INPUTS = [
    ("unknown audit", ["assess", "2099-01-01-nope-0000", "1.1", "C"], "audit inconnu"),
    ("unknown requirement", ["assess", "{audit}", "9.9", "C"], "exigence inconnue"),
    ("group is not ratable", ["assess", "{audit}", "1", "C"], "pas une exigence cotable"),
    ("rating outside the scale", ["assess", "{audit}", "1.1", "Z"], "cotation inconnue"),
    ("na without reason", ["assess", "{audit}", "1.1", "na"], "justification"),
    ("unknown class", ["finding", "{audit}", "1.1", "--class", "grave", "--text", "x"], "classe d'écart inconnue"),
    ("unknown finding", ["action", "{audit}", "E99", "--text", "x", "--owner", "y", "--due", "2027-01-01"],
     "écart inconnu"),
    ("bad due date", ["action", "{audit}", "{finding}", "--text", "x", "--owner", "y", "--due", "31.01.2027"],
     "échéance invalide"),
    ("impossible due date", ["action", "{audit}", "{finding}", "--text", "x", "--owner", "y", "--due",
                             "2027-02-30"], "n'existe pas"),
    ("unknown action", ["action-update", "{audit}", "A99", "--status", "done"], "action inconnue"),
    ("half a verification", ["action-update", "{audit}", "A1", "--verified-by", "X"], "ensemble"),
    ("bad status", ["action-update", "{audit}", "A1", "--status", "finie"], "finie"),
    ("missing evidence file", ["evidence", "{audit}", "1.1", "--title", "x", "--file", "/nonexistent/f.pdf"],
     "introuvable"),
    ("unknown referential", ["new", "--referential", "iso9001", "--org", "X", "--kind", "internal"],
     "référentiel inconnu"),
    ("unknown type", ["new", "--referential", "mini", "--org", "X", "--siae-type", "ETTI", "--kind", "internal"],
     "type de structure inconnu"),
    ("missing type", ["new", "--referential", "mini", "--org", "X", "--kind", "internal"], "type de structure requis"),
    ("bad date", ["new", "--referential", "mini", "--org", "X", "--siae-type", "AI", "--kind", "internal",
                  "--date", "2026-13-01"], "date invalide"),
    ("bad kind", ["new", "--referential", "mini", "--org", "X", "--siae-type", "AI", "--kind", "audit"], "audit"),
    ("empty org", ["new", "--referential", "mini", "--org", "  ", "--siae-type", "AI", "--kind", "internal"],
     "ne peut pas être vide"),
    ("unknown command", ["frobnicate"], "frobnicate"),
]


def _with_an_action(cli) -> tuple[str, str]:
    audit = new_audit(cli)
    finding = cli("finding", audit, "1.2", "--class", "mineur", "--text", "x").stdout.strip()
    cli("action", audit, finding, "--text", "x", "--owner", "y", "--due", "2027-01-01")
    return audit, finding


@pytest.mark.parametrize("label,args,expected", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_exits_non_zero_with_one_line_and_changes_nothing(cli, built_once, label, args, expected):
    audit, finding = built_once(_with_an_action, cli)
    before = tree_digest(cli.workspace)
    result = cli(*[a.format(audit=audit, finding=finding) for a in args], check=False)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert result.stdout == ""
    assert tree_digest(cli.workspace) == before


def test_type_refused_for_referential_without_types(tmp_path, cli):
    from support import write_distribution

    untyped = tmp_path / "untyped.yaml"
    untyped.write_text(_without_types(), encoding="utf-8")
    write_distribution(tmp_path / "site", "audit_bench_untyped", "audit_bench_untyped",
                       f"from pathlib import Path\nfrom audit_bench.plugins import hookimpl\n"
                       f"@hookimpl\ndef referentials():\n    return [Path({str(untyped)!r})]\n", "untyped")
    refused = cli("new", "--referential", "untyped", "--org", "PLIE", "--siae-type", "AI", "--kind", "internal",
                  check=False)
    assert refused.returncode == 1 and "ne définit pas de type" in refused.stderr
    assert not cli.workspace.exists() or not list(cli.workspace.glob("*.json"))
    cli("new", "--referential", "untyped", "--org", "PLIE", "--kind", "internal")


def _without_types() -> str:
    from support import MINI_YAML

    text = MINI_YAML.read_text(encoding="utf-8").replace("id: mini", "id: untyped", 1)
    head, _, rest = text.partition("siae_types:")
    rest = rest.split("scale:", 1)[1]
    body = head + "scale:" + rest
    return "\n".join(line for line in body.splitlines() if "AI:" not in line and "variants:" not in line)
