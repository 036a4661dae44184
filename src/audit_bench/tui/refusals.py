"""Running a use case from a screen: a refusal is told to the user as one sentence, never a crash."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, TypeVar

from textual.dom import DOMNode

from audit_bench.services.errors import REFUSALS, refusal_message
from audit_bench.services.errors import read_only_message
from audit_bench.tui.text import clean, sentence

if TYPE_CHECKING:
    from audit_bench.services import AuditSession

T = TypeVar("T")


def attempt(node: DOMNode, use_case: Callable[[], T]) -> T | None:
    """Run a use case; on refusal, tell the user why (as plain text) and return None."""
    try:
        return use_case()
    except REFUSALS as exc:
        tell_refusal(node, exc)
        return None


def tell_refusal(node: DOMNode, exc: BaseException) -> None:
    node.app.notify(describe(exc), title="Refusé", severity="error", markup=False, timeout=8)


def describe(exc: BaseException) -> str:
    """The refusal as a sentence, as the CLI words it (escaped), less the CLI's option names."""
    return sentence(re.sub(r"\s*\(--[a-z-]+\)", "", refusal_message(exc)))


def writable(node: DOMNode, session: AuditSession) -> bool:
    """Whether the audit may be changed; if not, say who holds it, before any form is opened."""
    if session.read_only:
        node.app.notify(sentence(clean(read_only_message(session.locked_by))), title="Refusé",
                        severity="error", markup=False, timeout=8)
        return False
    return True
