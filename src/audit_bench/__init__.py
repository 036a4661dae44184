"""audit-bench: an offline, keyboard-first workbench for quality audits of SIAE."""

__version__ = "0.1.0"
