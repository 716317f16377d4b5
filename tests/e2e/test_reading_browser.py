"""Reading in Chromium: math laid out as MathML and kept in its box on a phone, BibTeX copied
in one click (and reachable without JavaScript), on the site of
``arxiv_digest_dev.reading_site``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from arxiv_digest_dev.harness import PHONE, serious_axe_violations, serve
from arxiv_digest_dev.reading_site import DAY_URLS, HARD, HARD_DAY, LONG, build_reading_site

from ..readers import assert_entry_matches, html_files, nu_errors, parse, read_back
from .conftest import open_every_details, open_tab, overflow, page_urls

CLIPBOARD = ["clipboard-read", "clipboard-write"]


@pytest.fixture(scope="module")
def reading_output(tmp_path_factory) -> Path:
    return build_reading_site(tmp_path_factory.mktemp("reading") / "site").output


@pytest.fixture(scope="module")
def reading_url(reading_output) -> Iterator[str]:
    with serve(reading_output) as url:
        yield url


def entry_in(bib: str, arxiv_id: str) -> str:
    """The entry of ``arxiv_id`` as it is written in a .bib file."""
    (entry,) = [e for e in bib.split("\n\n") if f"  eprint = {{{arxiv_id}}},\n" in e + "\n"]
    return entry.strip() + "\n"


def test_the_bibtex_button_copies_the_paper_s_entry_and_says_so(
    new_tab, reading_url, reading_output
):
    paper = HARD["author"]
    tab = new_tab()
    tab.page.context.grant_permissions(CLIPBOARD, origin=reading_url)
    tab.page.goto(reading_url + DAY_URLS[HARD_DAY])
    button = tab.page.locator(f'article[id="{paper.id}"]').get_by_role("button", name="BibTeX")
    button.click()
    expect(tab.page.get_by_role("status")).to_have_text(f"BibTeX of arXiv:{paper.id} copied")
    expect(button).to_have_text("BibTeX copied")
    copied = tab.page.evaluate("navigator.clipboard.readText()")
    bib = (reading_output / "2026/01/28/papers.bib").read_text(encoding="utf-8")
    assert copied == entry_in(bib, paper.id)
    (entry,) = parse(copied)
    assert_entry_matches(entry, paper)
    assert entry["author"] == ["O'Neil {Jr. }", "Zoë Ñúñez-García", "李小龙"]
    assert tab.errors == tab.outside == tab.dialogs == []


def test_on_a_keyword_page_the_button_copies_from_the_day_of_the_listing(
    new_tab, reading_url, reading_output
):
    tab = new_tab()
    tab.page.context.grant_permissions(CLIPBOARD, origin=reading_url)
    tab.page.goto(reading_url + "/keywords/testing/")
    recorded = tab.page.locator("article.paper").last  # the oldest: a recorded paper
    arxiv_id = recorded.get_attribute("id")
    recorded.get_by_role("button", name="BibTeX").click()
    expect(tab.page.get_by_role("status")).to_have_text(f"BibTeX of arXiv:{arxiv_id} copied")
    bib = (reading_output / "2026/01/27/papers.bib").read_text(encoding="utf-8")
    assert tab.page.evaluate("navigator.clipboard.readText()") == entry_in(bib, arxiv_id)


def test_the_entry_module_fetches_a_day_s_bib_once_for_other_scripts(new_tab, reading_url):
    tab = new_tab()
    bibs = []
    tab.page.on("request", lambda r: r.url.endswith(".bib") and bibs.append(r.url))
    tab.page.goto(reading_url + DAY_URLS[HARD_DAY])
    found = tab.page.evaluate(
        """async ([url, ids]) => {
             const { bibtexEntry } = await import("/theme/js/bibtex.js");
             return Promise.all(ids.map(id => bibtexEntry(url, id)));
           }""",
        ["/2026/01/28/papers.bib", [HARD["math"].id, HARD["code"].id, "2601.99999"]],
    )
    assert [entry and read_back(entry)[0]["eprint"] for entry in found] == [
        HARD["math"].id,
        HARD["code"].id,
        None,
    ]
    assert bibs == [reading_url + "/2026/01/28/papers.bib"]


def test_without_javascript_the_bibtex_link_leads_to_a_bib_holding_the_entry(browser, reading_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(reading_url + "/keywords/testing/")
        for paper_id in (HARD["author"].id, HARD["math"].id):
            link = page.locator(f'article[id="{paper_id}"]').get_by_role(
                "link", name="BibTeX", exact=True
            )
            response = page.request.get(reading_url + link.get_attribute("href"))
            assert response.ok
            assert entry_in(response.text(), paper_id)
        total = page.locator("article.paper").count()
        everything = page.get_by_role("link", name=f"BibTeX of all {total} papers")
        response = page.request.get(reading_url + everything.get_attribute("href"))
        assert response.text().count("@misc{") == total
    finally:
        context.close()


MATH_BOXES = """
() => [...document.querySelectorAll('math')].map(math => ({
  tex: math.getAttribute('alttext'),
  width: math.clientWidth, scrollWidth: math.scrollWidth,
  height: math.clientHeight, scrollHeight: math.scrollHeight,
  column: math.closest('article').clientWidth,
  colour: getComputedStyle(math).color,
  text: getComputedStyle(math.parentElement).color,
}))
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_math_stays_in_its_box_and_scrolls_only_there(new_tab, reading_url, scheme):
    tab = new_tab(viewport=PHONE, color_scheme=scheme)
    tab.page.goto(reading_url + DAY_URLS[HARD_DAY])
    open_every_details(tab.page)
    assert overflow(tab.page) == 0
    boxes = tab.page.evaluate(MATH_BOXES)
    assert len(boxes) >= 20
    # No formula is wider than the column; the long ones scroll inside their own box.
    assert [b["tex"] for b in boxes if b["width"] > b["column"]] == []
    scrolling = {b["tex"] for b in boxes if b["scrollWidth"] > b["width"]}
    assert LONG in scrolling
    # Tall formulas keep their ink: nothing cut off top or bottom (1 px is rounding).
    assert [b["tex"] for b in boxes if b["scrollHeight"] > b["height"] + 1] == []
    # Math is in the colour of the text around it: dark on light, light on dark.
    assert [b["tex"] for b in boxes if b["colour"] != b["text"]] == []
    channels = [sum(map(int, re.findall(r"\d+", b["colour"])[:3])) for b in boxes]
    assert all((total > 3 * 128) is (scheme == "dark") for total in channels)


def test_a_fraction_is_laid_out_as_math_not_as_text(new_tab, reading_url):
    page = new_tab().page
    page.goto(reading_url + DAY_URLS[HARD_DAY])
    open_every_details(page)
    numerator, denominator = page.evaluate(
        """() => [...document.querySelector('article[id="2601.10001"] mfrac')
                    .children].map(child => child.getBoundingClientRect().top)"""
    )
    assert numerator < denominator


@pytest.fixture(scope="module")
def reading_visits(browser, reading_output, reading_url) -> dict:
    """Every page of the reading site on a phone, every details opened."""
    tab = open_tab(browser, viewport=PHONE)
    visits = {}
    for url in page_urls(reading_output):
        tab.page.goto(reading_url + url)
        open_every_details(tab.page)
        visits[url] = overflow(tab.page)
    tab.page.context.close()
    return {"overflow": visits, "errors": tab.errors, "dialogs": tab.dialogs, "out": tab.outside}


def test_no_reading_page_scrolls_sideways_or_runs_anything_from_arxiv(reading_visits):
    assert len(reading_visits["overflow"]) >= 5
    assert {url: px for url, px in reading_visits["overflow"].items() if px > 0} == {}
    assert reading_visits["dialogs"] == []
    assert reading_visits["errors"] == []
    assert reading_visits["out"] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_a_page_of_math(
    new_tab, reading_url, axe_core_js, scheme
):
    page = new_tab(viewport=PHONE, color_scheme=scheme).page
    page.goto(reading_url + DAY_URLS[HARD_DAY])
    open_every_details(page)
    # The long formulas scroll; the script makes them focusable for keyboards once laid out.
    expect(page.locator(f'math[alttext="{LONG}"]').first).to_have_attribute("tabindex", "0")
    assert serious_axe_violations(page, axe_core_js) == {}


def test_every_reading_page_passes_the_nu_html_checker(reading_output):
    assert nu_errors(html_files(reading_output)) == []
