"""Reading a survey's results from a CSV or XLSX table: one row per question, one column per answer
level. Every refusal names the row and the column (« ligne 4, colonne C : … »), before anything
is written.

The header row gives the levels, least satisfied first: column A is the question, an optional
column headed « Engagement » names the engagement it measures, the other columns are the levels.
A count is a whole number of answers; an empty count cell is 0; empty rows are skipped.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit_bench.services.text import fold
from audit_bench.services.validation import UserError, check_characters

MAX_BYTES = 5_000_000
MAX_UNPACKED = 50_000_000
"""What a workbook's archive may hold once decompressed: openpyxl reads some parts whole."""
MAX_QUESTIONS = 300
MIN_LEVELS, MAX_LEVELS = 2, 11
MAX_TEXT = 1_000
"""Characters of a question or a level."""
ENGAGEMENT_HEADER = "engagement"


@dataclass(frozen=True)
class Uncomputed:
    """A formula cell whose workbook holds no computed value (written by a program, never opened
    in a spreadsheet): read as empty, it would silently count 0."""

    formula: str


@dataclass(frozen=True)
class TableRow:
    """One question as read: its row number in the table, its cells checked."""

    line: int
    text: str
    engagement: str
    engagement_column: str
    counts: list[int]


@dataclass(frozen=True)
class ResultsTable:
    levels: list[str]
    rows: list[TableRow]


def column_letter(index: int) -> str:
    """The spreadsheet name of the column at `index` (0 → A, 26 → AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def at(line: int, column: int | None = None) -> str:
    return f"ligne {line}" + ("" if column is None else f", colonne {column_letter(column)}")


def read_results(path: Path) -> ResultsTable:
    """The levels and the questions of the table at `path` (.csv or .xlsx)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UserError(f"format de tableau non reconnu « {path.suffix or path.name} » : attendu .csv ou .xlsx")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(f"fichier introuvable : {path}") from None
    if not path.is_file():
        raise UserError(f"{path} n'est pas un fichier")
    if size > MAX_BYTES:
        raise UserError(f"tableau trop gros ({size} octets, au plus {MAX_BYTES}) : une ligne par question suffit")
    rows = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    return _parse(rows)


def _csv_rows(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # a French Excel's « CSV (séparateur : point-virgule) »
    if "\0" in text:
        raise UserError(f"{path.name} n'est pas un fichier texte (octet nul) : exporter le tableau en CSV")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)][
            :MAX_QUESTIONS + 100]
    except csv.Error as exc:
        raise UserError(f"{path.name} : CSV mal formé ({exc})") from None


def _xlsx_rows(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook  # only when a workbook is read: it is slow to import

    if not zipfile.is_zipfile(path):
        raise UserError(f"{path.name} n'est pas un classeur XLSX (pas une archive) : l'enregistrer au format .xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"{path.name} : classeur XLSX illisible ({type(exc).__name__})") from None
    if unpacked > MAX_UNPACKED:
        raise UserError(f"{path.name} : classeur trop gros une fois décompressé ({unpacked} octets, au plus "
                        f"{MAX_UNPACKED}) : une ligne par question suffit")
    try:
        values, formulas = (_first_sheet(path, load_workbook(path, read_only=True, data_only=computed))
                            for computed in (True, False))
    except UserError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign archive
        raise UserError(f"{path.name} : classeur XLSX illisible ({type(exc).__name__})") from None
    return [[Uncomputed(written) if value is None and isinstance(written, str) and written.startswith("=")
             else value for value, written in zip(row, written_row)]
            for row, written_row in zip(values, formulas)]


def _first_sheet(path: Path, book: Any) -> list[list[Any]]:
    try:
        if not book.worksheets:
            raise UserError(f"{path.name} : le classeur n'a pas de feuille")
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(max_row=MAX_QUESTIONS + 100, max_col=MAX_LEVELS + 3,
                                                     values_only=True)]
    finally:
        book.close()


def _uncomputed(value: Any, line: int, column: int) -> None:
    if isinstance(value, Uncomputed):
        raise UserError(f"{at(line, column)} : formule sans valeur calculée « {value.formula[:30]} » : ouvrir le "
                        "classeur dans le tableur et l'enregistrer, ou y écrire le nombre")


def _text(value: Any, line: int, column: int, what: str) -> str:
    _uncomputed(value, line, column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if len(text) > MAX_TEXT:
        raise UserError(f"{at(line, column)} : {what} trop long ({len(text)} caractères, au plus {MAX_TEXT})")
    try:
        return check_characters(text, what)
    except UserError as exc:
        raise UserError(f"{at(line, column)} : {exc}") from None


def _count(value: Any, line: int, column: int) -> int:
    _uncomputed(value, line, column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    number: Any = value
    if isinstance(value, str):
        cleaned = value.strip().replace("\u00a0", "").replace(" ", "")
        number = int(cleaned) if cleaned.isascii() and cleaned.isdigit() else None
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        shown = str(value)[:30]
        raise UserError(f"{at(line, column)} : « {shown} » n'est pas un nombre de réponses (entier positif ou nul)")
    return number


def _parse(rows: list[list[Any]]) -> ResultsTable:
    numbered = [(line, row) for line, row in enumerate(rows, start=1)
                if any(cell is not None and str(cell).strip() for cell in row)]
    if not numbered:
        raise UserError("tableau vide : la ligne d'en-tête (Question, niveaux de réponse) manque")
    header_line, header = numbered[0]
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header = header[:-1]
    engagement_column = None
    if len(header) > 1 and fold(_text(header[1], header_line, 1, "l'en-tête")) == ENGAGEMENT_HEADER:
        engagement_column = 1
    first_level = 1 if engagement_column is None else 2
    levels = [_text(cell, header_line, column, "le niveau de réponse")
              for column, cell in enumerate(header[first_level:], start=first_level)]
    if len(levels) < MIN_LEVELS:
        raise UserError(f"{at(header_line)} : l'en-tête donne {len(levels)} niveau(x) de réponse, il en faut au "
                        f"moins {MIN_LEVELS} (une colonne par niveau, du moins au plus satisfait)")
    if len(levels) > MAX_LEVELS:
        raise UserError(f"{at(header_line, first_level + MAX_LEVELS)} : plus de {MAX_LEVELS} niveaux de réponse")
    seen: dict[str, int] = {}
    for column, level in enumerate(levels, start=first_level):
        if not level:
            raise UserError(f"{at(header_line, column)} : niveau de réponse sans nom dans l'en-tête")
        if fold(level) in seen:
            raise UserError(f"{at(header_line, column)} : niveau « {level} » déjà en colonne "
                            f"{column_letter(seen[fold(level)])}")
        seen[fold(level)] = column
    width = first_level + len(levels)
    questions = numbered[1:]
    if not questions:
        raise UserError(f"{at(header_line + 1)} : aucune question sous l'en-tête")
    if len(questions) > MAX_QUESTIONS:
        raise UserError(f"{at(questions[MAX_QUESTIONS][0])} : plus de {MAX_QUESTIONS} questions")
    parsed = []
    for line, row in questions:
        for column in range(width, len(row)):
            if row[column] is not None and str(row[column]).strip():
                raise UserError(f"{at(line, column)} : valeur hors du tableau (aucun niveau en en-tête de cette "
                                "colonne)")
        cells = list(row[:width]) + [None] * (width - len(row))
        text = _text(cells[0], line, 0, "la question")
        if not text:
            raise UserError(f"{at(line, 0)} : question vide")
        engagement = "" if engagement_column is None else _text(cells[1], line, 1, "l'engagement")
        counts = [_count(cells[column], line, column) for column in range(first_level, width)]
        parsed.append(TableRow(line, text, engagement, column_letter(1), counts))
    return ResultsTable(levels, parsed)
