"""What a reviewer's one-line bugs in the pages would break, seen in a built site.

Each test here failed with a bug planted by hand (issue 21): the "listed late" mark hidden
on keyword and category pages, ``recent.json``'s ``more`` off by one.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from arxiv_digest.model.store import Day
from arxiv_digest.pages.paperdata import recent

from .conftest import make_paper

LATE = make_paper("2601.00007", title="Listed late", announced="2026-01-27")


@pytest.mark.parametrize("url", ["/2026/01/28/", "/keywords/vlm/", "/categories/cs.CV/"])
def test_a_paper_listed_late_says_so_wherever_it_is_shown(project, url):
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    project.add_day("2026-01-28", [LATE])
    project.build()
    article = project.page(url).find("article", id="2601.00007")
    late = article.find(class_="late")
    assert late is not None
    assert late.get_text() == "announced 2026-01-27, listed late"


def days(count: int) -> list[Day]:
    first = date(2026, 1, 1)
    return [Day(first + timedelta(days=n), (make_paper(f"2601.{n:05d}"),)) for n in range(count)]


@pytest.mark.parametrize(("stored", "more"), [(29, False), (30, False), (31, True)])
def test_recent_json_holds_the_newest_30_days_and_says_when_there_are_more(stored, more):
    """The README: new-since counts come from the newest 30 days' papers."""
    data = json.loads(recent(days(stored), ["2601"]))
    assert len(data["days"]) == min(stored, 30)
    assert data["more"] is more
