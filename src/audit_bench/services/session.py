"""One open audit and the use cases on it: rate, attach evidence, record écarts and actions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

import msgspec

from audit_bench.model import ACTION_STATUSES, Action, Assessment, AuditSnapshot, Evidence, Finding, Progress, SectionScore
from audit_bench.referential import ReferentialTree
from audit_bench.services import rules
from audit_bench.services.rules import Pending
from audit_bench.services.validation import (
    UserError, check_choice, check_date, check_finding_class, check_optional_text, check_rating, check_requirement,
    check_text,
)
from audit_bench.services.text import visible
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.blobs import evidence_status, store_evidence_file
from audit_bench.store.errors import ReadOnlyError, read_only_message

Scorer = Callable[[ReferentialTree, AuditSnapshot], list[SectionScore]]


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")




class AuditSession:
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
        self._snapshot: AuditSnapshot | None = None

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
        if self._snapshot is None:
            self._snapshot = self.file.snapshot()
        return self._snapshot

    def _changed(self) -> None:
        self._snapshot = None

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

    # Ratings -------------------------------------------------------------------------------

    def rate(self, requirement: str, rating: str, note: str = "", by: str = "") -> Assessment:
        self._check_open("la cotation")
        check_requirement(self.tree, requirement, self.siae_type)
        note = check_optional_text(note, "le constat")
        rating = check_rating(self.tree, rating, note)
        auditors = self.snapshot().header.auditors
        assessment = Assessment(requirement=requirement, rating=rating, note=note, at=now(),
                                by=by or (auditors[0] if auditors else ""))
        self.file.set_assessment(assessment)
        self._changed()
        return assessment

    def set_note(self, requirement: str, note: str, by: str = "") -> Assessment | None:
        """Change the constat of a requirement, keeping its rating (an unrated note is kept too)."""
        self._check_open("la modification du constat")
        check_requirement(self.tree, requirement, self.siae_type)
        current = self.snapshot().assessment_map().get(requirement)
        if current is None:
            raise UserError(f"coter d'abord l'exigence {requirement} avant d'y noter un constat")
        return self.rate(requirement, current.rating, note, by or current.by)

    def clear_rating(self, requirement: str) -> None:
        self._check_open("l'effacement de la cotation")
        check_requirement(self.tree, requirement, self.siae_type)
        self.file.remove_assessment(requirement)
        self._changed()

    # Evidence, findings, actions -----------------------------------------------------------

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
        self._changed()
        return evidence

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
        self._changed()
        return carried

    def add_finding(self, requirement: str, class_id: str, text: str) -> Finding:
        self._check_open("l'ajout d'un écart")
        check_requirement(self.tree, requirement, self.siae_type)
        check_finding_class(self.tree, class_id)
        finding = Finding(id=self.file.next_id("findings"), requirement=requirement, class_=class_id,
                          text=check_text(text, "le texte de l'écart"), at=now())
        self.file.add("findings", finding)
        self._changed()
        return finding

    def finding(self, finding_id: str) -> Finding:
        for finding in self.snapshot().findings:
            if finding.id == finding_id:
                return finding
        raise UserError(f"écart inconnu « {finding_id} » dans l'audit {self.id}")

    def action(self, action_id: str) -> Action:
        for action in self.snapshot().actions:
            if action.id == action_id:
                return action
        raise UserError(f"action inconnue « {action_id} » dans l'audit {self.id}")

    def add_action(self, finding_id: str, text: str, owner: str, due: str) -> Action:
        """Actions stay trackable after the audit is closed: the improvement plan outlives the visit."""
        self._check_writable()
        self.finding(finding_id)
        action = Action(id=self.file.next_id("actions"), finding=finding_id,
                        text=check_text(text, "le texte de l'action"),
                        owner=check_text(owner, "le responsable de l'action"),
                        due=check_date(due, "échéance"), at=now())
        self.file.add("actions", action)
        self._changed()
        return action

    def update_action(self, action_id: str, status: str | None = None, verified_by: str | None = None,
                      effective: bool | None = None) -> Action:
        self._check_writable()
        action = self.action(action_id)
        if status is None and verified_by is None and effective is None:
            raise UserError("rien à modifier : donner --status, ou --verified-by avec --effective")
        if (verified_by is None) != (effective is None):
            raise UserError("la vérification d'efficacité demande --verified-by et --effective ensemble")
        changes: dict[str, object] = {}
        if status is not None:
            changes["status"] = check_choice(status, ACTION_STATUSES, "statut")
            if status != "done":
                changes.update(verified_by=None, verified_at=None, effective=None)
        if verified_by is not None:
            problem = rules.verification_problem(msgspec.structs.replace(action, status=status or action.status))
            if problem:
                raise UserError(problem)
            changes.update(verified_by=check_text(verified_by, "le vérificateur"),
                           verified_at=now(), effective=effective)
        updated = msgspec.structs.replace(action, **changes)
        self.file.replace("actions", updated)
        self._changed()
        return updated

    # Status --------------------------------------------------------------------------------

    def close_audit(self) -> list[Pending]:
        """Close the audit (ratings, evidence and findings frozen); returns what is still owed."""
        self._check_writable()
        header = self.snapshot().header
        if header.status == "closed":
            raise UserError(f"l'audit {header.id} est déjà clos")
        self.file.write_header(msgspec.structs.replace(header, status="closed", closed_at=now()))
        self._changed()
        return self.pending()

    def reopen_audit(self) -> None:
        self._check_writable()
        header = self.snapshot().header
        if header.status != "closed":
            raise UserError(f"l'audit {header.id} n'est pas clos")
        self.file.write_header(msgspec.structs.replace(header, status="open", closed_at=None))
        self._changed()

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
