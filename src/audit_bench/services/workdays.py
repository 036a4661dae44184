"""The working-day clock of a delay counted in days (a complaint's answer within « 5 jours
ouvrables »), from the day after the start.

Jours ouvrables are Monday to Saturday less the public holidays; jours ouvrés Monday to Friday less
them; a delay in jours calendaires that ends on a Sunday or a holiday runs to the next jour ouvrable
(the rule of article 642 du code de procédure civile). The holidays come from the `holidays`
package, for France or one of its subdivisions (Alsace-Moselle keeps Good Friday and 26 December,
each overseas département its own days): never from a hand-kept list.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from audit_bench.services.validation import UserError

HOLIDAY_ZONES: dict[str, tuple[str, str]] = {
    "57": ("57", "Moselle"),
    "67": ("6AE", "Bas-Rhin"),
    "68": ("6AE", "Haut-Rhin"),
    "971": ("971", "Guadeloupe"),
    "972": ("972", "Martinique"),
    "973": ("973", "Guyane"),
    "974": ("974", "La Réunion"),
    "976": ("976", "Mayotte"),
    "975": ("PM", "Saint-Pierre-et-Miquelon"),
    "977": ("BL", "Saint-Barthélemy"),
    "978": ("MF", "Saint-Martin"),
    "986": ("WF", "Wallis-et-Futuna"),
    "987": ("PF", "Polynésie française"),
    "988": ("NC", "Nouvelle-Calédonie"),
}
"""The départements (and collectivités d'outre-mer) whose public holidays differ from
metropolitan France's: code → the `holidays` package's subdivision, and its French name. Bas-Rhin
and Haut-Rhin are one subdivision there (the Collectivité européenne d'Alsace)."""

METROPOLE = "Métropole"
_SUNDAY = 6
_SATURDAY = 5


def zone_label(zone: str | None) -> str:
    """« Moselle (57) », or « Métropole » without a zone."""
    return METROPOLE if zone is None else f"{HOLIDAY_ZONES[zone][1]} ({zone})"


def check_zone(zone: str) -> str:
    """A département code of `HOLIDAY_ZONES`."""
    zone = zone.strip()
    if zone not in HOLIDAY_ZONES:
        raise UserError(f"jours fériés : département « {zone} » sans jours fériés propres ; choisir parmi "
                        f"{', '.join(HOLIDAY_ZONES)} (sans département : ceux de la métropole)")
    return zone


@functools.lru_cache(maxsize=256)
def _holidays_of(year: int, zone: str | None) -> frozenset[date]:
    import holidays

    subdivision = None if zone is None else HOLIDAY_ZONES[zone][0]
    return frozenset(holidays.France(subdiv=subdivision, years=year))


def is_holiday(day: date, zone: str | None = None) -> bool:
    return day in _holidays_of(day.year, zone)


def is_working_day(day: date, unit: str = "jours-ouvrables", zone: str | None = None) -> bool:
    """Whether `day` counts in a delay of `unit` (every day counts in jours calendaires)."""
    if unit == "jours-calendaires":
        return True
    last = _SATURDAY if unit == "jours-ouvrables" else _SATURDAY - 1
    return day.weekday() <= last and not is_holiday(day, zone)


def add_days(start: date, days: int, unit: str = "jours-ouvrables", zone: str | None = None) -> date:
    """The last day of a delay of `days` counted from the day after `start`: the `days`-th
    counted day after it (for jours calendaires, moved past a Sunday or holiday)."""
    if days < 0:
        raise ValueError("a delay is not negative")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        counted += is_working_day(day, unit, zone)
    if unit == "jours-calendaires":
        while not is_working_day(day, "jours-ouvrables", zone):
            day += timedelta(days=1)
    return day


def count_days(start: date, end: date, unit: str = "jours-ouvrables", zone: str | None = None) -> int:
    """The days of `unit` from the day after `start` to `end` included (0 when `end` is not after
    `start`): how long an answer took, counted as its delay is."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        days += is_working_day(day, unit, zone)
    return days
