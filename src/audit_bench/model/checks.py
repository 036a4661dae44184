"""Contrôles (AFAQ 6.1) as plain data: field observations on an engagement, at the frequency the
structure sets per engagement (its « tableau récapitulatif », seed 002 line 256)."""

from __future__ import annotations

from audit_bench.model.audit import Record


class CheckFrequency(Record, kw_only=True):
    """A row of the tableau récapitulatif: one engagement controlled every `every_months` months
    (calendar periods: 1, 2, 3, 4, 6 or 12)."""

    engagement: str
    every_months: int
    at: str


class Check(Record, kw_only=True):
    """One contrôle, numbered C1, C2… in the structure's file."""

    id: str
    on: str
    """The day of the observation."""
    observer: str
    """Who observed: a named member of the staff (never a person en parcours)."""
    engagement: str
    conforme: bool
    observation: str = ""
    """What was seen (the constat); required when it is not conforme."""
    ecart: str = ""
    """The id of the écart it raised in the plan (E3), when not conforme."""
    at: str
