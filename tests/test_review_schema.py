"""What a referential says its management review must cover: optional, validated, refused with `file:line`."""

from __future__ import annotations

import msgspec
import pytest

from audit_bench.referential import ReferentialError, load_referential
from support import MINI_YAML

REVIEW = """
review:
  section: "6.7"
  participants: [president, direction]
  inputs:
    - id: audits
      title: Les écarts des audits internes réalisés
      section: "6.7"
      line: 341
      reads: audits
    - id: reclamations
      title: Les réclamations et leur traitement
      line: 342
      reads: complaints
  outputs:
    - kind: action
      title: De nouvelles actions curatives, correctives ou préventives
      line: 348
"""


def with_review(tmp_path, review: str = REVIEW):
    path = tmp_path / "review.yaml"
    path.write_text(MINI_YAML.read_text(encoding="utf-8") + review, encoding="utf-8")
    return path


def line_of(path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if fragment in line)


def test_a_review_is_read_with_its_inputs_in_order_and_its_decisions(tmp_path):
    review = load_referential(with_review(tmp_path)).review
    assert [(i.id, i.reads, i.line) for i in review.inputs] == [("audits", "audits", 341),
                                                               ("reclamations", "complaints", 342)]
    assert review.participants == ["president", "direction"] and review.outputs[0].kind == "action"


def test_a_referential_without_review_keeps_its_encoding():
    assert b'"review"' not in msgspec.json.encode(load_referential(MINI_YAML))


@pytest.mark.parametrize(("change", "replacement", "expected", "at_line"), [
    ("reads: complaints", "reads: coffee", "reads", "reads: coffee"),
    ("id: reclamations", "id: audits  # doublon", "entrée de la revue « audits » en double", "# doublon"),
    ("- kind: action", "- kind: party", "kind", "kind: party"),
    ("[president, direction]", "[president, tresorier]", "participants", "tresorier"),
    ("line: 342", "line: 0", "line", "line: 0"),
])
def test_a_wrong_review_is_refused_with_its_line(tmp_path, change, replacement, expected, at_line):
    assert change in REVIEW
    path = with_review(tmp_path, REVIEW.replace(change, replacement))
    with pytest.raises(ReferentialError) as refused:
        load_referential(path)
    message = str(refused.value)
    assert expected in message
    assert message.startswith(f"{path}:{line_of(path, at_line)}:"), message


def test_a_review_without_inputs_is_refused(tmp_path):
    path = with_review(tmp_path, "review:\n  inputs: []\n")
    with pytest.raises(ReferentialError, match="review.inputs"):
        load_referential(path)
