"""Fetching before a build, and its one report after the build.

The fetch runs once per Pelican instance, when it is initialised, before anything is
read; its failures are reported as one ERROR after the site is written, so
``pelican --fatal errors`` still exits non-zero but only after a complete build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..model.store import Store, StoreError
from ..model.writing import StoreWriteError
from .state import BuildState

logger = logging.getLogger(__name__)


def fetch_before_build(state: BuildState, progress: Callable[[str], None]) -> None:
    """Fetch the newest papers into the store; the state keeps how it went."""
    from ..fetching.fetch import fetch

    try:
        store = Store(state.settings.store)
        report = fetch(state.config, store, state.settings.fetching, progress=progress)
    except StoreError as err:
        state.fetch_error = f"the store cannot be read, nothing was fetched: {err}"
        return
    except StoreWriteError as err:  # another fetch holds the store, or the disk is full
        state.fetch_error = str(err)
        return
    except Exception as err:  # whatever went wrong, the site is built from the store
        logger.debug("The fetch failed", exc_info=True)
        state.fetch_error = f"the fetch stopped: {err!r}"
        return
    progress(report.summary())
    state.fetch_report = report


def report_fetch(state: BuildState) -> None:
    """After the site is written: one ERROR for everything the fetch could not do."""
    problems = []
    if state.fetch_error:
        problems.append(state.fetch_error)
    if state.fetch_report:
        problems += [failure.line() for failure in state.fetch_report.failures]
    if problems:
        logger.error(
            "arXiv fetch failed; the site was built from the papers already stored:\n  %s",
            "\n  ".join(problems),
        )
