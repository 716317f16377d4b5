"""Benchmark: what the arXiv client spends on each page of results, apart from the network.

Each recorded page of results in ``tests/fixtures/arxiv-api/`` (the pages holding papers:
not the error answer, not the empty one) is answered from memory by a ``requests``
transport adapter, with no socket and no pause, to ``ArxivClient.results``, which checks
the page and reads its papers; so is a page of 100 entries made from them, the size a
real fetch asks for (``ARXIV_PAGE_SIZE``). It prints milliseconds of CPU time per page, the
best of ``--repeat`` rounds (other work on the machine only ever adds time).

Run it from the repository, in its virtualenv::

    .venv/bin/python benchmarks/arxiv_parse.py
    .venv/bin/python benchmarks/arxiv_parse.py --repeat 20
"""

from __future__ import annotations

import argparse
import io
import time
from typing import Any

import requests
import urllib3
from lxml import etree

from arxiv_digest.fetching.client import ArxivClient
from arxiv_digest_dev.arxiv_server import FIXTURES, NS, feed, recorded_entries

URL = "http://127.0.0.1:9/api/query"  # never connected to: the adapter answers
FULL_PAGE = 100  # entries: the default ARXIV_PAGE_SIZE


class Replay(requests.adapters.HTTPAdapter):
    """Answers every request with one page, from memory."""

    def __init__(self) -> None:
        super().__init__()
        self.page = b""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any):
        answer = urllib3.HTTPResponse(
            body=io.BytesIO(self.page),
            status=200,
            headers={"Content-Type": "application/atom+xml; charset=utf-8"},
            preload_content=False,
        )
        return self.build_response(request, answer)


def papers_in(page: bytes) -> int:
    """The page's entries that are papers (arXiv's error entries are not)."""
    ids = etree.fromstring(page).iterfind("atom:entry/atom:id", NS)
    return sum("/abs/" in (node.text or "") for node in ids)


def pages() -> dict[str, bytes]:
    """The recorded pages holding papers, and a full page made of their entries."""
    recorded = {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.xml"))}
    found = {name: page for name, page in recorded.items() if papers_in(page)}
    entries = [
        etree.tostring(entry)
        for entry in recorded_entries("*.xml")
        if "/abs/" in (entry.findtext("atom:id", namespaces=NS) or "")
    ]
    found[f"{FULL_PAGE} entries"] = feed(
        (entries * (FULL_PAGE // len(entries) + 1))[:FULL_PAGE], total=FULL_PAGE
    )
    return found


def seconds_per_page(client: ArxivClient, replay: Replay, page: bytes, rounds: int) -> float:
    """The least CPU time of ``rounds`` the client took to receive and read ``page``."""
    papers = papers_in(page)
    replay.page = page
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        received = list(client.results("all:benchmark", papers, page_size=papers))
        best = min(best, time.process_time() - start)
        assert len(received) == papers, f"{len(received)} results of {papers}"
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50, help="rounds per page (best kept)")
    args = parser.parse_args()
    client = ArxivClient(URL, delay=0, timeout=(2, 2))
    replay = Replay()
    client.session.mount("http://", replay)
    recorded_ms: list[float] = []
    recorded_papers = 0
    for name, page in pages().items():
        ms = seconds_per_page(client, replay, page, args.repeat) * 1000
        papers = papers_in(page)
        print(f"{name:45} {papers:4} papers {len(page) / 1024:7.1f} KiB {ms:8.2f} ms")
        if not name.endswith(" entries"):
            recorded_ms.append(ms)
            recorded_papers += papers
    mean = sum(recorded_ms) / len(recorded_ms)
    print(
        f"recorded pages: {mean:.2f} ms per page on average "
        f"({len(recorded_ms)} pages, {recorded_papers / len(recorded_ms):.1f} papers each)"
    )


if __name__ == "__main__":
    main()
