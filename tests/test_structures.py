"""Structures as records: each use case of `structures` / `structure …` through the services, and
every bad input refused with one French line and nothing changed."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import msgspec
import pytest
from pypdf import PdfReader

from audit_bench.plugins.manager import load_plugins
from audit_bench.services import UserError, Workspace
from audit_bench.services.audits import audit_path, create_audit, open_audit
from audit_bench.services.listing import list_audits
from audit_bench.services.history import history
from audit_bench.services.reporting import build_report
from audit_bench.services.structures import (
    create_structure, edit_structure, list_structures, open_structure, remove_certification, remove_person,
    set_certification, set_person, show_structure, structure_path,
)
from audit_bench.store.errors import ReadOnlyError, StoreError
from support import mini_plugin, tree_digest

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def registry():
    """The bundled plugins (CEDRE: types and a validity; AFAQ: neither) and the tests' own."""
    return load_plugins(extra=[("mini", mini_plugin())])


@pytest.fixture
def ws(tmp_path: Path, registry) -> Workspace:
    return Workspace(tmp_path / "ws", registry=registry)


def data(ws: Workspace) -> dict[str, str]:
    """The workspace's data files and their hashes: not its locks nor its index (a cache)."""
    digest = tree_digest(ws.path) if ws.path.exists() else {}
    return {name: sha for name, sha in digest.items() if not name.endswith(".lock") and name != "index.json"}


def refused(ws: Workspace, call, match: str) -> None:
    """`call` raises one French line matching `match`, and no data file of the workspace changed."""
    before = data(ws)
    with pytest.raises(UserError, match=match) as caught:
        call()
    assert "\n" not in str(caught.value)
    assert data(ws) == before


# structure new ---------------------------------------------------------------------------

def test_new_structure_is_a_private_file_shown_and_listed(ws):
    record = create_structure(ws, " Les Jardins du Moulin ", "ACI", "732 829 320 00074", " 3 rue du Moulin, Albi ")
    path = structure_path(ws, record.id)
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    shown = show_structure(ws, record.id).to_builtins()
    assert {k: shown[k] for k in ("id", "name", "siae_type", "siret", "place")} == {
        "id": record.id, "name": "Les Jardins du Moulin", "siae_type": "ACI", "siret": "73282932000074",
        "place": "3 rue du Moulin, Albi"}
    assert shown["people"] == shown["certifications"] == shown["audits"] == []
    listed = list_structures(ws, TODAY).to_builtins()
    assert listed == {"structures": [{"id": record.id, "name": "Les Jardins du Moulin", "siae_type": "ACI",
                                      "audits": 0, "open_actions": 0, "overdue_actions": 0, "last_audit": None,
                                      "certifications": []}], "errors": []}


def test_new_structure_accepts_la_poste_sirets_and_no_siret(ws):
    assert create_structure(ws, "Bureau de poste", None, "356 000 000 49837").siret == "35600000049837"
    assert create_structure(ws, "Sans SIRET").siret is None


@pytest.mark.parametrize("name, siae_type, siret, match", [
    ("  ", None, None, "nom de la structure ne peut pas être vide"),
    ("Atelier", None, "7328293200007", "14 chiffres"),
    ("Atelier", None, "73282932000A74", "14 chiffres"),
    ("Atelier", None, "732 829 320 00075", "clé de contrôle"),
    ("Atelier", None, "35600000049838", "clé de contrôle"),
    ("Atelier", "XYZ", None, "type de structure inconnu « XYZ »"),
])
def test_new_structure_bad_input(ws, name, siae_type, siret, match):
    refused(ws, lambda: create_structure(ws, name, siae_type, siret), match)
    assert not structure_path(ws, "x").parent.exists() or not list(structure_path(ws, "x").parent.glob("*.json"))


def test_same_name_and_type_twice_is_refused_other_type_is_another_structure(ws):
    first = create_structure(ws, "Atelier du Port", "ACI")
    refused(ws, lambda: create_structure(ws, "Atelier du Port", "ACI"), f"existe déjà : {first.id}")
    assert create_structure(ws, "Atelier du Port", "AI").id != first.id


# structure edit ---------------------------------------------------------------------------

def test_edit_changes_only_the_fields_given(ws):
    record = create_structure(ws, "Atelier", "ACI", "73282932000074", "Albi")
    edited = edit_structure(ws, record.id, name="Atelier du Tarn", place="Castres")
    assert (edited.name, edited.siae_type, edited.siret, edited.place) == ("Atelier du Tarn", "ACI",
                                                                          "73282932000074", "Castres")
    cleared = edit_structure(ws, record.id, siae_type="", siret="")
    assert (cleared.siae_type, cleared.siret) == (None, None)
    assert show_structure(ws, record.id).name == "Atelier du Tarn"


def test_edit_bad_input(ws):
    record = create_structure(ws, "Atelier", "ACI")
    other = create_structure(ws, "Autre atelier", "ACI")
    create_audit(ws, "mini", kind="internal", audit_date="2026-10-01", structure=record.id)
    refused(ws, lambda: edit_structure(ws, "inconnue-000000", name="X"), "structure inconnue « inconnue-000000 »")
    refused(ws, lambda: edit_structure(ws, "../audits", name="X"), "identifiant de structure invalide")
    refused(ws, lambda: edit_structure(ws, record.id, siret="12345678901234"), "clé de contrôle")
    refused(ws, lambda: edit_structure(ws, record.id), "rien à modifier")
    refused(ws, lambda: edit_structure(ws, record.id, name=" "), "ne peut pas être vide")
    refused(ws, lambda: edit_structure(ws, other.id, name="Atelier"), f"existe déjà : {record.id}")
    # ETTI is a type CEDRE and IAE OS define, not mini, the referential of this structure's audit.
    refused(ws, lambda: edit_structure(ws, record.id, siae_type="ETTI"), "n'est pas défini par le référentiel mini")
    assert edit_structure(ws, other.id, siae_type="ETTI").siae_type == "ETTI"


def test_a_new_name_shows_everywhere_the_structure_is_shown_and_history_is_kept(ws, tmp_path):
    header = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01", ["Claire"])
    edit_structure(ws, header.structure, name="Atelier du Port et des Quais")
    assert [row.org for row in list_audits(ws)] == ["Atelier du Port et des Quais"]
    with open_audit(ws, header.id, write=False) as session:
        assert session.org == "Atelier du Port et des Quais"
        assert session.snapshot().header.org == "Atelier du Port"  # the name when the audit was made
        build_report(ws, session, tmp_path / "rapport.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "rapport.pdf").pages)
    assert "Atelier du Port et des Quais" in text
    assert "Atelier du Port" not in text.replace("Atelier du Port et des Quais", "")
    stored = msgspec.json.decode(audit_path(ws, header.id).read_bytes())
    assert stored["header"]["1"]["org"] == "Atelier du Port"


# structure person ------------------------------------------------------------------------

def test_people_with_roles_and_training_date(ws):
    record = create_structure(ws, "Atelier", "ACI")
    set_person(ws, record.id, "Claire Martin", "referent-qualite")
    set_person(ws, record.id, "Claire Martin", "auditeur-interne", "2025-03-14")
    set_person(ws, record.id, "Paul Roux", "president")
    set_person(ws, record.id, "Claire Martin", "auditeur-interne", "2026-02-02", "Direction")  # trained again
    people = show_structure(ws, record.id).to_builtins()["people"]
    assert people == [
        {"name": "Claire Martin", "role": "referent-qualite", "role_label": "Référent(e) qualité",
         "trained_on": None, "activity": ""},
        {"name": "Claire Martin", "role": "auditeur-interne", "role_label": "Auditeur(trice) interne",
         "trained_on": "2026-02-02", "activity": "Direction"},
        {"name": "Paul Roux", "role": "president", "role_label": "Président(e) du conseil d'administration",
         "trained_on": None, "activity": ""},
    ]
    remove_person(ws, record.id, "Paul Roux", "president")
    assert [p.name for p in show_structure(ws, record.id).people] == ["Claire Martin", "Claire Martin"]


def test_person_bad_input(ws):
    record = create_structure(ws, "Atelier", "ACI")
    set_person(ws, record.id, "Claire Martin", "direction")
    refused(ws, lambda: set_person(ws, "inconnue-000000", "Claire", "direction"), "structure inconnue")
    refused(ws, lambda: set_person(ws, record.id, "Claire", "tresorier"), "rôle inconnu « tresorier »")
    refused(ws, lambda: set_person(ws, record.id, "Claire", "auditeur-interne", "14.03.2025"),
            "date de formation invalide")
    refused(ws, lambda: set_person(ws, record.id, "Claire", "auditeur-interne", "2025-02-30"), "n'existe pas")
    refused(ws, lambda: set_person(ws, record.id, "", "direction"), "nom de la personne")
    refused(ws, lambda: remove_person(ws, record.id, "Claire Martin", "president"), "aucune personne")


# structure certification -------------------------------------------------------------------

def test_certification_lasts_the_referentials_validity_unless_given(ws):
    record = create_structure(ws, "Atelier", "ACI")
    computed = set_certification(ws, record.id, "cedre", "AFNOR Certification", "C-2024-17", "2024-06-15")
    assert computed.valid_until == "2027-06-14"  # CEDRE: 3 years, to the day before
    leap = set_certification(ws, record.id, "mini", "COORACE", "M-1", "2024-02-29")
    assert leap.valid_until == "2027-02-28"
    given = set_certification(ws, record.id, "afaq", "AFNOR Certification", "A-9", "2025-01-10", "2028-01-09")
    assert given.valid_until == "2028-01-09"
    edited = set_certification(ws, record.id, "cedre", "AFNOR Certification", "C-2024-17", "2024-06-15",
                               "2027-12-31")
    assert edited.valid_until == "2027-12-31"
    shown = show_structure(ws, record.id).to_builtins()["certifications"]
    assert shown == [
        {"referential": "cedre", "body": "AFNOR Certification", "number": "C-2024-17", "issued": "2024-06-15",
         "valid_until": "2027-12-31"},
        {"referential": "mini", "body": "COORACE", "number": "M-1", "issued": "2024-02-29",
         "valid_until": "2027-02-28"},
        {"referential": "afaq", "body": "AFNOR Certification", "number": "A-9", "issued": "2025-01-10",
         "valid_until": "2028-01-09"},
    ]
    assert list_structures(ws, TODAY).to_builtins()["structures"][0]["certifications"] == [
        {"referential": "cedre", "valid_until": "2027-12-31"}, {"referential": "mini", "valid_until": "2027-02-28"},
        {"referential": "afaq", "valid_until": "2028-01-09"}]
    remove_certification(ws, record.id, "mini", "M-1")
    assert [c.number for c in show_structure(ws, record.id).certifications] == ["C-2024-17", "A-9"]


def test_certification_bad_input(ws):
    record = create_structure(ws, "Atelier", "ETTI")
    untyped = create_structure(ws, "Accompagnement")
    args = ("AFNOR Certification", "N-1")
    refused(ws, lambda: set_certification(ws, "inconnue-000000", "cedre", *args, "2024-06-15"),
            "structure inconnue")
    refused(ws, lambda: set_certification(ws, record.id, "iso9001", *args, "2024-06-15"),
            "référentiel inconnu « iso9001 »")
    refused(ws, lambda: set_certification(ws, record.id, "afaq", *args, "2024-06-15"),
            "ne fixe pas de durée de validité")
    refused(ws, lambda: set_certification(ws, record.id, "cedre", *args, "2024-13-01"), "date d'émission invalide")
    refused(ws, lambda: set_certification(ws, record.id, "cedre", *args, "2024-06-15", "2024-06-14"),
            "précède la date d'émission")
    refused(ws, lambda: set_certification(ws, record.id, "cedre", *args, "2024-06-15", "demain"),
            "date de fin de validité invalide")
    refused(ws, lambda: set_certification(ws, record.id, "cedre", "", "N-1", "2024-06-15"), "organisme")
    # mini defines AI and ACI only: an ETTI cannot hold its certificate.
    refused(ws, lambda: set_certification(ws, record.id, "mini", *args, "2024-06-15"),
            "« ETTI » n'est pas défini par le référentiel mini")
    assert set_certification(ws, untyped.id, "mini", *args, "2024-06-15").valid_until == "2027-06-14"
    refused(ws, lambda: edit_structure(ws, untyped.id, siae_type="ETTI"), "n'est pas défini par le référentiel mini")
    refused(ws, lambda: remove_certification(ws, record.id, "cedre", "N-1"), "aucun certificat")


# structures ------------------------------------------------------------------------------

def _action(ws, audit_id: str, due: str, status: str = "todo", effective: bool | None = None) -> None:
    with open_audit(ws, audit_id) as session:
        finding = session.add_finding("2.1", "mineur", "Pas de registre.")
        action = session.add_action(finding.id, "Créer le registre", "Direction", due)
        if status != "todo":
            session.update_action(action.id, status=status, verified_by="Paul" if effective is not None else None,
                                  effective=effective)


def test_structures_count_audits_open_and_overdue_actions(ws):
    first = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2025-10-01")
    second = create_audit(ws, "mini", kind="internal", audit_date="2026-10-01", structure=first.structure)
    other = create_audit(ws, "afaq", "Accompagnement Sud", "internal", None, "2026-09-01")
    _action(ws, first.id, "2026-11-30")                            # overdue on 2026-12-01
    _action(ws, first.id, "2026-12-01")                            # due today: open, not overdue
    _action(ws, second.id, "2026-01-01", "done")                   # done, not verified: still open
    _action(ws, second.id, "2026-01-01", "done", effective=True)   # done and effective: closed
    _action(ws, second.id, "2026-01-01", "done", effective=False)  # ineffective: open
    with open_audit(ws, second.id) as session:  # ineffective, then a new action found effective:
        finding = session.add_finding("2.1", "mineur", "Registre incomplet.")  # the écart is closed,
        for effective in (False, True):                                       # so is its first action
            action = session.add_action(finding.id, "Compléter le registre", "Direction", "2026-01-01")
            session.update_action(action.id, status="done", verified_by="Paul", effective=effective)
    listed = {row.id: row for row in list_structures(ws, TODAY).structures}
    port = listed[first.structure]
    assert (port.name, port.siae_type, port.audits, port.last_audit) == ("Atelier du Port", "ACI", 2, "2026-10-01")
    assert (port.open_actions, port.overdue_actions) == (4, 3)
    assert (listed[other.structure].siae_type, listed[other.structure].audits) == (None, 1)
    later = {row.id: row for row in list_structures(ws, date(2027, 1, 1)).structures}
    assert later[first.structure].overdue_actions == 4
    shown = show_structure(ws, first.structure, TODAY)
    assert [(a.id, a.open_actions, a.overdue_actions) for a in shown.audits] == [
        (second.id, 2, 2), (first.id, 2, 1)]
    assert (shown.open_actions, shown.overdue_actions) == (4, 3)


def test_corrupt_structure_file_costs_its_row_and_audits_still_list(ws):
    header = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01")
    good = create_structure(ws, "Autre", "AI")
    path = structure_path(ws, header.structure)
    path.write_bytes(b'{"record": {"1": {"id": ')
    view = list_structures(ws, TODAY)
    assert [row.id for row in view.structures] == [good.id]
    assert [e.id for e in view.errors] == [header.structure] and str(path) in view.errors[0].error
    assert [(row.id, row.org, row.error) for row in list_audits(ws)] == [(header.id, "Atelier du Port", None)]
    with pytest.raises(StoreError, match="endommagé"):
        show_structure(ws, header.structure)
    assert path.read_bytes() == b'{"record": {"1": {"id": '


def test_index_rows_of_an_older_shape_are_made_again(ws):
    """An index written before structures (no row versions) would list audits without structure."""
    header = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01")
    list_audits(ws)
    index = ws.path / "index.json"
    document = json.loads(index.read_text())
    for row in document["audits"].values():
        del row["structure"]
        row["checked_ns"] += 10 ** 12  # would be trusted, by its signature and time
    del document["meta"]
    index.write_text(json.dumps(document))
    assert [row.structure for row in list_audits(ws)] == [header.structure]
    assert [row.audits for row in list_structures(ws).structures] == [1]


def test_files_under_structures_do_not_change_the_audit_listing(ws):
    header = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01")
    for n in range(3):
        create_structure(ws, f"Structure {n}", "ACI")
    (ws.path / "structures" / "notes.json").write_text('{"todo": []}')
    assert [(row.id, row.error) for row in list_audits(ws)] == [(header.id, None)]


# new --structure / --org -------------------------------------------------------------------

def test_new_audit_on_a_structure_takes_its_type_and_current_name(ws):
    record = create_structure(ws, "Atelier du Port", "ACI")
    edit_structure(ws, record.id, name="Atelier des Quais")
    header = create_audit(ws, "mini", kind="internal", audit_date="2026-10-01", structure=record.id)
    assert (header.structure, header.siae_type, header.org) == (record.id, "ACI", "Atelier des Quais")
    untyped = create_audit(ws, "afaq", kind="internal", audit_date="2026-10-02", structure=record.id)
    assert (untyped.structure, untyped.siae_type) == (record.id, None)  # AFAQ defines no type
    assert show_structure(ws, record.id).to_builtins()["audits"][0]["id"] == untyped.id


def test_new_audit_by_org_reuses_the_exact_name_and_type_or_creates(ws):
    first = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01")
    again = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-11-01")
    other_type = create_audit(ws, "mini", "Atelier du Port", "internal", "AI", "2026-11-01")
    other_case = create_audit(ws, "mini", "atelier du port", "internal", "ACI", "2026-11-01")
    assert again.structure == first.structure
    assert len({first.structure, other_type.structure, other_case.structure}) == 3
    assert len(list(structure_path(ws, first.structure).parent.glob("*.json"))) == 3


def test_new_audit_bad_structure_input(ws):
    typed = create_structure(ws, "Atelier", "ETTI")
    untyped = create_structure(ws, "Sans type")
    kwargs = dict(kind="internal", audit_date="2026-10-01")
    refused(ws, lambda: create_audit(ws, "mini", **kwargs), "--structure ID .* ou --org NOM")
    refused(ws, lambda: create_audit(ws, "mini", "Atelier", structure=typed.id, **kwargs), "pas les deux")
    refused(ws, lambda: create_audit(ws, "mini", structure="inconnue-000000", **kwargs), "structure inconnue")
    refused(ws, lambda: create_audit(ws, "mini", structure=typed.id, **kwargs),
            "« ETTI » n'est pas défini par le référentiel mini")
    refused(ws, lambda: create_audit(ws, "mini", structure=untyped.id, **kwargs), "n'a pas de type")
    refused(ws, lambda: create_audit(ws, "cedre", structure=typed.id, siae_type="ACI", **kwargs),
            "le type d'un audit est celui de sa structure")
    refused(ws, lambda: create_audit(ws, "afaq", structure=untyped.id, siae_type="ACI", **kwargs),
            "ne définit pas de type")
    refused(ws, lambda: create_audit(ws, "mini", "Nouvelle", "internal", "ACI", "2026-10-32"), "date invalide")
    refused(ws, lambda: create_audit(ws, "mini", "Nouvelle", "visite", "ACI", "2026-10-01"), "type d'audit inconnu")
    refused(ws, lambda: create_audit(ws, "mini", "Nouvelle", "internal", "EI", "2026-10-01"),
            "type de structure inconnu « EI »")
    assert [row.name for row in list_structures(ws).structures] == ["Atelier", "Sans type"]


def test_history_follows_the_structure_not_its_name(ws):
    older = create_audit(ws, "mini", "Atelier du Port", "self-assessment", "ACI", "2025-11-20")
    edit_structure(ws, older.structure, name="Atelier des Quais")
    newer = create_audit(ws, "mini", "Atelier des Quais", "self-assessment", "ACI", "2026-11-20")
    homonym = create_audit(ws, "mini", "Atelier du Port", "self-assessment", "ACI", "2024-11-20")
    assert newer.structure == older.structure != homonym.structure
    with open_audit(ws, newer.id, write=False) as session:
        assert [h.header.id for h in history(ws, session.snapshot())] == [older.id]


# one writer per structure ------------------------------------------------------------------

HOLDER = """
import sys, time
from pathlib import Path
from audit_bench.store.structure_file import StructureFile
held = StructureFile.open(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_second_process_on_a_structure_is_read_only_and_told_who_holds_it(ws):
    record = create_structure(ws, "Atelier", "ACI")
    path = structure_path(ws, record.id)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = path.read_bytes()
        with open_structure(ws, record.id) as session:
            assert session.read_only and f"processus {holder.pid}" in session.locked_by
            with pytest.raises(ReadOnlyError, match=f"lecture seule : .*processus {holder.pid}"):
                session.set_person("Claire", "direction")
        with pytest.raises(ReadOnlyError, match=f"processus {holder.pid}"):
            edit_structure(ws, record.id, name="Autre nom")
        assert path.read_bytes() == before
        assert show_structure(ws, record.id).name == "Atelier"  # reading still works
    finally:
        holder.kill()
        holder.wait()
    assert edit_structure(ws, record.id, name="Autre nom").name == "Autre nom"


# hostile entries ---------------------------------------------------------------------------

def test_a_symlink_in_place_of_the_structures_folder_is_named_never_followed(ws, tmp_path):
    header = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (ws.path / "structures").rename(tmp_path / "structures-moved")
    (ws.path / "structures").symlink_to(elsewhere)
    view = list_structures(ws, TODAY)
    assert [e.id for e in view.errors] == ["structures"] and "lien symbolique" in view.errors[0].error
    assert [row.id for row in list_audits(ws)] == [header.id]
    with pytest.raises(StoreError, match="lien symbolique"):
        create_structure(ws, "Autre", "ACI")
    assert list(elsewhere.iterdir()) == []


def test_an_audit_naming_a_structure_outside_the_workspace_is_a_damaged_file(ws):
    header = create_audit(ws, "mini", "Atelier du Port", "internal", "ACI", "2026-10-01")
    path = audit_path(ws, header.id)
    document = msgspec.json.decode(path.read_bytes())
    document["header"]["1"]["structure"] = "../../etc/passwd"
    path.write_bytes(msgspec.json.encode(document))
    [row] = list_audits(ws)
    assert str(path) in row.error and "identifiant de structure invalide" in row.error
    assert [(row.id, row.audits) for row in list_structures(ws).structures] == [(header.structure, 0)]
