"""Which cases belong to "the night" for the morning handover."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.office_hours import OfficeHours


def night_window(hours: OfficeHours, now: datetime | None = None) -> tuple:
    """(since, until) as aware local datetimes: from the end of the last office-hours window
    before the current (or, outside hours, the latest) one, until now. Falls back to 24 hours."""
    local = hours._local(now)
    reference = local
    if hours.is_open(local):
        for start, end in hours.windows[local.weekday()]:
            if start <= local.time() < end:
                reference = datetime.combine(local.date(), start, tzinfo=hours.tz)
                break
    ends = []
    for back in range(0, 15):
        day = local.date() - timedelta(days=back)
        if day in hours.closed:
            continue
        for start, end in hours.windows[day.weekday()]:
            end_day = day + timedelta(days=1) if end <= start else day  # "18:00-00:00" ends next day
            end_at = datetime.combine(end_day, end, tzinfo=hours.tz)
            if end_at <= reference:
                ends.append(end_at)
        if ends:
            break
    since = max(ends) if ends else local - timedelta(hours=24)
    return since, local
