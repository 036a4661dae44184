"""The revue de direction (bilan annuel) as plain data: who took part, what was decided, to whom it
was sent, and, once signed, the frozen pack of the inputs it was taken on."""

from __future__ import annotations

from typing import Annotated

import msgspec

from audit_bench.model.audit import Record

REVIEW_PREFIX = "RD"
"""Reviews are numbered RD1, RD2… (revue de direction) within a structure: R is the complaints'."""
ReviewId = Annotated[str, msgspec.Meta(pattern=r"^RD[1-9][0-9]{0,5}$")]
"""RD1, RD2… within a structure: checked when a file is read; a damaged one costs only its review."""
DecisionId = Annotated[str, msgspec.Meta(pattern=r"^D[1-9][0-9]{0,5}$")]


class Participant(Record, kw_only=True):
    """Someone invited to the review; one row per (name, role)."""

    name: str
    role: str
    """A key of `model.vocab.ROLES`."""
    present: bool = True
    """False for an absentee (excused): named in the bilan, not a participant."""


class Decision(Record, kw_only=True):
    """What the review decided (AFAQ 6.7 lines 347–354, CEDRE 4.4 line 226)."""

    id: DecisionId
    """D1, D2… within the review."""
    kind: str
    """A key of `model.vocab.REVIEW_DECISIONS`."""
    text: str
    owner: str = ""
    due: str | None = None
    action: str | None = None
    """For an `action` decision: the id of the action it became in the structure's plan (its
    écart, of source `revue`, is `finding`)."""
    finding: str | None = None
    at: str


class Sending(Record, kw_only=True):
    """The bilan sent to someone (AFAQ 6.7 line 356: « diffusé à l'ensemble du personnel concerné »)."""

    person: str
    sent_on: str


class Figure(Record, kw_only=True):
    """One figure of a pack section: a label, its value, and what it refers to (an audit, an action)."""

    label: str
    value: int | float | str | None
    ref: str = ""
    unit: str = ""
    """« % » for a percentage (the bilan then draws it as a bar)."""
    previous: int | float | None = None
    """The same figure in the record compared with (the previous autodiagnostic), when there is one."""


class Trend(Record, kw_only=True):
    """An indicator's values period by period against its target: the chart of its section."""

    title: str
    unit: str = ""
    periods: list[str]
    values: list[float | None]
    """One per period; None: no value for a closed period (a gap in the line)."""
    target: float | None = None


class Distribution(Record, kw_only=True):
    """How many records fall in each bucket, a limit drawn between two buckets: the complaints by
    the days their first answer took, the answer deadline after the last bucket within it."""

    title: str
    buckets: list[str]
    counts: list[int]
    tones: list[str]
    """One per bucket: "within" the limit, "past" it, or "apart" (off the scale: not answered yet)."""
    limit: str = ""
    """The limit in words (« délai de réponse : 5 jours ouvrables »); empty when none is fixed."""


class Rates(Record, kw_only=True):
    """Percentages read against a threshold: one survey, each question's satisfaction rate."""

    title: str
    labels: list[str]
    values: list[float | None]
    """In %; None: no answer to that question."""
    threshold: float | None = None


class Radar(Record, kw_only=True):
    """A grid's axes as a radar: the latest autodiagnostic's percentages, the previous one beneath."""

    axes: list[str]
    values: list[float | None]
    """In %, one per axis; None: the axis not rated."""
    on: str
    """The day of the autodiagnostic drawn."""
    previous: list[float | None] | None = None
    previous_on: str | None = None


class PackSection(Record, kw_only=True):
    """One input of one referential's review, as built from the records."""

    referential: str
    cite: str = ""
    """How the referential is cited (« AFAQ », « IAE OS »); empty: its id in capitals."""
    input: str
    """The input's id in the referential's `review.inputs`."""
    title: str
    """The referential's words."""
    section: str = ""
    line: int | None = None
    reads: str
    figures: list[Figure] = []
    details: list[str] = []
    """Lines of text under the figures: each écart, each decision followed up…"""
    trends: list[Trend] = []
    """The indicators' trends, drawn as line charts."""
    no_data: str = ""
    """Set when the section has no figure: what it says instead (« Aucun audit réalisé en 2026 »)."""
    distributions: list[Distribution] = []
    """Drawn as bar charts: the complaints by delay of their first answer."""
    rates: list[Rates] = []
    """Drawn as bars against the threshold: each survey's questions."""
    radar: Radar | None = None
    """Drawn as a radar: the grid's axes, when the section compares an autodiagnostic's axes."""

    def citation(self) -> str:
        """Where the referential asks for it: « AFAQ 6.7 »."""
        return " ".join(part for part in (self.cite or self.referential.upper(), self.section) if part)


class CheckPoint(Record, kw_only=False):
    """Something the référent should fix before the meeting (the review's consistency check)."""

    kind: str
    """A key of `model.vocab.REVIEW_CHECKS`."""
    text: str
    ref: str
    """What to open to fix it: `AUDIT/E1`, `STRUCTURE/A3`, a referential's id, `STRUCTURE/RD1/D2`."""


class InputComment(Record, kw_only=True):
    """What the référent qualité writes for one input of the review: his analysis of the figures,
    or, for an input audit-bench keeps no register of, its content (the réunions de régulation)."""

    referential: str
    input: str
    """The input's id in the referential's `review.inputs` (a `PackSection.input`)."""
    text: str


class Signature(Record, kw_only=True):
    by: str
    at: str
    sha256: str
    """Of the canonical JSON of what was signed (see `services.review.signed_content`)."""


class Review(Record, kw_only=True):
    """One management review of a structure for a period (by default a calendar year). A draft
    changes freely; signing freezes the pack and the decisions; a signed review is never edited,
    only superseded by a new version (`supersedes`)."""

    id: ReviewId
    """RD1, RD2… within the structure."""
    structure: str
    structure_name: str = ""
    """The structure's name as signed (the bilan prints it); empty while a draft."""
    year: int
    start: str
    end: str
    """The period reviewed, both days included."""
    state: str = "draft"
    """A key of `model.vocab.REVIEW_STATES`."""
    held_on: str | None = None
    """The day of the meeting, set when signed."""
    participants: list[Participant] = []
    decisions: list[Decision] = []
    distribution: list[Sending] = []
    signature: Signature | None = None
    pack: list[PackSection] = []
    """Frozen when signed: the inputs as they were then; empty while a draft (built on demand)."""
    remaining: list[CheckPoint] = []
    """Frozen when signed: the points of the consistency check still open then."""
    supersedes: ReviewId | None = None
    superseded_by: ReviewId | None = None
    created_at: str
    comments: list[InputComment] = []
    """The référent's text (analyse, compte rendu) per input of the pack; frozen by the signature."""

    def comment_of(self, referential: str, input_id: str) -> str:
        """The référent's text for one input of the pack, empty while he has written none."""
        return next((c.text for c in self.comments if (c.referential, c.input) == (referential, input_id)), "")


ADDED_AFTER_FIRST_SIGNATURE: dict[type[msgspec.Struct], tuple[str, ...]] = {
    Review: ("comments",),
    PackSection: ("distributions", "rates", "radar"),
}
"""The fields added to a signed struct after reviews were first signed (format of 955d4a5). A
signature hashes the canonical JSON of the review: a new key would change that JSON and turn every
signature made before it invalid. So `encode_canonical` leaves out these keys while they hold
their default, and a review that does not use them hashes to the bytes it was signed with."""


def encode_canonical(review: Review) -> bytes:
    """The same bytes for the same content, whatever built it: what a signature hashes. The keys
    added after the first signed format are left out while they hold their default
    (`ADDED_AFTER_FIRST_SIGNATURE`); the others keep their order of declaration."""
    content = msgspec.to_builtins(review, order="deterministic")
    _drop_defaults(content, Review)
    for section in content["pack"]:
        _drop_defaults(section, PackSection)
    return msgspec.json.encode(content)


def _drop_defaults(content: dict, struct: type[msgspec.Struct]) -> None:
    added = ADDED_AFTER_FIRST_SIGNATURE.get(struct, ())
    for field in msgspec.structs.fields(struct):
        if field.name in added and field.name in content:
            default = field.default_factory() if field.default is msgspec.NODEFAULT else field.default
            if content[field.name] == default:
                del content[field.name]
