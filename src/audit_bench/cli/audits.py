"""`new`, `audits`, `show`, `close`, `reopen`, `demo`: the audits of a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.common import (
    Choice, echo, emit_id, emit_json, guarded, non_empty, open_session, open_workspace, visible, workspace_option,
)
from audit_bench.model.vocab import ACTION_STATUSES, AUDIT_STATUSES, KINDS

if TYPE_CHECKING:
    from audit_bench.services.views import AuditsView, ShowView

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")


def one_line(text: str) -> str:
    """User text on one line of the text output: escaped, its line breaks folded."""
    return " ".join(visible(text).split())


@click.command("new")
@click.option("--referential", "ref", default=None, callback=non_empty,
              help="Identifiant du référentiel (obligatoire, sauf avec --from).")
@click.option("--structure", default=None, callback=non_empty, metavar="ID",
              help="Identifiant de la structure auditée (voir audit-bench structures).")
@click.option("--org", default=None, callback=non_empty,
              help="Nom de la structure auditée : celle de ce nom et de ce type, créée s'il n'y en a pas.")
@click.option("--siae-type", default=None, callback=non_empty, help="Type de structure défini par le référentiel.")
@click.option("--kind", default=None, type=Choice(list(KINDS)),
              help="Type d'audit (obligatoire, sauf avec --from : celui de l'audit précédent).")
@click.option("--date", "audit_date", default=None, callback=non_empty,
              help="Date de l'audit (AAAA-MM-JJ, défaut : aujourd'hui).")
@click.option("--end-date", default=None, callback=non_empty, help="Dernier jour de l'audit (AAAA-MM-JJ).")
@click.option("--auditor", "auditors", multiple=True, callback=non_empty, help="Auditeur (répéter l'option).")
@click.option("--scope", default="", help="Périmètre de l'audit.")
@click.option("--objectives", default="", help="Objectifs de l'audit.")
@click.option("--place", default="", help="Lieu(x) de l'audit.")
@click.option("--from", "from_audit", default=None, callback=non_empty, metavar="AUDIT",
              help="Partir de cet audit (même structure, même référentiel) : ses cotations, constats, preuves "
                   "et écarts ouverts servent de référence.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def new_command(ctx: click.Context, ref: str | None, structure: str | None, org: str | None, siae_type: str | None,
                kind: str | None, audit_date: str | None, end_date: str | None, auditors: tuple[str, ...], scope: str,
                objectives: str, place: str, from_audit: str | None, as_json: bool, workspace: Path | None) -> None:
    """Créer un audit sur une structure (--structure ou --org), ou à partir du précédent (--from) ;
    affiche son identifiant."""
    from audit_bench.services import create_audit
    from audit_bench.services.cycle import header_auditor_warnings

    if from_audit is None:
        for value, option in ((kind, "--kind"), (ref, "--referential")):
            if value is None:
                raise click.UsageError(f"option {option} obligatoire : voir --help (ou --from AUDIT)")
    bench = open_workspace(ctx, workspace)
    header = create_audit(bench, ref, org, kind, siae_type, audit_date, list(auditors), end_date=end_date,
                          objectives=objectives, scope=scope, place=place, structure=structure,
                          from_audit=from_audit)
    check = header_auditor_warnings(bench, bench.referential(header.referential.id), header)
    for warning in check[1] if check is not None else []:
        echo(f"attention : {warning} ({check[0]})", err=True)
    emit_id(header.id, as_json)


@click.command("audits")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def audits_command(ctx: click.Context, as_json: bool, workspace: Path | None) -> None:
    """Les audits de l'espace de travail, avec leur avancement et leurs écarts ouverts."""
    from audit_bench.services import list_audits
    from audit_bench.services.views import audit_rows_view

    opened = open_workspace(ctx, workspace)
    view = audit_rows_view(list_audits(opened))
    if opened.index_warning:
        echo(f"attention : {opened.index_warning}", err=True)
    if as_json:
        emit_json(view)
        return
    print_audits(view)


FILE_PROBLEMS = {"missing": " : ABSENT de l'espace de travail", "altered": " : MODIFIÉ depuis son dépôt"}
"""How `show` flags an attached file that is no longer what was filed (see `EvidenceView.file`)."""


def print_audits(view: AuditsView) -> None:
    if not view.audits and not view.errors:
        echo("Aucun audit. Créez-en un avec « audit-bench new » ou chargez la démo : « audit-bench demo ».")
    for line in view.audits:
        closed = "  [clos]" if line.status == "closed" else ""
        echo(f"{line.id}  {line.referential:<8} {one_line(line.org)} ({line.siae_type or '—'})  "
             f"{KINDS.get(line.kind, line.kind)}  {line.date}  {line.assessed}/{line.total} cotées  "
             f"{line.open_findings} écart(s) ouvert(s){closed}")
    for error in view.errors:
        echo(f"{error.id}  ERREUR : {one_line(error.error)}", err=True)


@click.command("show")
@click.argument("audit_id", metavar="AUDIT")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def show_command(ctx: click.Context, audit_id: str, as_json: bool, workspace: Path | None) -> None:
    """En-tête, avancement, scores, cotations, preuves, écarts et actions d'un audit."""
    import msgspec

    from audit_bench.services.followup import follow_up_view, previous_of
    from audit_bench.services.views import show_view

    from audit_bench.services.errors import REFUSALS, refusal_message

    bench = open_workspace(ctx, workspace)
    with open_session(bench, audit_id, write=False) as session:
        view = show_view(session)
        try:
            previous = previous_of(bench, session)
        except REFUSALS as exc:  # deleted or damaged since: the audit is shown all the same
            previous = None
            echo(f"attention : audit précédent {view.from_audit} illisible : {refusal_message(exc)}", err=True)
    if previous is not None:
        view = msgspec.structs.replace(view, follow_up=follow_up_view(previous))
    if as_json:
        emit_json(view)
        return
    print_show(view)


def print_show(view: ShowView) -> None:
    period = f"du {view.date}" + (f" au {view.end_date}" if view.end_date else "")
    echo(f"{one_line(view.org)} — {view.referential.id} version {view.referential.version} — "
         f"{KINDS.get(view.kind, view.kind)} {period} ({AUDIT_STATUSES.get(view.status, view.status)})")
    if view.siae_type:
        echo(f"Type de structure : {view.siae_type}")
    if view.auditors:
        echo("Auditeurs : " + ", ".join(one_line(name) for name in view.auditors))
    echo(f"Avancement : {view.progress.assessed}/{view.progress.total} exigences cotées")
    if view.conclusion is not None:
        recommendation = view.conclusion.recommendation
        echo(f"Conclusion : {one_line(view.conclusion.text)}"
             + (f" (recommandation : {recommendation})" if recommendation else ""))
    for score in view.scores:
        percent = "—" if score.percent is None else f"{score.percent:.0f} %"
        echo(f"  {'  ' * max(score.depth, 0)}{score.section} {one_line(score.title)} : {percent}")
    for a in view.assessments:
        echo(f"  {a.requirement:<10} {a.rating or 'non cotée':<6} {one_line(a.note)}")
    for e in view.evidence:
        details = " — ".join(one_line(part) for part in (e.version, e.location) if part)
        attached = f" [fichier {one_line(e.filename)}{FILE_PROBLEMS.get(e.file, '')}]" if e.filename else ""
        reviewed = f" [revue le {e.reviewed_on}, reprise de {e.carried_from}]" if e.carried_from else ""
        echo(f"  preuve {e.id} ({e.requirement}) {one_line(e.title)}" + (f" — {details}" if details else "")
             + attached + reviewed)
    for f in view.findings:
        echo(f"  écart {f.id} ({f.requirement}, {f.class_}) {one_line(f.text)}")
        for a in f.actions:
            verified = ""
            if a.verified_by:
                verdict = "efficace" if a.effective else "non efficace"
                verified = f", {verdict} selon {one_line(a.verified_by)}"
            echo(f"    action {a.id} {one_line(a.text)} — {one_line(a.owner)}, échéance {a.due}, "
                 f"{ACTION_STATUSES.get(a.status, a.status).lower()}{verified}")
    for message in view.pending:
        echo(f"  à compléter : {one_line(message)}")
    follow_up = view.follow_up
    if follow_up is not None:
        echo(f"Suivi de l'audit précédent {follow_up.audit} ({KINDS.get(follow_up.kind, follow_up.kind)} du "
             f"{follow_up.date}, version {follow_up.referential_version}) : "
             f"{len(follow_up.open_findings)} écart(s) ouvert(s)")
        for f in follow_up.open_findings:
            where = f.now_requirement or f"{f.requirement}, retirée de cette version"
            echo(f"  écart {f.id} ({where}, {f.class_}) {one_line(f.text)}")
            for a in f.actions:
                echo(f"    action {a.id} {one_line(a.text)} — {one_line(a.owner)}, échéance {a.due}, "
                     f"{ACTION_STATUSES.get(a.status, a.status).lower()}")
        for change in follow_up.modified:
            echo(f"  exigence modifiée {change.requirement} : « {one_line(change.previous_text or '')} » → "
                 f"« {one_line(change.text)} »")
        for change in follow_up.renumbered:
            echo(f"  exigence renumérotée {change.previous_id} → {change.requirement}")
        for change in follow_up.added:
            echo(f"  exigence nouvelle {change.requirement} : {one_line(change.text)}")
        for change in follow_up.removed:
            echo(f"  exigence retirée {change.requirement} : {one_line(change.text)}")


@click.command("close")
@click.argument("audit_id", metavar="AUDIT")
@workspace_option
@click.pass_context
@guarded
def close_command(ctx: click.Context, audit_id: str, workspace: Path | None) -> None:
    """Clore un audit : cotations, preuves et écarts figés ; les actions restent suivies."""

    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        for pending in session.close_audit():
            echo(f"à compléter : {one_line(pending.message)}", err=True)


@click.command("edit")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--place", default=None, help="Lieu de l'audit (vide : l'effacer).")
@click.option("--objectives", default=None, help="Objectifs de l'audit.")
@click.option("--scope", default=None, help="Champ de l'audit.")
@click.option("--end-date", default=None, help="Dernier jour de l'audit (vide : un audit d'un jour).")
@click.option("--auditor", "auditors", multiple=True, callback=non_empty,
              help="Auditeur (répéter l'option) : remplace l'équipe.")
@workspace_option
@click.pass_context
@guarded
def edit_command(ctx: click.Context, audit_id: str, place: str | None, objectives: str | None, scope: str | None,
                 end_date: str | None, auditors: tuple[str, ...], workspace: Path | None) -> None:
    """Compléter l'en-tête d'un audit : lieu, objectifs, champ, date de fin, auditeurs."""
    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        session.edit_header(place, objectives, scope, end_date, list(auditors) if auditors else None)


@click.command("reopen")
@click.argument("audit_id", metavar="AUDIT")
@workspace_option
@click.pass_context
@guarded
def reopen_command(ctx: click.Context, audit_id: str, workspace: Path | None) -> None:
    """Rouvrir un audit clos."""
    with open_session(open_workspace(ctx, workspace), audit_id) as session:
        session.reopen_audit()


@click.command("demo")
@click.option("--plugin", default=None, callback=non_empty,
              help="Seulement la démo de ce plugin (défaut : tous les plugins installés).")
@workspace_option
@click.pass_context
@guarded
def demo_command(ctx: click.Context, plugin: str | None, workspace: Path | None) -> None:
    """Remplir l'espace de travail d'un audit réaliste par référentiel installé."""
    from audit_bench.services.demo import load_demo
    from audit_bench.services.errors import UserError

    bench = open_workspace(ctx, workspace)
    if plugin is not None:
        installed = sorted({bench.plugin_of(tree.id) for tree in bench.referentials()})
        if plugin not in installed:
            raise UserError(f"plugin inconnu « {plugin} » : choisir parmi {', '.join(installed) or 'aucun'}")
    created = load_demo(bench, plugin=plugin)
    for audit_id in created:
        echo(audit_id)
    for error in bench.plugin_errors():
        echo(f"ERREUR plugin {error.plugin} : {one_line(error.error)}", err=True)
    if not created:
        echo("Démo déjà chargée (aucun nouvel audit).", err=True)


COMMANDS = [new_command, audits_command, show_command, close_command, edit_command, reopen_command, demo_command]
