"""Indicateurs de performance (AFAQ 6.6): definitions, targets, values per period, the trend.

A definition comes from a referential's data (each on its engagement; the taux de sortie
dynamique of the referential that states it) or from the structure. The structure sets a target
per indicator, and the direction or period where the definition leaves them open. A value is
recorded per period (« 2026 », « 2026-T1 », « 2026-03 »); a ratio keeps its numerator and
denominator, so a year's figure is the ratio of the sums, never an average of the periods; a
plain figure is a count, and a year adds them. A closed period without a value is missing; a
value off target proposes an écart (source `indicateur`), which one more call raises.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Iterable, Sequence

import msgspec
from msgspec import UNSET

from audit_bench.model import StructureSnapshot
from audit_bench.model.indicators import IndicatorDefinition, IndicatorTarget, IndicatorValue
from audit_bench.model.vocab import INDICATOR_DIRECTIONS, INDICATOR_PERIODS
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import Indicator
from audit_bench.services import exits
from audit_bench.services.clock import now
from audit_bench.services.engagements import followed_trees
from audit_bench.services.structures import open_structure
from audit_bench.services.validation import UserError, check_choice, check_optional_text, check_text
from audit_bench.services.workspace import Workspace

SOURCE = "indicateur"
"""The source of the écarts an indicator raises (model.vocab.SOURCES)."""
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,39}$")
_PERIOD = {"year": re.compile(r"^(\d{4})$"), "quarter": re.compile(r"^(\d{4})-T([1-4])$"),
           "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")}
_PERIOD_EXAMPLE = {"year": "2026", "quarter": "2026-T1", "month": "2026-03"}


class Definition(msgspec.Struct, frozen=True, kw_only=True):
    """An indicator as the structure follows it: its definition, with the direction and period its
    target sets where the definition leaves them open (None: still to set)."""

    id: str
    name: str
    unit: str
    direction: str | None
    period: str | None
    numerator: str
    """Empty for a plain figure."""
    denominator: str
    origin: str
    """The referential's id, or « structure »."""
    engagement: str = ""
    source: str = ""
    computed: bool = False
    """Computed from another register (the taux de sortie dynamique): no value is recorded."""

    @property
    def ratio(self) -> bool:
        return bool(self.numerator)


class PeriodValue(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    value: float | None
    """None: missing (a closed period without a value), or a ratio over an empty base."""
    numerator: float | None = None
    denominator: float | None = None
    on_target: bool | None = None
    """None without a target, a direction or a value."""
    missing: bool = False


class IndicatorRow(msgspec.Struct, frozen=True, kw_only=True):
    definition: Definition
    target: float | None
    values: list[PeriodValue]
    """Recorded periods and missing closed ones, oldest first."""
    years: list[PeriodValue]
    """The figure of each year (ratios of the sums), oldest first: the yearly trend."""

    @property
    def off_target(self) -> list[PeriodValue]:
        return [v for v in self.values if v.on_target is False]

    @property
    def missing(self) -> list[str]:
        return [v.period for v in self.values if v.missing]


class IndicatorsView(msgspec.Struct, frozen=True, kw_only=True):
    indicators: list[IndicatorRow]

    def to_builtins(self) -> Any:
        """`{"indicators": [{"id", "name", "unit", "target", "values": [{"period", "value", "on_target"}]}]}`;
        a missing period has a null value."""
        return {"indicators": [
            {"id": row.definition.id, "name": row.definition.name, "unit": row.definition.unit, "target": row.target,
             "values": [{"period": v.period, "value": v.value, "on_target": v.on_target} for v in row.values]}
            for row in self.indicators]}


class EcartProposal(msgspec.Struct, frozen=True, kw_only=True):
    """The écart an off-target value proposes: confirmed by `raise_ecart`, never raised silently."""

    source: str
    text: str
    ref: str
    existing: str | None = None
    """The écart already raised for this value, if any."""


class RecordedValue(msgspec.Struct, frozen=True, kw_only=True):
    """A value just recorded, as shown, and the écart it proposes when off target."""

    definition: Definition
    value: PeriodValue
    proposal: EcartProposal | None


class MissingValue(msgspec.Struct, frozen=True, kw_only=True):
    """A closed period of a followed indicator without a value (for the agenda)."""

    indicator: str
    name: str
    period: str
    closed_on: str
    """The last day of the period."""


# Periods ----------------------------------------------------------------------------------------

def check_period(period: str, kind: str) -> str:
    value = (period or "").strip().upper() if kind == "quarter" else (period or "").strip()
    if not _PERIOD[kind].match(value):
        raise UserError(f"période invalide « {period} » : l'indicateur se suit par {INDICATOR_PERIODS[kind]}, "
                        f"attendu {_PERIOD_EXAMPLE[kind]}")
    return value


def periods_of(kind: str, year: int) -> list[str]:
    if kind == "year":
        return [str(year)]
    if kind == "quarter":
        return [f"{year}-T{q}" for q in range(1, 5)]
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a period string of any kind."""
    year = int(period[:4])
    if len(period) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    if period[5] == "T":
        quarter = int(period[6])
        first = date(year, 3 * quarter - 2, 1)
        following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return first, following - timedelta(days=1)
    month = int(period[5:7])
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


# Definitions -------------------------------------------------------------------------------------

def _from_referential(tree: ReferentialTree, indicator: Indicator, computed: bool = False) -> Definition:
    def given(value: Any) -> Any:
        return None if value is UNSET else value

    return Definition(id=indicator.id, name=indicator.name, unit=indicator.unit, direction=given(indicator.direction),
                      period=given(indicator.period), numerator=given(indicator.numerator) or "",
                      denominator=given(indicator.denominator) or "", origin=tree.id,
                      engagement=indicator.engagement or "", source=given(indicator.source) or "", computed=computed)


def referential_definitions(trees: Iterable[ReferentialTree]) -> list[Definition]:
    """The indicators the referentials state: on their nodes, and the exit rate."""
    found = []
    for tree in trees:
        found += [_from_referential(tree, indicator) for node in tree.walk() for indicator in node.indicators]
        if tree.referential.exit_rate is not UNSET:
            found.append(_from_referential(tree, tree.referential.exit_rate.indicator, computed=True))
    return found


def definitions(snapshot: StructureSnapshot, trees: Iterable[ReferentialTree]) -> list[Definition]:
    """Every indicator the structure can follow, the target's direction and period applied."""
    targets = {t.indicator: t for t in snapshot.indicator_targets}
    own = [Definition(id=d.id, name=d.name, unit=d.unit, direction=d.direction, period=d.period,
                      numerator=d.numerator, denominator=d.denominator, origin="structure")
           for d in snapshot.indicator_definitions]
    applied = []
    for definition in referential_definitions(trees) + own:
        target = targets.get(definition.id)
        if target is not None:
            definition = msgspec.structs.replace(definition, direction=definition.direction or target.direction,
                                                 period=definition.period or target.period)
        applied.append(definition)
    return applied


def _followed(definition: Definition, snapshot: StructureSnapshot, structure_referentials: set[str]) -> bool:
    return (definition.origin == "structure" or definition.origin in structure_referentials
            or any(t.indicator == definition.id for t in snapshot.indicator_targets)
            or any(v.indicator == definition.id for v in snapshot.indicator_values))


# Values, the trend -------------------------------------------------------------------------------

def _figure(definition: Definition, numerator: float | None, denominator: float | None,
            value: float | None) -> float | None:
    if not definition.ratio:
        return value
    if not denominator:
        return None
    if definition.unit == "%":
        return round(100 * numerator / denominator, 1)  # as the exit rate rounds it
    return round(numerator / denominator, 2)


def _on_target(definition: Definition, target: float | None, value: float | None) -> bool | None:
    if target is None or value is None or definition.direction is None:
        return None
    return value >= target if definition.direction == "higher" else value <= target


def _start(definition: Definition, snapshot: StructureSnapshot, recorded: dict[str, tuple]) -> date | None:
    """Where following the indicator starts: its first value, or the day its target or its
    definition was set; None when nothing says the structure follows it."""
    starts = [period_bounds(p)[0] for p in recorded]
    starts += [date.fromisoformat(t.at[:10]) for t in snapshot.indicator_targets if t.indicator == definition.id]
    starts += [date.fromisoformat(d.at[:10]) for d in snapshot.indicator_definitions if d.id == definition.id]
    return min(starts, default=None)


def row_of(definition: Definition, snapshot: StructureSnapshot, trees: Sequence[ReferentialTree], today: date,
           year: int | None = None) -> IndicatorRow:
    """The indicator's values (recorded and missing), on-target flags and yearly figures."""
    target_record = next((t for t in snapshot.indicator_targets if t.indicator == definition.id), None)
    target = None if target_record is None else target_record.target
    recorded = _figures(definition, snapshot, trees)
    values = []
    start = _start(definition, snapshot, recorded)
    periods = set(recorded)
    if definition.period is not None and start is not None:
        for y in range(start.year, today.year + 1):
            periods |= {p for p in periods_of(definition.period, y)
                        if period_bounds(p)[1] >= start and period_bounds(p)[1] < today}
    for period in sorted(periods, key=lambda p: period_bounds(p)):
        if year is not None and int(period[:4]) != year:
            continue
        if period in recorded:
            numerator, denominator, value = recorded[period]
            figure = _figure(definition, numerator, denominator, value)
            values.append(PeriodValue(period=period, value=figure, numerator=numerator, denominator=denominator,
                                      on_target=_on_target(definition, target, figure)))
        else:
            values.append(PeriodValue(period=period, value=None, missing=True))
    years = []
    comparable = definition.ratio or definition.period == "year"  # a sum of monthly counts is not
    for y in sorted({int(p[:4]) for p in recorded}):
        if year is not None and y != year:
            continue
        rows = [figures for p, figures in recorded.items() if int(p[:4]) == y]
        numerator = sum(r[0] or 0 for r in rows) if definition.ratio else None
        denominator = sum(r[1] or 0 for r in rows) if definition.ratio else None
        total = None if definition.ratio else sum(r[2] or 0 for r in rows)
        figure = _figure(definition, numerator, denominator, total)
        years.append(PeriodValue(period=str(y), value=figure, numerator=numerator, denominator=denominator,
                                 on_target=_on_target(definition, target, figure) if comparable else None))
    return IndicatorRow(definition=definition, target=target, values=values, years=years)


def _figures(definition: Definition, snapshot: StructureSnapshot,
             trees: Sequence[ReferentialTree]) -> dict[str, tuple[float | None, float | None, float | None]]:
    """Period → (numerator, denominator, value) as recorded, or computed from the exits register."""
    if definition.computed:
        tree = next(t for t in trees if t.id == definition.origin)
        return {str(y): (n, d, None) for y, (n, d) in exits.yearly_figures(tree.referential.exit_rate, snapshot).items()}
    return {v.period: (v.numerator, v.denominator, v.value) for v in snapshot.indicator_values
            if v.indicator == definition.id}


def missing_values(snapshot: StructureSnapshot, trees: Iterable[ReferentialTree], today: date) -> list[MissingValue]:
    """For the agenda: each (indicator, closed period) without a value, for the indicators the
    structure follows (its own, and those it set a target for or recorded a value of), from the
    first period it followed them in; `trees` are the installed referentials."""
    trees = list(trees)
    missing = []
    for definition in definitions(snapshot, trees):
        if not _followed(definition, snapshot, set()):
            continue
        row = row_of(definition, snapshot, trees, today)
        missing += [MissingValue(indicator=definition.id, name=definition.name, period=period,
                                 closed_on=period_bounds(period)[1].isoformat()) for period in row.missing]
    return missing


# Use cases -------------------------------------------------------------------------------------

def list_indicators(workspace: Workspace, structure_id: str, year: int | None = None,
                    today: date | None = None) -> IndicatorsView:
    """The indicators the structure follows: its own, those of its referentials, and any it set
    a target for or recorded; with `year`, that year's periods only."""
    today = today or date.today()
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    trees = workspace.referentials()
    mine = {tree.id for tree in followed_trees(workspace, snapshot)}
    rows = [row_of(d, snapshot, trees, today, year) for d in definitions(snapshot, trees)
            if _followed(d, snapshot, mine)]
    return IndicatorsView(indicators=rows)


def indicator_row(workspace: Workspace, structure_id: str, indicator_id: str, today: date | None = None) -> IndicatorRow:
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    trees = workspace.referentials()
    return row_of(_find(definitions(snapshot, trees), indicator_id), snapshot, trees, today or date.today())


def _find(found: list[Definition], indicator_id: str) -> Definition:
    for definition in found:
        if definition.id == indicator_id:
            return definition
    raise UserError(f"indicateur inconnu « {indicator_id} » : ni d'un référentiel installé, ni défini par la "
                    "structure (indicator define)")


def define_indicator(workspace: Workspace, structure_id: str, indicator_id: str, name: str, direction: str,
                     period: str, unit: str = "", numerator: str = "", denominator: str = "",
                     description: str = "") -> IndicatorDefinition:
    """Add or change one of the structure's own indicators; a referential's id is refused."""
    if not IDENTIFIER.match(indicator_id or ""):
        raise UserError(f"identifiant d'indicateur invalide « {indicator_id} » : lettres, chiffres, « . _ - »")
    if indicator_id in {d.id for d in referential_definitions(workspace.referentials())}:
        raise UserError(f"« {indicator_id} » est un indicateur d'un référentiel : choisir un autre identifiant")
    numerator = check_optional_text(numerator, "le numérateur")
    denominator = check_optional_text(denominator, "le dénominateur")
    if bool(numerator) != bool(denominator):
        raise UserError("un ratio a un numérateur et un dénominateur : donner les deux, ou aucun")
    definition = IndicatorDefinition(
        id=indicator_id, name=check_text(name, "le nom de l'indicateur"), unit=check_optional_text(unit, "l'unité"),
        direction=check_choice(direction, INDICATOR_DIRECTIONS, "sens"),
        period=check_choice(period, INDICATOR_PERIODS, "période"), numerator=numerator, denominator=denominator,
        description=check_optional_text(description, "la description"), at=now())
    with open_structure(workspace, structure_id) as session:
        session.plan_file().set_indicator_definition(definition)
    return definition


def set_target(workspace: Workspace, structure_id: str, indicator_id: str, target: float,
               direction: str | None = None, period: str | None = None) -> IndicatorTarget:
    """Set the structure's target; the direction and period only where the definition leaves them
    open (a definition that states them is not contradicted)."""
    with open_structure(workspace, structure_id) as session:
        snapshot = session.snapshot()
        stated = _find(definitions(msgspec.structs.replace(snapshot, indicator_targets=[]),
                                   workspace.referentials()), indicator_id)
        previous = next((t for t in snapshot.indicator_targets if t.indicator == indicator_id), None)
        direction = _open_setting(stated.direction, direction, INDICATOR_DIRECTIONS, "sens", "--direction")
        period = _open_setting(stated.period, period, INDICATOR_PERIODS, "période", "--period")
        if previous is not None:
            direction = direction or previous.direction
            period = period or previous.period
        if (stated.direction or direction) is None or (stated.period or period) is None:
            raise UserError(f"l'indicateur {indicator_id} ne dit pas son "
                            f"{'sens' if (stated.direction or direction) is None else 'rythme'} : le fixer avec "
                            f"{'--direction higher|lower' if (stated.direction or direction) is None else '--period month|quarter|year'}")
        if target != target or abs(target) > 1e12:
            raise UserError(f"cible invalide « {target} »")
        record = IndicatorTarget(indicator=indicator_id, target=target, direction=direction, period=period, at=now())
        session.plan_file().set_indicator_target(record)
    return record


def _open_setting(stated: str | None, given: str | None, choices: dict[str, str], what: str, option: str) -> str | None:
    if given is None:
        return None
    check_choice(given, choices, what)
    if stated is not None:
        if given != stated:
            raise UserError(f"le référentiel fixe déjà le {what} de cet indicateur ({stated}) : retirer {option}")
        return None
    return given


def record_value(workspace: Workspace, structure_id: str, indicator_id: str, period: str, value: float | None = None,
                 numerator: float | None = None, denominator: float | None = None,
                 today: date | None = None) -> RecordedValue:
    """Record a period's value (a ratio: its numerator and denominator)."""
    with open_structure(workspace, structure_id) as session:
        snapshot = session.snapshot()
        trees = workspace.referentials()
        definition = _find(definitions(snapshot, trees), indicator_id)
        if definition.computed:
            raise UserError(f"{indicator_id} se calcule depuis le registre des sorties : exits record")
        if definition.period is None:
            raise UserError(f"l'indicateur {indicator_id} ne dit pas son rythme : le fixer avec sa cible "
                            f"(indicator target … --period month|quarter|year)")
        period = check_period(period, definition.period)
        record = IndicatorValue(indicator=indicator_id, period=period, at=now(),
                                **_checked_figures(definition, value, numerator, denominator))
        session.plan_file().set_indicator_value(record)
        snapshot = session.snapshot()
    row = row_of(definition, snapshot, trees, today or date.today())
    shown = next(v for v in row.values if v.period == period)
    return RecordedValue(definition=definition, value=shown, proposal=(
        _proposal(definition, row.target, shown, snapshot) if shown.on_target is False else None))


def _checked_figures(definition: Definition, value: float | None, numerator: float | None,
                     denominator: float | None) -> dict[str, float | None]:
    if definition.ratio:
        if value is not None or numerator is None or denominator is None:
            raise UserError(f"{definition.id} est un ratio : donner --numerator ({definition.numerator}) et "
                            f"--denominator ({definition.denominator}), pas --value")
        if numerator < 0 or denominator < 0:
            raise UserError("numérateur et dénominateur sont des effectifs : positifs ou nuls")
        if definition.unit == "%" and numerator > denominator:
            raise UserError(f"un taux ne dépasse pas 100 % : numérateur {numerator:g} > dénominateur {denominator:g}")
        return {"numerator": numerator, "denominator": denominator}
    if value is None or numerator is not None or denominator is not None:
        raise UserError(f"{definition.id} n'est pas un ratio : donner --value seulement")
    if value != value or abs(value) > 1e12:
        raise UserError(f"valeur invalide « {value} »")
    return {"value": value}


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _proposal(definition: Definition, target: float | None, value: PeriodValue,
              snapshot: StructureSnapshot) -> EcartProposal:
    unit = f" {definition.unit}" if definition.unit else ""
    ref = f"indicateur {definition.id}, {value.period}"
    text = (f"Indicateur {definition.id} « {definition.name} » hors cible en {value.period} : "
            f"{_number(value.value)}{unit} pour une cible de {_number(target)}{unit} "
            f"({INDICATOR_DIRECTIONS[definition.direction]}).")
    existing = next((f.id for f in snapshot.findings if f.source == SOURCE and f.ref == ref), None)
    return EcartProposal(source=SOURCE, text=text, ref=ref, existing=existing)


def propose_ecart(workspace: Workspace, structure_id: str, indicator_id: str, period: str) -> EcartProposal:
    """The écart an off-target value proposes (text prefilled); refused for a value on target."""
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    trees = workspace.referentials()
    definition = _find(definitions(snapshot, trees), indicator_id)
    row = row_of(definition, snapshot, trees, date.today())
    value = next((v for v in row.values + row.years if v.period == period.strip().upper() and not v.missing), None)
    if value is None:
        raise UserError(f"aucune valeur de {indicator_id} pour « {period} »")
    if value.on_target is not False:
        raise UserError(f"{indicator_id} en {value.period} n'est pas hors cible : pas d'écart à proposer")
    return _proposal(definition, row.target, value, snapshot)


def raise_ecart(workspace: Workspace, structure_id: str, indicator_id: str, period: str, text: str | None = None) -> str:
    """Confirm the proposed écart (its text, or `text`) into the improvement plan; returns its id."""
    proposal = propose_ecart(workspace, structure_id, indicator_id, period)
    if proposal.existing is not None:
        raise UserError(f"un écart est déjà ouvert pour {proposal.ref} : {proposal.existing}")
    with open_structure(workspace, structure_id) as session:
        return session.add_ecart(SOURCE, text or proposal.text, ref=proposal.ref).id
