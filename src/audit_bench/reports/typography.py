"""French typography for the report: dates in words, decimal commas, no-break spaces, one apostrophe.

The no-break space is U+00A0, never U+202F: reportlab's Paragraph breaks lines at U+202F.
"""

from __future__ import annotations

import re
from datetime import date

NBSP = "\u00a0"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def _parse(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10])
    except (TypeError, ValueError):
        return None


def _day(day: int) -> str:
    return "1er" if day == 1 else str(day)


def french_date(iso: str | date | None) -> str:
    """"2026-11-22" → "22 novembre 2026" ("1er" for the first of the month); unreadable text as is."""
    if iso is None:
        return ""
    parsed = iso if isinstance(iso, date) else _parse(iso)
    if parsed is None:
        return str(iso)
    return f"{_day(parsed.day)}{NBSP}{MONTHS[parsed.month - 1]} {parsed.year}"


def french_period(start: str, end: str | None) -> str:
    """"le 20 novembre 2026", or "du 20 au 21 novembre 2026", naming only what differs."""
    first, last = _parse(start), _parse(end) if end else None
    if first is None or last is None or last == first:
        return f"le {french_date(start)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"du {_day(first.day)} au {french_date(last)}"
    if first.year == last.year:
        return f"du {_day(first.day)}{NBSP}{MONTHS[first.month - 1]} au {french_date(last)}"
    return f"du {french_date(first)} au {french_date(last)}"


def french_number(value: float, decimals: int = 1) -> str:
    """12.5 → "12,5"; 12.0 → "12"; thousands grouped with a no-break space."""
    rounded = round(value, decimals)
    if rounded == int(rounded):
        whole, fraction = f"{int(rounded):,}", ""
    else:
        whole, fraction = f"{rounded:,.{decimals}f}".split(".")
        fraction = "," + fraction.rstrip("0")
    return whole.replace(",", NBSP).replace("-", "\u2212") + fraction


def french_percent(value: float | None) -> str:
    return "—" if value is None else f"{french_number(value)}{NBSP}%"


APOSTROPHE = "\u2019"
_SPACES = "[ \u00a0\u202f]*"
_OPENING_GUILLEMET = re.compile(f"«{_SPACES}")
_CLOSING_GUILLEMET = re.compile(f"{_SPACES}»")
_HIGH_PUNCTUATION = re.compile(rf"(?<=[^\s;:!?(\[{{]){_SPACES}([;:!?]+)(?=\s|$|[»)\]}}\"'’.,…])")
"""A run of ; : ! ? that ends a word (« Note: », « vraiment ?! »), not one inside a word, a time
or an address (10:30, https://, C:\\)."""
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")
"""Paragraph markup: tags and character entities, which typography must not touch."""


def french_typography(value: str) -> str:
    """Text as French prints it, whatever was typed or transcribed: the apostrophe ’, a no-break
    space inside « » and before ; : ! ? (inserted where missing, U+00A0 for the reason above)."""
    value = value.replace("'", APOSTROPHE)
    if "«" in value or "»" in value:
        value = _CLOSING_GUILLEMET.sub(f"{NBSP}»", _OPENING_GUILLEMET.sub(f"«{NBSP}", value))
    return _HIGH_PUNCTUATION.sub(rf"{NBSP}\1", value)


def french_markup(markup: str) -> str:
    """`french_typography` on the text of Paragraph markup, its tags and entities left as they are."""
    return "".join(part if i % 2 else french_typography(part) for i, part in enumerate(_MARKUP.split(markup)))


def quoted(value: str) -> str:
    """« value » with no-break spaces inside the guillemets."""
    return f"«{NBSP}{value}{NBSP}»"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """"1 écart", "3 écarts", "0 écart" (French uses the singular for zero and one)."""
    word = singular if count < 2 else (plural_form or singular + "s")
    return f"{french_number(count, 0)}{NBSP}{word}"
