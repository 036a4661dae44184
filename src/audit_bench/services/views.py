"""What the faces show, as msgspec Structs: built once here, encoded by the CLI's `--json` (keys
are the stable contract of DESIGN.md; keys may be added, never renamed) and read by its text
output, so both always say the same thing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from audit_bench.referential.schema import Annex, Metadata, Node, Recommendations

if TYPE_CHECKING:
    from audit_bench.model import Assessment
    from audit_bench.referential.tree import ReferentialTree
    from audit_bench.services.listing import AuditRow
    from audit_bench.services.session import AuditSession
    from audit_bench.services.workspace import Workspace


class View(msgspec.Struct, kw_only=True):
    """Base of the views: fields are encoded in the order they are declared."""


# show ----------------------------------------------------------------------------------------

class PinView(View):
    id: str
    version: str


class ProgressView(View):
    assessed: int
    total: int


class ScoreView(View):
    section: str
    title: str
    score: int | float
    max: int | float
    percent: int | float | None
    depth: int


class HistoryEntryView(View):
    rating: str | None
    """None when this entry left the requirement unrated (a constat alone, or a rating cleared)."""
    note: str
    by: str
    at: str


class AssessmentView(View):
    requirement: str
    rating: str | None
    """None when the requirement holds a constat and no rating yet."""
    note: str
    at: str
    history: list[HistoryEntryView] = []
    """Every assessment recorded on the requirement, oldest first; empty in files written before
    the history was kept."""


class EvidenceView(View):
    id: str
    requirement: str
    title: str
    version: str
    location: str
    sha256: str | None
    filename: str | None
    file: str | None = None
    """The attached file's state in the workspace: "ok", "missing", "altered"; None without a file."""
    carried_from: str | None = None
    """`AUDIT/P3` when carried over from the previous audit, seen again on `reviewed_on`."""
    reviewed_on: str | None = None


class PostponementView(View, rename={"from_": "from"}):
    from_: str
    to: str
    reason: str
    at: str


class ActionView(View):
    id: str
    text: str
    owner: str
    due: str
    status: str
    verified_by: str | None
    verified_at: str | None
    effective: bool | None
    type: str
    postponements: list[PostponementView]
    verification_comment: str


class FindingView(View, rename={"class_": "class"}):
    id: str
    requirement: str
    class_: str
    text: str
    actions: list[ActionView]
    immediate_action: str = ""
    root_cause: str = ""
    resolved_at: str | None = None
    """When the auditor closed it as resolved on site; None otherwise."""


class ConclusionView(View):
    text: str
    recommendation: str | None
    """The id of one of the referential's recommendations; None when it offers none."""


class ShowView(View):
    """`audit-bench show`: one audit, everything it holds and what it still owes."""

    id: str
    referential: PinView
    org: str
    """The structure's current name (the header keeps the name the audit was created with)."""
    structure: str
    """The structure's id."""
    siae_type: str | None
    kind: str
    date: str
    end_date: str | None
    auditors: list[str]
    place: str
    objectives: str
    scope: str
    status: str
    progress: ProgressView
    scores: list[ScoreView]
    assessments: list[AssessmentView]
    evidence: list[EvidenceView]
    findings: list[FindingView]
    pending: list[str]
    from_audit: str | None = None
    """The audit this one starts from (`new --from`); `follow_up` then says what it left open."""
    follow_up: FollowUpView | None = None
    """Set by the face, which has the workspace to read the previous audit."""
    conclusion: ConclusionView | None = None
    """The auditor's conclusion; None until written (`conclude`)."""


def show_view(session: AuditSession) -> ShowView:
    from audit_bench.services.listing import audit_structure_id

    snapshot = session.snapshot()
    header = snapshot.header
    states = session.evidence_states()
    history: dict[str, list[Assessment]] = {}
    for entry in snapshot.history:
        history.setdefault(entry.requirement, []).append(entry)
    findings = [FindingView(id=f.id, requirement=f.requirement, class_=f.class_, text=f.text,
                            actions=_convert(snapshot.actions_of(f.id), list[ActionView]),
                            immediate_action=f.immediate_action, root_cause=f.root_cause,
                            resolved_at=f.resolved_at)
                for f in snapshot.findings]
    return ShowView(
        id=header.id, referential=_convert(header.referential, PinView), org=session.org,
        structure=audit_structure_id(header), siae_type=header.siae_type, kind=header.kind, date=header.date,
        end_date=header.end_date,
        auditors=header.auditors, place=header.place, objectives=header.objectives, scope=header.scope,
        status=header.status, progress=_convert(session.progress(), ProgressView),
        scores=_convert(session.scores(), list[ScoreView]),
        assessments=[_assessment_view(a, history.get(a.requirement, [])) for a in snapshot.assessments],
        evidence=[msgspec.structs.replace(view, file=states.get(view.id))
                  for view in _convert(snapshot.evidence, list[EvidenceView])],
        findings=findings,
        pending=[pending.message for pending in session.pending()],
        from_audit=header.from_audit,
        conclusion=None if header.conclusion is None else _convert(header.conclusion, ConclusionView),
    )


def _assessment_view(assessment: Assessment, history: list[Assessment]) -> AssessmentView:
    return AssessmentView(requirement=assessment.requirement, rating=assessment.rating or None, note=assessment.note,
                          at=assessment.at,
                          history=[HistoryEntryView(rating=entry.rating or None, note=entry.note, by=entry.by,
                                                    at=entry.at) for entry in history])


# audits --------------------------------------------------------------------------------------

class AuditLineView(View):
    id: str
    referential: str
    org: str
    structure: str
    siae_type: str | None
    kind: str
    date: str
    status: str
    assessed: int
    total: int
    open_findings: int


class AuditErrorView(View):
    id: str
    error: str


class AuditsView(View):
    """`audit-bench audits`: the readable audits, and the files that could not be read."""

    audits: list[AuditLineView]
    errors: list[AuditErrorView]


def audit_rows_view(rows: list[AuditRow]) -> AuditsView:
    return AuditsView(audits=_convert([r for r in rows if r.error is None], list[AuditLineView]),
                      errors=_convert([r for r in rows if r.error is not None], list[AuditErrorView]))


# referentials --------------------------------------------------------------------------------

class ReferentialLineView(View):
    id: str
    title: str
    version: str
    requirements: int
    """How many ratable items."""
    plugin: str


class PluginErrorView(View):
    plugin: str
    error: str


class ReferentialsView(View):
    """`audit-bench referentials`: what is installed, and the plugins that failed."""

    referentials: list[ReferentialLineView]
    errors: list[PluginErrorView]


def referentials_view(workspace: Workspace) -> ReferentialsView:
    trees = workspace.referentials()
    return ReferentialsView(
        referentials=[ReferentialLineView(id=t.id, title=t.referential.title, version=t.version,
                                          requirements=len(t.ratable), plugin=workspace.plugin_of(t.id))
                      for t in trees],
        errors=_convert(workspace.plugin_errors(), list[PluginErrorView]),
    )


# referential show ----------------------------------------------------------------------------

class StructureTypeView(View):
    id: str
    label: str


class ScaleLevelView(View):
    value: str
    label: str
    score: float | None
    requires_finding: bool


class FindingClassView(View):
    id: str
    label: str
    severity: int
    requires_action: bool


class VariantView(View):
    text: str
    applicable: bool
    guidance: str


class EvidenceHintView(View):
    category: str
    items: list[str]


class IndicatorView(View):
    id: str
    name: str
    unit: str
    engagement: str | None
    target_required: bool


class NodeView(View):
    id: str
    title: str
    text: str
    kind: str
    ratable: bool
    intent: str
    guidance: str
    variants: dict[str, VariantView]
    """The wording and applicability for each structure type the referential defines."""
    evidence: list[EvidenceHintView]
    indicators: list[IndicatorView]
    children: list[NodeView]


class GlossaryView(View):
    term: str
    definition: str


class ReferentialView(View):
    """`audit-bench referential show`: the tree, the scale, the finding classes, the types."""

    id: str
    title: str
    version: str
    metadata: Metadata
    siae_types: list[StructureTypeView]
    scale: list[ScaleLevelView]
    finding_classes: list[FindingClassView]
    nodes: list[NodeView]
    glossary: list[GlossaryView]
    annexes: list[Annex]
    recommendations: Recommendations | None = None
    """The recommendations of a conclusion and the audit kinds they apply to; None: the referential has none."""


def referential_view(tree: ReferentialTree) -> ReferentialView:
    referential = tree.referential
    return ReferentialView(
        id=tree.id, title=referential.title, version=tree.version, metadata=referential.metadata,
        siae_types=_convert(referential.siae_types, list[StructureTypeView]),
        scale=_convert(referential.scale, list[ScaleLevelView]),
        finding_classes=_convert(referential.finding_classes, list[FindingClassView]),
        nodes=[_node_view(tree, node) for node in referential.nodes],
        glossary=_convert(referential.glossary, list[GlossaryView]),
        annexes=referential.annexes,
        recommendations=referential.recommendations or None,
    )


def _node_view(tree: ReferentialTree, node: Node) -> NodeView:
    variants = {t.id: VariantView(text=tree.text_for(node, t.id), applicable=tree.applicable(node, t.id),
                                  guidance=tree.variant(node, t.id).guidance)
                for t in tree.referential.siae_types}
    return NodeView(id=node.id, title=node.title, text=node.text, kind=node.kind, ratable=node.ratable,
                    intent=node.intent, guidance=node.guidance, variants=variants,
                    evidence=_convert(node.evidence, list[EvidenceHintView]),
                    indicators=_convert(node.indicators, list[IndicatorView]),
                    children=[_node_view(tree, child) for child in node.children])


def _convert(value: object, view: Any) -> Any:
    """Copy the fields a view declares from records that hold more (attributes, in C)."""
    return msgspec.convert(value, view, from_attributes=True)


# The follow-up as `show --json` prints it -------------------------------------------------------

class FollowedAction(msgspec.Struct, kw_only=True):
    id: str
    text: str
    owner: str
    due: str
    status: str
    effective: bool | None


class FollowedFinding(msgspec.Struct, kw_only=True, rename={"class_": "class"}):
    id: str
    requirement: str
    """The requirement's id in the previous audit."""
    now_requirement: str | None
    """Its id in this audit (None when the new version removed it)."""
    class_: str
    text: str
    actions: list[FollowedAction]


class ChangeView(msgspec.Struct, kw_only=True):
    requirement: str
    text: str
    previous_text: str | None = None
    previous_id: str | None = None


class FollowUpView(msgspec.Struct, kw_only=True):
    """`show --json`'s `follow_up`: the previous audit's open écarts, and how the requirements changed."""

    audit: str
    date: str
    kind: str
    referential_version: str
    open_findings: list[FollowedFinding]
    modified: list[ChangeView]
    renumbered: list[ChangeView]
    added: list[ChangeView]
    removed: list[ChangeView]
