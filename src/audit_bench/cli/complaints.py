"""`complaint add|answer|show|ecart|bilan|settings` and `complaints STRUCT`: the complaints register
(AFAQ 6.4, CEDRE 8.B3/8.C2)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import Choice, Group, echo, emit_json, guarded, non_empty, open_workspace, workspace_option
from audit_bench.model.complaints import ANSWER_KINDS, CHANNELS, COMPLAINANTS, COMPLAINT_STATUSES, DELAY_UNITS
from audit_bench.model.vocab import ECART_CLASSES

if TYPE_CHECKING:
    from audit_bench.services.complaints import AnswerDelay, ComplaintBilan, ComplaintRow, ComplaintView

YEAR = click.IntRange(1900, 9999)


def delay_text(delay: AnswerDelay | None) -> str:
    """« 5 jours ouvrables (AFAQ 6.4 — …) », or that no delay is fixed."""
    from audit_bench.services.complaints import NO_DELAY

    return f"{delay.text} ({delay.rule})" if delay is not None else NO_DELAY


def row_line(row: ComplaintRow) -> str:
    answered = (f"réponse le {row.answered_on} ({ANSWER_KINDS[row.answer_kind].lower()})"
                if row.answered_on and row.answer_kind else "sans réponse")
    due = f"due le {row.answer_due}" if row.answer_due else "délai non fixé"
    late = "  EN RETARD" if row.late else ""
    return (f"{row.id}  reçue le {row.received}  {CHANNELS.get(row.channel, row.channel)}  {due}  {answered}  "
            f"[{COMPLAINT_STATUSES.get(row.status, row.status)}]{late}")


@click.command("complaints")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--year", type=YEAR, default=None, metavar="AAAA", help="Les réclamations reçues cette année.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def complaints_command(ctx: click.Context, structure_id: str, year: int | None, as_json: bool,
                       workspace: Path | None) -> None:
    """Le registre des réclamations d'une structure : échéances, réponses, retards."""
    from audit_bench.services.complaints import list_complaints

    view = list_complaints(open_workspace(ctx, workspace), structure_id, year)
    if as_json:
        emit_json(view.to_builtins())
        return
    if not view.complaints:
        echo("Aucune réclamation." if year is None else f"Aucune réclamation reçue en {year}.")
    for row in view.complaints:
        echo(row_line(row))


@click.group("complaint", cls=Group)
def complaint_group() -> None:
    """Enregistrer une réclamation, sa réponse, l'écart qu'elle soulève ; le bilan annuel."""


@complaint_group.command("add")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--received", required=True, callback=non_empty, metavar="DATE",
              help="Date de réception (AAAA-MM-JJ ou JJ/MM/AAAA).")
@click.option("--channel", required=True, type=Choice(list(CHANNELS)), help=f"Canal : {', '.join(CHANNELS)}.")
@click.option("--from", "complainant", required=True, type=Choice(list(COMPLAINANTS)),
              help=f"Type de réclamant (jamais son nom) : {', '.join(COMPLAINANTS)}.")
@click.option("--subject", required=True, callback=non_empty, help="Objet de la réclamation.")
@click.option("--requirement", default="", help="Engagement ou exigence concerné (E3, 8.C2…).")
@click.option("--text", default="", help="Ce que dit la réclamation (sans nom de personne).")
@workspace_option
@click.pass_context
@guarded
def add_command(ctx: click.Context, structure_id: str, received: str, channel: str, complainant: str, subject: str,
                requirement: str, text: str, workspace: Path | None) -> None:
    """Enregistrer une réclamation ; affiche son numéro (R1…)."""
    from audit_bench.services.complaints import add_complaint

    echo(add_complaint(open_workspace(ctx, workspace), structure_id, received, channel, complainant, subject,
                       requirement, text).id)


@complaint_group.command("answer")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("complaint_id", metavar="RECLAMATION")
@click.option("--kind", required=True, type=Choice(list(ANSWER_KINDS)),
              help="solution, refus (motivé) ou accuse-reception (délai définitif et responsable du suivi).")
@click.option("--on", required=True, callback=non_empty, metavar="DATE", help="Date d'envoi de la réponse écrite.")
@click.option("--text", default="", help="La solution proposée, le motif du refus (obligatoires).")
@click.option("--final-due", default=None, callback=non_empty, metavar="DATE",
              help="Accusé de réception : date promise de la réponse définitive.")
@click.option("--in-charge", default="", help="Accusé de réception : responsable du suivi.")
@workspace_option
@click.pass_context
@guarded
def answer_command(ctx: click.Context, structure_id: str, complaint_id: str, kind: str, on: str, text: str,
                   final_due: str | None, in_charge: str, workspace: Path | None) -> None:
    """Enregistrer la réponse écrite à une réclamation."""
    from audit_bench.services.complaints import answer_complaint

    answer_complaint(open_workspace(ctx, workspace), structure_id, complaint_id, kind, on, text, final_due,
                     in_charge)


@complaint_group.command("show")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("complaint_id", metavar="RECLAMATION")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def show_command(ctx: click.Context, structure_id: str, complaint_id: str, as_json: bool,
                 workspace: Path | None) -> None:
    """Une réclamation : ses réponses, ses échéances, ses retards, l'écart proposé."""
    from audit_bench.services.complaints import show_complaint

    view = show_complaint(open_workspace(ctx, workspace), structure_id, complaint_id)
    if as_json:
        emit_json(view.to_builtins())
        return
    print_complaint(view, structure_id)


def print_complaint(view: ComplaintView, structure_id: str) -> None:
    echo(f"Réclamation {view.id} — {one_line(view.subject)}")
    echo(f"Reçue le {view.received}, {CHANNELS.get(view.channel, view.channel).lower()}, de : "
         f"{COMPLAINANTS.get(view.complainant, view.complainant).lower()}")
    if view.requirement:
        echo(f"Engagement concerné : {one_line(view.requirement)}")
    if view.text:
        echo(f"Texte : {one_line(view.text)}")
    echo(f"Délai de réponse : {delay_text(view.delay)} ; jours fériés : {view.holidays}")
    if view.answer_due:
        echo(f"Réponse due le {view.answer_due}")
    for answer in view.answers:
        detail = (f", réponse définitive promise pour le {answer.final_due}, suivi : {one_line(answer.in_charge)}"
                  if answer.final_due else "")
        said = f" : {one_line(answer.text)}" if answer.text else ""
        echo(f"  {answer.on}  {ANSWER_KINDS.get(answer.kind, answer.kind)}{detail}{said}")
    echo(f"Statut : {COMPLAINT_STATUSES.get(view.status, view.status)}")
    for reason in view.late_reasons:
        echo(f"EN RETARD : {reason}")
    for ecart in view.ecarts:
        echo(f"Écart {ecart.id} : {one_line(ecart.text)} ({ecart.state})")
    echo(f"Écart proposé : {one_line(view.proposal.text)}")
    echo(f"  (l'ouvrir : audit-bench complaint ecart {structure_id} {view.id})")


@complaint_group.command("ecart")
@click.argument("structure_id", metavar="STRUCT")
@click.argument("complaint_id", metavar="RECLAMATION")
@click.option("--text", default=None, callback=non_empty, help="Texte de l'écart (défaut : le texte proposé).")
@click.option("--class", "class_id", type=Choice(list(ECART_CLASSES)), default="ecart",
              help=f"Classe : {', '.join(ECART_CLASSES)}.")
@workspace_option
@click.pass_context
@guarded
def ecart_command(ctx: click.Context, structure_id: str, complaint_id: str, text: str | None, class_id: str,
                  workspace: Path | None) -> None:
    """Ouvrir l'écart d'une réclamation dans le plan d'amélioration ; affiche son identifiant."""
    from audit_bench.services.complaints import raise_ecart

    echo(raise_ecart(open_workspace(ctx, workspace), structure_id, complaint_id, text, class_id).id)


@complaint_group.command("bilan")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--year", type=YEAR, required=True, metavar="AAAA", help="L'année des réclamations reçues.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def bilan_command(ctx: click.Context, structure_id: str, year: int, as_json: bool, workspace: Path | None) -> None:
    """Le bilan annuel des réclamations : canaux, réclamants, objets, délais, écarts et actions."""
    from audit_bench.services.complaints import complaint_bilan

    bilan = complaint_bilan(open_workspace(ctx, workspace), structure_id, year)
    if as_json:
        emit_json(bilan.to_builtins())
        return
    print_bilan(bilan)


def print_bilan(bilan: ComplaintBilan) -> None:
    echo(f"Bilan des réclamations {bilan.year} — {bilan.structure}")
    echo(f"Délai de réponse : {delay_text(bilan.delay)}")
    echo(f"Réclamations reçues : {bilan.total} ; répondues : {bilan.answered} ; "
         f"sans réponse : {bilan.unanswered} ; "
         f"en cours : {bilan.open} ; en retard : {bilan.late}")
    for title, counts in (("Par canal", bilan.by_channel), ("Par réclamant", bilan.by_complainant),
                          ("Par objet", bilan.by_subject)):
        echo(f"{title} : " + (", ".join(f"{one_line(c.label)} {c.count}" for c in counts) or "—"))
    median = "—" if bilan.median_answer_days is None else f"{bilan.median_answer_days:g}".replace(".", ",")
    share = "—" if bilan.share_on_time is None else f"{bilan.share_on_time:g} %".replace(".", ",")
    echo(f"Délai de première réponse (médiane) : {median} jour(s) ; dans le délai : {bilan.on_time} ({share})")
    echo(f"Écarts soulevés : {len(bilan.ecarts)} ; actions : {bilan.actions}")
    for ecart in bilan.ecarts:
        echo(f"  {ecart.id} : {one_line(ecart.text)} ({ecart.state})")


@complaint_group.command("settings")
@click.argument("structure_id", metavar="STRUCT")
@click.option("--holidays", "zone", default=None, metavar="DEPT",
              help="Jours fériés d'un département qui a les siens (57, 67, 68, 971…) ; "
                   "vide : ceux de la métropole.")
@click.option("--delay", type=click.IntRange(min=1), default=None, metavar="N",
              help="Délai de réponse de la structure, là où ses référentiels n'en fixent pas.")
@click.option("--unit", type=Choice(list(DELAY_UNITS)), default=None, help=f"Unité : {', '.join(DELAY_UNITS)}.")
@click.option("--no-delay", is_flag=True, help="Retirer le délai fixé par la structure.")
@workspace_option
@click.pass_context
@guarded
def settings_command(ctx: click.Context, structure_id: str, zone: str | None, delay: int | None, unit: str | None,
                     no_delay: bool, workspace: Path | None) -> None:
    """Les réglages du registre : jours fériés comptés, délai de réponse propre ; sans option, les affiche."""
    from audit_bench.services import complaints
    from audit_bench.services.workdays import zone_label

    bench = open_workspace(ctx, workspace)
    if zone is not None or delay is not None or unit is not None or no_delay:
        complaints.set_settings(bench, structure_id, zone, delay, unit, no_delay)
    current, in_force = complaints.settings(bench, structure_id)
    echo(f"Jours fériés : {zone_label(current.holiday_zone if current else None)}")
    echo(f"Délai de réponse : {delay_text(in_force)}")


COMMANDS = [complaints_command, complaint_group]
