"""Contrôles (AFAQ 6.1): the frequency the structure sets per engagement (its tableau récapitulatif),
the contrôles made, and per engagement the periods due and missed.

A contrôle not conforme raises its écart (source `controle`, the observation as constat) in the
same durable write: saying « écart » is the confirmation. Periods are calendar periods of the
frequency (a quarter for 3 months); a period with no contrôle of its engagement is missed once it
has ended, due while it runs. Periods are counted from the one the frequency was set in, over the
last `LOOKBACK_DAYS`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import msgspec

from audit_bench.model import StructureSnapshot
from audit_bench.model.checks import Check, CheckFrequency
from audit_bench.referential.schema import PERIOD_MONTHS
from audit_bench.services.agenda import LOOKBACK_DAYS, add_months, period_label, period_of
from audit_bench.services.clock import now
from audit_bench.services.engagements import check_engagement, engagement_title, followed_trees
from audit_bench.services.structures import open_structure
from audit_bench.services.validation import UserError, check_date, check_optional_text, check_text
from audit_bench.services.workspace import Workspace

SOURCE = "controle"


# Views ---------------------------------------------------------------------------------------

class CheckRow(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    date: str
    observer: str
    engagement: str
    conforme: bool
    observation: str
    ecart: str | None


class PeriodState(msgspec.Struct, frozen=True, kw_only=True):
    start: str
    end: str
    label: str
    state: str
    """`done`, `due` (the period runs, no contrôle yet) or `missed` (it ended without one)."""
    checks: list[str]


class EngagementView(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the tableau récapitulatif with its periods."""

    engagement: str
    title: str
    every_months: int
    last: str | None
    """The day of its latest contrôle."""
    due: bool
    """The current period has no contrôle yet."""
    missed: int
    periods: list[PeriodState]
    """Oldest first; the last is the current one."""


class ChecksView(msgspec.Struct, frozen=True, kw_only=True):
    """`controles STRUCT --json`."""

    structure: str
    frequencies: list[EngagementView]
    checks: list[CheckRow]
    """Newest first."""

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


# Reading -------------------------------------------------------------------------------------

def list_checks(workspace: Workspace, structure_id: str, today: date | None = None) -> ChecksView:
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    return checks_view(snapshot, followed_trees(workspace, snapshot), today or date.today())


def checks_view(snapshot: StructureSnapshot, trees: list, today: date) -> ChecksView:
    engagements = [_engagement(snapshot, frequency, trees, today)
                   for frequency in sorted(snapshot.check_frequencies, key=lambda f: f.engagement)]
    rows = [CheckRow(id=c.id, date=c.on, observer=c.observer, engagement=c.engagement, conforme=c.conforme,
                     observation=c.observation, ecart=c.ecart or None)
            for c in sorted(snapshot.checks, key=lambda c: (c.on, c.at), reverse=True)]
    return ChecksView(structure=snapshot.structure.id, frequencies=engagements, checks=rows)


def _engagement(snapshot: StructureSnapshot, frequency: CheckFrequency, trees: list, today: date) -> EngagementView:
    months = frequency.every_months
    since = max(date.fromisoformat(frequency.at[:10]), today - timedelta(days=LOOKBACK_DAYS))
    start, end = period_of(since, months)
    done = [c for c in snapshot.checks if c.engagement == frequency.engagement]
    periods = []
    while start <= today:
        first, last = start.isoformat(), end.isoformat()
        held = sorted(c.id for c in done if first <= c.on <= last)
        state = "done" if held else ("missed" if end < today else "due")
        periods.append(PeriodState(start=first, end=last, label=period_label(start, months), state=state,
                                   checks=held))
        start = add_months(start, months)
        end = add_months(start, months) - timedelta(days=1)
    return EngagementView(engagement=frequency.engagement, title=engagement_title(trees, frequency.engagement),
                          every_months=months, last=max((c.on for c in done), default=None),
                          due=bool(periods) and periods[-1].state == "due",
                          missed=sum(p.state == "missed" for p in periods), periods=periods)


# Changing ------------------------------------------------------------------------------------

def set_frequency(workspace: Workspace, structure_id: str, engagement: str, every_months: int | None) -> None:
    """Set how often an engagement is controlled (a row of the tableau récapitulatif), or with
    None take it out of the table."""
    with open_structure(workspace, structure_id) as session:
        snapshot = session.snapshot()
        if every_months is None:
            if not session.plan_file().remove_check_frequency(engagement):
                raise UserError(f"aucune fréquence de contrôle pour l'engagement « {engagement} » dans la "
                                f"structure {snapshot.structure.id}")
            return
        engagement = check_engagement(followed_trees(workspace, snapshot), engagement)
        if every_months not in PERIOD_MONTHS:
            raise UserError(f"fréquence invalide ({every_months} mois) : des périodes qui découpent l'année, "
                            f"{', '.join(map(str, PERIOD_MONTHS))} mois")
        session.plan_file().set_check_frequency(CheckFrequency(engagement=engagement, every_months=every_months,
                                                               at=now()))


def add_check(workspace: Workspace, structure_id: str, on: str, observer: str, engagement: str, conforme: bool,
              observation: str = "", today: date | None = None) -> Check:
    """Record a contrôle; not conforme, its écart is raised with it, in one durable write."""
    on = check_date(on, "date du contrôle")
    if on > (today or date.today()).isoformat():
        raise UserError(f"date du contrôle à venir ({on}) : enregistrer un contrôle fait")
    observer = check_text(observer, "l'observateur")
    observation = (check_optional_text(observation, "l'observation") if conforme
                   else check_text(observation, "l'observation (le constat de l'écart)"))
    with open_structure(workspace, structure_id) as session:
        engagement = check_engagement(followed_trees(workspace, session.snapshot()), engagement)
        file = session.plan_file()
        check = Check(id=file.next_id("checks"), on=on, observer=observer, engagement=engagement,
                      conforme=conforme, observation=observation, at=now())
        with file.batch():
            if not conforme:
                finding = session.add_ecart(SOURCE, observation, ref=f"contrôle {check.id}")
                check = msgspec.structs.replace(check, ecart=finding.id)
            file.add("checks", check)
    return check
