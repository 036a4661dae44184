"""The time stamps every record carries."""

from __future__ import annotations

from datetime import datetime


def now() -> str:
    """Local time with its offset, to the second: when a change was made."""
    return datetime.now().astimezone().isoformat(timespec="seconds")
