"""Keep Python's cycle collector out of the way of a build.

Loading 10,000 incidents allocates millions of small objects and no
garbage cycles; the collector, triggered by allocation counts alone, keeps
walking the growing heap for nothing (about a fifth of the load). Once
loaded, the corpus lives until the build ends, so rescanning it while
briefs are rendered is wasted too. Objects are still freed as usual when
their last reference goes; only the search for cycles waits.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """No cycle collection inside the block (usable as a decorator)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def frozen_until_done():
    """Inside the block, ``gc.freeze()`` may park long-lived objects (the
    loaded corpus) out of the collector's sight; at the end they go back."""
    try:
        yield
    finally:
        gc.unfreeze()
