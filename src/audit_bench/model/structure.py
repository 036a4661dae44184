"""A structure (the audited organisation) as plain data: its record, its people, its certifications."""

from __future__ import annotations

import re
import unicodedata

from audit_bench.model.audit import Action, Finding, Record
from audit_bench.model.checks import Check, CheckFrequency
from audit_bench.model.complaints import Complaint, ComplaintSettings
from audit_bench.model.cycle import CycleSetting, Fulfilment
from audit_bench.model.surveys import Survey, SurveySettings
from audit_bench.model.indicators import (
    ExitCount, IndicatorDefinition, IndicatorTarget, IndicatorValue, LocalExitVariant,
)
from audit_bench.model.review import Review

STRUCTURE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,99}$")
"""What a structure id may be: it names a file of the workspace."""
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


class Structure(Record, kw_only=True):
    """The record of a structure; audits point to it by `id`."""

    id: str
    name: str
    siae_type: str | None = None
    siret: str | None = None
    """14 digits, without spaces."""
    place: str = ""
    """Address or place, as the structure writes it."""
    created_at: str


class Person(Record, kw_only=True):
    """Someone of the structure's quality system; one row per (name, role)."""

    name: str
    role: str
    """A key of `model.vocab.ROLES`."""
    trained_on: str | None = None
    """When the person was trained to audit (AFAQ 6.2 asks for trained internal auditors)."""
    activity: str = ""
    """The activity the person works in, as the structure names it (« Accompagnement, antenne
    nord »): an internal auditor must be independent of the activity audited (AFAQ 6.2)."""


class Certification(Record, kw_only=True):
    """A certificate the structure holds; one row per (referential, number)."""

    referential: str
    body: str
    number: str
    issued: str
    valid_until: str


class StructureSnapshot(Record, kw_only=True):
    """Everything one structure file holds, as read at one moment."""

    structure: Structure
    people: list[Person] = []
    certifications: list[Certification] = []
    findings: list[Finding] = []
    """Écarts of other sources than audits (contrôles, réclamations…)."""
    actions: list[Action] = []
    """The actions of those écarts."""
    cycle_settings: list[CycleSetting] = []
    fulfilments: list[Fulfilment] = []
    complaints: list[Complaint] = []
    """The complaints register (R1…), in the order recorded."""
    complaint_settings: ComplaintSettings | None = None
    surveys: list[Survey] = []
    survey_settings: SurveySettings | None = None
    checks: list[Check] = []
    check_frequencies: list[CheckFrequency] = []
    indicator_definitions: list[IndicatorDefinition] = []
    """The structure's own indicators (the referentials' are in their data)."""
    indicator_targets: list[IndicatorTarget] = []
    indicator_values: list[IndicatorValue] = []
    exit_counts: list[ExitCount] = []
    exit_variants: list[LocalExitVariant] = []

    def register_dates(self) -> dict[str, list[str]]:
        """The days the registers show an obligation met on, by the record that shows it
        (`model.vocab.OBLIGATION_RECORDS`): a survey whose results are recorded, on its last day;
        a contrôle, on its day. Oldest first."""
        return {"survey": sorted(survey.end for survey in self.surveys if survey.questions),
                "check": sorted(check.on for check in self.checks)}

    def checks_by_engagement(self) -> dict[str, list[str]]:
        """The days of the contrôles of each engagement, oldest first."""
        days: dict[str, list[str]] = {}
        for check in sorted(self.checks, key=lambda check: check.on):
            days.setdefault(check.engagement, []).append(check.on)
        return days

    def awaits_register_dues(self) -> bool:
        """Whether a register may owe something the agenda shows: a complaint not closed, an
        indicator followed (its values fall due period after period)."""
        return (any(complaint.status != "closed" for complaint in self.complaints)
                or bool(self.indicator_targets or self.indicator_definitions or self.indicator_values))
    reviews: list[Review] = []
    """Its management reviews (a file written before them has none)."""

    def actions_of(self, finding_id: str) -> list[Action]:
        return [a for a in self.actions if a.finding == finding_id]


def slug(text: str, empty: str = "audit") -> str:
    """An ASCII id fragment from a structure's name: « Cœur de Garrigue » → coeur-de-garrigue."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LIGATURES)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:28].strip("-") or empty


def implied_structure_id(name: str, siae_type: str | None) -> str:
    """The id of the structure that audits of the previous release imply: one per exact
    (name, type), so the migration of every audit file finds the same one without a lookup."""
    import hashlib  # here, not at the start: the Accueil never needs it

    digest = hashlib.sha256(f"{name}\0{siae_type or ''}".encode()).hexdigest()[:6]
    return f"{slug(name, 'structure')}-{digest}"
