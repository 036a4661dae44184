"""One open audit and the use cases on it: rate, attach evidence, record écarts and actions."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import msgspec

from audit_bench.model import Assessment, AuditHeader, AuditSnapshot, Evidence, Finding, Progress, SectionScore
from audit_bench.referential import ReferentialTree
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

    # Ratings -------------------------------------------------------------------------------

    def rate(self, requirement: str, rating: str, note: str = "", by: str = "") -> Assessment:
        self._check_open("la cotation")
        assessment = self.checked_assessment(requirement, rating, note, by)
        self.file.set_assessment(assessment)
        return assessment

    def checked_assessment(self, requirement: str, rating: str, note: str = "", by: str = "") -> Assessment:
        """The assessment `rate` would record, checked as `rate` checks it; nothing is written."""
        check_requirement(self.tree, requirement, self.siae_type)
        note = check_optional_text(note, "le constat")
        rating = check_rating(self.tree, rating, note)
        auditors = self.snapshot().header.auditors
        return Assessment(requirement=requirement, rating=rating, note=note, at=now(),
                          by=by or (auditors[0] if auditors else ""))

    def rate_all(self, assessments: list[Assessment]) -> None:
        """Record assessments made by `checked_assessment` in one durable write: all, or none."""
        self._check_open("la cotation")
        with self.file.batch():
            for assessment in assessments:
                self.file.set_assessment(assessment)

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

    # Evidence and findings (their actions: see ActionPlan) -----------------------------------------------------------

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

    def add_finding(self, requirement: str, class_id: str, text: str) -> Finding:
        self._check_open("l'ajout d'un écart")
        check_requirement(self.tree, requirement, self.siae_type)
        check_finding_class(self.tree, class_id)
        finding = Finding(id=self.file.next_id("findings"), requirement=requirement, class_=class_id,
                          text=check_text(text, "le texte de l'écart"), at=now())
        self.file.add("findings", finding)
        return finding

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

    def close_audit(self) -> list[Pending]:
        """Close the audit (ratings, evidence and findings frozen); returns what is still owed."""
        self._check_writable()
        header = self.snapshot().header
        if header.status == "closed":
            raise UserError(f"l'audit {header.id} est déjà clos")
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
