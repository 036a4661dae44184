"""The agenda: what is due, for one structure or all, each item with its date, the rule it comes
from, and its state recognised from the records.

What falls due:
- for each certificate (the latest of each referential): its end of validity within six months,
  the surveillance audits at the interval the referential fixes (or the structure sets) from its
  issue, the renewal audit before its end of validity;
- the referential's recurring obligations (an internal audit a year, a yearly review…), one item
  per calendar period: obligations whose frequency the referential fixes come with a certificate;
  those it leaves open apply once the structure sets their frequency;
- the contrôles of each engagement at the frequency of the structure's tableau récapitulatif;
- the answers owed to complaints, and the values of the followed indicators for closed periods;
- the open actions of the audits' plans.

States: done when a record shows it (a closed audit of that kind and referential dated in the
period, a survey or a contrôle of the registers in the period, or, for obligations no register
records, the structure's record of it met), overdue
once its date is past, due within `DUE_SOON_DAYS`, upcoming after. A past period is shown for a
year (`LOOKBACK_DAYS`); an open action is shown however old.

Everything is read from the index rows (audits, and structures with their certificates, settings,
obligations met and what their registers record): only the structures whose registers owe
something (a complaint not closed, an indicator followed) are opened.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from audit_bench.model import ECART_CLASSES, KINDS, SOURCES, SURVEILLANCE, Certification, CycleSetting, Fulfilment
from audit_bench.model.checks import CheckFrequency
from audit_bench.model.cycle import DAYS_AHEAD
from audit_bench.model.vocab import AGENDA_KINDS, AGENDA_STATES, AUDIT_RECORDS, OBLIGATION_RECORDS
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import Cycle, Obligation, cite_as
from audit_bench.services.cycle import citation
from audit_bench.services.listing import AuditRow, workspace_rows
from audit_bench.services.reporting import checked_output, write_private
from audit_bench.services.text import fold
from audit_bench.services.validation import UserError
from audit_bench.services.workspace import Workspace

if TYPE_CHECKING:
    from audit_bench.services.plan import PlanAction

DUE_SOON_DAYS = 30
"""An item not done is « dû » this many days before its date (the plan's « à surveiller » too)."""
CERTIFICATE_NOTICE_DAYS = 183
"""A certificate's end of validity is listed six months ahead."""
LOOKBACK_DAYS = 365
"""Items dated before today by more than this are history, not agenda (open actions excepted)."""
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


class AgendaItem(msgspec.Struct, frozen=True, kw_only=True):
    """One thing due: `agenda --json` prints the first seven keys (the stable contract) and the rest."""

    date: str
    structure: str
    kind: str
    """A key of `model.vocab.AGENDA_KINDS`."""
    title: str
    rule: str
    """The rule it comes from, cited: « AFAQ 6.2 — un audit interne par an »."""
    state: str
    """A key of `model.vocab.AGENDA_STATES`."""
    ref: str
    """What it is about, stable across runs: « afaq/audit-interne/2026 », « AUDIT/A2 », « cedre/C-118 »."""
    structure_name: str
    referential: str | None = None
    obligation: str | None = None
    """The obligation's id, for the obligations of a referential's cycle."""
    starts: str | None = None
    """The first day of the obligation's period (`date` is its last)."""
    audit: str | None = None
    """The audit it leads to: the action's audit, or the audit that met it."""
    done_on: str | None = None
    done_by: str | None = None
    """What shows it done, in French."""
    record_id: str | None = None
    """The register's record it is about (a complaint's id, an indicator's), for a face to open it at."""


class ToSet(msgspec.Struct, frozen=True, kw_only=True):
    """A frequency the referential leaves open and the structure has not set: nothing of it can
    be due until it is set."""

    structure: str
    structure_name: str
    referential: str
    of: str
    """`surveillance` or an obligation id (`structure frequency … --of`)."""
    what: str
    rule: str


class AgendaView(msgspec.Struct, frozen=True):
    items: list[AgendaItem]
    """By date, then structure and title."""
    to_set: list[ToSet]

    def to_builtins(self) -> Any:
        """`{"items": [{"date", "structure", "kind", "title", "rule", "state", "ref", …}], "to_set": […]}`."""
        return msgspec.to_builtins(self)


# Calendar -------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_of(day: date, months: int) -> tuple[date, date]:
    """The calendar period of `months` months (a divisor of 12) that holds `day`: first and last day."""
    start = date(day.year, (day.month - 1) // months * months + 1, 1)
    return start, add_months(start, months) - timedelta(days=1)


def period_label(start: date, months: int) -> str:
    if months == 12:
        return str(start.year)
    if months == 6:
        return f"S{(start.month - 1) // 6 + 1} {start.year}"
    if months == 3:
        return f"T{(start.month - 1) // 3 + 1} {start.year}"
    if months == 1:
        return f"{MONTHS[start.month - 1]} {start.year}"
    last = add_months(start, months - 1)
    return f"{MONTHS[start.month - 1]}–{MONTHS[last.month - 1]} {start.year}"


def every_label(months: int) -> str:
    return {1: "chaque mois", 3: "chaque trimestre", 6: "chaque semestre", 12: "chaque année"}.get(
        months, f"tous les {months} mois")


# The agenda -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Window:
    today: date
    horizon: date
    lookback: date

    def state(self, due: date, done: bool) -> str:
        if done:
            return "done"
        if due < self.today:
            return "overdue"
        return "due" if (due - self.today).days <= DUE_SOON_DAYS else "upcoming"

    def shows(self, due: date) -> bool:
        return self.lookback <= due <= self.horizon


@dataclass
class _Structure:
    """One structure as the index rows give it."""

    id: str
    name: str
    audits: list[AuditRow]
    certifications: list[Certification]
    settings: dict[tuple[str, str], CycleSetting]
    fulfilments: list[Fulfilment]
    register_dates: dict[str, list[str]]
    register_dues: bool
    check_frequencies: list[CheckFrequency]
    checks_by_engagement: dict[str, list[str]]

    def closed_audits(self, referential: str, kind: str) -> list[AuditRow]:
        return [a for a in self.audits if a.referential == referential and a.kind == kind
                and a.status == "closed"]


class TodoSummary(msgspec.Struct, frozen=True):
    """The Accueil's « À faire »: what is late, what is due within `DUE_SOON_DAYS`, what to set."""

    overdue: int
    due: int
    to_set: int


def todo_summary(workspace: Workspace, today: date | None = None) -> TodoSummary:
    """The agenda's counts without opening any audit: actions are counted from their due dates."""
    today = today or date.today()
    structures = _structures(workspace)
    view = _agenda(workspace, structures, _window(today, DUE_SOON_DAYS), actions=False)
    dues = [due for record in structures.values() for row in record.audits for due in row.open_action_dues]
    first, soon = today.isoformat(), (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
    overdue = sum(item.state == "overdue" for item in view.items) + sum(due < first for due in dues)
    due = sum(item.state == "due" for item in view.items) + sum(first <= d <= soon for d in dues)
    return TodoSummary(overdue, due, len(view.to_set))


def agenda(workspace: Workspace, today: date | None = None, structure: str | None = None,
           within: int = DAYS_AHEAD) -> AgendaView:
    """What is due up to `within` days ahead (and what fell due in the past year), for every
    structure or only `structure`."""
    if within < 0:
        raise UserError(f"horizon invalide ({within} jours) : donner un nombre de jours positif ou nul")
    structures = _structures(workspace)
    if structure is not None:
        if structure not in structures:
            raise UserError(f"structure inconnue « {structure} » dans {workspace.path}")
        structures = {structure: structures[structure]}
    return _agenda(workspace, structures, _window(today or date.today(), within), actions=True)


def _window(today: date, within: int) -> _Window:
    return _Window(today, today + timedelta(days=within), today - timedelta(days=LOOKBACK_DAYS))


def _agenda(workspace: Workspace, structures: dict[str, _Structure], window: _Window, *,
            actions: bool) -> AgendaView:
    """The items of `structures`; with `actions`, their open actions too (from the plan's index)."""
    installed = workspace.registry.referentials
    plan_actions = _plan_actions(workspace, window) if actions else {}
    items: list[AgendaItem] = []
    to_set: list[ToSet] = []
    for record in structures.values():
        certified = {c.referential for c in record.certifications}
        followed = certified | {a.referential for a in record.audits} | {ref for ref, _ in record.settings}
        if record.register_dues:
            items += _register_items(workspace, record, [installed[r].tree for r in sorted(followed) if r in installed],
                                     window)
        for referential in sorted(followed):
            loaded = installed.get(referential)
            tree = loaded.tree if loaded is not None else None
            items += _certificate_items(record, referential, tree, window)
            if tree is None or tree.referential.cycle is msgspec.UNSET:
                continue
            cycle = tree.referential.cycle
            items += _cycle_audit_items(record, tree, cycle, window, to_set)
            items += _obligation_items(record, tree, cycle, window, to_set, referential in certified)
        if actions:
            items += _action_items(workspace, record, window, plan_actions.get(record.id, []))
    items.sort(key=lambda item: (item.date, fold(item.structure_name), item.title))
    to_set.sort(key=lambda entry: (fold(entry.structure_name), entry.referential, entry.of))
    return AgendaView(items, to_set)


def _structures(workspace: Workspace) -> dict[str, _Structure]:
    """Every structure with a readable file or implied by audits, with its audits."""
    rows = workspace_rows(workspace)
    audits: dict[str, list[AuditRow]] = {}
    for row in rows.audits:
        if row.error is None:
            audits.setdefault(row.structure, []).append(row)
    found: dict[str, _Structure] = {}
    for row in rows.structures:
        if row.error is None:
            settings = {(s.referential, s.of): s for s in row.cycle_settings}
            found[row.id] = _Structure(row.id, row.name, audits.get(row.id, []), row.certifications,
                                          settings, row.fulfilments, row.register_dates, row.register_dues,
                                          row.check_frequencies, row.checks_by_engagement)
    for structure_id, its_audits in audits.items():
        if structure_id not in found:
            found[structure_id] = _Structure(structure_id, its_audits[0].org, its_audits, [], {}, [], {}, False,
                                             [], {})
    return found


def _latest_certificate(record: _Structure, referential: str) -> Certification | None:
    held = [c for c in record.certifications if c.referential == referential]
    return max(held, key=lambda c: (c.valid_until, c.issued)) if held else None


def _item(record: _Structure, window: _Window, due: date, **fields: Any) -> AgendaItem:
    done = fields.get("done_on") is not None
    return AgendaItem(date=due.isoformat(), structure=record.id, structure_name=record.name,
                      state=window.state(due, done), **fields)


def _certificate_items(record: _Structure, referential: str, tree: ReferentialTree | None,
                       window: _Window) -> list[AgendaItem]:
    """The latest certificate's end of validity, six months ahead."""
    certificate = _latest_certificate(record, referential)
    if certificate is None:
        return []
    expiry = date.fromisoformat(certificate.valid_until)
    if (expiry - window.today).days > CERTIFICATE_NOTICE_DAYS or not window.shows(expiry):
        return []
    cycle = tree.referential.cycle if tree is not None else msgspec.UNSET
    rule = (citation(tree, cycle.validity) if cycle is not msgspec.UNSET
            else f"{referential.upper()} — fin de validité portée par le certificat")
    return [_item(record, window, expiry, kind="certificate", referential=referential,
                  title=f"Fin de validité du certificat {certificate.number} ({certificate.body})",
                  rule=rule, ref=f"{referential}/{certificate.number}")]


def _cycle_audit_items(record: _Structure, tree: ReferentialTree, cycle: Cycle, window: _Window,
                       to_set: list[ToSet]) -> list[AgendaItem]:
    """The surveillance audits and the renewal audit of the latest certificate."""
    certificate = _latest_certificate(record, tree.id)
    if certificate is None:
        return []
    issued = date.fromisoformat(certificate.issued)
    expiry = date.fromisoformat(certificate.valid_until)
    number = certificate.number
    items = []
    for step in cycle.audits:
        after_issue = [a for a in record.closed_audits(tree.id, step.kind) if a.date > certificate.issued]
        rule = citation(tree, step)
        if step.kind == "renewal":
            due = add_months(expiry, -step.before_expiry_months)
            done = min(after_issue, key=lambda a: a.date, default=None)
            if window.shows(due):
                items.append(_item(record, window, due, kind="renewal", referential=tree.id, rule=rule,
                                   title=f"Audit de renouvellement (certificat {number})",
                                   ref=f"{tree.id}/{number}/renewal", **_done_by_audit(done)))
            continue
        months = step.every_months or _set_months(record, tree.id, SURVEILLANCE)
        if months is None:
            to_set.append(_to_set(record, tree, SURVEILLANCE, "Intervalle des audits de surveillance", rule))
            continue
        if step.every_months is None:
            rule = f"{rule} : {every_label(months)}"  # the rule says the structure sets it
        dues = []
        while (due := add_months(issued, months * (len(dues) + 1))) < expiry:
            dues.append(due)
        met = _nearest(dues, after_issue)
        for k, due in enumerate(dues, start=1):
            if window.shows(due):
                items.append(_item(record, window, due, kind="surveillance", referential=tree.id, rule=rule,
                                   title=f"Audit de surveillance {k} (certificat {number})",
                                   ref=f"{tree.id}/{number}/surveillance-{k}", **_done_by_audit(met.get(k - 1))))
    return items


def _nearest(dues: list[date], audits: list[AuditRow]) -> dict[int, AuditRow]:
    """Each audit meets the due date nearest to it (a surveillance audit held late still counts)."""
    met: dict[int, AuditRow] = {}
    for audit in sorted(audits, key=lambda a: a.date):
        if dues:
            held = date.fromisoformat(audit.date)
            index = min(range(len(dues)), key=lambda i: abs((dues[i] - held).days))
            met.setdefault(index, audit)
    return met


def _done_by_audit(audit: AuditRow | None) -> dict[str, Any]:
    if audit is None:
        return {}
    return {"done_on": audit.date, "audit": audit.id,
            "done_by": f"{KINDS.get(audit.kind, audit.kind)} du {audit.date}, clos ({audit.id})"}


def _set_months(record: _Structure, referential: str, of: str) -> int | None:
    setting = record.settings.get((referential, of))
    return setting.every_months if setting is not None else None


def _to_set(record: _Structure, tree: ReferentialTree, of: str, what: str, rule: str) -> ToSet:
    return ToSet(structure=record.id, structure_name=record.name, referential=tree.id, of=of, what=what, rule=rule)


def _obligation_items(record: _Structure, tree: ReferentialTree, cycle: Cycle, window: _Window,
                      to_set: list[ToSet], certified: bool) -> list[AgendaItem]:
    items = []
    held = [c for c in record.certifications if c.referential == tree.id]
    for obligation in cycle.obligations:
        rule = citation(tree, obligation)
        setting = record.settings.get((tree.id, obligation.id))
        if obligation.every_months is not None:
            if not certified:
                continue  # what the referential fixes is owed by the structures it certifies
            months, since = obligation.every_months, min(c.issued for c in held)
        elif setting is not None:
            months = setting.every_months
            since = min(c.issued for c in held) if held else setting.at[:10]
            rule = f"{rule} : {every_label(months)}"  # the rule says the structure sets it
        elif obligation.met_by == "check" and record.check_frequencies:
            items += _check_items(record, tree, obligation, rule, window)
            continue
        else:
            to_set.append(_to_set(record, tree, obligation.id, f"Fréquence : {obligation.title}", rule))
            continue
        until = max(c.valid_until for c in held) if held else None
        for start, end in _periods(date.fromisoformat(since), until, months, window):
            label = period_label(start, months)
            items.append(_item(record, window, end, kind="obligation", referential=tree.id,
                               obligation=obligation.id, starts=start.isoformat(), rule=rule,
                               title=f"{obligation.title} — {label}",
                               ref=f"{tree.id}/{obligation.id}/{start:%Y-%m}",
                               **_done_in(record, tree, obligation, start, end)))
    return items


def _periods(since: date, until: str | None, months: int, window: _Window) -> Iterator[tuple[date, date]]:
    """The calendar periods from the one holding `since`, while they start before `until` (the
    end of the last certificate) and end in the window."""
    start, end = period_of(since, months)
    while end <= window.horizon and (until is None or start.isoformat() <= until):
        if window.shows(end):
            yield start, end
        start = add_months(start, months)
        end = add_months(start, months) - timedelta(days=1)


def _done_in(record: _Structure, tree: ReferentialTree, obligation: Obligation, start: date,
             end: date) -> dict[str, Any]:
    """What shows the obligation met in the period: a closed audit of the kind, or the
    structure's record of it met."""
    first, last = start.isoformat(), end.isoformat()
    if obligation.met_by in AUDIT_RECORDS:
        kind = AUDIT_RECORDS[obligation.met_by]
        held = sorted((a for a in record.audits if a.referential == tree.id and a.kind == kind
                       and first <= a.date <= last), key=lambda a: (a.status != "closed", a.date))
        if held and held[0].status != "closed":
            return {"audit": held[0].id}  # held, not closed yet: not done, but that is the audit to open
        return _done_by_audit(held[0] if held else None)
    shown = [day for day in record.register_dates.get(obligation.met_by, []) if first <= day <= last]
    if shown:
        return {"done_on": shown[0], "done_by": f"{OBLIGATION_RECORDS[obligation.met_by]} du {shown[0]} (registre)"}
    met = [f for f in record.fulfilments if f.referential == tree.id and f.obligation == obligation.id
           and first <= f.on <= last]
    if not met:
        return {}
    fulfilment = min(met, key=lambda f: f.on)
    note = f" — {fulfilment.note}" if fulfilment.note else ""
    return {"done_on": fulfilment.on, "done_by": f"fait le {fulfilment.on}{note}"}


def _check_items(record: _Structure, tree: ReferentialTree, obligation: Obligation, rule: str,
                 window: _Window) -> list[AgendaItem]:
    """The contrôles of each engagement of the structure's tableau récapitulatif, one per period of
    its frequency from the day it was set; done by a contrôle of that engagement in the period."""
    held = [c for c in record.certifications if c.referential == tree.id]
    until = max(c.valid_until for c in held) if held else None
    items = []
    for frequency in record.check_frequencies:
        days = record.checks_by_engagement.get(frequency.engagement, [])
        months = frequency.every_months
        for start, end in _periods(date.fromisoformat(frequency.at[:10]), until, months, window):
            done = [day for day in days if start.isoformat() <= day <= end.isoformat()]
            items.append(_item(record, window, end, kind="obligation", referential=tree.id,
                               obligation=obligation.id, starts=start.isoformat(),
                               rule=f"{rule} : {frequency.engagement} {every_label(months)}",
                               title=f"Contrôle de l'engagement {frequency.engagement} — {period_label(start, months)}",
                               ref=f"{tree.id}/{obligation.id}/{frequency.engagement}/{start:%Y-%m}",
                               **({"done_on": done[0], "done_by": f"contrôle du {done[0]} (registre)"} if done
                                  else {})))
    return items


def _register_items(workspace: Workspace, record: _Structure, trees: list[ReferentialTree],
                    window: _Window) -> list[AgendaItem]:
    """What the registers owe: the answers due to complaints (however late), the values of the
    followed indicators for the closed periods of the window."""
    from audit_bench.services.complaints import complaint_dues
    from audit_bench.services.indicators import missing_values
    from audit_bench.services.structures import open_structure

    with open_structure(workspace, record.id, write=False) as session:
        snapshot = session.snapshot()
    items = [_item(record, window, date.fromisoformat(due.due), kind="complaint", title=due.title, rule=due.rule,
                   ref=f"{record.id}/{due.id}/{due.kind}", record_id=due.id)
             for due in complaint_dues(snapshot, trees) if due.due <= window.horizon.isoformat()]
    for missing in missing_values(snapshot, trees, window.today):
        closed = date.fromisoformat(missing.closed_on)
        if window.shows(closed):
            items.append(_item(record, window, closed, kind="indicator",
                               title=f"Valeur de l'indicateur {missing.indicator} — {missing.period}",
                               rule=f"{missing.name} : une valeur par période close",
                               ref=f"{record.id}/{missing.indicator}/{missing.period}",
                               record_id=missing.indicator))
    return items


def _plan_actions(workspace: Workspace, window: _Window) -> dict[str, list[PlanAction]]:
    """The actions to follow of every structure, audits' and other sources' alike, from the plan's
    index (no audit file is opened), due before the horizon — overdue ones however old."""
    from audit_bench.services.plan import read_plan

    horizon = window.horizon.isoformat()
    by_structure: dict[str, list[PlanAction]] = {}
    for action in read_plan(workspace, today=window.today).records():
        if action.open and action.due <= horizon:
            by_structure.setdefault(action.structure, []).append(action)
    return by_structure


def _action_items(workspace: Workspace, record: _Structure, window: _Window,
                  actions: list[PlanAction]) -> list[AgendaItem]:
    """The structure's open actions, each with the écart it treats and where that écart comes from."""
    audits = {row.id: row for row in record.audits}
    installed = workspace.registry.referentials
    items = []
    for action in actions:
        finding = action.finding
        row = audits.get(action.holder) if action.source.kind == "audit" else None
        if row is not None:
            loaded = installed.get(row.referential)
            tree = loaded.tree if loaded is not None else None
            cls = tree.finding_classes.get(finding.class_) if tree is not None else None
            short = cite_as(tree.referential) if tree is not None else row.referential
            about = (f"{short} {finding.requirement} — écart {finding.id} ({cls.label if cls else finding.class_}) "
                     f"de l'audit du {row.date}")
        else:
            label = ECART_CLASSES.get(finding.class_, (finding.class_, True))[0]
            about = f"{SOURCES.get(action.source.kind, action.source.kind)} — écart {finding.id} ({label})"
        verify = action.status == "done"
        title = (f"Vérifier l'efficacité de l'action {action.id} : {action.text}" if verify
                 else f"Action {action.id} : {action.text} ({action.owner})")
        items.append(_item(record, window, date.fromisoformat(action.due), kind="action",
                           referential=row.referential if row is not None else None,
                           audit=row.id if row is not None else None, title=title, rule=about,
                           ref=f"{action.holder}/{action.id}"))
    return items


# The calendar file ----------------------------------------------------------------------------

def calendar_bytes(view: AgendaView, stamp: datetime | None = None) -> bytes:
    """The agenda as an iCalendar file (RFC 5545) that Thunderbird and Outlook import: one
    all-day event per item, its UID stable across exports so a second import updates the first."""
    import icalendar  # only when a calendar is written: it pulls dateutil and tzdata

    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    calendar_file = icalendar.Calendar()
    calendar_file.add("prodid", "-//audit-bench//agenda//FR")
    calendar_file.add("version", "2.0")
    calendar_file.add("calscale", "GREGORIAN")
    calendar_file.add("method", "PUBLISH")  # Outlook files a published calendar's events without an invitation
    calendar_file.add("x-wr-calname", "audit-bench — agenda")
    for item in view.items:
        event = icalendar.Event()
        day = date.fromisoformat(item.date)
        event.add("uid", f"{item.structure}/{item.ref}@audit-bench")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"{item.title} — {item.structure_name}")
        lines = [item.rule, f"État : {AGENDA_STATES[item.state]}"]
        if item.done_by:
            lines.append(f"Fait : {item.done_by}")
        lines.append(f"Référence : {item.ref}")
        event.add("description", "\n".join(lines))
        event.add("categories", [AGENDA_KINDS[item.kind]])
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it takes no time in the day
        calendar_file.add_component(event)
    return calendar_file.to_ical()


def write_calendar(workspace: Workspace, view: AgendaView, output: Path, *, force: bool = False) -> Path:
    """Write the agenda's calendar at `output` (never inside the workspace's data, never over an
    existing file unless `force`, mode 0600, durable)."""
    target = checked_output(workspace.path, Path(output), force=force)
    write_private(target, calendar_bytes(view), force=force)
    return target
