"""Pelican glue: the build's one contact with Pelican, and its table of contents.

How the store becomes a site, in the order Pelican runs it:

1. ``prepare`` (Pelican initialised): check the settings and keywords.yaml, fix the
   site's URLs (``pelican_settings``), put the build state in the settings (``state``),
   fetch when fetching is on (``prefetch``).
2. ``collector``: each build reads with Python's cycle collector paused, and writes with it
   on over what was not read.
3. ``reader``: each store day file becomes one article, that day's digest, parsed only
   when the build index (``buildindex``, opened as the build starts) does not know its bytes;
   ``publish_newest_years``: with ``ARXIV_ARCHIVE_YEARS``, only the newest years' go on.
4. ``generator``: digest bodies, keyword and category pages, keyword feeds, the search
   page, the ``.bib`` files, and the status page and files from the fetch log
   (``status_pages``).
5. ``keepup``: the reading list page, the scripts' data, the OPML, trend charts.
   Every page goes through ``writer``, which leaves alone the day and category pages that
   no change since the last build feeds (``manifest``).
6. ``finish`` (Pelican finalised): the search index of the days the generator read
   (``indexing``); the pages of days gone from the store removed, the manifest kept for
   the next build; one ERROR for what the fetch could not do (``prefetch``), one for a
   fetch log that cannot be read (``status_pages``) and one for the papers and files the
   reader left out (``reader``); then the build state is cleared.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator
from pelican.log import console
from pelican.readers import Readers

from ..model import keywords as keywords_config
from ..model import settings as digest_settings
from ..model.store import day_files
from ..pages.listings import archive_start
from .collector import collect_while_writing, pause_collector_during_builds
from .generator import add_generator, plan_writes
from .indexing import build_search_index
from .keepup import add_keepup_generator
from .manifest import write_manifest
from .pelican_settings import fix_site_settings
from .prefetch import fetch_before_build, report_fetch
from .reader import add_reader, report_store_problems
from .related import add_related_generator
from .state import STATE, BuildState, state_of
from .status_pages import report_status_log
from .timing import report_phases
from .writer import add_writer


class InputErrorsWithoutTraceback(logging.Filter):
    """Pelican logs what stops a build with its traceback; for bad input (keywords.yaml, a
    setting, a store file) the message names the file, the line and what to do, and a
    traceback would bury it."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, keywords_config.ConfigError | digest_settings.SettingsError):
            record.exc_info = record.exc_text = None
        return True


def register() -> None:
    logging.getLogger("pelican").addFilter(InputErrorsWithoutTraceback())
    signals.initialized.connect(prepare)
    signals.initialized.connect(pause_collector_during_builds)
    signals.all_generators_finalized.connect(collect_while_writing)
    signals.all_generators_finalized.connect(plan_writes)
    signals.readers_init.connect(add_reader)
    signals.readers_init.connect(start_build)
    signals.article_generator_pretaxonomy.connect(publish_newest_years)
    signals.get_generators.connect(add_generator)
    signals.get_generators.connect(add_keepup_generator)
    signals.get_generators.connect(add_related_generator)
    signals.get_writer.connect(add_writer)
    signals.finalized.connect(finish)


def prepare(pelican: Pelican) -> None:
    """Check settings and keywords.yaml, fix the site's URLs, and fetch when fetching is on.

    A bad setting or keywords file raises, which stops Pelican before it writes anything.
    """
    settings = pelican.settings
    digest = digest_settings.read(settings)
    config = keywords_config.load(digest.keywords_file)
    if settings.get("RELATIVE_URLS"):
        # A day's digest is rendered once and shown on its own page, on the index and in
        # the feed, so its links cannot be relative to each of those.
        raise digest_settings.SettingsError(
            "RELATIVE_URLS = True is not supported by arxiv-digest: leave SITEURL empty for "
            "a local preview (pelican --listen) and set it to the site's address to publish"
        )
    state = BuildState(digest, config)
    settings[STATE] = state
    if digest.fetch:
        with state.timed("fetch"):
            fetch_before_build(state, progress)
    # No site feed for an empty store: an empty feed would carry the build's time.
    fix_site_settings(settings, digest.store, site_feed=bool(day_files(digest.store)))


def finish(pelican: Pelican) -> None:
    """Once the site is written: the search index, then what went wrong, once."""
    state = state_of(pelican.settings)
    state.seconds["build"] = time.perf_counter() - state.build_started
    output, cache = Path(pelican.output_path), Path(pelican.settings["CACHE_PATH"])
    with state.timed("index"):
        build_search_index(state, output, cache, progress)
    for name in state.stale_files:  # a day or a category gone from the store
        (output / name).unlink(missing_ok=True)
    if state.manifest:  # the whole site is written: a rebuild may start from it
        write_manifest(cache, state.manifest)
    if state.index:
        state.index.close()
    report_fetch(state)
    report_status_log(state)
    report_store_problems(state)
    report_phases(state.seconds)
    state.clear()  # an autoreload rebuild reports only its own findings


def start_build(readers: Readers) -> None:
    """A build starts (Pelican makes its readers, once per generator, at the start of every
    build)."""
    state = state_of(readers.settings)
    state.build_started = time.perf_counter()
    if state.index:  # an autoreload build that stopped half-way: its records go
        state.index.abandon()
        state.index = None  # the reader opens it again (``buildindex.index_of``)


def progress(line: str) -> None:
    """A line on Pelican's console, as its own progress lines are printed."""
    console.print(line, markup=False, highlight=False)


def publish_newest_years(generator: ArticlesGenerator) -> None:
    """Drop the days older than ``ARXIV_ARCHIVE_YEARS`` from the site (never from the
    store) before anything is made of them: pages, archive, feeds, data files, .bib."""
    years = state_of(generator.settings).settings.archive_years
    if years is None or not generator.articles:
        return
    start = archive_start(max(a.day.date for a in generator.articles), years)
    generator.articles = [a for a in generator.articles if a.day.date >= start]
