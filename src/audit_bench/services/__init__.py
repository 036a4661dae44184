"""Use cases: everything a screen or a command can do, with no UI code.

`workspace` (the folder, plugins, referentials), `audits` (create, open), `listing` (the audits
and structures from the index), `session` (one open audit), `rules` (progress, closure, what is
owed: once), `history`, `demo`, `reporting`.

Each name below imports its module when first used (`audit_bench.lazy`): the TUI's first screen
needs the workspace and the listing, not the sessions, the store's TinyDB files nor the
referential loader."""

from audit_bench.lazy import lazy_exports

__all__ = ["DEFAULT_WORKSPACE", "AuditRow", "AuditSession", "Pending", "Progress", "UserError", "Workspace",
           "create_audit", "list_audits", "open_audit"]

__getattr__, __dir__ = lazy_exports(globals(), {
    "audit_bench.services.audits": ["create_audit", "open_audit"],
    "audit_bench.services.listing": ["AuditRow", "list_audits"],
    "audit_bench.model": ["Progress"],
    "audit_bench.services.rules": ["Pending"],
    "audit_bench.services.session": ["AuditSession"],
    "audit_bench.services.validation": ["UserError"],
    "audit_bench.services.workspace": ["DEFAULT_WORKSPACE", "Workspace"],
})
