"""The search page in Chromium, over real Pagefind bundles of the sample and hostile stores.

Until the plugin builds /search/ itself, the index is built with ``search.build_index``
from the site's store and the page is rendered from the theme's template here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from arxiv_digest.config import load
from arxiv_digest.search import build_index, find_indexer
from arxiv_digest.store import Store
from arxiv_digest_dev import REPOSITORY as ROOT
from arxiv_digest_dev.harness import PHONE, serve

from .conftest import overflow
from .hostile import PAPERS
from .test_html_validity import nu_errors

SAMPLE_ID = "2506.02535"  # a paper of the sample store, stored as v3


def add_search(output: Path, store: Path, keywords_file: Path) -> tuple[str, ...]:
    """Bundles into ``output/search/index/`` and the page into ``output/search/``."""
    days = Store(store).days()
    names = {k.slug: k.name for k in load(keywords_file).keywords}
    report = build_index(days, names, output, output.parent / "search-cache", find_indexer())
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates"), autoescape=True
    )
    page = templates.get_template("search.html").render(
        DEFAULT_LANG="en",
        SITENAME="arXiv digest",
        SITEURL="",
        THEME_STATIC_DIR="theme",
        FEED_DOMAIN="",
        FEED_ALL_ATOM=None,
        DIGEST_KEYWORDS=[],
        ARCHIVES_URL="archive/",
        ARCHIVES_SAVE_AS="archive/index.html",
        pages=[],
        output_file="search/index.html",
        SEARCH_BUNDLES=report.bundles,
    )
    (output / "search" / "index.html").write_text(page, encoding="utf-8")
    return report.bundles


@pytest.fixture(scope="module")
def search_output(sample_output, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("search") / "output"
    shutil.copytree(sample_output, output)
    add_search(output, ROOT / "content" / "papers", ROOT / "keywords.yaml")
    return output


@pytest.fixture(scope="module")
def search_url(search_output) -> Iterator[str]:
    with serve(search_output) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_search_url(hostile_output, tmp_path_factory) -> Iterator[str]:
    output = tmp_path_factory.mktemp("hostile-search") / "output"
    shutil.copytree(hostile_output, output)
    site = hostile_output.parent
    add_search(output, site / "content" / "papers", site / "keywords.yaml")
    with serve(output) as url:
        yield url


def results(page) -> list[str]:
    page.wait_for_selector("#search-status:text-matches('found')")  # written after the results
    return page.locator("#search-results h2").all_inner_texts()


def test_a_search_in_the_url_shows_papers_linked_to_their_digest(new_tab, search_url):
    tab = new_tab()
    tab.page.goto(f"{search_url}/search/?q=anomaly")
    titles = results(tab.page)

    assert titles
    first = tab.page.locator("#search-results article").first
    marks = first.locator("mark").all_inner_texts()
    assert marks
    assert all(mark.lower().startswith("anomal") for mark in marks)
    href = first.locator("h2 a").get_attribute("href")
    assert href.startswith(f"{search_url}/20")
    assert "/#" in href
    assert tab.errors == []
    assert tab.outside == []


def test_an_arxiv_id_finds_its_paper_with_or_without_version(new_tab, search_url):
    tab = new_tab()
    for query in (SAMPLE_ID, f"{SAMPLE_ID}v3", f"arXiv:{SAMPLE_ID}v1"):
        tab.page.goto(f"{search_url}/search/?q={query}")
        results(tab.page)
        links = tab.page.locator("#search-results article h2 a")
        assert links.count() == 1
        assert links.first.get_attribute("href").endswith(f"#{SAMPLE_ID}")
    assert tab.errors == []


def test_typing_a_query_puts_it_in_the_url_and_back_returns(new_tab, search_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{search_url}/search/?q=anomaly")
    results(page)
    page.fill("#search-q", "video")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=video")
    results(page)

    page.go_back()
    page.wait_for_url("**/search/?q=anomaly")
    page.wait_for_function("document.querySelector('#search-q').value === 'anomaly'")
    assert tab.errors == []


def test_a_keyword_filter_narrows_results_and_lives_in_the_url(new_tab, search_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{search_url}/search/?q=video")
    results(page)
    before = page.locator("#search-status").inner_text()
    page.get_by_role("checkbox", name="Video Anomaly Detection").check()
    page.wait_for_url("**keyword=Video+Anomaly+Detection**")
    page.wait_for_function(
        "before => { const text = document.querySelector('#search-status').textContent;"
        " return text !== before && text.includes('found'); }",
        arg=before,
    )

    tags = page.locator("#search-results article").first.locator(".kw").all_inner_texts()
    assert "Video Anomaly Detection" in tags
    assert page.get_by_role("checkbox", name="Video Anomaly Detection").is_checked()
    assert tab.errors == []


def test_without_javascript_the_page_says_so_and_links_the_archive(browser, search_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{search_url}/search/?q=video")
        message = page.locator("p.no-js")
        assert "needs JavaScript" in message.inner_text()
        assert message.locator("a").get_attribute("href") == "/archive/"
    finally:
        context.close()


def test_phone_width_and_dark_mode_do_not_scroll_sideways(new_tab, search_url):
    tab = new_tab(viewport=PHONE, color_scheme="dark")
    tab.page.goto(f"{search_url}/search/?q=model")
    results(tab.page)
    assert overflow(tab.page) == 0


def test_axe_finds_nothing_serious_on_the_results(new_tab, search_url, axe_core_js):
    tab = new_tab()
    tab.page.goto(f"{search_url}/search/?q=video")
    results(tab.page)
    tab.page.add_script_tag(path=axe_core_js)
    found = tab.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v["id"] for v in found["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_hostile_titles_and_authors_show_as_text(new_tab, hostile_search_url):
    tab = new_tab()
    tab.page.goto(f"{hostile_search_url}/search/?q=VLMs&sort=relevance")
    titles = results(tab.page)

    assert PAPERS[0]["title"] in titles
    article = tab.page.locator("#search-results article").first
    authors = article.locator("ul.authors li").all_inner_texts()
    assert authors[:3] == PAPERS[0]["authors"][:3]
    assert tab.page.locator("#search-results script, #search-results img").count() == 0
    assert tab.dialogs == []
    assert tab.errors == []


def test_slash_key_focuses_the_search_box_but_not_while_typing(new_tab, search_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{search_url}/search/")
    page.add_script_tag(path=ROOT / "theme" / "static" / "js" / "search-key.js")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-q"

    page.keyboard.type("a/b")
    assert page.input_value("#search-q") == "a/b"


def test_a_digest_link_opens_the_abstract_of_the_paper_it_names(new_tab, search_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{search_url}/search/?q={SAMPLE_ID}")
    results(page)
    href = page.locator("#search-results article h2 a").first.get_attribute("href")
    page.goto(href)
    page.add_script_tag(path=ROOT / "theme" / "static" / "js" / "open-paper.js")

    paper = page.locator(f"article.paper[id='{SAMPLE_ID}']")
    assert paper.locator("details.abstract").evaluate("d => d.open")
    assert paper.is_visible()


def test_the_search_page_and_its_stylesheet_pass_the_nu_html_checker(search_output):
    page = search_output / "search" / "index.html"
    stylesheet = search_output / "theme" / "css" / "search.css"
    assert nu_errors([page]) == []
    assert nu_errors([stylesheet], css=True) == []
