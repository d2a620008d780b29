"""bot/office_hours.py: the counsellors' weekly schedule, closed days and the Dutch phrases.

All times are fixed aware datetimes (Europe/Amsterdam unless said otherwise), never "now".
2026: Monday 23 November; DST starts Sunday 29 March (02:00 CET -> 03:00 CEST) and ends
Sunday 25 October (03:00 CEST -> 02:00 CET); Christmas Day is a Friday.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from bot.office_hours import OfficeHours
from bot.settings import Settings

AMS = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc
SCHEDULE = "mon-fri 09:00-17:00; sat 10:00-14:00"


@pytest.fixture
def hours() -> OfficeHours:
    return OfficeHours.parse(SCHEDULE, "2026-12-25, 2026-12-26")


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def hm(text: str) -> time:
    return time.fromisoformat(text)


# ------------------------------------------------------------------------------ parsing


def test_parse_reads_day_ranges_and_times_per_weekday(hours):
    week = [(hm("09:00"), hm("17:00"))]
    assert hours.windows == {0: week, 1: week, 2: week, 3: week, 4: week, 5: [(hm("10:00"), hm("14:00"))], 6: []}
    assert hours.closed == frozenset({date(2026, 12, 25), date(2026, 12, 26)})
    assert hours.tz == AMS


@pytest.mark.parametrize(
    "schedule",
    [
        "ma-vr 09:00-17:00",
        "maandag-vrijdag 09:00-17:00",
        "Mon-Fri 9:00-17:00",
        "mon - fri 09:00 - 17:00",
        "mon,tue,wed,thu,fri 09:00-17:00",
        "ma, di, wo, do, vr 09:00-17:00",
        "monday-wednesday 09:00-17:00; donderdag,vrijdag 09:00-17:00",
    ],
)
def test_dutch_english_full_and_short_day_names_give_the_same_week(schedule):
    week = OfficeHours.parse(schedule).windows
    assert [bool(week[d]) for d in range(7)] == [True] * 5 + [False] * 2
    assert all(week[d] == [(hm("09:00"), hm("17:00"))] for d in range(5))


def test_a_range_may_wrap_around_the_weekend():
    week = OfficeHours.parse("vr-ma 20:00-23:00").windows
    assert sorted(d for d in range(7) if week[d]) == [0, 4, 5, 6]


def test_several_windows_on_one_day_are_all_kept():
    hours = OfficeHours.parse("di 09:00-12:00; di 13:00-17:00")
    assert hours.windows[1] == [(hm("09:00"), hm("12:00")), (hm("13:00"), hm("17:00"))]
    assert hours.is_open(ams(2026, 11, 24, 11, 59))
    assert not hours.is_open(ams(2026, 11, 24, 12, 30))  # lunch
    assert hours.is_open(ams(2026, 11, 24, 13, 0))


def test_empty_schedule_is_never_open():
    hours = OfficeHours.parse("  ;  ")
    assert all(not hours.windows[d] for d in range(7))
    assert not hours.is_open(ams(2026, 11, 24, 12, 0))
    assert hours.next_opening(ams(2026, 11, 24, 12, 0)) is None


def test_from_settings_uses_schedule_closed_days_and_timezone():
    settings = Settings(office_hours="za 10:00-14:00", closed_days="2026-11-28", timezone="UTC")
    hours = OfficeHours.from_settings(settings)
    assert str(hours.tz) == "UTC"
    assert hours.closed == frozenset({date(2026, 11, 28)})
    assert hours.is_open(datetime(2026, 12, 5, 10, 0, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))  # the closed Saturday
    # 10:30 in Amsterdam is 09:30 UTC: before opening in this UTC schedule
    assert not hours.is_open(ams(2026, 12, 5, 10, 30))


# ------------------------------------------------------------------------------ bad schedules


@pytest.mark.parametrize(
    "schedule",
    [
        "mon-fri 9-17",  # no minutes
        "mon-fri 09:00",  # no end
        "09:00-17:00",  # no days
        "mon-fri 09:00-17:00, sat 10:00-14:00",  # comma instead of semicolon
        "mon-fri 09.00-17.00",
        "mon-fri 09:00 tot 17:00",
    ],
)
def test_unreadable_schedule_says_which_part_and_gives_an_example(schedule):
    with pytest.raises(ValueError, match="Cannot read office hours .*mon-fri 09:00-17:00"):
        OfficeHours.parse(schedule)


def test_impossible_times_are_refused():
    with pytest.raises(ValueError):
        OfficeHours.parse("mon-fri 09:75-17:00")
    with pytest.raises(ValueError):
        OfficeHours.parse("mon-fri 30:00-31:00")


def test_bad_closed_day_is_refused():
    with pytest.raises(ValueError):
        OfficeHours.parse(SCHEDULE, "25-12-2026")


def test_unknown_time_zone_is_refused():
    with pytest.raises(ZoneInfoNotFoundError, match="Mars/Olympus"):
        OfficeHours.parse(SCHEDULE, "", "Mars/Olympus")


def test_unknown_day_name_is_a_clear_value_error():
    with pytest.raises(ValueError, match="xyz"):
        OfficeHours.parse("xyz 09:00-17:00")


def test_space_separated_days_are_not_silently_dropped():
    try:
        hours = OfficeHours.parse("sat sun 10:00-14:00")
    except ValueError:
        return
    assert hours.windows[6], "Sunday was dropped"


# ------------------------------------------------------------------------------ is_open


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (ams(2026, 11, 23, 8, 59), False),  # Monday, a minute before opening
        (ams(2026, 11, 23, 9, 0), True),  # the opening minute counts
        (ams(2026, 11, 23, 16, 59, 59), True),
        (ams(2026, 11, 23, 17, 0), False),  # the closing minute does not
        (ams(2026, 11, 23, 0, 0), False),  # midnight
        (ams(2026, 11, 28, 10, 0), True),  # Saturday
        (ams(2026, 11, 28, 14, 0), False),
        (ams(2026, 11, 29, 12, 0), False),  # Sunday: no window
    ],
)
def test_is_open_at_the_boundaries(hours, moment, is_open):
    assert hours.is_open(moment) is is_open


def test_window_from_midnight_includes_midnight_itself():
    hours = OfficeHours.parse("sat 00:00-06:00")
    assert hours.is_open(ams(2026, 11, 28, 0, 0))
    assert not hours.is_open(ams(2026, 11, 27, 23, 59))  # Friday evening
    assert not hours.is_open(ams(2026, 11, 28, 6, 0))


@pytest.mark.parametrize("schedule", ["fri 18:00-24:00", "fri 18:00-00:00"])
def test_window_until_midnight_is_open_in_the_evening(schedule):
    assert OfficeHours.parse(schedule).is_open(ams(2026, 11, 27, 23, 30))


def test_closed_day_is_closed_during_its_hours(hours):
    assert not hours.is_open(ams(2026, 12, 25, 10, 0))  # Friday, Christmas Day
    assert not hours.is_open(ams(2026, 12, 26, 11, 0))  # Saturday, Boxing Day
    assert hours.is_open(ams(2026, 12, 24, 10, 0))  # the day before is a normal Thursday


def test_closed_day_is_the_local_date_not_the_utc_date():
    hours = OfficeHours.parse("fri 00:00-06:00", "2026-12-25")
    # 23:30 UTC on Thursday the 24th is 00:30 on Christmas Day in Amsterdam
    assert not hours.is_open(datetime(2026, 12, 24, 23, 30, tzinfo=UTC))
    assert OfficeHours.parse("fri 00:00-06:00").is_open(datetime(2026, 12, 24, 23, 30, tzinfo=UTC))


def test_aware_times_in_other_zones_are_converted_and_naive_times_are_local(hours):
    assert hours.is_open(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # 09:00 CET
    assert not hours.is_open(datetime(2026, 11, 23, 7, 59, tzinfo=UTC))  # 08:59 CET
    assert hours.is_open(datetime(2026, 11, 23, 9, 0))  # naive: Amsterdam wall clock
    assert not hours.is_open(datetime(2026, 11, 23, 8, 30))


@pytest.mark.parametrize(
    ("utc_moment", "is_open"),
    [
        # winter time (CET, UTC+1) on the Friday before the change
        (datetime(2026, 3, 27, 7, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 27, 8, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 27, 15, 59, tzinfo=UTC), True),
        (datetime(2026, 3, 27, 16, 0, tzinfo=UTC), False),
        # summer time (CEST, UTC+2) on the Monday after: the same wall clock, an hour earlier in UTC
        (datetime(2026, 3, 30, 6, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 30, 7, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 30, 14, 59, tzinfo=UTC), True),
        (datetime(2026, 3, 30, 15, 0, tzinfo=UTC), False),
        # and back to winter time on the Monday after 25 October
        (datetime(2026, 10, 23, 7, 0, tzinfo=UTC), True),  # Friday 09:00 CEST
        (datetime(2026, 10, 26, 7, 0, tzinfo=UTC), False),  # Monday 08:00 CET
        (datetime(2026, 10, 26, 8, 0, tzinfo=UTC), True),  # Monday 09:00 CET
    ],
)
def test_is_open_follows_the_wall_clock_across_daylight_saving_changes(hours, utc_moment, is_open):
    assert hours.is_open(utc_moment) is is_open


def test_window_in_the_night_of_the_clock_change():
    hours = OfficeHours.parse("zo 01:00-04:00")
    assert hours.is_open(datetime(2026, 3, 29, 0, 30, tzinfo=UTC))  # 01:30 CET
    # spring forward: 01:30 UTC is 03:30 CEST (02:xx does not exist that night)
    assert hours.is_open(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 3, 29, 2, 30, tzinfo=UTC))  # 04:30 CEST
    # fall back: both 02:30s (00:30 UTC in CEST and 01:30 UTC in CET) are inside 02:00-03:00
    only_two_to_three = OfficeHours.parse("zo 02:00-03:00")
    assert only_two_to_three.is_open(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert only_two_to_three.is_open(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert not only_two_to_three.is_open(datetime(2026, 10, 25, 2, 0, tzinfo=UTC))  # 03:00 CET


# ------------------------------------------------------------------------------ next_opening


def test_next_opening_is_now_while_open(hours):
    moment = ams(2026, 11, 23, 10, 0)
    assert hours.next_opening(moment) == moment


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (ams(2026, 11, 23, 7, 0), ams(2026, 11, 23, 9, 0)),  # Monday morning: today
        (ams(2026, 11, 23, 17, 0), ams(2026, 11, 24, 9, 0)),  # Monday closing minute: tomorrow
        (ams(2026, 11, 23, 23, 59), ams(2026, 11, 24, 9, 0)),
        (ams(2026, 11, 27, 18, 0), ams(2026, 11, 28, 10, 0)),  # Friday evening: Saturday's window
        (ams(2026, 11, 28, 14, 0), ams(2026, 11, 30, 9, 0)),  # Saturday afternoon: Monday
        (ams(2026, 12, 24, 18, 0), ams(2026, 12, 28, 9, 0)),  # skips both Christmas days
    ],
)
def test_next_opening(hours, moment, expected):
    assert hours.next_opening(moment) == expected


def test_next_opening_picks_the_later_window_of_the_same_day():
    hours = OfficeHours.parse("di 13:00-17:00; di 09:00-12:00")
    assert hours.next_opening(ams(2026, 11, 24, 8, 0)) == ams(2026, 11, 24, 9, 0)
    assert hours.next_opening(ams(2026, 11, 24, 12, 15)) == ams(2026, 11, 24, 13, 0)


def test_next_opening_across_the_spring_change_has_the_summer_offset(hours):
    nxt = hours.next_opening(ams(2026, 3, 28, 15, 0))  # Saturday after closing, CET
    assert nxt.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # Monday 09:00 CEST
    assert nxt.utcoffset() == timedelta(hours=2)


def test_next_opening_across_the_autumn_change_has_the_winter_offset(hours):
    nxt = hours.next_opening(ams(2026, 10, 24, 15, 0))  # Saturday after closing, CEST
    assert nxt.astimezone(UTC) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # Monday 09:00 CET
    assert nxt.utcoffset() == timedelta(hours=1)


def test_next_opening_is_given_in_the_office_time_zone(hours):
    nxt = hours.next_opening(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
    assert nxt.tzinfo is hours.tz
    assert nxt.astimezone(UTC) == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_next_opening_is_none_when_closed_for_more_than_two_weeks():
    start = date(2026, 11, 23)
    closed = ",".join(str(start + timedelta(days=i)) for i in range(15))
    hours = OfficeHours.parse(SCHEDULE, closed)
    assert hours.next_opening(ams(2026, 11, 23, 0, 0)) is None
    # closed until Friday 4 December: open again on Saturday the 5th
    shorter = OfficeHours.parse(SCHEDULE, ",".join(closed.split(",")[:12]))
    assert shorter.next_opening(ams(2026, 11, 23, 0, 0)) == ams(2026, 12, 5, 10, 0)


# ------------------------------------------------------------------------------ Dutch phrases


@pytest.mark.parametrize(
    ("moment", "phrase"),
    [
        (ams(2026, 11, 23, 10, 0), "nu"),
        (ams(2026, 11, 23, 7, 30), "vandaag vanaf 09:00"),
        (ams(2026, 11, 23, 23, 30), "morgen (dinsdag) vanaf 09:00"),
        (ams(2026, 11, 27, 20, 0), "morgen (zaterdag) vanaf 10:00"),
        (ams(2026, 11, 28, 15, 0), "maandag vanaf 09:00"),
        (ams(2026, 12, 24, 18, 0), "maandag vanaf 09:00"),
    ],
)
def test_describe_next(hours, moment, phrase):
    assert hours.describe_next(moment) == phrase


def test_describe_next_without_any_opening_promises_no_time():
    assert OfficeHours.parse("").describe_next(ams(2026, 11, 23, 10, 0)) == "zodra er weer iemand is"


def test_describe_next_counts_days_in_local_time():
    # 23:30 UTC on Monday is already Tuesday 00:30 in Amsterdam: 09:00 is "vandaag"
    assert OfficeHours.parse(SCHEDULE).describe_next(datetime(2026, 11, 23, 23, 30, tzinfo=UTC)) == (
        "vandaag vanaf 09:00"
    )


@pytest.mark.parametrize(
    ("schedule", "phrase"),
    [
        (SCHEDULE, "maandag t/m vrijdag 9:00-17:00 en zaterdag 10:00-14:00"),
        ("mon-fri 09:00-17:00", "maandag t/m vrijdag 9:00-17:00"),
        ("wo 13:30-16:00", "woensdag 13:30-16:00"),
        ("za-zo 10:00-14:00", "zaterdag en zondag 10:00-14:00"),
        # days with other hours break a group; groups are joined with commas and a final "en"
        (
            "ma-di 09:00-17:00; wo 12:00-17:00; do-vr 09:00-17:00",
            "maandag en dinsdag 9:00-17:00, woensdag 12:00-17:00 en donderdag en vrijdag 9:00-17:00",
        ),
        # several windows on a day, in time order, whatever order they were written in
        ("ma 13:00-17:00; ma 09:00-12:00", "maandag 9:00-12:00, 13:00-17:00"),
        # days that are not next to each other are not grouped
        ("ma 09:00-17:00; wo 09:00-17:00", "maandag 9:00-17:00 en woensdag 9:00-17:00"),
        ("", "op wisselende tijden"),
    ],
)
def test_describe_schedule_in_dutch(schedule, phrase):
    assert OfficeHours.parse(schedule).describe_schedule() == phrase
