"""The PyYAML parts both load paths use, and the limits they enforce.

libyaml's parser (C) is several times faster than PyYAML's own; it is used
when PyYAML was built with it, and the pure-Python one otherwise. Either
way the data and the messages are the same (secbrief.load.yaml_messages).
"""

from __future__ import annotations

from yaml.constructor import SafeConstructor

try:  # libyaml's parser is several times faster; fall back when not built.
    from yaml import CSafeLoader as Loader
    from yaml._yaml import CParser as EventParser  # events only: no constructor to set up
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as Loader
    EventParser = Loader

# Hostile input stops at these (docs/diagnostics.md, SB002, SB005, SB010).
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 40

TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
CONSTRUCTOR = SafeConstructor()
