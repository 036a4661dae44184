"""The plugin contract (hookspecs) and the plugin manager."""

from audit_bench.plugins.hookspecs import hookimpl

__all__ = ["hookimpl"]
