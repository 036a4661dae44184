"""What the screens that list audits and structures share: column widths, a structure's line."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from audit_bench.services.listing import StructureRow
from audit_bench.tui.text import clean, plain

WIDE = 110
"""From this width on, tables show their long columns."""
STRUCTURE_COLUMNS = [("Type", 10), ("Certifications (fin de validité)", 34), ("Actions", 7), ("En retard", 9),
                     ("Dernier audit", 13)]
COMPACT_STRUCTURE_COLUMNS = [("Type", 5), ("Certif. jusqu'au", 16), ("Act.", 4), ("Retard", 6), ("Dernier", 10)]
EXPIRY_WARNING_DAYS = 90
"""A certificate ending within this many days is shown as due for renewal."""


def width_left(total: int, columns: list[tuple[str, int]]) -> int:
    """The width left to the first (name) column: the screen less the others and their padding."""
    return max(12, total - sum(width for _, width in columns) - 2 * (len(columns) + 1) - 2)


def clipped(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def structure_cells(row: StructureRow, compact: bool, name_width: int, today: date) -> list[Text | str]:
    """A structure's line: its certificates' ends (red once past, yellow within 90 days), its
    open and overdue actions, its last audit."""
    certificates = Text()
    ends = sorted(row.certifications, key=lambda c: c.valid_until)
    for index, certificate in enumerate(ends[:1] if compact else ends):
        left = (date.fromisoformat(certificate.valid_until) - today).days
        style = "bold red" if left < 0 else "yellow" if left <= EXPIRY_WARNING_DAYS else ""
        if index:
            certificates.append(", ")
        certificates.append(certificate.valid_until if compact else
                            f"{clean(certificate.referential)} {certificate.valid_until}", style=style)
    overdue = Text(str(row.overdue_actions), style="bold red" if row.overdue_actions else "dim")
    return [Text(clipped(clean(row.name), name_width)), plain(row.siae_type or "—"), certificates,
            Text(str(row.open_actions), style="" if row.open_actions else "dim"), overdue,
            plain(row.last_audit or "—")]
