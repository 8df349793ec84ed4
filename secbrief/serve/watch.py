"""Watching the project's inputs (watchfiles: inotify on Linux, FSEvents on
macOS, ReadDirectoryChangesW on Windows) and refreshing the preview once
per burst of changes.

``incidents/`` (with the registries), ``briefs/`` (with the client
profiles and images) and ``templates/`` are watched whole; the project
folder itself only for ``secbrief.yaml`` (not recursively: build/, .git
and .venv hold thousands of folders nobody edits). An editor's save,
often several writes and a rename, arrives as one change set; editors'
swap and backup files are ignored. One thread refreshes, in order: a
change that comes while a refresh runs is taken up right after it.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from watchfiles import DefaultFilter, watch

from secbrief.core.project import Project

STEP_MS = 30  # quiet time that ends a burst of writes
SETTLE_S = 0.3  # then one refresh catches what changed before the watchers were up


class Watcher:
    def __init__(self, project: Project, on_change, log):
        """``on_change(paths)``: called in one thread, once per burst."""
        self.project = project
        self.on_change = on_change
        self.log = log
        self.stop = threading.Event()
        self._changes: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        folders = [p for p in (self.project.incidents_dir, self.project.briefs_dir, self.project.templates_dir)
                   if p.is_dir()]
        config = str(self.project.config_path)
        watchers = [(folders, True, DefaultFilter())] if folders else []
        watchers.append(([self.project.root], False, lambda change, path: path == config))
        for paths, recursive, only in watchers:
            self._thread(self._watch, paths, recursive, only)
        self._thread(self._refresh)

    def close(self) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=3)

    def _thread(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name=f"secbrief-serve-{target.__name__}")
        thread.start()
        self._threads.append(thread)

    def _watch(self, paths: list[Path], recursive: bool, only) -> None:
        while not self.stop.is_set():
            try:
                for changes in watch(*paths, watch_filter=only, recursive=recursive, step=STEP_MS,
                                     stop_event=self.stop, rust_timeout=1000, raise_interrupt=False):
                    self._changes.put({path for _, path in changes})
            except Exception as exc:  # noqa: BLE001  (a watched folder went away: watch again shortly)
                if self.stop.is_set():
                    break
                self.log(f"warning: watching {', '.join(self.project.display(p) for p in paths)} stopped "
                         f"({type(exc).__name__}: {exc}); trying again")
                self.stop.wait(1.0)

    def _refresh(self) -> None:
        if self.stop.wait(SETTLE_S):
            return
        self._call(set())
        while not self.stop.is_set():
            try:
                paths = self._changes.get(timeout=0.5)
            except queue.Empty:
                continue
            while True:  # everything that came meanwhile, in one refresh
                try:
                    paths |= self._changes.get_nowait()
                except queue.Empty:
                    break
            self._call(paths)

    def _call(self, paths: set[str]) -> None:
        try:
            self.on_change(paths)
        except Exception as exc:  # noqa: BLE001  (the preview keeps serving what it has)
            self.log(f"secbrief serve: internal error: {type(exc).__name__}: {exc} (please report it)")
