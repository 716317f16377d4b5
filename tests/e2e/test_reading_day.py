"""Reading a day the way researchers read arXiv, measured by Chromium on the sample site: how
many papers a screen holds, where the newest digest's first paper starts, compact titles
that wrap, charts with labels, the phone menu, why each paper matched (<mark>), a deep link
that opens its abstract without JavaScript, chips for a day's keywords and categories, and
pages that do not move while their scripts add to them (cumulative layout shift)."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from arxiv_digest.model.keywords import load
from arxiv_digest_dev.harness import PHONE, serve

from ..conftest import SAMPLE_SITE, Project
from .conftest import open_every_details, overflow
from .pages import DESKTOP, FULL_DAY, NEWEST, RECORD_SHIFTS, SAMPLE_STORE, TWO_FRAMES, day_url


def stored_ids(day: str) -> set[str]:
    path = SAMPLE_STORE / day[:4] / f"{day}.json"
    return {paper["id"] for paper in json.loads(path.read_text(encoding="utf-8"))["papers"]}


def keywords():
    return load(SAMPLE_SITE / "keywords.yaml").keywords


def open_page(browser: Browser, url: str, viewport=DESKTOP, **options) -> Page:
    page = browser.new_context(viewport=viewport, **options).new_page()
    page.goto(url)
    if options.get("java_script_enabled", True):
        page.locator("html[data-keepup=ready]").wait_for(state="attached")
    return page


@pytest.fixture
def browse(browser) -> Iterator:
    """Open pages, each in its own context, closed after the test."""
    pages: list[Page] = []

    def new(url: str, viewport=DESKTOP, **options) -> Page:
        pages.append(open_page(browser, url, viewport, **options))
        return pages[-1]

    yield new
    for page in pages:
        page.context.close()


# Where each paper starts, from the top of the page, in CSS pixels.
PAPER_TOPS = """() => [...document.querySelectorAll('main article.paper')]
    .map(p => p.getBoundingClientRect().top + window.scrollY)"""


def papers_per_900_px(page: Page, papers: int = 20) -> float:
    """Papers in 900 px of the page, from the first paper's top to the end of the
    ``papers``-th, headings between them included."""
    tops = page.evaluate(PAPER_TOPS)
    last = page.locator("main article.paper").nth(papers - 1).bounding_box()
    end = last["y"] + last["height"] + page.evaluate("window.scrollY")
    return 900 * papers / (end - tops[0])


@pytest.mark.parametrize("url", [day_url(FULL_DAY), "/keywords/vlm/"])
def test_a_1280_px_screen_shows_seven_papers_with_everything_they_say(browse, sample_url, url):
    page = browse(sample_url + url)
    assert papers_per_900_px(page) >= 7
    # Nothing a paper says is hidden to make room: title, links, authors, tags, abstract.
    for paper in page.locator("main article.paper").all()[:20]:
        for part in ["h2 a, h3 a, h4 a", "a:text-is('PDF')", "a:text-is('HTML')", ".tags a"]:
            assert paper.locator(part).first.is_visible(), part
        if paper.locator("ul.authors").count():
            assert paper.locator("ul.authors li").first.is_visible()
        assert paper.locator("details.abstract summary").is_visible()


@pytest.mark.parametrize(("viewport", "limit"), [(DESKTOP, 450), (PHONE, 700)])
def test_the_newest_digests_first_paper_starts_high_on_the_index(
    browse, sample_url, viewport, limit
):
    page = browse(sample_url + "/", viewport)
    assert page.evaluate(PAPER_TOPS)[0] < limit
    assert page.locator("main article.paper").first.get_attribute("id") in stored_ids(NEWEST)


# Whether any title on the page is cut: its text beyond the box that clips it, or a box
# that scrolls or ends in an ellipsis.
CUT_TITLES = """() => [...document.querySelectorAll('main article.paper')].filter(paper => {
    const title = paper.querySelector('h2, h3, h4');
    const range = document.createRange();
    range.selectNodeContents(title);
    const text = [...range.getClientRects()];
    for (let box = title; box !== paper.parentElement; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (style.overflowX === 'visible' && style.textOverflow !== 'ellipsis') continue;
        const edge = box.getBoundingClientRect();
        if (box.scrollWidth > box.clientWidth + 1) return true;
        if (text.some(r => r.right > edge.right + 1 || r.left < edge.left - 1)) return true;
    }
    return false;
}).map(paper => paper.id)"""


def test_the_compact_view_wraps_every_title_and_shows_fifteen_papers_per_900_px(browse, sample_url):
    page = browse(sample_url + "/keywords/vlm/")
    full = page.evaluate(PAPER_TOPS)
    page.get_by_role("button", name="Compact list").click()
    assert page.evaluate(CUT_TITLES) == []
    assert papers_per_900_px(page) >= 15
    assert page.evaluate(PAPER_TOPS)[1] - page.evaluate(PAPER_TOPS)[0] < full[1] - full[0]
    page.set_viewport_size(PHONE)
    assert page.evaluate(CUT_TITLES) == []
    assert overflow(page) == 0


def test_the_trend_chart_has_a_scale_a_month_axis_and_the_tallest_weeks_count(browse, sample_url):
    page = browse(sample_url + "/keywords/vlm/")
    figure = page.locator("figure.trend")
    chart = figure.get_by_role("img")
    figure.locator("summary").click()
    weeks = [int(n) for n in figure.locator("tbody td").all_inner_texts()]
    ticks = [int(t) for t in chart.locator("text.tick").all_text_contents()]
    assert ticks == sorted(ticks)
    assert ticks[-1] >= max(weeks) > ticks[-1] // 2  # the scale reaches the tallest week
    assert chart.locator("text.tallest").text_content() == str(max(weeks))
    assert f"at most {max(weeks)} in a week" in chart.get_attribute("aria-label")
    months = chart.locator("text.month").all_text_contents()
    assert len(months) >= 11  # a name for (nearly) every month of the 52 weeks
    assert any(re.search(r"\b20\d\d\b", month) for month in months)  # and the year
    # On a desktop and on a phone (fewer months), every label is in the chart, none overlap.
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        box = chart.bounding_box()
        shown = [t.bounding_box() for t in chart.locator("text").all() if t.is_visible()]
        assert all(
            box["x"] <= t["x"] and t["x"] + t["width"] <= box["x"] + box["width"] for t in shown
        )
        names = [t.bounding_box() for t in chart.locator("text.month").all() if t.is_visible()]
        assert len(names) >= 5
        assert all(a["x"] + a["width"] < b["x"] for a, b in itertools.pairwise(names))


def test_the_index_charts_line_up_on_one_scale(browse, sample_url):
    page = browse(sample_url + "/")
    charts = page.locator("aside.keywords svg.trend.small").all()
    assert len(charts) == len(keywords())
    boxes = [chart.bounding_box() for chart in charts]
    assert len({(round(b["x"]), round(b["width"]), round(b["height"])) for b in boxes}) == 1
    # Each row's chart sits on its own row, each at the same baseline of its row.
    rows = [c.locator("xpath=ancestor::li").bounding_box() for c in charts]
    assert (
        len({round(b["y"] + b["height"] - r["y"]) for b, r in zip(boxes, rows, strict=True)}) == 1
    )
    # One scale: the tallest bar of all is as tall as the chart, and the note says its count.
    top = max(
        int(t)
        for t in re.findall(
            r"at most (\d+) in a week", " ".join(c.get_attribute("aria-label") for c in charts)
        )
    )
    assert f"(0\N{EN DASH}{top})" in page.locator("aside.keywords .note").inner_text()


def test_on_a_phone_the_menu_opens_without_javascript_to_every_item(browse, sample_url):
    page = browse(sample_url + "/keywords/vlm/", PHONE, java_script_enabled=False)
    links = page.locator("header.site nav a")
    names = links.all_text_contents()
    assert {"Archive", "Reading list"} <= set(names)
    page.locator("header.site nav summary").click()
    for link in links.all():
        box = link.bounding_box()
        assert link.is_visible()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    assert overflow(page) == 0
    # A desktop shows the navigation as it is, with no menu to open.
    desktop = browse(sample_url + "/keywords/vlm/", java_script_enabled=False)
    assert not desktop.locator("header.site nav summary").is_visible()
    assert all(link.is_visible() for link in desktop.locator("header.site nav a").all())


def phrase(term: str) -> re.Pattern[str]:
    """A keyword's term as arXiv matches it: word by word, ignoring case, plurals."""
    words = r"\W+".join(re.escape(w) + "(?:e?s)?" for w in re.findall(r"\w+", term))
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize("keyword", keywords(), ids=lambda k: k.slug)
def test_every_paper_on_a_keyword_page_marks_the_phrases_it_matched(browse, sample_url, keyword):
    if not keyword.terms:
        pytest.fail(f"{keyword.slug} has no terms: this test needs the sample's keywords")
    page = browse(sample_url + f"/keywords/{keyword.slug}/")
    papers = page.locator("main article.paper")
    open_every_details(page)
    phrases = [phrase(term) for term in keyword.terms]
    unmarked = []
    for paper in papers.all():
        marks = paper.locator("h2 mark, details.abstract p mark").all_inner_texts()
        if not marks:
            unmarked.append(paper.get_attribute("id"))
        # A mark holds a phrase of one of the paper's keywords, nothing else.
        matched = [
            k for k in keywords() if paper.locator(f".tags a[href='/keywords/{k.slug}/']").count()
        ]
        allowed = [phrase(t) for k in matched for t in k.terms]
        assert all(any(p.fullmatch(m) for p in allowed) for m in marks), marks
        # Every place the text says one of them is marked (formulas and links aside).
        text = paper.locator("h2 a, details.abstract p").all_inner_texts()
        said = [m.group() for p in phrases for t in text for m in p.finditer(t)]
        assert Counter(m.lower() for m in said) <= Counter(m.lower() for m in marks)
    assert unmarked == []
    assert papers.count() > 0
    # A mark is readable in both schemes: it has a background of its own.
    assert page.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor")


def test_a_deep_link_opens_its_papers_abstract_without_javascript(browse, sample_url):
    probe = browse(sample_url + day_url(NEWEST), java_script_enabled=False)
    paper_id = probe.locator("main article.paper").nth(-3).get_attribute("id")
    page = browse(sample_url + day_url(NEWEST) + "#" + paper_id, java_script_enabled=False)
    paper = page.locator(f"article[id='{paper_id}']")
    assert paper.locator("details.abstract p").is_visible()
    assert paper.evaluate("p => p.getBoundingClientRect().top") < DESKTOP["height"] / 2
    # Only that one: every other abstract stays closed.
    opened = page.locator("details.abstract p").evaluate_all(
        "all => all.filter(p => p.checkVisibility()).length"
    )
    assert opened == 1


def test_a_digest_page_has_chips_for_its_keywords_and_categories_with_their_papers(
    browse, sample_url
):
    # Links without JavaScript (test_day_filters: with it, they narrow the page in place).
    page = browse(sample_url + day_url(FULL_DAY), java_script_enabled=False)
    chips = page.locator("nav.chips a")
    assert chips.count() >= 3
    papers = page.locator("main article.paper")
    for chip in chips.all():
        href = chip.get_attribute("href")
        assert re.fullmatch(r"/(keywords|categories)/[^/]+/", href)
        count = int(chip.locator(".count").inner_text().split()[0])
        # The papers it counts carry a tag with the same link: what a filter would keep.
        assert papers.filter(has=page.locator(f".tags a[href='{href}']")).count() == count
    assert page.locator("nav.chips a.kw").count() >= 1
    chips.last.click()
    assert page.url.endswith(href)


PAGE_TYPES = {
    "index": "/",
    "digest": day_url(NEWEST),
    "full digest": day_url(FULL_DAY),
    "keyword": "/keywords/vlm/",
    "category": "/categories/cs.CV/",
    "archive": "/archive/",
    "status": "/status/",
    "about": "/about/",
    "reading list": "/reading-list/",
    "search": "/search/?q=video",
}


@pytest.fixture(scope="module")
def yesterday_url(tmp_path_factory) -> Iterator[str]:
    """The sample site as it was before its newest day, served: a visit there, then one to
    the sample site, is a reader coming back to a new day."""
    project = Project(
        tmp_path_factory.mktemp("yesterday") / "site",
        (SAMPLE_SITE / "keywords.yaml").read_text(encoding="utf-8"),
    )
    shutil.copytree(
        SAMPLE_SITE / "content" / "pages", project.content / "pages", dirs_exist_ok=True
    )
    for path in SAMPLE_STORE.glob("*/*.json"):
        if path.stem != NEWEST:
            (project.store / path.parent.name).mkdir(exist_ok=True)
            shutil.copy(path, project.store / path.parent.name / path.name)
    project.build()
    with serve(project.output) as url:
        yield url


def returning_reader(browser: Browser, yesterday: str, today: str, viewport) -> BrowserContext:
    """A browser that visited yesterday's site two hours ago and saved two papers: what its
    scripts stored, carried to today's site (another origin)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.clock.install(time=datetime.now(UTC) - timedelta(hours=2))
    page.goto(yesterday + day_url(FULL_DAY))
    page.locator("html[data-keepup=ready]").wait_for(state="attached")
    for star in page.get_by_role("button", name="Save").all()[:2]:
        star.click()
    state = context.storage_state()
    context.close()
    for origin in state["origins"]:
        origin["origin"] = origin["origin"].replace(yesterday, today)
    return browser.new_context(viewport=viewport, storage_state=state)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("visit", ["first visit", "coming back"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_nothing_moves_while_the_scripts_add_to_the_page(
    browser, sample_url, yesterday_url, name, visit, viewport
):
    if visit == "first visit":
        context = browser.new_context(viewport=viewport)
    else:
        context = returning_reader(browser, yesterday_url, sample_url, viewport)
    context.add_init_script(RECORD_SHIFTS)
    page = context.new_page()
    page.goto(sample_url + PAGE_TYPES[name])
    page.locator("html[data-keepup=ready]").wait_for(state="attached")
    added = page.locator(".keepup-tools")
    if name == "reading list":
        saved = 2 if visit == "coming back" else 0
        page.locator("#reading-list:not([aria-busy=true])").wait_for()
        assert page.locator("#reading-list-papers article.paper").count() == saved
    elif name == "search":
        page.locator("#search-results > li").first.wait_for()
    elif page.locator("main article.paper").count():
        assert page.get_by_role("button", name="Save").count() > 0
        assert added.get_by_role("button", name="Compact list").is_visible()
    if visit == "coming back" and name != "reading list":
        assert added.get_by_role("link", name=re.compile(r"Reading list \(2\)")).is_visible()
        assert page.locator("header.site .unseen-count").count() > 0
        if name in ("index", "digest"):
            assert page.locator("article.paper .unseen-mark").count() > 0
            assert added.get_by_role("button", name="Mark all as seen").is_visible()
    page.evaluate(TWO_FRAMES)
    assert page.evaluate("window.shiftScore()") <= 0.05
    context.close()
