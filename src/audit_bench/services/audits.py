"""Creating and opening the audits of a workspace (listing them: `services.listing`)."""

from __future__ import annotations

import re
import secrets
from datetime import date
from pathlib import Path

from audit_bench.model import KINDS, AuditHeader, ReferentialPin, slug
from audit_bench.referential.schema import kinds_offered
from audit_bench.services.clock import now
from audit_bench.services.listing import audit_structure_id
from audit_bench.services.session import AuditSession
from audit_bench.services.structures import structure_for_audit, structure_name
from audit_bench.services.validation import UserError, check_choice, check_date, check_optional_text, check_text
from audit_bench.services.workspace import Workspace
from audit_bench.store.atomic import ensure_dir
from audit_bench.store.audit_file import AuditFile

_AUDIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


def audit_path(workspace: Workspace, audit_id: str) -> Path:
    if not _AUDIT_ID.match(audit_id):
        raise UserError(f"identifiant d'audit invalide « {audit_id} »")
    return workspace.path / f"{audit_id}.json"


def create_audit(workspace: Workspace, referential: str | None, org: str | None = None, kind: str | None = None,
                 siae_type: str | None = None, audit_date: str | None = None, auditors: list[str] | None = None,
                 end_date: str | None = None, objectives: str = "", scope: str = "", place: str = "",
                 structure: str | None = None, from_audit: str | None = None) -> AuditHeader:
    """A new audit on a structure: `structure` (an id: its type is the audit's), or `org` (the
    structure of that exact name and type, created when there is none). With `from_audit`, it
    starts from that audit: same structure and referential (its current version), its kind by
    default. Every input is checked before anything is written."""
    if from_audit is not None:
        referential, structure, kind = _from_previous(workspace, from_audit, referential, org, structure, kind,
                                                      audit_date)
    if referential is None:
        raise UserError("donner le référentiel de l'audit (--referential), ou l'audit dont il part (--from)")
    tree = workspace.referential(referential)
    check_choice(kind or "", KINDS, "type d'audit")
    if kind not in kinds_offered(tree.referential):
        raise UserError(f"le référentiel {tree.id} ne sert pas aux audits de type « {KINDS[kind]} » : "
                        f"choisir parmi {', '.join(kinds_offered(tree.referential))}")
    if audit_date is None and tree.referential.date_required:
        raise UserError(f"le référentiel {tree.id} demande la date de l'évaluation (--date)")
    audit_date = date.today().isoformat() if audit_date is None else check_date(audit_date)
    end_date = None if end_date is None else check_date(end_date, "date de fin")
    if end_date is not None and end_date < audit_date:
        raise UserError("la date de fin précède la date de début")
    auditors = [check_text(name, "le nom de l'auditeur") for name in auditors or [] if name.strip()]
    objectives = check_optional_text(objectives, "les objectifs")
    scope = check_optional_text(scope, "le périmètre")
    place = check_optional_text(place, "le lieu")
    record, siae_type = structure_for_audit(workspace, tree, structure, org, siae_type)
    audit_id = f"{audit_date}-{slug(record.name)}-{secrets.token_hex(2)}"
    ensure_dir(workspace.path)
    workspace.freeze(tree)
    header = AuditHeader(
        id=audit_id,
        referential=ReferentialPin(id=tree.id, version=tree.version, sha256=tree.content_hash,
                                   title=tree.referential.title),
        org=record.name, structure=record.id, siae_type=siae_type, kind=kind, date=audit_date,
        end_date=end_date, auditors=auditors, objectives=objectives, scope=scope, place=place,
        created_at=now(), from_audit=from_audit,
    )
    AuditFile.create(audit_path(workspace, audit_id), header).close()
    return header


def _from_previous(workspace: Workspace, from_audit: str, referential: str | None, org: str | None,
                   structure: str | None, kind: str | None, audit_date: str | None) -> tuple[str, str, str]:
    """The referential, structure and kind of an audit that starts from `from_audit`: those of the
    previous audit; a different one given is refused."""
    with open_audit(workspace, from_audit, write=False) as previous:
        header = previous.snapshot().header
    same_structure = audit_structure_id(header)
    if referential is not None and referential != header.referential.id:
        raise UserError(f"l'audit {from_audit} porte sur le référentiel {header.referential.id}, pas {referential} : "
                        "un audit qui part du précédent garde son référentiel")
    if org is not None or (structure is not None and structure != same_structure):
        raise UserError(f"un audit qui part de {from_audit} porte sur sa structure ({same_structure}) : "
                        "retirer --org / --structure")
    if audit_date is not None and check_date(audit_date) < header.date:
        raise UserError(f"l'audit {from_audit} du {header.date} est postérieur au nouvel audit : partir d'un "
                        "audit antérieur")
    offered = kinds_offered(workspace.referential(header.referential.id).referential)
    if kind is None:
        kind = header.kind if header.kind in offered else offered[0]
    return header.referential.id, same_structure, kind


def open_audit(workspace: Workspace, audit_id: str, *, write: bool = True) -> AuditSession:
    """Open an audit; if another process writes it, the session is read-only and says who."""
    path = audit_path(workspace, audit_id)
    if not path.exists():
        raise UserError(f"audit inconnu « {audit_id} » dans {workspace.path}")
    file = AuditFile.open(path, write=write)
    try:
        header = file.header()
        tree = workspace.frozen_tree(path, header.referential)
    except BaseException:
        file.close()
        raise
    org = structure_name(workspace, header.structure, header.org)
    return AuditSession(workspace.path, file, tree, workspace.scores, org=org)
