"""Satisfaction surveys (AFAQ 6.5) as plain data: aggregated results only, never a respondent.

A survey is of one population at one moment of the parcours, over a period; each question says
which engagement it measures and how many answers each level received. The answer levels run from
the least to the most satisfied, as the columns of the imported table give them.
"""

from __future__ import annotations

from audit_bench.model.audit import Record

POPULATIONS: dict[str, str] = {
    "personnes": "Personnes en parcours",
    "clients": "Clients",
    "prescripteurs": "Prescripteurs",
    "salaries": "Salariés permanents",
}
"""Who is asked (the CLI's --population) and their French names."""

MOMENTS: dict[str, str] = {
    "premier-contact": "1er contact",
    "entree": "Entrée dans le parcours",
    "sortie": "Sortie",
    "parcours": "En cours de parcours",
}
"""When in the parcours the questionnaire is given (AFAQ 6.5, seed 002 lines 303-306)."""


class SurveyQuestion(Record, kw_only=True):
    """One question and its results: `counts[i]` answers at the survey's level `i`."""

    text: str
    engagement: str = ""
    """The engagement it measures: a node id of a referential the structure follows (E4), or the
    structure's own wording when it follows none."""
    counts: list[int] = []


class Survey(Record, kw_only=True):
    """One survey, numbered S1, S2… in the structure's file."""

    id: str
    population: str
    """A key of `POPULATIONS`."""
    moment: str
    """A key of `MOMENTS`."""
    start: str
    end: str
    """The period the questionnaires were collected in (first and last day)."""
    population_size: int
    """How many people the survey was addressed to."""
    answers: int
    """How many questionnaires came back."""
    levels: list[str] = []
    """The answer levels, least satisfied first."""
    questions: list[SurveyQuestion] = []
    at: str


class SurveySettings(Record, kw_only=True):
    """What the structure sets for its surveys (one row): AFAQ 6.5 leaves both to it."""

    satisfaction_threshold: float | None = None
    """The satisfaction rate, in %, under which an improvement plan is due (seed 002 line 310)."""
    min_answers: int | None = None
    """The fewest answers the structure holds a sample significant with (« un échantillon représentatif
    et significatif », seed 002 line 308); fewer is flagged."""
    at: str
