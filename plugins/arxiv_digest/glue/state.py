"""The build state: what one Pelican instance knows about its build, in one mutable object.

Pelican hands its settings to every signal and generator, so the plugin puts one
:class:`BuildState` there when Pelican is initialised, under one key, and never replaces
it. Steps add what they learn to it (the fetch's outcome, the days read, a broken fetch
log); the steps after the site is written (``plugin.finish``) use it and then clear what
belongs to this build, so an autoreload rebuild starts clean. No generator writes
Pelican's settings.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import keywords, settings
from ..model.store import Day
from ..pages.rebuild import is_archive_page

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..fetching.fetch import FetchReport  # the arxiv package is imported only when fetching
    from .buildindex import BuildIndex
    from .manifest import Manifest

STATE = "ARXIV_DIGEST"  # the settings key holding the build state


@dataclass(eq=False)
class BuildState:
    """One Pelican instance's build: fixed inputs first, then what this build learns."""

    settings: settings.DigestSettings
    config: keywords.Config
    # This build's, reset by clear() once the site is written and reported.
    fetch_report: FetchReport | None = None
    fetch_error: str | None = None  # the fetch could not start (e.g. a store file is broken)
    log_error: str | None = None  # the fetch log cannot be read (reported after the build)
    days: list[Day] = field(default_factory=list)  # read by the generator, for the index
    abstracts_from: date | None = None  # older digests without abstracts; None: every day
    # What the reader left out of the store and why (reported after the build).
    store_problems: list[str] = field(default_factory=list)
    index: BuildIndex | None = None  # what each day file held (``buildindex``)
    # The archive pages (save_as paths) this build writes; None: every page (``manifest``).
    archive_pages: set[str] | None = None
    unchanged: bool = False  # nothing a page is made of changed: every page is kept
    data_shards: set[str] | None = None  # the /data/papers/ shards to write; None: all
    manifest: Manifest | None = None  # to keep once the whole site is written
    stale_files: set[str] = field(default_factory=set)  # of days and categories now gone
    seconds: dict[str, float] = field(default_factory=dict)  # each phase's wall time
    build_started: float = 0.0  # time.perf_counter() when this build began reading

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        """Add the time the block takes to ``phase``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - start

    def writes(self, save_as: str) -> bool:
        """Whether this build writes the archive page (or the files that go with it) again."""
        return not self.unchanged and (self.archive_pages is None or save_as in self.archive_pages)

    def keeps(self, output: Path, name: str) -> bool:
        """Whether the file ``name`` of the output is left as the last build wrote it: an
        archive page no change feeds, or any file when nothing changed; never a missing one."""
        planned = self.unchanged or (is_archive_page(name) and not self.writes(name))
        return planned and (output / name).is_file()

    def with_abstracts(self, day: date) -> bool:
        """Whether the digest of ``day`` shows abstracts and search indexes them
        (``ARXIV_ABSTRACT_YEARS``)."""
        return self.abstracts_from is None or day >= self.abstracts_from

    def clear(self) -> None:
        """Forget this build's findings: reported once, and a year of days let go."""
        self.fetch_report = None
        self.fetch_error = None
        self.log_error = None
        self.days = []
        self.abstracts_from = None
        self.store_problems = []
        self.index = None
        self.archive_pages = None
        self.unchanged = False
        self.data_shards = None
        self.manifest = None
        self.stale_files = set()
        self.seconds = {}


def state_of(pelican_settings: Mapping[str, Any]) -> BuildState:
    """This build's state; the plugin puts it in the settings when Pelican is initialised."""
    state: BuildState = pelican_settings[STATE]
    return state
