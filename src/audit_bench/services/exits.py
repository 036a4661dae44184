"""The exits register and the taux de sortie dynamique (seed 001, lines 46-61).

The register holds counts, never persons: per year, per horizon (months after the exit) and per
exit situation, how many exits there were. The situations, their classes and the variants of the
rate (the official one, the URIAE one) are the data of the referential that states the rate (the
iae_os plugin's `exit_rate`); a structure may add its own variant (line 48). Every variant is
computed at every horizon, side by side, with its formula and counts.
"""

from __future__ import annotations

from typing import Any

import msgspec

from audit_bench.model import StructureSnapshot
from audit_bench.model.indicators import ExitCount, LocalExitVariant
from audit_bench.model.vocab import EXIT_CLASSES
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import ExitRate, ExitVariant
from audit_bench.services.clock import now
from audit_bench.services.structures import open_structure
from audit_bench.services.validation import UserError, check_text
from audit_bench.services.workspace import Workspace

MAX_COUNT = 1_000_000
"""More exits than this in a year is a typing error."""


class VariantRate(msgspec.Struct, frozen=True, kw_only=True):
    """One variant of the rate at one horizon: the rate in percent (None on an empty base)."""

    id: str
    label: str
    rate: float | None
    numerator: int
    denominator: int
    formula: str
    """The formula in words with the counts, as printed: « (…) / (…) = 7 / 10 = 70,0 % »."""


class HorizonRates(msgspec.Struct, frozen=True, kw_only=True):
    months: int
    variants: list[VariantRate]
    """The referential's variants in its order (the official first), then the structure's."""
    total: int
    """Every exit counted at this horizon."""
    by_class: dict[str, int]
    """Exits per class (`model.vocab.EXIT_CLASSES`), for the breakdown."""


class ExitRateView(msgspec.Struct, frozen=True, kw_only=True):
    """`exit-rate STRUCT --year Y`: every horizon, every variant."""

    year: int
    referential: str
    horizons: list[HorizonRates]
    local: str | None = None
    """The structure's variant `--variant` asked for in the JSON, if any."""

    def to_builtins(self) -> Any:
        """`{"horizons": [{"months", "official": {"rate", "numerator", "denominator"}, "uriae": {…}}]}`:
        one key per variant of the referential (its ids), and `local` for the variant asked for."""
        def figures(rate: VariantRate) -> dict[str, Any]:
            return {"rate": rate.rate, "numerator": rate.numerator, "denominator": rate.denominator}

        horizons = []
        for horizon in self.horizons:
            entry: dict[str, Any] = {"months": horizon.months}
            for rate in horizon.variants:
                if rate.id == self.local:
                    entry["local"] = figures(rate)
                elif not rate.id.startswith(LOCAL_PREFIX):
                    entry[rate.id] = figures(rate)
            horizons.append(entry)
        return {"horizons": horizons}


LOCAL_PREFIX = "local:"
"""How a structure's variant is told from the referential's in a `VariantRate.id`."""


# The definition ------------------------------------------------------------------------------

def exit_rate_tree(workspace: Workspace) -> ReferentialTree:
    """The installed referential that states the taux de sortie dynamique (the first by id)."""
    for tree in sorted(workspace.referentials(), key=lambda tree: tree.id):
        if tree.referential.exit_rate is not msgspec.UNSET:
            return tree
    raise UserError("aucun référentiel installé ne définit le taux de sortie dynamique "
                    "(le greffon iae_os le fournit)")


def situation_labels(rate: ExitRate) -> dict[str, str]:
    return {situation.id: situation.label for situation in rate.situations}


def _members(names: list[str], rate: ExitRate) -> set[str]:
    """The situation ids that classes or situation ids name."""
    return {s.id for s in rate.situations if s.id in names or s.class_ in names}


def _name(name: str, rate: ExitRate) -> str:
    return EXIT_CLASSES.get(name) or situation_labels(rate).get(name, name)


def compute(rate: ExitRate, variant: ExitVariant | LocalExitVariant, counts: dict[str, int], rate_id: str) -> VariantRate:
    """The variant's rate on `counts` (situation → exits): the exits of the counted classes or
    situations over every exit but the excluded ones; an excluded situation counts in neither."""
    excluded = _members(variant.excluded, rate)
    counted = _members(variant.counted, rate) - excluded
    numerator = sum(counts.get(s, 0) for s in counted)
    denominator = sum(n for s, n in counts.items() if s not in excluded)
    value = round(100 * numerator / denominator, 1) if denominator else None
    above = " + ".join(_name(name, rate) for name in variant.counted)
    below = "toutes les sorties" + "".join(f" − {_name(name, rate)}" for name in variant.excluded)
    shown = "sans base" if value is None else f"{value:.1f} %".replace(".", ",")
    return VariantRate(id=rate_id, label=variant.label, rate=value, numerator=numerator, denominator=denominator,
                       formula=f"({above}) / ({below}) = {numerator} / {denominator} = {shown}")


def counts_of(snapshot: StructureSnapshot, year: int, months: int) -> dict[str, int]:
    return {c.situation: c.count for c in snapshot.exit_counts if c.year == year and c.months == months}


def rates(rate: ExitRate, snapshot: StructureSnapshot, year: int) -> list[HorizonRates]:
    """Every horizon of the referential, every variant (the referential's, then the structure's)."""
    classes = {s.id: s.class_ for s in rate.situations}
    horizons = []
    for months in rate.horizons:
        counts = counts_of(snapshot, year, months)
        by_class = dict.fromkeys(EXIT_CLASSES, 0)
        for situation, count in counts.items():
            if situation in classes:
                by_class[classes[situation]] += count
        variants = [compute(rate, v, counts, v.id) for v in rate.variants]
        variants += [compute(rate, v, counts, LOCAL_PREFIX + v.id) for v in snapshot.exit_variants]
        horizons.append(HorizonRates(months=months, variants=variants, total=sum(counts.values()), by_class=by_class))
    return horizons


def yearly_figures(rate: ExitRate, snapshot: StructureSnapshot) -> dict[int, tuple[int, int]]:
    """The rate as an indicator: per year with exits counted, the numerator and denominator of
    the first variant (the official one) at the first horizon (à la sortie)."""
    first = rate.variants[0]
    years = sorted({c.year for c in snapshot.exit_counts if c.months == rate.horizons[0]})
    figures = {}
    for year in years:
        computed = compute(rate, first, counts_of(snapshot, year, rate.horizons[0]), first.id)
        figures[year] = (computed.numerator, computed.denominator)
    return figures


# Use cases ------------------------------------------------------------------------------------

def exit_rate(workspace: Workspace, structure_id: str, year: int, variant: str | None = None) -> ExitRateView:
    tree = exit_rate_tree(workspace)
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    if variant is not None and variant not in {v.id for v in snapshot.exit_variants}:
        raise UserError(f"variante locale inconnue « {variant} » : la définir d'abord (exits variant)")
    return ExitRateView(year=_year(year), referential=tree.id, horizons=rates(tree.referential.exit_rate, snapshot, year),
                        local=None if variant is None else LOCAL_PREFIX + variant)


def record_exits(workspace: Workspace, structure_id: str, year: int, months: int,
                 counts: dict[str, int]) -> list[ExitCount]:
    """Record the counts of one year and horizon (situation → exits), in one durable write;
    a situation not given keeps its count."""
    rate = exit_rate_tree(workspace).referential.exit_rate
    year = _year(year)
    if months not in rate.horizons:
        raise UserError(f"horizon inconnu « {months} » mois : choisir parmi {', '.join(map(str, rate.horizons))}")
    if not counts:
        raise UserError("aucun effectif : donner SITUATION=NOMBRE (ex. cdi=4)")
    known = situation_labels(rate)
    for situation, count in counts.items():
        if situation not in known:
            raise UserError(f"situation de sortie inconnue « {situation} » : choisir parmi {', '.join(known)}")
        if not 0 <= count <= MAX_COUNT:
            raise UserError(f"effectif invalide {count} pour « {situation} » : un nombre de 0 à {MAX_COUNT}")
    at = now()
    rows = [ExitCount(year=year, months=months, situation=s, count=n, at=at) for s, n in counts.items()]
    with open_structure(workspace, structure_id) as session:
        session.plan_file().set_exit_counts(rows)
    return rows


def set_local_variant(workspace: Workspace, structure_id: str, variant_id: str, label: str, counted: list[str],
                      excluded: list[str]) -> LocalExitVariant:
    """Add or replace the structure's own variant of the rate (seed 001, line 48)."""
    rate = exit_rate_tree(workspace).referential.exit_rate
    variant_id = check_text(variant_id, "l'identifiant de la variante")
    if variant_id in {v.id for v in rate.variants} or variant_id == "local":
        raise UserError(f"« {variant_id} » est une variante du référentiel : choisir un autre identifiant")
    if not counted:
        raise UserError("une variante compte au moins une classe ou une situation (--counted)")
    known = set(EXIT_CLASSES) | set(situation_labels(rate))
    for name in counted + excluded:
        if name not in known:
            raise UserError(f"« {name} » n'est ni une classe de sortie ({', '.join(EXIT_CLASSES)}) ni une "
                            "situation de sortie")
    variant = LocalExitVariant(id=variant_id, label=check_text(label, "le libellé de la variante"), counted=counted,
                               excluded=excluded, at=now())
    with open_structure(workspace, structure_id) as session:
        session.plan_file().set_exit_variant(variant)
    return variant


def parse_counts(pairs: list[str]) -> dict[str, int]:
    """`cdi=4 inactif=2` → {"cdi": 4, "inactif": 2}; a malformed pair is refused by name."""
    counts: dict[str, int] = {}
    for pair in pairs:
        situation, sep, number = pair.partition("=")
        if not sep or not situation.strip() or not number.strip().isdigit():
            raise UserError(f"effectif mal écrit « {pair} » : attendu SITUATION=NOMBRE (ex. cdi=4)")
        if situation.strip() in counts:
            raise UserError(f"situation donnée deux fois « {situation.strip()} »")
        counts[situation.strip()] = int(number)
    return counts


def _year(year: int) -> int:
    if not 1900 <= year <= 2200:
        raise UserError(f"année invalide « {year} » : attendu AAAA")
    return year
