"""The search index, built once the site is written (Pelican finalised).

Pelican may empty the output folder when a build starts, so the bundles go in last. The
generator leaves the days it read in the build state: the store is not read twice. A
missing or failing Pagefind is one ERROR that says what to install, so ``pelican
--fatal errors`` fails, and everything else of the site is already written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from ..search.pagefind import SearchError, build_index, find_indexer
from .state import BuildState

logger = logging.getLogger(__name__)

CACHE_FOLDER = "arxiv-digest-search"  # in CACHE_PATH: each month's bundle, by its key


def build_search_index(
    state: BuildState, output: Path, cache: Path, progress: Callable[[str], None]
) -> None:
    """Index the days this build read into ``output/search/index/``; off with ARXIV_SEARCH."""
    if not state.settings.search:
        return
    start = time.perf_counter()
    try:
        indexer = find_indexer(state.settings.pagefind_binary)
        report = build_index(
            state.days,
            {keyword.slug: keyword.name for keyword in state.config.keywords},
            output,
            cache / CACHE_FOLDER,
            indexer,
            progress=progress,
            abstracts_from=state.abstracts_from,
        )
    except SearchError as err:
        logger.error("Search: %s. The rest of the site was written.", err)
        return
    progress(
        f"Search: {report.records} records in {len(report.bundles)} monthly bundles "
        f"({len(report.indexed)} indexed, {len(report.reused)} reused) "
        f"in {time.perf_counter() - start:.1f} s"
    )
