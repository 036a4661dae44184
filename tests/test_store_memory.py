"""Memory of a long session: opening and closing audits does not keep anything alive."""

from __future__ import annotations

import gc
import pathlib
import tracemalloc

import msgspec
from audit_bench.services.audits import audit_path, create_audit, open_audit

ROUNDS = 200
WARM_UP = 20


def _copies(workspace, count: int) -> list[str]:
    """`count` audits, copies of one rated audit with evidence (creating each through the
    services would only time fsync)."""
    header = create_audit(workspace, "mini", "Atelier du Port", "internal", "ACI", "2026-11-20", ["Claire"])
    with open_audit(workspace, header.id) as session:
        for n in range(50):
            session.add_evidence("1.1", f"Document {n}", "v1", "Classeur qualité")
        session.rate("1.1", "C", "Livret remis.")
    document = msgspec.json.decode(audit_path(workspace, header.id).read_bytes())
    ids = [header.id]
    for n in range(1, count):
        document["header"]["1"]["id"] = f"2026-11-20-copie-{n:03d}"
        audit_path(workspace, document["header"]["1"]["id"]).write_bytes(msgspec.json.encode(document))
        ids.append(document["header"]["1"]["id"])
    return ids


def _screen_garbage() -> None:
    """What an application leaves between two audits: cyclic garbage the collector must free."""
    screen: dict = {"rows": [{"cell": n, "text": "x" * 40} for n in range(100)]}
    screen["self"] = screen


def _traced() -> int:
    """The memory traced now, but for pathlib's interned file names: each audit's name is interned
    once by design, and the interned-names table resizes in one block whenever the process (the
    whole test session) crosses a size, whichever test runs then."""
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, pathlib.__file__)])
    return sum(stat.size for stat in snapshot.statistics("filename"))


def test_opening_and_closing_200_audits_keeps_memory_bounded(workspace):
    ids = _copies(workspace, ROUNDS)
    tracemalloc.start()
    try:
        for n, audit_id in enumerate(ids):
            _screen_garbage()
            with open_audit(workspace, audit_id) as session:
                session.rate("1.2", "CPE"[n % 3], f"passage {n}")
                assert len(session.snapshot().evidence) == 50
            if n + 1 == WARM_UP:
                gc.collect()
                after_warm_up = _traced()
        gc.collect()
        after_all = _traced()
    finally:
        tracemalloc.stop()
    growth = after_all - after_warm_up
    assert growth < 256 * 1024, f"{growth:,} bytes more after {ROUNDS} audits than after {WARM_UP}"
