"""Server-sent events: which open page must reload, and when the list of
problems changed. An event is a name and nothing else ("reload",
"diagnostics"): no file content goes down this channel; the page fetches
what it needs over plain GETs."""

from __future__ import annotations

import queue
import threading

RELOAD = "reload"
DIAGNOSTICS = "diagnostics"
CLOSED = object()  # the server is stopping: end the stream


class Subscriber:
    """One open page's stream: ``key`` names the page (a brief id, or the archive)."""

    def __init__(self, key: str):
        self.key = key
        self._events: queue.Queue = queue.Queue()

    def push(self, event) -> None:
        self._events.put(event)

    def next(self, timeout: float):
        """The next event name, CLOSED, or None after ``timeout`` seconds
        without one (time for a keep-alive)."""
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            return None


class Hub:
    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []
        self.closed = False

    def subscribe(self, key: str) -> Subscriber:
        subscriber = Subscriber(key)
        with self._lock:
            if self.closed:
                subscriber.push(CLOSED)
            self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def publish(self, reload: set[str], diagnostics: bool) -> None:
        """"reload" to the pages in ``reload``, "diagnostics" to every page
        when the problems changed."""
        with self._lock:
            for subscriber in self._subscribers:
                if subscriber.key in reload:
                    subscriber.push(RELOAD)
                elif diagnostics:
                    subscriber.push(DIAGNOSTICS)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            for subscriber in self._subscribers:
                subscriber.push(CLOSED)

    def __len__(self) -> int:
        with self._lock:
            return len(self._subscribers)
