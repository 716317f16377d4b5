"""Fetch runs as the fetch log records them, for the tests of the log, the store and the
status pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from arxiv_digest.model.fetchlog import KeywordRun, Outcome, Run, dump_log, log_path
from arxiv_digest_dev.sites import Project

# A run with every outcome (the fetch log's tests, the store's properties).
STARTED = datetime(2026, 11, 30, 1, 47, 5, tzinfo=UTC)
FINISHED = datetime(2026, 11, 30, 1, 47, 31, tzinfo=UTC)
RUN = Run(
    started=STARTED,
    finished=FINISHED,
    keywords=(
        KeywordRun("vad", Outcome.OK, new=3, revised=1),
        KeywordRun("vlm", Outcome.FAILED, reason="HTTP 503 from arXiv"),
        KeywordRun("diffusion", Outcome.SKIPPED, reason="3 keywords in a row failed"),
        KeywordRun("narrow", Outcome.NO_MATCH),
    ),
    changed_days=(date(2026, 11, 30), date(2026, 11, 27)),
)
# A good run, then a failed one, around the day DAY (the status pages, the browser tests).
DAY = date(2026, 1, 28)
# Tuesday 20:30 US Eastern: just after the announcement of the 28 January digest.
OK_FINISHED = datetime(2026, 1, 28, 1, 30, 12, tzinfo=UTC)
FAILED_FINISHED = OK_FINISHED + timedelta(days=1)
OK_RUN = Run(
    OK_FINISHED - timedelta(seconds=20),
    OK_FINISHED,
    (
        KeywordRun("vlm", Outcome.OK, new=2, revised=1),
        KeywordRun("software-testing", Outcome.NO_MATCH),
    ),
    changed_days=(DAY,),
)
FAILED_RUN = Run(
    FAILED_FINISHED - timedelta(seconds=20),
    FAILED_FINISHED,
    (
        KeywordRun("vlm", Outcome.FAILED, reason="HTTP 503 from arXiv <b>busy</b>"),
        KeywordRun("software-testing", Outcome.OK, new=1),
    ),
)


def write_log(project: Project, *runs: Run) -> Path:
    path = log_path(project.store)
    path.write_text(dump_log(runs), encoding="utf-8")
    return path
