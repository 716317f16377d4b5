"""The search index, built once the site is written (Pelican finalised).

Pelican may empty the output folder when a build starts, so the bundles go in last. The
generator leaves the days it read in the build's Run: the store is not read twice. A
missing or failing Pagefind is one ERROR that says what to install, so ``pelican
--fatal errors`` fails, and everything else of the site is already written.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pelican.log import console

from ..search.pagefind import SearchError, build_index, find_indexer
from .state import STATE, Run

if TYPE_CHECKING:
    from pelican import Pelican

logger = logging.getLogger(__name__)

CACHE_FOLDER = "arxiv-digest-search"  # in CACHE_PATH: each month's bundle, by its key


def build_search_index(pelican: Pelican) -> None:
    """Index the days this build read into ``output/search/index/``; off with ARXIV_SEARCH."""
    run: Run | None = pelican.settings.get(STATE)
    if run is None or not run.settings.search:
        return
    # The days are held no longer than this (a year is ~300 MB), nor indexed twice.
    pelican.settings[STATE] = replace(run, days=())
    start = time.perf_counter()
    try:
        indexer = find_indexer(run.settings.pagefind_binary)
        report = build_index(
            run.days,
            {keyword.slug: keyword.name for keyword in run.config.keywords},
            Path(pelican.output_path),
            Path(pelican.settings["CACHE_PATH"]) / CACHE_FOLDER,
            indexer,
            progress=_progress,
        )
    except SearchError as err:
        logger.error("Search: %s. The rest of the site was written.", err)
        return
    _progress(
        f"Search: {report.records} records in {len(report.bundles)} monthly bundles "
        f"({len(report.indexed)} indexed, {len(report.reused)} reused) "
        f"in {time.perf_counter() - start:.1f} s"
    )


def _progress(line: str) -> None:
    console.print(line, markup=False, highlight=False)
