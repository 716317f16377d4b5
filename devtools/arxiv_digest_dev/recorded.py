"""Papers made from the real recorded arXiv responses, parsed by the ``arxiv`` package."""

from __future__ import annotations

from functools import cache

from arxiv import _feed
from lxml import etree

from arxiv_digest.fetching.fetch import paper_from_result
from arxiv_digest.model.paper import Paper
from arxiv_digest_dev.arxiv_server import FIXTURES, NS


@cache
def recorded_papers() -> tuple[Paper, ...]:
    """Every distinct paper of the recorded ``testing`` search, in recorded order."""
    papers: dict[str, Paper] = {}
    for path in sorted(FIXTURES.glob("q_testing_*.xml")):
        for result in _feed.parse(path.read_bytes()).results:
            paper = paper_from_result(result, "testing")
            papers.setdefault(paper.id, paper)
    return tuple(papers.values())


def recorded_testing_search() -> list[tuple[str, str]]:
    """(versioned id, updated) of each result of the recorded search ``testing``, pages
    0 to 50 by 10, in the order arXiv gave them."""
    found = []
    for start in range(0, 60, 10):
        (path,) = FIXTURES.glob(f"q_testing_s{start}_m10_*.xml")
        for element in etree.parse(str(path)).getroot().iterfind("atom:entry", NS):
            versioned_id = element.findtext("atom:id", namespaces=NS).rsplit("/abs/", 1)[1]
            found.append((versioned_id, element.findtext("atom:updated", namespaces=NS)))
    return found
