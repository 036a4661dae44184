"""Input checks shared by every use case; each failure is one French sentence."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from audit_bench.services.text import CONTROL, UNDECODABLE, escape_char

if TYPE_CHECKING:
    from audit_bench.referential.schema import Node
    from audit_bench.referential.tree import ReferentialTree


class UserError(ValueError):
    """Bad input: the message says what is wrong, and nothing was changed."""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
"""JJ/MM/AAAA, as French auditors write dates; stored as AAAA-MM-JJ."""
_SIRET = re.compile(r"^[0-9]{14}$")
LA_POSTE_SIREN = "356000000"
"""La Poste's establishments share this SIREN; their SIRETs follow INSEE's own rule for it."""


def check_date(value: str, what: str = "date") -> str:
    """The date as stored (AAAA-MM-JJ), given so or as JJ/MM/AAAA."""
    if not (value or "").strip():
        raise UserError(f"{what} vide : donner une date AAAA-MM-JJ ou JJ/MM/AAAA")
    value = value.strip()
    french = _FRENCH_DATE.match(value)
    iso = f"{french[3]}-{int(french[2]):02d}-{int(french[1]):02d}" if french else value
    if not _ISO_DATE.match(iso):
        raise UserError(f"{what} invalide « {value} » : attendu AAAA-MM-JJ ou JJ/MM/AAAA")
    try:
        date.fromisoformat(iso)
    except ValueError:
        raise UserError(f"{what} invalide « {value} » : ce jour n'existe pas") from None
    return iso


def check_siret(value: str | None) -> str | None:
    """A SIRET as stored (14 digits, no spaces), None when none is given. Its last digit is a
    Luhn key; La Poste's (SIREN 356000000) have digits adding up to a multiple of 5 instead."""
    digits = "".join((value or "").split())
    if not digits:
        return None
    if not _SIRET.match(digits):
        raise UserError(f"SIRET invalide « {value} » : 14 chiffres attendus (espaces permis)")
    if not (_luhn_valid(digits) or (digits.startswith(LA_POSTE_SIREN) and sum(map(int, digits)) % 5 == 0)):
        raise UserError(f"SIRET invalide « {value} » : la clé de contrôle ne correspond pas, "
                        "vérifier les chiffres")
    return digits


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def check_text(value: str | None, what: str) -> str:
    """A required free text, stripped; refused empty or holding what `check_characters` refuses."""
    cleaned = check_optional_text(value, what)
    if not cleaned:
        raise UserError(f"{what} ne peut pas être vide")
    return cleaned


def check_optional_text(value: str | None, what: str) -> str:
    """A free text that may be empty (a note, a version, a location), stripped; Windows and old
    Mac line ends (pasted text) become plain newlines."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return check_characters(text.strip(), what)


def check_characters(value: str, what: str) -> str:
    """Refuse text a terminal would act on when shown (escape sequences: a retitled window, a
    cleared screen) or that cannot be stored as UTF-8 (bytes of another encoding): the CLI and the
    TUI both refuse it here, before anything is written."""
    undecodable = UNDECODABLE.search(value)
    if undecodable:
        raise UserError(f"{what} n'est pas du texte UTF-8 valide (octet {escape_char(undecodable.group())}) : "
                        "vérifier l'encodage du terminal ou du fichier d'origine")
    control = CONTROL.search(value)
    if control:
        raise UserError(f"{what} contient un caractère de contrôle ({escape_char(control.group())}) : "
                        "le retirer et recommencer")
    return value


def check_choice(value: str, choices: dict[str, str] | list[str], what: str) -> str:
    if value not in choices:
        raise UserError(f"{what} inconnu « {value} » : choisir parmi {', '.join(choices)}")
    return value


def check_siae_type(tree: ReferentialTree, siae_type: str | None) -> str | None:
    declared = [t.id for t in tree.referential.siae_types]
    if not declared:
        if siae_type:
            raise UserError(f"le référentiel {tree.id} ne définit pas de type de structure : "
                            f"--siae-type « {siae_type} » refusé")
        return None
    if not siae_type:
        raise UserError(f"type de structure requis pour {tree.id} : {', '.join(declared)}")
    if siae_type not in declared:
        raise UserError(f"type de structure inconnu « {siae_type} » pour {tree.id} : "
                        f"choisir parmi {', '.join(declared)}")
    return siae_type


def check_requirement(tree: ReferentialTree, requirement: str, siae_type: str | None) -> Node:
    if requirement not in tree:
        raise UserError(f"exigence inconnue « {requirement} » dans {tree.id}")
    node = tree.node(requirement)
    if not node.ratable:
        raise UserError(f"« {requirement} » est un regroupement, pas une exigence cotable")
    if not tree.applicable(node, siae_type):
        raise UserError(f"l'exigence {requirement} ne s'applique pas au type {siae_type}")
    return node


def check_rating(tree: ReferentialTree, rating: str, note: str) -> str:
    from audit_bench.referential.schema import NA  # with the referentials, not with UserError at the TUI's start

    if rating.lower() == NA:
        if tree.referential.na_requires_reason and not note.strip():
            raise UserError("une cotation N/A demande sa justification (--note)")
        return NA
    if rating not in tree.scale_by_value:
        values = ", ".join(f"{v} ({level.label})" for v, level in tree.scale_by_value.items())
        raise UserError(f"cotation inconnue « {rating} » : choisir parmi {values}, ou na")
    return rating


def check_finding_class(tree: ReferentialTree, class_id: str) -> str:
    if class_id not in tree.finding_classes:
        raise UserError(f"classe d'écart inconnue « {class_id} » : choisir parmi "
                        f"{', '.join(tree.finding_classes)}")
    return class_id
