"""Load a referential data file (YAML or TOML) and refuse it with `file:line: what is wrong`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import msgspec
from msgspec import UNSET

if TYPE_CHECKING:
    import yaml

from audit_bench.referential.reading import MAX_DEPTH, ReferentialError, check_toml, check_yaml, read_text
from audit_bench.referential.schema import NA, PERIOD_MONTHS, SCHEMA_VERSION, Node, Referential, ScaleLevel

_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[['\"]?([^\]'\"]+)['\"]?\]")
_MSGSPEC_PATH = re.compile(r" - at `(\$[^`]*)`$")


@dataclass(frozen=True)
class Problem:
    path: str
    """A `$.nodes[0].children[2].id` path into the document."""
    message: str


def load_referential(path: Path) -> Referential:
    """Parse and validate one data file; every problem found is reported, one per line."""
    raw_text = read_text(path)
    if path.suffix == ".toml":
        return _load_toml(path, raw_text)
    return _load_yaml(path, raw_text)


def _load_yaml(path: Path, raw_text: str) -> Referential:
    import yaml  # lazily: the TUI's first screen never parses YAML

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        check_yaml(path, raw_text, loader_class)
        loader = loader_class(raw_text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise ReferentialError(_yaml_problem(path, raw_text, exc)) from exc
    if root is None:
        raise ReferentialError(f"{path}:1: fichier vide")

    def line_of(problem_path: str) -> int:
        return _yaml_line(root, problem_path)

    return _validate(path, data, line_of)


def _yaml_problem(path: Path, raw_text: str, exc: yaml.YAMLError) -> str:
    """One line whatever PyYAML's error looks like (a reader error spans lines and has no mark)."""
    import yaml

    if isinstance(exc, yaml.reader.ReaderError):
        line = raw_text.count("\n", 0, exc.position) + 1
        return f"{path}:{line}: YAML invalide: caractère #x{exc.character:04x} interdit ({exc.reason})"
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else 1
    if "nesting depth" in str(getattr(exc, "problem", "")):
        # libyaml 0.2.6 (PyYAML 6.0.3+) stops at its own depth limit before our event check sees 64 levels.
        return f"{path}:{line}: imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"
    return f"{path}:{line}: YAML invalide: {' '.join(str(getattr(exc, 'problem', None) or exc).split())}"


def _load_toml(path: Path, raw_text: str) -> Referential:
    import tomllib

    check_toml(path, raw_text)
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ReferentialError(f"{path}:{found.group(1) if found else 1}: TOML invalide: {exc}") from exc

    def line_of(problem_path: str) -> int:
        return _toml_line(raw_text, problem_path)

    return _validate(path, data, line_of)


def _validate(path: Path, data: Any, line_of) -> Referential:
    if not isinstance(data, dict):
        raise ReferentialError(f"{path}:1: le document doit être un dictionnaire (clé: valeur)")
    try:
        referential = msgspec.convert(data, Referential)
    except msgspec.ValidationError as exc:
        message = str(exc)
        found = _MSGSPEC_PATH.search(message)
        problem_path = found.group(1) if found else "$"
        what = _MSGSPEC_PATH.sub("", message)
        raise ReferentialError(f"{path}:{line_of(problem_path)}: {problem_path}: {what}") from exc
    problems = list(semantic_problems(referential))
    if problems:
        lines = [f"{path}:{line_of(p.path)}: {p.path}: {p.message}" for p in problems]
        raise ReferentialError("\n".join(lines))
    return referential


def semantic_problems(referential: Referential) -> Iterator[Problem]:
    """What the types alone cannot say: unique ids, references that resolve, a usable scale."""
    if referential.schema_version > SCHEMA_VERSION:
        yield Problem("$.schema_version", f"version de schéma {referential.schema_version} inconnue "
                      f"(cette version d'audit-bench lit jusqu'à {SCHEMA_VERSION})")
    type_ids = [t.id for t in referential.siae_types]
    yield from _duplicates("$.siae_types", type_ids, "type de structure")
    values = [level.value for level in referential.scale]
    yield from _duplicates("$.scale", values, "valeur d'échelle")
    for i, level in enumerate(referential.scale):
        if level.value == NA:
            yield Problem(f"$.scale[{i}].value", f"« {NA} » est réservé au non-applicable")
    keys = [rating_key(level, i) for i, level in enumerate(referential.scale)]
    yield from _duplicates("$.scale", keys, "touche de cotation")
    yield from _duplicates("$.finding_classes", [c.id for c in referential.finding_classes], "classe d'écart")
    yield from _finding_links(referential)
    seen: dict[str, str] = {}
    ratable = 0
    for node_path, node in _walk(referential.nodes, "$.nodes"):
        if node.id in seen:
            yield Problem(f"{node_path}.id", f"identifiant « {node.id} » déjà utilisé en {seen[node.id]}")
        seen.setdefault(node.id, node_path)
        ratable += node.ratable
        if node.ratable and node.children:
            yield Problem(f"{node_path}.children", f"l'exigence cotable « {node.id} » a des sous-exigences : "
                          "en faire un regroupement (ratable: false) et coter ses enfants")
        if not node.title and not node.text:
            yield Problem(node_path, f"le nœud « {node.id} » n'a ni titre ni texte")
        for type_id in node.variants:
            if type_id not in type_ids:
                yield Problem(f"{node_path}.variants", f"type de structure « {type_id} » non déclaré dans siae_types")
    if ratable == 0:
        yield Problem("$.nodes", "aucune exigence cotable (ratable: true)")
    for node_path, node in _walk(referential.nodes, "$.nodes"):
        for j, indicator in enumerate(node.indicators):
            if indicator.engagement and indicator.engagement not in seen:
                yield Problem(f"{node_path}.indicators[{j}].engagement",
                              f"engagement « {indicator.engagement} » inconnu")
    for i, annex in enumerate(referential.annexes):
        for node_id in annex.applies_to:
            if node_id not in seen:
                yield Problem(f"$.annexes[{i}].applies_to", f"nœud « {node_id} » inconnu")
    bands = [band.min_percent for band in referential.score_bands]
    if bands != sorted(bands):
        yield Problem("$.score_bands", "les seuils doivent être donnés par min_percent croissant")
    yield from _cycle_problems(referential)
    yield from _review_problems(referential)


def _review_problems(referential: Referential) -> Iterator[Problem]:
    """Each input and each kind of decision once, each role once."""
    review = referential.review
    if review is UNSET:
        return
    yield from _duplicates("$.review.inputs", [i.id for i in review.inputs], "entrée de la revue")
    yield from _duplicates("$.review.outputs", [o.kind for o in review.outputs], "décision de la revue")
    yield from _duplicates("$.review.participants", list(review.participants), "participant de la revue")


def _cycle_problems(referential: Referential) -> Iterator[Problem]:
    """One audit of each kind in a cycle, each field where it means something, obligations that
    cut the year into whole periods."""
    cycle = referential.cycle
    if cycle is UNSET:
        return
    yield from _duplicates("$.cycle.audits", [audit.kind for audit in cycle.audits], "audit du cycle")
    for i, audit in enumerate(cycle.audits):
        if audit.kind == "renewal" and audit.every_months is not None:
            yield Problem(f"$.cycle.audits[{i}].every_months", "l'audit de renouvellement n'a pas d'intervalle : "
                          "il est dû avant la fin de validité (before_expiry_months)")
        if audit.kind == "surveillance" and audit.before_expiry_months:
            yield Problem(f"$.cycle.audits[{i}].before_expiry_months", "before_expiry_months ne concerne que "
                          "l'audit de renouvellement ; la surveillance se règle par every_months")
    yield from _duplicates("$.cycle.obligations", [o.id for o in cycle.obligations], "obligation")
    allowed = ", ".join(map(str, PERIOD_MONTHS))
    for i, obligation in enumerate(cycle.obligations):
        if obligation.every_months is not None and obligation.every_months not in PERIOD_MONTHS:
            yield Problem(f"$.cycle.obligations[{i}].every_months",
                          f"{obligation.every_months} mois ne découpe pas l'année en périodes entières : "
                          f"choisir parmi {allowed}")
        if obligation.auditors is not UNSET and obligation.met_by != "internal-audit":
            yield Problem(f"$.cycle.obligations[{i}].auditors",
                          "les exigences sur les auditeurs ne valent que pour un audit interne (met_by: internal-audit)")


def _finding_links(referential: Referential) -> Iterator[Problem]:
    """Each level that calls for a finding names a declared class (see `ScaleLevel`)."""
    class_ids = [cls.id for cls in referential.finding_classes]
    known = ", ".join(class_ids)
    for i, level in enumerate(referential.scale):
        if level.finding_class is UNSET:
            if level.requires_finding:
                yield Problem(f"$.scale[{i}].requires_finding",
                              f"la valeur « {level.value} » appelle un écart : nommer sa classe avec "
                              f"finding_class (l'une de : {known})")
        elif level.finding_class not in class_ids:
            yield Problem(f"$.scale[{i}].finding_class",
                          f"classe d'écart « {level.finding_class} » inconnue (déclarées dans finding_classes : {known})")


def rating_key(level: ScaleLevel, position: int) -> str:
    """The digit that rates at this level in one keystroke (see `ScaleLevel.key`)."""
    if level.key:
        return level.key
    return level.value if level.value.isdigit() and len(level.value) == 1 else str(position + 1)


def _duplicates(path: str, values: list[str], what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            yield Problem(f"{path}[{i}]", f"{what} « {value} » en double")
        seen.add(value)


def _walk(nodes: list[Node], path: str) -> Iterator[tuple[str, Node]]:
    for i, node in enumerate(nodes):
        node_path = f"{path}[{i}]"
        yield node_path, node
        yield from _walk(node.children, f"{node_path}.children")


def _path_parts(problem_path: str) -> list[str | int]:
    parts: list[str | int] = []
    for key, index, quoted in _PATH_PART.findall(problem_path.removeprefix("$")):
        parts.append(int(index) if index else key or quoted)
    return parts


def _yaml_line(root: yaml.Node, problem_path: str) -> int:
    """The line of the deepest YAML node the path reaches (a missing key points at its parent)."""
    import yaml

    node = root
    for part in _path_parts(problem_path):
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode) and part < len(node.value):
            node = node.value[part]
        elif isinstance(part, str) and isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                break
            node = match if not isinstance(match, yaml.ScalarNode) else next(
                k for k, v in node.value if v is match)
        else:
            break
    return node.start_mark.line + 1


def _toml_line(raw_text: str, problem_path: str) -> int:
    """TOML keeps no positions: point at the first line naming the last key of the path."""
    keys = [p for p in _path_parts(problem_path) if isinstance(p, str)]
    lines = raw_text.splitlines()
    for key in reversed(keys):
        for number, line in enumerate(lines, start=1):
            if re.match(rf"\s*(\[+[^\]]*\b{re.escape(key)}\b|{re.escape(key)}\s*=)", line):
                return number
    return 1


def content_hash(referential: Referential) -> str:
    """SHA-256 of the canonical encoding: the same content gives the same hash whatever the file format."""
    return hashlib.sha256(msgspec.json.encode(referential)).hexdigest()
