"""What browser tests share: the sample site's days, the page scripts that measure layout
shift, and how a test reads what keepup.js and search.js drew."""

from __future__ import annotations

import json
from collections.abc import Callable

from arxiv_digest.model.paper import Paper
from arxiv_digest.model.store import Store
from arxiv_digest.search.records import newest_versions

from ..conftest import SAMPLE_SITE
from .conftest import Tab

SAMPLE_STORE = SAMPLE_SITE / "content" / "papers"
DESKTOP = {"width": 1280, "height": 900}  # the desktop: a 900 px screen
DAYS = sorted(path.stem for path in SAMPLE_STORE.glob("*/*.json"))
NEWEST = DAYS[-1]
# A day whose papers carry everything a paper shows (authors, categories, tags, links).
FULL_DAY = max(
    DAYS,
    key=lambda day: sum(
        bool(p.get("authors") and p.get("categories"))
        for p in json.loads((SAMPLE_STORE / day[:4] / f"{day}.json").read_text())["papers"]
    ),
)


def day_url(day: str) -> str:
    return "/" + day.replace("-", "/") + "/"


# Every layout shift the page makes (those right after a click or key excepted), summed:
# stricter than Chromium's "cumulative layout shift", which takes the worst 5 s window.
RECORD_SHIFTS = """
window.layoutShifts = [];
const observer = new PerformanceObserver(list => window.layoutShifts.push(...list.getEntries()));
observer.observe({type: 'layout-shift', buffered: true});
window.shiftScore = () => {
    window.layoutShifts.push(...observer.takeRecords());
    return window.layoutShifts.filter(e => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0);
};
"""
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def clean(tab: Tab) -> None:
    assert tab.errors == []
    assert tab.outside == []


def ready(tab: Tab) -> None:
    tab.page.locator("html[data-keepup=ready]").wait_for(state="attached")


def unseen_ids(tab: Tab) -> set[str]:
    ready(tab)
    return set(tab.page.eval_on_selector_all("article[data-unseen]", "all => all.map(a => a.id)"))


def nav_counts(tab: Tab) -> dict[str, str]:
    """Each keyword's count of new papers in the navigation, once keepup.js is done."""
    ready(tab)
    return tab.page.eval_on_selector_all(
        "a[data-keyword]",
        "all => Object.fromEntries(all.map(a => "
        "[a.dataset.keyword, a.querySelector('.unseen-count')?.textContent ?? '']))",
    )


def reading_list_titles(tab: Tab) -> list[str]:
    """The titles on the reading list page, once it has drawn them."""
    tab.page.locator("#reading-list:not([aria-busy=true])").wait_for()
    return tab.page.locator("#reading-list-papers h2").all_inner_texts()


def stored_papers(keep: Callable[[Paper], bool] = lambda paper: True) -> set[str]:
    """The ids of the sample store's papers (each at its newest version) that ``keep``."""
    newest = newest_versions(Store(SAMPLE_STORE).days()).values()
    return {listing.paper.id for listing in newest if keep(listing.paper)}


def results(page) -> list[str]:
    page.wait_for_selector("#search-status:text-matches('found')")  # written after the results
    return page.locator("#search-results h2").all_inner_texts()


def every_result_id(page) -> list[str]:
    """The arXiv ids of all results, asking for more until there are no more."""
    results(page)
    while page.locator("#search-more").is_visible():
        shown = page.locator("#search-results li article").count()
        page.click("#search-more")
        page.wait_for_function(
            "n => document.querySelectorAll('#search-results li article').length > n"
            " || document.querySelector('#search-more').hidden",
            arg=shown,
        )
    hrefs = page.locator("#search-results article h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.rsplit("#", 1)[1] for href in hrefs]
