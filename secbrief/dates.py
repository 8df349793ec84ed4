"""Dates as briefs print them, without depending on the machine's locale."""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def us_date(day: dt.date) -> str:
    """December 21, 2020 (the style of US-published briefs)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def long_date(day: dt.date) -> str:
    """21 December 2020."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
