"""A table as a spreadsheet: XLSX through openpyxl, or CSV for any tool; one header row, then
one row of text per line of the table.

Text that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or carriage
return before one) is never one: in the XLSX it is a text cell with Excel's quote prefix (shown
as typed, kept as text when edited); in the CSV, which has no types, it is preceded by an
apostrophe, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Sequence

from audit_bench.reports.content import xml_safe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Table = Sequence[Sequence[str]]


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def put_text(cell: Any, text: str) -> None:
    """Text into an openpyxl cell, as text whatever it looks like: XML-safe, never a formula
    (openpyxl would take "=…" for one), formula-like text with Excel's quote prefix."""
    cell.value = xml_safe(text)
    cell.data_type = "s"
    if formula_like(cell.value):
        cell.quotePrefix = True


def xlsx_bytes(title: str, headers: Sequence[str], rows: Table, widths: Sequence[int]) -> bytes:
    """The workbook of one sheet named `title`: bold, frozen headers, columns `widths` wide."""
    from openpyxl import Workbook  # heavy: only when a spreadsheet is asked for
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, start=2):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if not text:
                continue  # an empty cell, not an empty string
            put_text(cell, text)
            cell.alignment = wrap
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Table) -> bytes:
    """UTF-8 with a byte-order mark and semicolons: what Excel opens right in a French locale."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([f"'{text}" if formula_like(text) else text for text in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
