"""What browser tests share: the sample site's days, the page scripts that measure layout
shift, and how a test reads what keepup.js drew."""

from __future__ import annotations

import json

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
