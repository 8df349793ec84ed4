"""An ACLED export read row by row: the columns it must have, each row as
a dict or as the error that makes it unusable, and numbers checked against
their range. A malformed row is reported as FILE.csv:LINE and skipped."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from secbrief.core.diagnostics import Diagnostic, SecbriefError, UsageError


REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                    "country", "notes")


class RowError(ValueError):
    """A malformed row: reported with its line number and skipped."""


class CsvFileError(SecbriefError):
    """The whole file is unusable (not UTF-8, no ACLED header): nothing imports."""


def read_rows(path: Path, display: str):
    """Yield (line, row dict) for every record; RowError rows as (line, error).

    ``line`` is the line the record starts on, counting the header as 1, so
    a quoted multi-line note still points at its own row."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{display}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{display}: cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CsvFileError.at(display, "file is not UTF-8; export the CSV again as UTF-8 "
                              "(spreadsheets often save Windows-1252)", line) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise CsvFileError.at(display, "no header row: this is not an ACLED CSV export", 1) from None
    columns = [name.strip().lstrip("\ufeff").casefold() for name in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CsvFileError.at(display, f"missing ACLED column(s): {', '.join(missing)}", 1)
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowError(f"unreadable CSV: {exc}")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue  # a blank line between rows
        if len(record) != len(columns):
            yield line, RowError(f"row has {len(record)} fields; the header has {len(columns)}")
            continue
        yield line, {name: value.strip() for name, value in zip(columns, record)}


def row_error(display: str, line: int, message: str) -> Diagnostic:
    """A row's problem: ``FILE.csv:LINE: error: message`` (a row has a line,
    but no column to point at)."""
    return Diagnostic(display, line, 0, message)


def whole_number(text: str, column: str) -> int | None:
    if text == "":
        return None
    if not re.fullmatch(r"\d{1,7}", text):
        raise RowError(f"{column} '{text}' is not a whole number")
    return int(text)


def number_in(row: dict, column: str, low: float, high: float) -> float | None:
    text = row.get(column, "")
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"{column} '{text}' is not a number") from None
    if not low <= value <= high:
        raise RowError(f"{column} {text} is outside {low:g} to {high:g}")
    return value
