"""One open audit and the use cases on it: rate, attach evidence, record écarts and actions; and
undo, change after change, what this session changed."""

from __future__ import annotations

import functools
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import msgspec

from audit_bench.model import (
    UNRATED, Assessment, AuditHeader, AuditSnapshot, Evidence, Finding, Progress, SectionScore,
)
from audit_bench.model.vocab import CERTIFICATION_KINDS, KINDS
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import recommendations_for
from audit_bench.services import rules
from audit_bench.services.actions import ActionPlan
from audit_bench.services.clock import now
from audit_bench.services.rules import Pending
from audit_bench.services.validation import (
    UserError, check_date, check_finding_class, check_optional_text, check_rating, check_requirement, check_text,
)
from audit_bench.services.text import visible
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.blobs import evidence_status, store_evidence_file
from audit_bench.store.errors import ReadOnlyError, read_only_message

Scorer = Callable[[ReferentialTree, AuditSnapshot], list[SectionScore]]
Method = TypeVar("Method", bound=Callable[..., Any])

UNDO_DEPTH = 1000
"""How many changes of a session can be undone, the last first."""
_UNDOABLE = {"assessments": "requirement", "evidence": "id", "findings": "id", "actions": "id"}
"""The tables an undo restores, each with the field its records are known by."""
_FROZEN = ("assessments", "evidence", "findings")
"""What closing an audit freezes: an undo that would change these waits for the audit to reopen."""


@dataclass(frozen=True)
class Step:
    """One change of the session, as the audit was before and after it."""

    what: str
    """In French, what the change was: « la cotation de 4.4 »."""
    before: AuditSnapshot
    after: AuditSnapshot

    def tables(self) -> list[str]:
        """The tables the change wrote (a write replaces the list of the table it changed)."""
        return [table for table in _UNDOABLE if getattr(self.before, table) is not getattr(self.after, table)]

    def changes(self, table: str) -> Iterator[tuple[str, Any, Any]]:
        """(name, record before, record after) of each record of `table` the change altered; None
        for a record that was not there."""
        key = _UNDOABLE[table]
        before = {getattr(record, key): record for record in getattr(self.before, table)}
        after = {getattr(record, key): record for record in getattr(self.after, table)}
        for name in [*after, *(name for name in before if name not in after)]:
            if before.get(name) != after.get(name):
                yield name, before.get(name), after.get(name)

    def requirements(self) -> list[str]:
        """The requirements whose rating, constat, evidence or écarts the change altered."""
        touched = [(was or now_is).requirement for table in self.tables() if table != "actions"
                   for _, was, now_is in self.changes(table)]
        return list(dict.fromkeys(touched))


def undoable(what: str) -> Callable[[Method], Method]:
    """Make a session method one step `AuditSession.undo` can reverse; `what` names the change,
    `{}` standing for the method's first argument (a requirement, an écart…)."""
    def wrap(method: Method) -> Method:
        @functools.wraps(method)
        def change(self: "AuditSession", *args: Any, **kwargs: Any) -> Any:
            subject = args[0] if args else next(iter(kwargs.values()), "")
            with self._step(what.format(subject)):
                return method(self, *args, **kwargs)
        return change  # type: ignore[return-value]
    return wrap


class AuditSession(ActionPlan):
    """An open audit: its file (locked for writing, or read-only) and its frozen referential.

    `workspace` is the folder evidence files are copied into; `scorer` gives section scores
    (a plugin's, or the generic ones); `org` is the structure's current name."""

    def __init__(self, workspace: Path, file: AuditFile, tree: ReferentialTree, scorer: Scorer,
                 org: str | None = None) -> None:
        self.workspace = workspace
        self.file = file
        self.tree = tree
        self._scorer = scorer
        self._org = org
        self._journal: deque[Step] = deque(maxlen=UNDO_DEPTH)
        self._stepping = False

    @property
    def read_only(self) -> bool:
        return self.file.read_only

    @property
    def locked_by(self) -> str | None:
        return self.file.locked_by

    @property
    def id(self) -> str:
        return self.snapshot().header.id

    @property
    def holder(self) -> str:
        return f"l'audit {self.id}"

    def plan_file(self) -> AuditFile:
        self._check_writable()
        return self.file

    def _changed(self) -> None:
        """Nothing to forget: the file's snapshot follows each write."""

    @property
    def org(self) -> str:
        """The audited structure's name as it is now (the header keeps the name at creation)."""
        return self._org or self.snapshot().header.org

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> "AuditSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def snapshot(self) -> AuditSnapshot:
        """The audit as it is now (each change updates it in place of the record it changed)."""
        return self.file.snapshot()

    @property
    def siae_type(self) -> str | None:
        return self.snapshot().header.siae_type

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(read_only_message(self.locked_by))

    def _check_open(self, what: str) -> None:
        self._check_writable()
        if self.snapshot().header.status == "closed":
            raise UserError(f"audit clos : {what} impossible (rouvrir l'audit pour modifier)")

    # Undo ----------------------------------------------------------------------------------

    @contextmanager
    def _step(self, what: str) -> Iterator[None]:
        """The changes made inside are one step of the journal (a change made by another, inside
        it, is part of it); a change that fails, or writes nothing, leaves no step."""
        if self._stepping:
            yield
            return
        self._stepping = True
        try:
            before = self.snapshot()
            yield
            step = Step(what, before, self.snapshot())
            if step.tables():
                self._journal.append(step)
        finally:
            self._stepping = False

    def undo(self) -> Step:
        """Undo the last change of this session not undone yet, in one durable write (a rating
        restored is a new entry of the history); returns the step undone."""
        if not self._journal:
            raise UserError("rien à annuler")
        step = self._journal[-1]
        tables = step.tables()
        if any(table in _FROZEN for table in tables):
            self._check_open(f"l'annulation de {step.what}")
        else:
            self._check_writable()
        with self.file.batch():
            for table in tables:
                for name, was, now_is in step.changes(table):
                    self._restore(table, name, was, now_is)
        self._journal.pop()
        return step

    def _restore(self, table: str, name: str, was: Any, now_is: Any) -> None:
        if table == "assessments":
            if was is None:
                self.file.remove_assessment(Assessment(requirement=name, rating=UNRATED, at=now(), by=self._by("")))
            else:
                self.file.set_assessment(msgspec.structs.replace(was, at=now()))
        elif was is None:
            self.file.delete(table, name)
        elif now_is is None:
            self.file.add(table, was)
        else:
            self.file.replace(table, was)

    # Ratings -------------------------------------------------------------------------------

    def _by(self, by: str) -> str:
        """Who makes a change: `by` when given, else the audit's first auditor."""
        auditors = self.snapshot().header.auditors
        return by or (auditors[0] if auditors else "")

    @undoable("la cotation de {}")
    def rate(self, requirement: str, rating: str, note: str | None = None, by: str = "") -> Assessment:
        """Rate the requirement; without `note`, its constat (written before, or with an earlier
        rating) is kept."""
        self._check_open("la cotation")
        if note is None:
            current = self.snapshot().assessment_map().get(requirement)
            note = current.note if current is not None else ""
        assessment = self.checked_assessment(requirement, rating, note, by)
        self.file.set_assessment(assessment)
        return assessment

    def checked_assessment(self, requirement: str, rating: str, note: str = "", by: str = "") -> Assessment:
        """The assessment `rate` would record, checked as `rate` checks it; nothing is written."""
        check_requirement(self.tree, requirement, self.siae_type)
        note = check_optional_text(note, "le constat")
        rating = check_rating(self.tree, rating, note)
        return Assessment(requirement=requirement, rating=rating, note=note, at=now(), by=self._by(by))

    @undoable("l'import des cotations")
    def rate_all(self, assessments: list[Assessment]) -> None:
        """Record assessments made by `checked_assessment` in one durable write: all, or none."""
        self._check_open("la cotation")
        with self.file.batch():
            for assessment in assessments:
                self.file.set_assessment(assessment)

    @undoable("le constat de {}")
    def set_note(self, requirement: str, note: str, by: str = "") -> Assessment | None:
        """Change the constat of a requirement, keeping its rating; a constat may come before
        the rating (the requirement stays unrated). None when an unrated constat is emptied."""
        self._check_open("la modification du constat")
        check_requirement(self.tree, requirement, self.siae_type)
        current = self.snapshot().assessment_map().get(requirement)
        if current is not None and current.rated:
            return self.rate(requirement, current.rating, note, by or current.by)
        noted = Assessment(requirement=requirement, rating=UNRATED, note=check_optional_text(note, "le constat"),
                           at=now(), by=self._by(by or (current.by if current else "")))
        return self._record_unrated(noted, current)

    @undoable("l'effacement de la cotation de {}")
    def clear_rating(self, requirement: str, by: str = "") -> Assessment | None:
        """Remove the rating of a requirement; its constat stays. Returns what is left (None when
        there was no constat)."""
        self._check_open("l'effacement de la cotation")
        check_requirement(self.tree, requirement, self.siae_type)
        current = self.snapshot().assessment_map().get(requirement)
        if current is None or not current.rated:
            raise UserError(f"l'exigence {requirement} n'est pas cotée")
        cleared = Assessment(requirement=requirement, rating=UNRATED, note=current.note, at=now(), by=self._by(by))
        return self._record_unrated(cleared, current)

    def _record_unrated(self, assessment: Assessment, current: Assessment | None) -> Assessment | None:
        """Record an assessment without a rating: kept when it holds a constat, else removed."""
        if assessment.note:
            self.file.set_assessment(assessment)
            return assessment
        if current is not None:
            self.file.remove_assessment(assessment)
        return None

    # Evidence and findings (their actions: see ActionPlan) -----------------------------------------------------------

    @undoable("l'ajout d'une preuve à {}")
    def add_evidence(self, requirement: str, title: str, version: str = "", location: str = "",
                     file: Path | None = None) -> Evidence:
        self._check_open("l'ajout d'une preuve")
        check_requirement(self.tree, requirement, self.siae_type)
        title = check_text(title, "le titre de la preuve")
        version = check_optional_text(version, "la version de la preuve")
        location = check_optional_text(location, "l'emplacement de la preuve")
        sha256 = filename = None
        if file is not None:
            file = Path(file).expanduser()
            if not file.is_file():
                raise UserError(f"fichier introuvable ou illisible : {file}")
            sha256 = store_evidence_file(self.workspace, file)
            filename = visible(file.name, multiline=False)  # a name in another encoding is still attached
        evidence = Evidence(id=self.file.next_id("evidence"), requirement=requirement, title=title,
                            version=version, location=location, sha256=sha256,
                            filename=filename, at=now())
        self.file.add("evidence", evidence)
        return evidence

    def evidence(self, evidence_id: str) -> Evidence:
        for evidence in self.snapshot().evidence:
            if evidence.id == evidence_id:
                return evidence
        raise UserError(f"preuve inconnue « {evidence_id} » dans {self.holder}")

    @undoable("la modification de la preuve {}")
    def edit_evidence(self, evidence_id: str, title: str | None = None, version: str | None = None,
                      location: str | None = None) -> Evidence:
        """Correct an evidence reference (an attached file stays attached)."""
        self._check_open("la modification d'une preuve")
        evidence = self.evidence(evidence_id)
        if title is None and version is None and location is None:
            raise UserError("rien à modifier : donner --title, --version ou --location")
        changes: dict[str, str] = {}
        if title is not None:
            changes["title"] = check_text(title, "le titre de la preuve")
        if version is not None:
            changes["version"] = check_optional_text(version, "la version de la preuve")
        if location is not None:
            changes["location"] = check_optional_text(location, "l'emplacement de la preuve")
        updated = msgspec.structs.replace(evidence, **changes)
        self.file.replace("evidence", updated)
        return updated

    @undoable("la suppression de la preuve {}")
    def delete_evidence(self, evidence_id: str) -> None:
        """Remove a reference; an attached file stays in the workspace's evidence store, which
        other references may share."""
        self._check_open("la suppression d'une preuve")
        self.evidence(evidence_id)
        self.file.delete("evidence", evidence_id)

    def _check_ecarts_editable(self) -> None:
        self._check_open("la modification d'un écart")

    def _checked_class(self, class_id: str) -> str:
        check_finding_class(self.tree, class_id)
        return class_id

    @undoable("la reprise d'une preuve")
    def carry_evidence(self, evidence: Evidence, requirement: str, carried_from: str, reviewed_on: str) -> Evidence:
        """Carry over a previous audit's evidence reference (its file is already in the workspace),
        marked as seen again on `reviewed_on`; each one once."""
        self._check_open("la reprise d'une preuve")
        check_requirement(self.tree, requirement, self.siae_type)
        if any(e.carried_from == carried_from for e in self.snapshot().evidence):
            raise UserError(f"la preuve {carried_from} est déjà reprise dans l'audit {self.id}")
        carried = msgspec.structs.replace(evidence, id=self.file.next_id("evidence"), requirement=requirement,
                                          at=now(), carried_from=carried_from,
                                          reviewed_on=check_date(reviewed_on, "date de revue"))
        self.file.add("evidence", carried)
        return carried

    @undoable("l'ajout d'un écart à {}")
    def add_finding(self, requirement: str, class_id: str, text: str) -> Finding:
        self._check_open("l'ajout d'un écart")
        check_requirement(self.tree, requirement, self.siae_type)
        check_finding_class(self.tree, class_id)
        finding = Finding(id=self.file.next_id("findings"), requirement=requirement, class_=class_id,
                          text=check_text(text, "le texte de l'écart"), at=now())
        self.file.add("findings", finding)
        return finding

    set_analysis = undoable("l'analyse de l'écart {}")(ActionPlan.set_analysis)
    add_action = undoable("l'ajout d'une action à l'écart {}")(ActionPlan.add_action)
    edit_finding = undoable("la modification de l'écart {}")(ActionPlan.edit_finding)
    delete_finding = undoable("la suppression de l'écart {}")(ActionPlan.delete_finding)
    edit_action = undoable("la modification de l'action {}")(ActionPlan.edit_action)
    delete_action = undoable("la suppression de l'action {}")(ActionPlan.delete_action)
    update_action = undoable("le suivi de l'action {}")(ActionPlan.update_action)

    def contradicted_findings(self, requirement: str) -> list[Finding]:
        """The open écarts of `requirement` its rating now contradicts (see `rules`)."""
        current = self.snapshot().assessment_map().get(requirement)
        return rules.contradicted_findings(self.tree, self.snapshot(), requirement,
                                           current.rating if current else UNRATED)

    @undoable("la clôture de l'écart {}")
    def resolve_finding(self, finding_id: str) -> Finding:
        """Close an écart as resolved on site (its requirement's rating no longer calls for it);
        its actions owe nothing more."""
        self._check_open("la clôture d'un écart")
        finding = self.finding(finding_id)
        if finding.resolved_at is not None:
            raise UserError(f"l'écart {finding_id} est déjà clos comme résolu")
        resolved = msgspec.structs.replace(finding, resolved_at=now())
        self.file.replace("findings", resolved)
        return resolved

    # Header ---------------------------------------------------------------------------------

    def edit_header(self, place: str | None = None, objectives: str | None = None, scope: str | None = None,
                    end_date: str | None = None, auditors: list[str] | None = None) -> AuditHeader:
        """What the report's first pages say of the audit: place, objectives, scope, last day
        (empty: a one-day audit), auditors. Only what is given changes."""
        self._check_open("la modification de l'en-tête")
        header = self.snapshot().header
        if all(value is None for value in (place, objectives, scope, end_date, auditors)):
            raise UserError("rien à modifier : donner --place, --objectives, --scope, --end-date ou --auditor")
        changes: dict[str, object] = {}
        if place is not None:
            changes["place"] = check_optional_text(place, "le lieu")
        if objectives is not None:
            changes["objectives"] = check_optional_text(objectives, "les objectifs")
        if scope is not None:
            changes["scope"] = check_optional_text(scope, "le périmètre")
        if end_date is not None:
            changes["end_date"] = check_date(end_date, "date de fin") if end_date.strip() else None
            if changes["end_date"] is not None and changes["end_date"] < header.date:
                raise UserError("la date de fin précède la date de début")
        if auditors is not None:
            changes["auditors"] = [check_text(name, "le nom de l'auditeur") for name in auditors if name.strip()]
        updated = msgspec.structs.replace(header, **changes)
        self.file.write_header(updated)
        return updated

    # Status --------------------------------------------------------------------------------

    def missing_conclusion(self) -> str | None:
        """Why the audit cannot be closed yet for want of its conclusion, in French: a certification
        audit needs the auditor's conclusion, and its recommendation where the referential offers
        some. None when it can be closed."""
        header = self.snapshot().header
        if header.kind not in CERTIFICATION_KINDS:
            return None
        kind = KINDS.get(header.kind, header.kind).lower()
        if header.conclusion is None:
            return f"{kind} : rédiger la conclusion de l'auditeur avant de clore l'audit"
        if recommendations_for(self.tree.referential, header.kind) and header.conclusion.recommendation is None:
            return f"{kind} : choisir la recommandation de la conclusion avant de clore l'audit"
        return None

    def close_audit(self) -> list[Pending]:
        """Close the audit (ratings, evidence, findings and conclusion frozen) once its conclusion is
        written where its kind requires one; returns what is still owed."""
        self._check_writable()
        header = self.snapshot().header
        if header.status == "closed":
            raise UserError(f"l'audit {header.id} est déjà clos")
        missing = self.missing_conclusion()
        if missing is not None:
            raise UserError(missing)
        self.file.write_header(msgspec.structs.replace(header, status="closed", closed_at=now()))
        return self.pending()

    def reopen_audit(self) -> None:
        self._check_writable()
        header = self.snapshot().header
        if header.status != "closed":
            raise UserError(f"l'audit {header.id} n'est pas clos")
        self.file.write_header(msgspec.structs.replace(header, status="open", closed_at=None))

    # Reading -------------------------------------------------------------------------------

    def applicable(self):
        return self.tree.applicable_ratable(self.siae_type)

    def progress(self) -> Progress:
        return rules.progress(self.tree, self.snapshot())

    def open_findings(self) -> int:
        return len(rules.open_findings(self.tree, self.snapshot()))

    def scores(self) -> list[SectionScore]:
        return self._scorer(self.tree, self.snapshot())

    def evidence_states(self) -> dict[str, str]:
        """For each evidence with an attached file: "ok", "missing" or "altered" (hash checked)."""
        return {e.id: evidence_status(self.workspace, e.sha256) for e in self.snapshot().evidence if e.sha256}

    def pending(self) -> list[Pending]:
        """Ratings that call for an écart without one; écarts that owe an action plan."""
        return rules.pending(self.tree, self.snapshot())
