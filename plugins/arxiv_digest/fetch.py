"""Fetch each keyword's newest papers from the arXiv API into the store.

The ``arxiv`` package owns paging and the pause between requests; one
:class:`arxiv.Client` serves the whole run. It has no timeout and no backoff, and
it takes an empty first page for "no papers", so this module wraps it:

* the client sends through a :class:`GuardedSession` that puts a timeout on every
  request and turns each way arXiv fails (429/503, an error entry, a body that is
  not XML) into a :class:`ArxivFailure` that says whether to retry;
* :class:`Fetcher` retries failed pages with backoff (honouring ``Retry-After``)
  within a time budget for the whole run, resuming at the result it had reached,
  and gives up the run at once when arXiv cannot be reached at all;
* a keyword stops paging at the first paper it already has at that version, so a
  daily run costs about one request per keyword.

What a keyword fetched is merged into the store only if the keyword completed:
a failure leaves its part of the store byte-for-byte as it was.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import arxiv
import requests
from lxml import etree

from .config import Config, Keyword
from .paper import Author, Paper, clean_text, split_id
from .query import build_query
from .schedule import announcement_day, parse_timestamp
from .settings import FetchSettings
from .store import Store

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER = 60.0  # longest wait for one retry; asked for more, the run stops asking
GIVE_UP_AFTER_FAILED_KEYWORDS = 3  # in a row: arXiv is struggling, stop asking
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH_TOTAL = "{http://a9.com/-/spec/opensearch/1.1/}totalResults"
ERROR_ID_PREFIX = ("https://arxiv.org/api/errors", "http://arxiv.org/api/errors")
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class ArxivFailure(Exception):
    """A request to arXiv did not give a usable page."""

    retryable = True

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Rejected(ArxivFailure):
    """arXiv refused the request itself (a bad query): asking again will not help."""

    retryable = False


class Unreachable(ArxivFailure):
    """No connection to arXiv at all: offline, a bad host name, a refused port."""


class NotAnswering(ArxivFailure):
    """arXiv accepted the connection but did not answer in time."""


class EmptyAnswer(ArxivFailure):
    """A page with no papers where papers were expected: one of arXiv's known glitches,
    unless it says, twice over, that nothing matches (``total`` is then 0)."""

    def __init__(self, message: str, total: int):
        super().__init__(message)
        self.total = total


class GuardedSession(requests.Session):
    """The HTTP session the arxiv client sends through.

    Adds the timeout the ``arxiv`` package lacks, counts requests, and raises an
    :class:`ArxivFailure` for every answer that is not a page of results.
    """

    def __init__(self, timeout: tuple[float, float], after_request: Callable[[], None]):
        super().__init__()
        self.timeout = timeout
        self.after_request = after_request  # called after every request, failed or not
        self.requests_made = 0
        self.total_results = 0  # what the last page said the whole search holds

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        self.requests_made += 1
        host = urlsplit(url).netloc
        try:
            response = super().request(method, url, *args, **kwargs)
            self.total_results = check_response(response)
        except requests.ConnectTimeout:
            raise Unreachable(f"no connection to {host} within {self.timeout[0]:g} s") from None
        except requests.ReadTimeout:
            raise NotAnswering(f"{host} did not answer within {self.timeout[1]:g} s") from None
        except requests.ConnectionError as err:
            raise Unreachable(f"cannot connect to {host} ({_root_cause(err)})") from None
        except requests.RequestException as err:
            raise ArxivFailure(f"request to {host} failed ({_root_cause(err)})") from None
        finally:
            self.after_request()
        return response


def check_response(response: requests.Response) -> int:
    """The number of results the search holds, from a well-formed page of them;
    raises :class:`ArxivFailure` for any other answer."""
    status = response.status_code
    if status == 429 or status >= 500:
        raise ArxivFailure(
            f"HTTP {status} from arXiv",
            retry_after=_retry_after(response.headers.get("Retry-After")),
        )
    try:
        feed = etree.fromstring(response.content, SAFE_XML)
    except etree.XMLSyntaxError as err:
        if status != 200:
            raise Rejected(f"HTTP {status} from arXiv") from None
        raise ArxivFailure(f"arXiv sent a page that is not valid XML ({err})") from None
    errors = [
        clean_text(entry.findtext(f"{ATOM}summary"))
        for entry in feed.iter(f"{ATOM}entry")
        if (entry.findtext(f"{ATOM}id") or "").startswith(ERROR_ID_PREFIX)
    ]
    if status != 200:
        message = f": {errors[0]}" if errors else ""
        raise Rejected(f"arXiv rejected the request (HTTP {status}){message}")
    if errors:
        raise ArxivFailure(f"arXiv answered with an error: {errors[0]}")
    try:
        return int(feed.findtext(OPENSEARCH_TOTAL) or 0)
    except ValueError:
        return 0


def _retry_after(header: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _root_cause(err: BaseException) -> str:
    while err.__context__ is not None or err.__cause__ is not None:
        err = err.__cause__ or err.__context__
    return str(err) or type(err).__name__


def paper_from_result(result: arxiv.Result, keyword: str) -> Paper:
    """A Paper from an arxiv Result; raises ValueError when arXiv's id is not an arXiv id."""
    paper_id, version = split_id(result.get_short_id())
    categories = [clean_text(c) for c in result.categories]
    primary = clean_text(result.primary_category) or (categories[0] if categories else "")
    return Paper(
        id=paper_id,
        version=version,
        title=clean_text(result.title),
        authors=tuple(
            Author(clean_text(a.name), tuple(clean_text(x) for x in a.affiliation))
            for a in result.authors
        ),
        abstract=clean_text(result.summary),
        comment=clean_text(result.comment),
        journal_ref=clean_text(result.journal_ref),
        doi=clean_text(result.doi),
        primary_category=primary,
        categories=tuple(dict.fromkeys([primary, *categories]) if primary else categories),
        published=_timestamp(result.published),
        updated=_timestamp(result.updated),
        keywords=(keyword,),
    )


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class KeywordReport:
    """What fetching one keyword did."""

    keyword: Keyword
    requests: int = 0
    new: int = 0
    revised: int = 0
    error: str | None = None  # the keyword failed: its papers in the store are unchanged
    skipped: bool = False  # not asked at all, because arXiv had already failed
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


@dataclass
class FetchReport:
    keywords: list[KeywordReport] = field(default_factory=list)
    changed_files: list[Path] = field(default_factory=list)

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


class Fetcher:
    """Asks arXiv for keywords' newest papers through one client, politely."""

    def __init__(
        self,
        settings: FetchSettings,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self.sleep = sleep
        self.session = GuardedSession(settings.timeout, after_request=self._count_for_pause)
        self.client = arxiv.Client(delay_seconds=settings.delay, num_retries=0)
        # arxiv.Client has no hook for a session or an endpoint; both are plain attributes.
        self.client._session = self.session
        self.client.query_url_format = settings.api_url + "?{}"
        self.budget = settings.retry_budget
        self.gave_up: str | None = None  # why the rest of the run is skipped

    def _count_for_pause(self) -> None:
        # The client only starts its pause after a request that succeeded; a failed one
        # must keep arXiv's three seconds too, so it restarts the pause after every one.
        self.client._last_request_dt = datetime.now()

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
        search = arxiv.Search(
            query=build_query(keyword),
            max_results=keyword.max_papers,
            sort_by=arxiv.SortCriterion.LastUpdatedDate,
            sort_order=arxiv.SortOrder.Descending,
        )
        page_size = self.client.page_size = min(keyword.max_papers, self.settings.page_size)
        papers: list[Paper] = []
        consumed = 0  # results read so far, skipped ones included: where to resume
        reached_stored = False
        attempt = 1
        while True:
            try:
                received = 0
                for result in self.client.results(search, offset=consumed):
                    received += 1
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
                if received == 0:
                    raise EmptyAnswer(
                        "arXiv sent an empty page where results were expected",
                        total=self.session.total_results,
                    )
                return papers, reached_stored
            except arxiv.UnexpectedEmptyPageError:
                failure = ArxivFailure("arXiv sent an empty page in the middle of the results")
            except arxiv.HTTPError as err:  # statuses the guard lets through, e.g. 404
                failure = Rejected(f"HTTP {err.status} from {self.settings.api_url}")
            except ArxivFailure as err:
                failure = err
            except Exception as err:  # the arxiv package choking on what arXiv sent
                failure = ArxivFailure(f"arXiv sent a page that cannot be read ({err!r})")
            self.retry_or_raise(failure, attempt)
            attempt += 1

    def retry_or_raise(self, failure: ArxivFailure, attempt: int) -> None:
        """Wait before the next attempt, or raise when retrying is pointless or too costly."""
        if isinstance(failure, Unreachable | NotAnswering) and attempt > 1:
            # A second connection failure or hang in a row: asking for other keywords
            # would only waste minutes, so the rest of the run is skipped.
            self.gave_up = str(failure)
            raise failure
        if not failure.retryable:
            raise failure
        asked = failure.retry_after or 0.0
        if asked > min(MAX_RETRY_AFTER, self.budget):
            # Asking again before the time arXiv named, for this keyword or any other,
            # is what its rate limit punishes: the rest of the run is skipped.
            self.gave_up = f"arXiv asked to wait {asked:.0f} s, longer than this run may wait"
            raise ArxivFailure(f"{failure}; {self.gave_up}")
        confirmed_empty = isinstance(failure, EmptyAnswer) and failure.total == 0 and attempt >= 2
        if attempt >= self.settings.max_attempts or confirmed_empty:
            raise failure
        backoff = min(self.settings.delay * 2 ** (attempt - 1), MAX_RETRY_AFTER)
        wait = max(backoff, asked)
        if wait > self.budget:
            raise ArxivFailure(f"{failure} (no retry budget left)")
        self.budget -= wait
        logger.info("arXiv: %s; retrying in %.0f s", failure, wait)
        self.sleep(wait)
        # The backoff, never shorter than the delay, was this request's pause as well.
        self.client._last_request_dt = datetime.now() - timedelta(seconds=self.settings.delay)


def fetch(
    config: Config,
    store: Store,
    settings: FetchSettings,
    progress: Callable[[str], None] = lambda line: None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """Fetch every keyword and merge what completed into the store.

    A store file that does not parse stops the run before any request (StoreError).
    """
    stored: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    for day in store.days():
        for paper in day.papers:
            stored[paper.id, paper.version].update(paper.keywords)

    keywords_stored = set().union(*stored.values())
    fetcher = Fetcher(settings, sleep=sleep)
    report = FetchReport()
    found: list[Paper] = []
    failed_in_a_row = 0
    total = len(config.keywords)
    for number, keyword in enumerate(config.keywords, start=1):
        entry = KeywordReport(keyword)
        report.keywords.append(entry)
        where = f"[{number}/{total}] {keyword.name}"
        if fetcher.gave_up:
            entry.error, entry.skipped = fetcher.gave_up, True
            progress(f"{where}: {entry.outcome()}")
            continue
        progress(f"{where}: asking arXiv")
        before = fetcher.session.requests_made
        has_papers = keyword.slug in keywords_stored
        failure: ArxivFailure | None = None
        try:
            papers, reached_stored = fetcher.newest(
                keyword,
                is_stored=lambda p, slug=keyword.slug: slug in stored.get((p.id, p.version), ()),
                progress=lambda n, where=where: progress(f"{where}: {n} papers so far"),
            )
        except EmptyAnswer as empty:
            failure = empty
            if not empty.total and not has_papers:
                # Twice "nothing matches", and nothing ever did: a new or narrow topic.
                papers, reached_stored, failure = [], True, None
                entry.note = "arXiv has no paper for it yet; check its terms"
        except ArxivFailure as arxiv_failure:
            failure = arxiv_failure
        entry.requests = fetcher.session.requests_made - before
        if failure:
            entry.error = str(failure)
            failed_in_a_row += 1
            if failed_in_a_row >= GIVE_UP_AFTER_FAILED_KEYWORDS and not fetcher.gave_up:
                fetcher.gave_up = f"{failed_in_a_row} keywords in a row failed"
            progress(f"{where}: {entry.outcome()}")
            continue
        failed_in_a_row = 0
        if has_papers and not reached_stored:
            entry.note = (
                f"all its newest {len(papers)} papers were new: older ones may be missing; "
                "raise its max_papers to reach back further"
            )
        entry.revised = sum(p.is_revision for p in papers)
        entry.new = len(papers) - entry.revised
        found.extend(papers)
        progress(f"{where}: {entry.outcome()}")

    report.changed_files = store.merge(by_day(found, settings.holidays))
    return report


def by_day(papers: Iterable[Paper], holidays: Iterable[date] = ()) -> dict[date, list[Paper]]:
    """Papers grouped by the digest day that announces them."""
    holidays = frozenset(holidays)
    days: dict[date, list[Paper]] = defaultdict(list)
    for paper in papers:
        days[announcement_day(parse_timestamp(paper.updated), holidays)].append(paper)
    return dict(days)
