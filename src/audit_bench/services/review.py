"""The revue de direction (bilan annuel): for one structure and one calendar year, the pack of its
inputs built from the records, the consistency check, the decisions (an action decided becomes an
action of the plan at once), the distribution, and the signature that freezes it all.

A review lives in its structure's file (`reviews` table) and is named `STRUCTURE/RD1` by the faces.
The pack has one section per input of each referential the structure is certified against (else
of its audits), in that referential's order and words (its `review.inputs`); a section without
data says so, it is never left out. Each input `reads` a kind of record; `SECTION_BUILDERS` maps
each kind to the function that builds its section. For every input the référent qualité can
write his text (analyse, compte rendu: `set_comment`), shown under the section's figures; the
inputs audit-bench keeps no register of (`WRITTEN_INPUTS`) are that text, and say « À compléter
par le référent qualité » until he writes it.

Signing freezes the pack as built at that moment, with the participants and the decisions; the
signature holds the SHA-256 of their canonical JSON (`signed_content`). A signed review is never
changed: a change is refused and says how to make a new version (`new_review(..., supersedes=)`),
which, once signed, marks the one it replaces as superseded. Only its distribution (who received
the bilan, when) is added afterwards: it is not part of what was signed. A field added to a signed
struct since the first signed reviews leaves the bytes they were signed on unchanged while it holds
its default (`model.review.ADDED_AFTER_FIRST_SIGNATURE`).
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import msgspec
from msgspec import UNSET

from audit_bench.model import (
    ACTION_STATUSES, ECART_CLASSES, KINDS, ROLES, SOURCES, Action, AuditSnapshot, CheckPoint, Decision, Figure,
    Finding, Fulfilment, PackSection, Participant, Review, Sending, Signature, StructureSnapshot,
)
from audit_bench.model import SectionScore
from audit_bench.model.review import REVIEW_PREFIX, Distribution, InputComment, Radar, Rates, Trend, encode_canonical
from audit_bench.model.vocab import REVIEW_DECISIONS, REVIEW_STATES
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import ReviewInput, cite_as
from audit_bench.services import rules
from audit_bench.services.audits import audit_path
from audit_bench.services.clock import now
from audit_bench.services.listing import workspace_rows
from audit_bench.services.structures import StructureSession, open_structure
from audit_bench.services.validation import UserError, check_choice, check_date, check_optional_text, check_text
from audit_bench.services.workspace import Workspace
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.document import DamagedRow
from audit_bench.store.errors import CorruptFileError

if TYPE_CHECKING:
    from audit_bench.services.complaints import ComplaintBilan

TO_COMPLETE = "À compléter par le référent qualité"
"""What the section of an input of `WRITTEN_INPUTS` says until the référent writes its text."""
WRITTEN_INPUTS = frozenset({"improvement-proposals", "supplier-review", "regulation-meetings"})
"""What an input `reads` when audit-bench keeps no register of it: the référent's text is its
content (the consistency check points each one left empty)."""
EXITS_INPUT = ReviewInput(id="taux-sortie", title="Taux de sortie dynamique", reads="exits")
"""The input added to every pack of a year with exits recorded, when no referential lists one."""
_REF = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_\-]{0,99})/(RD[1-9][0-9]{0,5})$")
_NUMBERED = re.compile(r"^RD([1-9][0-9]{0,5})")
"""The number a review's id starts with, read from a damaged row's id too (never given again)."""
REVIEW_SOURCE = "revue"
"""The source (`model.vocab.SOURCES`) of the écart an action decided in a review is filed under."""


# Reading what a review is built from ---------------------------------------------------------

@dataclass(frozen=True)
class AuditRecords:
    """One audit of the structure, read once for the pack and the check."""

    snapshot: AuditSnapshot
    tree: ReferentialTree
    """The referential the audit was made with (its frozen copy)."""

    @property
    def id(self) -> str:
        return self.snapshot.header.id


class ReviewContext:
    """What the sections and the checks of one review read: the structure's records, its audits
    (each file read once, when first asked), the review and the one before it, and the day the
    pack is built (for what is overdue)."""

    def __init__(self, workspace: Workspace, structure: StructureSnapshot, review: Review,
                 today: date | None = None) -> None:
        self.workspace = workspace
        self.structure = structure
        self.review = review
        self.today = today or date.today()
        self._rows = [row for row in workspace_rows(workspace).audits
                      if row.error is None and row.structure == structure.structure.id]

    @cached_property
    def audits(self) -> list[AuditRecords]:
        """The structure's audits, oldest first."""
        audits = []
        for row in self._rows:
            path = audit_path(self.workspace, row.id)
            with AuditFile.open(path, write=False) as file:
                snapshot = file.snapshot()
            audits.append(AuditRecords(snapshot, self.workspace.frozen_tree(path, snapshot.header.referential)))
        return sorted(audits, key=lambda a: (a.snapshot.header.date, a.id))

    @property
    def period(self) -> str:
        """The period in a French sentence: « en 2026 »."""
        return f"en {self.review.year}"

    def in_period(self, day: str | None) -> bool:
        return day is not None and self.review.start <= day[:10] <= self.review.end

    @property
    def previous(self) -> Review | None:
        """The latest signed review of an earlier period, whose decisions this one follows up."""
        earlier = [r for r in self.structure.reviews if r.state == "signed" and r.end < self.review.start]
        return max(earlier, key=lambda r: (r.end, _number(r.id)), default=None)

    def referentials(self) -> list[str]:
        """The referentials the review answers to: the structure's certifications, else its audits'."""
        certified = list(dict.fromkeys(c.referential for c in self.structure.certifications))
        return certified or sorted({row.referential for row in self._rows})

    @cached_property
    def indicators(self) -> list[Any]:
        """The followed indicators (`services.indicators.IndicatorRow`), read once for the pack and the check."""
        from audit_bench.services.indicators import list_indicators

        return list_indicators(self.workspace, self.structure.structure.id, today=self.today).indicators

    @cached_property
    def surveys(self) -> Any:
        """The surveys (`services.surveys.SurveysView`), read once for the pack and the check."""
        from audit_bench.services.surveys import list_surveys

        return list_surveys(self.workspace, self.structure.structure.id)

    def installed(self, referential: str) -> ReferentialTree | None:
        loaded = self.workspace.registry.referentials.get(referential)
        return None if loaded is None else loaded.tree


# The pack: one section per input --------------------------------------------------------------

@dataclass
class Built:
    """What a builder makes of one input: figures and lines, or what it says when there is no data."""

    figures: list[Figure]
    details: list[str]
    no_data: str = ""
    trends: list[Trend] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)
    rates: list[Rates] = field(default_factory=list)
    radar: Radar | None = None


Builder = Callable[[ReviewContext, ReferentialTree], Built]


def _audits_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The audits of the period on this referential (autodiagnostics aside), each with its écarts
    by class and each écart with the state of its treatment."""
    audits = [a for a in ctx.audits if a.snapshot.header.referential.id == tree.id
              and a.snapshot.header.kind != "self-assessment" and ctx.in_period(a.snapshot.header.date)]
    if not audits:
        return Built([], [], f"Aucun audit réalisé {ctx.period}")
    figures: list[Figure] = []
    details: list[str] = []
    for audit in audits:
        header = audit.snapshot.header
        state = "clos" if header.status == "closed" else "en cours"
        figures.append(Figure(label=f"Écarts — {KINDS.get(header.kind, header.kind).lower()} du {header.date} "
                                    f"({state})", value=len(audit.snapshot.findings), ref=header.id))
        for cls in audit.tree.referential.finding_classes:
            count = sum(1 for f in audit.snapshot.findings if f.class_ == cls.id)
            if count:
                figures.append(Figure(label=f"dont {cls.label.lower()}", value=count, ref=header.id))
        for finding in audit.snapshot.findings:
            cls = audit.tree.finding_classes.get(finding.class_)
            actions = audit.snapshot.actions_of(finding.id)
            treatment = _treatment(rules.finding_is_closed(audit.tree, finding, actions), actions)
            details.append(f"{header.id}/{finding.id} ({cls.label if cls else finding.class_}, "
                           f"{finding.requirement}) : {finding.text} — {treatment}")
    return Built(figures, details)


def _treatment(closed: bool, actions: list[Action]) -> str:
    if closed:
        return "clos"
    if not actions:
        return "sans action"
    done = sum(1 for a in actions if a.status == "done")
    return f"{len(actions)} action(s), {done} réalisée(s)"


@dataclass(frozen=True)
class PlanEntry:
    holder: str
    source: str
    finding: Finding
    action: Action
    open: bool


def _plan_entries(ctx: ReviewContext) -> list[PlanEntry]:
    """Every action of the structure's plan: its audits' and its own écarts'."""
    entries = []
    for audit in ctx.audits:
        still_open = {a.id for a in rules.open_actions_among(audit.snapshot.actions)}
        findings = {f.id: f for f in audit.snapshot.findings}
        entries += [PlanEntry(audit.id, "audit", findings[a.finding], a, a.id in still_open)
                    for a in audit.snapshot.actions if a.finding in findings]
    own = ctx.structure
    still_open = {a.id for a in rules.open_actions_among(own.actions)}
    findings = {f.id: f for f in own.findings}
    entries += [PlanEntry(own.structure.id, findings[a.finding].source, findings[a.finding], a, a.id in still_open)
                for a in own.actions if a.finding in findings]
    return entries


def _plan_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The improvement plan: opened and closed in the period, open, overdue and not verified at
    the day the pack is built; opened by source."""
    entries = _plan_entries(ctx)
    today = ctx.today.isoformat()
    opened = [e for e in entries if ctx.in_period(e.action.at)]
    if not opened and not any(e.open for e in entries):
        return Built([], [], f"Aucune action au plan d'amélioration {ctx.period}")
    figures = [
        Figure(label="Actions ouvertes dans la période", value=len(opened)),
        Figure(label="Actions closes dans la période (réalisées, efficacité vérifiée)",
               value=sum(1 for e in entries if e.action.effective is True and ctx.in_period(e.action.verified_at))),
        Figure(label=f"Actions en cours au {today}", value=sum(1 for e in entries if e.open)),
        Figure(label=f"dont en retard au {today}",
               value=sum(1 for e in entries if rules.is_overdue(e.open, e.action.status, e.action.due, today))),
        Figure(label="Réalisées, efficacité non vérifiée",
               value=sum(1 for e in entries if e.action.status == "done" and e.action.effective is None)),
    ]
    for source, label in SOURCES.items():
        count = sum(1 for e in opened if e.source == source)
        if count:
            figures.append(Figure(label=f"Ouvertes dans la période, source {label}", value=count, ref=source))
    return Built(figures, [])


def _previous_review_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The decisions of the previous signed review, each action with its state in the plan now."""
    previous = ctx.previous
    if previous is None:
        return Built([], [], f"Aucune revue de direction signée avant {ctx.review.year}")
    if not previous.decisions:
        return Built([], [], f"La revue {previous.id} ({previous.year}) n'a pris aucune décision")
    actions = {a.id: a for a in ctx.structure.actions}
    decided = [d for d in previous.decisions if d.kind == "action"]
    followed = [actions.get(d.action or "") for d in decided]
    today = ctx.today.isoformat()
    figures = [
        Figure(label=f"Décisions de la revue {previous.id} ({previous.year})", value=len(previous.decisions),
               ref=previous.id),
        Figure(label="Actions décidées", value=len(decided)),
        Figure(label="dont réalisées", value=sum(1 for a in followed if a is not None and a.status == "done")),
        Figure(label="dont efficacité vérifiée", value=sum(1 for a in followed if a is not None and a.effective)),
        Figure(label=f"dont en retard au {today}", value=sum(1 for a in followed if a is not None
                                                             and a.status != "done" and a.due < today)),
    ]
    details = []
    for decision in previous.decisions:
        line = f"{previous.id}/{decision.id} ({REVIEW_DECISIONS.get(decision.kind, decision.kind)}) : {decision.text}"
        if decision.kind == "action":
            action = actions.get(decision.action or "")
            line += (f" — action {action.id} ({action.owner}, échéance {action.due}) : "
                     f"{ACTION_STATUSES.get(action.status, action.status)}" if action is not None
                     else " — action retirée du plan")
        details.append(line)
    return Built(figures, details)


def _self_assessment_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The latest autodiagnostic of the period on this grid: its section scores (the RECAP's axes
    and total), against the one before it."""
    done = [a for a in ctx.audits if a.snapshot.header.referential.id == tree.id
            and a.snapshot.header.kind == "self-assessment" and a.snapshot.header.date <= ctx.review.end]
    latest = [a for a in done if ctx.in_period(a.snapshot.header.date)]
    if not latest:
        return Built([], [], f"Aucun autodiagnostic réalisé {ctx.period}")
    newer = latest[-1]
    older = done[done.index(newer) - 1] if done.index(newer) > 0 else None
    before = {} if older is None else {row.section: row for row in ctx.workspace.scores(older.tree, older.snapshot)}
    figures: list[Figure] = []
    details = [f"Autodiagnostic du {newer.snapshot.header.date} ({newer.id})"
               + (f", comparé à celui du {older.snapshot.header.date} ({older.id})" if older is not None
                  else " ; pas d'autodiagnostic précédent pour comparer")]
    rows = [row for row in ctx.workspace.scores(newer.tree, newer.snapshot) if row.depth <= 0]
    for row in rows:
        old = before.get(row.section)
        figures.append(Figure(label=row.title, value=row.percent, ref=newer.id, unit="%",
                              previous=None if old is None else old.percent))
        details.append(f"{row.title} : {row.score:g} / {row.max:g} points" if row.rated else f"{row.title} : non coté")
    return Built(figures, details, radar=_radar(rows, before, newer, older))


RADAR_AXES = 3
"""The fewest axes a radar draws as a shape: with fewer, the section's bars say it better."""


def _radar(rows: list[SectionScore], before: dict[str, SectionScore], newer: AuditRecords,
           older: AuditRecords | None) -> Radar | None:
    """The grid's axes (its top-level sections, not the total) as a radar, when it has enough of them."""
    axes = [row for row in rows if row.depth == 0]
    if len(axes) < RADAR_AXES:
        return None
    previous = None if older is None else [before[row.section].percent if row.section in before else None
                                           for row in axes]
    return Radar(axes=[f"{row.section}. {row.title}" for row in axes], values=[row.percent for row in axes],
                 on=newer.snapshot.header.date, previous=previous,
                 previous_on=None if older is None else older.snapshot.header.date)


def _complaints_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The complaints received in the period and their handling (AFAQ 6.4's yearly bilan)."""
    from audit_bench.services.complaints import complaint_bilan

    bilan = complaint_bilan(ctx.workspace, ctx.structure.structure.id, ctx.review.year, ctx.today)
    if not bilan.total:
        return Built([], [], f"Aucune réclamation enregistrée {ctx.period}")
    figures = [Figure(label="Réclamations reçues", value=bilan.total),
               *(Figure(label=f"dont {count.label.lower()}", value=count.count) for count in bilan.by_channel),
               *(Figure(label=f"Réclamant : {count.label.lower()}", value=count.count) for count in bilan.by_complainant),
               Figure(label="Répondues", value=bilan.answered),
               Figure(label="Sans réponse", value=bilan.unanswered),
               Figure(label="En retard", value=bilan.late),
               Figure(label="Délai médian de la première réponse (jours)", value=bilan.median_answer_days),
               Figure(label="Répondues dans le délai", value=bilan.share_on_time, unit="%"),
               Figure(label="Écarts ouverts à partir des réclamations", value=len(bilan.ecarts)),
               Figure(label="Actions décidées sur ces écarts", value=bilan.actions)]
    details = [f"Objet « {count.label} » : {count.count}" for count in bilan.by_subject]
    return Built(figures, details, distributions=[_answer_delays(bilan)])


def _answer_delays(bilan: ComplaintBilan) -> Distribution:
    """The complaints by the days their first answer took, against the deadline: what a conseil
    d'administration reads at a glance is how many were answered in time and, for the others, by
    how far they missed it. A year holds a few dozen complaints: spread over twelve months, on
    time against late would be mostly zeros, while one bar per day up to the deadline, then
    widening spans past it, shows both at once. The complaints not answered yet stand apart."""
    from audit_bench.model.complaints import DELAY_UNITS

    deadline = bilan.delay.days if bilan.delay is not None else None
    spans = _delay_spans(deadline)
    counts = [sum(1 for days in bilan.answer_days if low <= days and (high is None or days <= high))
              for low, high in spans]
    unit = DELAY_UNITS[bilan.delay.unit] if bilan.delay is not None else DELAY_UNITS["jours-ouvrables"]
    tones = ["within" if deadline is None or high is not None and high <= deadline else "past" for _, high in spans]
    return Distribution(
        title=f"Réclamations par délai de première réponse ({unit}"
              + ("" if bilan.delay is not None else " ; aucun délai fixé") + ")",
        buckets=[_span_label(low, high) for low, high in spans] + ["sans réponse"],
        counts=counts + [bilan.unanswered], tones=tones + ["apart"],
        limit="" if bilan.delay is None else f"délai de réponse : {bilan.delay.text}")


def _delay_spans(deadline: int | None) -> list[tuple[int, int | None]]:
    """Spans of days, both ends included (None: no end): a day each up to a short deadline (the
    first two together), five spans up to a longer one; past it, up to twice, four times, beyond.
    Without a deadline, those of five days."""
    limit = 5 if deadline is None else max(deadline, 1)
    if limit <= 7:
        within = [(0, 1)] + [(day, day) for day in range(2, limit + 1)]
    else:
        width = -(-(limit + 1) // 5)
        within = [(low, min(low + width - 1, limit)) for low in range(0, limit + 1, width)]
    return within + [(limit + 1, 2 * limit), (2 * limit + 1, 4 * limit), (4 * limit + 1, None)]


def _span_label(low: int, high: int | None) -> str:
    if high is None:
        return f"> {low - 1}"
    return str(low) if low == high else f"{low}–{high}"


def _surveys_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The satisfaction surveys of the period against the structure's threshold."""
    view = ctx.surveys
    held = [row for row in view.surveys if ctx.in_period(row.end)]
    if not held:
        return Built([], [], f"Aucune enquête de satisfaction réalisée {ctx.period}")
    figures = [Figure(label="Seuil de satisfaction de la structure", value=view.threshold, unit="%")]
    details = []
    for row in held:
        figures.append(Figure(label=f"Enquête {row.id} ({row.start} → {row.end}), {row.answers} réponses sur "
                                    f"{row.population_size}", value=row.rate, unit="%", ref=row.id))
        if row.under_threshold or row.weaknesses:
            details.append(f"Enquête {row.id} : {row.weaknesses} question(s) sous le seuil, dont {row.proposals} "
                           f"sans écart ouvert")
        if row.small_sample:
            details.append(f"Enquête {row.id} : échantillon faible")
    return Built(figures, details, rates=[_question_rates(ctx, row.id) for row in held])


def _question_rates(ctx: ReviewContext, survey_id: str) -> Rates:
    """Each question's satisfaction rate of one survey, against the structure's threshold."""
    from audit_bench.services.surveys import survey_view

    survey = next(s for s in ctx.structure.surveys if s.id == survey_id)
    view = survey_view(ctx.structure, survey)
    return Rates(title=f"Enquête {survey_id} — satisfaction par question",
                 labels=[f"Q{q.number}. {q.text}" for q in view.questions], values=[q.rate for q in view.questions],
                 threshold=view.threshold)


def _indicators_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """Each followed indicator's figure of the year against its target, with the year before, and
    its trend over the year and the two before, period by period, where values are recorded."""
    rows = ctx.indicators
    if not rows:
        return Built([], [], f"Aucun indicateur suivi {ctx.period}")
    year, figures, details, trends = str(ctx.review.year), [], [], []
    shown_years = {str(ctx.review.year - back) for back in range(3)}
    for row in rows:
        values = [v for v in row.values if v.period[:4] in shown_years]
        if any(v.value is not None for v in values):
            trends.append(Trend(title=f"{row.definition.id} — {row.definition.name}", unit=row.definition.unit,
                                periods=[v.period for v in values], values=[v.value for v in values],
                                target=row.target))
        by_year = {v.period: v for v in row.years}
        current, before = by_year.get(year), by_year.get(str(ctx.review.year - 1))
        figures.append(Figure(label=f"{row.definition.id} — {row.definition.name}",
                              value=current.value if current is not None else None, unit=row.definition.unit,
                              previous=before.value if before is not None else None, ref=row.definition.id))
        target = "cible non fixée" if row.target is None else f"cible {row.target:g} {row.definition.unit}".strip()
        missing = [period for period in row.missing if period.startswith(year)]
        off = [v.period for v in row.off_target if v.period.startswith(year)]
        details.append(f"{row.definition.id} : {target}"
                       + (f" ; hors cible : {', '.join(off)}" if off else "")
                       + (f" ; valeurs manquantes : {', '.join(missing)}" if missing else ""))
    return Built(figures, details, trends=trends)


def _exits_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The taux de sortie dynamique of the year, each variant at each horizon, with its counts."""
    from audit_bench.services.exits import exit_rate

    view = exit_rate(ctx.workspace, ctx.structure.structure.id, ctx.review.year)
    if not any(horizon.total for horizon in view.horizons):
        return Built([], [], f"Aucune sortie enregistrée {ctx.period}")
    figures, details = [], []
    for horizon in view.horizons:
        if not horizon.total:
            continue
        when = "à la sortie" if horizon.months == 0 else f"à {horizon.months} mois"
        for variant in horizon.variants:
            figures.append(Figure(label=f"{variant.label}, {when} ({variant.numerator} / {variant.denominator})",
                                  value=variant.rate, unit="%", ref=f"{horizon.months}/{variant.id}"))
            details.append(f"{variant.label}, {when} : {variant.formula}")
    return Built(figures, details)


def _written_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """An input audit-bench keeps no register of: its content is the référent's text."""
    return Built([], [])


def _supplier_review_section(ctx: ReviewContext, tree: ReferentialTree) -> Built:
    """The yearly bilan of the subcontractors and suppliers (AFAQ 6.3) is the référent's text;
    beside it, the days its obligation of the cycle (`met_by: supplier-review`) was marked done in
    the period, or that it was not."""
    cycle = tree.referential.cycle
    obligations = {o.id: o for o in (cycle.obligations if cycle is not UNSET else []) if o.met_by == "supplier-review"}
    met = sorted((f for f in ctx.structure.fulfilments if f.referential == tree.id and f.obligation in obligations
                  and ctx.in_period(f.on)), key=lambda f: f.on)
    details = [f"{obligations[f.obligation].title} marqué fait le {f.on} (agenda)" + (f" — {f.note}" if f.note else "")
               for f in met]
    details += [f"{o.title} : non marqué fait {ctx.period} (agenda)" for o in obligations.values()
                if not any(f.obligation == o.id for f in met)]
    return Built([], details)


SECTION_BUILDERS: dict[str, Builder] = {
    "audits": _audits_section,
    "plan": _plan_section,
    "previous-review": _previous_review_section,
    "self-assessment": _self_assessment_section,
    "complaints": _complaints_section,
    "surveys": _surveys_section,
    "indicators": _indicators_section,
    "exits": _exits_section,
    "dashboards": _indicators_section,
    "improvement-proposals": _written_section,
    "supplier-review": _supplier_review_section,
    "regulation-meetings": _written_section,
}
"""What builds the section of an input, by what it `reads` (`model.vocab.REVIEW_READS`): every
kind has its builder. The tableaux de bord (CEDRE) are the structure's indicators. The taux de
sortie dynamique is added to every pack of a year with exits recorded (`EXITS_INPUT`)."""


@dataclass(frozen=True)
class PackInput:
    """One input of the pack, in order: `item` is None for a referential not installed, or that
    does not say what its review reads (its section says so)."""

    referential: str
    tree: ReferentialTree | None
    item: ReviewInput | None


def pack_inputs(ctx: ReviewContext) -> list[PackInput]:
    """The inputs of each referential of the review, in the referential's order, then the taux de
    sortie dynamique where the structure recorded exits of the year and no referential lists it."""
    inputs = []
    for referential in ctx.referentials():
        tree = ctx.installed(referential)
        if tree is None or tree.referential.review is UNSET:
            inputs.append(PackInput(referential, tree, None))
        else:
            inputs += [PackInput(tree.id, tree, item) for item in tree.referential.review.inputs]
    if (not any(i.item is not None and i.item.reads == "exits" for i in inputs)
            and any(count.year == ctx.review.year for count in ctx.structure.exit_counts)):
        from audit_bench.services.exits import exit_rate_tree

        tree = exit_rate_tree(ctx.workspace)
        inputs.append(PackInput(tree.id, tree, EXITS_INPUT))
    return inputs


def build_pack(ctx: ReviewContext) -> list[PackSection]:
    """One section per input of the pack (`pack_inputs`)."""
    return [_section(ctx, i.tree, i.item) if i.tree is not None and i.item is not None
            else _unread_referential(i.referential, i.tree) for i in pack_inputs(ctx)]


def _unread_referential(referential: str, tree: ReferentialTree | None) -> PackSection:
    why = "n'est pas installé" if tree is None else "ne dit pas ce que sa revue doit examiner"
    return PackSection(referential=referential, input="", title=f"Référentiel {referential}", reads="",
                       no_data=f"Le référentiel {referential} {why}")


def _section(ctx: ReviewContext, tree: ReferentialTree, item: ReviewInput) -> PackSection:
    built = SECTION_BUILDERS[item.reads](ctx, tree)
    if item.reads in WRITTEN_INPUTS:
        no_data = "" if ctx.review.comment_of(tree.id, item.id) else TO_COMPLETE
    else:
        no_data = built.no_data or ("" if built.figures or built.details else "Aucune donnée")
    return PackSection(referential=tree.id, cite=cite_as(tree.referential), input=item.id, title=item.title,
                       section=item.section, line=item.line, reads=item.reads, figures=built.figures,
                       details=built.details, trends=built.trends, no_data=no_data,
                       distributions=built.distributions, rates=built.rates, radar=built.radar)


# The consistency check --------------------------------------------------------------------------

def _ecarts_without_action(ctx: ReviewContext) -> Iterable[CheckPoint]:
    for audit in ctx.audits:
        for finding in audit.snapshot.findings:
            actions = audit.snapshot.actions_of(finding.id)
            if not actions and not rules.finding_is_closed(audit.tree, finding, actions):
                yield CheckPoint("ecart-without-action", f"Écart sans action : {finding.text}",
                                 f"{audit.id}/{finding.id}")
    own = ctx.structure
    for finding in own.findings:
        requires_action = ECART_CLASSES.get(finding.class_, ("", True))[1]
        if not own.actions_of(finding.id) and requires_action:
            yield CheckPoint("ecart-without-action", f"Écart sans action : {finding.text}",
                             f"{own.structure.id}/{finding.id}")


def _actions_not_verified(ctx: ReviewContext) -> Iterable[CheckPoint]:
    for entry in _plan_entries(ctx):
        if entry.action.status == "done" and entry.action.effective is None:
            yield CheckPoint("action-not-verified",
                             f"Action réalisée, efficacité non vérifiée : {entry.action.text}",
                             f"{entry.holder}/{entry.action.id}")


def _no_internal_audit(ctx: ReviewContext) -> Iterable[CheckPoint]:
    for referential in ctx.referentials():
        tree = ctx.installed(referential)
        if tree is None or tree.referential.review is UNSET:
            continue
        if not any(i.reads == "audits" for i in tree.referential.review.inputs):
            continue
        if not any(a.snapshot.header.referential.id == referential and a.snapshot.header.kind == "internal"
                   and a.snapshot.header.status == "closed" and ctx.in_period(a.snapshot.header.date)
                   for a in ctx.audits):
            yield CheckPoint("no-internal-audit", f"Aucun audit interne {cite_as(tree.referential)} clos {ctx.period}",
                             referential)


def _previous_decisions_not_followed(ctx: ReviewContext) -> Iterable[CheckPoint]:
    previous = ctx.previous
    if previous is None:
        return
    actions = {a.id: a for a in ctx.structure.actions}
    today = ctx.today.isoformat()
    for decision in previous.decisions:
        if decision.kind != "action":
            continue
        ref = f"{ctx.structure.structure.id}/{previous.id}/{decision.id}"
        action = actions.get(decision.action or "")
        if action is None:
            yield CheckPoint("previous-decision-not-followed",
                             f"Décision de la revue {previous.year} sans action au plan : {decision.text}", ref)
        elif action.status != "done" and action.due < today:
            yield CheckPoint("previous-decision-not-followed",
                             f"Décision de la revue {previous.year} en retard (échéance {action.due}) : "
                             f"{decision.text}", ref)


def _missing_participants(ctx: ReviewContext) -> Iterable[CheckPoint]:
    present = {p.role for p in ctx.review.participants if p.present}
    wanted: dict[str, str] = {}
    for referential in ctx.referentials():
        tree = ctx.installed(referential)
        if tree is not None and tree.referential.review is not UNSET:
            for role in tree.referential.review.participants:
                wanted.setdefault(role, f"{cite_as(tree.referential)} {tree.referential.review.section}".strip())
    for role, cited in wanted.items():
        if role not in present:
            yield CheckPoint("missing-participant", f"Participant attendu absent ou non inscrit : "
                             f"{ROLES.get(role, role)} ({cited})", f"{ctx.structure.structure.id}/{ctx.review.id}")


def _complaints_not_answered(ctx: ReviewContext) -> Iterable[CheckPoint]:
    from audit_bench.services.complaints import complaint_views

    for view in complaint_views(ctx.workspace, ctx.structure.structure.id, ctx.today):
        if view.status != "closed" and (view.late or view.status == "unanswered"):
            state = "en retard" if view.late else (f"sans réponse (due le {view.answer_due})" if view.answer_due
                                                   else "sans réponse (délai de réponse non fixé)")
            yield CheckPoint("complaint-not-answered", f"Réclamation {view.id} « {view.subject} » {state}",
                             f"{ctx.structure.structure.id}/{view.id}")


def _indicators_incomplete(ctx: ReviewContext) -> Iterable[CheckPoint]:
    year = str(ctx.review.year)
    for row in ctx.indicators:
        ref = f"{ctx.structure.structure.id}/{row.definition.id}"
        if row.target is None:
            yield CheckPoint("indicator-incomplete", f"Indicateur {row.definition.id} sans cible", ref)
        missing = [period for period in row.missing if period.startswith(year)]
        if missing:
            yield CheckPoint("indicator-incomplete", f"Indicateur {row.definition.id} sans valeur pour "
                             f"{', '.join(missing)}", ref)


def _surveys_without_action(ctx: ReviewContext) -> Iterable[CheckPoint]:
    for row in ctx.surveys.surveys:
        if ctx.in_period(row.end) and row.proposals:
            yield CheckPoint("survey-without-action", f"Enquête {row.id} : {row.proposals} résultat(s) sous le seuil "
                             f"sans écart ouvert", f"{ctx.structure.structure.id}/{row.id}")


def _inputs_to_complete(ctx: ReviewContext) -> Iterable[CheckPoint]:
    """Each input audit-bench keeps no register of, whose text the référent has not written; its
    ref, `STRUCTURE/RD1/REFERENTIAL:INPUT`, names the input to write."""
    for found in pack_inputs(ctx):
        item, tree = found.item, found.tree
        if (tree is not None and item is not None and item.reads in WRITTEN_INPUTS
                and not ctx.review.comment_of(tree.id, item.id)):
            cited = f"{cite_as(tree.referential)} {item.section}".strip()
            yield CheckPoint("input-to-complete", f"À compléter par le référent qualité : {item.title} ({cited})",
                             f"{ctx.structure.structure.id}/{ctx.review.id}/{tree.id}:{item.id}")


CHECKS: list[Callable[[ReviewContext], Iterable[CheckPoint]]] = [
    _ecarts_without_action, _actions_not_verified, _no_internal_audit, _previous_decisions_not_followed,
    _missing_participants, _complaints_not_answered, _indicators_incomplete, _surveys_without_action,
    _inputs_to_complete,
]
"""The consistency check, point by point (`model.vocab.REVIEW_CHECKS`). Each reads the context
and yields `model.CheckPoint`s."""


# Views: what the CLI prints with --json ----------------------------------------------------------

class CheckView(msgspec.Struct, frozen=True):
    """`review check --json`: `{"points": [{"kind", "text", "ref"}]}`."""

    points: list[CheckPoint]

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


class SectionView(PackSection, kw_only=True):
    """An input of the pack as `review show --json` prints it: its section and the référent's text
    for it (`comment`, empty while none)."""

    comment: str = ""


class ReviewView(msgspec.Struct, frozen=True, kw_only=True):
    """`review show --json`: the review, its inputs (frozen once signed, else built now), and
    whether the signature still matches what was signed."""

    id: str
    structure: str
    year: int
    start: str
    end: str
    state: str
    held_on: str | None
    participants: list[Participant]
    decisions: list[Decision]
    distribution: list[Sending]
    signature: Signature | None
    signature_valid: bool | None
    """None while unsigned; False when the stored review no longer matches its hash."""
    remaining: list[CheckPoint]
    """Signed: the check's points still open at signing (a draft's: `review check`)."""
    supersedes: str | None
    superseded_by: str | None
    inputs: list[SectionView]

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


class ReviewPage(msgspec.Struct, frozen=True):
    """What the review's screen shows: the review and the points of its check (a signed review's:
    those frozen at signing)."""

    view: ReviewView
    points: list[CheckPoint]


class ReviewRow(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    year: int
    state: str
    held_on: str | None
    signed_by: str | None
    decisions: int
    supersedes: str | None
    superseded_by: str | None


class DamagedReview(msgspec.Struct, frozen=True):
    """A review whose row in the structure file does not read: `id` as stored (may be empty)."""

    id: str
    error: str


class ReviewsView(msgspec.Struct, frozen=True):
    """`reviews STRUCT --json`: `{"reviews": [{"id", "year", "state", "held_on", "signed_by",
    "decisions", "supersedes", "superseded_by"}], "errors": [{"id", "error"}]}`, ids as
    `STRUCTURE/RD1`, newest first; `errors`: the damaged reviews, which the others outlive."""

    reviews: list[ReviewRow]
    errors: list[DamagedReview] = []

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


# Use cases ---------------------------------------------------------------------------------------

def review_ref(text: str) -> tuple[str, str]:
    """`STRUCTURE/RD1` → (structure id, review id)."""
    found = _REF.match(text or "")
    if found is None:
        raise UserError(f"identifiant de revue invalide « {text} » : attendu STRUCTURE/{REVIEW_PREFIX}1 "
                        "(voir « reviews STRUCTURE »)")
    return found[1], found[2]


def list_reviews(workspace: Workspace, structure_id: str) -> ReviewsView:
    with open_structure(workspace, structure_id, write=False) as session:
        reviews = session.snapshot().reviews
        damaged = _damaged(session)
    errors = [DamagedReview(id=row.name, error=str(_damage_error(session, row))) for row in damaged]
    rows = [ReviewRow(id=f"{structure_id}/{r.id}", year=r.year, state=r.state, held_on=r.held_on,
                      signed_by=r.signature.by if r.signature else None, decisions=len(r.decisions),
                      supersedes=r.supersedes, superseded_by=r.superseded_by)
            for r in sorted(reviews, key=lambda r: (r.year, _number(r.id)), reverse=True)]
    return ReviewsView(rows, errors)


def new_review(workspace: Workspace, structure_id: str, year: int | None = None, supersedes: str | None = None,
               today: date | None = None) -> Review:
    """A draft review of `year` (default: this year's). With `supersedes` (R1), a new version of
    that signed review, starting from its participants, decisions and the référent's texts; it
    replaces it once signed."""
    with open_structure(workspace, structure_id) as session:
        reviews = session.snapshot().reviews
        copied: dict[str, Any] = {}
        if supersedes is not None:
            replaced = _find(session, _review_id(structure_id, supersedes))
            if replaced.state != "signed":
                raise UserError(f"la revue {structure_id}/{replaced.id} n'est pas signée ({_state(replaced)}) : "
                                "la modifier directement, une nouvelle version ne remplace qu'une revue signée")
            if any(r.supersedes == replaced.id and r.state == "draft" for r in reviews):
                raise UserError(f"une nouvelle version de la revue {structure_id}/{replaced.id} est déjà "
                                "en préparation")
            if year is not None and year != replaced.year:
                raise UserError("une nouvelle version porte sur la même année que la revue remplacée "
                                f"({replaced.year})")
            year = replaced.year
            copied = {"participants": replaced.participants, "decisions": replaced.decisions,
                      "comments": replaced.comments, "supersedes": replaced.id}
        year = (today or date.today()).year if year is None else year
        if not 2000 <= year <= 2100:
            raise UserError(f"année invalide « {year} » : attendu de 2000 à 2100")
        if supersedes is None:
            for other in reviews:
                if other.year == year and other.state != "superseded":
                    raise UserError(f"la structure a déjà une revue pour {year} : {structure_id}/{other.id} "
                                    f"({_state(other)})" + (" ; pour la changer : --supersedes " + other.id
                                                            if other.state == "signed" else ""))
        taken = [_NUMBERED.match(i) for i in [r.id for r in reviews] + [row.name for row in _damaged(session)]]
        number = max((int(found[1]) for found in taken if found), default=0) + 1
        review = Review(id=f"{REVIEW_PREFIX}{number}", structure=structure_id, year=year, start=f"{year}-01-01",
                        end=f"{year}-12-31", created_at=now(), **copied)
        session.plan_file().set_review(review)
        return review


def set_participant(workspace: Workspace, ref: str, name: str, role: str, present: bool = True) -> Participant:
    """Invite someone with a role (absent: an excused absentee), or change whether they are present."""
    participant = Participant(name=check_text(name, "le nom du participant"), role=check_choice(role, ROLES, "rôle"),
                              present=present)
    with _draft(workspace, ref) as (session, review):
        others = [p for p in review.participants if (p.name, p.role) != (participant.name, participant.role)]
        _save(session, msgspec.structs.replace(review, participants=[*others, participant]))
    return participant


def remove_participant(workspace: Workspace, ref: str, name: str, role: str) -> None:
    with _draft(workspace, ref) as (session, review):
        kept = [p for p in review.participants if (p.name, p.role) != (name, role)]
        if len(kept) == len(review.participants):
            raise UserError(f"aucun participant « {name} » avec le rôle « {role} » dans la revue {ref}")
        _save(session, msgspec.structs.replace(review, participants=kept))


def decide(workspace: Workspace, ref: str, kind: str, text: str, owner: str | None = None, due: str | None = None,
           action_type: str = "corrective", today: date | None = None) -> Decision:
    """Record a decision. An `action` needs an owner and a due date and becomes at once an action
    of the plan, on an écart of source `revue`; the decision, the écart and the action are one
    durable write."""
    with _draft(workspace, ref) as (session, review):
        ctx = ReviewContext(workspace, session.snapshot(), review, today)
        kind = _checked_decision_kind(ctx, kind)
        text = check_text(text, "le texte de la décision")
        number = max((int(d.id[1:]) for d in review.decisions), default=0) + 1
        decision = Decision(id=f"D{number}", kind=kind, text=text,
                            owner=check_optional_text(owner, "le responsable de la décision"), at=now())
        if kind != "action":
            if due is not None:
                decision = msgspec.structs.replace(decision, due=check_date(due, "échéance"))
            _save(session, msgspec.structs.replace(review, decisions=[*review.decisions, decision]))
            return decision
        if not decision.owner or due is None:
            raise UserError("une action décidée demande son responsable (--owner) et son échéance (--due) : "
                            "elle entre au plan d'amélioration")
        file = session.plan_file()
        with file.batch():
            finding = session.add_ecart(REVIEW_SOURCE, text, ref=f"{review.id} ({review.year})")
            action = session.add_action(finding.id, text, decision.owner, due, action_type)
            decision = msgspec.structs.replace(decision, owner=action.owner, due=action.due, action=action.id,
                                               finding=finding.id)
            _save(session, msgspec.structs.replace(review, decisions=[*review.decisions, decision]))
        return decision


def distribute(workspace: Workspace, ref: str, person: str, sent_on: str | None = None) -> Sending:
    """Record that the bilan was sent to someone (a signed review too: it is not part of what was
    signed); a second sending to the same person replaces the date."""
    sending = Sending(person=check_text(person, "la personne destinataire"),
                      sent_on=check_date(sent_on, "date d'envoi") if sent_on is not None else date.today().isoformat())
    structure_id, review_id = review_ref(ref)
    with open_structure(workspace, structure_id) as session:
        review = _find(session, review_id)
        if review.state == "superseded":
            raise UserError(f"la revue {ref} est remplacée par {review.superseded_by} : diffuser celle-ci")
        others = [s for s in review.distribution if s.person != sending.person]
        _save(session, msgspec.structs.replace(review, distribution=[*others, sending]))
    return sending


def sign(workspace: Workspace, ref: str, by: str, held_on: str | None = None, today: date | None = None) -> Review:
    """Sign the review: its pack is built and frozen now, with the participants and decisions, and
    hashed. In the same write, the review it supersedes, if any, is marked superseded, and the
    referentials' obligations met by a review are recorded as met on the day of the meeting."""
    by = check_text(by, "le signataire")
    with _draft(workspace, ref) as (session, review):
        if not any(p.present for p in review.participants):
            raise UserError(f"aucun participant présent dans la revue {ref} : les inscrire d'abord "
                            "(review participant)")
        day = (today or date.today()).isoformat()
        held = check_date(held_on, "date de la revue") if held_on is not None else day
        if held > day:
            raise UserError(f"date de la revue à venir ({held}) : signer la revue une fois tenue")
        ctx = ReviewContext(workspace, session.snapshot(), review, today)
        frozen = msgspec.structs.replace(review, state="signed", held_on=held, pack=build_pack(ctx),
                                         remaining=check_points(ctx),
                                         structure_name=session.snapshot().structure.name)
        signed = msgspec.structs.replace(frozen, signature=Signature(
            by=by, at=now(), sha256=hashlib.sha256(signed_content(frozen)).hexdigest()))
        changed = [signed]
        if review.supersedes is not None:
            replaced = _find(session, review.supersedes)
            changed.append(msgspec.structs.replace(replaced, state="superseded", superseded_by=review.id))
        file = session.plan_file()
        with file.batch():
            file.set_reviews(changed)
            for fulfilment in _obligations_met(ctx, held, ref):
                file.set_fulfilment(fulfilment)
        return signed


def _obligations_met(ctx: ReviewContext, held_on: str, ref: str) -> list[Fulfilment]:
    """The obligations of the review's referentials that a signed review meets (`met_by: review`),
    recorded as met on the day of the meeting: the agenda sees them done."""
    met = []
    for referential in ctx.referentials():
        tree = ctx.installed(referential)
        if tree is None or tree.referential.cycle is UNSET:
            continue
        met += [Fulfilment(referential=tree.id, obligation=obligation.id, on=held_on,
                           note=f"revue de direction {ref} signée", at=now())
                for obligation in tree.referential.cycle.obligations if obligation.met_by == "review"]
    return met


def set_comment(workspace: Workspace, ref: str, input_ref: str, text: str) -> InputComment | None:
    """Write the référent's text for one input of the review (`INPUT`, or `REFERENTIAL:INPUT` when
    two referentials share the id); an empty text clears it (None)."""
    text = check_optional_text(text, "le texte de la donnée d'entrée")
    with _draft(workspace, ref) as (session, review):
        referential, input_id = _input_of(ReviewContext(workspace, session.snapshot(), review), ref, input_ref)
        comment = InputComment(referential=referential, input=input_id, text=text) if text else None
        kept = [c for c in review.comments if (c.referential, c.input) != (referential, input_id)]
        if comment is not None or len(kept) != len(review.comments):
            _save(session, msgspec.structs.replace(review, comments=[*kept, *([comment] if comment else [])]))
        return comment


def _input_of(ctx: ReviewContext, ref: str, input_ref: str) -> tuple[str, str]:
    """(referential, input id) of the pack's input named `INPUT` or `REFERENTIAL:INPUT`."""
    inputs = [(i.referential, i.item.id) for i in pack_inputs(ctx) if i.item is not None]
    referential, _, input_id = input_ref.rpartition(":")
    found = [pair for pair in inputs if pair[1] == input_id and referential in ("", pair[0])]
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(f"« {input_id} » est une donnée d'entrée de {', '.join(r for r, _ in found)} : préciser "
                        f"RÉFÉRENTIEL:{input_id}")
    shared = {i for _, i in inputs if sum(1 for _, other in inputs if other == i) > 1}
    known = ", ".join(f"{r}:{i}" if i in shared else i for r, i in inputs)
    raise UserError(f"donnée d'entrée inconnue « {input_ref} » dans la revue {ref} : choisir parmi {known}")


def signed_content(review: Review) -> bytes:
    """What a signature covers, as canonical JSON: the period, the day, who took part, the
    decisions, the référent's texts and the frozen pack (not the distribution, added afterwards)."""
    return encode_canonical(msgspec.structs.replace(review, state="signed", signature=None, distribution=[],
                                                    superseded_by=None))


def show_review(workspace: Workspace, ref: str, today: date | None = None) -> ReviewView:
    """The review and its inputs: frozen once signed, else built now."""
    structure_id, snapshot, review = _read(workspace, ref)
    pack = review.pack if review.signature is not None else build_pack(ReviewContext(workspace, snapshot, review,
                                                                                     today))
    return _view(structure_id, review, pack)


def check_review(workspace: Workspace, ref: str, today: date | None = None) -> CheckView:
    """What to fix before the meeting, from the records as they are now."""
    _, snapshot, review = _read(workspace, ref)
    return CheckView(check_points(ReviewContext(workspace, snapshot, review, today)))


def review_page(workspace: Workspace, ref: str, today: date | None = None) -> ReviewPage:
    """The review and its check in one reading of the records: for a draft, the pack and the check
    share one context (each audit, indicator and survey read once); a signed review's are frozen."""
    structure_id, snapshot, review = _read(workspace, ref)
    if review.signature is not None:
        return ReviewPage(_view(structure_id, review, review.pack), review.remaining)
    ctx = ReviewContext(workspace, snapshot, review, today)
    return ReviewPage(_view(structure_id, review, build_pack(ctx)), check_points(ctx))


def _read(workspace: Workspace, ref: str) -> tuple[str, StructureSnapshot, Review]:
    structure_id, review_id = review_ref(ref)
    with open_structure(workspace, structure_id, write=False) as session:
        return structure_id, session.snapshot(), _find(session, review_id)


def _view(structure_id: str, review: Review, pack: list[PackSection]) -> ReviewView:
    valid = None
    if review.signature is not None:
        valid = hashlib.sha256(signed_content(review)).hexdigest() == review.signature.sha256
    inputs = [SectionView(**msgspec.structs.asdict(section), comment=review.comment_of(section.referential,
                                                                                       section.input))
              for section in pack]
    return ReviewView(id=f"{structure_id}/{review.id}", structure=structure_id, year=review.year, start=review.start,
                      end=review.end, state=review.state, held_on=review.held_on, participants=review.participants,
                      decisions=review.decisions, distribution=review.distribution, signature=review.signature,
                      signature_valid=valid, remaining=review.remaining, supersedes=review.supersedes,
                      superseded_by=review.superseded_by, inputs=inputs)


def check_points(ctx: ReviewContext) -> list[CheckPoint]:
    return [point for check in CHECKS for point in check(ctx)]


def write_review_report(workspace: Workspace, ref: str, output: Path, *, force: bool = False,
                        today: date | None = None) -> Path:
    """Write the bilan where a report may be written (`reporting.checked_output`), mode 0600: a
    Word document when its name ends in .docx, else a PDF. A signed review prints only what was
    frozen at signing: its PDF is the same bytes every time."""
    from audit_bench.reports.review_content import ReviewDocument
    from audit_bench.services.reporting import checked_output, is_word, write_private

    output = checked_output(workspace.path, Path(output), force=force)
    _, snapshot, review = _read(workspace, ref)
    if review.signature is not None:
        document = ReviewDocument(review, review.structure_name, review.pack, review.remaining,
                                  review.held_on or review.signature.at[:10])
    else:
        ctx = ReviewContext(workspace, snapshot, review, today)
        document = ReviewDocument(review, snapshot.structure.name, build_pack(ctx),
                                  check_points(ctx), ctx.today.isoformat())
    if is_word(output):
        from audit_bench.reports.review_docx import render_review_docx  # python-docx: heavy

        payload = render_review_docx(document)
    else:
        from audit_bench.reports.review_report import render_review_report  # reportlab: heavy

        payload = render_review_report(document).pdf
    write_private(output, payload, force=force)
    return output


# Helpers -----------------------------------------------------------------------------------------

def _checked_decision_kind(ctx: ReviewContext, kind: str) -> str:
    """`kind` if one of the review's referentials calls for that decision (any kind when none says)."""
    check_choice(kind, REVIEW_DECISIONS, "type de décision")
    called_for: dict[str, list[str]] = {}
    for referential in ctx.referentials():
        tree = ctx.installed(referential)
        if tree is not None and tree.referential.review is not UNSET:
            for output in tree.referential.review.outputs:
                called_for.setdefault(output.kind, []).append(cite_as(tree.referential))
    if called_for and kind not in called_for:
        cited = ", ".join(dict.fromkeys(name for names in called_for.values() for name in names))
        raise UserError(f"décision « {kind} » non prévue par le référentiel de la revue ({cited}) : "
                        "choisir parmi "
                        f"{', '.join(k for k in REVIEW_DECISIONS if k in called_for)}")
    return kind


def _number(review_id: str) -> int:
    return int(review_id[len(REVIEW_PREFIX):])


def _review_id(structure_id: str, text: str) -> str:
    """`R1`, or `STRUCTURE/RD1` of this structure."""
    if "/" in text:
        other, review_id = review_ref(text)
        if other != structure_id:
            raise UserError(f"la revue {text} n'est pas de la structure {structure_id}")
        return review_id
    return review_ref(f"{structure_id}/{text}")[1]


def _find(session: StructureSession, review_id: str) -> Review:
    """The review `review_id`; a damaged one is a CorruptFileError naming its row, and an unknown
    one's refusal names the damaged rows the file has (one may be it)."""
    for review in session.snapshot().reviews:
        if review.id == review_id:
            return review
    damaged = _damaged(session)
    for row in damaged:
        if row.name == review_id:
            raise _damage_error(session, row)
    why = "".join(f" ; revue endommagée : {row.describe()}" for row in damaged)
    raise UserError(f"revue inconnue « {review_id} » dans la structure {session.snapshot().structure.id}{why}")


def _damaged(session: StructureSession) -> list[DamagedRow]:
    """The reviews of the structure's file that do not read (the others do)."""
    return session.file.damaged("reviews") if session.file is not None else []


def _damage_error(session: StructureSession, row: DamagedRow) -> CorruptFileError:
    return CorruptFileError(session.file.path, f"revue endommagée, les autres restent lisibles : {row.describe()}")


def _state(review: Review) -> str:
    return REVIEW_STATES.get(review.state, review.state)


def _save(session: StructureSession, review: Review) -> None:
    session.plan_file().set_review(review)


@contextmanager
def _draft(workspace: Workspace, ref: str) -> Iterator[tuple[StructureSession, Review]]:
    """The structure open for writing and its review `ref`, refused when the review is signed or
    superseded: a signed review is never edited."""
    structure_id, review_id = review_ref(ref)
    with open_structure(workspace, structure_id) as session:
        review = _find(session, review_id)
        if review.state == "signed":
            raise UserError(f"la revue {ref} est signée : elle ne se modifie plus ; en faire une nouvelle version "
                            f"(review new {structure_id} --supersedes {review.id})")
        if review.state != "draft":
            raise UserError(f"la revue {ref} est remplacée par {review.superseded_by} : modifier celle-ci")
        yield session, review
