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

ACTION_TYPES: dict[str, str] = {
    "curative": "Curative",
    "corrective": "Corrective",
    "preventive": "Préventive",
    "improvement": "Amélioration",
}
"""Kinds of action (the CLI's --type): curative treats the écart itself, corrective its cause,
préventive a risk not yet realised, amélioration a progress beyond conformity."""

SOURCES: dict[str, str] = {
    "audit": "Audit",
    "controle": "Contrôle",
    "reclamation": "Réclamation",
    "indicateur": "Indicateur",
    "enquete": "Enquête de satisfaction",
    "revue": "Revue de direction",
    "autodiagnostic": "Autodiagnostic",
    "autre": "Autre",
}
"""Where an écart was found (AFAQ 6.8): an audit's écarts live in the audit file, the others in
the structure's file."""

ECART_CLASSES: dict[str, tuple[str, bool]] = {
    "ecart": ("Écart", True),
    "point-sensible": ("Point sensible", False),
    "observation": ("Observation", False),
}
"""Classes of an écart of another source tied to no referential: label, and whether it calls for
an action plan (as a referential's finding class says)."""

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
    "complaint": "Réclamation",
    "indicator": "Indicateur",
}
"""What an agenda item is (the `kind` of `agenda --json`) and its French name."""

AGENDA_STATES: dict[str, str] = {"overdue": "en retard", "due": "dû", "upcoming": "à venir", "done": "fait"}
"""The state of an agenda item (`state` of `agenda --json`), in French."""

SCORE_TOTAL = "total"
"""The section id of the overall score row, whoever computes the scores."""

INDICATOR_DIRECTIONS: dict[str, str] = {"higher": "plus haut est mieux", "lower": "plus bas est mieux"}
"""Which way an indicator is better (the CLI's --direction), in French."""

INDICATOR_PERIODS: dict[str, str] = {"month": "mois", "quarter": "trimestre", "year": "année"}
"""How often an indicator's value is recorded (the CLI's --period), in French."""

EXIT_CLASSES: dict[str, str] = {
    "emploi-durable": "Emploi durable",
    "emploi-transition": "Emploi de transition",
    "sortie-positive": "Sortie positive",
    "autre": "Autre situation",
    "neutralisee": "Sortie neutralisée",
}
"""The classes of exit situations the taux de sortie dynamique sorts exits into (issue 15; seed 001
names « emploi durable » and « sorties positives », lines 173 and 177); which situation is in which
class is the iae_os plugin's data."""
CERTIFICATION_KINDS: tuple[str, ...] = ("initial", "surveillance", "renewal")
"""The kinds of audit a certification decision rests on: they are closed only with the auditor's conclusion."""


def conclusion_title(kind: str) -> str:
    """The heading of an audit's conclusion: the auditor's, or for an autodiagnostic the structure's own."""
    return "Conclusion de l'autodiagnostic" if kind == "self-assessment" else "Conclusion de l'auditeur"
REVIEW_READS: dict[str, str] = {
    "audits": "audits",
    "complaints": "réclamations",
    "surveys": "enquêtes de satisfaction",
    "indicators": "indicateurs",
    "exits": "sorties",
    "plan": "plan d'amélioration",
    "previous-review": "décisions de la revue précédente",
    "improvement-proposals": "propositions d'amélioration",
    "supplier-review": "bilan des sous-traitants et prestataires",
    "regulation-meetings": "réunions de régulation",
    "dashboards": "tableaux de bord",
    "self-assessment": "autodiagnostic",
}
"""What an input of a management review reads (a referential's `review.inputs[].reads`): the
records its section of the pack is built from, in French."""

REVIEW_DECISIONS: dict[str, str] = {
    "action": "Nouvelle action (curative, corrective ou préventive)",
    "improvement-axis": "Axe d'amélioration",
    "responsibility": "Responsabilité validée",
    "staff-objectives": "Objectifs des collaborateurs",
    "quality-policy": "Politique et objectifs qualité",
}
"""The kinds of decision a management review takes (the CLI's `review decide --kind`); an
`action` becomes an action of the plan at once."""

REVIEW_STATES: dict[str, str] = {"draft": "en préparation", "signed": "signée", "superseded": "remplacée"}
"""A review's state: a signed review is never edited, only superseded by a new version."""

REVIEW_CHECKS: dict[str, str] = {
    "ecart-without-action": "Écart sans action",
    "action-not-verified": "Action réalisée, efficacité non vérifiée",
    "no-internal-audit": "Aucun audit interne dans la période",
    "previous-decision-not-followed": "Décision de la revue précédente non suivie",
    "missing-participant": "Participant attendu absent",
    "complaint-not-answered": "Réclamation sans réponse ou en retard",
    "indicator-incomplete": "Indicateur sans cible ou sans valeur pour une période close",
    "survey-without-action": "Enquête sous le seuil sans action",
    "input-to-complete": "Donnée d'entrée à compléter par le référent qualité",
}
"""What the consistency check of a review points out (the `kind` of `review check --json`)."""
