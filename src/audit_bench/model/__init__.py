"""Plain data: the records the product keeps, and the vocabularies that name them."""

from audit_bench.model.audit import (
    Action, Assessment, AuditHeader, AuditSnapshot, DemoAction, DemoAudit, DemoEvidence, DemoFinding,
    DemoRating, Evidence, Finding, Progress, Record, ReferentialPin, SectionScore,
)
from audit_bench.model.cycle import SURVEILLANCE, CycleSetting, Fulfilment
from audit_bench.model.structure import (
    STRUCTURE_ID, Certification, Person, Structure, StructureSnapshot, implied_structure_id, slug,
)
from audit_bench.model.vocab import ACTION_STATUSES, AUDIT_STATUSES, KINDS, ROLES, SCORE_TOTAL, SHORT_KINDS

__all__ = [
    "ACTION_STATUSES", "AUDIT_STATUSES", "KINDS", "ROLES", "SCORE_TOTAL", "SHORT_KINDS", "STRUCTURE_ID", "SURVEILLANCE",
    "Action", "Assessment", "AuditHeader", "AuditSnapshot", "Certification", "CycleSetting", "DemoAction",
    "DemoAudit", "DemoEvidence", "Fulfilment",
    "DemoFinding", "DemoRating", "Evidence", "Finding", "Person", "Progress", "Record", "ReferentialPin",
    "SectionScore", "Structure", "StructureSnapshot", "implied_structure_id", "slug",
]
