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
def collector_paused(freeze_survivors: bool = False):
    """No cycle collection inside the block (usable as a decorator).

    With ``freeze_survivors``, what the block allocated and is still alive
    at its end (a loaded corpus) is parked out of the collector's sight
    before it is switched on again. Otherwise the first allocation after the
    block makes the collector scan every one of those millions of young
    objects (a fifth of a second at 10,000 incidents) to find no garbage.
    They are still freed as usual when their last reference goes;
    ``frozen_until_done`` (or gc.unfreeze) hands them back to the collector."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_survivors:
            gc.freeze()
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
