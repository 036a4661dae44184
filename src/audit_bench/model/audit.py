"""The audit's plain data: what an audit records, independent of how it is stored or shown."""

from __future__ import annotations

import msgspec


class Record(msgspec.Struct, kw_only=True, omit_defaults=False):
    """Base of stored records; unknown keys from a newer minor format are tolerated, not kept."""


class ReferentialPin(Record, kw_only=True):
    """The referential an audit was made with: id, version and content hash of its frozen copy."""

    id: str
    version: str
    sha256: str
    title: str = ""


class Conclusion(Record, kw_only=True):
    """The auditor's conclusion: free text, and the recommendation (an id of the referential's
    `recommendations`) when the audit's kind calls for one."""

    text: str
    recommendation: str | None = None


class AuditHeader(Record, kw_only=True):
    id: str
    referential: ReferentialPin
    org: str
    """The structure's name when the audit was created (history); faces show its current name."""
    structure: str = ""
    """The id of the audited structure (`structures/<id>.json`); set in every stored header since
    format 2, empty only in headers built in memory."""
    siae_type: str | None = None
    kind: str
    date: str
    """First day of the audit, YYYY-MM-DD."""
    end_date: str | None = None
    auditors: list[str] = []
    objectives: str = ""
    scope: str = ""
    place: str = ""
    status: str = "open"
    created_at: str
    closed_at: str | None = None
    from_audit: str | None = None
    """The audit this one starts from (`new --from`): its ratings, notes, evidence and open écarts
    are shown as reference. Optional: files written before it read as None, no format change."""
    conclusion: Conclusion | None = None
    """The auditor's conclusion; files written before it read as None, no format change."""


class Assessment(Record, kw_only=True):
    """The rating of one requirement and its constat, as recorded `at` by `by`. A constat may come
    before the rating: `rating` is then empty (`UNRATED`), and the requirement is not assessed
    (`services.rules.progress`). The audit file's `history` keeps every assessment ever recorded."""

    requirement: str
    rating: str
    note: str = ""
    at: str
    by: str = ""

    @property
    def rated(self) -> bool:
        return self.rating != UNRATED


UNRATED = ""
"""The rating of an assessment that holds a constat only, or of a history entry that cleared it."""


class Evidence(Record, kw_only=True):
    id: str
    requirement: str
    title: str
    version: str = ""
    location: str = ""
    sha256: str | None = None
    filename: str | None = None
    """The attached file's original name; its content lives under evidence/ by hash."""
    at: str
    carried_from: str | None = None
    """`AUDIT/P3`: the previous audit's evidence this one carries over (optional, no format change)."""
    reviewed_on: str | None = None
    """The day a carried-over reference was seen again (« revue le … »)."""


class Finding(Record, kw_only=True, rename={"class_": "class"}):
    """An écart, whatever its source: an audit's (in the audit file) or one found otherwise (a
    contrôle, a réclamation…: in the structure's file)."""

    id: str
    requirement: str = ""
    """The requirement it is tied to: always set for an audit's écart, optional for other sources."""
    class_: str
    """A finding class of the audit's referential; for another source, a key of
    `model.vocab.ECART_CLASSES`."""
    text: str
    at: str
    source: str = "audit"
    """Where it was found: a key of `model.vocab.SOURCES` (format 3)."""
    ref: str = ""
    """What in the source it comes from (a complaint's number, a meeting's date); free text."""
    immediate_action: str = ""
    """What was done at once to contain it (action curative), before its causes are treated."""
    root_cause: str = ""
    resolved_at: str | None = None
    """When the auditor closed it as resolved on site (a re-rating that no longer calls for it);
    what that means for its closure is `services.rules.finding_is_closed`. Optional: older files
    read as None, no format change."""


class Postponement(Record, kw_only=True, rename={"from_": "from"}):
    """One change of an action's due date, with its reason: a postponement is never silent."""

    from_: str
    to: str
    reason: str
    at: str


class Action(Record, kw_only=True):
    id: str
    finding: str
    text: str
    owner: str
    due: str
    status: str = "todo"
    type: str = "corrective"
    """A key of `model.vocab.ACTION_TYPES` (format 3; earlier actions were corrective)."""
    postponements: list[Postponement] = []
    """Every change of `due`, oldest first."""
    verified_by: str | None = None
    verified_at: str | None = None
    effective: bool | None = None
    verification_comment: str = ""
    at: str


class AuditSnapshot(Record, kw_only=True):
    """Everything one audit holds, as read at one moment."""

    header: AuditHeader
    assessments: list[Assessment] = []
    evidence: list[Evidence] = []
    findings: list[Finding] = []
    actions: list[Action] = []
    history: list[Assessment] = []
    """Every assessment recorded, oldest first, a clearing included (rating and note as left);
    never rewritten. Files written before it read as empty."""

    def assessment_map(self) -> dict[str, Assessment]:
        return {a.requirement: a for a in self.assessments}

    def actions_of(self, finding_id: str) -> list[Action]:
        return [a for a in self.actions if a.finding == finding_id]

    def history_of(self, requirement: str) -> list[Assessment]:
        return [a for a in self.history if a.requirement == requirement]


class Progress(msgspec.Struct, frozen=True):
    """How far an audit (or one section of it) is: assessed over applicable, N/A included
    (the rule is `services.rules.progress`)."""

    assessed: int
    total: int
    na: int = 0

    @property
    def remaining(self) -> int:
        return self.total - self.assessed

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.total) if self.total else 0


class SectionScore(Record, kw_only=True):
    """The score of one section: points earned over the maximum for the rated applicable items."""

    section: str
    title: str
    score: float
    max: float
    percent: float | None
    depth: int = 0
    """0 for a top-level section (axis, chapter), 1 for its subsections, -1 for the overall total."""
    rated: int = 0
    applicable: int = 0


class DemoAction(Record, kw_only=True):
    text: str
    owner: str
    due: str
    status: str = "todo"
    verified_by: str | None = None
    effective: bool | None = None


class DemoFinding(Record, kw_only=True, rename={"class_": "class"}):
    requirement: str
    class_: str
    text: str
    actions: list[DemoAction] = []


class DemoEvidence(Record, kw_only=True):
    requirement: str
    title: str
    version: str = ""
    location: str = ""


class DemoRating(Record, kw_only=True):
    requirement: str
    rating: str
    note: str = ""


class DemoAudit(Record, kw_only=True):
    """A realistic audit a plugin contributes to `audit-bench demo`, as plain data."""

    referential: str
    org: str
    siae_type: str | None = None
    kind: str
    date: str
    auditors: list[str] = []
    objectives: str = ""
    scope: str = ""
    place: str = ""
    ratings: list[DemoRating] = []
    evidence: list[DemoEvidence] = []
    findings: list[DemoFinding] = []
    closed: bool = False
