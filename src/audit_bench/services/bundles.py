"""Portable audit bundles: one audit, with all it needs, as one file to hand to another laptop.

A bundle is a zip: the audit file, its frozen referential, its evidence files and the
structure's record, byte for byte as the workspace holds them, and `manifest.json` naming each
member with its size and SHA-256 and the bundle's format version. Unbundling checks everything
before writing anything: the format, each member's name (only the names a bundle can hold: no
path can leave the workspace), sizes (declared against actual, a ratio limit against zip bombs),
each hash, that the audit pins the referential it carries, and that the audit id is new to the
workspace (or `as_copy`: a new id). Then each file is staged as a temp file beside its place and
renamed into it, the audit file last; a failure removes what was placed, so the workspace is as
it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

import msgspec

from audit_bench.model import STRUCTURE_ID, slug
from audit_bench.referential import Referential
from audit_bench.services.audits import audit_path, open_audit
from audit_bench.services.listing import STRUCTURES_FOLDER
from audit_bench.services.reporting import checked_output, link_new, write_private
from audit_bench.services.validation import UserError
from audit_bench.services.workspace import Workspace
from audit_bench.store.atomic import (
    commit_temp_file, discard_temp, ensure_dir, fsync_dir, open_regular, private_subdir, write_temp_file,
)
from audit_bench.store.blobs import evidence_path, evidence_status, frozen_referential_path
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.errors import CorruptFileError, StoreError
from audit_bench.store.structure_file import StructureFile
from audit_bench.store.migrations import AUDIT_FORMATS
from audit_bench.store.storage import decode_document, read_raw

FORMAT = "audit-bench-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MEMBERS = 20_000
MAX_DOCUMENT_BYTES = 256 << 20
"""Largest audit, structure or referential file a bundle may carry."""
MAX_EVIDENCE_BYTES = 1 << 30
MAX_TOTAL_BYTES = 8 << 30
MAX_RATIO = 200
"""Largest uncompressed / compressed ratio of a member above `RATIO_FLOOR` bytes: deflate tops
out near 1,000 on a zip bomb; text rarely passes 20."""
RATIO_FLOOR = 1 << 20
_CHUNK = 1 << 20
_AUDIT_MEMBER = re.compile(r"^audit/(?P<id>[A-Za-z0-9][A-Za-z0-9_\-]{0,199})\.json$")
_REFERENTIAL_MEMBER = re.compile(r"^referentials/(?P<sha>[0-9a-f]{64})\.json$")
_EVIDENCE_MEMBER = re.compile(r"^evidence/(?P<prefix>[0-9a-f]{2})/(?P<sha>[0-9a-f]{64})$")
_STRUCTURE_MEMBER = re.compile(r"^structures/(?P<id>[A-Za-z0-9][A-Za-z0-9_\-]{0,99})\.json$")


class Member(msgspec.Struct, frozen=True):
    sha256: str
    size: int


class Manifest(msgspec.Struct, frozen=True, kw_only=True):
    format: str
    version: int
    audit: str
    members: dict[str, Member]


# Bundling ------------------------------------------------------------------------------------


def bundle_audit(workspace: Workspace, audit_id: str, output: Path, *, force: bool = False) -> Path:
    """Write `audit_id` and all it needs to `output` (a zip, mode 0600, durable). Refuses an
    audit whose evidence files are missing or altered: a bundle hands the audit over intact."""
    output = checked_output(workspace.path, Path(output), force=force)
    with open_audit(workspace, audit_id, write=False) as session:
        snapshot = session.snapshot()
        sources: dict[str, Path] = {f"audit/{audit_id}.json": audit_path(workspace, audit_id)}
        pin = snapshot.header.referential.sha256
        sources[f"referentials/{pin}.json"] = frozen_referential_path(workspace.path, pin)
        for evidence in snapshot.evidence:
            if evidence.sha256 is None:
                continue
            state = evidence_status(workspace.path, evidence.sha256)
            if state != "ok":
                raise UserError(f"preuve {evidence.id} : fichier {'absent' if state == 'missing' else 'modifié'} "
                                "dans l'espace de travail ; le paquet ne peut pas être complet")
            sources[f"evidence/{evidence.sha256[:2]}/{evidence.sha256}"] = evidence_path(workspace.path,
                                                                                         evidence.sha256)
        structure = snapshot.header.structure
        if structure and STRUCTURE_ID.match(structure):
            path = workspace.path / STRUCTURES_FOLDER / f"{structure}.json"
            if path.is_file():
                sources[f"structures/{structure}.json"] = path
        documents = {name: _read(path) for name, path in sources.items() if not name.startswith("evidence/")}
    files = {name: path for name, path in sources.items() if name.startswith("evidence/")}
    members = {name: Member(hashlib.sha256(data).hexdigest(), len(data)) for name, data in documents.items()}
    members.update({name: Member(name.rsplit("/", 1)[1], path.stat().st_size) for name, path in files.items()})
    manifest = Manifest(format=FORMAT, version=FORMAT_VERSION, audit=audit_id, members=members)

    def write(stream: BinaryIO) -> None:
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, msgspec.json.format(msgspec.json.encode(manifest)))
            for name, data in documents.items():
                archive.writestr(name, data)
            for name, path in files.items():  # streamed: evidence files may be large
                _copy_checked(path, archive, name, members[name])

    write_private(output, write, force=force)
    return output


def _copy_checked(path: Path, archive: zipfile.ZipFile, name: str, member: Member) -> None:
    """Copy an evidence file into the bundle, hashing it on the way: it must still be the file
    its name says (a file altered meanwhile aborts the bundle)."""
    digest, size = hashlib.sha256(), 0
    fd = open_regular(path)
    try:
        with archive.open(name, "w", force_zip64=member.size > (1 << 31)) as out:
            while chunk := os.read(fd, _CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    finally:
        os.close(fd)
    if digest.hexdigest() != member.sha256 or size != member.size:
        raise UserError(f"le fichier de preuve {path.name[:16]}… a changé pendant la mise en paquet : relancer")


def _read(path: Path) -> bytes:
    data = read_raw(path)
    if data is None:
        raise UserError(f"fichier introuvable dans l'espace de travail : {path}")
    return data


# Unbundling ----------------------------------------------------------------------------------


@dataclass
class Unbundled:
    audit_id: str
    structure_kept: bool
    """The workspace already had the structure's record: it was kept as it was."""


def check_zip_sizes(path: Path) -> None:
    """Refuse a zip whose directory announces a bomb: too many members, too large a total, a
    member compressed beyond any real document. The actual sizes are checked while reading."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UserError(f"{path.name} : archive zip illisible ou tronquée ({exc})") from exc
    if len(entries) > MAX_MEMBERS:
        raise UserError(f"{path.name} : {len(entries)} éléments, au-delà de la limite de {MAX_MEMBERS}")
    if sum(entry.file_size for entry in entries) > MAX_TOTAL_BYTES:
        raise UserError(f"{path.name} : taille décompressée annoncée au-delà de {MAX_TOTAL_BYTES >> 30} Go")
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise UserError(f"{path.name} : l'élément {entry.filename[:80]!r} se décompresse "
                            f"{entry.file_size // max(entry.compress_size, 1)} fois plus gros : refusé (bombe zip)")


def unbundle(workspace: Workspace, bundle: Path, *, as_copy: bool = False) -> Unbundled:
    """Add the bundled audit to the workspace after every check; returns its id (new if `as_copy`)."""
    bundle = Path(bundle).expanduser()
    if not bundle.is_file():
        raise UserError(f"paquet introuvable : {bundle}")
    check_zip_sizes(bundle)
    try:
        with zipfile.ZipFile(bundle) as archive:
            plan = _checked_plan(workspace, archive, bundle.name, as_copy)
            return _place(workspace, archive, plan)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise UserError(f"{bundle.name} : archive zip illisible ou tronquée ({exc})") from exc


@dataclass
class _Plan:
    audit_id: str
    audit_member: str
    audit_bytes: bytes
    """The audit file as it will be written (its header's id changed for a copy)."""
    files: dict[str, tuple[Path, Member]]
    """Member → where it goes and what it must be, for the members not already in place."""
    structure_kept: bool


def _checked_plan(workspace: Workspace, archive: zipfile.ZipFile, name: str, as_copy: bool) -> _Plan:
    entries = archive.infolist()
    names = [entry.filename for entry in entries]
    if len(set(names)) != len(names):
        raise UserError(f"{name} : un élément y figure deux fois")
    for entry in entries:
        if entry.filename != MANIFEST and not _destination_kind(entry.filename):
            raise UserError(f"{name} : chemin refusé « {entry.filename[:120]} » (hors des emplacements "
                            "d'un paquet audit-bench)")
    if MANIFEST not in names:
        raise UserError(f"{name} : ce n'est pas un paquet audit-bench (manifeste absent)")
    raw_manifest = _member(archive, archive.getinfo(MANIFEST), 1 << 20, name)
    try:
        head = msgspec.json.decode(raw_manifest)
        if not isinstance(head, dict) or head.get("format") != FORMAT:
            raise UserError(f"{name} : ce n'est pas un paquet audit-bench")
        if isinstance(head.get("version"), int) and head["version"] > FORMAT_VERSION:
            raise UserError(f"{name} est au format de paquet {head['version']}, plus récent que celui de cette "
                            f"version d'audit-bench ({FORMAT_VERSION}) : mettez audit-bench à jour")
        manifest = msgspec.convert(head, Manifest)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError) as exc:
        raise UserError(f"{name} : manifeste illisible ({exc})") from exc
    listed, present = set(manifest.members), set(names) - {MANIFEST}
    if listed != present:
        odd = sorted(listed ^ present)[0]
        raise UserError(f"{name} : l'élément « {odd[:120]} » "
                        f"{'manque au paquet' if odd in listed else 'ne figure pas au manifeste'}")
    contents: dict[str, bytes] = {}
    for member_name, member in manifest.members.items():
        info = archive.getinfo(member_name)
        if info.file_size != member.size:
            raise UserError(f"{name} : taille de « {member_name} » différente de celle du manifeste")
        digest = hashlib.sha256()
        kept: list[bytes] = []
        for chunk in _chunks(archive, info, _limit(member_name), name):
            digest.update(chunk)
            if _destination_kind(member_name) != "evidence":  # evidence is read again when placed
                kept.append(chunk)
        contents[member_name] = b"".join(kept)
        if digest.hexdigest() != member.sha256:
            raise UserError(f"{name} : « {member_name} » a été modifié (empreinte SHA-256 différente)")
        match = _EVIDENCE_MEMBER.match(member_name) or _REFERENTIAL_MEMBER.match(member_name)
        if match and match["sha"] != member.sha256:
            raise UserError(f"{name} : « {member_name} » ne correspond pas à son empreinte")

    audit_members = [n for n in manifest.members if _AUDIT_MEMBER.match(n)]
    if len(audit_members) != 1 or _AUDIT_MEMBER.match(audit_members[0])["id"] != manifest.audit:
        raise UserError(f"{name} : le paquet doit contenir le seul audit {manifest.audit[:80]}")
    audit_member = audit_members[0]
    try:
        for member_name, data in contents.items():
            _check_document(member_name, data)
        document = decode_document(Path(audit_member), contents[audit_member])
        upgraded, _ = AUDIT_FORMATS.upgrade(Path(audit_member), decode_document(Path(audit_member),
                                                                                contents[audit_member]))
    except StoreError as exc:
        raise UserError(f"{name} : {exc}") from exc
    header = _header(upgraded, name)
    if header.get("id") != manifest.audit:
        raise UserError(f"{name} : l'audit s'appelle « {str(header.get('id'))[:80]} » dans son fichier")
    pin = (header.get("referential") or {}).get("sha256")
    if f"referentials/{pin}.json" not in manifest.members:
        raise UserError(f"{name} : le référentiel figé que l'audit épingle ({str(pin)[:16]}…) manque au paquet")
    for member_name in manifest.members:
        match = _REFERENTIAL_MEMBER.match(member_name)
        if match and match["sha"] != pin:
            raise UserError(f"{name} : le référentiel « {member_name} » n'est pas celui que l'audit épingle")
    hashes = {row.get("sha256") for row in upgraded.get("evidence", {}).values() if isinstance(row, dict)}
    for sha in hashes - {None}:
        if not isinstance(sha, str) or f"evidence/{sha[:2]}/{sha}" not in manifest.members:
            raise UserError(f"{name} : le fichier de la preuve {str(sha)[:16]}… manque au paquet")

    audit_id = manifest.audit
    audit_bytes = contents[audit_member]
    if audit_path(workspace, audit_id).exists() or audit_path(workspace, audit_id).is_symlink():
        if not as_copy:
            raise UserError(f"l'audit {audit_id} existe déjà dans {workspace.path} : il n'est jamais remplacé "
                            "(--as-copy pour l'ajouter sous un nouvel identifiant)")
    if as_copy:
        audit_id = f"{header.get('date', 'audit')}-{slug(str(header.get('org', '')))}-{secrets.token_hex(2)}"
        document["header"]["1"]["id"] = audit_id
        audit_bytes = msgspec.json.encode(document)

    files: dict[str, tuple[Path, Member]] = {}
    structure_kept = False
    for member_name, member in manifest.members.items():
        if member_name == audit_member:
            continue
        target = _target(workspace, member_name)
        if _destination_kind(member_name) == "structure":
            if target.exists() or target.is_symlink():
                structure_kept = True
                continue
        elif target.exists() and _same_bytes(target, member.sha256):
            continue
        files[member_name] = (target, member)
    return _Plan(audit_id, audit_member, audit_bytes, files, structure_kept)


def _check_document(member_name: str, data: bytes) -> None:
    """An audit, structure or referential file is checked as opening it would check it: a
    bundle never leaves in the workspace a file audit-bench would then refuse to read."""
    kind, path = _destination_kind(member_name), Path(member_name)
    if kind == "audit":
        AuditFile.check_bytes(path, data)
    elif kind == "structure":
        StructureFile.check_bytes(path, data)
    elif kind == "referential":
        try:
            msgspec.json.decode(data, type=Referential)
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError) as exc:
            raise CorruptFileError(path, str(exc)) from exc


def _header(document: dict, name: str) -> dict:
    table = document.get("header")
    row = table.get("1") if isinstance(table, dict) else None
    if not isinstance(row, dict):
        raise UserError(f"{name} : en-tête de l'audit absent")
    return row


def _destination_kind(member_name: str) -> str | None:
    for kind, pattern in (("audit", _AUDIT_MEMBER), ("referential", _REFERENTIAL_MEMBER),
                          ("evidence", _EVIDENCE_MEMBER), ("structure", _STRUCTURE_MEMBER)):
        match = pattern.match(member_name)
        if match and (kind != "evidence" or match["prefix"] == match["sha"][:2]):
            return kind
    return None


def _limit(member_name: str) -> int:
    return MAX_EVIDENCE_BYTES if _destination_kind(member_name) == "evidence" else MAX_DOCUMENT_BYTES


def _target(workspace: Workspace, member_name: str) -> Path:
    """Where a member goes: built from the checked name's parts, never from the raw path."""
    for pattern, place in ((_REFERENTIAL_MEMBER, lambda m: frozen_referential_path(workspace.path, m["sha"])),
                           (_EVIDENCE_MEMBER, lambda m: evidence_path(workspace.path, m["sha"])),
                           (_STRUCTURE_MEMBER, lambda m: workspace.path / STRUCTURES_FOLDER / f"{m['id']}.json")):
        match = pattern.match(member_name)
        if match:
            return place(match)
    raise UserError(f"chemin refusé « {member_name[:120]} »")


def _same_bytes(path: Path, sha256: str) -> bool:
    data = read_raw(path)
    return data is not None and hashlib.sha256(data).hexdigest() == sha256


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    return b"".join(_chunks(archive, info, limit, name))


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> Iterator[bytes]:
    """A member's bytes, refused as soon as they pass what its entry declares or `limit`."""
    if info.file_size > limit:
        raise UserError(f"{name} : « {info.filename[:120]} » dépasse la taille permise")
    total = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > info.file_size:
                raise UserError(f"{name} : « {info.filename[:120]} » est plus gros que sa taille déclarée "
                                "(bombe zip ?)")
            yield chunk
    if total != info.file_size:
        raise UserError(f"{name} : « {info.filename[:120]} » est tronqué")


def _place(workspace: Workspace, archive: zipfile.ZipFile, plan: _Plan) -> Unbundled:
    """Stage every file beside its place (temp files, fsync'd), then rename each into place,
    the audit file last; on failure, remove what was placed and every temp file."""
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    ensure_dir(workspace.path)
    try:
        for member_name, (target, member) in plan.files.items():
            folder = target.parent
            kind = _destination_kind(member_name)
            if kind == "evidence":
                private_subdir(workspace.path, "evidence", target.parent.name)
            else:
                private_subdir(workspace.path, folder.name)
            digest = hashlib.sha256()

            def hashed(info: zipfile.ZipInfo = archive.getinfo(member_name)) -> Iterator[bytes]:
                for chunk in _chunks(archive, info, _limit(member_name), "paquet"):
                    digest.update(chunk)
                    yield chunk

            temp = write_temp_file(target, hashed())
            staged.append((temp, target))
            if digest.hexdigest() != member.sha256:  # the bundle changed since it was checked
                raise UserError(f"« {member_name} » a changé pendant la lecture du paquet : relancer")
        audit_target = audit_path(workspace, plan.audit_id)
        audit_temp = write_temp_file(audit_target, [plan.audit_bytes])
        staged.append((audit_temp, audit_target))
        for temp, target in staged[:-1]:
            existed = os.path.lexists(target)
            if existed and target.parent.name == STRUCTURES_FOLDER:
                discard_temp(temp)  # created meanwhile: the workspace's own record is kept
                continue
            commit_temp_file(temp, target)  # a blob: same name, same bytes (an altered copy is repaired)
            if not existed:
                placed.append(target)
        try:
            link_new(audit_temp, audit_target)  # never replaces an audit that appeared meanwhile
        except FileExistsError:
            raise UserError(f"l'audit {plan.audit_id} est apparu pendant l'import : rien n'a été ajouté") from None
        discard_temp(audit_temp)
        fsync_dir(workspace.path)
    except BaseException:
        for temp, _ in staged:
            discard_temp(temp)
        for target in placed:
            target.unlink(missing_ok=True)
        raise
    return Unbundled(plan.audit_id, plan.structure_kept)
