"""Office hours of the human counsellors, from settings (Europe/Amsterdam by default).

Schedule format: ``"mon-fri 09:00-17:00; sat 10:00-14:00"`` (day ranges or comma lists,
Dutch or English day names); closed days: ``"2026-12-25,2026-12-26"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.settings import Settings, get_settings

DAYS = {
    "mon": 0,
    "ma": 0,
    "tue": 1,
    "di": 1,
    "wed": 2,
    "wo": 2,
    "thu": 3,
    "do": 3,
    "fri": 4,
    "vr": 4,
    "sat": 5,
    "za": 5,
    "sun": 6,
    "zo": 6,
}
DUTCH_DAY = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


@dataclass(frozen=True)
class OfficeHours:
    windows: dict  # weekday -> list of (start, end) times
    closed: frozenset
    tz: ZoneInfo

    @classmethod
    def parse(cls, schedule: str, closed_days: str = "", tz: str = "Europe/Amsterdam") -> "OfficeHours":
        windows: dict = {d: [] for d in range(7)}
        for part in filter(None, (p.strip() for p in schedule.split(";"))):
            m = re.fullmatch(r"([a-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", part.lower())
            if not m:
                raise ValueError(f"Cannot read office hours {part!r}; use e.g. 'mon-fri 09:00-17:00'.")
            start, end = time(int(m[2]), int(m[3])), time(int(m[4]) % 24, int(m[5]))
            for day in _days(m[1], part):
                windows[day].append((start, end))
        closed = frozenset(date.fromisoformat(d.strip()) for d in closed_days.split(",") if d.strip())
        return cls(windows=windows, closed=closed, tz=ZoneInfo(tz))

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "OfficeHours":
        s = settings or get_settings()
        return cls.parse(s.office_hours, s.closed_days, s.timezone)

    def _local(self, now: datetime | None) -> datetime:
        now = now or datetime.now(self.tz)
        return now.astimezone(self.tz) if now.tzinfo else now.replace(tzinfo=self.tz)

    def is_open(self, now: datetime | None = None) -> bool:
        """An end at or before its start ("18:00-24:00", "22:00-02:00") ends the next day."""
        local = self._local(now)
        t, today = local.time(), local.date()
        if today not in self.closed and any(
            start <= t < end if end > start else start <= t for start, end in self.windows[local.weekday()]
        ):
            return True
        yesterday = today - timedelta(days=1)  # the part after midnight of last night's window
        return yesterday not in self.closed and any(
            end <= start and t < end for start, end in self.windows[yesterday.weekday()]
        )

    def next_opening(self, now: datetime | None = None) -> datetime | None:
        """The next moment counsellors are available (now if open), or None if never."""
        local = self._local(now)
        if self.is_open(local):
            return local
        for offset in range(0, 15):
            day = local.date() + timedelta(days=offset)
            if day in self.closed:
                continue
            for start, _end in sorted(self.windows[day.weekday()]):
                candidate = datetime.combine(day, start, tzinfo=self.tz)
                if candidate > local:
                    return candidate
        return None

    def describe_next(self, now: datetime | None = None) -> str:
        """Dutch phrase such as 'morgen (dinsdag) vanaf 09:00'."""
        local = self._local(now)
        nxt = self.next_opening(local)
        if nxt is None:
            return "zodra er weer iemand is"
        if nxt == local:
            return "nu"
        delta = (nxt.date() - local.date()).days
        day = {0: "vandaag", 1: f"morgen ({DUTCH_DAY[nxt.weekday()]})"}.get(delta, DUTCH_DAY[nxt.weekday()])
        return f"{day} vanaf {nxt:%H:%M}"

    def describe_schedule(self) -> str:
        """Dutch phrase such as 'maandag t/m vrijdag 9:00-17:00' (days with the same hours grouped)."""

        def hhmm(t: time) -> str:
            return f"{t.hour}:{t.minute:02d}"

        def span(a: time, b: time) -> str:
            return f"{hhmm(a)}-{'24:00' if b == time(0, 0) else hhmm(b)}"

        groups: list = []  # [first_day, last_day, windows_text]
        for day in range(7):
            spans = ", ".join(span(a, b) for a, b in sorted(self.windows[day]))
            if not spans:
                continue
            if groups and groups[-1][1] == day - 1 and groups[-1][2] == spans:
                groups[-1][1] = day
            else:
                groups.append([day, day, spans])
        if not groups:
            return "op wisselende tijden"
        parts = []
        for first, last, spans in groups:
            days = (
                DUTCH_DAY[first]
                if first == last
                else (
                    f"{DUTCH_DAY[first]} en {DUTCH_DAY[last]}"
                    if last == first + 1
                    else f"{DUTCH_DAY[first]} t/m {DUTCH_DAY[last]}"
                )
            )
            parts.append(f"{days} {spans}")
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def _day(name: str, part: str) -> int:
    key = name[:3] if name[:3] in DAYS else name[:2]
    if key not in DAYS or not (name.startswith(key)):
        raise ValueError(
            f"Cannot read the day {name!r} in office hours {part!r}; use mon..sun or ma..zo, e.g. 'mon-fri 09:00-17:00'."
        )
    return DAYS[key]


def _days(spec: str, part: str = "") -> list:
    """'mon-fri', 'sat,sun', 'sat sun', 'ma - vr': the weekdays (0 = Monday)."""
    out = []
    spec = re.sub(r"\s*-\s*", "-", spec.strip())
    for chunk in filter(None, re.split(r"[,\s]+", spec)):
        if "-" in chunk:
            first, _, last = chunk.partition("-")
            a, b = _day(first, part or spec), _day(last, part or spec)
            out.extend(range(a, b + 1) if a <= b else list(range(a, 7)) + list(range(0, b + 1)))
        else:
            out.append(_day(chunk, part or spec))
    return out
