"""The working-day clock against a calendar written by hand from the official holiday dates
(Légifrance, code du travail L3133-1; Alsace-Moselle L3134-13), and its properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_bench.services.validation import UserError
from audit_bench.services.workdays import HOLIDAY_ZONES, add_days, check_zone, count_days, is_holiday

# receipt, delay, zone, due: each row counted by hand on a paper calendar.
# 2026: Easter Sunday 5 April (Good Friday 3 April, Easter Monday 6 April); 1 and 8 May Fridays,
# Ascension Thursday 14 May; 14 July a Tuesday; 25 and 26 December Friday and Saturday.
# 2023: 14 July a Friday; 2029: 14 July a Saturday. 2027: 1 January a Friday.
CALENDAR = [
    # Friday before Easter Monday: Sat 4 (1), Mon 6 holiday, Tue 7 (2) … Fri 10 (5).
    (date(2026, 4, 3), 5, None, date(2026, 4, 10)),
    # Thursday before Good Friday, metropolitan: Fri 3 (1), Sat 4 (2), Mon 6 holiday, Tue 7 … Thu 9 (5).
    (date(2026, 4, 2), 5, None, date(2026, 4, 9)),
    # … in Moselle, Good Friday is a holiday too: Sat 4 (1), Tue 7 … Fri 10 (5).
    (date(2026, 4, 2), 5, "57", date(2026, 4, 10)),
    # … and in Bas-Rhin.
    (date(2026, 4, 2), 5, "67", date(2026, 4, 10)),
    # 30 April 2026 (Thursday): Fri 1 May holiday, Sat 2 (1), Mon 4 (2), Tue 5 (3), Wed 6 (4),
    # Thu 7 (5).
    (date(2026, 4, 30), 5, None, date(2026, 5, 7)),
    # 30 April 2026, 8 days: … Thu 7 (5), Fri 8 May holiday, Sat 9 (6), Mon 11 (7), Tue 12 (8).
    (date(2026, 4, 30), 8, None, date(2026, 5, 12)),
    # 14 July a Saturday (2029): received Friday 13, the 14th is a holiday, Sunday 15 too:
    # Mon 16 (1) … Fri 20 (5).
    (date(2029, 7, 13), 5, None, date(2029, 7, 20)),
    # Received on 14 July 2029 itself: Mon 16 (1) … Fri 20 (5).
    (date(2029, 7, 14), 5, None, date(2029, 7, 20)),
    # Received on Saturday 13 July 2024 (14 July a Sunday): Mon 15 (1) … Fri 19 (5).
    (date(2024, 7, 13), 5, None, date(2024, 7, 19)),
    # Alsace-Moselle, 26 December 2025 (Friday) a holiday: received Wed 24: Thu 25 holiday,
    # Fri 26 holiday, Sat 27 (1), Mon 29 (2), Tue 30 (3), Wed 31 (4), Thu 1 Jan holiday, Fri 2 (5).
    (date(2025, 12, 24), 5, "68", date(2026, 1, 2)),
    # … metropolitan: Fri 26 (1), Sat 27 (2), Mon 29 (3), Tue 30 (4), Wed 31 (5).
    (date(2025, 12, 24), 5, None, date(2025, 12, 31)),
    # Across New Year 2026-2027: received Wed 30 Dec 2026: Thu 31 (1), Fri 1 Jan holiday,
    # Sat 2 (2), Mon 4 (3), Tue 5 (4), Wed 6 (5).
    (date(2026, 12, 30), 5, None, date(2027, 1, 6)),
    # 26 December 2026 is a Saturday: in Moselle a holiday, received Thu 24: Fri 25 holiday,
    # Sat 26 holiday, Mon 28 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), Fri 1 Jan holiday, Sat 2 (5).
    (date(2026, 12, 24), 5, "57", date(2027, 1, 2)),
    # … metropolitan: Sat 26 (1), Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5).
    (date(2026, 12, 24), 5, None, date(2026, 12, 31)),
    # Overseas: Martinique's abolition of slavery, 22 May 2026 (Friday). Received Wed 20:
    # Thu 21 (1), Fri 22 holiday, Sat 23 (2), Mon 25 Pentecost holiday, Tue 26 (3), Wed 27 (4),
    # Thu 28 (5). Metropolitan: Thu 21 (1), Fri 22 (2), Sat 23 (3), Tue 26 (4), Wed 27 (5).
    (date(2026, 5, 20), 5, "972", date(2026, 5, 28)),
    (date(2026, 5, 20), 5, None, date(2026, 5, 27)),
]


@pytest.mark.parametrize(("received", "days", "zone", "due"), CALENDAR)
def test_the_answer_is_due_on_the_day_counted_by_hand(received, days, zone, due):
    assert add_days(received, days, "jours-ouvrables", zone) == due
    assert count_days(received, due, "jours-ouvrables", zone) == days


def test_jours_ouvres_skip_saturdays_and_jours_calendaires_end_on_a_working_day():
    # Friday 3 April 2026 + 5 jours ouvrés: Tue 7 (1) … Fri 10 (4), Mon 13 (5).
    assert add_days(date(2026, 4, 3), 5, "jours-ouvres") == date(2026, 4, 13)
    # 8 calendar days from Tuesday 28 April 2026 end Wednesday 6 May; 3 end Friday 1 May, a
    # holiday: the delay runs to Saturday 2 May.
    assert add_days(date(2026, 4, 28), 8, "jours-calendaires") == date(2026, 5, 6)
    assert add_days(date(2026, 4, 28), 3, "jours-calendaires") == date(2026, 5, 2)


def test_the_holidays_are_the_packages_for_each_zone():
    assert is_holiday(date(2026, 4, 3), "57") and not is_holiday(date(2026, 4, 3))
    assert is_holiday(date(2026, 12, 26), "67") and not is_holiday(date(2026, 12, 26), "974")
    assert is_holiday(date(2026, 12, 20), "974")  # La Réunion: abolition of slavery
    assert check_zone(" 57 ") == "57"
    with pytest.raises(UserError, match="département « 75 »"):
        check_zone("75")


ZONES = st.sampled_from([None, *HOLIDAY_ZONES])
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=150, deadline=None, database=None)
@given(received=DAYS, days=st.integers(min_value=1, max_value=40), zone=ZONES)
def test_a_due_date_is_never_a_sunday_or_a_holiday(received, days, zone):
    due = add_days(received, days, "jours-ouvrables", zone)
    assert due.weekday() != 6 and not is_holiday(due, zone)
    assert due > received
    assert count_days(received, due, "jours-ouvrables", zone) == days


@settings(max_examples=150, deadline=None, database=None)
@given(received=DAYS, days=st.integers(min_value=0, max_value=40), zone=ZONES,
       unit=st.sampled_from(["jours-ouvrables", "jours-ouvres"]))
def test_adding_n_then_one_is_adding_n_plus_one(received, days, zone, unit):
    assert add_days(add_days(received, days, unit, zone), 1, unit, zone) == add_days(received, days + 1, unit, zone)


@settings(max_examples=100, deadline=None, database=None)
@given(received=DAYS, days=st.integers(min_value=1, max_value=40), zone=ZONES)
def test_a_delay_ends_within_its_days_plus_the_sundays_and_holidays_it_crosses(received, days, zone):
    due = add_days(received, days, "jours-ouvrables", zone)
    skipped = sum(1 for n in range(1, (due - received).days + 1)
                  if (day := received + timedelta(days=n)).weekday() == 6 or is_holiday(day, zone))
    assert (due - received).days == days + skipped
