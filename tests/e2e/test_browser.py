"""The sample site in headless Chromium, used the way a reader uses it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from arxiv_digest_dev.harness import PHONE

from .conftest import open_every_details, open_tab, overflow, page_urls


def test_the_index_leads_to_a_keyword_page(new_tab, sample_url):
    page = new_tab().page
    page.goto(sample_url + "/")
    page.get_by_role("complementary", name="Keywords").get_by_role(
        "link", name="Vision Language Model", exact=True
    ).click()
    expect(page).to_have_url(sample_url + "/keywords/vlm/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vision Language Model")
    expect(
        page.get_by_role("link", name="Vision Language Model", exact=True).first
    ).to_have_attribute("aria-current", "page")
    expect(page.locator("article.paper").first).to_be_visible()


def test_an_abstract_opens_and_closes_on_click(new_tab, sample_url):
    page = new_tab().page
    page.goto(sample_url + "/keywords/vlm/")
    abstract = page.locator("article.paper details.abstract").first
    expect(abstract.locator("p")).to_be_hidden()
    abstract.locator("summary").click()
    expect(abstract.locator("p")).to_be_visible()
    abstract.locator("summary").click()
    expect(abstract.locator("p")).to_be_hidden()


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_an_abstract_opens_from_the_keyboard(new_tab, sample_url, key):
    page = new_tab().page
    page.goto(sample_url + "/keywords/vlm/")
    paper = page.locator("article.paper:not(:has(details.comment))").first
    abstract = paper.locator("details.abstract")
    # Tab from the paper's last link before the abstract: the summary is next in tab order.
    paper.locator(".tags a").last.focus()
    page.keyboard.press("Tab")
    expect(abstract.locator("summary")).to_be_focused()
    page.keyboard.press(key)
    expect(abstract.locator("p")).to_be_visible()


def test_a_category_chip_leads_to_its_category_page(new_tab, sample_url):
    page = new_tab().page
    page.goto(sample_url + "/2025/12/04/")
    paper = page.locator("article.paper", has=page.locator("a.cat.primary")).first
    arxiv_id = paper.get_attribute("id")
    chip = paper.locator("a.cat.primary")
    expect(chip).to_have_text("cs.CV")
    expect(chip).to_have_attribute("title", "Computer Vision and Pattern Recognition")
    chip.click()
    expect(page).to_have_url(sample_url + "/categories/cs.CV/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "cs.CV Computer Vision and Pattern Recognition"
    )
    expect(page.locator(f'article.paper[id="{arxiv_id}"]')).to_have_count(1)


def test_the_archive_opens_a_day_that_steps_to_the_previous_day(new_tab, sample_url):
    page = new_tab().page
    page.goto(sample_url + "/archive/")
    page.get_by_role("link", name="4 December 2025: 33 papers", exact=True).click()
    expect(page).to_have_url(sample_url + "/2025/12/04/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "arXiv digest, Thursday 4 December 2025"
    )
    page.get_by_role("navigation", name="Other days", exact=True).get_by_role(
        "link", name="2025-12-02"
    ).click()
    expect(page).to_have_url(sample_url + "/2025/12/02/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "arXiv digest, Tuesday 2 December 2025"
    )


@pytest.fixture(scope="module")
def phone_visits(browser, sample_output, sample_url) -> dict:
    """Every page of the sample site opened on a phone, every details opened."""
    visits = {}
    tab = open_tab(browser, viewport=PHONE)
    for url in page_urls(sample_output):
        tab.page.goto(sample_url + url)
        open_every_details(tab.page)
        visits[url] = overflow(tab.page)
    tab.page.context.close()
    return {"overflow": visits, "errors": tab.errors, "outside": tab.outside}


def test_every_page_was_visited(phone_visits, sample_output):
    assert len(phone_visits["overflow"]) == len(page_urls(sample_output)) >= 30


def test_no_page_scrolls_sideways_on_a_phone(phone_visits):
    assert {url: px for url, px in phone_visits["overflow"].items() if px > 0} == {}


def test_no_page_logs_a_console_error(phone_visits):
    assert phone_visits["errors"] == []


def test_no_request_leaves_127_0_0_1(phone_visits):
    assert phone_visits["outside"] == []


CONTRAST = """
selector => {
  const rgba = c => c.match(/[\\d.]+/g).map(Number).concat([1]).slice(0, 4);
  const lum = ([r, g, b]) => {
    const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, bottom) =>
    top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3]));
  const background = el => {
    const layers = [];
    for (; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] === 1) break;
    }
    return layers.reduceRight((below, c) => over(c, below), [255, 255, 255]);
  };
  const el = document.querySelector(selector);
  if (!el) return null;
  const bg = background(el);
  const fg = over(rgba(getComputedStyle(el).color), bg);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""

# What a reader reads on a page: body text, links, muted text, chips and marks.
TEXT = {
    "/2025/12/04/": [
        "main h1",
        ".lede",
        "nav.days a",
        ".toc a",
        ".toc .count",
        "article.paper h4 a",
        "article.paper .meta",
        "article.paper .meta a",
        "article.paper .authors",
        ".tags a.primary",
        ".tags a.kw",
        "details.abstract summary",
        "details.abstract p",
        "footer.site",
        "footer.site a",
    ],
    "/keywords/vlm/": [
        "header.site .brand",
        "header.site nav a",
        "article.paper .revised",
        "article.paper .comment",
        "details.query code",
    ],
    "/archive/": ["table.calendar th", "table.calendar .d", "table.calendar .n"],
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_readable(new_tab, sample_url, scheme):
    tab = new_tab(color_scheme=scheme)
    low = {}
    for url, selectors in TEXT.items():
        tab.page.goto(sample_url + url)
        open_every_details(tab.page)
        for selector in selectors:
            ratio = tab.page.evaluate(CONTRAST, selector)
            assert ratio is not None, f"{url}: nothing matches {selector}"
            if ratio < 4.5:  # WCAG AA for normal-size text
                low[f"{url} {selector}"] = round(ratio, 2)
    assert low == {}


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_the_page_follows_the_colour_scheme(new_tab, sample_url, scheme, dark):
    page = new_tab(color_scheme=scheme).page
    page.goto(sample_url + "/")
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    red, green, blue = map(int, re.findall(r"\d+", background)[:3])
    assert (red + green + blue < 3 * 128) is dark, background


def test_a_failed_fetch_and_a_late_paper_fit_a_phone(
    browser, failed_fetch_output, failed_fetch_url
):
    tab = open_tab(browser, viewport=PHONE)
    widths = {}
    for url in page_urls(failed_fetch_output):
        tab.page.goto(failed_fetch_url + url)
        open_every_details(tab.page)
        widths[url] = overflow(tab.page)
    tab.page.context.close()
    assert "/status/" in widths
    assert {url: px for url, px in widths.items() if px > 0} == {}
