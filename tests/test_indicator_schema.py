"""Indicators and the taux de sortie dynamique in a referential's data: optional, validated,
refused with `file:line`; data written before them keeps its hash."""

from __future__ import annotations

import msgspec
import pytest

from audit_bench.referential import ReferentialError, load_referential
from support import MINI_YAML

INDICATOR = "- {id: delai-accueil, name: Délai moyen d'accueil, unit: jours, engagement: \"1.2\"}"

EXIT_RATE = """
exit_rate:
  indicator: {id: TSD, name: Taux de sortie dynamique, unit: "%", direction: higher, period: year,
              numerator: sorties dynamiques, denominator: sorties}
  horizons: [0, 6]
  situations:
    - {id: cdi, label: CDI, class: emploi-durable, source: essai}
    - {id: inactif, label: Inactif, class: autre, source: essai}
  variants:
    - {id: official, label: Officielle, counted: [emploi-durable], excluded: [neutralisee], source: essai}
    - {id: uriae, label: URIAE, counted: [emploi-durable], excluded: [inactif], source: essai}
"""


def written(tmp_path, indicator: str = INDICATOR, tail: str = ""):
    text = MINI_YAML.read_text(encoding="utf-8")
    assert INDICATOR in text
    path = tmp_path / "ref.yaml"
    path.write_text(text.replace(INDICATOR, indicator) + tail, encoding="utf-8")
    return path


def line_of(path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if fragment in line)


def indicator_of(referential):
    return next(i for n in referential.nodes for c in n.children for i in c.indicators)


def test_data_without_the_new_fields_encodes_as_before():
    referential = load_referential(MINI_YAML)
    assert b'"exit_rate"' not in msgspec.json.encode(referential)
    assert msgspec.json.decode(msgspec.json.encode(indicator_of(referential))) == {
        "id": "delai-accueil", "name": "Délai moyen d'accueil", "unit": "jours", "engagement": "1.2",
        "target_required": True, "description": ""}


def test_a_ratio_with_direction_and_period_and_an_exit_rate_are_read(tmp_path):
    ratio = ("- {id: delai-accueil, name: Délai, unit: jours, direction: lower, period: month, "
             "numerator: jours cumulés, denominator: personnes, source: essai}")
    referential = load_referential(written(tmp_path, ratio, EXIT_RATE))
    indicator = indicator_of(referential)
    assert (indicator.direction, indicator.period, indicator.numerator) == ("lower", "month", "jours cumulés")
    assert [v.id for v in referential.exit_rate.variants] == ["official", "uriae"]


@pytest.mark.parametrize("indicator, tail, expected, at_line", [
    ("- {id: d, name: D, numerator: jours}", "", "donner numerator et denominator", "numerator: jours"),
    ("- {id: d, name: D, direction: up}", "", "direction", "direction: up"),
    ("- {id: d, name: D, period: week}", "", "period", "period: week"),
    (INDICATOR, EXIT_RATE.replace("excluded: [inactif]", "excluded: [retraite]"), "« retraite »", "indicator:"),
    (INDICATOR, EXIT_RATE.replace("class: autre", "class: perdue"), "class", "class: perdue"),
])
def test_a_wrong_indicator_or_exit_rate_is_refused_with_its_line(tmp_path, indicator, tail, expected, at_line):
    path = written(tmp_path, indicator, tail)
    with pytest.raises(ReferentialError) as refused:
        load_referential(path)
    message = str(refused.value)
    assert expected in message
    assert message.startswith(f"{path}:{line_of(path, at_line)}:"), message
