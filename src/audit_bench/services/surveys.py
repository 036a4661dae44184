"""Satisfaction surveys (AFAQ 6.5): record a survey, import its results, read its strengths and
weaknesses, and raise an écart (source `enquete`) where a result is under the structure's threshold.

The satisfaction rate of a question is the share of its answers in the upper half of the levels:
with n levels, the ⌊n/2⌋ most satisfied (« plutôt » and « tout à fait satisfait » of four; the
two upper of five, the middle one being neutral). A survey's rate is the same share over all its
questions' answers. A question at or above the structure's threshold is a strength, under it a
weakness; each weakness proposes an écart, which one call confirms (`raise_ecart`): none is
raised silently.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from audit_bench.model import Finding, StructureSnapshot
from audit_bench.model.surveys import MOMENTS, POPULATIONS, Survey, SurveyQuestion, SurveySettings
from audit_bench.services.clock import now
from audit_bench.services.engagements import check_engagement, engagement_title, followed_trees
from audit_bench.services.structures import open_structure
from audit_bench.services.survey_tables import at, read_results
from audit_bench.services.validation import UserError, check_choice, check_date
from audit_bench.services.workspace import Workspace

SOURCE = "enquete"
MAX_PEOPLE = 1_000_000


# Views ---------------------------------------------------------------------------------------

class QuestionView(msgspec.Struct, frozen=True, kw_only=True):
    number: int
    text: str
    engagement: str
    engagement_title: str
    counts: dict[str, int]
    """Answers per level, least satisfied first."""
    answers: int
    rate: float | None
    """Satisfaction rate in % (one decimal); None without answers."""
    under_threshold: bool
    ecart: str | None
    """The écart raised for it (E3), if any."""


class EcartProposal(msgspec.Struct, frozen=True, kw_only=True):
    """An écart the results call for, not raised yet: `raise_ecart` confirms it."""

    question: int
    text: str
    ref: str


class SurveyRow(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    population: str
    moment: str
    start: str
    end: str
    population_size: int
    answers: int
    response_rate: float | None
    """Answers over population size, in %."""
    small_sample: bool
    """Fewer answers than the structure's minimum."""
    rate: float | None
    """The survey's satisfaction rate, in %; None before its results are imported."""
    under_threshold: bool
    weaknesses: int
    proposals: int
    """Weaknesses whose écart is not raised yet."""


class SurveyView(msgspec.Struct, frozen=True, kw_only=True):
    """One survey with its results: `survey show --json`."""

    survey: SurveyRow
    levels: list[str]
    satisfied_levels: list[str]
    """The levels its rates count as satisfied."""
    threshold: float | None
    min_answers: int | None
    questions: list[QuestionView]
    strengths: list[int]
    """Question numbers at or above the threshold, best first."""
    weaknesses: list[int]
    """Question numbers under the threshold, worst first."""
    proposals: list[EcartProposal]
    warnings: list[str]

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


class SurveysView(msgspec.Struct, frozen=True, kw_only=True):
    """`surveys STRUCT --json`."""

    structure: str
    threshold: float | None
    min_answers: int | None
    surveys: list[SurveyRow]
    """By end of period, newest first."""

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


# Rates ---------------------------------------------------------------------------------------

def satisfied_count(levels: int) -> int:
    """How many upper levels count as satisfied: ⌊n/2⌋ (see the module's docstring)."""
    return levels // 2


def satisfaction_rate(counts: list[int]) -> float | None:
    total = sum(counts)
    if not total:
        return None
    return round(100 * sum(counts[len(counts) - satisfied_count(len(counts)):]) / total, 1)


def _survey_rate(survey: Survey) -> float | None:
    if not survey.questions:
        return None
    width = len(survey.levels)
    summed = [sum(q.counts[i] for q in survey.questions) for i in range(width)]
    return satisfaction_rate(summed)


def _under(rate: float | None, threshold: float | None) -> bool:
    return rate is not None and threshold is not None and rate < threshold


def _ref(survey: Survey, number: int) -> str:
    return f"enquête {survey.id} Q{number}"


def _row(survey: Survey, settings: SurveySettings | None, findings: list[Finding]) -> SurveyRow:
    threshold = settings.satisfaction_threshold if settings else None
    minimum = settings.min_answers if settings else None
    raised = {f.ref for f in findings if f.source == SOURCE}
    weak = [n for n, q in enumerate(survey.questions, start=1) if _under(satisfaction_rate(q.counts), threshold)]
    rate = _survey_rate(survey)
    return SurveyRow(
        id=survey.id, population=survey.population, moment=survey.moment, start=survey.start, end=survey.end,
        population_size=survey.population_size, answers=survey.answers,
        response_rate=round(100 * survey.answers / survey.population_size, 1) if survey.population_size else None,
        small_sample=minimum is not None and survey.answers < minimum, rate=rate,
        under_threshold=_under(rate, threshold), weaknesses=len(weak),
        proposals=sum(1 for n in weak if _ref(survey, n) not in raised))


# Reading -------------------------------------------------------------------------------------

def list_surveys(workspace: Workspace, structure_id: str) -> SurveysView:
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    settings = snapshot.survey_settings
    rows = [_row(s, settings, snapshot.findings) for s in sorted(snapshot.surveys, key=lambda s: (s.end, s.id),
                                                                 reverse=True)]
    return SurveysView(structure=snapshot.structure.id, threshold=settings.satisfaction_threshold if settings else None,
                       min_answers=settings.min_answers if settings else None, surveys=rows)


def show_survey(workspace: Workspace, structure_id: str, survey_id: str) -> SurveyView:
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    return survey_view(snapshot, _survey(snapshot, survey_id), followed_trees(workspace, snapshot))


def survey_view(snapshot: StructureSnapshot, survey: Survey, trees: list | None = None) -> SurveyView:
    """The survey's results read against the structure's settings and the écarts already raised."""
    settings = snapshot.survey_settings
    threshold = settings.satisfaction_threshold if settings else None
    minimum = settings.min_answers if settings else None
    raised = {f.ref: f.id for f in snapshot.findings if f.source == SOURCE}
    questions = []
    for number, question in enumerate(survey.questions, start=1):
        rate = satisfaction_rate(question.counts)
        questions.append(QuestionView(
            number=number, text=question.text, engagement=question.engagement,
            engagement_title=engagement_title(trees or [], question.engagement) if question.engagement else "",
            counts=dict(zip(survey.levels, question.counts)), answers=sum(question.counts), rate=rate,
            under_threshold=_under(rate, threshold), ecart=raised.get(_ref(survey, number))))
    rated = [q for q in questions if q.rate is not None]
    strengths = [q.number for q in sorted(rated, key=lambda q: -q.rate) if threshold is not None
                 and not q.under_threshold]
    weaknesses = [q.number for q in sorted(rated, key=lambda q: q.rate) if q.under_threshold]
    proposals = [EcartProposal(question=n, text=_ecart_text(survey, questions[n - 1], threshold),
                               ref=_ref(survey, n))
                 for n in weaknesses if questions[n - 1].ecart is None]
    warnings = []
    if minimum is not None and survey.answers < minimum:
        warnings.append(f"échantillon faible : {survey.answers} réponse(s), moins que les {minimum} que la structure "
                        "tient pour significatives")
    if threshold is None:
        warnings.append("seuil de satisfaction non fixé : ni points forts ni points faibles")
    if not survey.questions:
        warnings.append("résultats non importés")
    return SurveyView(survey=_row(survey, settings, snapshot.findings), levels=survey.levels,
                      satisfied_levels=survey.levels[len(survey.levels) - satisfied_count(len(survey.levels)):],
                      threshold=threshold, min_answers=minimum, questions=questions, strengths=strengths,
                      weaknesses=weaknesses, proposals=proposals, warnings=warnings)


def _ecart_text(survey: Survey, question: QuestionView, threshold: float | None) -> str:
    about = f" (engagement {question.engagement})" if question.engagement else ""
    return (f"Enquête de satisfaction {survey.id} ({POPULATIONS.get(survey.population, survey.population).lower()}, "
            f"{MOMENTS.get(survey.moment, survey.moment).lower()}, du {survey.start} au {survey.end}) : "
            f"« {question.text} »{about} satisfait à {_percent(question.rate)}, sous le seuil de "
            f"{_percent(threshold)}")


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",") + "\u00a0%"


def _survey(snapshot: StructureSnapshot, survey_id: str) -> Survey:
    for survey in snapshot.surveys:
        if survey.id == survey_id:
            return survey
    known = ", ".join(s.id for s in snapshot.surveys) or "aucune"
    raise UserError(f"enquête inconnue « {survey_id} » dans la structure {snapshot.structure.id} (enquêtes : {known})")


# Changing ------------------------------------------------------------------------------------

def set_settings(workspace: Workspace, structure_id: str, threshold: float | None = None,
                 min_answers: int | None = None) -> SurveySettings:
    """Set the satisfaction threshold (%) and the least significant sample; None keeps a value."""
    if threshold is None and min_answers is None:
        raise UserError("rien à fixer : donner le seuil de satisfaction (%) ou l'échantillon minimal (réponses)")
    if threshold is not None and not 0 < threshold <= 100:
        raise UserError(f"seuil de satisfaction invalide ({threshold:g}) : un pourcentage entre 0 et 100")
    if min_answers is not None and not 1 <= min_answers <= MAX_PEOPLE:
        raise UserError(f"échantillon minimal invalide ({min_answers}) : au moins 1 réponse")
    with open_structure(workspace, structure_id) as session:
        current = session.snapshot().survey_settings or SurveySettings(at="")
        settings = SurveySettings(
            satisfaction_threshold=current.satisfaction_threshold if threshold is None else threshold,
            min_answers=current.min_answers if min_answers is None else min_answers, at=now())
        session.plan_file().set_settings("survey_settings", settings)
    return settings


def add_survey(workspace: Workspace, structure_id: str, population: str, moment: str, start: str, end: str,
               population_size: int, answers: int, today: date | None = None) -> Survey:
    """Record a survey (its results come with `import_results`)."""
    population = check_choice(population, POPULATIONS, "population")
    moment = check_choice(moment, MOMENTS, "moment")
    start, end = check_date(start, "début de la période"), check_date(end, "fin de la période")
    if end < start:
        raise UserError(f"période invalide : la fin ({end}) précède le début ({start})")
    if start > (today or date.today()).isoformat():
        raise UserError(f"période à venir ({start}) : enregistrer une enquête commencée")
    if not 1 <= population_size <= MAX_PEOPLE:
        raise UserError(f"population invalide ({population_size}) : au moins 1 personne interrogée")
    if not 0 <= answers <= population_size:
        raise UserError(f"{answers} réponse(s) pour {population_size} personne(s) interrogée(s) : pas plus de "
                        "réponses que de personnes")
    with open_structure(workspace, structure_id) as session:
        file = session.plan_file()
        survey = Survey(id=file.next_id("surveys"), population=population, moment=moment, start=start, end=end,
                        population_size=population_size, answers=answers, at=now())
        file.add("surveys", survey)
    return survey


def import_results(workspace: Workspace, structure_id: str, survey_id: str, table: Path) -> Survey:
    """Replace the survey's questions and counts by the table's (see `survey_tables`); a table
    with any fault changes nothing. Once an écart is raised from its results, they stay: the
    écart cites them."""
    results = read_results(Path(table))
    with open_structure(workspace, structure_id) as session:
        snapshot = session.snapshot()
        survey = _survey(snapshot, survey_id)
        refs = {_ref(survey, number) for number in range(1, len(survey.questions) + 1)}
        raised = [f.id for f in snapshot.findings if f.source == SOURCE and f.ref in refs]
        if raised:
            raise UserError(f"des écarts ont été levés des résultats de l'enquête {survey.id} ({', '.join(raised)}) : "
                            "ils restent tels qu'importés ; enregistrer une nouvelle enquête")
        trees = followed_trees(workspace, snapshot)
        questions = []
        for row in results.rows:
            engagement = ""
            if row.engagement:
                try:
                    engagement = check_engagement(trees, row.engagement)
                except UserError as exc:
                    raise UserError(f"{at(row.line, 1)} : {exc}") from None
            total = sum(row.counts)
            if total > survey.answers:
                raise UserError(f"{at(row.line)} : {total} réponses à cette question, plus que les {survey.answers} "
                                f"questionnaires reçus de l'enquête {survey.id}")
            questions.append(SurveyQuestion(text=row.text, engagement=engagement, counts=row.counts))
        updated = msgspec.structs.replace(survey, levels=results.levels, questions=questions, at=now())
        session.plan_file().replace("surveys", updated)
    return updated


def raise_ecart(workspace: Workspace, structure_id: str, survey_id: str, question: int,
                text: str | None = None) -> Finding:
    """Confirm the écart a weakness proposes: raised into the plan (source `enquete`), with the
    proposal's text unless `text` rewords it."""
    with open_structure(workspace, structure_id) as session:
        snapshot = session.snapshot()
        view = survey_view(snapshot, _survey(snapshot, survey_id))
        proposal = next((p for p in view.proposals if p.question == question), None)
        if proposal is None:
            raise UserError(_no_proposal(view, question))
        return session.add_ecart(SOURCE, text if text is not None else proposal.text, ref=proposal.ref)


def _no_proposal(view: SurveyView, question: int) -> str:
    if not 1 <= question <= len(view.questions):
        return f"question {question} inconnue dans l'enquête {view.survey.id} ({len(view.questions)} question(s))"
    found = view.questions[question - 1]
    if found.ecart is not None:
        return f"l'écart de la question {question} est déjà levé : {found.ecart}"
    if view.threshold is None:
        return "seuil de satisfaction non fixé : aucun écart à proposer"
    return (f"la question {question} est satisfaite à {_percent(found.rate)}, pas sous le seuil de "
            f"{_percent(view.threshold)} : aucun écart à proposer")
