"""What a user reads: the text output of `audits`, `show`, `referentials`, `referential show`; the
default workspace; `demo --plugin`; and the JSON keys scripts depend on (DESIGN.md)."""

from __future__ import annotations

import json

from support import run_cli, write_distribution


def journey(cli) -> str:
    """An ACI audit with ratings, evidence, an écart and its action, as in the journey test."""
    audit = json.loads(cli("new", "--referential", "mini", "--org", "Chantier « Les Jardins »", "--siae-type",
                           "ACI", "--kind", "internal", "--date", "2026-11-20", "--end-date", "2026-11-21",
                           "--auditor", "Claire Martin", "--auditor", "Yves Dupont", "--json").stdout)["id"]
    cli("assess", audit, "1.1", "C", "--note", "Livret remis à l'embauche")
    cli("assess", audit, "1.2", "E", "--note", "Pas d'entretien tracé\nsur les trois derniers mois")
    cli("assess", audit, "2.2", "na", "--note", "Structure créée il y a six mois")
    cli("evidence", audit, "1.1", "--title", "Livret d'accueil", "--version", "v3 2026", "--location",
        "Classeur qualité")
    finding = cli("finding", audit, "1.2", "--class", "mineur", "--text", "Entretiens non tracés").stdout.strip()
    action = cli("action", audit, finding, "--text", "Créer une fiche d'entretien", "--owner", "CIP",
                 "--due", "2027-01-31").stdout.strip()
    cli("action-update", audit, action, "--status", "done")
    cli("action-update", audit, action, "--verified-by", "Claire Martin", "--effective", "yes")
    return audit


def test_show_reads_as_french_lines(cli):
    audit = journey(cli)
    lines = cli("show", audit).stdout.splitlines()
    assert lines[:4] == [
        "Chantier « Les Jardins » — mini version 1.0 — Audit interne du 2026-11-20 au 2026-11-21 (en cours)",
        "Type de structure : ACI",
        "Auditeurs : Claire Martin, Yves Dupont",
        "Avancement : 3/5 exigences cotées",
    ]
    assert "  1 Accueil : 50 %" in lines and "  2 Amélioration continue : —" in lines
    assert "  1.2        E      Pas d'entretien tracé sur les trois derniers mois" in lines
    assert "  preuve P1 (1.1) Livret d'accueil — v3 2026 — Classeur qualité" in lines
    assert "  écart E1 (1.2, mineur) Entretiens non tracés" in lines
    assert ("    action A1 Créer une fiche d'entretien — CIP, échéance 2027-01-31, réalisée, "
            "efficace selon Claire Martin") in lines


def test_show_lists_what_is_still_owed(cli):
    audit = json.loads(cli("new", "--referential", "mini", "--org", "AI du Val", "--siae-type", "AI", "--kind",
                           "self-assessment", "--date", "2026-11-02", "--json").stdout)["id"]
    cli("assess", audit, "2.1", "E", "--note", "Registre absent")
    owed = [line for line in cli("show", audit).stdout.splitlines() if line.startswith("  à compléter : ")]
    assert len(owed) == 1 and "2.1" in owed[0]


def test_audits_lists_one_line_per_audit(cli):
    assert cli("audits").stdout.startswith("Aucun audit. Créez-en un avec « audit-bench new »")
    audit = journey(cli)
    [line] = cli("audits").stdout.splitlines()
    assert line == (f"{audit}  mini     Chantier « Les Jardins » (ACI)  Audit interne  2026-11-20  3/5 cotées  "
                    "0 écart(s) ouvert(s)")
    cli("close", audit)
    assert cli("audits").stdout.rstrip().endswith("[clos]")


def test_referentials_and_a_broken_plugin(cli, tmp_path):
    write_distribution(tmp_path / "site", "audit_bench_broken", "audit_bench_broken", "raise ImportError('x')",
                       "broken")
    listed = cli("referentials")
    assert "mini         Référentiel d'essai « Qualité & insertion » — version 1.0 (5 exigences)" in (
        listed.stdout.splitlines())
    [error] = [line for line in listed.stderr.splitlines() if "broken" in line]
    assert error.startswith("ERREUR plugin broken : ")


def test_referential_show_prints_scale_classes_and_tree(cli):
    lines = cli("referential", "show", "mini").stdout.splitlines()
    assert lines[:4] == [
        "Référentiel d'essai « Qualité & insertion » — version 1.0 (Équipe audit-bench)",
        "Types de structure : AI (Association intermédiaire), ACI (Atelier et chantier d'insertion)",
        "Échelle : C = Conforme, P = Piste de progrès, E = Écart, na = N/A",
        "Classes d'écart : mineur = Écart mineur, majeur = Écart majeur, observation = Observation",
    ]
    assert lines[4:7] == ["▸ 1 Accueil", "  • 1.1 La structure remet un livret d'accueil à chaque salarié.",
                          "  • 1.2 Un entretien d'accueil a lieu dans les 8 jours."]


def test_default_workspace_and_environment(cli, tmp_path):
    args = ("new", "--referential", "mini", "--org", "PLIE", "--siae-type", "AI", "--kind", "internal",
            "--date", "2026-01-05")
    audit = run_cli(None, *args, env=cli.env, cwd=tmp_path).stdout.strip()
    assert (tmp_path / "audits" / f"{audit}.json").is_file()
    elsewhere = tmp_path / "ailleurs"
    other = run_cli(None, *args, env={**cli.env, "AUDIT_BENCH_WORKSPACE": str(elsewhere)}, cwd=tmp_path)
    assert (elsewhere / f"{other.stdout.strip()}.json").is_file()


def test_demo_of_one_plugin(cli):
    created = cli("demo", "--plugin", "mini").stdout.split()
    listed = json.loads(cli("audits", "--json").stdout)["audits"]
    assert [(a["id"], a["referential"]) for a in listed] == [(created[0], "mini")] and len(created) == 1
    refused = cli("demo", "--plugin", "nope", check=False)
    assert refused.returncode == 1 and "plugin inconnu « nope »" in refused.stderr


SHOW_KEYS = {"id", "referential", "org", "structure", "siae_type", "kind", "date", "end_date", "auditors", "place",
             "objectives", "scope", "status", "progress", "scores", "assessments", "evidence", "findings", "pending",
             "from_audit", "follow_up", "conclusion"}
NODE_KEYS = {"id", "title", "text", "kind", "ratable", "intent", "guidance", "variants", "evidence", "indicators",
             "children"}


def test_json_keys_of_the_contract(cli):
    audit = journey(cli)
    shown = json.loads(cli("show", audit, "--json").stdout)
    assert set(shown) == SHOW_KEYS
    assert set(shown["referential"]) == {"id", "version"} and set(shown["progress"]) == {"assessed", "total"}
    assert set(shown["scores"][0]) == {"section", "title", "score", "max", "percent", "depth"}
    assert set(shown["assessments"][0]) == {"requirement", "rating", "note", "at", "history"}
    assert set(shown["assessments"][0]["history"][0]) == {"rating", "note", "by", "at"}
    assert set(shown["evidence"][0]) == {"id", "requirement", "title", "version", "location", "sha256", "filename", "file",
                                         "carried_from", "reviewed_on"}
    assert set(shown["findings"][0]) == {"id", "requirement", "class", "text", "actions", "immediate_action",
                                         "root_cause", "resolved_at"}
    assert set(shown["findings"][0]["actions"][0]) == {"id", "text", "owner", "due", "status", "verified_by",
                                                       "verified_at", "effective", "type", "postponements",
                                                       "verification_comment"}
    listed = json.loads(cli("audits", "--json").stdout)
    assert set(listed) == {"audits", "errors"}
    assert set(listed["audits"][0]) == {"id", "referential", "org", "structure", "siae_type", "kind", "date",
                                        "status", "assessed", "total", "open_findings"}
    installed = json.loads(cli("referentials", "--json").stdout)
    assert set(installed) == {"referentials", "errors"}
    assert set(installed["referentials"][0]) == {"id", "title", "version", "requirements", "plugin"}
    tree = json.loads(cli("referential", "show", "mini", "--json").stdout)
    assert set(tree) == {"id", "title", "version", "metadata", "siae_types", "scale", "finding_classes", "nodes",
                         "glossary", "annexes", "recommendations"}
    assert set(tree["nodes"][0]) == NODE_KEYS and set(tree["nodes"][0]["children"][0]) == NODE_KEYS
    assert set(tree["nodes"][0]["children"][0]["variants"]["AI"]) == {"text", "applicable", "guidance"}
    assert set(tree["scale"][0]) == {"value", "label", "score", "requires_finding"}
    assert set(tree["finding_classes"][0]) == {"id", "label", "severity", "requires_action"}


def test_show_says_when_an_attached_file_is_missing_or_altered(cli, tmp_path):
    audit_id = cli("new", "--referential", "mini", "--org", "Atelier", "--siae-type", "ACI", "--kind", "internal",
                   "--date", "2026-11-20").stdout.strip()
    kept, changed, lost = (tmp_path / name for name in ("garde.pdf", "change.pdf", "perdu.pdf"))
    for path in (kept, changed, lost):
        path.write_bytes(f"contenu de {path.name}".encode())
        cli("evidence", audit_id, "1.1", "--title", path.stem, "--file", str(path))
    stored = {e["title"]: e["sha256"] for e in json.loads(cli("show", audit_id, "--json").stdout)["evidence"]}
    evidence = cli.workspace / "evidence"
    (evidence / stored["change"][:2] / stored["change"]).write_bytes(b"autre chose")
    (evidence / stored["perdu"][:2] / stored["perdu"]).unlink()
    shown = {e["title"]: e["file"] for e in json.loads(cli("show", audit_id, "--json").stdout)["evidence"]}
    assert shown == {"garde": "ok", "change": "altered", "perdu": "missing"}
    text = cli("show", audit_id).stdout
    assert "change.pdf : MODIFIÉ depuis son dépôt" in text and "perdu.pdf : ABSENT de l'espace de travail" in text
    assert "garde.pdf]" in text
