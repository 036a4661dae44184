"""`structures`, `structure new|show|edit|person|certification` (and their `-delete`): the audited
organisations as records."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_bench.cli.audits import JSON_OPTION, one_line
from audit_bench.cli.common import (
    Choice, Group, echo, emit_id, emit_json, guarded, non_empty, open_workspace, workspace_option,
)
from audit_bench.model.vocab import AUDIT_STATUSES, KINDS, ROLES

if TYPE_CHECKING:
    from audit_bench.services.listing import StructureRow, StructuresView
    from audit_bench.services.structures import StructureView


def expiry(valid_until: str, today: str) -> str:
    """How a certificate's end of validity reads: expired ones say so."""
    return f"expiré le {valid_until}" if valid_until < today else f"valable jusqu'au {valid_until}"


def actions_text(open_actions: int, overdue_actions: int) -> str:
    return f"{open_actions} action(s) ouverte(s), {overdue_actions} en retard"


@click.command("structures")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def structures_command(ctx: click.Context, as_json: bool, workspace: Path | None) -> None:
    """Les structures de l'espace de travail : audits, actions ouvertes et en retard, certifications."""
    from audit_bench.services.structures import list_structures

    opened = open_workspace(ctx, workspace)
    view = list_structures(opened)
    if opened.index_warning:
        echo(f"attention : {opened.index_warning}", err=True)
    if as_json:
        emit_json(view.to_builtins())
        return
    print_structures(view, date.today().isoformat())


def print_structures(view: StructuresView, today: str) -> None:
    if not view.structures and not view.errors:
        echo("Aucune structure. Créez-en une avec « audit-bench structure new --name NOM ».")
    for row in view.structures:
        echo(structure_line(row, today))
    for error in view.errors:
        echo(f"{error.id}  ERREUR : {one_line(error.error)}", err=True)


def structure_line(row: StructureRow, today: str) -> str:
    certificates = "; ".join(f"{c.referential} {expiry(c.valid_until, today)}" for c in row.certifications)
    return (f"{row.id}  {one_line(row.name)} ({row.siae_type or '—'})  {row.audits} audit(s)  "
            f"{actions_text(row.open_actions, row.overdue_actions)}  "
            f"certification(s) : {certificates or 'aucune'}")


@click.group("structure", cls=Group)
def structure_group() -> None:
    """Créer, afficher et modifier une structure, ses personnes et ses certifications."""


@structure_group.command("new")
@click.option("--name", required=True, callback=non_empty, help="Nom de la structure.")
@click.option("--siae-type", default=None, callback=non_empty, help="Type de SIAE (AI, ETTI, ACI, EI…).")
@click.option("--siret", default=None, callback=non_empty, help="SIRET (14 chiffres, espaces permis).")
@click.option("--place", default="", help="Adresse ou lieu.")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def new_command(ctx: click.Context, name: str, siae_type: str | None, siret: str | None, place: str,
                as_json: bool, workspace: Path | None) -> None:
    """Créer une structure ; affiche son identifiant."""
    from audit_bench.services.structures import create_structure

    record = create_structure(open_workspace(ctx, workspace), name, siae_type, siret, place)
    emit_id(record.id, as_json)


@structure_group.command("show")
@click.argument("structure_id", metavar="ID")
@JSON_OPTION
@workspace_option
@click.pass_context
@guarded
def show_command(ctx: click.Context, structure_id: str, as_json: bool, workspace: Path | None) -> None:
    """Une structure : sa fiche, ses personnes, ses certifications et ses audits."""
    from audit_bench.services.structures import show_structure

    view = show_structure(open_workspace(ctx, workspace), structure_id)
    if as_json:
        emit_json(view.to_builtins())
        return
    print_structure(view, date.today().isoformat())


def print_structure(view: StructureView, today: str) -> None:
    echo(f"{one_line(view.name)} ({view.siae_type or 'sans type'}) — {view.id}")
    echo(f"SIRET : {view.siret or '—'}")
    echo(f"Lieu : {one_line(view.place) or '—'}")
    echo("Personnes :" if view.people else "Personnes : aucune")
    for person in view.people:
        trained = f", formé(e) à l'audit le {person.trained_on}" if person.trained_on else ""
        activity = f", activité : {one_line(person.activity)}" if person.activity else ""
        echo(f"  {person.role_label} : {one_line(person.name)}{trained}{activity}")
    echo("Certifications :" if view.certifications else "Certifications : aucune")
    for c in view.certifications:
        echo(f"  {c.referential} n° {one_line(c.number)}, {one_line(c.body)}, émis le {c.issued}, "
             f"{expiry(c.valid_until, today)}")
    echo("Audits :" if view.audits else "Audits : aucun")
    for a in view.audits:
        echo(f"  {a.id}  {a.referential:<8} {KINDS.get(a.kind, a.kind)}  {a.date}  {a.assessed}/{a.total} cotées  "
             f"{a.open_findings} écart(s) ouvert(s)  {actions_text(a.open_actions, a.overdue_actions)}"
             f"  ({AUDIT_STATUSES.get(a.status, a.status).lower()})")
    echo(f"Actions : {actions_text(view.open_actions, view.overdue_actions)}")
    for setting in view.cycle_settings:
        echo(f"Fréquence fixée : {setting.referential} {setting.of} tous les {setting.every_months} mois")
    for fulfilment in view.fulfilments:
        note = f" — {one_line(fulfilment.note)}" if fulfilment.note else ""
        echo(f"Fait : {fulfilment.referential} {fulfilment.obligation} le {fulfilment.on}{note}")


@structure_group.command("edit")
@click.argument("structure_id", metavar="ID")
@click.option("--name", default=None, callback=non_empty, help="Nouveau nom (partout où il est affiché).")
@click.option("--siae-type", default=None, help="Type de SIAE ; vide pour le retirer.")
@click.option("--siret", default=None, help="SIRET (14 chiffres) ; vide pour le retirer.")
@click.option("--place", default=None, help="Adresse ou lieu ; vide pour l'effacer.")
@workspace_option
@click.pass_context
@guarded
def edit_command(ctx: click.Context, structure_id: str, name: str | None, siae_type: str | None,
                 siret: str | None, place: str | None, workspace: Path | None) -> None:
    """Modifier la fiche d'une structure (les options données seulement)."""
    from audit_bench.services.structures import edit_structure

    edit_structure(open_workspace(ctx, workspace), structure_id, name, siae_type, siret, place)


@structure_group.command("person")
@click.argument("structure_id", metavar="ID")
@click.option("--name", required=True, callback=non_empty, help="Nom de la personne.")
@click.option("--role", required=True, type=Choice(list(ROLES)), help=f"Rôle : {', '.join(ROLES)}.")
@click.option("--trained-on", default=None, callback=non_empty,
              help="Date de sa formation à l'audit (AAAA-MM-JJ).")
@click.option("--activity", default="",
              help="Activité exercée (un auditeur interne doit en être indépendant : hors du champ de l'audit).")
@workspace_option
@click.pass_context
@guarded
def person_command(ctx: click.Context, structure_id: str, name: str, role: str, trained_on: str | None,
                   activity: str, workspace: Path | None) -> None:
    """Ajouter une personne du système qualité avec son rôle (ou changer sa formation, son activité)."""
    from audit_bench.services.structures import set_person

    set_person(open_workspace(ctx, workspace), structure_id, name, role, trained_on, activity)


@structure_group.command("person-delete")
@click.argument("structure_id", metavar="ID")
@click.option("--name", required=True, callback=non_empty, help="Nom de la personne.")
@click.option("--role", required=True, type=Choice(list(ROLES)), help=f"Rôle : {', '.join(ROLES)}.")
@workspace_option
@click.pass_context
@guarded
def person_delete_command(ctx: click.Context, structure_id: str, name: str, role: str,
                          workspace: Path | None) -> None:
    """Retirer une personne d'un rôle du système qualité."""
    from audit_bench.services.structures import remove_person

    remove_person(open_workspace(ctx, workspace), structure_id, name, role)


@structure_group.command("certification")
@click.argument("structure_id", metavar="ID")
@click.option("--referential", "ref", required=True, callback=non_empty, help="Identifiant du référentiel.")
@click.option("--body", required=True, callback=non_empty, help="Organisme certificateur.")
@click.option("--number", required=True, callback=non_empty, help="Numéro du certificat.")
@click.option("--issued", required=True, callback=non_empty, help="Date d'émission (AAAA-MM-JJ).")
@click.option("--valid-until", default=None, callback=non_empty,
              help="Fin de validité (AAAA-MM-JJ ; défaut : selon la durée fixée par le référentiel).")
@workspace_option
@click.pass_context
@guarded
def certification_command(ctx: click.Context, structure_id: str, ref: str, body: str, number: str, issued: str,
                          valid_until: str | None, workspace: Path | None) -> None:
    """Enregistrer un certificat de la structure ; affiche sa fin de validité."""
    from audit_bench.services.structures import set_certification

    certification = set_certification(open_workspace(ctx, workspace), structure_id, ref, body, number, issued,
                                      valid_until)
    echo(f"valable jusqu'au {certification.valid_until}")


@structure_group.command("certification-delete")
@click.argument("structure_id", metavar="ID")
@click.option("--referential", "ref", required=True, callback=non_empty, help="Identifiant du référentiel.")
@click.option("--number", required=True, callback=non_empty, help="Numéro du certificat.")
@workspace_option
@click.pass_context
@guarded
def certification_delete_command(ctx: click.Context, structure_id: str, ref: str, number: str,
                                 workspace: Path | None) -> None:
    """Retirer un certificat de la structure."""
    from audit_bench.services.structures import remove_certification

    remove_certification(open_workspace(ctx, workspace), structure_id, ref, number)


@structure_group.command("frequency")
@click.argument("structure_id", metavar="ID")
@click.option("--referential", "ref", required=True, callback=non_empty, help="Identifiant du référentiel.")
@click.option("--of", "of", required=True, callback=non_empty, metavar="QUOI",
              help="surveillance (l'intervalle des audits de surveillance) ou l'identifiant d'une obligation.")
@click.option("--months", type=click.IntRange(min=1), default=None, metavar="N",
              help="Tous les N mois (obligations : 1, 2, 3, 4, 6 ou 12, périodes de l'année civile).")
@click.option("--clear", is_flag=True, help="Retirer la fréquence fixée.")
@workspace_option
@click.pass_context
@guarded
def frequency_command(ctx: click.Context, structure_id: str, ref: str, of: str, months: int | None, clear: bool,
                      workspace: Path | None) -> None:
    """Fixer une fréquence que le référentiel laisse à la structure (surveillance, contrôles, revue…)."""
    from audit_bench.services.cycle import set_frequency
    from audit_bench.services.errors import UserError

    if (months is None) == (not clear):
        raise UserError("donner --months N, ou --clear pour retirer la fréquence")
    set_frequency(open_workspace(ctx, workspace), structure_id, ref, of, months)


COMMANDS = [structures_command, structure_group]
