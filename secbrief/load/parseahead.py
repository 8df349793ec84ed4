"""Parse a load's new and changed files on every core before it starts.

A first load of a large archive (or one after a PyYAML upgrade, or after
``build/`` was deleted) parses every file: 10,000 incidents take seconds of
PyYAML, one file at a time. Parsing is independent per file, so the files
the parse cache cannot vouch for are split into chunks and parsed in this
process and in forked helpers (``fork.fork_chunks``) before the load reads them.
Only data comes back, and only for files the fast path reads cleanly; the
load itself (secbrief/validate/corpus.py) then runs as always, taking each file's
data from the cache when the file is still as it was parsed (same inode,
size and times), so every check and every diagnostic is the same as on a
load that parsed the files itself.

Files that are links, not regular files, too large, not UTF-8, or that need
the careful path (tags, anchors, duplicate keys, syntax errors) are left
alone here: the load reads them itself and says what is wrong.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from secbrief.core import fork
from secbrief.load import fast_path, yamlfile
from secbrief.load.yaml_parsers import MAX_FILE_BYTES
from secbrief.load.plaintext import might_link

# Fewer files than this are parsed by the load itself: forking and sending
# data back cost more than they save (a helper starts in about 20 ms; 250
# incident files take about 60 ms to parse).
MIN_FILES = 250
# Chunks of files, big at both ends and small where this process and the
# helpers meet (fork.tapered): few results to send back, little waiting.
CHUNK_LEAST, CHUNK_MOST = 50, 2000


def parse_ahead(paths: list[Path], cache, within: yamlfile.Confinement, jobs: int | None) -> int:
    """Parse in parallel the ``paths`` that ``cache`` cannot vouch for, and
    hand their data to it. Returns how many files were parsed ahead. Only
    regular files in folders ``within`` allows are read (see load_file)."""
    if jobs is not None and jobs < 2:
        return 0
    # The everyday load: nearly every file was read before and most are
    # unchanged. Counting the files the cache has never seen costs no
    # system call; a thousand edited files (a checkout) are parsed by the
    # load itself, one by one, as before.
    if sum(not cache.knows(path) for path in paths) < MIN_FILES:
        return 0
    todo = []
    for path in paths:
        try:
            status = os.lstat(path)
        except OSError:
            continue  # the load reports it
        if (stat.S_ISREG(status.st_mode) and within.contains(path, is_link=False)
                and not cache.vouches_for(path, status)):
            todo.append(str(path))
    if len(todo) < MIN_FILES or fork.processes(jobs, len(todo)) < 2:
        return 0
    chunks = fork.tapered(todo, fork.processes(jobs, len(todo)), smallest=CHUNK_LEAST, largest=CHUNK_MOST)
    try:
        results = fork.fork_chunks(_parse_chunk, chunks, jobs)
    except Exception:  # noqa: BLE001 - e.g. out of memory: the load parses them itself
        return 0
    for parsed in results:
        for name, status, key, data, links in parsed:
            cache.parsed_ahead(name, status, key, data, links)
    return len(todo)


def _parse_chunk(names: list[str]) -> list[tuple]:
    """(path, (inode, size, mtime, ctime) before the read, content key, data,
    might_link) for each file of ``names`` the fast path reads cleanly."""
    parsed = []
    for name in names:
        try:
            status = os.lstat(name)
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
                continue
            raw = yamlfile.without_bom(yamlfile.read_bytes(name, follow=False))
            text = raw.decode("utf-8")
            data = fast_path.plain_data(text)
        except (OSError, UnicodeDecodeError, fast_path.NotPlain):
            continue
        parsed.append((name, (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns),
                       yamlfile.content_key(raw), data, might_link(text)))
    return parsed
