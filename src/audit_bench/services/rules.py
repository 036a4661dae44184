"""The rules of an audit, each decided here once and read by every face (CLI, TUI, report).

- Progress: an applicable requirement is assessed once it has a rating, N/A included; N/A leaves
  the score's maximum (see `scoring`), not the progress. A constat written before the rating
  (an assessment without one) does not make it assessed.
- An écart the auditor closed as resolved on site (`Finding.resolved_at`) is closed, and its
  actions owe nothing more.
- An écart is otherwise closed when every action it has is done and verified, and the latest verification
  found the treatment effective: an ineffective verification reopens the need for an action. An
  écart of a class that requires an action plan is open until then; an écart of a class that
  requires none (a point sensible, an observation) and has no action owes nothing: it is not open.
- An action is open until it is done and verified effective, or its écart is closed.
- These hold for an écart of any source (an audit, a contrôle, a réclamation…): whether its class
  requires an action plan comes from its referential, or from `model.vocab.ECART_CLASSES`.
- An open action is overdue once its due date is past and it is not done; it is to watch
  ("à surveiller") when overdue or due within `WATCH_DAYS` days.
- A rating calls for an écart when its scale level requires one; until one is written, the
  requirement is "écart à rédiger", not "avec écart".
- A rating contradicts an open écart of its requirement when the écart's class is one the scale
  calls for, and not the one the new rating calls for (an écart majeur left open on a requirement
  now rated conforme); the auditor then keeps it, closes it as resolved, or deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from audit_bench.model import Action, Assessment, AuditSnapshot, Finding, Progress
from audit_bench.referential import NA, ReferentialTree
from audit_bench.referential.schema import Node


WATCH_DAYS = 30
"""An open action due within this many days is to watch (« À surveiller »)."""


@dataclass(frozen=True)
class Pending:
    """Something an auditor still owes before the audit is complete."""

    requirement: str
    message: str


@dataclass(frozen=True)
class ClassCount:
    """The écarts of one finding class: `recorded` written, `open` of them still open, and
    `to_write`, ratings whose level calls for this class while no écart is written yet."""

    id: str
    label: str
    recorded: int
    open: int
    to_write: int


def ratings_of(snapshot: AuditSnapshot) -> dict[str, str]:
    """The rating of each assessed requirement (N/A included); a constat alone is not a rating."""
    return {a.requirement: a.rating for a in snapshot.assessments if a.rated}


def rated(snapshot: AuditSnapshot) -> dict[str, Assessment]:
    """The assessments that hold a rating, by requirement."""
    return {a.requirement: a for a in snapshot.assessments if a.rated}


def progress(tree: ReferentialTree, snapshot: AuditSnapshot, section: Node | None = None) -> Progress:
    """The audit's progress, or one section's when `section` is given."""
    siae_type = snapshot.header.siae_type
    if section is None:
        nodes: Iterable[Node] = tree.applicable_ratable(siae_type)
    else:
        nodes = (d for d in tree.descendants(section) if d.ratable and tree.applicable(d, siae_type))
    ratings = ratings_of(snapshot)
    assessed = total = na = 0
    for node in nodes:
        total += 1
        rating = ratings.get(node.id)
        if rating is not None:
            assessed += 1
            na += rating == NA
    return Progress(assessed, total, na)


def calls_for_finding(tree: ReferentialTree, rating: str | None) -> bool:
    return bool(rating) and tree.finding_class_for(rating) is not None


def verification_problem(action: Action) -> str | None:
    """Why the effectiveness of `action` cannot be verified yet, or None when it can."""
    if action.status != "done":
        return (f"l'efficacité de l'action {action.id} ne peut être vérifiée qu'une fois l'action "
                "réalisée (statut done)")
    return None


def _verdict(actions: list[Action]) -> bool | None:
    """The latest verification's result once every action is done and verified; None before."""
    if not actions or any(a.status != "done" or a.effective is None for a in actions):
        return None
    latest = max(enumerate(actions), key=lambda pair: (pair[1].verified_at or "", pair[0]))[1]
    return latest.effective


def ecart_is_closed(requires_action: bool, actions: list[Action]) -> bool:
    """Closed once its actions are done and the latest verification found them effective; an
    écart without actions is closed only when its class requires none."""
    if not actions:
        return not requires_action
    return _verdict(actions) is True


def finding_is_closed(tree: ReferentialTree, finding: Finding, actions: list[Action]) -> bool:
    if finding.resolved_at is not None:
        return True
    cls = tree.finding_classes.get(finding.class_)
    return ecart_is_closed(cls is None or cls.requires_action, actions)


def open_findings(tree: ReferentialTree, snapshot: AuditSnapshot) -> list[Finding]:
    return [f for f in snapshot.findings if not finding_is_closed(tree, f, snapshot.actions_of(f.id))]


def open_actions(snapshot: AuditSnapshot) -> list[Action]:
    return open_actions_among(snapshot.actions, resolved_findings(snapshot.findings))


def resolved_findings(findings: Iterable[Finding]) -> set[str]:
    """The écarts closed as resolved on site."""
    return {f.id for f in findings if f.resolved_at is not None}


def open_actions_among(actions: list[Action], resolved: set[str] = frozenset()) -> list[Action]:
    """Actions still to follow: an action is open until it is done and verified effective, or
    until its écart is closed (an earlier ineffective action then owes nothing more; `resolved`:
    the écarts closed as resolved on site)."""
    by_finding: dict[str, list[Action]] = {}
    for action in actions:
        by_finding.setdefault(action.finding, []).append(action)
    closed = {finding for finding, its_actions in by_finding.items() if _verdict(its_actions) is True} | resolved
    return [a for a in actions if not (a.status == "done" and a.effective is True) and a.finding not in closed]


def contradicted_findings(tree: ReferentialTree, snapshot: AuditSnapshot, requirement: str,
                          rating: str) -> list[Finding]:
    """The open écarts of `requirement` a rating at `rating` contradicts: of a class the scale
    calls for, other than the one this rating calls for (none for N/A or a level without one)."""
    called_for = {tree.finding_class_for(level) for level in tree.referential.scale} - {None}
    now_called = tree.finding_class_for(rating) if rating else None
    return [f for f in open_findings(tree, snapshot)
            if f.requirement == requirement and f.class_ in called_for and f.class_ != now_called]


def is_overdue(still_open: bool, status: str, due: str, today: str) -> bool:
    """`due` and `today` as YYYY-MM-DD."""
    return still_open and status != "done" and due < today


def is_to_watch(still_open: bool, status: str, due: str, today: date) -> bool:
    """Overdue, or due within WATCH_DAYS days."""
    return still_open and status != "done" and due <= (today + timedelta(days=WATCH_DAYS)).isoformat()


def needs_new_action(actions: list[Action]) -> bool:
    """Every action is done and verified, and the latest verification found it ineffective."""
    return _verdict(actions) is False


def findings_to_write(tree: ReferentialTree, snapshot: AuditSnapshot) -> list[str]:
    """Requirements whose rating calls for an écart that is not written yet, in rating order."""
    written = {f.requirement for f in snapshot.findings}
    return [a.requirement for a in snapshot.assessments
            if calls_for_finding(tree, a.rating) and a.requirement not in written]


def needs_finding(tree: ReferentialTree, snapshot: AuditSnapshot, requirement: str) -> bool:
    """The requirement's rating calls for an écart and none is written yet."""
    assessment = snapshot.assessment_map().get(requirement)
    if assessment is None or not calls_for_finding(tree, assessment.rating):
        return False
    return not any(f.requirement == requirement for f in snapshot.findings)


def counts_by_class(tree: ReferentialTree, snapshot: AuditSnapshot) -> list[ClassCount]:
    """Every finding class of the referential, most severe first, then any unknown class found."""
    still_open = {f.id for f in open_findings(tree, snapshot)}
    recorded: dict[str, int] = {}
    opened: dict[str, int] = {}
    for finding in snapshot.findings:
        recorded[finding.class_] = recorded.get(finding.class_, 0) + 1
        opened[finding.class_] = opened.get(finding.class_, 0) + (finding.id in still_open)
    to_write: dict[str, int] = {}
    ratings = snapshot.assessment_map()
    for requirement in findings_to_write(tree, snapshot):
        class_id = tree.finding_class_for(ratings[requirement].rating)
        to_write[class_id] = to_write.get(class_id, 0) + 1
    classes = sorted(tree.referential.finding_classes, key=lambda cls: -cls.severity)
    rows = [ClassCount(cls.id, cls.label, recorded.get(cls.id, 0), opened.get(cls.id, 0), to_write.get(cls.id, 0))
            for cls in classes]
    rows += [ClassCount(cid, cid, n, opened.get(cid, 0), 0) for cid, n in recorded.items()
             if cid not in tree.finding_classes]
    return rows


def pending(tree: ReferentialTree, snapshot: AuditSnapshot) -> list[Pending]:
    """Ratings that call for an écart without one; écarts owing an action plan, or a new action
    after an ineffective one."""
    owed = []
    ratings = snapshot.assessment_map()
    for requirement in findings_to_write(tree, snapshot):
        level = tree.scale_by_value[ratings[requirement].rating]
        owed.append(Pending(requirement, f"{requirement} coté « {level.label} » sans écart rédigé"))
    for finding in snapshot.findings:
        cls = tree.finding_classes.get(finding.class_)
        actions = snapshot.actions_of(finding.id)
        label = cls.label if cls else finding.class_
        if cls and cls.requires_action and not actions:
            owed.append(Pending(finding.requirement, f"{finding.id} ({label}) sans plan d'action"))
        elif needs_new_action(actions):
            owed.append(Pending(finding.requirement,
                                f"{finding.id} ({label}) : action jugée non efficace, nouvelle action à prévoir"))
    return owed
