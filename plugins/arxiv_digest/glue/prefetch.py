"""Fetching before a build, and its one report after the build.

The fetch runs once per Pelican instance, when it is initialised, before anything is
read; its failures are reported as one ERROR after the site is written, so
``pelican --fatal errors`` still exits non-zero but only after a complete build.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from pelican.log import console

from ..model.store import Store, StoreError
from ..model.writing import StoreWriteError
from .state import STATE, Run

if TYPE_CHECKING:
    from pelican import Pelican

logger = logging.getLogger(__name__)


def fetch_before_build(run: Run) -> Run:
    """Fetch the newest papers into the store; the Run says how it went."""
    from ..fetching.fetch import fetch

    try:
        store = Store(run.settings.store)
        report = fetch(run.config, store, run.settings.fetching, progress=_progress)
    except StoreError as err:
        return replace(run, fetch_error=f"the store cannot be read, nothing was fetched: {err}")
    except StoreWriteError as err:  # another fetch holds the store, or the disk is full
        return replace(run, fetch_error=str(err))
    except Exception as err:  # whatever went wrong, the site is built from the store
        logger.debug("The fetch failed", exc_info=True)
        return replace(run, fetch_error=f"the fetch stopped: {err!r}")
    _progress(report.summary())
    return replace(run, fetch_report=report)


def _progress(line: str) -> None:
    console.print(line, markup=False, highlight=False)


def report_fetch(pelican: Pelican) -> None:
    """After the site is written: one ERROR for everything the fetch could not do."""
    run: Run | None = pelican.settings.get(STATE)
    if run is None:
        return
    problems = []
    if run.fetch_error:
        problems.append(run.fetch_error)
    if run.fetch_report:
        problems += [failure.line() for failure in run.fetch_report.failures]
    # Report once per Pelican instance, not again on every autoreload rebuild.
    pelican.settings[STATE] = replace(run, fetch_report=None, fetch_error=None)
    if problems:
        logger.error(
            "arXiv fetch failed; the site was built from the papers already stored:\n  %s",
            "\n  ".join(problems),
        )
