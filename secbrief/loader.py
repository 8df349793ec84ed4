"""Load step: parse YAML safely and remember where every value came from.

PyYAML's safe loaders build plain dicts and forget positions, silently keep
the last of two duplicate keys (losing an analyst's text) and raise a
traceback on an impossible date. So we let PyYAML *compose* the node tree
(C parser when available) and construct the values ourselves, recording the
line and column of each key and value, refusing duplicate keys, unknown tags
and runaway alias expansion.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from secbrief.errors import Report
from secbrief.positions import offset_position
from secbrief.yaml_messages import syntax_error

if TYPE_CHECKING:
    from secbrief.parsecache import ParseCache

MISSING = object()  # what a ParseCache gives for bytes it has not seen

try:  # libyaml's parser is several times faster; fall back when not built.
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser as _EventParser  # events only: no constructor to set up
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader
    _EventParser = _Loader

MAX_FILE_BYTES = 1_000_000


def without_bom(raw: bytes) -> bytes:
    """A file's bytes without a UTF-8 byte-order mark: legal noise from
    some editors, and no part of the content."""
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def content_key(raw: bytes) -> bytes:
    """What identifies a file's content: the parse cache's key, and the
    hash builds compare to see that an input changed."""
    return hashlib.blake2b(raw, digest_size=16).digest()
MAX_NODES = 50_000
MAX_DEPTH = 40

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = SafeConstructor()

Loc = tuple  # a path into the document: ("actors", 0, "name")


@dataclass
class Document:
    """One parsed YAML file: its data and the position of every value.

    Positions are worked out on first use: most files have no problem to
    point at, and a clean file is read by a fast path that does not track
    them (see ``_plain_data``). ``values`` and ``keys`` map a location to
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
            node = yaml.compose(self.text, Loader=_Loader)
            if node is not None:
                _build(node, (), self, Report(), _Budget(), 0)
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


class _Budget:
    def __init__(self):
        self.nodes = 0
        self.open: set[int] = set()  # ids of the collections being built (alias loops)


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
        raw = _read_bytes(path, follow=link)
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


def _read_bytes(path: Path | str, follow: bool) -> bytes:
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
        raw = _read_bytes(path, follow=True)
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
        doc.data = _plain_data(text)
        if cache is not None:
            cache.put(key, doc.data)
        return doc
    except _NotPlain:
        pass  # the careful path below says exactly what is wrong, and where
    doc._positions = ({}, {}, {})
    try:
        deep = _first_too_deep(text)
        if deep is not None:
            report.add(display, deep.line + 1, deep.column + 1, f"nesting deeper than {MAX_DEPTH} levels",
                       code="SB010")
            return None
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        line, col, message = syntax_error(exc, text)
        report.add(display, line, col, message, code="SB004")
        return None
    if node is None:
        doc.data = None
        return doc
    try:
        doc.data = _build(node, (), doc, report, _Budget(), 0)
    except _Abort:
        return None
    # Duplicate keys and refused tags were reported; the rest of the file is
    # still validated so the analyst sees every problem in one run.
    return doc


class _NotPlain(Exception):
    """The fast path met something it leaves to the careful path."""


_PLAIN_FIRST = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
_RESOLVER = _Loader("")  # only its resolve() is used, for plain scalars that may not be text
_CONSTRUCT = {
    _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
    _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
    _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
    _TAG + "timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}
_NO_KEY = object()
_DATE_TAG, _INT_TAG = _TAG + "timestamp", _TAG + "int"
_STR = _TAG + "str"
_RESOLVED: dict[str, str] = {}  # short plain scalar -> its tag ("2020-12-20" recurs in many files)


def _plain_tag(value: str) -> str:
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
        if len(value) <= 40 and len(_RESOLVED) < 100_000:
            _RESOLVED[value] = tag
    return tag


def _plain_value(tag: str, value: str):
    """A plain scalar that is not text, as PyYAML's SafeConstructor builds it
    (the common forms of dates and numbers are built directly: same result)."""
    try:
        if tag == _DATE_TAG and len(value) == 10:  # 2020-12-20; 2023-02-30 raises
            return _dt.date.fromisoformat(value)
        if tag == _INT_TAG and value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value)  # not 012 (octal in YAML 1.1), 1_000, 0x1f or 1:30
        construct = _CONSTRUCT.get(tag)
        if construct is None:
            raise _NotPlain
        return construct(ScalarNode(tag, value))
    except (ValueError, OverflowError):
        return value  # an impossible date stays text, for the validator to explain


def _plain_data(text: str):
    """The data of a clean document, built straight from the C parser's
    events: no node tree, no positions (they are found again on demand).

    Gives up (``_NotPlain``) on anything that is not plain data or that the
    careful path reports: a tag, an anchor or alias, a merge key, a
    duplicate or non-text key, a second document, deep nesting, too many
    values, a syntax error. For a clean document both paths give the same
    data; the careful path is the reference (see tests/test_fast_loader.py).
    This loop runs once per event of every file, so it is written for speed.
    """
    parser = _EventParser(text)
    get_event = parser.get_event
    stack: list[tuple] = []  # the enclosing (container, key, is_map) of each open collection
    container = None  # the innermost open mapping or list
    key = _NO_KEY  # in a mapping: the key waiting for its value
    is_map = False
    root = None
    documents = nodes = 0
    try:
        while True:
            event = get_event()
            kind = event.__class__
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                value = event.value
                if is_map and key is _NO_KEY:  # a key: kept as written, as the careful path does
                    if value in container or (value == "<<" and event.implicit[0]):  # a merge key
                        raise _NotPlain
                    key = value
                    continue
                if event.implicit[0] and (not value or value[0] in _PLAIN_FIRST):
                    tag = _plain_tag(value)
                    if tag != _STR:
                        value = _plain_value(tag, value)
                nodes += 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if (event.anchor is not None or not event.implicit or len(stack) >= MAX_DEPTH
                        or (is_map and key is _NO_KEY)):  # the last: a collection as a key
                    raise _NotPlain
                stack.append((container, key, is_map))
                is_map = kind is MappingStartEvent
                container = {} if is_map else []
                key = _NO_KEY
                nodes += 1
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = container
                container, key, is_map = stack.pop()
            elif event is None:
                return root
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _NotPlain
                continue
            elif kind is AliasEvent:
                raise _NotPlain
            else:  # stream start and end, document end
                continue
            if nodes > MAX_NODES:
                raise _NotPlain
            if container is None:
                root = value
            elif is_map:
                container[key] = value
                key = _NO_KEY
            else:
                container.append(value)
    except yaml.YAMLError:
        raise _NotPlain from None
    finally:
        parser.dispose()
def _first_too_deep(text: str):
    """The mark of the first collection nested deeper than MAX_DEPTH, or None.

    Checked on the event stream before composing: libyaml's composer
    recurses in C, and a 200 kB file of '[' characters (far below the size
    limit) overflows the C stack and kills the process with a segfault,
    which no Python code can catch. The events come from PyYAML's
    pure-Python parser, never libyaml's: libyaml 0.2.5 and newer stop deep
    nesting themselves with their own message and position, so with them
    secbrief's limit would speak on some PyYAML builds and not on others.
    The pure-Python parser keeps its own stack of states (no recursion) and
    this stops at the first level too deep, so a flood of '[' costs little;
    only files that left the fast path (_plain_data) are scanned here."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the top level is level 0, as in _build
                    return event.start_mark
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # a syntax error before any deep nesting: the loader's own parse reports it, in its words
    return None


class _Abort(Exception):
    """Stops construction of a document that exceeds a hard limit."""


def _mark(node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node, loc, doc, report, budget, depth):
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        line, col = _mark(node)
        report.add(doc.display, line, col,
                   f"document expands to more than {MAX_NODES:,} values (alias bomb?)", code="SB005")
        raise _Abort
    if depth > MAX_DEPTH:
        line, col = _mark(node)
        report.add(doc.display, line, col, f"nesting deeper than {MAX_DEPTH} levels", code="SB010")
        raise _Abort
    doc.values.setdefault(loc, _mark(node))
    if isinstance(node, ScalarNode):
        return _scalar(node, loc, doc, report)
    if id(node) in budget.open:  # &a [*a]: an alias inside the value it names
        line, col = _mark(node)
        report.add(doc.display, line, col, "an alias refers to a value that contains it (a loop)",
                   code="SB005")
        raise _Abort
    budget.open.add(id(node))
    try:
        return _collection(node, loc, doc, report, budget, depth)
    finally:
        budget.open.discard(id(node))


def _collection(node, loc, doc, report, budget, depth):
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            return _bad_tag(node, doc, report, loc)
        return [_build(item, loc + (i,), doc, report, budget, depth + 1)
                for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _TAG + "map":
            return _bad_tag(node, doc, report, loc)
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                line, col = _mark(key_node)
                report.add(doc.display, line, col, "YAML merge keys ('<<') are not supported; "
                           "write the fields out", code="SB008")
                doc.refused.add(loc)  # its fields are missing because of this: one line, not one per field
                continue
            if not isinstance(key_node, ScalarNode):
                line, col = _mark(key_node)
                report.add(doc.display, line, col, "a mapping key must be plain text", code="SB009")
                continue
            key = key_node.value
            if key in result:
                line, col = _mark(key_node)
                first = doc.keys[loc + (key,)]
                report.add(doc.display, line, col,
                           f"duplicate key '{key}' (first defined at line {first[0]}); "
                           "YAML would silently keep only the last one", code="SB007")
                continue
            doc.keys[loc + (key,)] = _mark(key_node)
            result[key] = _build(value_node, loc + (key,), doc, report, budget, depth + 1)
        return result
    return _bad_tag(node, doc, report, loc)  # pragma: no cover - no other node kinds


def _bad_tag(node, doc, report, loc):
    doc.refused.add(loc)
    line, col = _mark(node)
    tag = node.tag.replace(_TAG, "!!")
    report.add(doc.display, line, col, f"YAML tag '{tag}' is not allowed (only plain data)",
               code="SB006")
    return None


def _scalar(node: ScalarNode, loc: Loc, doc: Document, report: Report):
    tag = node.tag
    if tag not in _SCALAR_TAGS:
        return _bad_tag(node, doc, report, loc)
    if tag == _TAG + "str":
        return node.value
    doc.scalars[loc] = node.value
    if tag == _TAG + "timestamp":
        try:
            return _CONSTRUCTOR.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            # An impossible date such as 2023-02-30: keep the text so the
            # validator can say what is wrong with it, at this position.
            return node.value
    method = {
        _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
        _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
        _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
        _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
    }[tag]
    try:
        return method(node)
    except (ValueError, OverflowError):
        return node.value


_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


def as_date(value) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return None
