"""The complaints register (AFAQ 6.4, CEDRE 8.B3/8.C2): record a complaint, answer it, follow
its deadlines, raise an écart from it, and the yearly bilan of complaints.

The answer delay is referential data: the shortest one fixed by the structure's referentials
(those of its certificates and audits, installed); where none fixes one (CEDRE), the structure
sets its own (`set_settings`); without either, a complaint has no deadline and says « délai non
fixé ». Deadlines are computed when read, under the rules in force, by `services.workdays` with
the structure's public holidays. An accusé de réception gives the final answer's date and opens
a second deadline. Each change is one durable write in the structure's file.
"""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any, Iterable

import msgspec
from msgspec import UNSET

from audit_bench.model import ECART_CLASSES, Finding, StructureSnapshot
from audit_bench.model.complaints import (
    ACKNOWLEDGEMENT, ANSWER_KINDS, CHANNELS, COMPLAINANTS, COMPLAINT_PREFIX, DELAY_UNITS, MAX_DELAY_DAYS,
    Complaint, ComplaintAnswer, ComplaintSettings,
)
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import cite_as
from audit_bench.services.clock import now
from audit_bench.services.engagements import followed_trees
from audit_bench.services.rules import ecart_is_closed, open_actions_among
from audit_bench.services.structures import StructureSession, open_structure
from audit_bench.services.text import fold
from audit_bench.services.validation import UserError, check_choice, check_date, check_optional_text, check_text
from audit_bench.services.workdays import add_days, check_zone, count_days, zone_label
from audit_bench.services.workspace import Workspace

SOURCE = "reclamation"
"""The source of the écarts a complaint raises (`model.vocab.SOURCES`)."""
NO_DELAY = "délai non fixé"
OWN_DELAY = "délai fixé par la structure"
"""The rule of a delay the structure set (where no referential of its fixes one)."""


def complaint_ref(complaint_id: str) -> str:
    """How an écart names the complaint it comes from: « réclamation R3 »."""
    return f"réclamation {complaint_id}"


# Views -----------------------------------------------------------------------------------

class AnswerDelay(msgspec.Struct, frozen=True, kw_only=True):
    """The delay in force for a structure's complaints, and where it comes from."""

    days: int
    unit: str
    """A key of `model.complaints.DELAY_UNITS`."""
    rule: str
    """« AFAQ 6.4 — réponse écrite … », or « délai fixé par la structure »."""

    @property
    def text(self) -> str:
        return f"{self.days} {DELAY_UNITS[self.unit]}"


class ComplaintRow(msgspec.Struct, frozen=True, kw_only=True):
    """One line of `complaints --json`: exactly the keys of the contract."""

    id: str
    received: str
    channel: str
    answer_due: str | None
    """None when no delay is fixed (« délai non fixé »)."""
    answered_on: str | None
    """The first answer's day (the one the delay asks for)."""
    answer_kind: str | None
    late: bool
    status: str
    """A key of `model.complaints.COMPLAINT_STATUSES`."""


class ComplaintsView(msgspec.Struct, frozen=True):
    complaints: list[ComplaintRow]

    def to_builtins(self) -> Any:
        """`{"complaints": [{"id", "received", "channel", "answer_due", "answered_on", "answer_kind",
        "late", "status"}]}`."""
        return msgspec.to_builtins(self)


class EcartProposal(msgspec.Struct, frozen=True, kw_only=True):
    """The écart a complaint proposes, its text prefilled; `raise_ecart` confirms it."""

    source: str = SOURCE
    ref: str
    text: str


class RaisedEcart(msgspec.Struct, frozen=True, kw_only=True):
    """An écart a complaint raised, and how far its treatment is (`services.rules`)."""

    id: str
    text: str
    actions: int
    open_actions: int
    """Actions still to follow: not yet done and verified effective."""
    closed: bool

    @property
    def state(self) -> str:
        """« 2 action(s), 1 ouverte(s) », or that the écart is closed."""
        return f"{self.actions} action(s), " + ("clos" if self.closed else f"{self.open_actions} ouverte(s)")


class ComplaintView(msgspec.Struct, frozen=True, kw_only=True):
    """One complaint with everything `complaint show` prints."""

    id: str
    received: str
    channel: str
    complainant: str
    subject: str
    requirement: str
    text: str
    answers: list[ComplaintAnswer]
    delay: AnswerDelay | None
    holidays: str
    """The public holidays counted: « Métropole », « Moselle (57) »…"""
    answer_due: str | None
    final_due: str | None
    """The date an accusé de réception promised the final answer by (the second deadline)."""
    in_charge: str
    status: str
    late: bool
    late_reasons: list[str]
    ecarts: list[RaisedEcart]
    proposal: EcartProposal

    def row(self) -> ComplaintRow:
        first = self.answers[0] if self.answers else None
        return ComplaintRow(id=self.id, received=self.received, channel=self.channel, answer_due=self.answer_due,
                            answered_on=first.on if first else None, answer_kind=first.kind if first else None,
                            late=self.late, status=self.status)

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


class Count(msgspec.Struct, frozen=True):
    key: str
    label: str
    count: int


class ComplaintBilan(msgspec.Struct, frozen=True, kw_only=True):
    """The yearly bilan of complaints (AFAQ 6.4): what the revue de direction reads."""

    structure: str
    year: int
    delay: AnswerDelay | None
    total: int
    by_channel: list[Count]
    by_complainant: list[Count]
    by_subject: list[Count]
    """Subjects compared without accents nor case; most frequent first."""
    answered: int
    unanswered: int
    open: int
    late: int
    median_answer_days: float | None
    """Days (in the delay's unit; jours ouvrables without a delay) from receipt to the first answer."""
    on_time: int
    """Complaints whose first answer came within the delay (of those with a deadline and answered)."""
    share_on_time: float | None
    """Percent of `on_time` over the complaints answered with a deadline; None without any."""
    ecarts: list[RaisedEcart]
    """The écarts of source réclamation raised in the year, with their actions."""
    actions: int
    answer_days: list[int] = []
    """Each answered complaint's days to its first answer (as `median_answer_days`), in order of receipt."""

    def to_builtins(self) -> Any:
        return msgspec.to_builtins(self)


class ComplaintDue(msgspec.Struct, frozen=True, kw_only=True):
    """A complaint's deadline still to meet, as the agenda shows it."""

    id: str
    due: str
    kind: str
    """"answer" (the first answer) or "final" (the answer an accusé de réception promised)."""
    title: str
    rule: str


# The rules in force ---------------------------------------------------------------------

def _fixed_delays(trees: Iterable[ReferentialTree]) -> list[AnswerDelay]:
    fixed = []
    for tree in trees:
        rules = tree.referential.complaints
        if rules is not UNSET and rules.answer_days is not None:
            where = f"{cite_as(tree.referential)} {rules.section}".strip()
            fixed.append(AnswerDelay(days=rules.answer_days, unit=rules.answer_unit, rule=f"{where} — {rules.rule}"))
    return fixed


def answer_delay(snapshot: StructureSnapshot, trees: Iterable[ReferentialTree]) -> AnswerDelay | None:
    """The delay in force: the shortest a referential of the structure fixes, else the
    structure's own, else None."""
    units = list(DELAY_UNITS)
    fixed = _fixed_delays(trees)
    if fixed:
        return min(fixed, key=lambda d: (d.days, units.index(d.unit)))
    settings = snapshot.complaint_settings
    if settings is not None and settings.answer_days is not None:
        return AnswerDelay(days=settings.answer_days, unit=settings.answer_unit, rule=OWN_DELAY)
    return None


def _zone(snapshot: StructureSnapshot) -> str | None:
    return snapshot.complaint_settings.holiday_zone if snapshot.complaint_settings is not None else None


def _due(complaint: Complaint, delay: AnswerDelay | None, zone: str | None) -> str | None:
    if delay is None:
        return None
    return add_days(date.fromisoformat(complaint.received), delay.days, delay.unit, zone).isoformat()


def _final_due(complaint: Complaint) -> tuple[str | None, str]:
    """The second deadline and who follows the complaint, from the latest accusé de réception."""
    acknowledged = [a for a in complaint.answers if a.kind == ACKNOWLEDGEMENT]
    return (acknowledged[-1].final_due, acknowledged[-1].in_charge) if acknowledged else (None, "")


def _late_reasons(complaint: Complaint, answer_due: str | None, today: str) -> list[str]:
    """Why the complaint is late, one French sentence each; empty when it is not."""
    reasons = []
    first = complaint.answers[0] if complaint.answers else None
    if answer_due is not None:
        if first is None and today > answer_due:
            reasons.append(f"sans réponse, due le {answer_due}")
        elif first is not None and first.on > answer_due:
            reasons.append(f"première réponse le {first.on}, due le {answer_due}")
    final_due, _ = _final_due(complaint)
    closing = next((a for a in complaint.answers if a.kind != ACKNOWLEDGEMENT), None)
    if final_due is not None:
        if closing is None and today > final_due:
            reasons.append(f"réponse définitive promise pour le {final_due}, toujours attendue")
        elif closing is not None and closing.on > final_due:
            reasons.append(f"réponse définitive le {closing.on}, promise pour le {final_due}")
    return reasons


def _raised(snapshot: StructureSnapshot, findings: Iterable[Finding]) -> list[RaisedEcart]:
    raised = []
    for finding in findings:
        actions = snapshot.actions_of(finding.id)
        requires_action = ECART_CLASSES.get(finding.class_, ("", True))[1]
        raised.append(RaisedEcart(id=finding.id, text=finding.text, actions=len(actions),
                                  open_actions=len(open_actions_among(actions)),
                                  closed=ecart_is_closed(requires_action, actions)))
    return raised


def _view(snapshot: StructureSnapshot, complaint: Complaint, delay: AnswerDelay | None, today: str) -> ComplaintView:
    zone = _zone(snapshot)
    answer_due = _due(complaint, delay, zone)
    final_due, in_charge = _final_due(complaint)
    reasons = _late_reasons(complaint, answer_due, today)
    ref = complaint_ref(complaint.id)
    ecarts = _raised(snapshot, (f for f in snapshot.findings if f.source == SOURCE and f.ref == ref))
    return ComplaintView(
        id=complaint.id, received=complaint.received, channel=complaint.channel, complainant=complaint.complainant,
        subject=complaint.subject, requirement=complaint.requirement, text=complaint.text, answers=complaint.answers,
        delay=delay, holidays=zone_label(zone), answer_due=answer_due, final_due=final_due, in_charge=in_charge,
        status=complaint.status, late=bool(reasons), late_reasons=reasons, ecarts=ecarts,
        proposal=_proposal(complaint, delay, reasons))


def _proposal(complaint: Complaint, delay: AnswerDelay | None, reasons: list[str]) -> EcartProposal:
    concerned = f" (engagement {complaint.requirement})" if complaint.requirement else ""
    if reasons:
        rule = f" de {delay.text} ({delay.rule})" if delay is not None else ""
        text = (f"Réclamation {complaint.id} « {complaint.subject} »{concerned} : réponse hors délai{rule} — "
                f"{' ; '.join(reasons)}")
    else:
        text = f"Réclamation {complaint.id}{concerned} : {complaint.subject}"
    return EcartProposal(ref=complaint_ref(complaint.id), text=text)


def _today(today: date | None) -> str:
    return (today or date.today()).isoformat()


def _read(workspace: Workspace, structure_id: str) -> tuple[StructureSnapshot, AnswerDelay | None]:
    with open_structure(workspace, structure_id, write=False) as session:
        snapshot = session.snapshot()
    return snapshot, answer_delay(snapshot, followed_trees(workspace, snapshot))


def _find(snapshot: StructureSnapshot, complaint_id: str) -> Complaint:
    for complaint in snapshot.complaints:
        if complaint.id == complaint_id:
            return complaint
    raise UserError(f"réclamation inconnue « {complaint_id} » dans la structure {snapshot.structure.id}")


def _order(complaint: Complaint) -> tuple[str, int]:
    return complaint.received, _number(complaint.id)


def _number(complaint_id: str) -> int:
    digits = complaint_id[len(COMPLAINT_PREFIX):]
    return int(digits) if complaint_id.startswith(COMPLAINT_PREFIX) and digits.isascii() and digits.isdigit() else 0


# Reading -------------------------------------------------------------------------------

def list_complaints(workspace: Workspace, structure_id: str, year: int | None = None,
                    today: date | None = None) -> ComplaintsView:
    """The register, by date of receipt; with `year`, the complaints received that year."""
    snapshot, delay = _read(workspace, structure_id)
    chosen = [c for c in snapshot.complaints if year is None or c.received.startswith(f"{year:04d}-")]
    return ComplaintsView([_view(snapshot, c, delay, _today(today)).row() for c in sorted(chosen, key=_order)])


def show_complaint(workspace: Workspace, structure_id: str, complaint_id: str,
                   today: date | None = None) -> ComplaintView:
    snapshot, delay = _read(workspace, structure_id)
    return _view(snapshot, _find(snapshot, complaint_id), delay, _today(today))


def complaint_views(workspace: Workspace, structure_id: str, today: date | None = None) -> list[ComplaintView]:
    """Every complaint in full, newest received first (the TUI's register)."""
    snapshot, delay = _read(workspace, structure_id)
    return [_view(snapshot, c, delay, _today(today)) for c in sorted(snapshot.complaints, key=_order, reverse=True)]


def complaint_dues(snapshot: StructureSnapshot, trees: Iterable[ReferentialTree]) -> list[ComplaintDue]:
    """For the agenda: the deadlines still to meet, by date. An unanswered complaint owes its
    answer by the delay in force (none when no delay is fixed); an acknowledged one its final
    answer by the date the accusé de réception gave. `trees`: the structure's referentials (see
    `services.engagements.followed_trees`)."""
    delay = answer_delay(snapshot, trees)
    zone = _zone(snapshot)
    dues = []
    for complaint in snapshot.complaints:
        status = complaint.status
        if status == "unanswered" and delay is not None:
            dues.append(ComplaintDue(id=complaint.id, due=_due(complaint, delay, zone) or "", kind="answer",
                                     title=f"Réponse à la réclamation {complaint.id} « {complaint.subject} »",
                                     rule=delay.rule))
        elif status == "open":
            final_due, in_charge = _final_due(complaint)
            if final_due is not None:
                dues.append(ComplaintDue(id=complaint.id, due=final_due, kind="final",
                                         title=f"Réponse définitive à la réclamation {complaint.id} "
                                               f"« {complaint.subject} » ({in_charge})",
                                         rule="délai donné par l'accusé de réception"))
    return sorted(dues, key=lambda d: (d.due, _number(d.id)))


def complaint_bilan(workspace: Workspace, structure_id: str, year: int, today: date | None = None) -> ComplaintBilan:
    """The bilan of the complaints received in `year`."""
    snapshot, delay = _read(workspace, structure_id)
    views = [_view(snapshot, c, delay, _today(today)) for c in sorted(snapshot.complaints, key=_order)
             if c.received.startswith(f"{year:04d}-")]
    zone = _zone(snapshot)
    unit = delay.unit if delay is not None else "jours-ouvrables"
    answered = [v for v in views if v.answers]
    days = [count_days(date.fromisoformat(v.received), date.fromisoformat(v.answers[0].on), unit, zone)
            for v in answered]
    timed = [v for v in answered if v.answer_due is not None]
    on_time = sum(1 for v in timed if v.answers[0].on <= (v.answer_due or ""))
    ecarts = _raised(snapshot, (f for f in snapshot.findings if f.source == SOURCE and f.at.startswith(f"{year:04d}-")))
    return ComplaintBilan(
        structure=snapshot.structure.id, year=year, delay=delay, total=len(views),
        by_channel=_counts((v.channel for v in views), CHANNELS),
        by_complainant=_counts((v.complainant for v in views), COMPLAINANTS),
        by_subject=_subjects(v.subject for v in views),
        answered=len(answered), unanswered=sum(1 for v in views if v.status == "unanswered"),
        open=sum(1 for v in views if v.status == "open"), late=sum(1 for v in views if v.late),
        median_answer_days=statistics.median(days) if days else None, on_time=on_time,
        share_on_time=round(100 * on_time / len(timed), 1) if timed else None,
        ecarts=ecarts, actions=sum(e.actions for e in ecarts), answer_days=days)


def _counts(keys: Iterable[str], labels: dict[str, str]) -> list[Count]:
    found: dict[str, int] = {}
    for key in keys:
        found[key] = found.get(key, 0) + 1
    return [Count(key, labels.get(key, key), found[key]) for key in labels if key in found]


def _subjects(subjects: Iterable[str]) -> list[Count]:
    found: dict[str, list[Any]] = {}
    for subject in subjects:
        entry = found.setdefault(fold(subject), [subject, 0])
        entry[1] += 1
    ranked = sorted(found.items(), key=lambda item: (-item[1][1], item[0]))
    return [Count(key, label, count) for key, (label, count) in ranked]


# Changing ------------------------------------------------------------------------------

def add_complaint(workspace: Workspace, structure_id: str, received: str, channel: str, complainant: str,
                  subject: str, requirement: str = "", text: str = "", today: date | None = None) -> Complaint:
    """Record a complaint; its number is the next R of the structure."""
    received = check_date(received, "date de réception")
    if received > _today(today):
        raise UserError(f"date de réception à venir ({received}) : enregistrer une réclamation reçue")
    complaint = Complaint(id="", received=received, channel=check_choice(channel, CHANNELS, "canal"),
                          complainant=check_choice(complainant, COMPLAINANTS, "type de réclamant"),
                          subject=check_text(subject, "l'objet de la réclamation"),
                          requirement=check_optional_text(requirement, "l'engagement concerné"),
                          text=check_optional_text(text, "le texte de la réclamation"), at=now())
    with open_structure(workspace, structure_id) as session:
        file = session._writable()
        complaint = msgspec.structs.replace(complaint, id=file.next_id("complaints"))
        file.add("complaints", complaint)
    return complaint


def answer_complaint(workspace: Workspace, structure_id: str, complaint_id: str, kind: str, on: str,
                     text: str = "", final_due: str | None = None, in_charge: str = "",
                     today: date | None = None) -> ComplaintAnswer:
    """Record a written answer: a solution or a reasoned refusal (its text required) closes the
    complaint; an accusé de réception gives the final answer's date and who follows it."""
    kind = check_choice(kind, ANSWER_KINDS, "type de réponse")
    on = check_date(on, "date de la réponse")
    text = check_optional_text(text, "le texte de la réponse")
    in_charge = check_optional_text(in_charge, "le responsable du suivi")
    if kind == ACKNOWLEDGEMENT:
        if final_due is None or not in_charge:
            raise UserError("un accusé de réception précise le délai de traitement définitif et le responsable "
                            "du suivi : donner --final-due et --in-charge")
        final_due = check_date(final_due, "date de la réponse définitive")
        if final_due < on:
            raise UserError(f"réponse définitive promise pour le {final_due}, avant l'accusé de réception du {on}")
    else:
        if final_due is not None or in_charge:
            raise UserError(f"--final-due et --in-charge vont avec un accusé de réception, pas avec : "
                            f"{ANSWER_KINDS[kind].lower()}")
        if not text:
            raise UserError(f"{ANSWER_KINDS[kind]} : donner le texte de la réponse (--text)")
    if on > _today(today):
        raise UserError(f"date de réponse à venir ({on}) : enregistrer une réponse envoyée")
    answer = ComplaintAnswer(kind=kind, on=on, text=text, final_due=final_due, in_charge=in_charge, at=now())
    with open_structure(workspace, structure_id) as session:
        complaint = _find(session.snapshot(), complaint_id)
        _check_answerable(complaint, on)
        session._writable().replace("complaints", msgspec.structs.replace(
            complaint, answers=[*complaint.answers, answer]))
    return answer


def _check_answerable(complaint: Complaint, on: str) -> None:
    if complaint.status == "closed":
        closing = next(a for a in complaint.answers if a.kind != ACKNOWLEDGEMENT)
        raise UserError(f"réclamation {complaint.id} close le {closing.on} "
                        f"({ANSWER_KINDS[closing.kind].lower()}) : rien à répondre")
    if on < complaint.received:
        raise UserError(f"réponse du {on} avant la réception de la réclamation {complaint.id} "
                        f"({complaint.received})")
    if complaint.answers and on < complaint.answers[-1].on:
        raise UserError(f"réponse du {on} avant la précédente ({complaint.answers[-1].on})")


def ecart_proposal(workspace: Workspace, structure_id: str, complaint_id: str,
                   today: date | None = None) -> EcartProposal:
    """The écart the complaint proposes (a late answer says so), for one call to confirm."""
    return show_complaint(workspace, structure_id, complaint_id, today).proposal


def raise_ecart(workspace: Workspace, structure_id: str, complaint_id: str, text: str | None = None,
                class_id: str = "ecart", today: date | None = None) -> Finding:
    """Raise the complaint's écart into the improvement plan: the proposal's text unless `text`."""
    with open_structure(workspace, structure_id) as session:
        snapshot = session.snapshot()
        complaint = _find(snapshot, complaint_id)
        delay = answer_delay(snapshot, followed_trees(workspace, snapshot))
        proposal = _view(snapshot, complaint, delay, _today(today)).proposal
        return session.add_ecart(SOURCE, proposal.text if text is None else text, class_id=class_id,
                                 ref=proposal.ref)


def settings(workspace: Workspace, structure_id: str) -> tuple[ComplaintSettings | None, AnswerDelay | None]:
    """What the structure set, and the delay in force."""
    snapshot, delay = _read(workspace, structure_id)
    return snapshot.complaint_settings, delay


def set_settings(workspace: Workspace, structure_id: str, holiday_zone: str | None = None,
                 answer_days: int | None = None, answer_unit: str | None = None,
                 clear_delay: bool = False) -> ComplaintSettings:
    """Set the structure's public holidays (`holiday_zone=""`: metropolitan France's) and its own
    answer delay, refused where one of its referentials fixes the delay."""
    if holiday_zone is None and answer_days is None and answer_unit is None and not clear_delay:
        raise UserError("rien à régler : donner --holidays, --delay (et --unit) ou --no-delay")
    if clear_delay and (answer_days is not None or answer_unit is not None):
        raise UserError("--no-delay retire le délai de la structure : sans --delay ni --unit")
    if answer_unit is not None:
        answer_unit = check_choice(answer_unit, DELAY_UNITS, "unité du délai")
    if answer_days is not None and not 1 <= answer_days <= MAX_DELAY_DAYS:
        raise UserError(f"délai de réponse invalide ({answer_days}) : de 1 à {MAX_DELAY_DAYS} jours")
    zone = None if not (holiday_zone or "").strip() else check_zone(holiday_zone)
    with open_structure(workspace, structure_id) as session:
        current = session.snapshot().complaint_settings or ComplaintSettings(at=now())
        if answer_days is not None or answer_unit is not None:
            _check_delay_open(workspace, session, current, answer_days)
        changes: dict[str, Any] = {"at": now()}
        if holiday_zone is not None:
            changes["holiday_zone"] = zone
        if answer_days is not None:
            changes["answer_days"] = answer_days
        if answer_unit is not None:
            changes["answer_unit"] = answer_unit
        if clear_delay:
            changes.update(answer_days=None, answer_unit="jours-ouvrables")
        updated = msgspec.structs.replace(current, **changes)
        session._writable().set_settings("complaint_settings", updated)
    return updated


def _check_delay_open(workspace: Workspace, session: StructureSession, current: ComplaintSettings,
                      answer_days: int | None) -> None:
    fixed = _fixed_delays(followed_trees(workspace, session.snapshot()))
    if fixed:
        raise UserError(f"{fixed[0].rule} ({fixed[0].text}) : la structure ne fixe que le délai que ses "
                        "référentiels laissent ouvert")
    if answer_days is None and current.answer_days is None:
        raise UserError("donner le délai (--delay N) avec son unité")
