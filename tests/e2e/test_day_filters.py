"""Filters in place on a digest page (a day's page, the index's newest digest), in Chromium on
the sample site: each chip narrows the page to the papers the store files under its keyword
or category, a keyword and a category together, "Show all" and a second press undo it, the
keyboard works, "Open all abstracts" and "Close all"; without JavaScript the chips stay links
and no toolbar shows."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page

from arxiv_digest.model.store import Store
from arxiv_digest.pages.listings import listed_papers
from arxiv_digest_dev.harness import PHONE, serious_axe_violations

from .pages import DESKTOP, FULL_DAY, NEWEST, SAMPLE_STORE, day_url

# Every paper of the page that a reader sees, by id.
SHOWN = """all => all.filter(p => p.checkVisibility()).map(p => p.id)"""


def papers_of(day: str) -> list:
    return next(listed_papers(d) for d in Store(SAMPLE_STORE).days() if d.date.isoformat() == day)


def filed_under(day: str, href: str) -> set[str]:
    """The ids of the day's papers that the store files under a chip's keyword or category."""
    kind, key = re.fullmatch(r"/(keywords|categories)/([^/]+)/", href).groups()
    papers = papers_of(day)
    if kind == "keywords":
        return {p.id for p in papers if key in p.keywords}
    return {p.id for p in papers if key in p.categories}


def chips_of(sample_output, url: str) -> list[tuple[str, str]]:
    """The page's chips as built (href, name), in order."""
    html = BeautifulSoup((sample_output / url.strip("/") / "index.html").read_text(), "html.parser")
    return [
        (a["href"], a.find(string=True, recursive=False).strip())
        for a in html.select("nav.chips a")
    ]


@pytest.fixture
def open_page(browser) -> Iterator:
    pages: list[Page] = []

    def new(url: str, viewport=DESKTOP, **options) -> Page:
        page = browser.new_context(viewport=viewport, **options).new_page()
        page.on("pageerror", lambda error: pytest.fail(f"uncaught: {error}"))
        page.goto(url)
        if options.get("java_script_enabled", True):
            page.locator("html[data-keepup=ready]").wait_for(state="attached")
        pages.append(page)
        return page

    yield new
    for page in pages:
        page.context.close()


def shown(page: Page) -> set[str]:
    return set(page.locator("main article.paper").evaluate_all(SHOWN))


@pytest.mark.parametrize(("url", "day"), [(day_url(FULL_DAY), FULL_DAY), ("/", NEWEST)])
def test_each_chip_narrows_the_page_to_its_papers_and_a_second_press_shows_all(
    open_page, sample_url, sample_output, url, day
):
    page = open_page(sample_url + url)
    every = {p.id for p in papers_of(day)}
    assert shown(page) == every
    chips = chips_of(sample_output, url)
    assert len(chips) >= (3 if url != "/" else 2)
    status = page.get_by_role("status").filter(has_text="Showing")
    for index, (href, name) in enumerate(chips):
        chip = page.locator("nav.chips button").nth(index)
        assert chip.inner_text().startswith(name)
        expected = filed_under(day, href)
        assert int(chip.locator(".count").inner_text().split()[0]) == len(expected)
        chip.click()
        assert chip.get_attribute("aria-pressed") == "true"
        assert shown(page) == expected, name
        assert status.inner_text() == f"Showing {len(expected)} of {len(every)} papers: {name}."
        # Each section shown holds a paper shown, or says it lists one above.
        for section in page.locator("section.keyword").all():
            if section.is_visible():
                assert section.locator("article.paper:visible, p.elsewhere:visible").count()
        chip.click()
        assert chip.get_attribute("aria-pressed") == "false"
        assert shown(page) == every
        assert status.inner_text() == f"Showing all {len(every)} papers."


def test_narrowing_to_a_keyword_shows_its_section(open_page, sample_url, sample_output):
    page = open_page(sample_url + day_url(FULL_DAY))
    name = next(
        name
        for href, name in chips_of(sample_output, day_url(FULL_DAY))
        if href.startswith("/keywords/")
    )
    page.locator("nav.chips button").filter(has_text=name).first.click()
    heading = page.locator("section.keyword > h2").filter(has_text=name)
    assert heading.is_visible()
    # The sections of papers without that keyword are gone.
    hidden = page.locator("section.keyword").evaluate_all(
        "all => all.filter(s => !s.checkVisibility()).length"
    )
    assert hidden >= 1


def test_a_keyword_and_a_category_narrow_together_and_show_all_undoes_both(
    open_page, sample_url, sample_output
):
    url = day_url(FULL_DAY)
    page = open_page(sample_url + url)
    chips = chips_of(sample_output, url)
    papers = [filed_under(FULL_DAY, href) for href, _ in chips]
    # A keyword and a category that each narrow the other, some papers left.
    kw, cat = next(
        (k, c)
        for k, (kw_href, _) in enumerate(chips)
        for c, (cat_href, _) in enumerate(chips)
        if kw_href.startswith("/keywords/")
        and cat_href.startswith("/categories/")
        and 0 < len(papers[k] & papers[c]) < min(len(papers[k]), len(papers[c]))
    )
    expected = papers[kw] & papers[cat]
    buttons = page.locator("nav.chips button")
    buttons.nth(kw).click()
    buttons.nth(cat).click()
    assert shown(page) == expected
    assert page.get_by_role("status").filter(has_text="Showing").inner_text() == (
        f"Showing {len(expected)} of {len(papers_of(FULL_DAY))} papers: "
        f"{chips[kw][1]} and {chips[cat][1]}."
    )
    page.get_by_role("button", name="Show all").click()
    assert shown(page) == {p.id for p in papers_of(FULL_DAY)}
    assert buttons.evaluate_all("all => all.filter(b => b.ariaPressed === 'true').length") == 0
    assert page.get_by_role("button", name="Show all").is_hidden()
    assert page.evaluate("document.activeElement.closest('nav.chips') !== null")


def test_the_chips_work_from_the_keyboard(open_page, sample_url):
    page = open_page(sample_url + day_url(FULL_DAY))
    chip = page.locator("nav.chips button").nth(1)
    chip.focus()
    page.keyboard.press("Enter")
    assert chip.get_attribute("aria-pressed") == "true"
    narrowed = shown(page)
    page.keyboard.press("Space")
    assert chip.get_attribute("aria-pressed") == "false"
    assert len(shown(page)) > len(narrowed)


def test_a_link_to_a_paper_the_filter_hides_shows_the_whole_day(
    open_page, sample_url, sample_output
):
    url = day_url(FULL_DAY)
    page = open_page(sample_url + url)
    href, _ = chips_of(sample_output, url)[-1]
    page.locator("nav.chips button").last.click()
    hidden = sorted({p.id for p in papers_of(FULL_DAY)} - filed_under(FULL_DAY, href))[0]
    page.evaluate("id => { location.hash = id; }", hidden)
    page.locator(f"article.paper[id='{hidden}']").wait_for()
    assert len(shown(page)) == len(papers_of(FULL_DAY))


@pytest.mark.parametrize("url", [day_url(FULL_DAY), "/"])
def test_open_all_abstracts_opens_every_abstract_and_close_all_closes_them(
    open_page, sample_url, url
):
    page = open_page(sample_url + url)
    abstracts = page.locator("main article.paper details.abstract")
    assert abstracts.count() == page.locator("main article.paper").count() > 1
    page.get_by_role("button", name="Open all abstracts").click()
    assert page.locator("main article.paper details.abstract[open]").count() == abstracts.count()
    assert abstracts.last.locator("p").first.is_visible()
    page.get_by_role("button", name="Close all").click()
    assert page.locator("main details.abstract[open]").count() == 0


def test_open_all_opens_the_abstracts_of_the_papers_shown(open_page, sample_url):
    page = open_page(sample_url + day_url(FULL_DAY))
    page.locator("nav.chips button").last.click()
    page.get_by_role("button", name="Open all abstracts").click()
    opened = page.locator("main details.abstract[open]").evaluate_all(
        "all => all.map(d => d.closest('article').id)"
    )
    assert set(opened) == shown(page)


def test_without_javascript_the_chips_are_links_and_no_toolbar_shows(open_page, sample_url):
    for url in (day_url(FULL_DAY), "/"):
        page = open_page(sample_url + url, java_script_enabled=False)
        links = page.locator("nav.chips a")
        assert links.count() >= 2
        assert page.locator("nav.chips button").count() == 0
        assert page.locator(".page-tools").is_hidden()
        # The day's table of contents is there instead of the filters.
        assert page.locator("nav.toc").is_visible()
    links.first.click()
    assert re.search(r"/keywords/[^/]+/$", page.url)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_serious_on_a_narrowed_day(
    open_page, sample_url, axe_core_js, viewport, scheme
):
    page = open_page(sample_url + day_url(FULL_DAY), viewport, color_scheme=scheme)
    page.locator("nav.chips button.kw").first.click()
    page.locator("nav.chips button:not(.kw)").first.click()
    page.get_by_role("button", name="Open all abstracts").click()
    assert serious_axe_violations(page, axe_core_js) == {}
