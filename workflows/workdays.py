"""Working days as China's State Council sets them: holidays and make-up working days.

A weekday can be a holiday (National Day week) and a weekend day can be a working day
(调休: 2023-10-07/08 were worked to make the holiday eight days long), so a deadline in
working days cannot be counted from weekdays alone. The official arrangement comes from
the `chinese-calendar` package, which knows only the years it was published with; a date
outside them raises `CalendarNotCovered` rather than being guessed from weekdays.

Calendar-day arithmetic never consults the holiday calendar: a period of 15 calendar days
is the same with or without it, so no date is refused for it.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

#: The package's version, named in errors so that "update it" has something to compare.
CALENDAR_VERSION: str = str(getattr(chinese_calendar, "__version__", "unknown"))

_YEARS = sorted({d.year for d in chinese_calendar.holidays})
#: First and last year (inclusive) whose official holidays the installed calendar knows.
FIRST_YEAR: int = _YEARS[0]
LAST_YEAR: int = _YEARS[-1]


class CalendarNotCovered(ValueError):
    """A working-day question about a year the installed holiday calendar does not know."""

    def __init__(self, day: date) -> None:
        self.day = day
        super().__init__(
            f"{day.isoformat()} is outside the official holiday calendar, which covers "
            f"{FIRST_YEAR}–{LAST_YEAR} (chinese-calendar {CALENDAR_VERSION}); "
            "working days cannot be counted for it"
        )


def is_covered(d: date) -> bool:
    """Whether the installed calendar knows `d`'s year."""
    return FIRST_YEAR <= d.year <= LAST_YEAR


def is_working_day(d: date) -> bool:
    """Whether `d` is an official working day (a make-up Saturday counts; a holiday does not)."""
    if not is_covered(d):
        raise CalendarNotCovered(d)
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError as exc:  # the package's own "no data for year"
        raise CalendarNotCovered(d) from exc


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after `d` (`d` itself is not counted); `d` when n is 0.

    "Within 3 working days of receipt" ends on ``add_working_days(received, 3)``.
    """
    if n < 0:
        raise ValueError(f"a number of working days cannot be negative: {n}")
    day = d
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def add_days(d: date, n: int, working: bool) -> date:
    """`n` working days or `n` calendar days after `d`, as a rule's `working_days` says."""
    if n < 0:
        raise ValueError(f"a number of days cannot be negative: {n}")
    return add_working_days(d, n) if working else d + timedelta(days=n)


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
