"""The complaints register (AFAQ 6.4, CEDRE 8.B3/8.C2) as plain data: each complaint with its
answers, and the structure's settings of the register. No complainant's name is asked or kept:
the register holds who complained by type only."""

from __future__ import annotations

from audit_bench.model.audit import Record

CHANNELS: dict[str, str] = {
    "courrier": "Écrite — courrier",
    "mail": "Écrite — mail",
    "fax": "Écrite — fax",
    "orale": "Orale",
}
"""How a complaint came in (AFAQ 6.4 distinguishes written ones, by courrier, fax or mail, from
oral ones), and its French name."""

COMPLAINANTS: dict[str, str] = {
    "personne-en-parcours": "Personne en parcours",
    "client": "Client",
    "prescripteur": "Prescripteur",
    "partenaire": "Partenaire",
    "autre": "Autre",
}
"""Who complained, by type (never by name)."""

ANSWER_KINDS: dict[str, str] = {
    "solution": "Proposition de solution",
    "refus": "Refus motivé",
    "accuse-reception": "Accusé de réception",
}
"""The three kinds of answer (AFAQ 6.4): an accusé de réception gives the final delay and who
follows the complaint, and opens a second deadline; the other two close the complaint."""

ACKNOWLEDGEMENT = "accuse-reception"

DELAY_UNITS: dict[str, str] = {
    "jours-ouvrables": "jours ouvrables",
    "jours-ouvres": "jours ouvrés",
    "jours-calendaires": "jours calendaires",
}
"""The units of a delay (a referential's `answer_unit`, the CLI's --unit) and their French names;
how each is counted is `services.workdays`."""

COMPLAINT_STATUSES: dict[str, str] = {
    "unanswered": "sans réponse",
    "open": "en cours",
    "closed": "close",
}
"""Where a complaint is (`status` of `complaints --json`): no answer yet; acknowledged, the final
answer to come; answered by a solution or a reasoned refusal."""

MAX_DELAY_DAYS = 365
"""The longest answer delay a referential or a structure may set."""

COMPLAINT_PREFIX = "R"
"""Complaints are numbered R1, R2… within their structure."""


class ComplaintAnswer(Record, kw_only=True):
    """One written answer to a complaint."""

    kind: str
    """A key of `ANSWER_KINDS`."""
    on: str
    """The day it was sent, YYYY-MM-DD."""
    text: str = ""
    final_due: str | None = None
    """An accusé de réception: the day the final answer is promised by (the second deadline)."""
    in_charge: str = ""
    """An accusé de réception: who follows the complaint (a member of staff)."""
    at: str


class Complaint(Record, kw_only=True):
    """One complaint of the register; one row per id (R1…)."""

    id: str
    received: str
    """The day it was received, YYYY-MM-DD: the answer delay counts from the day after."""
    channel: str
    """A key of `CHANNELS`."""
    complainant: str
    """A key of `COMPLAINANTS`."""
    subject: str
    requirement: str = ""
    """The engagement or requirement concerned, as the structure names it (« E3 », « 8.C2 »)."""
    text: str = ""
    answers: list[ComplaintAnswer] = []
    """Oldest first: the first answers the delay, an accusé de réception calls for another."""
    at: str

    @property
    def status(self) -> str:
        """A key of `COMPLAINT_STATUSES`: closed by a solution or a refusal, open once acknowledged."""
        if any(answer.kind != ACKNOWLEDGEMENT for answer in self.answers):
            return "closed"
        return "open" if self.answers else "unanswered"


class ComplaintSettings(Record, kw_only=True):
    """What the structure sets of its complaints register; one row at most."""

    holiday_zone: str | None = None
    """The département whose public holidays count (a key of `services.workdays.HOLIDAY_ZONES`:
    Alsace-Moselle, overseas); None: metropolitan France's."""
    answer_days: int | None = None
    """The structure's own answer delay, where none of its referentials fixes one (CEDRE)."""
    answer_unit: str = "jours-ouvrables"
    at: str
