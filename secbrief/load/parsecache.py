"""Remembered YAML parses: bytes parsed once are not parsed again.

Parsing is most of the cost of loading a large archive (10,000 incident
files: about 2 s of PyYAML events alone), yet from one build to the next
almost every file is unchanged. So each clean file's data is kept in
``build/.cache/yaml``, keyed by a hash of the file's bytes, as Pelican keeps
its readers' output between runs. A key is the content, not a file's size
or time, so an edit can never be missed, even one that keeps both; the
code that turns bytes into data (the loader, PyYAML and Python versions) is
part of the cache's identity, so a new secbrief never trusts an old cache.

Only files the fast path read cleanly are kept: a file with a problem is
parsed again every time, so its diagnostics are always the careful path's.
Validation always runs, on the remembered data as on fresh data.

Reading and hashing 10,000 files still costs a fifth of a second, so the
cache also remembers each clean file's inode, size, modification and
change times (``lstat``), as git's index does: a file whose four are
unchanged is not read at all. The change time is what makes this safe:
no tool can set it, and any write, rename or ``touch`` moves it. As in
git, a time too close to the load's start is not trusted ("racily clean":
a second write within the clock's granularity would keep all four), so
such a file is read again next time, until it is older.

The file is a pickle, read back with an unpickler that can build only
dates, times and the plain types YAML makes: a cache file from elsewhere
can at worst be ignored, never run code (see SECURITY.md). Anything wrong
with it (missing, truncated, from another version, unreadable) means an
empty cache; failing to save it costs speed only, so it is never an error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import pickle
import sys
import time
from pathlib import Path

import yaml

from secbrief.core.atomic import OutputError, atomic_write
from secbrief.load import yamlfile
from secbrief.load.plaintext import might_link

_MAGIC = b"secbrief yaml cache 2\n"
# File times within this much of a load's start are not trusted (see above);
# coarse file-system clocks tick every few milliseconds, some every 2 s.
RACY_NS = 3_000_000_000
# What a YAML scalar can become besides str, int, float, bool and None
# (which pickle writes without naming a class).
_ALLOWED = {("datetime", "date"): dt.date, ("datetime", "datetime"): dt.datetime,
            ("datetime", "timezone"): dt.timezone, ("datetime", "timedelta"): dt.timedelta}


def _identity() -> bytes:
    """What the cached data depends on besides the file: the load layer's
    own code, PyYAML's version and whether libyaml is used, Python's version."""
    code = b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
    about = f"{yaml.__version__} {yaml.__with_libyaml__} {sys.version}".encode()
    return hashlib.blake2b(code + b"\0" + about, digest_size=16).digest()


def file_stamp(status: os.stat_result) -> tuple[int, int, int, int]:
    """The inode, size, modification and change times that vouch for a
    file's bytes (see above); also the incidents index's."""
    return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


def too_recent(status: os.stat_result, started_ns: int) -> bool:
    """Whether a file's times are too close to a load's start to vouch for
    its bytes ("racily clean", see above)."""
    return max(status.st_mtime_ns, status.st_ctime_ns) >= started_ns - RACY_NS


def load_data(handle):
    """Unpickle a cache file that may come from anywhere: only the plain
    types and the dates YAML makes, never a class that could run code."""
    return _DataOnly(handle).load()


def _same_file(record, status: os.stat_result) -> bool:
    """Whether a remembered (inode, size, mtime, ctime, key, might_link)
    describes the file ``lstat`` now shows. Records come from a file in
    build/, so their shape is checked too."""
    return (type(record) is tuple and len(record) == 6 and type(record[4]) is bytes  # noqa: E721
            and record[:4] == file_stamp(status))


class _DataOnly(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not YAML data") from None


class ParseCache:
    """Parsed data by content hash, for one load of a project."""

    def __init__(self, path: Path | None, build_dir: Path | None = None):
        self.path = path
        self._build_dir = build_dir if build_dir is not None else path.parent if path else None
        self._identity = _identity()
        self._started_ns = time.time_ns()
        self._old, self._old_files = self._read() if path is not None else ({}, {})
        self._used: dict[bytes, object] = {}
        # path -> (inode, size, mtime, ctime, key, might_link) of clean files
        self._files: dict[str, tuple] = {}
        # The same for files parsed ahead in this load (parseahead.py), and their data.
        self._ahead: dict[str, tuple] = {}
        self._ahead_data: dict[bytes, object] = {}

    @classmethod
    def for_project(cls, project) -> "ParseCache":
        return cls(project.cache_dir / "yaml", project.build_dir)

    def unchanged(self, path: Path, status: os.stat_result):
        """(data, key, might_link) of a file whose inode, size and times are
        those it had when it was read cleanly before, by an earlier load or
        parsed ahead by this one; else None."""
        name = str(path)
        record = self._old_files.get(name)
        if _same_file(record, status) and (data := self._old.get(record[4], yamlfile.MISSING)) is not yamlfile.MISSING:
            self._files[name] = record
        else:
            record = self._ahead.get(name)
            if not _same_file(record, status):
                return None
            data = self._ahead_data[record[4]]
            if not self._too_recent(status):
                self._files[name] = record
        self._used[record[4]] = data
        return data, record[4], record[5]

    def knows(self, path: Path) -> bool:
        """Whether an earlier load read this file cleanly (it may have
        changed since: ``unchanged`` says)."""
        return str(path) in self._old_files

    def vouches_for(self, path: Path, status: os.stat_result) -> bool:
        """Whether ``unchanged`` will give this file's data from the cache."""
        record = self._old_files.get(str(path))
        return _same_file(record, status) and record[4] in self._old

    def parsed_ahead(self, name: str, status: tuple, key: bytes, data, might_link: bool) -> None:
        """Data parsed for this load by parseahead.py, valid while the file
        keeps ``status`` (inode, size, mtime, ctime before it was read)."""
        self._ahead[name] = (*status, key, might_link)
        self._ahead_data[key] = data

    def _too_recent(self, status) -> bool:
        return too_recent(status, self._started_ns)

    def remember(self, path: Path, status: os.stat_result, doc) -> None:
        """Note the inode, size and times a clean file had before it was
        read, unless they are too recent to vouch for its bytes."""
        if doc.digest not in self._used:
            return  # not clean: read and parsed again every time
        if self._too_recent(status):
            return

        self._files[str(path)] = (*file_stamp(status), doc.digest, might_link(doc.text))

    def get(self, key: bytes):
        """The data parsed from bytes with this key, or ``MISSING``."""
        data = self._old.get(key, yamlfile.MISSING)
        if data is yamlfile.MISSING:
            data = self._ahead_data.get(key, yamlfile.MISSING)
        if data is not yamlfile.MISSING:
            self._used[key] = data
        return data

    def put(self, key: bytes, data) -> None:
        self._used[key] = data

    @property
    def changed(self) -> bool:
        # Kept entries are exactly those used by this load: a file deleted
        # or edited since leaves its old entry behind, not in the cache.
        return self._used.keys() != self._old.keys() or self._files != self._old_files

    def save(self, may_create_folder: bool) -> None:
        """Keep this load's parses for the next one, if anything changed.
        A build that fails on a fresh tree must leave no build/ behind, so
        the folder is made only when the caller says the load was clean."""
        if self.path is None or not self.changed:
            return
        if not self._build_dir.is_dir() and not may_create_folder:
            return

        buffer = io.BytesIO()
        buffer.write(_MAGIC + self._identity)
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        # No memo: the data are trees (the fast path refuses anchors and
        # aliases), and a memo of a million objects would cost more memory
        # than the whole cache file.
        with contextlib.suppress(AttributeError):
            pickler.fast = True
        pickler.dump((self._used, self._files))
        try:
            atomic_write(self.path, buffer.getvalue())
        except OutputError:
            pass  # a read-only build/ makes the next load slower, not wrong

    def _read(self) -> tuple[dict, dict]:
        try:
            with open(self.path, "rb") as handle:
                # The header first: a cache from another version is not
                # worth unpickling only to be thrown away.
                if handle.read(len(_MAGIC) + len(self._identity)) != _MAGIC + self._identity:
                    return {}, {}
                entries, files = load_data(handle)
        except Exception:  # noqa: BLE001 - any unreadable cache is just no cache
            return {}, {}
        if not isinstance(entries, dict) or not isinstance(files, dict):
            return {}, {}
        return entries, files

