"""Plain data: the records the product keeps, and the vocabularies that name them."""

from audit_bench.model.audit import (
    Action, Assessment, AuditHeader, AuditSnapshot, DemoAction, DemoAudit, DemoEvidence, DemoFinding,
    DemoRating, Evidence, Finding, Postponement, Progress, Record, ReferentialPin, SectionScore,
)
from audit_bench.model.audit import UNRATED
from audit_bench.model.cycle import SURVEILLANCE, CycleSetting, Fulfilment
from audit_bench.model.indicators import (
    ExitCount, IndicatorDefinition, IndicatorTarget, IndicatorValue, LocalExitVariant,
)
from audit_bench.model.review import CheckPoint, Decision, Figure, PackSection, Participant, Review, Sending, Signature
from audit_bench.model.structure import (
    STRUCTURE_ID, Certification, Person, Structure, StructureSnapshot, implied_structure_id, slug,
)
from audit_bench.model.vocab import (
    ACTION_STATUSES, ACTION_TYPES, AUDIT_STATUSES, ECART_CLASSES, KINDS, ROLES, SCORE_TOTAL, SHORT_KINDS, SOURCES,
)

__all__ = [
    "ACTION_STATUSES", "ACTION_TYPES", "AUDIT_STATUSES", "ECART_CLASSES", "KINDS", "ROLES", "SCORE_TOTAL",
    "SHORT_KINDS", "SOURCES", "STRUCTURE_ID", "SURVEILLANCE", "Action",
    "Assessment", "AuditHeader", "AuditSnapshot", "Certification", "CycleSetting", "DemoAction", "DemoAudit",
    "DemoEvidence", "DemoFinding", "DemoRating", "Evidence", "Finding", "Fulfilment", "Person", "Postponement",
    "Progress", "Record", "ReferentialPin",
    "SectionScore", "Structure", "StructureSnapshot", "implied_structure_id", "slug",
    "ExitCount", "IndicatorDefinition", "IndicatorTarget", "IndicatorValue", "LocalExitVariant",
    "UNRATED",
    "CheckPoint", "Decision", "Figure", "PackSection", "Participant", "Review", "Sending", "Signature",
]
