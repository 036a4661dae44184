"""Hostile input through the real entry point: control characters, bytes that are not UTF-8,
empty values, errors of the operating system, a reader that leaves, unknown ids. Each refusal is
one line on stderr, changes nothing, and never sends an escape sequence raw to the terminal."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from support import MINI_PLUGIN, Cli, mini_env, run_cli, tree_digest, write_distribution

RAW = ("\x1b", "\x07", "\x00", "\x9b")
"""What must never reach the terminal raw: ESC, BEL, NUL, CSI (C1)."""

PAYLOADS = {
    "title": ("Org\x1b]0;piraté\x07", "Org\\x1b]0;piraté\\x07"),
    "clear": ("Org\x1b[2J\x1b[H", "Org\\x1b[2J\\x1b[H"),
    "colour": ("\x1b[31mrouge\x1b[0m", "\\x1b[31mrouge\\x1b[0m"),
    "nul": ("Org\x00nul", "Org\\x00nul"),
    "c1": ("Org\x9b31m", "Org\\x9b31m"),
}
"""Text an older version or a hand edit may have stored, and how the text output shows it."""


def assert_quiet(result) -> None:
    for char in RAW:
        assert char not in result.stdout and char not in result.stderr, (char, result.stdout, result.stderr)


def assert_refused(result, expected: str) -> None:
    """The contract for bad input: non-zero, one line on stderr saying why, nothing on stdout."""
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert result.stdout == ""
    assert_quiet(result)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Cli, str, str, str]:
    """One workspace (the tests' plugin installed) with an audit, an écart and its action."""
    root = tmp_path_factory.mktemp("hostile")
    site = root / "site"
    site.mkdir()
    write_distribution(site, "audit_bench_mini", "audit_bench_mini", MINI_PLUGIN, "mini")
    cli = Cli(root / "ws", mini_env(site))
    audit = cli("new", "--referential", "mini", "--org", "Atelier", "--siae-type", "ACI", "--kind", "internal",
                "--date", "2026-11-20").stdout.strip()
    finding = cli("finding", audit, "1.2", "--class", "mineur", "--text", "x").stdout.strip()
    action = cli("action", audit, finding, "--text", "x", "--owner", "y", "--due", "2027-01-01").stdout.strip()
    return cli, audit, finding, action


def files_but_the_index(folder) -> dict[str, str]:
    """Every file, a lock too, but the index: a cache that a read may refresh, as the first
    command after another test's write does, whatever it is."""
    return {name: sha for name, sha in tree_digest(folder).items() if name != "index.json"}


def refused_unchanged(hostile, args: list[str], expected: str):
    cli, audit, finding, action = hostile
    before = files_but_the_index(cli.workspace)
    result = cli(*[a.format(audit=audit, finding=finding, action=action) for a in args], check=False)
    assert_refused(result, expected)
    assert files_but_the_index(cli.workspace) == before
    return result


NEW = ["new", "--referential", "mini", "--siae-type", "ACI", "--kind", "internal", "--date", "2026-11-20"]
FREE_TEXT = {
    "org": NEW + ["--org", "{value}"],
    "auditor": NEW + ["--org", "X", "--auditor", "{value}"],
    "scope": NEW + ["--org", "X", "--scope", "{value}"],
    "objectives": NEW + ["--org", "X", "--objectives", "{value}"],
    "place": NEW + ["--org", "X", "--place", "{value}"],
    "note": ["assess", "{audit}", "1.1", "C", "--note", "{value}"],
    "evidence title": ["evidence", "{audit}", "1.1", "--title", "{value}"],
    "evidence version": ["evidence", "{audit}", "1.1", "--title", "x", "--version", "{value}"],
    "evidence location": ["evidence", "{audit}", "1.1", "--title", "x", "--location", "{value}"],
    "finding text": ["finding", "{audit}", "1.1", "--class", "mineur", "--text", "{value}"],
    "action text": ["action", "{audit}", "{finding}", "--text", "{value}", "--owner", "y", "--due", "2027-01-01"],
    "action owner": ["action", "{audit}", "{finding}", "--text", "x", "--owner", "{value}", "--due", "2027-01-01"],
    "verifier": ["action-update", "{audit}", "{action}", "--status", "done", "--verified-by", "{value}",
                 "--effective", "yes"],
}


def _with(args: list[str], value: str) -> list[str]:
    return [value if a == "{value}" else a for a in args]


@pytest.mark.parametrize("field", FREE_TEXT)
def test_control_characters_are_refused_in_every_free_text(hostile, field):
    refused_unchanged(hostile, _with(FREE_TEXT[field], "Texte\x1b]0;piraté\x07"), "caractère de contrôle (\\x1b)")


@pytest.mark.parametrize("value,shown", [("a\x9b2J", "\\x9b"), ("a\x7f", "\\x7f"), ("a\x0cb", "\\x0c"),
                                         ("a\x07", "\\x07")])
def test_each_kind_of_control_character_is_refused(hostile, value, shown):
    refused_unchanged(hostile, _with(FREE_TEXT["note"], value), f"caractère de contrôle ({shown})")


def test_tab_and_newline_stay_allowed_in_a_note_and_pasted_line_ends_become_newlines(hostile):
    cli, audit, *_ = hostile
    cli("assess", audit, "2.2", "na", "--note", "Ligne 1\n\tLigne 2\r\nLigne 3\rLigne 4")
    [rated] = [a for a in json.loads(cli("show", audit, "--json").stdout)["assessments"] if a["requirement"] == "2.2"]
    assert rated["note"] == "Ligne 1\n\tLigne 2\nLigne 3\nLigne 4"


@pytest.mark.parametrize("field", ["org", "note", "action owner"])
def test_bytes_that_are_not_utf8_are_refused_in_one_line(hostile, field):
    refused_unchanged(hostile, _with(FREE_TEXT[field], "caf\udce9"), "UTF-8 valide (octet \\xe9)")


def test_evidence_with_a_bad_title_leaves_no_file_behind(hostile, tmp_path):
    attachment = tmp_path / "livret.pdf"
    attachment.write_bytes(b"%PDF-1.4 livret")
    refused_unchanged(hostile, ["evidence", "{audit}", "1.1", "--title", "caf\udce9", "--file", str(attachment)],
                      "UTF-8")


def test_an_audit_id_that_is_not_utf8_is_refused_in_one_line(hostile):
    result = refused_unchanged(hostile, ["show", "2026-11-20-caf\udce9"], "identifiant d'audit invalide")
    assert "caf\\xe9" in result.stderr


def test_a_file_whose_name_is_not_utf8_can_be_attached(hostile, tmp_path):
    cli, audit, *_ = hostile
    attachment = tmp_path / "compte-rendu-r\udce9union\x1b[2J.pdf"
    attachment.write_bytes(b"%PDF-1.4 compte rendu")
    evidence = cli("evidence", audit, "1.1", "--title", "Compte rendu de réunion", "--file", str(attachment))
    shown = cli("show", audit, "--json")
    [attached] = [e for e in json.loads(shown.stdout)["evidence"] if e["id"] == evidence.stdout.strip()]
    assert attached["filename"] == "compte-rendu-r\\xe9union\\x1b[2J.pdf"
    stored = cli.workspace / "evidence" / attached["sha256"][:2] / attached["sha256"]
    assert stored.read_bytes() == attachment.read_bytes()
    assert_quiet(cli("show", audit))


def test_a_workspace_whose_name_is_not_utf8_works(hostile, tmp_path):
    cli = Cli(tmp_path / "audits-\udce9t\udce9", hostile[0].env)
    audit = cli(*_with(FREE_TEXT["org"], "Atelier")).stdout.strip()
    assert cli("show", audit).stdout.startswith("Atelier — mini")


def stored_with(cli: Cli, audit: str) -> None:
    """Write one payload in each text field of the audit file, as an older version or a hand edit
    would have (org, auditor, constat, écart, owner of its action)."""
    path = cli.workspace / f"{audit}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    payloads = [payload for payload, _ in PAYLOADS.values()]
    [header] = document["header"].values()
    header["org"], header["auditors"] = payloads[0], [payloads[1]]
    [assessment] = document["assessments"].values()
    [finding] = document["findings"].values()
    [action] = document["actions"].values()
    finding["text"], action["owner"], assessment["note"] = payloads[2:]
    path.write_text(json.dumps(document), encoding="utf-8")
    for record in (cli.workspace / "structures").glob("*.json"):
        record.unlink()  # as the previous release wrote it: the structure is the audit's org


def test_stored_escape_sequences_never_reach_the_terminal(hostile, tmp_path):
    cli = Cli(tmp_path / "ws", hostile[0].env)
    audit = cli(*_with(FREE_TEXT["org"], "Atelier")).stdout.strip()
    cli("assess", audit, "1.1", "E", "--note", "x")
    finding = cli("finding", audit, "1.1", "--class", "mineur", "--text", "x").stdout.strip()
    cli("action", audit, finding, "--text", "x", "--owner", "y", "--due", "2027-01-01")
    stored_with(cli, audit)
    shown, listed = cli("show", audit), cli("audits")
    for result in (shown, listed, cli("show", audit, "--json"), cli("audits", "--json")):
        assert_quiet(result)
    for payload, escaped in PAYLOADS.values():
        assert escaped in shown.stdout, escaped
    assert PAYLOADS["title"][1] in listed.stdout
    assert json.loads(cli("show", audit, "--json").stdout)["org"] == PAYLOADS["title"][0]


def test_error_messages_escape_what_they_quote(hostile):
    cli, audit, *_ = hostile
    payload = "".join(payload for payload, _ in PAYLOADS.values()).replace("\x00", "\udc80")  # no NUL in argv
    for args in (("assess", audit, payload, "C"), ("show", payload), (payload,)):
        result = cli(*args, check=False)
        assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
        assert_quiet(result)
        assert "\\x1b]0;piraté\\x07" in result.stderr


@pytest.mark.parametrize("args,expected", [
    (NEW[:-2] + ["--org", "X", "--date", ""], "--date ne peut pas être vide"),
    (NEW + ["--org", "X", "--end-date", ""], "--end-date ne peut pas être vide"),
    (["new", "--referential", "mini", "--org", "X", "--siae-type", "", "--kind", "internal"],
     "--siae-type ne peut pas être vide"),
    (NEW + ["--org", "X", "--auditor", " "], "--auditor ne peut pas être vide"),
    (NEW + ["--org", "X", "--workspace", ""], "--workspace ne peut pas être vide"),
    (["evidence", "{audit}", "1.1", "--title", "x", "--file", ""], "--file ne peut pas être vide"),
    (["action-update", "{audit}", "{action}", "--status", "done", "--verified-by", "", "--effective", "yes"],
     "--verified-by ne peut pas être vide"),
    (["report", "{audit}", "-o", ""], "-o ne peut pas être vide"),
])
def test_an_empty_value_is_refused(hostile, args, expected):
    refused_unchanged(hostile, args, expected)


def test_an_empty_date_is_refused_by_the_services_too(workspace):
    from audit_bench.services import UserError, create_audit

    with pytest.raises(UserError, match="date vide"):
        create_audit(workspace, "mini", "Atelier", "internal", "ACI", "")
    assert not workspace.path.exists()


def test_the_services_refuse_control_characters_too(workspace):
    """The TUI goes through the same use cases: it refuses what the CLI refuses."""
    from audit_bench.services import UserError, create_audit, open_audit

    with pytest.raises(UserError, match="caractère de contrôle"):
        create_audit(workspace, "mini", "Atelier\x1b[2J", "internal", "ACI", "2026-11-20")
    audit = create_audit(workspace, "mini", "Atelier", "internal", "ACI", "2026-11-20").id
    before = tree_digest(workspace.path)
    with open_audit(workspace, audit) as session:
        with pytest.raises(UserError, match="caractère de contrôle"):
            session.rate("1.1", "C", "constat\x9b")
        with pytest.raises(UserError, match="caractère de contrôle"):
            session.add_evidence("1.1", "Livret", location="Classeur\x07")
    assert tree_digest(workspace.path) == before


def test_visible_escapes_what_a_terminal_would_act_on():
    from audit_bench.services.text import visible

    assert visible("Org\x1b]0;t\x07 caf\udce9 \x9b\x7f") == "Org\\x1b]0;t\\x07 caf\\xe9 \\x9b\\x7f"
    assert visible("a\n\tb") == "a\n\tb" and visible("a\n\tb", multiline=False) == "a\\x0a\\x09b"
    assert visible("Écart « majeur » – 3 €") == "Écart « majeur » – 3 €"


def test_a_workspace_under_a_file_is_one_french_line(hostile, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    cli = Cli(blocker / "ws", hostile[0].env)
    result = cli(*_with(FREE_TEXT["org"], "Atelier"), check=False)
    assert_refused(result, "un élément du chemin n'est pas un dossier : ")
    assert str(blocker / "ws") in result.stderr


def test_permission_denied_is_one_french_line_naming_the_file(tmp_path):
    """Root writes anywhere a mode allows: there the workspace is one sysfs refuses to create."""
    if os.geteuid() == 0:
        workspace = Path("/sys/kernel/audit-bench-ws")
    else:
        workspace = tmp_path / "ws"
        workspace.mkdir(mode=stat.S_IRUSR | stat.S_IXUSR)
    result = run_cli(workspace, "new", "--referential", "afaq", "--org", "Atelier", "--kind", "internal",
                     check=False)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("audit-bench: erreur : permission refusée : ") or "lecture seule : " in line
    assert str(workspace) in line


@pytest.mark.parametrize("code,expected", [
    (errno.EACCES, "permission refusée : /w/a.json"), (errno.EPERM, "permission refusée : /w/a.json"),
    (errno.ENOSPC, "disque plein, écriture impossible : /w/a.json"),
    (errno.EROFS, "système de fichiers en lecture seule : /w/a.json"),
    (errno.ENOENT, "fichier ou dossier introuvable : /w/a.json"),
    (errno.EISDIR, "c'est un dossier, pas un fichier : /w/a.json"),
    (errno.ENOTDIR, "un élément du chemin n'est pas un dossier : /w/a.json"),
    (errno.EEXIST, "existe déjà : /w/a.json"),
    (errno.EIO, f"{os.strerror(errno.EIO)} : /w/a.json"),
])
def test_operating_system_errors_are_named_in_french(code, expected):
    from audit_bench.services.errors import refusal_message

    assert refusal_message(OSError(code, os.strerror(code), "/w/a.json")) == expected
    assert refusal_message(OSError(code, os.strerror(code), b"/w/\xff\x1b")).endswith(" : /w/\\xff\\x1b")


def test_a_reader_that_leaves_ends_show_quietly(hostile):
    cli, audit, *_ = hostile
    for args in (("show", audit), ("show", audit, "--json"), ("referential", "show", "mini")):
        read, write = os.pipe()
        os.close(read)  # `| head` that has already left
        try:
            result = cli(*args, check=False, stdout=write)
        finally:
            os.close(write)
        assert result.returncode in (0, 141) and result.stderr == ""


def test_report_accepts_force(hostile, tmp_path):
    cli, audit, *_ = hostile
    output = tmp_path / "rapport.pdf"
    cli("report", audit, "-o", str(output), "--force")
    assert output.read_bytes().startswith(b"%PDF")


UNKNOWN_AUDIT = [
    ["show", "2099-01-01-nope-0000"], ["assess", "2099-01-01-nope-0000", "1.1", "C"],
    ["evidence", "2099-01-01-nope-0000", "1.1", "--title", "x"],
    ["finding", "2099-01-01-nope-0000", "1.1", "--class", "mineur", "--text", "x"],
    ["action", "2099-01-01-nope-0000", "E1", "--text", "x", "--owner", "y", "--due", "2027-01-01"],
    ["action-update", "2099-01-01-nope-0000", "A1", "--status", "done"], ["close", "2099-01-01-nope-0000"],
    ["reopen", "2099-01-01-nope-0000"], ["report", "2099-01-01-nope-0000", "-o", "/tmp/x.pdf"],
]


@pytest.mark.parametrize("args", UNKNOWN_AUDIT, ids=[a[0] for a in UNKNOWN_AUDIT])
def test_an_unknown_audit_is_one_line_for_every_command(hostile, args):
    refused_unchanged(hostile, args, "audit inconnu « 2099-01-01-nope-0000 »")


@pytest.mark.parametrize("args,expected", [
    (["frobnicate"], "commande inconnue « frobnicate »"),
    (["referential", "montrer"], "commande inconnue « montrer »"),
    (["show", "{audit}", "--jsn"], "option inconnue --jsn"),
    (["new", "--referential", "mini"], "option --kind obligatoire : voir --help (ou --from AUDIT)"),
    (["show"], "argument AUDIT manquant"),
    (["assess", "{audit}", "1.1", "C", "--note"], "l'option --note demande une valeur"),
    (NEW[:5] + ["--org", "X", "--kind", "audit"], "--kind : « audit » inconnu, choisir parmi self-assessment"),
    (["action-update", "{audit}", "{action}", "--status", "finie"], "--status : « finie » inconnu"),
    (["demo", "--plugin", "nope"], "plugin inconnu « nope »"),
])
def test_usage_errors_are_one_french_line(hostile, args, expected):
    refused_unchanged(hostile, args, expected)
