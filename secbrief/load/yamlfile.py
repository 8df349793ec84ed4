"""Load step: read a YAML file safely and remember where every value came
from.

PyYAML's safe loaders build plain dicts and forget positions, silently keep
the last of two duplicate keys (losing an analyst's text) and raise a
traceback on an impossible date. So we let PyYAML *compose* the node tree
(C parser when available) and construct the values ourselves, recording the
line and column of each key and value, refusing duplicate keys, unknown tags
and runaway alias expansion (secbrief.load.careful_path). A clean file,
most of them, takes a fast path that builds the data straight from the
parser's events (secbrief.load.fast_path) and finds positions on demand.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from secbrief.core.diagnostics import Report
from secbrief.load.careful_path import Abort, Budget, build_data, first_too_deep
from secbrief.load import fast_path
from secbrief.load.positions import offset_position
from secbrief.load.yaml_parsers import MAX_DEPTH, MAX_FILE_BYTES, Loader
from secbrief.load.yaml_messages import syntax_error

if TYPE_CHECKING:
    from secbrief.load.parsecache import ParseCache

MISSING = object()  # what a ParseCache gives for bytes it has not seen


def without_bom(raw: bytes) -> bytes:
    """A file's bytes without a UTF-8 byte-order mark: legal noise from
    some editors, and no part of the content."""
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def content_key(raw: bytes) -> bytes:
    """What identifies a file's content: the parse cache's key, and the
    hash builds compare to see that an input changed."""
    return hashlib.blake2b(raw, digest_size=16).digest()

Loc = tuple  # a path into the document: ("actors", 0, "name")


@dataclass
class Document:
    """One parsed YAML file: its data and the position of every value.

    Positions are worked out on first use: most files have no problem to
    point at, and a clean file is read by a fast path that does not track
    them (see ``plain_data``). ``values`` and ``keys`` map a location to
    the (line, column) of its value and of its key.
    """

    # Where the file is: a Path, or a plain string for the thousands of
    # incident files a load lists (see ``path``).
    filename: Path | str
    display: str  # path as shown in diagnostics (relative to the project)
    data: Any = None
    # The file's text as read. None for a file the parse cache vouched for
    # without reading it (see ParseCache.unchanged): read on first use,
    # which only a file with something to report ever needs.
    _text: str | None = field(default="", repr=False, compare=False)
    # BLAKE2 of the file's bytes (the parse cache's key): what builds
    # compare to see that an input changed.
    digest: bytes = b""
    # Whether the text could hold a link (plaintext.might_link), when the
    # parse cache remembered it; None: work it out from the text.
    might_link: bool | None = field(default=None, repr=False, compare=False)
    # Locations whose value the loader refused (bad tag): validation stays
    # quiet about them so one mistake gives one line.
    refused: set = field(default_factory=set)
    # Positions, and the source text of scalars YAML did not read as text
    # (21:00, NO, 2020-12-20: an "expected text" message can quote what
    # was written), are found on demand: most files never need them.
    _positions: tuple[dict, dict, dict] | None = field(default=None, repr=False, compare=False)

    @property
    def path(self) -> Path:
        """The file as a Path, made on first use: at 10,000 incidents,
        Path objects nobody asks for cost a tenth of a second a load."""
        if not isinstance(self.filename, Path):
            self.filename = Path(self.filename)
        return self.filename

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _read_text_again(self.filename)
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = value

    @property
    def values(self) -> dict[Loc, tuple[int, int]]:
        return self._located()[0]

    @property
    def keys(self) -> dict[Loc, tuple[int, int]]:
        return self._located()[1]

    @property
    def scalars(self) -> dict[Loc, str]:
        return self._located()[2]

    def _located(self) -> tuple[dict, dict, dict]:
        if self._positions is None:
            # Only clean files get here (see load_file), so composing them
            # again reports nothing: it just records where each value is.
            self._positions = ({}, {}, {})
            node = yaml.compose(self.text, Loader=Loader)
            if node is not None:
                build_data(node, (), self, Report(), Budget(), 0)
        return self._positions

    def where(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``loc``, or of the
        nearest enclosing value that exists (e.g. for a missing field)."""
        loc = tuple(loc)
        while True:
            table = self.keys if key and loc in self.keys else self.values
            if loc in table:
                return table[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


    def locate(self, loc: Loc, value: str, offset: int) -> tuple[int, int]:
        """Line and column of ``value[offset:]`` (a string at ``loc``) in the
        file, so a bad citation deep in a block of text is pointed at exactly."""
        start_line, start_col = self.where(loc)
        exact = offset_position(self.text, start_line, start_col, value, offset)
        if exact is not None:
            return exact
        end = value.find("\n", offset)
        needle = value[offset:end if end != -1 else len(value)][:40]
        lines = self.text.split("\n")
        for number in range(start_line - 1, min(len(lines), start_line + value.count("\n") + 5)):
            column = lines[number].find(needle)
            if column != -1 and needle:
                return number + 1, column + 1
        return start_line, start_col


def load_file(path: Path | str, display: str, report: Report, within: Confinement | None = None,
              cache: ParseCache | None = None) -> Document | None:
    """Parse one YAML file; on any problem add diagnostics and return None.

    With ``within``, a file that is a link to somewhere outside its root is
    refused before a byte of it is read: a symlink committed to the repo
    must not make a build read (and perhaps print) ~/.ssh or /etc files.
    With ``cache``, a file whose size, times and inode are those of a clean
    file of an earlier load is not read at all (see ParseCache.unchanged)."""
    try:
        status = os.lstat(path)
    except OSError as exc:
        report.add(display, 1, 1, f"cannot read file: {exc.strerror}", code="SB001")
        return None
    link = stat.S_ISLNK(status.st_mode)
    if within is not None and not within.contains(path, link):
        return _refuse_link(display, report)
    if cache is not None and not link:
        known = cache.unchanged(path, status)
        if known is not None:
            data, digest, might_link = known
            return Document(filename=path, display=display, data=data, _text=None, digest=digest,
                            might_link=might_link)
    try:
        raw = read_bytes(path, follow=link)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not link:
            # Made a link since the lstat above: judged as one, afresh.
            return load_file(path, display, report, within, cache)
        report.add(display, 1, 1, f"cannot read file: {exc.strerror}", code="SB001")
        return None
    doc = load_bytes(raw, path, display, report, cache)
    if doc is not None and cache is not None and not link:
        cache.remember(path, status, doc)
    return doc


def _refuse_link(display: str, report: Report) -> None:
    report.add(display, 1, 1, "file is a link to a place outside the project; "
               "secbrief reads only files inside the project", code="SB011")


def read_bytes(path: Path | str, follow: bool) -> bytes:
    """The whole file. Not following a link at the last step makes "it was
    not a link when we looked" hold when it is opened, too. os.open and
    os.read: half the cost of open() at 10,000 files."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags)
    try:
        chunks = []
        while chunk := os.read(fd, _READ_CHUNK):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_READ_CHUNK = 64 * 1024  # most files fit in one read; smaller than malloc's mmap threshold


def _read_text_again(path: Path | str) -> str:
    """The text of a file the parse cache vouched for, when something (a
    diagnostic's position) needs it after all."""
    try:
        raw = read_bytes(path, follow=True)
    except OSError:
        return ""
    return without_bom(raw).decode("utf-8", errors="replace")


class Confinement:
    """Answers "does this file really live under the root, links followed?"
    for one load of a project.

    A file that is not itself a link lives where its folder really is, so
    one ``lstat`` per file (which load_file needs anyway) and one
    ``resolve`` per folder answer it: resolving each of 10,000 incident
    paths part by part cost a second. Folders are remembered for this load
    only; a later load (a long-running process, a test) makes a new
    Confinement and sees links made since."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._folders: dict[str, bool] = {}

    def contains(self, path: Path | str, is_link: bool) -> bool:
        """``is_link``: what the caller's lstat of ``path`` said."""
        if is_link:
            return Path(path).resolve().is_relative_to(self.root)
        folder = os.path.dirname(path)  # a string: pathlib's .parent costs more than the lstat
        inside = self._folders.get(folder)
        if inside is None:
            inside = self._folders[folder] = Path(folder).resolve().is_relative_to(self.root)
        return inside


def load_bytes(raw: bytes, path: Path | str, display: str, report: Report,
               cache: ParseCache | None = None) -> Document | None:
    """Parse YAML that is not (or no longer) a file on disk, e.g. a brief as
    it was at a git revision; ``path`` is where it lives in the project.
    With ``cache``, bytes read cleanly before are not parsed again."""
    doc = Document(filename=path, display=display)
    if len(raw) > MAX_FILE_BYTES:
        report.add(display, 1, 1, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                   code="SB002")
        return None
    raw = without_bom(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "; it looks like UTF-16: save it as UTF-8" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        report.add(display, line, col, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}){hint}",
                   code="SB003")
        return None
    doc.text = text
    doc.digest = key = content_key(raw)
    if cache is not None and (data := cache.get(key)) is not MISSING:
        doc.data = data
        return doc
    try:
        doc.data = fast_path.plain_data(text)
        if cache is not None:
            cache.put(key, doc.data)
        return doc
    except fast_path.NotPlain:
        pass  # the careful path below says exactly what is wrong, and where
    doc._positions = ({}, {}, {})
    try:
        deep = first_too_deep(text)
        if deep is not None:
            report.add(display, deep.line + 1, deep.column + 1, f"nesting deeper than {MAX_DEPTH} levels",
                       code="SB010")
            return None
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        line, col, message = syntax_error(exc, text)
        report.add(display, line, col, message, code="SB004")
        return None
    if node is None:
        doc.data = None
        return doc
    try:
        doc.data = build_data(node, (), doc, report, Budget(), 0)
    except Abort:
        return None
    # Duplicate keys and refused tags were reported; the rest of the file is
    # still validated so the analyst sees every problem in one run.
    return doc


def as_date(value) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return None
