"""The complaints register through its services: the delay the referentials fix (AFAQ 6.4) or the
structure sets (CEDRE states none), the three answers, the flags, the écart, the yearly bilan,
the agenda's deadlines; every bad input refused with one French line and nothing changed."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import msgspec
import pytest

from audit_bench.plugins.manager import load_plugins
from audit_bench.referential import ReferentialError, content_hash, load_referential
from audit_bench.referential.schema import Referential
from audit_bench.services import UserError, Workspace
from audit_bench.services import complaints as registry_of
from audit_bench.services.engagements import followed_trees
from audit_bench.services.complaints import (
    add_complaint, answer_complaint, complaint_bilan, complaint_dues, ecart_proposal, list_complaints, raise_ecart,
    set_settings, show_complaint,
)
from audit_bench.services.plan import PlanFilter, read_plan
from audit_bench.services.structures import create_structure, open_structure, set_certification, structure_path
from audit_bench.store.errors import CorruptFileError, ReadOnlyError
from audit_bench.store.structure_file import StructureFile
from support import MINI_YAML, data_digest, mini_plugin
from test_store_safety import _kill_child_at_random, kill_schedule

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def registry():
    return load_plugins(extra=[("mini", mini_plugin())])


@pytest.fixture
def ws(tmp_path: Path, registry) -> Workspace:
    return Workspace(tmp_path / "ws", registry=registry)


def refused(ws: Workspace, call, match: str) -> None:
    before = data_digest(ws.path)
    with pytest.raises(UserError, match=match) as caught:
        call()
    assert "\n" not in str(caught.value)
    assert data_digest(ws.path) == before


def afaq_structure(ws: Workspace) -> str:
    structure = create_structure(ws, "Passerelle Emploi")
    set_certification(ws, structure.id, "afaq", "AFNOR Certification", "AES-12", "2025-01-15", "2028-01-14")
    return structure.id


def add(ws: Workspace, structure_id: str, received: str, **fields) -> str:
    values = {"channel": "mail", "complainant": "client", "subject": "Retard de rappel"} | fields
    return add_complaint(ws, structure_id, received, values["channel"], values["complainant"], values["subject"],
                         values.get("requirement", ""), values.get("text", ""), today=TODAY).id


# the delay ------------------------------------------------------------------------------

def test_afaq_fixes_five_jours_ouvrables_from_the_day_after_receipt(ws):
    structure_id = afaq_structure(ws)
    first = add(ws, structure_id, "03/04/2026", requirement="E1")  # Friday before Easter Monday
    second = add(ws, structure_id, "2026-04-30", channel="orale", complainant="personne-en-parcours")
    assert (first, second) == ("R1", "R2")
    view = show_complaint(ws, structure_id, "R1", TODAY)
    assert view.delay.days == 5 and view.delay.unit == "jours-ouvrables"
    assert view.delay.rule.startswith("AFAQ 6.4 — ")
    rows = list_complaints(ws, structure_id, today=TODAY).to_builtins()["complaints"]
    assert [(r["id"], r["answer_due"], r["status"], r["late"]) for r in rows] == [
        ("R1", "2026-04-10", "unanswered", True), ("R2", "2026-05-07", "unanswered", True)]
    assert list(rows[0]) == ["id", "received", "channel", "answer_due", "answered_on", "answer_kind", "late",
                             "status"]


def test_alsace_moselle_holidays_are_a_setting_of_the_structure(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2026-04-02")
    assert show_complaint(ws, structure_id, "R1", TODAY).answer_due == "2026-04-09"
    set_settings(ws, structure_id, holiday_zone="57")
    view = show_complaint(ws, structure_id, "R1", TODAY)
    assert (view.answer_due, view.holidays) == ("2026-04-10", "Moselle (57)")  # Good Friday
    set_settings(ws, structure_id, holiday_zone="")
    assert show_complaint(ws, structure_id, "R1", TODAY).holidays == "Métropole"


def test_cedre_states_no_delay_so_the_structure_sets_its_own(ws):
    structure = create_structure(ws, "Chantier des Saules", "ACI")
    set_certification(ws, structure.id, "cedre", "AFNOR Certification", "C-1", "2025-01-15")
    add(ws, structure.id, "2026-06-01")
    view = show_complaint(ws, structure.id, "R1", TODAY)
    assert (view.delay, view.answer_due, view.late) == (None, None, False)  # « délai non fixé », nothing invented
    set_settings(ws, structure.id, answer_days=10, answer_unit="jours-ouvres")
    view = show_complaint(ws, structure.id, "R1", TODAY)
    assert view.delay.rule == "délai fixé par la structure"
    assert view.answer_due == "2026-06-15"  # Mon 1 June + 10 jours ouvrés (no holiday)
    set_settings(ws, structure.id, clear_delay=True)
    assert show_complaint(ws, structure.id, "R1", TODAY).answer_due is None


def test_the_structure_cannot_set_a_delay_its_referential_fixes(ws):
    structure_id = afaq_structure(ws)
    refused(ws, lambda: set_settings(ws, structure_id, answer_days=10, answer_unit="jours-ouvrables"),
            "AFAQ 6.4 .* 5 jours ouvrables")


# answers and flags -----------------------------------------------------------------------

def test_an_acknowledgement_opens_a_second_deadline_and_a_solution_closes(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2026-06-01")
    answer_complaint(ws, structure_id, "R1", "accuse-reception", "2026-06-03", final_due="2026-06-20",
                     in_charge="Responsable qualité", today=TODAY)
    view = show_complaint(ws, structure_id, "R1", TODAY)
    assert (view.status, view.final_due, view.in_charge) == ("open", "2026-06-20", "Responsable qualité")
    assert view.late and view.late_reasons == ["réponse définitive promise pour le 2026-06-20, toujours attendue"]
    assert not show_complaint(ws, structure_id, "R1", date(2026, 6, 20)).late
    answer_complaint(ws, structure_id, "R1", "solution", "2026-06-19", text="Rendez-vous avancé", today=TODAY)
    view = show_complaint(ws, structure_id, "R1", TODAY)
    assert (view.status, view.late) == ("closed", False)
    row = view.row()
    assert (row.answered_on, row.answer_kind) == ("2026-06-03", "accuse-reception")


def test_an_answer_after_the_delay_is_late_and_the_proposal_says_why(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2026-06-01", requirement="E2")
    answer_complaint(ws, structure_id, "R1", "refus", "2026-06-09", text="Hors du champ de l'accompagnement",
                     today=TODAY)
    view = show_complaint(ws, structure_id, "R1", TODAY)
    assert (view.answer_due, view.status, view.late) == ("2026-06-06", "closed", True)
    proposal = ecart_proposal(ws, structure_id, "R1", TODAY)
    assert proposal.ref == "réclamation R1" and proposal.source == "reclamation"
    assert "hors délai" in proposal.text and "première réponse le 2026-06-09, due le 2026-06-06" in proposal.text


def test_bad_answers_are_refused_and_change_nothing(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2026-06-10")
    refused(ws, lambda: answer_complaint(ws, structure_id, "R1", "accuse-reception", "2026-06-11", today=TODAY),
            "--final-due et --in-charge")
    refused(ws, lambda: answer_complaint(ws, structure_id, "R1", "solution", "2026-06-11", today=TODAY),
            "texte de la réponse")
    refused(ws, lambda: answer_complaint(ws, structure_id, "R1", "solution", "2026-06-09", "x", today=TODAY),
            "avant la réception")
    refused(ws, lambda: answer_complaint(ws, structure_id, "R1", "solution", "2026-07-09", "x", today=TODAY),
            "à venir")
    refused(ws, lambda: answer_complaint(ws, structure_id, "R1", "merci", "2026-06-11", "x", today=TODAY),
            "type de réponse")
    refused(ws, lambda: answer_complaint(ws, structure_id, "R9", "solution", "2026-06-11", "x", today=TODAY),
            "réclamation inconnue « R9 »")
    refused(ws, lambda: answer_complaint(ws, structure_id, "R1", "accuse-reception", "2026-06-11",
                                         final_due="2026-06-01", in_charge="Direction", today=TODAY), "avant l'accusé")
    answer_complaint(ws, structure_id, "R1", "solution", "2026-06-11", "Rappel fait", today=TODAY)
    refused(ws, lambda: answer_complaint(ws, structure_id, "R1", "refus", "2026-06-12", "x", today=TODAY),
            "close le 2026-06-11")


def test_bad_complaints_and_settings_are_refused_and_change_nothing(ws):
    structure_id = afaq_structure(ws)
    refused(ws, lambda: add(ws, structure_id, "31/02/2026"), "date de réception")
    refused(ws, lambda: add(ws, structure_id, "2026-07-01"), "à venir")
    refused(ws, lambda: add(ws, structure_id, "2026-06-01", channel="pigeon"), "canal")
    refused(ws, lambda: add(ws, structure_id, "2026-06-01", complainant="Mme Dupont"), "type de réclamant")
    refused(ws, lambda: add(ws, structure_id, "2026-06-01", subject="  "), "objet")
    refused(ws, lambda: add(ws, "inconnue", "2026-06-01"), "structure inconnue")
    refused(ws, lambda: set_settings(ws, structure_id, holiday_zone="75"), "département « 75 »")
    refused(ws, lambda: set_settings(ws, structure_id), "rien à régler")
    refused(ws, lambda: set_settings(ws, structure_id, answer_days=5, clear_delay=True), "--no-delay")


# écarts, bilan, agenda --------------------------------------------------------------------

def test_a_complaint_raises_its_ecart_into_the_plan_only_when_confirmed(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2026-06-01")
    before = data_digest(ws.path)
    proposal = ecart_proposal(ws, structure_id, "R1", TODAY)
    assert data_digest(ws.path) == before  # proposing writes nothing
    finding = raise_ecart(ws, structure_id, "R1", today=TODAY)
    assert (finding.source, finding.ref, finding.text) == ("reclamation", "réclamation R1", proposal.text)
    other = raise_ecart(ws, structure_id, "R1", text="Procédure de réclamation non suivie", class_id="observation",
                        today=TODAY)
    assert [e.id for e in show_complaint(ws, structure_id, "R1", TODAY).ecarts] == [finding.id, other.id]
    with open_structure(ws, structure_id) as session:
        session.add_action(finding.id, "Répondre sous 5 jours ouvrables", "Accueil", "2026-07-15")
    plan = read_plan(ws, PlanFilter(source="reclamation"))
    assert [a.finding.id for a in plan.records()] == [finding.id]


def test_the_yearly_bilan_counts_channels_types_subjects_delays_and_ecarts(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2025-12-29")  # another year
    add(ws, structure_id, "2026-06-01", subject="Retard de rappel")                  # R2
    add(ws, structure_id, "2026-06-02", channel="orale", subject="retard de RAPPEL")  # R3
    add(ws, structure_id, "2026-06-03", channel="courrier", complainant="prescripteur", subject="Accueil")  # R4
    add(ws, structure_id, "2026-06-22", complainant="partenaire", subject="Accueil")  # R5, due 27 June
    answer_complaint(ws, structure_id, "R2", "solution", "2026-06-03", "x", today=TODAY)  # 2 days, in time
    answer_complaint(ws, structure_id, "R3", "refus", "2026-06-12", "x", today=TODAY)  # 9 days, late (due 8 June)
    answer_complaint(ws, structure_id, "R4", "accuse-reception", "2026-06-05", final_due="2026-07-31",
                     in_charge="Direction", today=TODAY)  # 2 days, in time
    finding = raise_ecart(ws, structure_id, "R3", today=TODAY)
    with open_structure(ws, structure_id) as session:
        session.add_action(finding.id, "Former l'accueil", "Direction", "2026-09-30")
    bilan = complaint_bilan(ws, structure_id, 2026, TODAY)
    assert (bilan.total, bilan.answered, bilan.unanswered, bilan.open, bilan.late) == (4, 3, 1, 1, 2)
    assert [(c.key, c.count) for c in bilan.by_channel] == [("courrier", 1), ("mail", 2), ("orale", 1)]
    assert [(c.key, c.count) for c in bilan.by_complainant] == [("client", 2), ("prescripteur", 1),
                                                                 ("partenaire", 1)]
    assert [(c.label, c.count) for c in bilan.by_subject] == [("Accueil", 2), ("Retard de rappel", 2)]
    assert bilan.median_answer_days == 2
    assert (bilan.on_time, bilan.share_on_time) == (2, 66.7)
    assert [(e.id, e.actions, e.open_actions, e.closed) for e in bilan.ecarts] == [(finding.id, 1, 1, False)]
    with open_structure(ws, structure_id) as session:
        action = session.snapshot().actions[0]
        session.update_action(action.id, status="done")
        session.update_action(action.id, verified_by="Responsable qualité", effective=True)
    [ecart] = complaint_bilan(ws, structure_id, 2026, TODAY).ecarts
    assert (ecart.open_actions, ecart.closed) == (0, True)
    assert bilan.actions == 1


def test_the_agenda_reads_the_deadlines_still_to_meet(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2026-06-01")
    add(ws, structure_id, "2026-06-02")
    add(ws, structure_id, "2026-06-03")
    answer_complaint(ws, structure_id, "R2", "accuse-reception", "2026-06-03", final_due="2026-07-15",
                     in_charge="Direction", today=TODAY)
    answer_complaint(ws, structure_id, "R3", "solution", "2026-06-04", "x", today=TODAY)
    with open_structure(ws, structure_id, write=False) as session:
        snapshot = session.snapshot()
    dues = complaint_dues(snapshot, followed_trees(ws, snapshot))
    assert [(d.id, d.due, d.kind) for d in dues] == [("R1", "2026-06-06", "answer"), ("R2", "2026-07-15", "final")]
    assert dues[0].rule.startswith("AFAQ 6.4") and "(Direction)" in dues[1].title
    assert complaint_dues(snapshot, []) == [dues[1]]  # no referential, no delay: only the promised date


def test_a_year_lists_the_complaints_received_that_year(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2025-12-29")
    add(ws, structure_id, "2026-01-05")
    assert [r.id for r in list_complaints(ws, structure_id, 2026, TODAY).complaints] == ["R2"]
    assert [r.id for r in list_complaints(ws, structure_id, None, TODAY).complaints] == ["R1", "R2"]


# the store ---------------------------------------------------------------------------------

def test_a_second_writer_is_refused_while_the_first_holds_the_structure(ws):
    structure_id = afaq_structure(ws)
    with open_structure(ws, structure_id):
        before = data_digest(ws.path)
        with pytest.raises(ReadOnlyError, match="lecture seule"):
            add(ws, structure_id, "2026-06-01")
        assert data_digest(ws.path) == before
        assert list_complaints(ws, structure_id, today=TODAY).complaints == []  # reading still works


def test_a_corrupt_complaint_row_names_the_file_and_nothing_is_written(ws):
    structure_id = afaq_structure(ws)
    add(ws, structure_id, "2026-06-01")
    path = structure_path(ws, structure_id)
    document = msgspec.json.decode(path.read_bytes())
    document["complaints"]["1"]["answers"] = "pas une liste"
    path.write_bytes(msgspec.json.encode(document))
    before = data_digest(ws.path)
    with pytest.raises(CorruptFileError, match=path.name):
        StructureFile.open(path, write=False)
    with pytest.raises(CorruptFileError):
        add(ws, structure_id, "2026-06-02")
    assert data_digest(ws.path) == before


def test_a_file_written_before_complaints_reads_an_empty_register(ws):
    structure_id = afaq_structure(ws)
    path = structure_path(ws, structure_id)
    document = msgspec.json.decode(path.read_bytes())
    del document["complaints"], document["complaint_settings"]
    path.write_bytes(msgspec.json.encode(document))
    assert list_complaints(ws, structure_id, today=TODAY).complaints == []
    assert registry_of.settings(ws, structure_id)[0] is None


# the referential data -----------------------------------------------------------------------

COMPLAINTS = """
complaints:
  section: "6.4"
  rule: réponse écrite sous 5 jours ouvrables
  answer_days: 5
  answer_unit: jours-ouvrables
"""


def with_complaints(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "complaints.yaml"
    path.write_text(MINI_YAML.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def test_the_answer_delay_is_referential_data_and_optional(tmp_path):
    rules = load_referential(with_complaints(tmp_path, COMPLAINTS)).complaints
    assert (rules.section, rules.answer_days, rules.answer_unit) == ("6.4", 5, "jours-ouvrables")
    encoded = msgspec.json.encode(load_referential(MINI_YAML))
    assert b'"complaints"' not in encoded  # frozen copies written before it keep their hash
    assert content_hash(msgspec.json.decode(encoded, type=Referential)) == content_hash(load_referential(MINI_YAML))


@pytest.mark.parametrize(("change", "replacement", "expected", "at_line"), [
    ("answer_unit: jours-ouvrables", "answer_unit: semaines", "answer_unit", "semaines"),
    ("answer_days: 5", "answer_days: 0", "answer_days", "answer_days: 0"),
    ("answer_days: 5", "answer_days: 5\n  delay_text: cinq", "unknown field `delay_text`", 'section: "6.4"'),
])
def test_a_wrong_delay_is_refused_with_its_line(tmp_path, change, replacement, expected, at_line):
    path = with_complaints(tmp_path, COMPLAINTS.replace(change, replacement))
    with pytest.raises(ReferentialError) as caught:
        load_referential(path)
    message = str(caught.value)
    assert expected in message
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if at_line in text)
    assert message.startswith(f"{path}:{line}:"), message


def test_the_bundled_referentials_state_their_complaint_rules(ws):
    afaq = ws.referential("afaq").referential.complaints
    assert (afaq.section, afaq.answer_days, afaq.answer_unit) == ("6.4", 5, "jours-ouvrables")
    cedre = ws.referential("cedre").referential.complaints
    assert (cedre.section, cedre.answer_days) == ("8.B3, 8.C2", None)


COMPLAINT_KILLS = 60


def _complaint_child(ws: Workspace, structure_id: str, write_fd: int) -> None:
    """In the forked child: record complaints and answer each, forever, reporting each change once
    the service has returned."""
    while True:
        complaint_id = add(ws, structure_id, "2026-06-01")
        os.write(write_fd, f"add {complaint_id}\n".encode())
        answer_complaint(ws, structure_id, complaint_id, "solution", "2026-06-02", f"Réponse {complaint_id}",
                         today=TODAY)
        os.write(write_fd, f"answer {complaint_id}\n".encode())


def test_sigkill_mid_write_never_loses_a_reported_complaint_or_answer(ws):
    structure_id = afaq_structure(ws)
    rng, seed = kill_schedule()
    added: set[str] = set()
    answered: set[str] = set()
    for _ in range(COMPLAINT_KILLS):
        for line in _kill_child_at_random(rng, lambda fd: _complaint_child(ws, structure_id, fd), 0.05):
            change, complaint_id = line.split()
            (added if change == "add" else answered).add(complaint_id)
        with open_structure(ws, structure_id) as session:  # the dead child's lock is taken over
            assert not session.read_only
            complaints = {c.id: c for c in session.snapshot().complaints}
        assert added <= set(complaints), seed
        assert all(complaints[c].answers and complaints[c].answers[0].text == f"Réponse {c}" for c in answered), seed
    assert added and answered, "the children never got to save each kind of change"
    Workspace(ws.path, registry=ws.registry)  # a new start cleans leftovers
    assert not list(ws.path.rglob(".*.tmp")), seed
