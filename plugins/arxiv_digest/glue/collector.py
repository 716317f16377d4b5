"""Python's cycle collector, paused for the length of each build and for no longer.

A build makes millions of small objects that all live until it ends; the collector
scanning them again and again costs a fifth of a build and frees nothing. Pelican sends
no signal when a build raises, so the pause wraps the build itself: the collector is
back on however the build ends, and ``pelican --autoreload`` waits with it on.

Once everything is read, what was read is frozen (left out of every later collection) and
the collector runs again: the pages are written one at a time, each body made and let go,
and the garbage that makes must not pile up for the length of the build.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pelican import Pelican


def pause_collector_during_builds(pelican: Pelican) -> None:
    """Wrap this Pelican instance's ``run`` (once per build, autoreload included)."""
    build: Callable[[], None] = pelican.run

    @functools.wraps(build)
    def run_without_collector() -> None:
        gc.collect()  # what an earlier build of this process left goes first
        gc.disable()
        try:
            build()
        finally:
            gc.unfreeze()
            gc.enable()

    # Pelican offers no hook around a build: this instance's method is replaced on purpose.
    pelican.run = run_without_collector  # type: ignore[method-assign]


def collect_while_writing(generators: object) -> None:
    """Everything is read (Pelican's ``all_generators_finalized``): freeze it, collect again."""
    gc.freeze()
    gc.enable()
