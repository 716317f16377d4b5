"""What a reviewer's one-line bugs in the browser scripts would break, seen through the page.

Each test here failed with a bug planted by hand (issue 21): "et al." on every search
result, the reading list's BibTeX export keeping a repeated key, and papers already seen
marked new again from the third visit on. They drive the built site as a reader does, not
the scripts' internals, so they hold whatever shape the scripts take.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bibtexparser
import pytest

from arxiv_digest.model.paper import Author
from arxiv_digest_dev.harness import serve

from ..conftest import Project, make_paper
from .conftest import Tab
from .pages import clean, nav_counts, reading_list_titles, results, unseen_ids

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)  # the first visit


def authors(count: int) -> tuple[Author, ...]:
    return tuple(Author(f"Author{n} Surname{n}") for n in range(1, count + 1))


# Two papers whose BibTeX keys are the same (first author, year, first title words), on two
# days: each day's .bib is unique within itself, the export must make them unique across.
CATS = "Deep Learning of Cats"
SIX = make_paper("2601.00006", title=CATS, authors=(Author("Ada Lovelace"), *authors(5)))
EIGHT = make_paper("2601.00008", title="Eight authors", authors=authors(8))
CATS_AGAIN = make_paper("2601.00016", title=CATS, authors=(Author("Ada Lovelace"),))
TRUNCATED = make_paper("2601.00002", title="Cut list", authors=authors(2), authors_truncated=True)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    project = Project(tmp_path_factory.mktemp("planted") / "site")
    project.add_day("2026-01-27", [SIX, EIGHT])
    project.add_day("2026-01-28", [CATS_AGAIN, TRUNCATED])
    project.build()
    with serve(project.output) as url:
        yield url


@pytest.mark.parametrize(
    ("paper", "shown"),
    [
        (SIX, [a.name for a in SIX.authors]),
        (EIGHT, [a.name for a in EIGHT.authors[:6]] + ["et al."]),
        (TRUNCATED, [a.name for a in TRUNCATED.authors] + ["et al."]),
    ],
)
def test_a_search_result_says_et_al_only_when_authors_are_left_out(new_tab, site_url, paper, shown):
    tab = new_tab()
    tab.page.goto(f"{site_url}/search/?q={paper.id}")
    results(tab.page)
    [result] = tab.page.locator("#search-results article").all()
    names = result.locator("ul.authors a").all_inner_texts()
    more = [text for text in result.locator("ul.authors li").all_inner_texts() if text == "et al."]
    assert [*names, *more] == shown
    clean(tab)


def test_the_reading_list_export_makes_a_key_repeated_across_days_unique(new_tab, site_url):
    tab = new_tab()
    tab.page.goto(f"{site_url}/reading-list/#ids={SIX.id},{CATS_AGAIN.id}")
    assert reading_list_titles(tab) == [CATS, CATS]
    with tab.page.expect_download() as download:
        tab.page.get_by_role("button", name="Download BibTeX (.bib)").click()
    library = bibtexparser.parse_string(Path(download.value.path()).read_text(encoding="utf-8"))
    assert library.failed_blocks == []  # a repeated key is a failed (duplicate) block
    assert sorted(e["eprint"] for e in library.entries) == [SIX.id, CATS_AGAIN.id]
    first, second = (e.key for e in library.entries)
    assert first != second
    assert second.startswith(first)  # the same key, told apart by a letter
    clean(tab)


DAYS = {  # one paper a day, built in one day after another between visits
    "2026-01-27": make_paper("2601.00001", keywords=("vlm",)),
    "2026-01-28": make_paper("2601.00002", keywords=("vlm", "software-testing")),
    "2026-01-29": make_paper("2601.00003", keywords=("vlm",)),
}


class Visitor:
    """One browser coming back to a site that gains a day between its visits."""

    def __init__(self, tab: Tab, project: Project, url: str):
        self.tab, self.project, self.url = tab, project, url
        self.built = 0
        tab.page.clock.install(time=T0)

    def build_next_day(self) -> None:
        day, paper = list(DAYS.items())[self.built]
        self.project.add_day(day, [paper])
        self.project.build()
        self.built += 1

    def visit(self, hours: float, page: str = "/") -> set[str]:
        """The ids marked new on ``page`` opened ``hours`` after the first visit."""
        self.tab.page.clock.set_system_time(T0 + timedelta(hours=hours))
        self.tab.page.goto(self.url + page)
        return unseen_ids(self.tab)


@pytest.fixture
def visitor(new_tab, tmp_path) -> Iterator[Visitor]:
    project = Project(tmp_path / "site")
    visitor = Visitor(new_tab(), project, "")
    visitor.build_next_day()
    with serve(project.output, rebuilt=True) as url:
        visitor.url = url
        yield visitor
    clean(visitor.tab)


def test_each_visit_marks_only_the_papers_built_since_the_visit_before(visitor):
    """Three visits and a fourth, each over an hour after the last, with a day built
    between them: a paper seen on one visit is never new again."""
    assert visitor.visit(0) == set()  # a first visit marks nothing
    visitor.build_next_day()
    assert visitor.visit(2) == {"2601.00002"}
    assert nav_counts(visitor.tab) == {"vlm": "1 new", "software-testing": "1 new"}
    visitor.build_next_day()
    assert visitor.visit(4) == {"2601.00003"}
    assert nav_counts(visitor.tab) == {"vlm": "1 new", "software-testing": ""}
    # The same visit, on the page that lists all three: only the newest is new.
    assert visitor.visit(4.3, "/keywords/vlm/") == {"2601.00003"}
    assert visitor.visit(6, "/keywords/vlm/") == set()  # nothing built since the third visit
    assert set(nav_counts(visitor.tab).values()) == {""}


def test_papers_marked_seen_stay_seen_on_the_visits_after(visitor):
    visitor.visit(0)
    visitor.build_next_day()
    assert visitor.visit(2, "/keywords/vlm/") == {"2601.00002"}
    visitor.tab.page.get_by_role("button", name="Mark all as seen").click()
    assert unseen_ids(visitor.tab) == set()
    assert visitor.visit(2.5) == set()  # the same visit, after marking
    visitor.build_next_day()
    assert visitor.visit(4, "/keywords/vlm/") == {"2601.00003"}
    assert visitor.visit(6, "/keywords/vlm/") == set()
