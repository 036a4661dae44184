"""`agenda`, its calendar file, and the commands that set the cycle, through the entry point."""

from __future__ import annotations

import json
from datetime import date, timedelta

import icalendar

from support import run_cli, tree_digest
from test_exchange_docx import word_text
from test_report import pdf_text

TODAY = date.today()


def cli(workspace, *args, check=True):
    return run_cli(workspace, *args, check=check)


def certified_structure(ws) -> str:
    """An AFAQ structure certified 200 days ago, with a trained auditor working in accompaniment."""
    structure = cli(ws, "structure", "new", "--name", "PLIE « Cœur » & Garrigue").stdout.strip()
    issued = TODAY - timedelta(days=200)
    cli(ws, "structure", "certification", structure, "--referential", "afaq", "--body", "AFNOR Certification",
        "--number", "ES-17", "--issued", issued.isoformat(), "--valid-until", (issued + timedelta(days=1000)).isoformat())
    cli(ws, "structure", "person", structure, "--name", "Nadia Benali", "--role", "auditeur-interne",
        "--trained-on", "2024-02-01", "--activity", "Accompagnement")
    return structure


def test_agenda_json_has_the_stable_keys_and_the_ics_reads_back_the_same(tmp_path):
    ws = tmp_path / "ws"
    structure = certified_structure(ws)
    cli(ws, "structure", "frequency", structure, "--referential", "afaq", "--of", "controles", "--months", "1")
    cli(ws, "agenda-done", structure, "--referential", "afaq", "--obligation", "bilan-annuel",
        "--on", TODAY.isoformat(), "--note", "CR signé <b>&</b>")
    document = json.loads(cli(ws, "agenda", "--json", "--within", "90").stdout)
    items = document["items"]
    assert items and all(set(item) >= {"date", "structure", "kind", "title", "rule", "state", "ref"} for item in items)
    assert [item["date"] for item in items] == sorted(item["date"] for item in items)
    assert all(item["date"] <= (TODAY + timedelta(days=90)).isoformat() for item in items)
    review = next(i for i in items if i["ref"] == f"afaq/bilan-annuel/{TODAY.year}-01")
    assert review["state"] == "done" and review["done_by"] == f"fait le {TODAY.isoformat()} — CR signé <b>&</b>"
    assert {(e["referential"], e["of"]) for e in document["to_set"]} == {("afaq", "surveillance")}

    output = tmp_path / "agenda.ics"
    result = cli(ws, "agenda", "--within", "90", "--ics", str(output))
    assert output.stat().st_mode & 0o777 == 0o600
    assert "agenda écrit" in result.stderr and "Audit interne" in result.stdout
    calendar = icalendar.Calendar.from_ical(output.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == len(items)
    for event, item in zip(events, items):
        assert event.decoded("dtstart") == date.fromisoformat(item["date"])
        assert event.decoded("dtend") == date.fromisoformat(item["date"]) + timedelta(days=1)
        assert str(event["summary"]) == f"{item['title']} — PLIE « Cœur » & Garrigue"
        assert str(event["uid"]) == f"{structure}/{item['ref']}@audit-bench"
        description = str(event["description"]).split("\n")
        assert description[0] == item["rule"] and description[-1] == f"Référence : {item['ref']}"
    assert calendar["prodid"] and calendar["version"] == "2.0" and calendar["method"] == "PUBLISH"


def test_bad_input_is_one_line_and_changes_nothing(tmp_path):
    ws = tmp_path / "ws"
    structure = certified_structure(ws)

    def data() -> dict[str, str]:
        """The workspace's files but the listings' caches (the index, the plan's), which a listing may refresh."""
        return {name: digest for name, digest in tree_digest(ws).items()
                if not name.startswith(("index.", "plan-index.", "plan-history."))}

    before = data()
    (tmp_path / "taken.ics").write_text("garder", encoding="utf-8")
    refusals = [
        ("agenda", "--structure", "inconnue"),
        ("agenda", "--within", "-3"),
        ("agenda", "--ics", str(ws / "agenda.ics")),
        ("agenda", "--ics", str(tmp_path / "taken.ics")),
        ("structure", "frequency", structure, "--referential", "afaq", "--of", "audit-interne", "--months", "6"),
        ("structure", "frequency", structure, "--referential", "afaq", "--of", "controles", "--months", "5"),
        ("structure", "frequency", structure, "--referential", "afaq", "--of", "controles"),
        ("agenda-done", structure, "--referential", "afaq", "--obligation", "audit-interne", "--on", "2026-01-10"),
        ("agenda-done", structure, "--referential", "afaq", "--obligation", "bilan-annuel", "--on", "31/02/2026"),
        ("agenda-done-delete", structure, "--referential", "afaq", "--obligation", "bilan-annuel", "--on", "2026-01-10"),
    ]
    for args in refusals:
        result = cli(ws, *args, check=False)
        assert result.returncode != 0 and result.stdout == "", args
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("audit-bench: erreur"), result.stderr
    assert data() == before
    assert (tmp_path / "taken.ics").read_text(encoding="utf-8") == "garder"


def test_a_new_internal_audit_warns_of_auditors_the_referential_would_refuse(tmp_path):
    ws = tmp_path / "ws"
    structure = certified_structure(ws)
    created = cli(ws, "new", "--referential", "afaq", "--structure", structure, "--kind", "internal",
                  "--auditor", "Nadia Benali", "--auditor", "Julien Ferrand",
                  "--scope", "Accompagnement individualisé, antenne nord")
    warnings = created.stderr.splitlines()
    assert warnings[0].startswith("attention : Nadia Benali exerce l'activité auditée « Accompagnement »")
    assert warnings[1].startswith("attention : Julien Ferrand n'est pas enregistré(e)")
    assert all(w.endswith("indépendants de l'activité auditée)") for w in warnings) and len(warnings) == 2
    assert created.stdout.strip()  # the audit is created all the same: the warning is for the référent
    report = tmp_path / "rapport.pdf"
    cli(ws, "report", created.stdout.strip(), "-o", str(report))
    _, body = pdf_text(report)
    flat = " ".join(body.split())
    assert "Qualification et indépendance des auditeurs internes" in flat
    assert ("Exigence : AFAQ 6.2 — auditeurs formés à l’audit qualité et au référentiel, indépendants de "
            "l’activité auditée.") in flat.replace("\u00a0", " ")
    assert "À vérifier : Nadia Benali exerce l’activité auditée « Accompagnement » : pas indépendant(e)." in \
        flat.replace("\u00a0", " ")
    word = tmp_path / "rapport.docx"
    cli(ws, "report", created.stdout.strip(), "-o", str(word))
    words = " ".join(word_text(word).replace("\u00a0", " ").split())
    assert "Qualification et indépendance des auditeurs internes" in words
    assert "À vérifier : Nadia Benali exerce l’activité auditée « Accompagnement » : pas indépendant(e)." in words
    shown = json.loads(cli(ws, "structure", "show", structure, "--json").stdout)
    assert shown["people"][0]["activity"] == "Accompagnement"
    quiet = cli(ws, "new", "--referential", "afaq", "--structure", structure, "--kind", "surveillance",
                "--auditor", "Julien Ferrand")
    assert quiet.stderr == ""
