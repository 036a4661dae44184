"""The structure's side of a referential's cycle: the frequencies it sets where the referential
leaves them open, and the obligations it records as met where no register records them."""

from __future__ import annotations

from audit_bench.model.audit import Record

DAYS_AHEAD = 365
"""How far ahead the agenda looks, in days, unless told."""
SURVEILLANCE = "surveillance"
"""What a `CycleSetting` sets when it is the interval of the surveillance audits (else an obligation id)."""


class CycleSetting(Record, kw_only=True):
    """A frequency the referential leaves to the structure; one row per (referential, of)."""

    referential: str
    of: str
    """`SURVEILLANCE`, or the id of one of the referential's obligations."""
    every_months: int
    at: str


class Fulfilment(Record, kw_only=True):
    """An obligation met on a day (a review signed, a survey made), as the structure records it;
    one row per (referential, obligation, on). Closed audits need none: they are recognised."""

    referential: str
    obligation: str
    on: str
    note: str = ""
    """What shows it: « compte rendu signé, classeur Qualité »."""
    at: str
