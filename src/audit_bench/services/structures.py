"""Structures: the audited organisations as records (name, type, SIRET, people, certifications).

A structure lives in `structures/<id>.json`. Audits of the previous release imply theirs (one per
exact name and type, see `model.implied_structure_id`) without a file: reading never writes, so
the file is made from the implied record on the first write that needs it, under the workspace's
structure lock. Each command of the CLI is one call here and one view's `to_builtins()`.
"""

from __future__ import annotations

import os
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

import msgspec

from audit_bench.model import (
    ECART_CLASSES, ROLES, SOURCES, STRUCTURE_ID, Certification, CycleSetting, Finding, Fulfilment, Person, Structure,
    StructureSnapshot, implied_structure_id, slug,
)
from audit_bench.referential import ReferentialTree
from audit_bench.services.actions import ActionPlan
from audit_bench.services.clock import now
from audit_bench.services.listing import (  # list_structures lives there, with the Accueil's other rows
    audits_by_structure, count_overdue, list_structures, structures_folder, workspace_rows,
)
from audit_bench.services.views import ActionView
from audit_bench.services.validation import (
    UserError, check_choice, check_date, check_optional_text, check_siae_type, check_siret, check_text,
)
from audit_bench.services.workspace import Workspace
from audit_bench.store.atomic import private_subdir
from audit_bench.store.errors import ReadOnlyError, StoreError
from audit_bench.store.lock import FileLock
from audit_bench.store.structure_file import StructureFile

CREATION_LOCK = "structures.lock"
"""Held (at the workspace's root) while a structure file is created: two processes never make
two structures of one name, nor two files of one implied structure."""


# Views: what the CLI prints with --json, and what the TUI shows ------------------------------

class PersonView(msgspec.Struct, frozen=True):
    name: str
    role: str
    role_label: str
    trained_on: str | None
    activity: str = ""


class CertificationView(msgspec.Struct, frozen=True):
    referential: str
    body: str
    number: str
    issued: str
    valid_until: str


class StructureAudit(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    referential: str
    kind: str
    date: str
    status: str
    assessed: int
    total: int
    open_findings: int
    open_actions: int
    overdue_actions: int


class EcartView(msgspec.Struct, frozen=True, kw_only=True, rename={"class_": "class"}):
    """An écart of another source than audits, with its treatment."""

    id: str
    source: str
    ref: str
    class_: str
    text: str
    immediate_action: str
    root_cause: str
    at: str
    actions: list[ActionView]


class StructureView(msgspec.Struct, frozen=True, kw_only=True):
    """One structure with everything `structure show` prints."""

    id: str
    name: str
    siae_type: str | None
    siret: str | None
    place: str
    created_at: str | None
    """None while the structure is only implied by audits of the previous release."""
    people: list[PersonView]
    certifications: list[CertificationView]
    audits: list[StructureAudit]
    """Newest first."""
    open_actions: int
    overdue_actions: int
    ecarts: list[EcartView] = []
    """Écarts of other sources than audits (an audit's are in `show AUDIT`)."""
    cycle_settings: list[CycleSetting] = []
    """The frequencies the structure set where its referentials leave them open."""
    fulfilments: list[Fulfilment] = []
    """The obligations it recorded as met."""

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


# Listing and showing ---------------------------------------------------------------------

def structure_path(workspace: Workspace, structure_id: str) -> Path:
    if not STRUCTURE_ID.match(structure_id or ""):
        raise UserError(f"identifiant de structure invalide « {structure_id} »")
    return structures_folder(workspace) / f"{structure_id}.json"


def show_structure(workspace: Workspace, structure_id: str, today: date | None = None) -> StructureView:
    today_iso = (today or date.today()).isoformat()
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
        recorded = session.recorded
    record = snapshot.structure
    audits = sorted(audits_by_structure(workspace_rows(workspace).audits).get(structure_id, []),
                    key=lambda row: (row.date, row.id), reverse=True)
    dues = [due for audit in audits for due in audit.open_action_dues]
    return StructureView(
        id=record.id, name=record.name, siae_type=record.siae_type, siret=record.siret, place=record.place,
        created_at=record.created_at if recorded else None,
        people=[PersonView(p.name, p.role, ROLES.get(p.role, p.role), p.trained_on, p.activity)
                for p in snapshot.people],
        certifications=[CertificationView(c.referential, c.body, c.number, c.issued, c.valid_until)
                        for c in snapshot.certifications],
        audits=[StructureAudit(id=a.id, referential=a.referential, kind=a.kind, date=a.date,
                               status=a.status, assessed=a.assessed, total=a.total,
                               open_findings=a.open_findings, open_actions=len(a.open_action_dues),
                               overdue_actions=count_overdue(a.open_action_dues, today_iso))
                for a in audits],
        open_actions=len(dues), overdue_actions=count_overdue(dues, today_iso),
        ecarts=[EcartView(id=f.id, source=f.source, ref=f.ref, class_=f.class_, text=f.text,
                          immediate_action=f.immediate_action, root_cause=f.root_cause, at=f.at,
                          actions=msgspec.convert(snapshot.actions_of(f.id), list[ActionView], from_attributes=True))
                for f in snapshot.findings],
        cycle_settings=snapshot.cycle_settings, fulfilments=snapshot.fulfilments)


def structure_name(workspace: Workspace, structure_id: str, fallback: str) -> str:
    """The structure's current name, or `fallback` (the name an audit was created with) while it
    has no readable file."""
    try:
        with StructureFile.open(structure_path(workspace, structure_id), write=False) as file:
            return file.snapshot().structure.name
    except (FileNotFoundError, StoreError, UserError):
        return fallback


# Changing a structure ----------------------------------------------------------------------

OTHER_SOURCES = {kind: label for kind, label in SOURCES.items() if kind != "audit"}
"""The sources of the écarts a structure's file holds (an audit's écarts are in the audit file)."""


class StructureSession(ActionPlan):
    """One structure, open for reading or writing. A structure only implied by audits is made a
    file on the first change, from its implied record; while another process writes the
    structure, the session is read-only and `locked_by` says who. Its écarts of other sources
    than audits are treated as an audit's (see ActionPlan)."""

    def __init__(self, workspace: Workspace, file: StructureFile | None, implied: Structure | None = None,
                 *, write: bool) -> None:
        """`implied`: the record the audits imply, when there is no `file`."""
        self.workspace = workspace
        self.file = file
        self._implied = implied
        self._write = write

    @property
    def recorded(self) -> bool:
        """Whether the structure has its file (else it is only implied by audits)."""
        return self.file is not None

    @property
    def read_only(self) -> bool:
        return not self._write or (self.file is not None and self.file.read_only)

    @property
    def locked_by(self) -> str | None:
        return self.file.locked_by if self.file is not None else None

    def snapshot(self) -> StructureSnapshot:
        return self.file.snapshot() if self.file is not None else StructureSnapshot(structure=self._implied)

    @property
    def holder(self) -> str:
        return f"la structure {self.snapshot().structure.id}"

    def plan_file(self) -> StructureFile:
        return self._writable()

    def _changed(self) -> None:
        """Nothing to forget: each snapshot is read from the file's own cache."""

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def __enter__(self) -> "StructureSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writable(self) -> StructureFile:
        if self.read_only:
            holder = self.locked_by
            raise ReadOnlyError(f"structure {self.snapshot().structure.id} en lecture seule"
                                + (f" : {holder} l'a ouverte en écriture" if holder else ""))
        if self.file is None:
            self.file = _materialise(self.workspace, self._implied)
            return self._writable()  # made meanwhile by a process that still holds it: read-only
        return self.file

    # The record --------------------------------------------------------------------------

    def edit(self, name: str | None = None, siae_type: str | None = None, siret: str | None = None,
             place: str | None = None) -> Structure:
        """Change the fields given; `siae_type=""` removes the type, `siret=""` the SIRET."""
        if name is None and siae_type is None and siret is None and place is None:
            raise UserError("rien à modifier : donner --name, --siae-type, --siret ou --place")
        snapshot = self.snapshot()
        record = snapshot.structure
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = check_text(name, "le nom de la structure")
        if siae_type is not None:
            changes["siae_type"] = siae_type.strip() or None
            if changes["siae_type"] is not None:
                referentials = {c.referential for c in snapshot.certifications} | _audit_referentials(
                    self.workspace, record.id)
                check_structure_type(self.workspace, changes["siae_type"], referentials)
        if siret is not None:
            changes["siret"] = check_siret(siret)
        if place is not None:
            changes["place"] = check_optional_text(place, "le lieu")
        updated = msgspec.structs.replace(record, **changes)
        if (updated.name, updated.siae_type) != (record.name, record.siae_type):
            _check_unique(self.workspace, updated.name, updated.siae_type, record.id)
        self._writable().write_record(updated)
        return updated

    # People ------------------------------------------------------------------------------

    def set_person(self, name: str, role: str, trained_on: str | None = None, activity: str = "") -> Person:
        """Add someone with a role, or change the training date and activity of who has it already."""
        person = Person(name=check_text(name, "le nom de la personne"), role=check_choice(role, ROLES, "rôle"),
                        trained_on=None if trained_on is None else check_date(trained_on, "date de formation"),
                        activity=check_optional_text(activity, "l'activité"))
        self._writable().set_person(person)
        return person

    def remove_person(self, name: str, role: str) -> None:
        if not any(p.name == name and p.role == role for p in self.snapshot().people):
            raise UserError(f"aucune personne « {name} » avec le rôle « {role} » dans la structure "
                            f"{self.snapshot().structure.id}")
        self._writable().remove_person(name, role)

    # Écarts of other sources ------------------------------------------------------------

    def _checked_class(self, class_id: str) -> str:
        return check_choice(class_id, ECART_CLASSES, "classe d'écart")

    def add_ecart(self, source: str, text: str, class_id: str = "ecart", ref: str = "",
                  immediate_action: str = "", root_cause: str = "") -> Finding:
        """An écart found outside an audit (a contrôle, a réclamation…), to be treated in the plan."""
        finding = Finding(id="", class_=check_choice(class_id, ECART_CLASSES, "classe d'écart"),
                          text=check_text(text, "le texte de l'écart"),
                          source=check_choice(source, OTHER_SOURCES, "source de l'écart"),
                          ref=check_optional_text(ref, "la référence dans la source"),
                          immediate_action=check_optional_text(immediate_action, "l'action immédiate"),
                          root_cause=check_optional_text(root_cause, "la cause"), at=now())
        file = self._writable()
        finding = msgspec.structs.replace(finding, id=file.next_id("findings"))
        file.add("findings", finding)
        return finding

    # Certifications ----------------------------------------------------------------------

    def set_certification(self, referential: str, body: str, number: str, issued: str,
                          valid_until: str | None = None) -> Certification:
        """Add a certificate, or change the one of that referential and number. Without
        `valid_until`, it lasts the referential's `validity_years` (to the day before)."""
        tree = self.workspace.referential(referential)
        record = self.snapshot().structure
        if record.siae_type is not None:
            _check_type_in(tree, record.siae_type)
        body = check_text(body, "l'organisme certificateur")
        number = check_text(number, "le numéro du certificat")
        issued = check_date(issued, "date d'émission")
        valid_until = _expiry(tree, issued) if valid_until is None else check_date(valid_until,
                                                                                   "date de fin de validité")
        if valid_until < issued:
            raise UserError("la fin de validité précède la date d'émission du certificat")
        certification = Certification(referential=tree.id, body=body, number=number, issued=issued,
                                      valid_until=valid_until)
        self._writable().set_certification(certification)
        return certification

    def remove_certification(self, referential: str, number: str) -> None:
        if not any(c.referential == referential and c.number == number for c in self.snapshot().certifications):
            raise UserError(f"aucun certificat {referential} n° « {number} » dans la structure "
                            f"{self.snapshot().structure.id}")
        self._writable().remove_certification(referential, number)

    # The cycle (checked by services.cycle) -------------------------------------------------

    def set_cycle_setting(self, setting: CycleSetting) -> None:
        self._writable().set_cycle_setting(setting)

    def remove_cycle_setting(self, referential: str, of: str) -> bool:
        return self._writable().remove_cycle_setting(referential, of)

    def set_fulfilment(self, fulfilment: Fulfilment) -> None:
        self._writable().set_fulfilment(fulfilment)

    def remove_fulfilment(self, referential: str, obligation: str, on: str) -> bool:
        return self._writable().remove_fulfilment(referential, obligation, on)


def open_structure(workspace: Workspace, structure_id: str, *, write: bool = True) -> StructureSession:
    """Open a structure, its file or the record its audits imply; unknown → UserError."""
    path = structure_path(workspace, structure_id)
    if os.path.lexists(path):
        return StructureSession(workspace, StructureFile.open(path, write=write), write=write)
    implied = _implied(workspace, structure_id)
    if implied is None:
        raise UserError(f"structure inconnue « {structure_id} » dans {workspace.path}")
    return StructureSession(workspace, None, implied, write=write)


def create_structure(workspace: Workspace, name: str, siae_type: str | None = None, siret: str | None = None,
                     place: str = "") -> Structure:
    """A new structure; one of the same name and type already there is refused (`--org` finds
    structures by name and type, so they stay unique)."""
    name = check_text(name, "le nom de la structure")
    siae_type = (siae_type or "").strip() or None
    if siae_type is not None:
        check_structure_type(workspace, siae_type, set())
    siret = check_siret(siret)
    with _creation_lock(workspace):
        _check_unique(workspace, name, siae_type, None)
        return _create(workspace, name, siae_type, siret, check_optional_text(place, "le lieu"))


def edit_structure(workspace: Workspace, structure_id: str, name: str | None = None, siae_type: str | None = None,
                   siret: str | None = None, place: str | None = None) -> Structure:
    with open_structure(workspace, structure_id) as session:
        return session.edit(name, siae_type, siret, place)


def set_person(workspace: Workspace, structure_id: str, name: str, role: str,
               trained_on: str | None = None, activity: str = "") -> Person:
    with open_structure(workspace, structure_id) as session:
        return session.set_person(name, role, trained_on, activity)


def remove_person(workspace: Workspace, structure_id: str, name: str, role: str) -> None:
    with open_structure(workspace, structure_id) as session:
        session.remove_person(name, role)


def set_certification(workspace: Workspace, structure_id: str, referential: str, body: str, number: str,
                      issued: str, valid_until: str | None = None) -> Certification:
    with open_structure(workspace, structure_id) as session:
        return session.set_certification(referential, body, number, issued, valid_until)


def remove_certification(workspace: Workspace, structure_id: str, referential: str, number: str) -> None:
    with open_structure(workspace, structure_id) as session:
        session.remove_certification(referential, number)


# The structure of a new audit --------------------------------------------------------------

def structure_for_audit(workspace: Workspace, tree: ReferentialTree, structure_id: str | None,
                        org: str | None, siae_type: str | None) -> tuple[Structure, str | None]:
    """The structure a new audit is on, and the audit's type: `structure_id` names it (its type
    is the audit's), or `org` finds the structure of that exact name and type, or creates it.
    Everything is checked before the structure file is made (if it must be)."""
    if (structure_id is None) == (org is None):
        raise UserError("donner la structure de l'audit : --structure ID (une structure existante) ou "
                        "--org NOM (retrouvée par son nom, ou créée), pas les deux")
    if structure_id is not None:
        with open_structure(workspace, structure_id, write=False) as session:
            record = session.snapshot().structure
            recorded = session.recorded
        audit_type = _audit_type(tree, record, siae_type)
        if not recorded:
            with _creation_lock(workspace):
                _materialise_locked(workspace, record).close()
        return record, audit_type
    name = check_text(org, "le nom de la structure")
    audit_type = check_siae_type(tree, siae_type)
    with _creation_lock(workspace):
        for row in list_structures(workspace).structures:
            if (row.name, row.siae_type) == (name, audit_type):
                with open_structure(workspace, row.id, write=False) as session:
                    record = session.snapshot().structure
                    if not session.recorded:
                        _materialise_locked(workspace, record).close()
                return record, audit_type
        return _create(workspace, name, audit_type, None, ""), audit_type


def _audit_type(tree: ReferentialTree, record: Structure, siae_type: str | None) -> str | None:
    declared = [t.id for t in tree.referential.siae_types]
    if not declared:
        return check_siae_type(tree, siae_type)  # None, or the refusal of a type it does not define
    if siae_type is not None and siae_type != record.siae_type:
        raise UserError(f"le type d'un audit est celui de sa structure ({record.siae_type or 'aucun'}) : "
                        f"retirer --siae-type, ou changer le type de la structure {record.id}")
    if record.siae_type is None:
        raise UserError(f"la structure {record.id} n'a pas de type, or le référentiel {tree.id} en demande un "
                        f"({', '.join(declared)}) : le renseigner d'abord "
                        f"(structure edit {record.id} --siae-type)")
    _check_type_in(tree, record.siae_type)
    return record.siae_type


# Checks --------------------------------------------------------------------------------

def check_structure_type(workspace: Workspace, siae_type: str, referentials: Iterable[str]) -> str:
    """A structure's type must be defined by each of its referentials (of its audits and
    certifications) that define types; with none of those, by an installed referential."""
    installed = workspace.registry.referentials
    typed = [installed[ref].tree for ref in sorted(referentials)
             if ref in installed and installed[ref].tree.referential.siae_types]
    for tree in typed:
        _check_type_in(tree, siae_type)
    if not typed:
        known = list(dict.fromkeys(t.id for tree in workspace.referentials()
                                   for t in tree.referential.siae_types))
        if siae_type not in known:
            raise UserError(f"type de structure inconnu « {siae_type} » : choisir parmi "
                            f"{', '.join(known) or 'aucun (les référentiels installés n’en définissent pas)'}")
    return siae_type


def _check_type_in(tree: ReferentialTree, siae_type: str) -> None:
    declared = [t.id for t in tree.referential.siae_types]
    if declared and siae_type not in declared:
        raise UserError(f"le type de structure « {siae_type} » n'est pas défini par le référentiel {tree.id} "
                        f"(types : {', '.join(declared)})")


def _audit_referentials(workspace: Workspace, structure_id: str) -> set[str]:
    return {row.referential for row in workspace_rows(workspace).audits
            if row.error is None and row.structure == structure_id}


def _check_unique(workspace: Workspace, name: str, siae_type: str | None, own_id: str | None) -> None:
    for row in list_structures(workspace).structures:
        if (row.name, row.siae_type) == (name, siae_type) and row.id != own_id:
            raise UserError(f"une structure « {name} » ({siae_type or 'sans type'}) existe déjà : {row.id}")


def _expiry(tree: ReferentialTree, issued: str) -> str:
    """The last day of validity: issued + the referential's validity_years, minus one day."""
    years = tree.referential.metadata.validity_years
    if years is None:
        raise UserError(f"le référentiel {tree.id} ne fixe pas de durée de validité : donner la fin de "
                        "validité du certificat (--valid-until)")
    start = date.fromisoformat(issued)
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February, to a year without one
        anniversary = date(start.year + years, 3, 1)
    return (anniversary - timedelta(days=1)).isoformat()


# Files ---------------------------------------------------------------------------------

def _implied(workspace: Workspace, structure_id: str) -> Structure | None:
    """The record audits without a structure file imply: their name and type."""
    for row in workspace_rows(workspace).audits:
        if row.error is None and row.structure == structure_id:
            return Structure(id=structure_id, name=row.org, siae_type=row.siae_type, created_at=now())
    return None


def _creation_lock(workspace: Workspace) -> FileLock:
    private_subdir(workspace.path, structures_folder(workspace).name)
    return FileLock(workspace.path / CREATION_LOCK)


def _materialise(workspace: Workspace, record: Structure) -> StructureFile:
    """The file of an implied structure, opened for writing (made now unless made meanwhile)."""
    with _creation_lock(workspace):
        return _materialise_locked(workspace, record)


def _materialise_locked(workspace: Workspace, record: Structure) -> StructureFile:
    path = structure_path(workspace, record.id)
    if os.path.lexists(path):
        return StructureFile.open(path)
    return StructureFile.create(path, record)


def _create(workspace: Workspace, name: str, siae_type: str | None, siret: str | None, place: str) -> Structure:
    """Under the creation lock: a new structure file, under its implied id when that is free."""
    taken = {row.structure for row in workspace_rows(workspace).audits if row.error is None}
    structure_id = implied_structure_id(name, siae_type)
    while structure_id in taken or os.path.lexists(structure_path(workspace, structure_id)):
        structure_id = f"{slug(name, 'structure')}-{secrets.token_hex(3)}"
    record = Structure(id=structure_id, name=name, siae_type=siae_type, siret=siret, place=place, created_at=now())
    StructureFile.create(structure_path(workspace, structure_id), record).close()
    return record
