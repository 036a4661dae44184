"""A new audit that starts from the last one: the previous audit as reference.

Each requirement of the new audit shows the previous rating, note and evidence as reference (never
as the new rating); the previous audit's open écarts are listed for follow-up with their actions;
evidence references may be carried over, marked « revue le … ». When the referential changed
version between the two, requirements are matched by id, then by the hash of their text (a
requirement renumbered with the same words is the same requirement); those whose text changed are
« exigence modifiée » and show both texts; the others are new or removed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import msgspec

from audit_bench.model import Action, Assessment, AuditHeader, AuditSnapshot, Evidence, Finding
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import Node
from audit_bench.services import rules
from audit_bench.services.audits import open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.session import AuditSession
from audit_bench.services.validation import UserError
from audit_bench.services.views import ChangeView, FollowedAction, FollowedFinding, FollowUpView
from audit_bench.services.workspace import Workspace


@dataclass(frozen=True)
class Reference:
    """What the previous audit recorded for one requirement of the new audit."""

    previous_id: str
    """The requirement's id in the previous audit (another one when it was renumbered)."""
    assessment: Assessment | None
    evidence: list[Evidence]
    open_findings: list[Finding]
    previous_text: str | None = None
    """The previous wording when it changed (« exigence modifiée »), else None."""


@dataclass(frozen=True)
class Change:
    """A requirement that differs between the two versions: modified (both texts), renumbered
    (the previous id), added or removed (its text)."""

    requirement: str
    text: str
    previous_text: str | None = None
    previous_id: str | None = None


@dataclass
class Previous:
    """The audit a new audit starts from, read once, and how its requirements match the new ones."""

    header: AuditHeader
    tree: ReferentialTree
    snapshot: AuditSnapshot
    matched: dict[str, str] = field(default_factory=dict)
    """New requirement id → previous requirement id."""
    new_ids: dict[str, str] = field(default_factory=dict)
    """Previous requirement id → new requirement id (`matched` the other way)."""
    modified: list[Change] = field(default_factory=list)
    renumbered: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    open_findings: list[Finding] = field(default_factory=list)

    @property
    def version_changed(self) -> bool:
        return bool(self.modified or self.renumbered or self.added or self.removed)

    def actions_of(self, finding_id: str) -> list[Action]:
        return self.snapshot.actions_of(finding_id)

    def new_id(self, previous_id: str) -> str | None:
        """The new audit's id for a previous requirement, None when it was removed."""
        return self.new_ids.get(previous_id)

    def reference(self, requirement: str) -> Reference | None:
        previous_id = self.matched.get(requirement)
        if previous_id is None:
            return None
        modified = next((c.previous_text for c in self.modified if c.requirement == requirement), None)
        return Reference(previous_id=previous_id, assessment=self.snapshot.assessment_map().get(previous_id),
                         evidence=[e for e in self.snapshot.evidence if e.requirement == previous_id],
                         open_findings=[f for f in self.open_findings if f.requirement == previous_id],
                         previous_text=modified)


def wording(tree: ReferentialTree, node: Node, siae_type: str | None) -> str:
    return " ".join(f"{node.title} {tree.text_for(node, siae_type)}".split())


def text_hash(tree: ReferentialTree, node: Node, siae_type: str | None) -> str:
    """The hash requirements are matched by across versions: title and wording, spaces folded."""
    return hashlib.sha256(wording(tree, node, siae_type).encode()).hexdigest()


def match(previous: Previous, tree: ReferentialTree, siae_type: str | None) -> None:
    """Match the new tree's applicable requirements to the previous ones: by id (its text changed:
    modified), then by text hash (renumbered); the rest are added or removed."""
    before = {node.id: node for node in previous.tree.applicable_ratable(siae_type)}
    after = tree.applicable_ratable(siae_type)
    unmatched_new = []
    for node in after:
        old = before.get(node.id)
        if old is None:
            unmatched_new.append(node)
            continue
        previous.matched[node.id] = old.id
        if text_hash(tree, node, siae_type) != text_hash(previous.tree, old, siae_type):
            previous.modified.append(Change(node.id, tree.text_for(node, siae_type),
                                            previous.tree.text_for(old, siae_type)))
    taken = set(previous.matched.values())
    left = {text_hash(previous.tree, node, siae_type): node for node in before.values() if node.id not in taken}
    for node in unmatched_new:
        old = left.pop(text_hash(tree, node, siae_type), None)
        if old is None:
            previous.added.append(Change(node.id, tree.text_for(node, siae_type)))
        else:
            previous.matched[node.id] = old.id
            previous.renumbered.append(Change(node.id, tree.text_for(node, siae_type), previous_id=old.id))
    previous.new_ids = {old: new for new, old in previous.matched.items()}
    previous.removed = [Change(node.id, previous.tree.text_for(node, siae_type)) for node in before.values()
                        if node.id not in previous.new_ids]


def previous_of(workspace: Workspace, session: AuditSession) -> Previous | None:
    """The audit `session` starts from, matched to it; None when it starts from nothing. A previous
    audit deleted or unreadable since is a refusal the face shows."""
    header = session.snapshot().header
    if header.from_audit is None:
        return None
    with open_audit(workspace, header.from_audit, write=False) as other:
        previous = Previous(header=other.snapshot().header, tree=other.tree, snapshot=other.snapshot())
    previous.open_findings = rules.open_findings(previous.tree, previous.snapshot)
    match(previous, session.tree, header.siae_type)
    return previous


def last_audit(workspace: Workspace, structure: str, referential: str, before: str | None = None) -> str | None:
    """The latest audit of the structure against the referential (any version), by date; with
    `before`, the latest dated on or before that day."""
    candidates = [row for row in list_audits(workspace)
                  if row.error is None and row.structure == structure and row.referential == referential
                  and (before is None or row.date <= before)]
    return max(candidates, key=lambda row: (row.date, row.id)).id if candidates else None


def carry_evidence(workspace: Workspace, session: AuditSession, evidence_ids: list[str] | None,
                   today: date | None = None) -> list[Evidence]:
    """Carry over the previous audit's evidence references given by id (None: every one whose
    requirement is still in the audit and not yet carried), marked « revue le » today."""
    previous = previous_of(workspace, session)
    if previous is None:
        raise UserError(f"l'audit {session.id} ne part pas d'un audit précédent (new --from)")
    reviewed_on = (today or date.today()).isoformat()
    by_id = {e.id: e for e in previous.snapshot.evidence}
    carried_already = {e.carried_from for e in session.snapshot().evidence}
    if evidence_ids is None:
        chosen = [e for e in previous.snapshot.evidence if previous.new_id(e.requirement) is not None
                  and _carried_name(previous, e) not in carried_already]
    else:
        evidence_ids = list(dict.fromkeys(evidence_ids))
        unknown = [i for i in evidence_ids if i not in by_id]
        if unknown:
            raise UserError(f"preuve inconnue « {unknown[0]} » dans l'audit précédent {previous.header.id}")
        chosen = [by_id[i] for i in evidence_ids]
        for evidence in chosen:  # every one checked before the first is written
            if previous.new_id(evidence.requirement) is None:
                raise UserError(f"la preuve {evidence.id} porte sur l'exigence {evidence.requirement}, absente de "
                                "cette version du référentiel : rien où la reprendre")
            if _carried_name(previous, evidence) in carried_already:
                raise UserError(f"la preuve {evidence.id} de l'audit précédent est déjà reprise")
    return [session.carry_evidence(e, previous.new_id(e.requirement), _carried_name(previous, e), reviewed_on)
            for e in chosen]


def _carried_name(previous: Previous, evidence: Evidence) -> str:
    return f"{previous.header.id}/{evidence.id}"


# The follow-up as `show --json` prints it -------------------------------------------------------

def follow_up_view(previous: Previous) -> FollowUpView:
    header = previous.header
    findings = [FollowedFinding(id=f.id, requirement=f.requirement, now_requirement=previous.new_id(f.requirement),
                                class_=f.class_, text=f.text,
                                actions=msgspec.convert(msgspec.to_builtins(previous.actions_of(f.id)),
                                                        list[FollowedAction]))
                for f in previous.open_findings]
    changes = {name: msgspec.convert([vars(c) for c in getattr(previous, name)], list[ChangeView])
               for name in ("modified", "renumbered", "added", "removed")}
    return FollowUpView(audit=header.id, date=header.date, kind=header.kind,
                        referential_version=header.referential.version, open_findings=findings, **changes)
