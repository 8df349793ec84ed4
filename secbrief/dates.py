"""Dates as briefs print them, without depending on the machine's locale.

The house style has one date format, "21 December 2020", in every brief and
every style: a client never reads "October 24, 2023" above "23 October"."""

from __future__ import annotations

import datetime as dt

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
