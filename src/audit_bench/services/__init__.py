"""Use cases: everything a screen or a command can do, with no UI code."""

from audit_bench.services.audit import AuditSession, Pending
from audit_bench.services.validation import UserError
from audit_bench.services.workbench import DEFAULT_WORKSPACE, AuditRow, Workbench

__all__ = ["DEFAULT_WORKSPACE", "AuditRow", "AuditSession", "Pending", "UserError", "Workbench"]
