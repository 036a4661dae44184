"""Plain data: the records the product keeps, and the vocabularies that name them.

Each name below imports its module when first used (`audit_bench.lazy`): the Accueil's index rows
need the cycle and the certificates, not the reviews' nor the registers' records."""

from audit_bench.lazy import lazy_exports

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

__getattr__, __dir__ = lazy_exports(globals(), {
    "audit_bench.model.audit": [
        "Action", "Assessment", "AuditHeader", "AuditSnapshot", "DemoAction", "DemoAudit", "DemoEvidence",
        "DemoFinding", "DemoRating", "Evidence", "Finding", "Postponement", "Progress", "Record", "ReferentialPin",
        "SectionScore", "UNRATED",
    ],
    "audit_bench.model.cycle": ["SURVEILLANCE", "CycleSetting", "Fulfilment"],
    "audit_bench.model.indicators": [
        "ExitCount", "IndicatorDefinition", "IndicatorTarget", "IndicatorValue", "LocalExitVariant",
    ],
    "audit_bench.model.review": [
        "CheckPoint", "Decision", "Figure", "PackSection", "Participant", "Review", "Sending", "Signature",
    ],
    "audit_bench.model.structure": [
        "STRUCTURE_ID", "Certification", "Person", "Structure", "StructureSnapshot", "implied_structure_id", "slug",
    ],
    "audit_bench.model.vocab": [
        "ACTION_STATUSES", "ACTION_TYPES", "AUDIT_STATUSES", "ECART_CLASSES", "KINDS", "ROLES", "SCORE_TOTAL",
        "SHORT_KINDS", "SOURCES",
    ],
})
