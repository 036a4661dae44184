"""The closed vocabularies of the product, each once: codes (CLI, files) and their French labels."""

from __future__ import annotations

KINDS: dict[str, str] = {
    "self-assessment": "Autodiagnostic",
    "internal": "Audit interne",
    "initial": "Audit initial",
    "surveillance": "Audit de surveillance",
    "renewal": "Audit de renouvellement",
}
"""Audit kinds (the CLI's KIND) and their French names."""

SHORT_KINDS: dict[str, str] = {
    "self-assessment": "Autodiag.",
    "internal": "Interne",
    "initial": "Initial",
    "surveillance": "Surveill.",
    "renewal": "Renouvel.",
}
"""The same kinds in a narrow table column."""

ACTION_STATUSES: dict[str, str] = {"todo": "À faire", "in-progress": "En cours", "done": "Réalisée"}
"""Action statuses (the CLI's STATUS) and their French names."""

AUDIT_STATUSES: dict[str, str] = {"open": "en cours", "closed": "clos"}

ROLES: dict[str, str] = {
    "president": "Président(e) du conseil d'administration",
    "direction": "Direction",
    "referent-qualite": "Référent(e) qualité",
    "auditeur-interne": "Auditeur(trice) interne",
}
"""Roles in a structure's quality system (the CLI's ROLE) and their French names."""

OBLIGATION_RECORDS: dict[str, str] = {
    "internal-audit": "un audit interne clos",
    "self-assessment": "un autodiagnostic clos",
    "survey": "une enquête de satisfaction",
    "review": "une revue de direction signée",
    "supplier-review": "un bilan des sous-traitants et prestataires",
    "check": "un contrôle",
}
"""What shows a recurring obligation met in a period (a referential's `met_by`), in French."""

AUDIT_RECORDS: dict[str, str] = {"internal-audit": "internal", "self-assessment": "self-assessment"}
"""The obligations a closed audit meets, and the audit kind it must be; the others are recorded
as done by the structure (until their register records them)."""

AGENDA_KINDS: dict[str, str] = {
    "certificate": "Certificat",
    "surveillance": "Audit de surveillance",
    "renewal": "Audit de renouvellement",
    "obligation": "Obligation",
    "action": "Action",
}
"""What an agenda item is (the `kind` of `agenda --json`) and its French name."""

AGENDA_STATES: dict[str, str] = {"overdue": "en retard", "due": "dû", "upcoming": "à venir", "done": "fait"}
"""The state of an agenda item (`state` of `agenda --json`), in French."""

SCORE_TOTAL = "total"
"""The section id of the overall score row, whoever computes the scores."""
