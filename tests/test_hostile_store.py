"""Attacks and accidents on a workspace: damaged or foreign files, symlinks where files belong,
read-only folders, a full disk, restored copies, leftovers of crashed writers.

One damaged entry costs one row or one clear refusal, never the workspace, and nothing is written
outside it nor through a link.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import msgspec
import pytest

from audit_bench.store import atomic, index
from audit_bench.store.audit_file import AuditFile, lock_path
from audit_bench.store.errors import CorruptFileError, NewerFormatError, ReadOnlyError, StoreError, UnsafeEntryError
from audit_bench.store.migrations import AUDIT_FORMATS, backup_path
from audit_bench.services.audits import audit_path, create_audit, open_audit
from audit_bench.services.listing import list_audits
from support import tree_digest, write_older_format


def _new_audit(workspace, org: str = "Atelier du Port") -> str:
    return create_audit(workspace, "mini", org, "internal", "ACI", "2026-11-20", ["Claire"]).id


def _document(path: Path) -> dict:
    return msgspec.json.decode(path.read_bytes())


def _deep(levels: int) -> bytes:
    return b'{"meta": {"1": {"format": 1}}, "header": {"1": ' + b"[" * levels + b"]" * levels + b"}}"


def _edited(edit):
    def damage(path: Path) -> bytes:
        document = _document(path)
        edit(document)
        return msgspec.json.encode(document)
    return damage


def _set_format(value):
    return _edited(lambda d: d["meta"]["1"].__setitem__("format", value))


DAMAGES = {
    "invalid UTF-8 byte": lambda path: path.read_bytes().replace(b"Chantier", b"Chanti\xe9r", 1),
    "header row is a string": _edited(lambda d: d["header"].__setitem__("1", "en-tête")),
    "non-numeric document id": _edited(lambda d: d["header"].__setitem__("un", d["header"].pop("1"))),
    "100,000-level nested JSON": lambda path: _deep(100_000),
    "newer format": _set_format(AUDIT_FORMATS.current + 1),
    "JSON that is not ours": lambda path: b'{"todo": ["acheter du pain"], "fait": {"1": 2}}',
    "another kind of document": _edited(lambda d: d["meta"]["1"].__setitem__("kind", "structure")),
    "format as a string": _set_format(str(AUDIT_FORMATS.current)),
    "format as a float": _set_format(AUDIT_FORMATS.current + 0.5),
    "format as a boolean": _set_format(True),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_one_damaged_file_costs_one_row_and_one_clear_line(workspace, cli, damage):
    good = _new_audit(workspace)
    bad = _new_audit(workspace, "Chantier Abîmé")
    path = audit_path(workspace, bad)
    damaged = DAMAGES[damage](path)
    path.write_bytes(damaged)
    expected = NewerFormatError if damage == "newer format" else CorruptFileError
    for write in (True, False):
        with pytest.raises(expected) as refused:
            AuditFile.open(path, write=write)
        message = str(refused.value)
        assert str(path) in message and "\n" not in message and len(message) < 400
    rows = {row.id: row for row in list_audits(workspace)}
    assert rows[good].error is None and rows[good].org == "Atelier du Port"
    assert str(path) in rows[bad].error
    cli.workspace = workspace.path
    shown = cli("show", bad, check=False)
    assert shown.returncode == 1 and shown.stderr.count("\n") == 1 and str(path) in shown.stderr
    assert path.read_bytes() == damaged


def test_no_reading_error_escapes_the_store_as_another_type(tmp_path):
    """Whatever the bytes, opening raises a StoreError (the CLI's one line), nothing else."""
    samples = [b"\xff\xfe", b"[]", b"null", b"{", b'{"meta": 3}', b'{"meta": {"1": []}}',
               b'{"meta": {"1": {"format": 1}}, "header": []}', b'{"meta": {"1": {"format": 1e400}}}',
               b'{"meta": {"1": {"format": 1}}, "header": {"1": {"id": 5}}}',
               b'{"meta": {"1": {"format": 1}}, "header": {"007": {}}}', b"\x00" * 10, b" ",
               b'{"meta": {"1": {"format": 1}}, "header": {"x": {}}}', b'{"org": "\xe9"}',
               b'{"meta": {"1": {"format": 1}}, "header": {"1": "x"}}', b"[" * 50_000]
    for n, sample in enumerate(samples):
        path = tmp_path / f"sample-{n}.json"
        path.write_bytes(sample)
        with pytest.raises(StoreError):
            AuditFile.open(path, write=False)


def test_a_damaged_frozen_referential_costs_rows_until_it_is_restored(workspace):
    audit_id = _new_audit(workspace)
    [frozen] = (workspace.path / "referentials").iterdir()
    intact = frozen.read_bytes()
    frozen.write_bytes(intact.replace(b"Accueil", b"Accu\xe9il", 1))
    [row] = list_audits(workspace.__class__(workspace.path, registry=workspace.registry))
    assert row.id == audit_id and row.error is not None
    frozen.write_bytes(intact)
    [row] = list_audits(workspace.__class__(workspace.path, registry=workspace.registry))
    assert row.error is None and row.org == "Atelier du Port"


# Read-only workspaces -------------------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@contextmanager
def read_only_workspace(workspace: Path, monkeypatch) -> Iterator[None]:
    """The workspace cannot be written. As a user, its folders are chmod 0500; as root (chmod
    does not stop root), every call that writes under it fails with EROFS, as on a read-only mount."""
    folders = [workspace, *(p for p in workspace.rglob("*") if p.is_dir())]
    if os.geteuid() != 0:
        for folder in folders:
            folder.chmod(0o500)
        try:
            yield
        finally:
            for folder in folders:
                folder.chmod(0o700)
        return
    root = os.path.abspath(workspace)

    def inside(path) -> bool:
        if isinstance(path, int):
            return False
        absolute = os.path.abspath(os.fspath(path))
        return absolute == root or absolute.startswith(root + os.sep)

    def refuse(path):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    def guarded(function, *, writes=lambda *args, **kwargs: True):
        def call(path, *args, **kwargs):
            if inside(path) and writes(*args, **kwargs):
                refuse(path)
            return function(path, *args, **kwargs)
        return call

    def opens_for_writing(flags, *args, **kwargs) -> bool:
        return bool(flags & _WRITE_FLAGS)

    def opens_file_for_writing(mode="r", *args, **kwargs) -> bool:
        return any(c in mode for c in "wax+")

    monkeypatch.setattr(os, "open", guarded(os.open, writes=opens_for_writing))
    for name in ("replace", "rename", "unlink", "remove", "mkdir", "rmdir", "chmod"):
        monkeypatch.setattr(os, name, guarded(getattr(os, name)))
    monkeypatch.setattr(builtins, "open", guarded(builtins.open, writes=opens_file_for_writing))
    monkeypatch.setattr(io, "open", guarded(io.open, writes=opens_file_for_writing))
    yield


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_reading_never_writes_even_an_older_format_on_a_read_only_workspace(workspace, monkeypatch):
    audit_id = _new_audit(workspace)
    path = audit_path(workspace, audit_id)
    write_older_format(path, monkeypatch)
    stale = workspace.path / f".{path.name}.{_dead_pid()}-0123abcd.tmp"
    stale.write_bytes(b"{")
    list_audits(workspace)
    before = tree_digest(workspace.path)
    with read_only_workspace(workspace.path, monkeypatch):
        restarted = workspace.__class__(workspace.path, registry=workspace.registry)  # cleanup cannot delete
        with open_audit(restarted, audit_id, write=False) as session:
            assert session.snapshot().assessment_map()["1.1"].note == "vu"
        [row] = list_audits(restarted)
        assert row.assessed == 1 and row.error is None
        with pytest.raises(ReadOnlyError, match="lecture seule"):
            open_audit(restarted, audit_id)
    assert tree_digest(workspace.path) == before
    assert not backup_path(path, AUDIT_FORMATS.current - 1).exists()


def test_listing_works_when_the_index_cannot_be_written(workspace, monkeypatch):
    audit_ids = {_new_audit(workspace), _new_audit(workspace, "Régie de Quartier")}

    def disk_full(path, payload, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(index, "atomic_write", disk_full)
    assert {row.id for row in list_audits(workspace)} == audit_ids
    warning = workspace.index_warning
    assert "index.json" in warning and os.strerror(errno.ENOSPC) in warning


def test_listing_works_when_the_index_cannot_even_be_locked(workspace, monkeypatch):
    audit_id = _new_audit(workspace)
    (workspace.path / index.LOCK_NAME).unlink(missing_ok=True)
    with read_only_workspace(workspace.path, monkeypatch):
        rows = list_audits(workspace)
    assert [row.id for row in rows] == [audit_id] and "index.json" in workspace.index_warning


# The index against restored copies -------------------------------------------------------------

def test_a_copy_restored_with_its_timestamps_is_listed_as_show_reads_it(workspace, cli, tmp_path):
    audit_id = _new_audit(workspace)
    path = audit_path(workspace, audit_id)
    assert [row.date for row in list_audits(workspace)] == ["2026-11-20"]
    older = tmp_path / "copie.json"  # an older copy: same size, same modification time
    older.write_bytes(path.read_bytes().replace(b'"date":"2026-11-20"', b'"date":"2026-10-02"'))
    stat = path.stat()
    os.utime(older, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert older.stat().st_size == stat.st_size
    shutil.copy2(older, path)  # cp -p
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    cli.workspace = workspace.path
    shown = json.loads(cli("show", audit_id, "--json").stdout)
    listed = json.loads(cli("audits", "--json").stdout)["audits"]
    assert [row["date"] for row in listed] == [shown["date"]] == ["2026-10-02"]


# Symlinks and special files where regular files belong ------------------------------------------

def test_a_symlinked_lock_file_is_refused_and_its_target_left_intact(workspace, cli, tmp_path):
    audit_id = _new_audit(workspace)
    victim = tmp_path / "précieux.txt"
    victim.write_text("ne pas effacer")
    lock = lock_path(audit_path(workspace, audit_id))
    lock.unlink()
    lock.symlink_to(victim)
    with pytest.raises(UnsafeEntryError, match="lien symbolique"):
        open_audit(workspace, audit_id)
    cli.workspace = workspace.path
    refused = cli("assess", audit_id, "1.1", "C", check=False)
    assert refused.returncode == 1 and str(lock) in refused.stderr and refused.stderr.count("\n") == 1
    assert victim.read_text() == "ne pas effacer"
    assert cli("show", audit_id).returncode == 0  # reading takes no lock


def test_a_hard_linked_lock_file_is_refused_and_its_target_left_intact(workspace, tmp_path):
    audit_id = _new_audit(workspace)
    victim = workspace.path / "précieux.txt"
    victim.write_text("ne pas effacer")
    lock = lock_path(audit_path(workspace, audit_id))
    lock.unlink()
    os.link(victim, lock)
    with pytest.raises(UnsafeEntryError, match="lien physique"):
        open_audit(workspace, audit_id)
    assert victim.read_text() == "ne pas effacer"


def test_a_symlinked_audit_file_is_one_error_row_and_is_never_followed(workspace, cli, tmp_path):
    good = _new_audit(workspace)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    outside = elsewhere / "audit.json"
    outside.write_bytes(audit_path(workspace, good).read_bytes())
    link = workspace.path / "2026-11-20-lien.json"
    link.symlink_to(outside)
    rows = {row.id: row for row in list_audits(workspace)}
    assert rows[good].error is None and "lien symbolique" in rows["2026-11-20-lien"].error
    cli.workspace = workspace.path
    refused = cli("show", "2026-11-20-lien", check=False)
    assert refused.returncode == 1 and "lien symbolique" in refused.stderr and refused.stderr.count("\n") == 1
    assert cli("assess", "2026-11-20-lien", "1.1", "C", check=False).returncode == 1
    assert outside.read_bytes() == audit_path(workspace, good).read_bytes()


def test_a_symlinked_index_is_neither_read_nor_replaced(workspace, tmp_path):
    audit_id = _new_audit(workspace)
    victim = tmp_path / "index-ailleurs.json"
    victim.write_text('{"audits": {"1": {"id": "faux", "org": "Faux"}}}')
    (workspace.path / index.INDEX_NAME).symlink_to(victim)
    (workspace.path / index.LOCK_NAME).unlink(missing_ok=True)
    (workspace.path / index.LOCK_NAME).symlink_to(tmp_path / "verrou-ailleurs")
    assert [row.id for row in list_audits(workspace)] == [audit_id]
    assert "lien symbolique" in workspace.index_warning
    assert (workspace.path / index.INDEX_NAME).is_symlink() and not (tmp_path / "verrou-ailleurs").exists()
    assert victim.read_text() == '{"audits": {"1": {"id": "faux", "org": "Faux"}}}'


def test_a_symlink_planted_at_a_temp_name_never_redirects_a_write(workspace, tmp_path, monkeypatch):
    audit_id = _new_audit(workspace)
    path = audit_path(workspace, audit_id)
    victim = tmp_path / "victime.txt"
    victim.write_text("intact")
    tokens, random_bytes = iter([bytes.fromhex("deadbeef"), bytes.fromhex("cafebabe")]), os.urandom
    monkeypatch.setattr(atomic.os, "urandom", lambda n: next(tokens) if n == 4 else random_bytes(n))
    for name in (f".{path.name}.{os.getpid()}.tmp", f".{path.name}.{os.getpid()}-deadbeef.tmp"):
        (workspace.path / name).symlink_to(victim)  # today's predictable name, and the next token
    with open_audit(workspace, audit_id) as session:
        session.rate("1.1", "C", "vu")
    assert next(tokens, None) is None  # the symlinked name was met, and the next one taken
    assert victim.read_text() == "intact"
    with open_audit(workspace, audit_id, write=False) as session:
        assert session.snapshot().assessment_map()["1.1"].note == "vu"


def test_a_symlinked_evidence_folder_is_refused_and_nothing_is_written_through_it(workspace, tmp_path):
    audit_id = _new_audit(workspace)
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (workspace.path / "evidence").symlink_to(outside, target_is_directory=True)
    attachment = tmp_path / "contrat.pdf"
    attachment.write_bytes(b"contrat")
    with open_audit(workspace, audit_id) as session:
        with pytest.raises(UnsafeEntryError, match="evidence"):
            session.add_evidence("1.1", "Contrat", file=attachment)
        assert session.snapshot().evidence == []
    assert list(outside.iterdir()) == []


def test_a_fifo_where_an_audit_belongs_does_not_hang_the_listing(workspace, cli):
    good = _new_audit(workspace)
    os.mkfifo(workspace.path / "2026-11-20-tube.json")
    cli.workspace = workspace.path
    listed = json.loads(cli("audits", "--json").stdout)
    assert [a["id"] for a in listed["audits"]] == [good]
    assert "fichier spécial" in listed["errors"][0]["error"]
    refused = cli("show", "2026-11-20-tube", check=False)
    assert refused.returncode == 1 and "fichier spécial" in refused.stderr


# Leftovers of crashed writers ------------------------------------------------------------------

def test_start_removes_only_our_stale_temp_files_in_every_store_folder(workspace, tmp_path):
    audit_id = _new_audit(workspace)
    attachment = tmp_path / "contrat.pdf"
    attachment.write_bytes(b"contrat")
    with open_audit(workspace, audit_id) as session:
        session.add_evidence("1.1", "Contrat", file=attachment)
    dead, ws = _dead_pid(), workspace.path
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [ws / "evidence" / f".incoming.{dead}.tmp",  # the name before this version
                 ws / "evidence" / f".incoming.{dead}-0a1b2c3d.tmp",
                 ws / "referentials" / f".abc.json.{dead}-0a1b2c3d.tmp",
                 ws / f".{audit_id}.json.{dead}-0a1b2c3d.tmp",
                 ws / f".{index.INDEX_NAME}.{dead}.tmp"]
        kept = [ws / "evidence" / f".incoming.{live.pid}-0a1b2c3d.tmp",  # a live writer's
                ws / f".{audit_id}.json.{live.pid}.tmp",
                ws / "notes.tmp", ws / "evidence" / ".brouillon.tmp", ws / f".{dead}.tmp"]
        for path in stale + kept:
            path.write_bytes(b"x" * 1000)
        link = ws / "referentials" / f".lien.json.{dead}-0a1b2c3d.tmp"
        link.symlink_to(tmp_path / "ailleurs")
        workspace.__class__(ws, registry=workspace.registry)
        assert [p for p in stale if p.exists()] == []
        assert [p for p in kept if not p.exists()] == [] and link.is_symlink()
    finally:
        live.kill()
        live.wait()
