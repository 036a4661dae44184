"""The treatment of écarts, whatever holds them (an audit file, a structure's file): add an action,
change its status, postpone it with a reason, verify its effectiveness, note the immediate action
and the root cause. `AuditSession` and `StructureSession` share it."""

from __future__ import annotations

from typing import Any, Protocol

import msgspec

from audit_bench.model import ACTION_STATUSES, ACTION_TYPES, Action, Finding, Postponement
from audit_bench.services import rules
from audit_bench.services.clock import now
from audit_bench.services.validation import UserError, check_choice, check_date, check_optional_text, check_text


class PlanFile(Protocol):
    """What a file holding écarts and actions offers (`AuditFile`, `StructureFile`)."""

    def next_id(self, table: str) -> str: ...

    def add(self, table: str, record: Any) -> None: ...

    def replace(self, table: str, record: Any) -> None: ...

    def delete(self, table: str, record_id: str) -> None: ...

    def batch(self) -> Any: ...


class ActionPlan:
    """Mixin of a session on a file with écarts (`findings`) and `actions`. The session provides
    `snapshot()`, `plan_file()` (the file, once it may be written), `_changed()` and `holder`."""

    holder: str
    """How messages name what holds the écarts: « l'audit X », « la structure Y »."""

    def snapshot(self) -> Any:
        raise NotImplementedError

    def plan_file(self) -> PlanFile:
        raise NotImplementedError

    def _changed(self) -> None:
        raise NotImplementedError

    def _check_ecarts_editable(self) -> None:
        """Raise when the écarts may not change (an audit once closed); actions always may."""

    def _checked_class(self, class_id: str) -> str:
        """`class_id` if the holder's écarts may have that class."""
        raise NotImplementedError

    def finding(self, finding_id: str) -> Finding:
        for finding in self.snapshot().findings:
            if finding.id == finding_id:
                return finding
        raise UserError(f"écart inconnu « {finding_id} » dans {self.holder}")

    def action(self, action_id: str) -> Action:
        for action in self.snapshot().actions:
            if action.id == action_id:
                return action
        raise UserError(f"action inconnue « {action_id} » dans {self.holder}")

    def set_analysis(self, finding_id: str, immediate_action: str | None = None,
                     root_cause: str | None = None) -> Finding:
        """Record what was done at once (action curative) and the root cause of an écart."""
        if immediate_action is None and root_cause is None:
            raise UserError("rien à modifier : donner --immediate-action ou --root-cause")
        finding = self.finding(finding_id)
        changes: dict[str, str] = {}
        if immediate_action is not None:
            changes["immediate_action"] = check_optional_text(immediate_action, "l'action immédiate")
        if root_cause is not None:
            changes["root_cause"] = check_optional_text(root_cause, "la cause")
        updated = msgspec.structs.replace(finding, **changes)
        self.plan_file().replace("findings", updated)
        self._changed()
        return updated

    def add_action(self, finding_id: str, text: str, owner: str, due: str, type_: str = "corrective") -> Action:
        """Actions stay trackable after an audit is closed: the improvement plan outlives the visit."""
        self.finding(finding_id)
        action = Action(id="", finding=finding_id, text=check_text(text, "le texte de l'action"),
                        owner=check_text(owner, "le responsable de l'action"),
                        due=check_date(due, "échéance"), type=check_choice(type_, ACTION_TYPES, "type d'action"),
                        at=now())
        file = self.plan_file()
        action = msgspec.structs.replace(action, id=file.next_id("actions"))
        file.add("actions", action)
        self._changed()
        return action

    def edit_finding(self, finding_id: str, text: str | None = None, class_id: str | None = None) -> Finding:
        """Reword an écart or change its class."""
        self._check_ecarts_editable()
        finding = self.finding(finding_id)
        if text is None and class_id is None:
            raise UserError("rien à modifier : donner --text ou --class")
        changes: dict[str, str] = {}
        if text is not None:
            changes["text"] = check_text(text, "le texte de l'écart")
        if class_id is not None:
            changes["class_"] = self._checked_class(class_id)
        updated = msgspec.structs.replace(finding, **changes)
        self.plan_file().replace("findings", updated)
        self._changed()
        return updated

    def delete_finding(self, finding_id: str) -> list[str]:
        """Delete an écart and its actions, in one durable write; returns the actions deleted."""
        self._check_ecarts_editable()
        self.finding(finding_id)
        actions = [action.id for action in self.snapshot().actions_of(finding_id)]
        file = self.plan_file()
        with file.batch():
            for action_id in actions:
                file.delete("actions", action_id)
            file.delete("findings", finding_id)
        self._changed()
        return actions

    def edit_action(self, action_id: str, text: str | None = None, owner: str | None = None,
                    type_: str | None = None) -> Action:
        """Reword an action, change its owner or type; its due date changes only by a postponement
        (`update_action` with a reason), so that none is silent."""
        action = self.action(action_id)
        if text is None and owner is None and type_ is None:
            raise UserError("rien à modifier : donner --text, --owner ou --type (l'échéance : "
                            "action-update --due --reason)")
        changes: dict[str, str] = {}
        if text is not None:
            changes["text"] = check_text(text, "le texte de l'action")
        if owner is not None:
            changes["owner"] = check_text(owner, "le responsable de l'action")
        if type_ is not None:
            changes["type"] = check_choice(type_, ACTION_TYPES, "type d'action")
        updated = msgspec.structs.replace(action, **changes)
        self.plan_file().replace("actions", updated)
        self._changed()
        return updated

    def delete_action(self, action_id: str) -> None:
        self.action(action_id)
        self.plan_file().delete("actions", action_id)
        self._changed()

    def update_action(self, action_id: str, status: str | None = None, verified_by: str | None = None,
                      effective: bool | None = None, comment: str | None = None, due: str | None = None,
                      reason: str | None = None) -> Action:
        """Change the status, postpone (a new due date and its reason, kept in the action's
        history), or record the verification of effectiveness (who, result, comment)."""
        action = self.action(action_id)
        updated = changed_action(action, status=status, verified_by=verified_by, effective=effective,
                                 comment=comment, due=due, reason=reason)
        self.plan_file().replace("actions", updated)
        self._changed()
        return updated


def changed_action(action: Action, *, status: str | None, verified_by: str | None, effective: bool | None,
                   comment: str | None, due: str | None, reason: str | None) -> Action:
    """`action` with the changes asked, each checked; a UserError says what is wrong."""
    if status is None and verified_by is None and effective is None and due is None and reason is None:
        raise UserError("rien à modifier : donner --status, --due avec --reason, ou --verified-by avec --effective")
    if (verified_by is None) != (effective is None):
        raise UserError("la vérification d'efficacité demande --verified-by et --effective ensemble")
    if comment is not None and verified_by is None:
        raise UserError("le commentaire (--comment) accompagne une vérification d'efficacité (--verified-by)")
    changes: dict[str, Any] = {}
    if due is not None or reason is not None:
        postponement = _postponement(action, due, reason)
        changes["postponements"] = [*action.postponements, postponement]
        changes["due"] = postponement.to
    if status is not None:
        changes["status"] = check_choice(status, ACTION_STATUSES, "statut")
        if status != "done":
            changes.update(verified_by=None, verified_at=None, effective=None, verification_comment="")
    if verified_by is not None:
        problem = rules.verification_problem(msgspec.structs.replace(action, status=status or action.status))
        if problem:
            raise UserError(problem)
        changes.update(verified_by=check_text(verified_by, "le vérificateur"), verified_at=now(),
                       effective=effective, verification_comment=check_optional_text(comment, "le commentaire"))
    return msgspec.structs.replace(action, **changes)


def _postponement(action: Action, due: str | None, reason: str | None) -> Postponement:
    if due is None:
        raise UserError("une raison (--reason) accompagne une nouvelle échéance (--due)")
    due = check_date(due, "échéance")
    if not (reason or "").strip():
        raise UserError(f"reporter l'échéance de l'action {action.id} demande sa raison (--reason) : "
                        "un report n'est jamais muet")
    if due == action.due:
        raise UserError(f"l'action {action.id} a déjà l'échéance {due}")
    return Postponement(from_=action.due, to=due, reason=check_text(reason, "la raison du report"), at=now())
