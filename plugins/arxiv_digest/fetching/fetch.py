"""Fetch each keyword's newest papers from the arXiv API into the store.

The ``arxiv`` package is reached only through :mod:`.client`; this module
runs the fetch:

* :class:`Fetcher` asks for one keyword's newest papers, retrying failed pages with
  backoff (honouring ``Retry-After``) and resuming at the result it had reached;
  it stops paging at the first paper already stored at that version, so a daily
  run costs about one request per keyword;
* :class:`RunBudget` decides, in one place, when to wait and retry, when to give up
  a keyword, and when to give up the rest of the run;
* :func:`fetch` asks for every keyword, files what completed into its digests
  (:mod:`.filing`) and logs what the run did (:mod:`.fetchlog`).

What a keyword fetched is merged into the store only if the keyword completed:
a failure leaves its part of the store byte-for-byte as it was. Every run, failed or
not, adds one line to the fetch log, which the status page is built from. A run holds
the store's lock (:mod:`..model.lock`) throughout, and writes its day files and its log
line together, all or none (:mod:`..model.writing`).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..model.fetchlog import (
    KEEP_RUNS,
    KeywordRun,
    Outcome,
    Run,
    dump_log,
    log_path,
    read_log,
    record_run,
)
from ..model.keywords import Config, Keyword
from ..model.lock import LOCK_WAIT, Holder, StoreLock, hold_store
from ..model.paper import Paper
from ..model.settings import FetchSettings
from ..model.store import Store, StoreError, day_path
from ..model.writing import StoreWriteError, recover, write_together
from .client import (
    ArxivClient,
    ArxivFailure,
    EmptyAnswer,
    NotAnswering,
    Unreachable,
    paper_from_result,
)
from .filing import PaperKey, StoreBefore, file_papers
from .query import build_query

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER = 60.0  # longest wait for one retry; asked for more, the run stops asking
GIVE_UP_AFTER_FAILED_KEYWORDS = 3  # in a row: arXiv is struggling, stop asking


@dataclass
class KeywordReport:
    """What fetching one keyword did."""

    keyword: Keyword
    requests: int = 0
    new: int = 0
    revised: int = 0
    error: str | None = None  # the keyword failed: its papers in the store are unchanged
    skipped: bool = False  # not asked at all, because arXiv had already failed
    no_match: bool = False  # arXiv has no paper for it yet: fetched, nothing to store
    note: str | None = None  # fetched, but worth a look

    def outcome(self) -> str:
        requests = f"{self.requests} request{'s' * (self.requests != 1)}"
        if self.skipped:
            return f"skipped: {self.error}"
        if self.error:
            return f"FAILED after {requests}: {self.error}"
        counts = f"{requests}, {self.new} new, {self.revised} revised"
        return f"{counts} ({self.note})" if self.note else counts

    def line(self) -> str:
        return f"{self.keyword.name}: {self.outcome()}"

    def logged(self) -> KeywordRun:
        """What the fetch log keeps of it."""
        slug = self.keyword.slug
        if self.skipped:
            return KeywordRun(slug, Outcome.SKIPPED, reason=self.error or "")
        if self.error:
            return KeywordRun(slug, Outcome.FAILED, reason=self.error)
        if self.no_match:
            return KeywordRun(slug, Outcome.NO_MATCH)
        return KeywordRun(slug, Outcome.OK, new=self.new, revised=self.revised)


@dataclass
class FetchReport:
    keywords: list[KeywordReport] = field(default_factory=list)
    changed_files: list[Path] = field(default_factory=list)  # day files; the log changes too

    @property
    def failures(self) -> list[KeywordReport]:
        return [k for k in self.keywords if k.error]

    @property
    def requests(self) -> int:
        return sum(k.requests for k in self.keywords)

    def summary(self) -> str:
        files = len(self.changed_files)
        lines = [
            f"arXiv fetch: {self.requests} request{'s' * (self.requests != 1)}, "
            f"{files} day file{'s' * (files != 1)} changed"
        ]
        lines += ["  " + k.line() for k in self.keywords]
        return "\n".join(lines)


@dataclass
class RunBudget:
    """Every rule for giving up, in one place.

    A keyword is given up when arXiv rejects its request, when its attempts or the
    run's waiting time are spent. The rest of the run is given up (:attr:`gave_up`
    says why) on a second connection failure or hang in a row, on a ``Retry-After``
    longer than the run may wait, and when several keywords in a row failed.
    """

    settings: FetchSettings
    seconds_left: float = field(init=False)  # waiting time left for retries, the whole run
    failed_in_a_row: int = 0  # keywords
    gave_up: str | None = None  # why the rest of the run is skipped

    def __post_init__(self) -> None:
        self.seconds_left = self.settings.retry_budget

    def wait_before_retry(self, failure: ArxivFailure, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt + 1``; raises an :class:`ArxivFailure`
        when retrying is pointless or too costly."""
        if isinstance(failure, Unreachable | NotAnswering) and attempt > 1:
            # A second connection failure or hang in a row: asking for other keywords
            # would only waste minutes, so the rest of the run is skipped.
            self.gave_up = str(failure)
            raise failure
        if not failure.retryable:
            raise failure
        asked = failure.retry_after or 0.0
        if asked > min(MAX_RETRY_AFTER, self.seconds_left):
            # Asking again before the time arXiv named, for this keyword or any other,
            # is what its rate limit punishes: the rest of the run is skipped.
            self.gave_up = f"arXiv asked to wait {asked:.0f} s, longer than this run may wait"
            raise ArxivFailure(f"{failure}; {self.gave_up}")
        confirmed_empty = isinstance(failure, EmptyAnswer) and failure.total == 0 and attempt >= 2
        if attempt >= self.settings.max_attempts or confirmed_empty:
            raise failure
        backoff = min(self.settings.delay * 2.0 ** (attempt - 1), MAX_RETRY_AFTER)
        wait = max(backoff, asked)
        if wait > self.seconds_left:
            raise ArxivFailure(f"{failure} (no retry budget left)")
        self.seconds_left -= wait
        return wait

    def keyword_ended(self, failed: bool) -> None:
        """Count a keyword that failed or completed."""
        if not failed:
            self.failed_in_a_row = 0
            return
        self.failed_in_a_row += 1
        if self.failed_in_a_row >= GIVE_UP_AFTER_FAILED_KEYWORDS and not self.gave_up:
            self.gave_up = f"{self.failed_in_a_row} keywords in a row failed"


class Fetcher:
    """Asks arXiv for keywords' newest papers through one client, politely."""

    def __init__(
        self,
        settings: FetchSettings,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self.sleep = sleep
        self.client = ArxivClient(settings.api_url, settings.delay, settings.timeout)
        self.budget = RunBudget(settings)

    def newest(
        self,
        keyword: Keyword,
        is_stored: Callable[[Paper], bool],
        progress: Callable[[int], None] = lambda papers: None,
    ) -> tuple[list[Paper], bool]:
        """The keyword's newest papers down to the page that holds one already stored,
        and whether such a paper was reached.

        The rest of that page is read too: it costs no request, and it holds the papers
        arXiv announced late (held in moderation, their update older than the last fetch).
        Raises :class:`ArxivFailure` when arXiv keeps failing; nothing is returned then.
        """
        query = build_query(keyword)
        page_size = min(keyword.max_papers, self.settings.page_size)
        papers: list[Paper] = []
        consumed = 0  # results read so far, skipped ones included: where to resume
        reached_stored = False
        attempt = 1
        while True:
            try:
                for result in self.client.results(query, keyword.max_papers, page_size, consumed):
                    consumed += 1
                    try:
                        paper = paper_from_result(result, keyword.slug)
                    except ValueError as err:
                        logger.warning("Skipping an arXiv entry for %r: %s", keyword.name, err)
                        continue
                    if is_stored(paper):
                        reached_stored = True
                    else:
                        papers.append(paper)
                    if consumed % page_size == 0:
                        if reached_stored:
                            return papers, True
                        progress(len(papers))
                return papers, reached_stored
            except ArxivFailure as failure:
                wait = self.budget.wait_before_retry(failure, attempt)
                logger.info("arXiv: %s; retrying in %.0f s", failure, wait)
                self.sleep(wait)
                # The backoff, never shorter than the delay, was this request's pause as well.
                self.client.count_wait_as_pause()
                attempt += 1


def fetch(
    config: Config,
    store: Store,
    settings: FetchSettings,
    progress: Callable[[str], None] = lambda line: None,
    sleep: Callable[[float], None] = time.sleep,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    lock_wait: float | None = None,
) -> FetchReport:
    """Fetch every keyword, file what completed into its digests, and log the run.

    The run holds the store's lock from before it reads the store until its line is in
    the log, waiting up to ``lock_wait`` seconds (:data:`LOCK_WAIT`) for another fetch to
    finish (StoreBusy after that). It first finishes or undoes the writes of a fetch that
    was stopped, and logs one that was stopped before it stored anything. ``clock``
    (aware) is read when the run starts, which fixes the digest a paper listed late goes
    into, and when it ends. A store file or the fetch log not parsing stops the run before
    any request (StoreError); a broken day file is logged as the run's error. The day files
    and the log line are written together, all or none: a full disk raises
    StoreWriteError naming the file, after logging the run if the log can be written.
    """
    wait = LOCK_WAIT if lock_wait is None else lock_wait
    with hold_store(store.root, wait=wait, progress=progress) as lock:
        started = clock()
        log = log_path(store.root)

        def finished() -> datetime:
            return max(clock(), started)  # a clock set back during the run is no reason to fail

        runs = _take_over(lock, store.root, started)
        try:
            days = store.days()
        except StoreError as err:
            _log_if_possible(log, Run(started, finished(), error=str(err)))
            raise
        stored: dict[PaperKey, set[str]] = defaultdict(set)  # each stored version's keywords
        for day in days:
            for paper in day.papers:
                stored[paper.id, paper.version].update(paper.keywords)
        try:
            report, found = _fetch_keywords(config, stored, settings, progress, sleep)
            filed = file_papers(found, StoreBefore.of(days), started, settings.holidays)
            changes = store.changes(filed)
        except Exception as err:
            # Whatever stopped the run, the log says that it ran and why it stopped.
            _log_if_possible(log, Run(started, finished(), error=f"the fetch stopped: {err!r}"))
            raise
        report.changed_files = list(changes)
        changed_days = tuple(day for day in filed if day_path(store.root, day) in changes)
        keywords = tuple(entry.logged() for entry in report.keywords)
        run = Run(started, finished(), keywords, changed_days)
        texts = {**changes, log: dump_log((*runs, run)[-KEEP_RUNS:])}
        try:
            write_together(store.root, texts, before_done=lock.finish)
        except StoreWriteError as err:
            if err.decided:
                raise
            # Nothing of this run's answers is stored: its line says so, if it can be written.
            unstored = Run(
                started,
                finished(),
                tuple(_not_stored(k) for k in keywords),
                error=f"nothing it fetched was stored: {err}",
            )
            logged = _log_if_possible(log, unstored)
            raise StoreWriteError(
                f"{err}; nothing this fetch found was stored{_unless(logged)}"
            ) from None
        return report


def _take_over(lock: StoreLock, root: Path, started: datetime) -> tuple[Run, ...]:
    """Say who holds the lock, finish or undo the writes of a fetch that was stopped, and
    log one that stored nothing; returns the logged runs. A full disk shows here, before
    arXiv is asked anything; a log that cannot be read stops the run before it is written
    over."""
    log = log_path(root)
    try:
        lock.claim(Holder(os.getpid(), socket.gethostname(), started))
        recovery = recover(root)
    except StoreWriteError as err:
        logged = _log_if_possible(log, Run(started, started, error=str(err)))
        raise StoreWriteError(f"{err}; nothing was fetched{_unless(logged)}") from None
    runs = read_log(log)
    if lock.interrupted and not recovery.finished:
        runs = record_run(log, _interrupted(lock.interrupted_fetch, started))
    return runs


def _interrupted(fetch: Holder | None, now: datetime) -> Run:
    """The log line of a fetch that was stopped (killed, or its machine went down) before it
    stored anything; its start is the one its lock line gave, if it could be read."""
    who = f"the fetch by {fetch}" if fetch else "a fetch"
    started = fetch.started if fetch else now
    return Run(
        started,
        started,
        error=f"{who} did not finish: it was stopped before it stored anything it fetched",
    )


def _not_stored(keyword: KeywordRun) -> KeywordRun:
    """A keyword's outcome when nothing of its answer could be stored."""
    if keyword.failed:
        return keyword
    return KeywordRun(keyword.slug, Outcome.FAILED, reason="fetched, but it could not be stored")


def _log_if_possible(log: Path, run: Run) -> bool:
    """Add a failed run's line to the log; whether it could be written."""
    try:
        record_run(log, run)
    except (StoreError, StoreWriteError):
        return False
    return True


def _unless(logged: bool) -> str:
    return "" if logged else ", and the fetch log could not be written either"


def _fetch_keywords(
    config: Config,
    stored: Mapping[PaperKey, set[str]],
    settings: FetchSettings,
    progress: Callable[[str], None],
    sleep: Callable[[float], None],
) -> tuple[FetchReport, list[Paper]]:
    """Ask arXiv for every keyword: what each did, and the papers the completed ones found."""
    keywords_stored: set[str] = set().union(*stored.values())
    fetcher = Fetcher(settings, sleep=sleep)
    budget = fetcher.budget
    report = FetchReport()
    found: list[Paper] = []
    total = len(config.keywords)
    for number, keyword in enumerate(config.keywords, start=1):
        entry = KeywordReport(keyword)
        report.keywords.append(entry)
        where = f"[{number}/{total}] {keyword.name}"
        if budget.gave_up:
            entry.error, entry.skipped = budget.gave_up, True
            progress(f"{where}: {entry.outcome()}")
            continue
        progress(f"{where}: asking arXiv")
        requests_before = fetcher.client.requests_made
        has_papers = keyword.slug in keywords_stored
        failure: ArxivFailure | None = None

        def is_stored(paper: Paper, slug: str = keyword.slug) -> bool:
            return slug in stored.get((paper.id, paper.version), ())

        def papers_so_far(count: int, where: str = where) -> None:
            progress(f"{where}: {count} papers so far")

        try:
            papers, reached_stored = fetcher.newest(keyword, is_stored, papers_so_far)
        except EmptyAnswer as empty:
            failure = empty
            if not empty.total and not has_papers:
                # Twice "nothing matches", and nothing ever did: a new or narrow topic.
                papers, reached_stored, failure = [], True, None
                entry.no_match = True
                entry.note = "arXiv has no paper for it yet; check its terms"
        except ArxivFailure as arxiv_failure:
            failure = arxiv_failure
        entry.requests = fetcher.client.requests_made - requests_before
        budget.keyword_ended(failed=failure is not None)
        if failure:
            entry.error = str(failure)
            progress(f"{where}: {entry.outcome()}")
            continue
        if has_papers and not reached_stored:
            entry.note = (
                f"all its newest {len(papers)} papers were new: older ones may be missing; "
                "raise its max_papers to reach back further"
            )
        entry.revised = sum(p.is_revision for p in papers)
        entry.new = len(papers) - entry.revised
        found.extend(papers)
        progress(f"{where}: {entry.outcome()}")
    return report, found
