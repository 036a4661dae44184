"""The certification cycle in a referential's data: optional, validated, refused with `file:line`."""

from __future__ import annotations

import hashlib

import msgspec
import pytest

from audit_bench.referential import Referential, ReferentialError, content_hash, load_referential
from audit_bench.referential.schema import cite_as, kinds_offered
from support import MINI_YAML

CYCLE = """
cycle:
  validity:
    section: "2.2"
    rule: certification valable trois ans
  audits:
    - kind: surveillance
      every_months: 12
      rule: un audit de surveillance par an
    - kind: renewal
      before_expiry_months: 3
      rule: renouvellement trois mois avant la fin de validité
  obligations:
    - id: audit-interne
      title: Audit interne
      section: "2.2"
      rule: un audit interne par an
      met_by: internal-audit
      every_months: 12
      auditors: {rule: auditeurs formés, trained: true, independent: true}
    - id: revue
      title: Revue de direction
      rule: une revue à intervalles planifiés
      met_by: review
"""


def with_cycle(tmp_path, cycle: str = CYCLE, name: str = "cycle.yaml"):
    path = tmp_path / name
    path.write_text(MINI_YAML.read_text(encoding="utf-8") + cycle, encoding="utf-8")
    return path


def line_of(path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if fragment in line)


def test_a_cycle_is_read_with_its_audits_obligations_and_auditor_rule(tmp_path):
    referential = load_referential(with_cycle(tmp_path))
    cycle = referential.cycle
    assert cycle.validity.section == "2.2"
    assert [(a.kind, a.every_months, a.before_expiry_months) for a in cycle.audits] == [
        ("surveillance", 12, 0), ("renewal", None, 3)]
    internal, review = cycle.obligations
    assert (internal.met_by, internal.every_months, internal.auditors.trained) == ("internal-audit", 12, True)
    assert (review.met_by, review.every_months) == ("review", None)  # the structure sets it
    assert cite_as(referential) == "MINI"


def test_a_referential_without_cycle_keeps_its_encoding_and_offers_every_kind():
    """Third-party data written before the cycle stays valid, and its frozen copies keep their hash."""
    referential = load_referential(MINI_YAML)
    encoded = msgspec.json.encode(referential)
    assert b'"cycle"' not in encoded and b'"audit_kinds"' not in encoded and b'"short_name"' not in encoded
    assert content_hash(msgspec.json.decode(encoded, type=Referential)) == hashlib.sha256(encoded).hexdigest()
    assert kinds_offered(referential)[0] == "self-assessment" and len(kinds_offered(referential)) == 5


@pytest.mark.parametrize(("change", "replacement", "expected", "at_line"), [
    ("every_months: 12\n      auditors", "every_months: 5\n      auditors", "ne découpe pas l'année",
     "every_months: 5"),
    ("met_by: review", "met_by: coffee", "met_by", "met_by: coffee"),
    ("- kind: renewal\n      before_expiry_months: 3", "- kind: renewal\n      every_months: 36", "renouvellement",
     "every_months: 36"),
    ("id: revue\n", "id: audit-interne  # doublon\n", "obligation « audit-interne » en double", "# doublon"),
    ("met_by: internal-audit", "met_by: survey", "audit interne", "auditors:"),
])
def test_a_wrong_cycle_is_refused_with_its_line(tmp_path, change, replacement, expected, at_line):
    assert change in CYCLE
    path = with_cycle(tmp_path, CYCLE.replace(change, replacement))
    with pytest.raises(ReferentialError) as refused:
        load_referential(path)
    message = str(refused.value)
    assert expected in message
    assert message.startswith(f"{path}:{line_of(path, at_line)}:"), message
