"""A loopback HTTP server that speaks the arXiv API, for the tests and the benchmark.

It answers ``GET /api/query`` on 127.0.0.1 the way export.arxiv.org does:

* **replay**: a request whose ``search_query``, ``start`` and ``max_results`` match a
  recorded response in ``tests/fixtures/arxiv-api/`` gets those exact bytes;
* **catalogue**: a query registered with :meth:`ArxivServer.serve` gets a page of
  its entries (real entries from the recordings, edited by :func:`entry`), with
  arXiv's opensearch header, so paging works as on arXiv;
* **faults**: :meth:`ArxivServer.fail_next` queues what the next requests get
  instead: an HTTP status with ``Retry-After``, no answer at all, a body that is
  not XML, a page cut short inside a paper, an empty page (saying that nothing matches,
  or counting papers it does not hold), or arXiv's error entry.

Every request is recorded in :attr:`ArxivServer.requests` (over which connection in
:attr:`ArxivServer.connections`) so a test can count them, and :attr:`ArxivServer.gate`,
when set, is called with each request's parameters before it is answered: a test can
hold answers there until its clients reach a point of its choosing.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from lxml import etree

from arxiv_digest_dev import REPOSITORY

FIXTURES = REPOSITORY / "tests" / "fixtures" / "arxiv-api"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
ATOM = f"{{{NS['atom']}}}"
ARXIV = f"{{{NS['arxiv']}}}"
HANG_LIMIT = 30  # seconds a hanging answer holds its thread before the server gives up

FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "  <id>https://arxiv.org/api/loopback</id>\n"
    "  <title>arXiv Query: {query}</title>\n"
    "  <updated>2026-05-01T00:00:00Z</updated>\n"
    "  <opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>\n"
    "  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
    "  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
)


def feed(entries: list[bytes], *, query: str = "", total: int | None = None, start: int = 0):
    """An arXiv API response holding ``entries`` (serialised ``<entry>`` elements)."""
    head = FEED_HEAD.format(
        query=escape(query),
        size=len(entries),
        total=len(entries) if total is None else total,
        start=start,
    )
    return head.encode() + b"".join(entries) + b"</feed>\n"


def recorded_entries(pattern: str = "q_testing_*.xml") -> list[etree._Element]:
    """Every distinct real entry of the recorded responses (search ones by default), in order."""
    seen, entries = set(), []
    for path in sorted(FIXTURES.glob(pattern)):
        for element in etree.parse(str(path)).getroot().iterfind("atom:entry", NS):
            entry_id = element.findtext("atom:id", namespaces=NS)
            if entry_id not in seen:
                seen.add(entry_id)
                entries.append(element)
    return entries


def entry(
    base: etree._Element,
    *,
    arxiv_id: str | None = None,
    version: int | None = None,
    updated: str | None = None,
    published: str | None = None,
    title: str | None = None,
    summary: str | None = None,
    comment: str | None = None,
    authors: list[str] | None = None,
    categories: list[str] | None = None,
) -> bytes:
    """A real entry with some fields replaced, serialised; text is XML-escaped as arXiv does."""
    element = copy.deepcopy(base)
    old_id = element.findtext("atom:id", namespaces=NS).rsplit("/abs/", 1)[1]
    number, _, old_version = old_id.rpartition("v")
    new_id = f"{arxiv_id or number}v{version or old_version}"
    for node in element.iter():
        for attr in ("href",):
            if node.get(attr):
                node.set(attr, node.get(attr).replace(old_id, new_id))
    element.find("atom:id", NS).text = f"http://arxiv.org/abs/{new_id}"
    if updated:
        element.find("atom:updated", NS).text = updated
    if published:
        element.find("atom:published", NS).text = published
    if title is not None:
        element.find("atom:title", NS).text = title
    if summary is not None:
        element.find("atom:summary", NS).text = summary
    if comment is not None:
        node = element.find("arxiv:comment", NS)
        if node is None:
            node = etree.SubElement(element, ARXIV + "comment")
        node.text = comment
    if authors is not None:
        for node in element.findall("atom:author", NS):
            element.remove(node)
        for name in authors:
            author = etree.SubElement(element, ATOM + "author")
            etree.SubElement(author, ATOM + "name").text = name
    if categories is not None:
        for node in element.findall("atom:category", NS):
            element.remove(node)
        element.find("arxiv:primary_category", NS).set("term", categories[0])
        for code in categories:
            etree.SubElement(
                element, ATOM + "category", term=code, scheme="http://arxiv.org/schemas/atom"
            )
    return etree.tostring(element)


def numbered_paper(number: int, day: str = "2026-03-02") -> bytes:
    """The ``number``-th recorded real entry as paper 2603.<number>v1, submitted at 10:00 EST
    on ``day``: papers whose ids and days a test chooses, with real text."""
    return entry(
        recorded_entries()[number],
        arxiv_id=f"2603.{number:05d}",
        version=1,
        updated=f"{day}T15:00:00Z",
        published=f"{day}T15:00:00Z",
    )


@dataclass(frozen=True)
class Fault:
    """What one request gets instead of its page."""

    # "answer", "status", "hang", "malformed", "cut-short", "empty", "empty-counted", "error-entry"
    kind: str
    status: int = 200
    retry_after: str | None = None
    message: str = "incorrect id format for abc"


def status(code: int, retry_after: str | None = None) -> Fault:
    return Fault("status", code, retry_after)


ANSWER = Fault("answer")  # the usual answer: queue it to put a fault at a later request
HANG = Fault("hang")
MALFORMED = Fault("malformed")
CUT_SHORT = Fault("cut-short")  # the page, ending inside its first paper's last author name
EMPTY = Fault("empty")
EMPTY_COUNTED = Fault("empty-counted")  # no entry, though its header counts the query's papers


def error_entry(code: int = 400, message: str = "incorrect id format for abc") -> Fault:
    return Fault("error-entry", code, message=message)


class ArxivServer:
    def __init__(self) -> None:
        self.catalogue: dict[str, list[bytes]] = {}
        self.faults: deque[Fault] = deque()
        self.requests: list[dict[str, str]] = []
        self.connections: set[tuple[str, int]] = set()  # client addresses that sent requests
        self.released = threading.Event()  # set on close: hanging answers end
        self.gate: Callable[[dict[str, str]], None] | None = None
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        # A short poll makes shutdown quick: every test that uses the server pays for it.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api/query"

    def serve(self, query: str, entries: list[bytes]) -> None:
        """Answer ``query`` with ``entries``, newest first, paged as arXiv pages."""
        self.catalogue[query] = list(entries)

    def fail_next(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def fail_always(self, fault: Fault, times: int = 1000) -> None:
        self.faults.extend([fault] * times)

    def queries(self) -> list[str]:
        return [r.get("search_query", "") for r in self.requests]

    def __enter__(self) -> ArxivServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def answer(self, params: dict[str, str]) -> tuple[int, dict[str, str], bytes] | None:
        """The status, headers and body for a request; None means: never answer."""
        self.requests.append(params)
        query = params.get("search_query", "")
        start = int(params.get("start", 0))
        size = int(params.get("max_results", 10))
        fault = self.faults.popleft() if self.faults else ANSWER
        if fault.kind not in ("answer", "cut-short"):
            if fault.kind == "hang":
                return None
            if fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return fault.status, headers, b"<html><body>Unavailable</body></html>"
            if fault.kind == "malformed":
                return 200, {}, feed([], query=query)[:150]
            if fault.kind == "empty":
                return 200, {}, feed([], query=query, total=0)
            if fault.kind == "empty-counted":
                return 200, {}, feed([], query=query, total=len(self.catalogue.get(query, [])))
            return (
                fault.status,
                {},
                (FIXTURES / _ERROR_FIXTURE)
                .read_bytes()
                .replace(b"incorrect id format for abc", escape(fault.message).encode()),
            )
        recorded = _recorded(query, start, size)
        if recorded is not None and query not in self.catalogue:
            body = recorded
        else:
            entries = self.catalogue.get(query, [])
            body = feed(entries[start : start + size], query=query, total=len(entries), start=start)
        if fault.kind == "cut-short":  # complete as HTTP goes: only the XML tells
            body = body[: body.rindex(b"</name>", 0, body.index(b"</entry>")) - 1]
        return 200, {}, body

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # as arXiv: a client may keep its connection

            def do_GET(self):
                server.connections.add(self.client_address)
                url = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                if url.path != "/api/query":
                    self.send_error(404)
                    return
                if server.gate is not None:
                    server.gate(params)
                answer = server.answer(params)
                if answer is None:
                    server.released.wait(HANG_LIMIT)
                    return
                code, headers, body = answer
                self.send_response(code)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


_ERROR_FIXTURE = "id_abc_s0_m100_b79c8dcf6bc3.xml"


def _recorded(query: str, start: int, size: int) -> bytes | None:
    """The recorded response for a search, when there is one (``q_<query>_s<start>_m<max>``)."""
    matches = sorted(FIXTURES.glob(f"q_{query}_s{start}_m{size}_*.xml")) if query.isalnum() else []
    return matches[0].read_bytes() if matches else None
