"""Dates as briefs print them, without depending on the machine's locale.

The house style has one date format, "21 December 2020", in every brief and
every style: a client never reads "October 24, 2023" above "23 October"."""

from __future__ import annotations

import datetime as dt
import re

from secbrief.core.diagnostics import UsageError

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(day: dt.date) -> str:
    """21 December 2020."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"



def week_bounds(brief) -> tuple[dt.date, dt.date]:
    """A weekly brief's days: its period, or the ISO week it was issued in."""
    if brief.period is not None:
        return brief.period.from_, brief.period.to
    monday = brief.issued - dt.timedelta(days=brief.issued.weekday())
    return monday, monday + dt.timedelta(days=6)


def iso_week(day: dt.date) -> str:
    """The ISO week a day falls in, as secbrief writes it: 2023-W42."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


_MONTH_NUMBERS = {name.casefold(): number for number, name in enumerate(MONTHS, start=1)}
_LONG_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")


def parse_day(text: str) -> dt.date:
    """``2023-10-20`` or ``20 October 2023`` (English month names, any case)."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        match = _LONG_DATE.match(text)
        if match and match.group(2).casefold() in _MONTH_NUMBERS:
            return dt.date(int(match.group(3)), _MONTH_NUMBERS[match.group(2).casefold()], int(match.group(1)))
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None
    raise ValueError(f"'{text}' is not a date: write 2023-10-20 or 20 October 2023")


# An ISO week as secbrief writes it, e.g. 2023-W42 (a brief's period, the
# weekly command's argument, the JSON Schema's pattern).
WEEK_PATTERN = r"^\d{4}-W\d{2}$"


def week_numbers(text: str) -> tuple[int, int] | None:
    """(2023, 42) for '2023-W42'; None for text that is not written as a week."""
    if not re.match(WEEK_PATTERN, text):
        return None
    year, week = text.split("-W")
    return int(year), int(week)


def parse_week(text: str) -> tuple[str, dt.date, dt.date]:
    """'2023-W42' -> ('2023-W42', Monday, Sunday); a usage error otherwise."""
    numbers = week_numbers(text.strip())
    if numbers:
        year, week = numbers
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
            return f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6)
        except ValueError:
            raise UsageError(f"week: {text} is not an ISO week of {year} "
                             f"(it has {dt.date(year, 12, 28).isocalendar()[1]} weeks)") from None
    raise UsageError(f"week: expected an ISO week such as 2023-W42, but received: '{text}'")
