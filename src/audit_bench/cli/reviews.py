"""`review new|check|show|participant|participant-delete|comment|decide|distribute|sign|report` and
`reviews STRUCT`:
the revue de direction (bilan annuel).

A review lives in its structure's file: commands name it `STRUCTURE/RD1`, as `review new` and
`reviews` print it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import (
    Choice, Group, echo, emit_id, emit_json, guarded, non_empty, open_workspace, path_value, workspace_option,
)
from audit_bench.model.vocab import ACTION_TYPES, REVIEW_DECISIONS, REVIEW_STATES, ROLES

if TYPE_CHECKING:
    from audit_bench.services.review import CheckView, ReviewView

REVIEW_ARGUMENT = click.argument("ref", metavar="STRUCTURE/RDN")


@click.command("reviews")
@click.argument("structure_id", metavar="STRUCTURE")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def reviews_command(ctx: click.Context, structure_id: str, as_json: bool, workspace: Path | None) -> None:
    """Les revues de direction d'une structure, la plus récente d'abord."""
    from audit_bench.services.review import list_reviews

    view = list_reviews(open_workspace(ctx, workspace), structure_id)
    if as_json:
        emit_json(view.to_builtins())
        return
    if not view.reviews and not view.errors:
        echo("Aucune revue de direction. En préparer une avec "
             f"« audit-bench review new {structure_id} --year AAAA ».")
    for row in view.reviews:
        signed = f" par {one_line(row.signed_by)} le {row.held_on}" if row.signed_by else ""
        replaced = f", remplacée par {row.superseded_by}" if row.superseded_by else ""
        echo(f"{row.id}  {row.year}  {REVIEW_STATES.get(row.state, row.state)}{signed}{replaced}  "
             f"{row.decisions} décision(s)")
    for damaged in view.errors:
        echo(f"{structure_id}/{one_line(damaged.id) or '?'}  ERREUR : {one_line(damaged.error)}")


@click.group("review", cls=Group)
def review_group() -> None:
    """Préparer, tenir, signer et diffuser la revue de direction (bilan annuel) d'une structure."""


@review_group.command("new")
@click.argument("structure_id", metavar="STRUCTURE")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, metavar="AAAA",
              help="Année civile revue (défaut : l'année en cours ; avec --supersedes : la sienne).")
@click.option("--supersedes", default=None, callback=non_empty, metavar="RDN",
              help="Nouvelle version d'une revue signée (elle la remplace une fois signée).")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def new_command(ctx: click.Context, structure_id: str, year: int | None, supersedes: str | None, as_json: bool,
                workspace: Path | None) -> None:
    """Préparer une revue de direction ; affiche son identifiant STRUCTURE/RDN."""
    from audit_bench.services.review import new_review

    review = new_review(open_workspace(ctx, workspace), structure_id, year, supersedes)
    ref = f"{structure_id}/{review.id}"
    emit_id(ref, as_json)


@review_group.command("show")
@REVIEW_ARGUMENT
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def show_command(ctx: click.Context, ref: str, as_json: bool, workspace: Path | None) -> None:
    """La revue : ses données d'entrée (figées une fois signée), ses participants, ses décisions."""
    from audit_bench.services.review import show_review

    view = show_review(open_workspace(ctx, workspace), ref)
    if as_json:
        emit_json(view.to_builtins())
        return
    print_review(view)


def print_review(view: ReviewView) -> None:
    from audit_bench.reports.review_content import COMMENT_LABEL, value_text

    echo(f"Revue de direction {view.id} — {view.year} ({view.start} au {view.end}) : "
         f"{REVIEW_STATES.get(view.state, view.state)}")
    if view.signature is not None:
        verdict = "conforme" if view.signature_valid else "NE CORRESPOND PLUS au contenu"
        echo(f"Tenue le {view.held_on}, signée par {one_line(view.signature.by)} ; empreinte SHA-256 "
             f"{view.signature.sha256} ({verdict})")
    if view.supersedes:
        echo(f"Remplace {view.supersedes}")
    if view.superseded_by:
        echo(f"Remplacée par {view.superseded_by}")
    echo("Participants :" if view.participants else "Participants : aucun")
    for person in view.participants:
        echo(f"  {ROLES.get(person.role, person.role)} : {one_line(person.name)}"
             + ("" if person.present else " (absent·e, excusé·e)"))
    for section in view.inputs:
        echo(f"\n[{section.citation()}] {one_line(section.title)}")
        if section.no_data:
            echo(f"  {one_line(section.no_data)}")
        for figure in section.figures:
            previous = "" if figure.previous is None else f" (précédent : {value_text(figure.previous, figure.unit)})"
            echo(f"  {one_line(figure.label)} : {value_text(figure.value, figure.unit)}{previous}")
        for line in section.details:
            echo(f"  - {one_line(line)}")
        paragraphs = [line for line in section.comment.split("\n") if line.strip()]
        if paragraphs:
            echo(f"  {COMMENT_LABEL} :")
        for line in paragraphs:
            echo(f"    {one_line(line)}")
    echo("\nDécisions :" if view.decisions else "\nDécisions : aucune")
    for decision in view.decisions:
        action = (f" → action {decision.action} ({one_line(decision.owner)}, échéance {decision.due})"
                  if decision.action else "")
        kind = REVIEW_DECISIONS.get(decision.kind, decision.kind)
        echo(f"  {decision.id} {kind} : {one_line(decision.text)}{action}")
    echo("Diffusion :" if view.distribution else "Diffusion : aucune")
    for sending in view.distribution:
        echo(f"  {one_line(sending.person)}, le {sending.sent_on}")


@review_group.command("check")
@REVIEW_ARGUMENT
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def check_command(ctx: click.Context, ref: str, as_json: bool, workspace: Path | None) -> None:
    """Ce qu'il faut corriger avant la réunion (écarts sans action, actions non vérifiées…)."""
    from audit_bench.services.review import check_review

    view = check_review(open_workspace(ctx, workspace), ref)
    if as_json:
        emit_json(view.to_builtins())
        return
    print_check(view)


def print_check(view: CheckView) -> None:
    if not view.points:
        echo("Rien à corriger avant la revue.")
    for point in view.points:
        echo(f"{point.ref}  {one_line(point.text)}")


@review_group.command("participant")
@REVIEW_ARGUMENT
@click.option("--name", required=True, callback=non_empty, help="Nom du participant.")
@click.option("--role", required=True, type=Choice(list(ROLES)), help=f"Rôle : {', '.join(ROLES)}.")
@click.option("--absent", is_flag=True, help="Absent·e (excusé·e) : nommé·e dans le bilan, sans y participer.")
@workspace_option
@click.pass_context
@guarded
def participant_command(ctx: click.Context, ref: str, name: str, role: str, absent: bool,
                        workspace: Path | None) -> None:
    """Inscrire un participant avec son rôle (ou le dire absent)."""
    from audit_bench.services.review import set_participant

    set_participant(open_workspace(ctx, workspace), ref, name, role, present=not absent)


@review_group.command("participant-delete")
@REVIEW_ARGUMENT
@click.option("--name", required=True, callback=non_empty, help="Nom du participant.")
@click.option("--role", required=True, type=Choice(list(ROLES)), help=f"Rôle : {', '.join(ROLES)}.")
@workspace_option
@click.pass_context
@guarded
def participant_delete_command(ctx: click.Context, ref: str, name: str, role: str, workspace: Path | None) -> None:
    """Retirer un participant de la revue."""
    from audit_bench.services.review import remove_participant

    remove_participant(open_workspace(ctx, workspace), ref, name, role)


@review_group.command("comment")
@REVIEW_ARGUMENT
@click.argument("input_ref", metavar="DONNÉE")
@click.option("--text", required=True, help="Le texte du référent qualité (vide : l'effacer).")
@workspace_option
@click.pass_context
@guarded
def comment_command(ctx: click.Context, ref: str, input_ref: str, text: str, workspace: Path | None) -> None:
    """Écrire l'analyse ou le compte rendu du référent pour une donnée d'entrée (son identifiant, ou
    RÉFÉRENTIEL:DONNÉE quand deux référentiels l'ont) ; un texte vide l'efface."""
    from audit_bench.services.review import set_comment

    set_comment(open_workspace(ctx, workspace), ref, input_ref, text)


@review_group.command("decide")
@REVIEW_ARGUMENT
@click.option("--kind", required=True, type=Choice(list(REVIEW_DECISIONS)),
              help=f"Nature : {', '.join(REVIEW_DECISIONS)} (action : entre au plan d'amélioration).")
@click.option("--text", required=True, callback=non_empty, help="La décision.")
@click.option("--owner", default=None, callback=non_empty, help="Responsable (obligatoire pour une action).")
@click.option("--due", default=None, callback=non_empty, help="Échéance AAAA-MM-JJ (obligatoire pour une action).")
@click.option("--type", "action_type", default="corrective", type=Choice(list(ACTION_TYPES)),
              help=f"Type de l'action : {', '.join(ACTION_TYPES)} (défaut : corrective).")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def decide_command(ctx: click.Context, ref: str, kind: str, text: str, owner: str | None, due: str | None,
                   action_type: str, as_json: bool, workspace: Path | None) -> None:
    """Enregistrer une décision ; affiche son identifiant (et celui de l'action du plan)."""
    from audit_bench.services.review import decide

    decision = decide(open_workspace(ctx, workspace), ref, kind, text, owner, due, action_type)
    if as_json:
        emit_json({"id": decision.id, "action": decision.action, "finding": decision.finding})
    else:
        echo(decision.id + (f" → action {decision.action} (écart {decision.finding})" if decision.action else ""))


@review_group.command("distribute")
@REVIEW_ARGUMENT
@click.option("--to", "person", required=True, callback=non_empty, help="Destinataire (personne ou groupe).")
@click.option("--on", "sent_on", default=None, callback=non_empty,
              help="Date d'envoi AAAA-MM-JJ (défaut : aujourd'hui).")
@workspace_option
@click.pass_context
@guarded
def distribute_command(ctx: click.Context, ref: str, person: str, sent_on: str | None, workspace: Path | None) -> None:
    """Noter l'envoi du bilan à quelqu'un (aussi après la signature)."""
    from audit_bench.services.review import distribute

    distribute(open_workspace(ctx, workspace), ref, person, sent_on)


@review_group.command("sign")
@REVIEW_ARGUMENT
@click.option("--by", required=True, callback=non_empty, help="Signataire.")
@click.option("--date", "held_on", default=None, callback=non_empty,
              help="Date de la réunion AAAA-MM-JJ (défaut : aujourd'hui).")
@workspace_option
@click.pass_context
@guarded
def sign_command(ctx: click.Context, ref: str, by: str, held_on: str | None, workspace: Path | None) -> None:
    """Signer la revue : ses données d'entrée et ses décisions sont figées ; affiche l'empreinte."""
    from audit_bench.services.review import sign

    echo(sign(open_workspace(ctx, workspace), ref, by, held_on).signature.sha256)


@review_group.command("report")
@REVIEW_ARGUMENT
@click.option("-o", "--output", "output", required=True, callback=path_value, metavar="FICHIER.pdf|FICHIER.docx",
              help="Fichier à écrire : PDF, ou Word si son nom finit par .docx.")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
@workspace_option
@click.pass_context
@guarded
def report_command(ctx: click.Context, ref: str, output: Path, force: bool, workspace: Path | None) -> None:
    """Produire le bilan annuel en PDF ou en Word (une revue signée : d'après ses données figées)."""
    from audit_bench.services.review import write_review_report

    echo(str(write_review_report(open_workspace(ctx, workspace), ref, output, force=force)))


COMMANDS = [reviews_command, review_group]
