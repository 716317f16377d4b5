"""The status at build time: the fetch log read into a Status, its files, and a broken log
reported after the build.

The Status lives in the templates' context only, never in Pelican's settings: the log
changes with every fetch, and the digest bodies (``cache``) must not be rendered again
for it. A broken log is one ERROR after the site is written, like a failed fetch, so
``pelican --fatal errors`` exits non-zero only after the rest of the site is built.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.fetchlog import FetchLogError, log_path, read_log
from ..pages.status import Status, badge_json, json_text, site_status, status_json
from ..pages.urls import STATUS, STATUS_BADGE, STATUS_JSON
from .state import STATE, Run

if TYPE_CHECKING:
    from pelican import Pelican

logger = logging.getLogger(__name__)


def read_status(run: Run, newest_digest: date | None) -> tuple[Status | None, str | None]:
    """The status from the store's fetch log; (None, why) when the log cannot be read."""
    try:
        runs = read_log(log_path(run.settings.store))
    except FetchLogError as err:
        return None, str(err)
    status = site_status(runs, run.config.keywords, newest_digest, run.settings.fetching.holidays)
    return status, None


def write_status_files(status: Status, output: Path) -> None:
    """``/status.json`` and ``/status-badge.json``: the same status gives the same bytes."""
    for url, data in ((STATUS_JSON, status_json(status)), (STATUS_BADGE, badge_json(status))):
        path = output / url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json_text(data), encoding="utf-8")


def report_status_log(pelican: Pelican) -> None:
    """After the site is written: one ERROR when the fetch log could not be read."""
    run: Run | None = pelican.settings.get(STATE)
    if run is None or not run.log_error:
        return
    pelican.settings[STATE] = replace(run, log_error=None)  # once per build
    logger.error(
        "The fetch log cannot be read, so /%s, /%s and /%s are not written and the "
        "footers carry no status:\n  %s",
        STATUS,
        STATUS_JSON,
        STATUS_BADGE,
        run.log_error,
    )
