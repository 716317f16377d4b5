"""The status at build time: the fetch log read into a Status, its files, and a broken log
reported after the build.

The Status lives in the templates' context only, never in Pelican's settings: the log
changes with every fetch, and the digest bodies (``cache``) must not be rendered again
for it. A broken log is one ERROR after the site is written, like a failed fetch, so
``pelican --fatal errors`` exits non-zero only after the rest of the site is built.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from ..model.fetchlog import FetchLogError, log_path, read_log
from ..pages.status import Status, badge_json, json_text, site_status, status_json
from ..pages.urls import STATUS, STATUS_BADGE, STATUS_JSON
from .output import write_text
from .state import BuildState

logger = logging.getLogger(__name__)


def read_status(state: BuildState, newest_digest: date | None) -> Status | None:
    """The status from the store's fetch log; None (and the state says why) when the log
    cannot be read."""
    try:
        runs = read_log(log_path(state.settings.store))
    except FetchLogError as err:
        state.log_error = str(err)
        return None
    keywords, holidays = state.config.keywords, state.settings.fetching.holidays
    return site_status(runs, keywords, newest_digest, holidays)


def write_status_files(status: Status, output: Path) -> None:
    """``/status.json`` and ``/status-badge.json``: the same status gives the same bytes."""
    for url, data in ((STATUS_JSON, status_json(status)), (STATUS_BADGE, badge_json(status))):
        write_text(output / url, json_text(data))


def report_status_log(state: BuildState) -> None:
    """After the site is written: one ERROR when the fetch log could not be read."""
    if not state.log_error:
        return
    logger.error(
        "The fetch log cannot be read, so /%s, /%s and /%s are not written and the "
        "footers carry no status:\n  %s",
        STATUS,
        STATUS_JSON,
        STATUS_BADGE,
        state.log_error,
    )
