"""Papers made from the real recorded arXiv responses, parsed by the ``arxiv`` package."""

from __future__ import annotations

from functools import cache

from arxiv import _feed

from arxiv_digest.fetch import paper_from_result
from arxiv_digest.paper import Paper
from arxiv_digest_dev.arxiv_server import FIXTURES


@cache
def recorded_papers() -> tuple[Paper, ...]:
    """Every distinct paper of the recorded ``testing`` search, in recorded order."""
    papers: dict[str, Paper] = {}
    for path in sorted(FIXTURES.glob("q_testing_*.xml")):
        for result in _feed.parse(path.read_bytes()).results:
            paper = paper_from_result(result, "testing")
            papers.setdefault(paper.id, paper)
    return tuple(papers.values())
