"""The structure's side of a referential's cycle: the frequencies it sets where the referential
leaves them open, the obligations it records as met, and the checks of internal auditors.

What a referential states (an internal audit a year, by trained and independent auditors) is its
`cycle` data; a structure sets only what the referential leaves open, and records as met only
what no other record shows (a closed audit is recognised, never marked by hand).
"""

from __future__ import annotations

from datetime import date

from msgspec import UNSET

from audit_bench.model import SURVEILLANCE, AuditHeader, CycleSetting, Fulfilment, Person
from audit_bench.model.vocab import AUDIT_RECORDS, OBLIGATION_RECORDS
from audit_bench.referential import ReferentialTree
from audit_bench.referential.schema import PERIOD_MONTHS, AuditorRule, Citation, Cycle, Obligation, cite_as
from audit_bench.services.clock import now
from audit_bench.services.structures import open_structure
from audit_bench.services.text import fold
from audit_bench.services.validation import UserError, check_date, check_optional_text
from audit_bench.services.workspace import Workspace

MAX_SURVEILLANCE_MONTHS = 36


def citation(tree: ReferentialTree, rule: Citation) -> str:
    """How a rule of the cycle is cited: « AFAQ 6.2 — un audit interne par an »."""
    where = f"{cite_as(tree.referential)} {rule.section}".strip()
    return f"{where} — {rule.rule}"


def cycle_of(tree: ReferentialTree) -> Cycle:
    """The referential's cycle; a referential that states none has an empty one."""
    cycle = tree.referential.cycle
    if cycle is UNSET:
        raise UserError(f"le référentiel {tree.id} ne décrit pas de cycle (ni audits de certification, ni "
                        "obligations récurrentes)")
    return cycle


def open_frequencies(tree: ReferentialTree) -> dict[str, str]:
    """What the referential leaves for the structure to set: `of` → what it is, in French."""
    cycle = tree.referential.cycle
    if cycle is UNSET:
        return {}
    found = {SURVEILLANCE: "Intervalle des audits de surveillance (mois)"
             for audit in cycle.audits if audit.kind == "surveillance" and audit.every_months is None}
    found.update({o.id: f"Fréquence : {o.title} (mois)" for o in cycle.obligations if o.every_months is None})
    return found


def set_frequency(workspace: Workspace, structure_id: str, referential: str, of: str,
                  every_months: int | None) -> CycleSetting | None:
    """Set (or, with None, clear) a frequency the referential leaves open to the structure."""
    tree = workspace.referential(referential)
    cycle = cycle_of(tree)
    fixed = _fixed_frequency(tree, cycle, of)
    if fixed:
        raise UserError(f"{fixed} : la structure ne fixe que ce que le référentiel laisse ouvert")
    with open_structure(workspace, structure_id) as session:
        if every_months is None:
            if not session.remove_cycle_setting(tree.id, of):
                raise UserError(f"aucune fréquence « {of} » fixée pour {tree.id} dans la structure {structure_id}")
            return None
        if of == SURVEILLANCE:
            if not 1 <= every_months <= MAX_SURVEILLANCE_MONTHS:
                raise UserError(f"intervalle de surveillance invalide ({every_months} mois) : entre 1 et "
                                f"{MAX_SURVEILLANCE_MONTHS} mois")
        elif every_months not in PERIOD_MONTHS:
            raise UserError(f"fréquence invalide ({every_months} mois) : des périodes qui découpent l'année, "
                            f"{', '.join(map(str, PERIOD_MONTHS))} mois")
        setting = CycleSetting(referential=tree.id, of=of, every_months=every_months, at=now())
        session.set_cycle_setting(setting)
        return setting


def _fixed_frequency(tree: ReferentialTree, cycle: Cycle, of: str) -> str | None:
    """Why `of` cannot be set by the structure (the referential fixes it), None when it can;
    an unknown `of` is refused."""
    if of == SURVEILLANCE:
        audit = next((a for a in cycle.audits if a.kind == "surveillance"), None)
        if audit is None:
            raise UserError(f"le référentiel {tree.id} ne prévoit pas d'audit de surveillance")
        return citation(tree, audit) if audit.every_months is not None else None
    obligation = obligation_of(tree, of)
    return citation(tree, obligation) if obligation.every_months is not None else None


def obligation_of(tree: ReferentialTree, obligation_id: str) -> Obligation:
    cycle = cycle_of(tree)
    for obligation in cycle.obligations:
        if obligation.id == obligation_id:
            return obligation
    known = ", ".join([SURVEILLANCE, *(o.id for o in cycle.obligations)])
    raise UserError(f"« {obligation_id} » inconnu dans le cycle de {tree.id} : choisir parmi {known}")


def record_met(workspace: Workspace, structure_id: str, referential: str, obligation_id: str, on: str,
               note: str = "", today: date | None = None, period: tuple[str, str] | None = None) -> Fulfilment:
    """Record an obligation met on a day, where no register records it (a review signed, a survey
    made, the subcontractors' bilan); a closed audit is recognised and needs none. With `period`
    (first and last day), a day outside it is refused: it would meet another period."""
    tree = workspace.referential(referential)
    obligation = obligation_of(tree, obligation_id)
    if obligation.met_by in AUDIT_RECORDS:
        raise UserError(f"{obligation.title} : {OBLIGATION_RECORDS[obligation.met_by]} de la période le montre "
                        "fait, il n'y a rien à marquer (clore l'audit)")
    on = check_date(on, "date de réalisation")
    if on > (today or date.today()).isoformat():
        raise UserError(f"date de réalisation à venir ({on}) : marquer fait ce qui a été fait")
    if period is not None and not period[0] <= on <= period[1]:
        raise UserError(f"le {on} n'est pas dans la période du {period[0]} au {period[1]} : fait ce jour-là, "
                        "il compte pour sa propre période")
    fulfilment = Fulfilment(referential=tree.id, obligation=obligation.id, on=on,
                            note=check_optional_text(note, "la référence"), at=now())
    with open_structure(workspace, structure_id) as session:
        session.set_fulfilment(fulfilment)
    return fulfilment


def remove_met(workspace: Workspace, structure_id: str, referential: str, obligation_id: str, on: str) -> None:
    on = check_date(on, "date de réalisation")
    with open_structure(workspace, structure_id) as session:
        if not session.remove_fulfilment(referential, obligation_id, on):
            raise UserError(f"aucune réalisation de « {obligation_id} » ({referential}) le {on} dans la "
                            f"structure {structure_id}")


# The internal auditors ------------------------------------------------------------------------

def auditor_rule(tree: ReferentialTree) -> tuple[Obligation, AuditorRule] | None:
    """The referential's internal-audit obligation and what it asks of the auditors, if anything."""
    cycle = tree.referential.cycle
    if cycle is UNSET:
        return None
    for obligation in cycle.obligations:
        if obligation.met_by == "internal-audit" and obligation.auditors is not UNSET:
            return obligation, obligation.auditors
    return None


def auditor_warnings(workspace: Workspace, tree: ReferentialTree, kind: str | None, structure_id: str | None,
                     audit_date: str | None, auditors: list[str], scope: str) -> tuple[str, list[str]] | None:
    """For an internal audit on a referential that asks something of its auditors: the rule, cited,
    and what the auditors miss of it (trained before the audit, independent of the activity
    audited), one French sentence each. None for another kind of audit or a referential that asks
    nothing. A structure not yet recorded has no one trained."""
    rules_from = rule_tree(workspace, tree)
    found = auditor_rule(rules_from)
    if kind != "internal" or found is None:
        return None
    _, rule = found
    cited = citation(rules_from, rule)
    auditors = [name.strip() for name in auditors if name.strip()]
    if not auditors:
        return cited, ["aucun auditeur désigné pour cet audit interne"]
    people: list[Person] = []
    if structure_id is not None:
        with open_structure(workspace, structure_id, write=False) as session:
            people = session.snapshot().people
    warnings = []
    for name in auditors:
        rows = [p for p in people if fold(p.name) == fold(name)]
        if not rows:
            warnings.append(f"{name} n'est pas enregistré(e) parmi les personnes de la structure : formation et "
                            "activité non vérifiables")
            continue
        if rule.trained:
            warnings += _training(name, rows, audit_date)
        if rule.independent:
            warnings += _independence(name, rows, scope)
    return cited, warnings


def rule_tree(workspace: Workspace, tree: ReferentialTree) -> ReferentialTree:
    """Where an audit's cycle rules are read: the installed edition of its referential (an audit made
    before the transcription stated the rule is checked too), else the audit's own."""
    installed = workspace.registry.referentials.get(tree.id)
    return installed.tree if installed is not None else tree


def header_auditor_warnings(workspace: Workspace, tree: ReferentialTree,
                            header: AuditHeader) -> tuple[str, list[str]] | None:
    """`auditor_warnings` for an audit made with `tree`."""
    return auditor_warnings(workspace, tree, header.kind, header.structure or None, header.date, header.auditors,
                            header.scope)


def _training(name: str, rows: list[Person], audit_date: str | None) -> list[str]:
    trained = sorted(p.trained_on for p in rows if p.trained_on)
    if not trained:
        return [f"{name} : aucune formation à l'audit enregistrée"]
    if audit_date and trained[0] > audit_date:
        return [f"{name} : formé(e) à l'audit le {trained[0]}, après le début de l'audit"]
    return []


def _independence(name: str, rows: list[Person], scope: str) -> list[str]:
    activities = [p.activity for p in rows if p.activity]
    if not activities:
        return [f"{name} : activité non déclarée, indépendance non vérifiable"]
    if not scope.strip():
        return [f"{name} : champ de l'audit non précisé, indépendance de l'activité « {activities[0]} » "
                "non vérifiable"]
    audited = fold(scope)
    inside = [activity for activity in activities if fold(activity) in audited]
    if inside:
        return [f"{name} exerce l'activité auditée « {inside[0]} » : pas indépendant(e)"]
    return []
