"""Data safety: crash at any instant, one writer per audit, corrupt files, migrations, private files.

The SIGKILL tests print the seed of their kill schedule; AUDIT_BENCH_KILL_SEED=<seed> replays it."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time

import msgspec
import pytest

from audit_bench.services.audits import audit_path, create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.structures import create_structure, list_structures, open_structure
from audit_bench.store.audit_file import AuditFile, lock_path
from audit_bench.store.blobs import evidence_status
from audit_bench.store.errors import NewerFormatError, ReadOnlyError
from audit_bench.store.migrations import AUDIT_FORMATS, backup_path
from support import tree_digest, write_older_format

KILLS = 250
EVIDENCE_KILLS = 60
STRUCTURE_KILLS = 120


def kill_schedule() -> tuple[random.Random, int]:
    """A new schedule of kills each run (the real store must pass them all), replayable."""
    seed = int(os.environ.get("AUDIT_BENCH_KILL_SEED") or random.SystemRandom().randrange(1 << 32))
    print(f"kill schedule seed {seed}: replay with AUDIT_BENCH_KILL_SEED={seed}")
    return random.Random(seed), seed


def _kill_child_at_random(rng: random.Random, child, max_delay: float, *, after_ready: bool = False) -> list[str]:
    """Fork `child(write_fd)`, SIGKILL it after a random delay, and return the lines it reported.

    `after_ready`: the delay counts from the child's first line (`ready`, not returned), written
    once it holds its session, so that each kill lands among its writes, not while it opens."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns to pytest
        os.close(read_fd)
        try:
            child(write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        if after_ready:
            pipe.readline()
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return pipe.read().splitlines()


def _new_audit(workspace, siae_type="ACI"):
    return create_audit(workspace, "mini", "Atelier du Port", "internal", siae_type, "2026-11-20", ["Claire"]).id


def _rating_child(workspace, audit_id: str, write_fd: int, counter: int) -> None:
    """In the forked child: rate forever, reporting each rating once the service has returned.

    `counter` starts above every earlier child's, so a stored note never goes backwards."""
    requirements = ["1.1", "1.2", "1.3", "2.1", "2.2"]
    with open_audit(workspace, audit_id) as session:
        while True:
            counter += 1
            requirement = requirements[counter % len(requirements)]
            padding = "constat détaillé " * (counter % 9)  # the file shrinks as often as it grows
            session.rate(requirement, "CPE"[counter % 3], f"passage {counter} {padding}")
            os.write(write_fd, f"{requirement} {counter}\n".encode())


def test_sigkill_mid_write_never_loses_a_reported_rating(workspace):
    audit_id = _new_audit(workspace)
    rng, seed = kill_schedule()
    reported: dict[str, int] = {}
    for kill in range(KILLS):
        lines = _kill_child_at_random(
            rng, lambda fd, kill=kill: _rating_child(workspace, audit_id, fd, kill * 1_000_000), 0.03)
        for line in lines:
            requirement, counter = line.split()
            reported[requirement] = max(reported.get(requirement, 0), int(counter))
        # The dead child's lock is taken over; the file loads and holds every reported rating.
        with open_audit(workspace, audit_id) as session:
            assert not session.read_only
            stored = {a.requirement: int(a.note.split()[1]) for a in session.snapshot().assessments}
        for requirement, counter in reported.items():
            assert stored[requirement] >= counter, (seed, requirement, counter, stored)
    assert sum(reported.values()) > 0, "the children never got to save anything"
    workspace.__class__(workspace.path, registry=workspace.registry)  # a new start cleans leftovers
    assert not list(workspace.path.rglob(".*.tmp")), seed


def _structure_child(workspace, structure_id: str, write_fd: int, counter: int) -> None:
    """In the forked child: rename the structure, add people, replace certificates, add écarts
    with an action, postpone that action, forever, reporting each change once the service has
    returned."""
    with open_structure(workspace, structure_id) as session:
        while True:
            counter += 1
            change = counter % 5
            if change == 0:
                session.edit(name=f"Atelier {counter}")
            elif change == 1:
                session.set_person(f"Personne {counter}", "auditeur-interne", "2025-01-01")
            elif change == 2:
                session.set_certification("mini", f"Organisme {counter}", f"N-{counter % 4}", "2025-01-01")
            elif change == 3:
                finding = session.add_ecart("autre", f"Écart {counter}")
                session.add_action(finding.id, f"Action {counter}", "Direction", "2027-01-31")
            else:
                action = session.snapshot().actions[-1]
                session.update_action(action.id, due=f"2027-02-{1 + counter % 28:02d}", reason=f"Report {counter}")
            os.write(write_fd, f"{change} {counter}\n".encode())


def test_sigkill_mid_write_never_loses_a_reported_structure_change(workspace):
    structure_id = create_structure(workspace, "Atelier", "ACI").id
    rng, seed = kill_schedule()
    name = 0
    people: set[int] = set()
    certificates: dict[str, int] = {}
    ecarts: set[int] = set()
    postponements: set[int] = set()
    for kill in range(STRUCTURE_KILLS):
        lines = _kill_child_at_random(
            rng, lambda fd, kill=kill: _structure_child(workspace, structure_id, fd, kill * 1_000_000), 0.05)
        for line in lines:
            change, counter = map(int, line.split())
            if change == 0:
                name = max(name, counter)
            elif change == 1:
                people.add(counter)
            elif change == 2:
                number = f"N-{counter % 4}"
                certificates[number] = max(certificates.get(number, 0), counter)
            elif change == 3:
                ecarts.add(counter)
            else:
                postponements.add(counter)
        with open_structure(workspace, structure_id) as session:  # the dead child's lock is taken over
            assert not session.read_only
            snapshot = session.snapshot()
        stored_name = int(snapshot.structure.name.removeprefix("Atelier").strip() or 0)
        assert stored_name >= name, (seed, name, snapshot.structure.name)
        assert people <= {int(p.name.split()[1]) for p in snapshot.people}, seed
        stored = {c.number: int(c.body.split()[1]) for c in snapshot.certifications}
        for number, counter in certificates.items():
            assert stored[number] >= counter, (seed, number, counter, stored)
        actions = {action.finding: action for action in snapshot.actions}
        assert ecarts <= {int(f.text.split()[1]) for f in snapshot.findings if f.id in actions}, seed
        assert postponements <= {int(p.reason.split()[1]) for a in snapshot.actions for p in a.postponements}, seed
    assert name and people and certificates and ecarts, "the children never got to save each kind of change"
    assert list_structures(workspace).errors == [], seed
    workspace.__class__(workspace.path, registry=workspace.registry)  # a new start cleans leftovers
    assert not list(workspace.path.rglob(".*.tmp")), seed


def _attaching_child(workspace, audit_id: str, sources, write_fd: int, first: int) -> None:
    """In the forked child: attach new files forever, reporting each once the service returned."""
    with open_audit(workspace, audit_id) as session:
        os.write(write_fd, b"ready\n")
        for n in range(first, first + 1_000_000):
            source = sources / f"piece-{n}.bin"
            source.write_bytes(n.to_bytes(8, "big") * (1 + (n * 7919) % 40_000))  # 8 B to 320 kB
            evidence = session.add_evidence("1.1", f"Pièce {n}", file=source)
            source.unlink()
            os.write(write_fd, f"{evidence.id} {evidence.sha256}\n".encode())


def test_sigkill_while_attaching_evidence_leaves_no_temp_file_and_every_reported_file_intact(
        workspace, tmp_path):
    audit_id = _new_audit(workspace)
    sources = tmp_path / "sources"
    sources.mkdir()
    rng, seed = kill_schedule()
    reported: dict[str, str] = {}
    for kill in range(EVIDENCE_KILLS):
        lines = _kill_child_at_random(
            rng, lambda fd, kill=kill: _attaching_child(workspace, audit_id, sources, fd, kill * 1_000_000), 0.1,
            after_ready=True)
        attached = dict(line.split() for line in lines)
        reported.update(attached)
        restarted = workspace.__class__(workspace.path, registry=workspace.registry)
        assert not list(workspace.path.rglob(".*.tmp")), seed
        with open_audit(restarted, audit_id) as session:
            stored = {e.id: e.sha256 for e in session.snapshot().evidence}
        for evidence_id, sha256 in reported.items():
            assert stored.get(evidence_id) == sha256, (seed, evidence_id)
        for evidence_id, sha256 in attached.items():  # the earlier files are hashed again at the end
            assert evidence_status(workspace.path, sha256) == "ok", (seed, evidence_id)
    for evidence_id, sha256 in reported.items():
        assert evidence_status(workspace.path, sha256) == "ok", (seed, evidence_id)
    assert len(reported) > EVIDENCE_KILLS // 2, "the children hardly got to attach anything"


HOLDER = """
import sys, time
from pathlib import Path
from audit_bench.store.audit_file import AuditFile
audit = AuditFile.open(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_second_process_is_read_only_and_told_who_holds_the_audit(workspace, cli):
    audit_id = _new_audit(workspace)
    path = audit_path(workspace, audit_id)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with open_audit(workspace, audit_id) as session:
            assert session.read_only
            assert f"processus {holder.pid}" in session.locked_by
            with pytest.raises(ReadOnlyError):
                session.rate("1.1", "C")
        cli.workspace = workspace.path
        refused = cli("assess", audit_id, "1.1", "C", check=False)
        assert refused.returncode == 1 and f"processus {holder.pid}" in refused.stderr
        assert "lecture seule" in refused.stderr
        assert cli("show", audit_id, "--json").returncode == 0
    finally:
        holder.kill()
        holder.wait()
    with open_audit(workspace, audit_id) as session:
        assert not session.read_only
        session.rate("1.1", "C")


def test_lock_of_a_dead_process_is_taken_over(workspace):
    audit_id = _new_audit(workspace)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_file = lock_path(audit_path(workspace, audit_id))
    lock_file.write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename, "user": "x",
                                     "since": "2026-11-22T08:00:00+01:00"}))
    with open_audit(workspace, audit_id) as session:
        assert not session.read_only
        assert json.loads(lock_file.read_text())["pid"] == os.getpid()
        session.rate("1.1", "C")


def test_corrupt_audit_gives_one_clear_message_and_others_still_list(workspace, cli):
    good = _new_audit(workspace)
    bad = _new_audit(workspace, "AI")
    bad_path = audit_path(workspace, bad)
    bad_path.write_bytes(b'{"header": {"1": {"id": "x"}}, "assessm')
    before = tree_digest(workspace.path)
    cli.workspace = workspace.path
    listed = cli("audits", "--json")
    document = json.loads(listed.stdout)
    assert [a["id"] for a in document["audits"]] == [good]
    assert [e["id"] for e in document["errors"]] == [bad] and str(bad_path) in document["errors"][0]["error"]
    shown = cli("show", bad, check=False)
    assert shown.returncode == 1 and len(shown.stderr.strip().splitlines()) == 1
    assert str(bad_path) in shown.stderr and "endommagé" in shown.stderr
    assert bad_path.read_bytes() == b'{"header": {"1": {"id": "x"}}, "assessm'
    def audit_files(digest):
        return {name: sha for name, sha in digest.items() if not name.startswith("index.")}

    assert audit_files(tree_digest(workspace.path)) == audit_files(before)


def test_foreign_json_file_is_named_not_touched(workspace):
    workspace.path.mkdir()
    foreign = workspace.path / "notes.json"
    foreign.write_text('{"todo": ["acheter du pain"]}')
    rows = {row.id: row for row in list_audits(workspace)}
    assert "notes.json" in rows["notes"].error and "pas un fichier d'audit" in rows["notes"].error
    assert foreign.read_text() == '{"todo": ["acheter du pain"]}'


def test_older_file_is_read_migrated_in_memory_then_backed_up_on_first_write(workspace, monkeypatch):
    audit_id = _new_audit(workspace)
    path = audit_path(workspace, audit_id)
    old_bytes = write_older_format(path, monkeypatch)
    before = tree_digest(workspace.path)
    for write in (False, True):
        with open_audit(workspace, audit_id, write=write) as session:
            assert session.snapshot().assessment_map()["1.1"].note == "vu"
    assert tree_digest(workspace.path) == before  # reading never writes: no backup, no migration
    with open_audit(workspace, audit_id) as session:
        session.rate("1.2", "P", "à revoir")
    backup = backup_path(path, AUDIT_FORMATS.current - 1)
    assert backup.read_bytes() == old_bytes
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    migrated = msgspec.json.decode(path.read_bytes())
    assert migrated["meta"]["1"]["format"] == AUDIT_FORMATS.current
    with open_audit(workspace, audit_id, write=False) as session:
        notes = {a.requirement: a.note for a in session.snapshot().assessments}
    assert notes == {"1.1": "vu", "1.2": "à revoir"}


def test_newer_format_is_refused_untouched(workspace):
    audit_id = _new_audit(workspace)
    path = audit_path(workspace, audit_id)
    document = msgspec.json.decode(path.read_bytes())
    document["meta"]["1"]["format"] = AUDIT_FORMATS.current + 5
    path.write_bytes(msgspec.json.encode(document))
    before = path.read_bytes()
    with pytest.raises(NewerFormatError, match="mettez audit-bench à jour"):
        AuditFile.open(path)
    assert path.read_bytes() == before


def test_every_file_the_workspace_holds_is_private(workspace, tmp_path):
    audit_id = _new_audit(workspace)
    attachment = tmp_path / "contrat.pdf"
    attachment.write_bytes(b"contrat")
    with open_audit(workspace, audit_id) as session:
        session.add_evidence("1.1", "Contrat", file=attachment)
    list_audits(workspace)
    files = [p for p in workspace.path.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".json", ".lock"} and len(files) >= 5
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_folders_created_for_the_user_are_private_whatever_the_umask(cli, tmp_path):
    attachment = tmp_path / "contrat.pdf"
    attachment.write_bytes(b"contrat")
    cli.workspace = tmp_path / "a" / "b" / "ws"
    previous = os.umask(0o002)
    try:
        audit_id = json.loads(cli("new", "--referential", "mini", "--org", "Atelier", "--siae-type", "ACI",
                                  "--kind", "internal", "--json").stdout)["id"]
        cli("evidence", audit_id, "1.1", "--title", "Contrat", "--file", str(attachment))
    finally:
        os.umask(previous)
    created = [tmp_path / "a", tmp_path / "a" / "b", *(p for p in cli.workspace.rglob("*") if p.is_dir()),
               cli.workspace]
    assert {p.name for p in created} >= {"a", "b", "ws", "evidence", "referentials"} and len(created) >= 6
    assert {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in created} == {str(p): "0o700" for p in created}
