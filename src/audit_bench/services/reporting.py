"""Build the PDF audit report of an open audit: gather the figures, ask the plugins, write safely.

The report prints what the services decide (`rules`): progress, open écarts, écarts by class,
what is still owed, the state of attached files. It is written only where it cannot replace the
workspace's data, a device or a file the user did not ask to replace.
"""

from __future__ import annotations

import errno
import os
import stat
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable

import msgspec

from audit_bench.services import rules
from audit_bench.services.validation import UserError
from audit_bench.model import slug
from audit_bench.services.walk import REPORTS_FOLDER, report_path
from audit_bench.store.atomic import (
    DIR_MODE, commit_temp_file, discard_temp, ensure_dir, fsync_dir, write_temp_file,
)
from audit_bench.store.errors import StoreError

if TYPE_CHECKING:
    from audit_bench.reports.content import AuditorCheck, FollowUp, PluginContribution, ReportInput
    from audit_bench.services.session import AuditSession
    from audit_bench.services.workspace import Workspace

REPORT_HOOK = "report_sections"


def build_report(workspace: Workspace, session: AuditSession, output: Path, *,
                 today: date | None = None, force: bool = False, template: Path | None = None) -> list[str]:
    """Write the report of `session` to `output` (mode 0600, durable, never half-written): a Word
    document when its name ends in .docx (on `template` when given), a PDF otherwise.

    Refuses (UserError) a path inside the workspace's data, a path that is not a regular file,
    an existing file unless `force`, and a template that cannot be used (before anything is
    written). Returns French warnings for the user: plugin sections printed as missing,
    requirements not yet rated, what is still owed, damaged evidence files.
    """
    from audit_bench.reports.content import EVIDENCE_PROBLEMS

    output = checked_output(workspace.path, Path(output), force=force)
    word = is_word(output)
    if template is not None and not word:
        raise UserError("--template s'applique au rapport Word : donner un fichier de sortie en .docx")
    if template is not None:
        template = _checked_template(Path(template))
    data = report_input(workspace, session, today or date.today())
    if word:
        from audit_bench.reports.docx import TemplateError, render_docx  # python-docx: heavy

        try:
            rendered = render_docx(data, template)
        except TemplateError as exc:
            raise UserError(str(exc)) from exc
        payload, missing, warnings = rendered.docx, rendered.missing_sections, list(rendered.left_out)
    else:
        from audit_bench.reports.audit_report import render_audit_report  # reportlab: heavy

        pdf = render_audit_report(data)
        payload, missing, warnings = pdf.pdf, pdf.missing_sections, []
    write_private(output, payload, force=force)

    warnings += [f"section du module « {c.plugin} » manquante dans le rapport : {c.error}" for c in missing]
    if data.progress.remaining:
        left = data.progress.remaining
        warnings.append(f"{left} exigence applicable non cotée : elle figure dans « Points non couverts »" if left == 1
                        else f"{left} exigences applicables non cotées : elles figurent dans « Points non couverts »")
    warnings += data.pending
    warnings += [f"preuve {evidence_id} : {EVIDENCE_PROBLEMS[state]}"
                 for evidence_id, state in data.evidence_states.items() if state in EVIDENCE_PROBLEMS]
    if data.follow_up is not None and data.follow_up.error is not None:
        warnings.append(f"audit précédent {data.follow_up.audit_id} illisible : {data.follow_up.error}")
    return warnings


def is_word(output: Path) -> bool:
    """A report named *.docx is written for Word; any other name gets the PDF."""
    return output.suffix.lower() == ".docx"


def _checked_template(template: Path) -> Path:
    template = template.expanduser()
    if not template.is_file():
        raise UserError(f"modèle introuvable : {template}")
    if template.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(f"modèle {template.name} : un document Word (.docx) est attendu")
    return template


def report_input(workspace: Workspace, session: AuditSession, today: date, *, sections: bool = True) -> ReportInput:
    """Everything the report prints, decided here by the rules, none of it by the report; the
    structure under its current name. `sections`: ask the plugins for their report sections
    (a workbook has no use for them)."""
    from audit_bench.reports.content import ClassTally, ReportInput

    tree, snapshot = session.tree, session.snapshot()
    shown = msgspec.structs.replace(snapshot, header=msgspec.structs.replace(snapshot.header, org=session.org))
    return ReportInput(
        tree=tree, audit=shown, scores=session.scores(), progress=rules.progress(tree, snapshot),
        open_findings=frozenset(f.id for f in rules.open_findings(tree, snapshot)),
        class_counts=[ClassTally(c.label, c.recorded, c.open, c.to_write)
                      for c in rules.counts_by_class(tree, snapshot)],
        pending=[p.message for p in rules.pending(tree, snapshot)],
        evidence_states=session.evidence_states(),
        contributions=plugin_contributions(workspace, session) if sections else [], generated_on=today,
        follow_up=follow_up(workspace, session), auditor_check=auditor_check(workspace, session))


def follow_up(workspace: Workspace, session: AuditSession) -> FollowUp | None:
    """The previous audit's open écarts and the referential's changes, for the report."""
    from audit_bench.reports.content import FollowedFinding, FollowUp
    from audit_bench.services.errors import REFUSALS, refusal_message
    from audit_bench.services.followup import previous_of

    try:
        previous = previous_of(workspace, session)
    except REFUSALS as exc:  # deleted or damaged since: the section says so, the report is still made
        return FollowUp(session.snapshot().header.from_audit, "", "", "", [], error=refusal_message(exc))
    if previous is None:
        return None
    classes = previous.tree.finding_classes
    findings = [FollowedFinding(f.id, f.requirement, previous.new_id(f.requirement),
                                classes[f.class_].label if f.class_ in classes else f.class_, f.text,
                                previous.actions_of(f.id)) for f in previous.open_findings]
    header = previous.header
    return FollowUp(header.id, header.kind, header.date, header.referential.version, findings,
                    modified=[(c.requirement, c.previous_text, c.text) for c in previous.modified],
                    renumbered=[(c.previous_id, c.requirement) for c in previous.renumbered],
                    added=[(c.requirement, c.text) for c in previous.added],
                    removed=[(c.requirement, c.text) for c in previous.removed])


def auditor_check(workspace: Workspace, session: AuditSession) -> AuditorCheck | None:
    """What the referential asks of internal auditors and what this audit's miss, for the report."""
    from audit_bench.reports.content import AuditorCheck
    from audit_bench.services.cycle import header_auditor_warnings

    found = header_auditor_warnings(workspace, session.tree, session.snapshot().header)
    return AuditorCheck(*found) if found is not None else None


def proposed_report_path(workspace: Path, session: AuditSession, suffix: str = ".pdf") -> Path:
    """Where the Synthèse proposes to write the report: the workspace's `rapports/` folder, the
    file named from the structure and the audit's first day (`les-saules-2026-11-20.pdf`)."""
    return report_path(workspace, f"{slug(session.org)}-{session.snapshot().header.date}", suffix)


def chosen_report_path(typed: str, proposed: Path) -> Path:
    """The file the auditor typed, absolute (`~` expanded): in a folder typed, the proposed name;
    without a suffix, the proposed one (.pdf, .docx)."""
    if not typed.strip():
        raise UserError("chemin du rapport vide : donner le fichier à écrire")
    path = Path(typed.strip()).expanduser().absolute()
    if path.is_dir() and not path.is_symlink():
        return path / proposed.name
    return path if path.suffix else path.with_name(path.name + proposed.suffix)


def checked_output(workspace: Path, output: Path, *, force: bool) -> Path:
    """`output` if a report (or an export, a bundle, a calendar) may be written there; its folder
    is created only when it is the workspace's reports folder (mode 0700)."""
    output = output.expanduser().absolute()
    if output.parent == workspace.absolute() / REPORTS_FOLDER:
        private_folder(output.parent)
    folder = output.parent.resolve()  # a symlinked folder is judged by where it leads
    root = workspace.resolve()
    reports = root / REPORTS_FOLDER
    if folder.is_relative_to(root) and not folder.is_relative_to(reports):
        raise UserError(f"refusé : {output} est dans l'espace de travail {workspace}, dont les fichiers ne "
                        f"doivent pas être remplacés ; écrire le fichier ailleurs ou dans {reports}")
    try:
        mode = os.lstat(output).st_mode
    except FileNotFoundError:
        if not folder.is_dir():
            raise UserError(f"dossier introuvable : {output.parent}") from None
        return folder / output.name
    if stat.S_ISDIR(mode):
        raise UserError(f"{output} est un dossier : donner le chemin du fichier à écrire")
    if stat.S_ISLNK(mode):
        raise UserError(f"refusé : {output} est un lien symbolique ; donner le chemin d'un fichier ordinaire")
    if not stat.S_ISREG(mode):
        raise UserError(f"refusé : {output} n'est pas un fichier ordinaire (périphérique, tube…) ; "
                        "donner le chemin d'un fichier ordinaire")
    if not force:
        raise UserError(f"le fichier {output} existe déjà : choisir un autre nom, ou demander son "
                        "remplacement (--force)")
    return folder / output.name


def private_folder(path: Path) -> None:
    """Create `path` if needed and keep it 0700: reports describe people, like the audits."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise UserError(f"refusé : {path} n'est pas un dossier ordinaire")
    ensure_dir(path)
    os.chmod(path, DIR_MODE)


def write_private(output: Path, payload: bytes | Callable[[BinaryIO], None], *, force: bool) -> None:
    """Write a file for the user (report, export, bundle) at a path `checked_output` accepted:
    `payload` is its bytes, or a function writing them to a file object (a bundle too large to
    hold in memory). Temp file, fsync, then a link that fails if the name was taken meanwhile, or,
    when replacing, a rename made only after checking again that the target is a regular file."""
    temp = None
    try:
        if callable(payload):
            temp = write_temp_file(output, [], durable=False)
            with os.fdopen(os.open(temp, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC), "r+b") as stream:
                payload(stream)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            temp = write_temp_file(output, [payload])
        if force and _is_regular(output):
            commit_temp_file(temp, output)
        else:
            link_new(temp, output)
            fsync_dir(output.parent)
    except FileExistsError:
        raise UserError(f"le fichier {output} est apparu pendant son écriture : "
                        "relancer la commande") from None
    except StoreError as exc:
        raise UserError(f"refusé : {exc}") from exc
    except OSError as exc:
        raise UserError(f"impossible d'écrire {output} : {exc.strerror or exc}") from exc
    finally:
        if temp is not None:
            discard_temp(temp)


def link_new(temp: Path, output: Path) -> None:
    """Give the temp file its final name only if that name is free (a hard link never replaces).
    Where the file system has no hard links (FAT on a USB key), check, then rename."""
    try:
        os.link(temp, output)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
            raise
        if os.path.lexists(output):
            raise FileExistsError(output) from exc
        os.replace(temp, output)


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def plugin_contributions(workspace: Workspace, session: AuditSession) -> list[PluginContribution]:
    """Each plugin's report sections, or the error that stands in for its missing section."""
    from audit_bench.reports.content import PluginContribution
    from audit_bench.services.history import history as earlier_audits

    registry = workspace.registry
    snapshot = session.snapshot()
    history = earlier_audits(workspace, snapshot)
    outcome = registry.call(REPORT_HOOK, tree=session.tree, audit=snapshot, history=history)
    contributions = [PluginContribution(error.plugin, error=error.error) for error in outcome.errors]
    for plugin, sections in outcome.results:
        if not isinstance(sections, (list, tuple)):
            sections = [sections]
        contributions += [PluginContribution(plugin, section=section) for section in sections]
    return contributions
