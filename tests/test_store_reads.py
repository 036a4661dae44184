"""What reading and saving an audit costs: a cold listing reads each file once, straight into
records; a save puts its one record in place, and the audit reads back as the file holds it."""

from __future__ import annotations

import collections
import errno
import os

import msgspec
import pytest
import tinydb.table

from audit_bench.services import list_audits
from audit_bench.services.audits import audit_path, create_audit, open_audit
from audit_bench.store import document, storage
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.index import INDEX_NAME
from audit_bench.store.migrations import AUDIT_FORMATS


def _rated_audit(workspace, org: str = "Atelier du Port") -> str:
    audit_id = create_audit(workspace, "mini", org, "internal", "ACI", "2026-11-20", ["Claire"]).id
    with open_audit(workspace, audit_id) as session:
        for n in range(30):
            session.add_evidence("1.1", f"Document {n}", "v1", "Classeur qualité")
        session.rate("1.1", "C", "Livret remis.")
        session.rate("1.2", "E", "Aucun entretien tracé.")
        finding = session.add_finding("1.2", "mineur", "Entretiens non tracés.")
        session.add_action(finding.id, "Tracer les entretiens", "Direction", "2027-01-31")
    return audit_id


def _counting(monkeypatch, owner, name: str) -> list:
    """Record the first argument of each call to `owner.name`."""
    calls: list = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args[0] if args else None)
        return original(*args, **kwargs)
    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_cold_listing_reads_each_file_once_straight_into_records(workspace, monkeypatch):
    ids = [_rated_audit(workspace, f"Structure {n}") for n in range(3)]
    (workspace.path / INDEX_NAME).unlink(missing_ok=True)
    reads = _counting(monkeypatch, document, "read_raw")
    documents = _counting(monkeypatch, tinydb.table.Document, "__init__")
    dict_decodes = _counting(monkeypatch, document, "decode_document")

    rows = list_audits(workspace)

    assert sorted(row.id for row in rows) == sorted(ids)
    assert [(row.assessed, row.open_findings) for row in rows] == [(2, 1)] * 3
    audit_reads = collections.Counter(path.name for path in reads if path.parent == workspace.path)
    assert audit_reads == {f"{audit_id}.json": 1 for audit_id in ids}
    assert not documents and not dict_decodes


def test_a_save_puts_its_record_in_place_without_converting_the_others(workspace, monkeypatch):
    audit_id = _rated_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        before = session.snapshot()
        conversions = _counting(monkeypatch, msgspec, "convert")
        session.rate("1.1", "P", "Livret remis, non signé.")
        after = session.snapshot()
        assert not conversions
        assert after.evidence is before.evidence and after.findings is before.findings  # untouched tables kept
        assert [(a.requirement, a.rating) for a in after.assessments] == [("1.1", "P"), ("1.2", "E")]
        assert [(a.requirement, a.rating) for a in before.assessments] == [("1.1", "C"), ("1.2", "E")]


def test_the_snapshot_after_changes_is_what_the_file_holds(workspace):
    audit_id = _rated_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.rate("1.3", "C", "Chantier présenté.")
        session.set_note("1.1", "Livret remis et signé.")
        session.clear_rating("1.2")
        session.add_evidence("1.3", "Fiche de poste", "v2", "Armoire RH")
        finding = session.add_finding("1.3", "mineur", "Présentation non tracée.")
        action = session.add_action(finding.id, "Tracer la présentation", "Encadrant", "2027-02-28")
        session.update_action(action.id, status="done", verified_by="Claire", effective=True)
        session.close_audit()
        kept = session.snapshot()
    with AuditFile.open(audit_path(workspace, audit_id), write=False) as file:
        assert file.snapshot() == kept


def test_after_a_failed_save_the_audit_reads_as_the_file_holds_it(workspace, monkeypatch):
    audit_id = _rated_audit(workspace)
    with open_audit(workspace, audit_id) as session:
        session.snapshot()

        def disk_full(path, payload, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        monkeypatch.setattr(storage, "atomic_write", disk_full)
        with pytest.raises(OSError):
            session.rate("1.1", "P", "Ne sera pas enregistré.")
        monkeypatch.undo()
        assert session.snapshot().assessment_map()["1.1"].rating == "C"
        session.rate("1.3", "C", "Enregistré.")
        kept = session.snapshot()
    with AuditFile.open(audit_path(workspace, audit_id), write=False) as file:
        assert file.snapshot() == kept


def test_a_file_with_a_table_this_version_does_not_know_still_opens_and_keeps_it(workspace):
    audit_id = _rated_audit(workspace)
    path = audit_path(workspace, audit_id)
    stored = msgspec.json.decode(path.read_bytes())
    stored["signatures"] = {"1": {"by": "Claire"}}
    assert stored["meta"]["1"]["format"] == AUDIT_FORMATS.current
    path.write_bytes(msgspec.json.encode(stored))
    with open_audit(workspace, audit_id) as session:
        assert session.snapshot().assessment_map()["1.2"].rating == "E"
        session.rate("1.2", "C", "Entretiens tracés depuis.")
    assert msgspec.json.decode(path.read_bytes())["signatures"] == {"1": {"by": "Claire"}}


def test_an_index_row_of_the_wrong_shape_is_made_again_from_its_file(workspace):
    audit_id = _rated_audit(workspace)
    list_audits(workspace)
    index_path = workspace.path / INDEX_NAME
    index = msgspec.json.decode(index_path.read_bytes())
    [row] = index["audits"].values()
    row.update(assessed="beaucoup", checked_ns=row["checked_ns"] + 10**12)  # trusted, were it readable
    index_path.write_bytes(msgspec.json.encode(index))

    [listed] = list_audits(workspace)

    assert (listed.id, listed.assessed, listed.error) == (audit_id, 2, None)
    [row] = msgspec.json.decode(index_path.read_bytes())["audits"].values()
    assert row["assessed"] == 2
