"""The indicator and exits registers of a structure, as plain data: aggregated figures only.

Indicators (AFAQ 6.6): the structure's own definitions, its target per indicator (where the
referential leaves the direction or the period open, the target sets them), and one value per
indicator and period; a ratio keeps its numerator and denominator so that a year is recomputed
from sums, never averaged. Exits (the taux de sortie dynamique): counts of exits per year, horizon
and exit situation — never a person.
"""

from __future__ import annotations

from audit_bench.model.audit import Record


class IndicatorDefinition(Record, kw_only=True):
    """An indicator the structure defines for itself; one row per id."""

    id: str
    name: str
    unit: str = ""
    direction: str
    """A key of `model.vocab.INDICATOR_DIRECTIONS`."""
    period: str
    """A key of `model.vocab.INDICATOR_PERIODS`."""
    numerator: str = ""
    """For a ratio, what is counted above the line; empty for a plain figure (a count)."""
    denominator: str = ""
    description: str = ""
    at: str


class IndicatorTarget(Record, kw_only=True):
    """The structure's target for an indicator (AFAQ 6.6, line 328); one row per indicator."""

    indicator: str
    target: float
    direction: str | None = None
    """Set where the definition leaves it open (else it must agree with the definition)."""
    period: str | None = None
    """Set where the definition leaves it open."""
    at: str


class IndicatorValue(Record, kw_only=True):
    """What an indicator measured in one period (« 2026 », « 2026-T1 », « 2026-03 »); one row per
    (indicator, period). A ratio stores its two counts, a plain figure its value."""

    indicator: str
    period: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    at: str


class ExitCount(Record, kw_only=True):
    """How many exits of a year were in a situation at a horizon; one row per (year, months, situation)."""

    year: int
    months: int
    """Months after the exit the situation was observed at (0: à la sortie)."""
    situation: str
    """An exit situation id of the referential that defines the taux de sortie dynamique."""
    count: int
    at: str


class LocalExitVariant(Record, kw_only=True):
    """A structure's own variant of the taux de sortie dynamique (seed 001, line 48: « prise en
    compte en emploi durable du CDI temps plein »); one row per id."""

    id: str
    label: str
    counted: list[str]
    """Exit classes or situation ids whose exits are the numerator."""
    excluded: list[str] = []
    """Exit classes or situation ids whose exits are out of the base."""
    at: str
