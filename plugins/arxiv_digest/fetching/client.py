"""The one place that touches the ``arxiv`` package: its client, its session, its results.

One ``arxiv.Client`` serves the run: through its public API it pages through each search,
pauses between requests and reads every page into ``arxiv.Result``s, the one time the page
is parsed. It has no timeout, no backoff, and it takes an empty first page for "no papers";
this module fills those gaps through two internals:

* ``Client._session``: a :class:`GuardedSession` that puts a timeout on every request
  and turns each way arXiv fails (429/503, an error entry, a page cut short, no answer)
  into an :class:`ArxivFailure` that says whether to retry; it parses an answer only when
  a quick look finds it wrong;
* ``Client._last_request_dt``: the start of the pause, restarted after every request (the
  client restarts it only after one that succeeded) and set back after a retry's wait.

The client's own retries stay off: it asks again at once, ignoring ``Retry-After``, so the
fetcher retries instead, with backoff. :data:`RELIES_ON` names everything used beyond
``Search`` and ``Result``; ``tests/test_arxiv_client.py`` checks each against the installed
release.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import arxiv
import requests
from lxml import etree

from ..model.paper import Author, Paper, clean_text, split_id
from ..model.schedule import in_stored_years

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH_TOTAL = "{http://a9.com/-/spec/opensearch/1.1/}totalResults"
ERROR_ID_PREFIX = ("https://arxiv.org/api/errors", "http://arxiv.org/api/errors")
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

# What this module relies on in the arxiv package beyond ``Search`` and ``Result``; the names
# with an underscore are its internals.
RELIES_ON: dict[str, str] = {
    "arxiv.Client(delay_seconds, num_retries)": "how the run's one client is built",
    "arxiv.Client.results(search, offset)": "the search's results from offset on, paged",
    "arxiv.Client.query_url_format": "the endpoint: a str with one '{}' for the query string",
    "arxiv.Client.page_size": "the results asked for in each request (max_results), "
    "read at every page, so each search sets its own",
    "arxiv.Client._session": "the requests.Session every page request is sent through",
    "arxiv.Client._last_request_dt": "read before every request, which waits until "
    "delay_seconds have passed since it (a naive datetime.now(), or None)",
    "arxiv.UnexpectedEmptyPageError": "raised for an empty page after the first",
}


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
        self.last_page = b""  # read again only when the client finds no paper in it

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        self.requests_made += 1
        host = urlsplit(url if isinstance(url, str) else url.decode()).netloc
        try:
            response = super().request(method, url, *args, **kwargs)
            check_response(response)
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
        self.last_page = response.content
        return response


def check_response(response: requests.Response) -> None:
    """Raises :class:`ArxivFailure` for any answer but a page of results.

    A quick look passes a good page on unparsed (the arxiv package parses it); only an answer
    that fails it is parsed here, for what is wrong and arXiv's own words for it.
    """
    status = response.status_code
    if status == 429 or status >= 500:
        raise ArxivFailure(
            f"HTTP {status} from arXiv",
            retry_after=_retry_after(response.headers.get("Retry-After")),
        )
    page = response.content
    # The package reads a page cut short as far as it goes, so half a paper would be stored.
    whole = page[-64:].rstrip().endswith(b"</feed>")
    if status != 200 or not whole or b"arxiv.org/api/errors" in page:
        read_page(page, status)


def read_page(page: bytes, status: int = 200) -> int:
    """The number of results the search holds, as a page of them says; raises
    :class:`ArxivFailure` when it is not one."""
    try:
        feed = etree.fromstring(page, SAFE_XML)
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
    if feed.tag != f"{ATOM}feed":
        raise ArxivFailure(f"arXiv sent a page that is not an Atom feed (<{feed.tag}>)")
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
    cause: BaseException | None = err
    while cause is not None:
        err, cause = cause, cause.__cause__ or cause.__context__
    return str(err) or type(err).__name__


class ArxivClient:
    """The run's way to arXiv: one ``arxiv.Client``, so one session (one connection) and
    one pause for every search. Searches run one at a time."""

    def __init__(self, api_url: str, delay: float, timeout: tuple[float, float]):
        self.delay = delay
        self.session = GuardedSession(timeout, after_request=self._restart_pause)
        self.client = arxiv.Client(delay_seconds=delay, num_retries=0)
        self.client.query_url_format = api_url + "?{}"
        self.client._session = self.session  # arxiv.Client takes no session, so no timeout

    @property
    def requests_made(self) -> int:
        return self.session.requests_made

    def results(
        self, query: str, max_results: int, page_size: int, offset: int = 0
    ) -> Iterator[arxiv.Result]:
        """A search's results newest updated first, from ``offset`` on, paged by ``page_size``.

        Raises :class:`ArxivFailure` for every way the pages fail, :class:`EmptyAnswer`
        when there is not a single result (the client would quietly stop).
        """
        search = arxiv.Search(
            query=query,
            max_results=max_results,
            sort_by=arxiv.SortCriterion.LastUpdatedDate,
            sort_order=arxiv.SortOrder.Descending,
        )
        self.client.page_size = page_size
        received = 0
        try:
            for result in self.client.results(search, offset=offset):
                received += 1
                yield result
        except arxiv.UnexpectedEmptyPageError:
            raise ArxivFailure("arXiv sent an empty page in the middle of the results") from None
        except ArxivFailure:
            raise
        except Exception as err:  # the arxiv package choking on what arXiv sent
            raise ArxivFailure(f"arXiv sent a page that cannot be read ({err!r})") from None
        if received == 0:
            raise EmptyAnswer(
                "arXiv sent an empty page where results were expected",
                total=read_page(self.session.last_page),
            )

    def count_wait_as_pause(self) -> None:
        """A wait of at least the delay just ended: the next request need not pause again."""
        self.client._last_request_dt = datetime.now() - timedelta(seconds=self.delay)

    def _restart_pause(self) -> None:
        # The client starts its pause only after a request that succeeded; a failed one
        # must keep arXiv's three seconds too.
        self.client._last_request_dt = datetime.now()


def paper_from_result(result: arxiv.Result, keyword: str) -> Paper:
    """A Paper from an arxiv Result; raises ValueError when arXiv's id is not an arXiv id or
    a date lies outside the years a store holds (the calendar cannot file it)."""
    paper_id, version = split_id(result.get_short_id())
    for name, moment in (("published", result.published), ("updated", result.updated)):
        if not in_stored_years(moment.date()):
            raise ValueError(f"{paper_id}: its {name} date {moment.date()} is impossible")
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
