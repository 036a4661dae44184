"""The referential schema, defined once for every referential a plugin ships.

A referential is plain data: a tree of nodes (chapters, sections, requirements, practices),
a rating scale, finding classes, the structure types it distinguishes, a glossary and annexes.
Everything a screen or a report needs to know about a referential is read from here, so no
code ever asks "which referential is this?".
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from audit_bench.model.complaints import DELAY_UNITS, MAX_DELAY_DAYS
from audit_bench.model.vocab import (
    EXIT_CLASSES, INDICATOR_DIRECTIONS, INDICATOR_PERIODS, KINDS, OBLIGATION_RECORDS, REVIEW_DECISIONS, REVIEW_READS,
    ROLES,
)

NA = "na"
"""The rating every referential accepts: not applicable, with a reason in the note."""

NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
Identifier = Annotated[str, msgspec.Meta(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")]
IsoDate = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Colour = Annotated[str, msgspec.Meta(pattern=r"^#[0-9A-Fa-f]{6}$")]
AuditKind = Literal[tuple(KINDS)]
"""One of the audit kinds the application knows (model.vocab.KINDS), checked when a file is read."""
Months = Annotated[int, msgspec.Meta(ge=1, le=120)]
ObligationRecord = Literal[tuple(OBLIGATION_RECORDS)]
"""The kind of record that shows an obligation met (model.vocab.OBLIGATION_RECORDS)."""
DelayUnit = Literal[tuple(DELAY_UNITS)]
ExitClass = Literal[tuple(EXIT_CLASSES)]
"""The class of an exit situation (model.vocab.EXIT_CLASSES)."""
ReviewReads = Literal[tuple(REVIEW_READS)]
"""The records a review input is built from (model.vocab.REVIEW_READS)."""
ReviewDecision = Literal[tuple(REVIEW_DECISIONS)]
Role = Literal[tuple(ROLES)]


class Schema(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every schema type: unknown keys are typos, and typos are refused."""


class Metadata(Schema, kw_only=True):
    issuer: NonEmpty
    edition_date: IsoDate | None = None
    validity_years: Annotated[int, msgspec.Meta(ge=1)] | None = None
    """How long a certification against this referential lasts, when it is certifiable."""
    source: str = ""
    scope: str = ""
    """Whom the referential applies to, as the referential words it."""
    short_name: NonEmpty | UnsetType = UNSET
    """How the agenda and other short lists cite the referential (« AFAQ 6.2 — … »); default: the id
    in capitals. UNSET so that frozen copies written before it keep their hash (see `ScaleLevel`)."""


class StructureType(Schema, kw_only=True):
    """A kind of structure the referential states requirements differently for (AI, ACI, ...)."""

    id: Identifier
    label: NonEmpty
    description: str = ""


class ScaleLevel(Schema, kw_only=True):
    """One value of the rating scale.

    A level calls for a finding exactly when it names the finding class it calls for
    (`finding_class: ecart-mineur`): that name is the one source of truth. `requires_finding`
    follows from it and need not be written; it stays a field because frozen copies written
    before the link exist (`referentials/<sha>.json` of older audits) and say only
    `requires_finding`. A data file that writes `requires_finding: true` without a class is
    refused by the loader, `requires_finding: false` beside a class is a contradiction.
    For old frozen levels, `ReferentialTree.finding_class_for` documents the class used instead.
    """

    value: Identifier
    label: NonEmpty
    score: float | None = None
    """Points the level earns in section scores; None keeps it out of the scores."""
    colour: Colour = "#808080"
    requires_finding: bool | None = None
    """A rating at this level must be backed by a finding; always a bool once loaded (see above)."""
    finding_class: Identifier | UnsetType = UNSET
    """The id of the finding class a rating at this level calls for. UNSET (not None) so that a
    frozen copy written before this field re-encodes to the same bytes, hence the same hash."""
    key: Annotated[str, msgspec.Meta(pattern=r"^[0-9]$")] | None = None
    """The digit that gives this rating in one stroke in the walk; by default the value itself
    when it is a digit, else the level's position on the scale (1, 2, 3…)."""
    description: str = ""

    def __post_init__(self) -> None:
        named = self.finding_class is not UNSET
        if named and self.requires_finding is False:
            raise ValueError(f"la valeur « {self.value} » nomme une classe d'écart mais dit requires_finding: "
                             "false : retirer requires_finding (la classe suffit)")
        self.requires_finding = named or bool(self.requires_finding)


class FindingClass(Schema, kw_only=True):
    id: Identifier
    label: NonEmpty
    severity: int
    """Order of severity: higher is more serious; reports list findings by it."""
    requires_action: bool = False
    """A finding of this class needs a corrective-action plan."""
    description: str = ""


class Variant(Schema, kw_only=True):
    """How a requirement reads, and whether it applies, for one structure type."""

    text: str | None = None
    """None: the node's own text applies unchanged."""
    applicable: bool = True
    guidance: str = ""


class EvidenceHint(Schema, kw_only=True):
    """Expected evidence of one category (documents de référence, éléments de preuve, moyens)."""

    category: NonEmpty
    items: list[NonEmpty]


IndicatorDirection = Literal[tuple(INDICATOR_DIRECTIONS)]
IndicatorPeriod = Literal[tuple(INDICATOR_PERIODS)]


class Indicator(Schema, kw_only=True):
    id: Identifier
    name: NonEmpty
    unit: str = ""
    engagement: str | None = None
    """The node id of the commitment this indicator measures."""
    target_required: bool = True
    description: str = ""
    direction: IndicatorDirection | UnsetType = UNSET
    """Whether a higher or a lower value is better; unset where the referential is silent (the
    structure sets it with its target). This field and those below are UNSET by default so that
    frozen copies written before them keep their hash (see `ScaleLevel.finding_class`)."""
    period: IndicatorPeriod | UnsetType = UNSET
    """How often a value is recorded; unset where the referential is silent (the structure sets it)."""
    numerator: NonEmpty | UnsetType = UNSET
    """For a ratio: what is counted above the line (« personnes ayant reçu l'invitation »)."""
    denominator: NonEmpty | UnsetType = UNSET
    """For a ratio: what it is counted over (« demandes d'entrée de la période »)."""
    source: NonEmpty | UnsetType = UNSET
    """Where the referential states it (seed and line), and what it leaves unsaid."""

    def __post_init__(self) -> None:
        if (self.numerator is UNSET) != (self.denominator is UNSET):
            raise ValueError(f"l'indicateur « {self.id} » est un ratio : donner numerator et denominator, "
                             "ou aucun des deux")


class Node(Schema, kw_only=True):
    """A node of the referential tree; ratable nodes are the requirements an audit rates."""

    id: Identifier
    title: str = ""
    text: str = ""
    kind: NonEmpty = "exigence"
    """What the referential calls this node, in French: chapitre, spécification, pratique…"""
    ratable: bool = False
    intent: str = ""
    """The intent of a group: "objectifs qualité poursuivis", "objectifs opérationnels"."""
    guidance: str = ""
    variants: dict[str, Variant] = {}
    """Per structure type id; a type absent here reads the node's text and is applicable."""
    evidence: list[EvidenceHint] = []
    indicators: list[Indicator] = []
    children: list["Node"] = []


class GlossaryTerm(Schema, kw_only=True):
    term: NonEmpty
    definition: NonEmpty


class AnnexEntry(Schema, kw_only=True):
    title: str = ""
    text: str = ""
    items: list[str] = []


class Annex(Schema, kw_only=True):
    """Reference data a referential ships beside its requirements (plans, types, trajectories)."""

    id: Identifier
    title: NonEmpty
    text: str = ""
    entries: list[AnnexEntry] = []
    applies_to: list[str] = []
    """Node ids this annex details (e.g. the manuel qualité plan for requirement 3.2)."""


class ScoreBand(Schema, kw_only=True):
    """A documented threshold for colouring a percentage (the trend of a section)."""

    min_percent: Annotated[float, msgspec.Meta(ge=0, le=100)]
    label: NonEmpty
    colour: Colour


class Citation(Schema, kw_only=True):
    """A rule of the cycle as the referential states it: where, and in a few words. Where the
    referential is silent, `section` is empty and `rule` says so."""

    section: str = ""
    """The referential's own numbering of the passage (« 6.2 », « 2.2 »); empty when it is silent."""
    rule: NonEmpty
    """The rule in a few words, as the agenda cites it: « un audit interne par an »."""


class CycleAudit(Citation, kw_only=True):
    """A certification audit that falls due during a certificate's validity."""

    kind: Literal["surveillance", "renewal"]
    every_months: Months | None = None
    """Surveillance: the interval from the certificate's issue; None when the referential does not
    fix it (the structure sets it)."""
    before_expiry_months: Annotated[int, msgspec.Meta(ge=0, le=36)] = 0
    """Renewal: how long before the end of validity it is due; 0: by the end of validity."""


class AuditorRule(Citation, kw_only=True):
    """What the referential asks of internal auditors (AFAQ 6.2: qualified and independent)."""

    trained: bool = False
    """Trained to audit: a training date recorded for the person before the audit."""
    independent: bool = False
    """Independent of the activity audited: the auditor's declared activity is not in the audit's scope."""


class Obligation(Citation, kw_only=True):
    """Something the structure must do at a frequency: an internal audit, a survey, a review."""

    id: Identifier
    title: NonEmpty
    """What is due, in French (« Audit interne »): the agenda adds the period."""
    met_by: ObligationRecord
    """The record that shows it done in a period."""
    every_months: Months | None = None
    """The length of its calendar periods (12: each calendar year; 3: each quarter); one of 1, 2, 3,
    4, 6, 12. None when the referential does not fix it (the structure sets it)."""
    auditors: AuditorRule | UnsetType = UNSET
    """For an internal audit: what its auditors must be."""


class Cycle(Schema, kw_only=True):
    """The referential's certification cycle and the obligations of its year."""

    validity: Citation
    """Where the validity (`metadata.validity_years`) is stated, or that it is not."""
    audits: list[CycleAudit] = []
    """The audits during a certificate's validity, counted from its issue (the initial or renewal
    audit's decision); empty for a referential no one certifies."""
    obligations: list[Obligation] = []


class ComplaintRules(Citation, kw_only=True):
    """How a complaint must be answered (AFAQ 6.4: a written answer within 5 jours ouvrables),
    cited where the referential states it; where it is silent, `answer_days` is None and the
    structure sets its own delay."""

    answer_days: Annotated[int, msgspec.Meta(ge=1, le=MAX_DELAY_DAYS)] | None = None
    answer_unit: DelayUnit = "jours-ouvrables"
    """A key of `model.complaints.DELAY_UNITS`; jours ouvrables: Monday to Saturday less public
    holidays (counted by `services.workdays`)."""
class ExitSituation(Schema, kw_only=True, rename={"class_": "class"}):
    """A situation a person en parcours leaves in (CDI, formation qualifiante, sans nouvelle…)."""

    id: Identifier
    label: NonEmpty
    class_: ExitClass
    """Its class (`model.vocab.EXIT_CLASSES`): what a variant counts or takes out of the base."""
    source: NonEmpty
    """Where the situation and its class are stated, or that the seeds are silent."""


class ExitVariant(Schema, kw_only=True):
    """One way of computing the rate: exits of the `counted` classes or situations over every exit
    but those of the `excluded` ones."""

    id: Identifier
    label: NonEmpty
    counted: Annotated[list[Identifier], msgspec.Meta(min_length=1)]
    """Classes or situation ids whose exits are the numerator."""
    excluded: list[Identifier] = []
    """Classes or situation ids whose exits are out of the base (the denominator)."""
    source: NonEmpty


class ExitRate(Schema, kw_only=True):
    """The taux de sortie dynamique: the exit situations, their classes, and the variants of the rate."""

    indicator: Indicator
    """The rate as an indicator (target, trend, écart): the first variant, at the first horizon."""
    horizons: Annotated[list[Annotated[int, msgspec.Meta(ge=0, le=36)]], msgspec.Meta(min_length=1)]
    """Months after the exit the situation is observed at (0: à la sortie)."""
    situations: Annotated[list[ExitSituation], msgspec.Meta(min_length=1)]
    variants: Annotated[list[ExitVariant], msgspec.Meta(min_length=1)]
    """The official variant first, then the others (URIAE), printed side by side."""

    def __post_init__(self) -> None:
        known = set(EXIT_CLASSES) | {situation.id for situation in self.situations}
        for variant in self.variants:
            unknown = [name for name in variant.counted + variant.excluded if name not in known]
            if unknown:
                raise ValueError(f"la variante « {variant.id} » nomme « {unknown[0]} », ni une classe de sortie "
                                 f"({', '.join(EXIT_CLASSES)}) ni une situation de sortie")
class Recommendation(Schema, kw_only=True):
    """One recommendation the auditor may give: « favorable », « défavorable »…"""

    id: Identifier
    label: NonEmpty


class Recommendations(Citation, kw_only=True):
    """The recommendations of an audit's conclusion, and the audit kinds they apply to."""

    kinds: Annotated[list[AuditKind], msgspec.Meta(min_length=1)]
    choices: Annotated[list[Recommendation], msgspec.Meta(min_length=1)]
class ReviewInput(Schema, kw_only=True):
    """One thing the management review must analyse, as the referential words it."""

    id: Identifier
    title: NonEmpty
    """In the referential's words (« les réclamations et leur traitement »): the pack's heading."""
    section: str = ""
    line: Annotated[int, msgspec.Meta(ge=1)] | None = None
    """The line of the referential's text (`metadata.source`) that states it."""
    reads: ReviewReads
    """The records the pack's section is built from."""


class ReviewOutput(Schema, kw_only=True):
    """A kind of decision the review must take, as the referential words it."""

    kind: ReviewDecision
    title: NonEmpty
    section: str = ""
    line: Annotated[int, msgspec.Meta(ge=1)] | None = None


class ReviewRules(Schema, kw_only=True):
    """The referential's management review (AFAQ 6.7 bilan annuel, CEDRE 4.4 revue de direction)."""

    section: str = ""
    participants: list[Role] = []
    """The roles that must take part (AFAQ 6.7: the board's representative, the direction, the
    référent qualité); the consistency check names a missing one."""
    inputs: Annotated[list[ReviewInput], msgspec.Meta(min_length=1)]
    """In the referential's order: the pack has one section per input."""
    outputs: list[ReviewOutput] = []


class Referential(Schema, kw_only=True):
    schema_version: int = 1
    id: Identifier
    title: NonEmpty
    version: NonEmpty
    metadata: Metadata
    siae_types: list[StructureType] = []
    scale: Annotated[list[ScaleLevel], msgspec.Meta(min_length=1)]
    na_requires_reason: bool = True
    finding_classes: Annotated[list[FindingClass], msgspec.Meta(min_length=1)]
    date_required: bool = False
    """The evaluation must carry its date (e.g. self-assessment grids compared over time)."""
    audit_kinds: Annotated[list[AuditKind], msgspec.Meta(min_length=1)] | UnsetType = UNSET
    """The kinds of audit made with this referential, the first proposed by default (a
    self-assessment grid: only « self-assessment »); unset: every kind. Unset, it is left out of
    the encoding, so the referentials frozen before it keep their hash."""
    score_bands: list[ScoreBand] = []
    nodes: Annotated[list[Node], msgspec.Meta(min_length=1)]
    glossary: list[GlossaryTerm] = []
    annexes: list[Annex] = []
    cycle: Cycle | UnsetType = UNSET
    """The certification cycle and the recurring obligations; absent: the referential states none."""
    complaints: ComplaintRules | UnsetType = UNSET
    """How complaints are answered; absent: the referential says nothing of complaints. UNSET so
    that the referentials frozen before it keep their hash."""
    exit_rate: ExitRate | UnsetType = UNSET
    """The taux de sortie dynamique (IAE): absent, the referential states none."""
    recommendations: Recommendations | UnsetType = UNSET
    """The recommendation an auditor gives in the conclusion, for the kinds that call for one; absent:
    none (a self-assessment grid). UNSET so that frozen referentials keep their hash."""
    review: ReviewRules | UnsetType = UNSET
    """What its management review must cover and decide; absent: the referential states nothing
    (left out of the encoding, so earlier frozen copies keep their hash)."""


SCHEMA_VERSION = 1
PERIOD_MONTHS = (1, 2, 3, 4, 6, 12)
"""The lengths of an obligation's calendar periods: each divides the year."""


def default_kind(referential: Referential) -> str:
    """The kind a new audit on this referential is proposed: its first declared, else an internal audit."""
    return "internal" if referential.audit_kinds is UNSET else referential.audit_kinds[0]


def kinds_offered(referential: Referential) -> list[str]:
    """The audit kinds a new audit on this referential may take, the default first."""
    return list(KINDS) if referential.audit_kinds is UNSET else list(referential.audit_kinds)


def cite_as(referential: Referential) -> str:
    """The referential's short name in citations (« AFAQ »)."""
    short = referential.metadata.short_name
    return short if short is not UNSET else referential.id.upper()


def recommendations_for(referential: Referential, kind: str) -> list[Recommendation]:
    """The recommendations an audit of this kind concludes with; none when the referential gives none."""
    declared = referential.recommendations
    return [] if declared is UNSET or kind not in declared.kinds else list(declared.choices)


def recommendation_label(referential: Referential, kind: str, recommendation: str) -> str:
    """A recommendation in words (« Favorable »); its id when the referential does not name it."""
    return next((c.label for c in recommendations_for(referential, kind) if c.id == recommendation), recommendation)
