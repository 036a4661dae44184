"""Referentials as plain data: the schema, its loader and read-only views."""

from audit_bench.referential.loader import ReferentialError, content_hash, load_referential
from audit_bench.referential.schema import NA, Referential
from audit_bench.referential.tree import ReferentialTree

__all__ = ["NA", "Referential", "ReferentialError", "ReferentialTree", "content_hash", "load_referential"]
