"""Actor and place registries: canonical names, aliases, "did you mean"."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from secbrief.core import lookalike
from secbrief.core.textgrammar import name_key

T = TypeVar("T")


@dataclass
class Registry(Generic[T]):
    """Entries by id, and every name and alias pointing at its entry."""

    kind: str  # "actor" or "place", for messages
    by_id: dict[str, T] = field(default_factory=dict)
    by_name: dict[str, T] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)  # name_key -> a display spelling
    # The registry file has errors: names missing from it are not reported
    # again at every use (one mistake, one line).
    broken: bool = False

    def unknown(self, name: str) -> bool:
        return not self.broken and self.lookup(name) is None

    def add_name(self, name: str, entry: T) -> T | None:
        """Index a name; return the other entry if it is already taken."""
        key = name_key(name)
        other = self.by_name.get(key)
        if other is not None and other is not entry:
            return other
        self.by_name[key] = entry
        self.spellings.setdefault(key, name)
        return None

    def lookup(self, name: str) -> T | None:
        return self.by_name.get(name_key(name))

    def suggest(self, name: str) -> str | None:
        close = difflib.get_close_matches(name_key(name), list(self.by_name), n=1, cutoff=0.75)
        return self.spellings[close[0]] if close else None

    def unknown_message(self, name: str) -> str:
        hint = self.suggest(name)
        message = f"unknown {self.kind} '{name}'"
        odd = lookalike.mixed_letter(name)
        if odd:  # 'Kаtaib' (Cyrillic а) and 'Kataib' print the same: say what differs
            message += f" ({lookalike.describe_letter(odd)}, not a Latin letter)"
        if hint:
            return f"{message} (did you mean '{hint}'?)"
        return f"{message}: add it to incidents/{self.kind}s.yaml, or its spelling as an alias"
