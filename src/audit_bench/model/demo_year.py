"""A year of a structure's quality records that a plugin contributes to `audit-bench demo`, as
plain data: the certificate, the registers, and the review of the year before, signed. Created
through the same use cases as a user's records."""

from __future__ import annotations

from audit_bench.model.audit import Record


class DemoCertificate(Record, kw_only=True):
    body: str
    number: str
    issued: str
    valid_until: str


class DemoComplaint(Record, kw_only=True):
    received: str
    channel: str
    complainant: str
    subject: str
    requirement: str = ""
    answer: str | None = None
    """The kind of the written answer (`model.complaints.ANSWER_KINDS`); None: not answered yet."""
    answered_on: str | None = None
    answer_text: str = ""


class DemoTarget(Record, kw_only=True):
    indicator: str
    target: float
    period: str | None = None
    direction: str | None = None


class DemoValue(Record, kw_only=True):
    indicator: str
    period: str
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None


class DemoQuestion(Record, kw_only=True):
    text: str
    engagement: str = ""
    counts: list[int]
    """One count per answer level, least satisfied first."""


class DemoSurvey(Record, kw_only=True):
    population: str
    moment: str
    start: str
    end: str
    population_size: int
    answers: int
    levels: list[str]
    questions: list[DemoQuestion]


class DemoCheck(Record, kw_only=True):
    day: str
    observer: str
    engagement: str
    conforme: bool
    observation: str = ""


class DemoParticipant(Record, kw_only=True):
    name: str
    role: str


class DemoDecision(Record, kw_only=True):
    kind: str
    text: str
    owner: str | None = None
    due: str | None = None


class DemoReview(Record, kw_only=True):
    """A review the structure held and signed."""

    year: int
    held_on: str
    signed_by: str
    participants: list[DemoParticipant]
    decisions: list[DemoDecision] = []


class DemoYear(Record, kw_only=True):
    """The structure (by the name its demo audit gives it) and its records."""

    referential: str
    org: str
    siae_type: str | None = None
    certificate: DemoCertificate
    previous_review: DemoReview
    survey_threshold: float | None = None
    complaints: list[DemoComplaint] = []
    targets: list[DemoTarget] = []
    values: list[DemoValue] = []
    surveys: list[DemoSurvey] = []
    check_frequencies: dict[str, int] = {}
    """Engagement → months between its contrôles (the tableau récapitulatif)."""
    checks: list[DemoCheck] = []
