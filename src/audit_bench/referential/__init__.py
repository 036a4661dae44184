"""Referentials as plain data: the schema, its loader and read-only views.

Each name below imports its module when first used (`audit_bench.lazy`): the loader (YAML, TOML,
the schema's checks) waits for the first referential read, after the TUI's first screen."""

from audit_bench.lazy import lazy_exports

__all__ = ["NA", "Referential", "ReferentialError", "ReferentialTree", "content_hash", "load_referential"]

__getattr__, __dir__ = lazy_exports(globals(), {
    "audit_bench.referential.loader": ["content_hash", "load_referential"],
    "audit_bench.referential.reading": ["ReferentialError"],
    "audit_bench.referential.schema": ["NA", "Referential"],
    "audit_bench.referential.tree": ["ReferentialTree"],
})
