"""Keeping up, on the real site in Chromium: new since the last visit, the reading list and
its BibTeX, the compact view, trend charts, the OPML list of feeds, the favicon and the
phone navigation.

The site is the sample store built without its newest day; tests that announce a day copy
that day in and build again, as the daily workflow does, while the browser keeps its
localStorage.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import bibtexparser
import listparser
import pytest
from playwright.sync_api import expect

from arxiv_digest_dev.harness import PHONE, serious_axe_violations, serve

from ..conftest import SAMPLE_SITE, Project
from ..readers import nu_errors
from .conftest import Tab, open_every_details, overflow
from .pages import clean, nav_counts, reading_list_titles, ready, unseen_ids

SAMPLE_STORE = SAMPLE_SITE / "content" / "papers"
NEWEST = date(2026, 2, 2)  # the sample's newest day: built in only when announced
T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)  # the first visit


def stored_day(day: date) -> list[dict]:
    """A day's papers as the store file holds them, each id once (as its digest lists it)."""
    path = SAMPLE_STORE / f"{day:%Y}" / f"{day:%Y-%m-%d}.json"
    papers = json.loads(path.read_text(encoding="utf-8"))["papers"]
    return list({p["id"]: p for p in papers}.values())


@dataclass
class Site:
    project: Project
    url: str  # with a trailing slash

    @property
    def output(self) -> Path:
        return self.project.output

    def announce(self) -> None:
        """The newest day arrives in the store, and the site is built again."""
        name = f"{NEWEST:%Y}/{NEWEST:%Y-%m-%d}.json"
        shutil.copy(SAMPLE_STORE / name, self.project.store / name)
        self.project.build()


@pytest.fixture
def site(tmp_path) -> Iterator[Site]:
    """The sample site as built the day before its newest day, served."""
    keywords = (SAMPLE_SITE / "keywords.yaml").read_text(encoding="utf-8")
    project = Project(tmp_path / "site", keywords)
    pages = SAMPLE_SITE / "content" / "pages"
    shutil.copytree(pages, project.content / "pages", dirs_exist_ok=True)
    for path in SAMPLE_STORE.glob("*/*.json"):
        if path.stem != NEWEST.isoformat():
            (project.store / path.parent.name).mkdir(exist_ok=True)
            shutil.copy(path, project.store / path.parent.name / path.name)
    project.build()
    with serve(project.output, rebuilt=True) as url:
        yield Site(project, url + "/")


@pytest.fixture(scope="module")
def announced(tmp_path_factory) -> Iterator[Site]:
    """The sample site with every day, served, for tests that only read it."""
    project = Project(
        tmp_path_factory.mktemp("keepup") / "site",
        (SAMPLE_SITE / "keywords.yaml").read_text(encoding="utf-8"),
    )
    shutil.copytree(SAMPLE_SITE / "content", project.content, dirs_exist_ok=True)
    project.build()
    with serve(project.output, rebuilt=True) as url:
        yield Site(project, url + "/")


def visit_then_announce(tab: Tab, site: Site) -> None:
    """A visit to the index, the newest day built, and a page opened two hours later."""
    tab.page.clock.install(time=T0)
    tab.page.goto(site.url)
    ready(tab)
    site.announce()
    tab.page.clock.set_system_time(T0 + timedelta(hours=2))


def keyword_slugs() -> list[str]:
    from arxiv_digest.model.keywords import load

    return [k.slug for k in load(SAMPLE_SITE / "keywords.yaml").keywords]


def test_a_first_visit_marks_nothing(new_tab, site):
    tab = new_tab()
    tab.page.goto(site.url)
    tab.page.goto(site.url + "keywords/vlm/")
    assert unseen_ids(tab) == set()
    assert set(nav_counts(tab).values()) == {""}
    assert tab.page.locator(".mark-seen").count() == 0
    clean(tab)


def test_the_next_visit_marks_exactly_the_papers_of_the_day_built_since(new_tab, site):
    newest = stored_day(NEWEST)
    tab = new_tab()
    visit_then_announce(tab, site)
    tab.page.goto(site.url)
    assert unseen_ids(tab) == {p["id"] for p in newest}
    first = tab.page.locator("article[data-unseen]").first
    assert first.locator(".unseen-mark").inner_text() == "New"
    assert first.locator(".unseen-mark").is_visible()
    per_keyword = Counter(slug for p in newest for slug in p["keywords"])
    assert nav_counts(tab) == {
        slug: f"{per_keyword[slug]} new" if per_keyword[slug] else "" for slug in keyword_slugs()
    }

    # Half an hour later, the same visit: a keyword page marks that day's papers on it.
    tab.page.clock.set_system_time(T0 + timedelta(hours=2, minutes=30))
    tab.page.goto(site.url + "keywords/vlm/")
    assert unseen_ids(tab) == {p["id"] for p in newest if "vlm" in p["keywords"]}
    assert tab.page.locator("article.paper:not([data-unseen])").count() > 0

    tab.page.get_by_role("button", name="Mark all as seen").click()
    assert unseen_ids(tab) == set()
    tab.page.goto(site.url)
    assert unseen_ids(tab) == set()
    assert set(nav_counts(tab).values()) == {""}
    clean(tab)


def test_a_star_fills_the_reading_list_whose_bibtex_and_link_carry_it(new_tab, announced):
    tab = new_tab()
    tab.page.goto(announced.url + "keywords/vlm/")
    vlm = tab.page.locator("article.paper").first
    paper_id = vlm.get_attribute("id")
    title = vlm.locator("h2").inner_text()
    star = vlm.get_by_role("button", name="Save")
    assert star.get_attribute("aria-pressed") == "false"
    star.focus()
    tab.page.keyboard.press("Space")  # a real button: the keyboard presses it
    assert star.get_attribute("aria-pressed") == "true"
    # A paper of the oldest day, starred on its digest page.
    days = sorted(date.fromisoformat(p.stem) for p in SAMPLE_STORE.glob("*/*.json"))
    oldest, old = next((d.isoformat(), p) for d in days for p in stored_day(d) if p["authors"])
    tab.page.goto(announced.url + oldest.replace("-", "/") + "/")
    tab.page.locator(f"article[id='{old['id']}']").get_by_role("button", name="Save").click()

    tab.page.get_by_role("link", name="Reading list (2)").click()
    assert reading_list_titles(tab) == [old["title"], title]
    entry = tab.page.locator(f"#reading-list-papers article[id='{old['id']}']")
    assert entry.locator("ul.authors li").first.inner_text() == old["authors"][0]
    entry.locator("details.abstract summary").click()
    assert entry.locator("details.abstract p").inner_text()[:40] == old["abstract"][:40]
    assert entry.get_by_role("link", name=f"announced {oldest}").count() == 1

    with tab.page.expect_download() as download:
        tab.page.get_by_role("button", name="Download BibTeX (.bib)").click()
    assert download.value.suggested_filename == "reading-list.bib"
    library = bibtexparser.parse_string(Path(download.value.path()).read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert [e["eprint"] for e in library.entries] == [old["id"], paper_id]
    assert library.entries[0]["title"].strip("{}") == old["title"]
    assert tab.page.locator("#reading-list-status").inner_text() == (
        "BibTeX of 2 papers downloaded."
    )

    tab.page.get_by_role("button", name="Link for another device").click()
    link = tab.page.locator(".share a").get_attribute("href")
    other = new_tab()  # a fresh browser context: another device
    other.page.goto(link)
    assert reading_list_titles(other) == [old["title"], title]
    assert other.page.locator("#reading-list-status").inner_text() == (
        "2 papers added from the link."
    )
    clean(tab)
    clean(other)


def test_an_unknown_id_is_kept_and_entries_are_removed_one_by_one_or_all_at_once(
    new_tab, announced
):
    newest = [p["id"] for p in stored_day(NEWEST)[:2]]
    tab = new_tab()
    tab.page.goto(announced.url + f"reading-list/#ids={newest[0]},2601.99999,x,{newest[1]}")
    status = tab.page.locator("#reading-list-status")
    assert status.inner_text() == "3 papers added from the link, 1 not arXiv ids, left out."
    assert len(reading_list_titles(tab)) == 3
    assert "not in this site's store" in tab.page.locator("article[id='2601.99999']").inner_text()
    tab.page.get_by_role("button", name="Remove arXiv:2601.99999").click()
    assert len(reading_list_titles(tab)) == 2
    tab.page.reload()
    assert len(reading_list_titles(tab)) == 2
    tab.page.get_by_role("button", name="Remove all").click()
    assert reading_list_titles(tab) == []
    tab.page.get_by_role("button", name="Undo").click()
    assert len(reading_list_titles(tab)) == 2
    clean(tab)


READING_LIST_CAP = 5000  # the most papers the reading list holds, as its page states
READING_LIST_KEY = "arxiv-digest:reading-list"


def absent_ids(count: int) -> list[str]:
    """Valid arXiv ids of a month the store has no paper of."""
    return [f"0901.{n:05d}" for n in range(1, count + 1)]


def store_reading_list(tab: Tab, site: Site, ids: list[str]) -> None:
    """The reading list as another visit left it in this browser."""
    tab.page.goto(site.url)
    tab.page.evaluate(
        "([key, ids]) => localStorage.setItem(key, JSON.stringify(ids))", [READING_LIST_KEY, ids]
    )


def stored_reading_list(tab: Tab) -> list[str]:
    return tab.page.evaluate("key => JSON.parse(localStorage.getItem(key))", READING_LIST_KEY)


def test_a_link_naming_a_paper_three_times_adds_it_once(new_tab, announced):
    paper = stored_day(NEWEST)[0]
    tab = new_tab()
    tab.page.goto(announced.url + f"reading-list/#ids={paper['id']},{paper['id']},{paper['id']}")
    assert reading_list_titles(tab) == [paper["title"]]
    assert tab.page.locator("#reading-list-status").inner_text() == "1 paper added from the link."
    assert stored_reading_list(tab) == [paper["id"]]
    clean(tab)


def test_a_link_past_the_stated_cap_adds_what_fits_and_says_what_it_left_out(new_tab, announced):
    paper = stored_day(NEWEST)[0]
    tab = new_tab()
    store_reading_list(tab, announced, absent_ids(READING_LIST_CAP - 1))
    more = [paper["id"], "2601.99998", "2601.99999"]
    tab.page.goto(announced.url + f"reading-list/#ids={','.join(more)}")
    stated = re.search(r"up to ([\d,]+)", tab.page.locator("#reading-list").inner_text())
    assert int(stated[1].replace(",", "")) == READING_LIST_CAP
    assert tab.page.locator("#reading-list-status").inner_text() == (
        "1 paper added from the link, 2 left out: the list holds at most 5,000 papers."
    )
    reading_list_titles(tab)
    entries = tab.page.locator("#reading-list-papers > li")
    assert entries.count() == READING_LIST_CAP
    entries.last.scroll_into_view_if_needed()  # laid out once near the screen
    expect(entries.last.locator("h2")).to_have_text(paper["title"])
    assert stored_reading_list(tab)[-1] == paper["id"]
    clean(tab)


def test_a_stored_list_over_the_cap_shows_its_newest_papers_and_stays_usable(new_tab, announced):
    stored = absent_ids(4 * READING_LIST_CAP)  # the last saved first
    tab = new_tab()
    store_reading_list(tab, announced, stored)
    tab.page.goto(announced.url + "reading-list/")
    reading_list_titles(tab)
    entries = tab.page.locator("#reading-list-papers > li")
    assert entries.count() == READING_LIST_CAP
    assert entries.first.locator("h2").inner_text() == f"arXiv:{stored[0]}"
    tab.page.get_by_role("button", name=f"Remove arXiv:{stored[0]}").click()
    assert entries.count() == READING_LIST_CAP - 1
    assert tab.page.locator("#reading-list-status").inner_text() == f"Removed arXiv:{stored[0]}."
    assert stored_reading_list(tab) == stored[1:READING_LIST_CAP]
    clean(tab)


def test_save_is_refused_with_a_message_when_the_list_is_full(new_tab, announced):
    tab = new_tab()
    store_reading_list(tab, announced, absent_ids(READING_LIST_CAP))
    tab.page.goto(announced.url + "keywords/vlm/")
    star = tab.page.locator("article.paper").first.get_by_role("button", name="Save")
    star.click()
    assert tab.page.get_by_role("alert").inner_text() == (
        "Not saved: the reading list holds at most 5,000 papers. Remove some to save more."
    )
    assert star.get_attribute("aria-pressed") == "false"
    assert stored_reading_list(tab) == absent_ids(READING_LIST_CAP)
    clean(tab)


def test_the_compact_view_is_one_line_a_paper_and_survives_a_reload(new_tab, announced):
    tab = new_tab()
    tab.page.goto(announced.url + "keywords/vlm/")
    paper = tab.page.locator("article.paper").first
    full = paper.bounding_box()["height"]
    toggle = tab.page.get_by_role("button", name="Compact list")
    toggle.click()
    line = paper.locator("h2").bounding_box()["height"]
    assert paper.bounding_box()["height"] < min(full / 2, line * 2.5)
    tab.page.reload()
    assert tab.page.get_by_role("button", name="Compact list").get_attribute("aria-pressed") == (
        "true"
    )
    assert paper.bounding_box()["height"] < full / 2
    paper.locator("details.abstract summary").click()
    assert paper.locator("details.abstract p").is_visible()
    clean(tab)


def expected_weeks(slug: str) -> list[tuple[str, int]]:
    """Papers per week of the 52 ending on the newest day, newest week first, from the store."""
    days = {date.fromisoformat(p.stem): p for p in SAMPLE_STORE.glob("*/*.json")}
    newest = max(days)
    first = newest - timedelta(days=52 * 7 - 1)
    counts = [0] * 52
    for day in days:
        if day >= first:
            counts[(day - first).days // 7] += sum(slug in p["keywords"] for p in stored_day(day))
    return [
        (f"{first + timedelta(days=7 * i)} to {first + timedelta(days=7 * i + 6)}", n)
        for i, n in reversed(list(enumerate(counts)))
    ]


@pytest.mark.parametrize("slug", keyword_slugs())
def test_the_trend_chart_numbers_are_the_stores_weekly_counts(new_tab, announced, slug):
    tab = new_tab()
    tab.page.goto(announced.url + f"keywords/{slug}/")
    figure = tab.page.locator("figure.trend")
    figure.locator("summary").click()
    rows = figure.locator("tbody tr")
    table = [(r.locator("th").inner_text(), int(r.locator("td").inner_text())) for r in rows.all()]
    assert table == expected_weeks(slug)
    assert sum(n for _, n in table) > 0
    chart = figure.get_by_role("img")
    assert f"{sum(n for _, n in table)} papers" in chart.get_attribute("aria-label")
    assert figure.locator("svg rect").count() == sum(1 for _, n in table if n)
    tab.page.goto(announced.url)
    assert tab.page.locator("aside.keywords svg.trend.small").count() == len(keyword_slugs())
    clean(tab)


def test_the_opml_lists_every_feed_and_is_linked_from_the_index_and_keyword_pages(announced):
    output = announced.output
    parsed = listparser.parse((output / "feeds" / "keywords.opml").read_bytes())
    assert not parsed.bozo
    feeds = sorted(f"/feeds/{p.name}" for p in (output / "feeds").glob("*.atom.xml"))
    assert sorted(feed.url for feed in parsed.feeds) == feeds
    assert len(feeds) == len(keyword_slugs()) + 1  # and the site feed
    for url in ["/", *(f"/keywords/{slug}/" for slug in keyword_slugs())]:
        page = announced.project.page(url)
        assert page.find("a", href="/feeds/keywords.opml"), url
        assert page.find("link", type="text/x-opml", href="/feeds/keywords.opml"), url


def test_the_favicon_is_served_and_no_page_logs_a_404(new_tab, announced):
    tab = new_tab()
    tab.page.goto(announced.url)
    icon = tab.page.locator("link[rel=icon]").get_attribute("href")
    svg = tab.page.request.get(announced.url.rstrip("/") + icon)
    assert (svg.status, svg.headers["content-type"]) == (200, "image/svg+xml")
    ico = tab.page.request.get(announced.url + "favicon.ico")
    assert ico.status == 200
    assert ico.body()[:4] == b"\0\0\1\0"  # an ICO file
    dark = tab.page.locator("meta[name=theme-color][media='(prefers-color-scheme: dark)']")
    assert dark.get_attribute("content")
    clean(tab)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_every_nav_item_is_in_view_once_the_menu_opens_and_nothing_scrolls_sideways(
    new_tab, site, scheme
):
    tab = new_tab(viewport=PHONE, color_scheme=scheme)
    visit_then_announce(tab, site)  # unseen counts make the nav longest
    tab.page.goto(site.url + "keywords/vlm/")
    ready(tab)
    links = tab.page.locator("header.site nav a")
    assert not links.first.is_visible()  # a closed menu, with a dot for the new papers in it
    menu = tab.page.locator("header.site nav summary")
    assert menu.evaluate("s => getComputedStyle(s, '::after').content").endswith('\u25cf"')
    menu.click()
    open_every_details(tab.page)
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["x"] >= 0, links.nth(index).inner_text()
        assert box["x"] + box["width"] <= PHONE["width"], links.nth(index).inner_text()
    assert overflow(tab.page) == 0
    clean(tab)


def test_without_javascript_pages_are_as_built(browser, announced):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(announced.url + "keywords/vlm/")
    # no star, no toolbar: the only button is the header search form's own submit
    assert page.locator("main button").count() == 0
    assert page.locator("button").all_inner_texts() == ["Search"]
    assert page.locator("[data-unseen]").count() == 0
    assert page.locator("figure.trend svg").is_visible()
    page.goto(announced.url + "reading-list/")
    assert page.locator("#reading-list-nojs").is_visible()
    assert not page.locator("#reading-list").is_visible()
    context.close()


AXE_PAGES = {
    "index, marked, compact": ("", True),
    "keyword, marked": ("keywords/vlm/", False),
    "day, marked": (f"{NEWEST:%Y/%m/%d}/", False),
    "reading list": ("reading-list/", False),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", AXE_PAGES)
def test_axe_finds_nothing_serious_on_the_pages_keeping_up_changed(
    new_tab, site, axe_core_js, name, scheme
):
    path, compact = AXE_PAGES[name]
    tab = new_tab(color_scheme=scheme)
    visit_then_announce(tab, site)  # new marks and counts on every page
    if path == "reading-list/":
        ids = ",".join([*(p["id"] for p in stored_day(NEWEST)[:3]), "2601.99999"])
        path += f"#ids={ids}"
    tab.page.goto(site.url + path)
    ready(tab)
    if compact:
        tab.page.get_by_role("button", name="Compact list").click()
    if path.startswith("reading-list/"):
        assert len(reading_list_titles(tab)) == 4
    open_every_details(tab.page)
    assert serious_axe_violations(tab.page, axe_core_js) == {}
    clean(tab)


def test_the_changed_pages_and_keepup_css_pass_the_nu_checker(announced):
    output = announced.output
    pages = [
        output / "index.html",
        output / "keywords/vlm/index.html",
        output / f"{NEWEST:%Y/%m/%d}/index.html",
        output / "reading-list/index.html",
    ]
    assert nu_errors(pages) == []
    assert nu_errors([output / "theme/css/keepup.css"], css=True) == []
