"""A demo structure's year of quality records (a plugin's `demo_years`): its certificate, its
registers and its signed review of the year before, created through the same use cases as a
user's, so the demo's revue de direction has data and decisions to follow up."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from audit_bench.model.demo_year import DemoYear
from audit_bench.services import checks, complaints, indicators, review, surveys
from audit_bench.services.structures import create_structure, list_structures, set_certification
from audit_bench.services.workspace import Workspace


def year_writes(year: DemoYear) -> int:
    """The durable writes `create_year` makes (for the demo's progress)."""
    previous = year.previous_review
    return (3 + len(previous.participants) + len(previous.decisions) + bool(year.survey_threshold)
            + len(year.targets) + len(year.values) + len(year.complaints)
            + sum(1 for c in year.complaints if c.answer) + 2 * len(year.surveys) + len(year.check_frequencies)
            + len(year.checks))


def create_year(workspace: Workspace, year: DemoYear, written) -> str | None:
    """Record the year for the structure its demo audit named (made if absent); None when its
    review of that year exists already (the demo was loaded before)."""
    structure = next((s.id for s in list_structures(workspace).structures if s.name == year.org), None)
    if structure is None:
        structure = create_structure(workspace, year.org, year.siae_type).id
    previous = year.previous_review
    if any(row.year == previous.year for row in review.list_reviews(workspace, structure).reviews):
        return None
    certificate = year.certificate
    set_certification(workspace, structure, year.referential, certificate.body, certificate.number,
                      certificate.issued, certificate.valid_until)
    written(year)
    held_on = date.fromisoformat(previous.held_on)
    ref = f"{structure}/{review.new_review(workspace, structure, previous.year, today=held_on).id}"
    written(year)
    for participant in previous.participants:
        review.set_participant(workspace, ref, participant.name, participant.role)
        written(year)
    for decision in previous.decisions:
        review.decide(workspace, ref, decision.kind, decision.text, owner=decision.owner, due=decision.due,
                      today=held_on)
        written(year)
    review.sign(workspace, ref, previous.signed_by, held_on=previous.held_on)
    written(year)
    _registers(workspace, structure, year, written)
    return structure


def _registers(workspace: Workspace, structure: str, year: DemoYear, written) -> None:
    if year.survey_threshold is not None:
        surveys.set_settings(workspace, structure, threshold=year.survey_threshold)
        written(year)
    for target in year.targets:
        indicators.set_target(workspace, structure, target.indicator, target.target, target.direction, target.period)
        written(year)
    for value in year.values:
        indicators.record_value(workspace, structure, value.indicator, value.period, value.value, value.numerator,
                                value.denominator)
        written(year)
    for complaint in year.complaints:
        recorded = complaints.add_complaint(workspace, structure, complaint.received, complaint.channel,
                                            complaint.complainant, complaint.subject, complaint.requirement)
        written(year)
        if complaint.answer:
            complaints.answer_complaint(workspace, structure, recorded.id, complaint.answer,
                                        complaint.answered_on or complaint.received, complaint.answer_text)
            written(year)
    for survey in year.surveys:
        recorded = surveys.add_survey(workspace, structure, survey.population, survey.moment, survey.start,
                                      survey.end, survey.population_size, survey.answers)
        written(year)
        with tempfile.TemporaryDirectory() as folder:
            table = Path(folder) / "resultats.csv"
            rows = [";".join(["Question", "Engagement", *survey.levels])]
            rows += [";".join([q.text, q.engagement, *map(str, q.counts)]) for q in survey.questions]
            table.write_text("\n".join(rows) + "\n", encoding="utf-8")
            surveys.import_results(workspace, structure, recorded.id, table)
        written(year)
    for engagement, months in year.check_frequencies.items():
        checks.set_frequency(workspace, structure, engagement, months)
        written(year)
    for check in year.checks:
        checks.add_check(workspace, structure, check.day, check.observer, check.engagement, check.conforme,
                         check.observation)
        written(year)
