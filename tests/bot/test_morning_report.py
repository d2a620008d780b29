"""bot/cases/morning_report.py: which stretch of time is "the night" for the morning handover.

``night_window`` runs from the end of the last office-hours window before the current one (or,
outside hours, the latest one) until now; the console turns it into naive UTC and asks the
case service for the cases created in it (bot/web/console/operations.py). The last tests do that
against a real database (SQLite here, PostgreSQL too when it is reachable).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.cases.morning_report import night_window
from bot.office_hours import OfficeHours
from bot.storage.db import get_engine, session_scope
from bot.storage.models import Case

AMS = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc
WEEKDAYS = OfficeHours.parse("mon-fri 09:00-17:00")


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


# 2026-11-23 is a Monday
@pytest.mark.parametrize(
    ("now", "since"),
    [
        (ams(2026, 11, 24, 7, 30), ams(2026, 11, 23, 17, 0)),  # Tuesday before opening: since Monday 17:00
        (ams(2026, 11, 24, 9, 0), ams(2026, 11, 23, 17, 0)),  # the opening minute
        (ams(2026, 11, 24, 11, 0), ams(2026, 11, 23, 17, 0)),  # during the day: the night before it
        (ams(2026, 11, 24, 16, 59), ams(2026, 11, 23, 17, 0)),
        (ams(2026, 11, 24, 20, 0), ams(2026, 11, 24, 17, 0)),  # Tuesday evening: tonight so far
        (ams(2026, 11, 25, 0, 30), ams(2026, 11, 24, 17, 0)),  # after midnight: still since Tuesday
        (ams(2026, 11, 23, 10, 0), ams(2026, 11, 20, 17, 0)),  # Monday: the whole weekend is "night"
        (ams(2026, 11, 22, 12, 0), ams(2026, 11, 20, 17, 0)),  # Sunday
    ],
)
def test_night_runs_from_the_end_of_the_last_window_until_now(now, since):
    assert night_window(WEEKDAYS, now) == (since, now)


def test_at_the_closing_minute_the_new_night_starts_empty():
    now = ams(2026, 11, 24, 17, 0)
    assert night_window(WEEKDAYS, now) == (now, now)


def test_closed_days_belong_to_the_night():
    hours = OfficeHours.parse("mon-fri 09:00-17:00", "2026-12-25")  # Christmas Day is a Friday
    assert night_window(hours, ams(2026, 12, 28, 10, 0))[0] == ams(2026, 12, 24, 17, 0)
    # without the closed day the night starts on Friday
    assert night_window(WEEKDAYS, ams(2026, 12, 28, 10, 0))[0] == ams(2026, 12, 25, 17, 0)


def test_a_break_between_two_windows_counts_as_night():
    hours = OfficeHours.parse("mon-fri 09:00-12:00; mon-fri 13:00-17:00")
    assert night_window(hours, ams(2026, 11, 24, 12, 30))[0] == ams(2026, 11, 24, 12, 0)  # in the break
    assert night_window(hours, ams(2026, 11, 24, 14, 0))[0] == ams(2026, 11, 24, 12, 0)  # second window
    assert night_window(hours, ams(2026, 11, 24, 10, 0))[0] == ams(2026, 11, 23, 17, 0)  # first window


def test_a_shorter_window_inside_the_current_one_does_not_start_the_night():
    """E.g. a second counsellor in the mornings: at 13:00 the day shift (09-17) is the current
    window, so the night is still the one before 09:00, not "since 12:00"."""
    hours = OfficeHours.parse("mon-fri 09:00-17:00; mon-fri 09:00-12:00")
    assert night_window(hours, ams(2026, 11, 24, 13, 0))[0] == ams(2026, 11, 23, 17, 0)


def test_windows_are_found_whatever_order_they_were_written_in():
    hours = OfficeHours.parse("mon-fri 13:00-17:00; mon-fri 09:00-12:00")
    assert night_window(hours, ams(2026, 11, 24, 20, 0))[0] == ams(2026, 11, 24, 17, 0)
    assert night_window(hours, ams(2026, 11, 24, 12, 30))[0] == ams(2026, 11, 24, 12, 0)


@pytest.mark.parametrize("schedule", ["fri 18:00-00:00", "fri 18:00-24:00"])
def test_a_window_until_midnight_ends_at_the_next_midnight(schedule):
    hours = OfficeHours.parse(schedule)
    assert night_window(hours, ams(2026, 11, 28, 9, 0))[0] == ams(2026, 11, 28, 0, 0)  # Saturday morning


def test_without_office_hours_the_night_is_the_last_24_hours():
    now = ams(2026, 11, 24, 10, 0)
    assert night_window(OfficeHours.parse(""), now) == (now - timedelta(hours=24), now)


def test_closed_for_more_than_two_weeks_falls_back_to_24_hours():
    start = datetime(2026, 11, 10).date()
    closed = ",".join(str(start + timedelta(days=i)) for i in range(15))
    hours = OfficeHours.parse("mon-fri 09:00-17:00", closed)
    now = ams(2026, 11, 24, 8, 0)
    assert night_window(hours, now) == (now - timedelta(hours=24), now)


def test_window_is_in_local_time_for_a_utc_now():
    since, until = night_window(WEEKDAYS, datetime(2026, 11, 24, 6, 30, tzinfo=UTC))
    assert until.tzinfo is AMS and until == ams(2026, 11, 24, 7, 30)
    assert since.tzinfo is AMS and since == ams(2026, 11, 23, 17, 0)


def test_naive_now_is_read_as_local_time():
    since, until = night_window(WEEKDAYS, datetime(2026, 11, 24, 7, 30))
    assert until == ams(2026, 11, 24, 7, 30) and since == ams(2026, 11, 23, 17, 0)


def test_weekend_with_the_spring_clock_change_is_62_real_hours():
    since, until = night_window(WEEKDAYS, ams(2026, 3, 30, 8, 0))  # Monday after the change
    assert since.utcoffset() == timedelta(hours=1) and until.utcoffset() == timedelta(hours=2)
    assert since.astimezone(UTC) == datetime(2026, 3, 27, 16, 0, tzinfo=UTC)  # Friday 17:00 CET
    assert until.astimezone(UTC) - since.astimezone(UTC) == timedelta(hours=62)


def test_weekend_with_the_autumn_clock_change_is_64_real_hours():
    since, until = night_window(WEEKDAYS, ams(2026, 10, 26, 8, 0))  # Monday after the change
    assert since.astimezone(UTC) == datetime(2026, 10, 23, 15, 0, tzinfo=UTC)  # Friday 17:00 CEST
    assert until.astimezone(UTC) - since.astimezone(UTC) == timedelta(hours=64)


# ------------------------------------------------------------------------------ with a database


def _to_utc(moment: datetime) -> datetime:
    """As bot/web/console/operations.py stores and queries: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _created_at(database_url: str, case_id: int, moment: datetime) -> None:
    with session_scope(get_engine(database_url)) as s:
        s.execute(update(Case).where(Case.id == case_id).values(created_at=_to_utc(moment)))


def test_the_nights_cases_come_from_the_database_by_risk_then_time(cases, database_url):
    """Monday 10:00 after the spring change: the weekend from Friday 17:00 CET until now."""
    now = ams(2026, 3, 30, 10, 0)
    moments = {
        "friday-day": ams(2026, 3, 27, 16, 59),  # a counsellor saw it on Friday
        "friday-evening": ams(2026, 3, 27, 17, 0),  # the first minute of the night
        "saturday": ams(2026, 3, 28, 3, 0),
        "sunday-urgent": ams(2026, 3, 29, 4, 0),  # after the clock change
        "monday-early": ams(2026, 3, 30, 8, 59),
        "monday-day": ams(2026, 3, 30, 9, 30),  # "until now": this morning's cases so far too
        "monday-now": now,  # [since, until): belongs to the next report
    }
    facts = {"sunday-urgent": {"suicide_risk": True}}
    ids = {}
    for name, moment in moments.items():
        ids[name] = cases.open_case(f"conv-{name}", facts.get(name, {}))["id"]
        _created_at(database_url, ids[name], moment)

    since, until = night_window(cases.hours, now)
    night = cases.handover(_to_utc(since), _to_utc(until))
    assert [c["id"] for c in night] == [
        ids["sunday-urgent"],
        ids["friday-evening"],
        ids["saturday"],
        ids["monday-early"],
        ids["monday-day"],
    ]


def test_the_evening_report_holds_only_tonight(cases, database_url):
    early = cases.open_case("conv-afternoon", {})["id"]
    late = cases.open_case("conv-evening", {})["id"]
    _created_at(database_url, early, ams(2026, 11, 24, 16, 0))
    _created_at(database_url, late, ams(2026, 11, 24, 18, 0))
    since, until = night_window(cases.hours, ams(2026, 11, 24, 22, 0))
    assert [c["id"] for c in cases.handover(_to_utc(since), _to_utc(until))] == [late]
