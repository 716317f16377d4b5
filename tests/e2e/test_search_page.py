"""The search page in Chromium, over the Pagefind bundles that ``pelican content`` built for
the sample and the hostile sites (search is on by default)."""

from __future__ import annotations

from datetime import datetime

from bs4 import BeautifulSoup
from playwright.sync_api import expect

from arxiv_digest_dev.harness import PHONE, serious_axe_violations

from ..readers import nu_errors
from .conftest import overflow
from .hostile import PAPERS
from .pages import every_result_id, results, stored_papers

SAMPLE_ID = "2506.02535"  # a paper of the sample store, stored as v3
SAMPLE_DAY = "2025-12-02"  # the digest that lists it


def test_a_distinctive_title_word_puts_that_paper_first(new_tab, sample_url):
    tab = new_tab()
    tab.page.goto(f"{sample_url}/search/?q=Pistachio")
    titles = results(tab.page)

    assert titles[0].startswith("Pistachio: Towards Synthetic, Balanced")
    first = tab.page.locator("#search-results article").first
    marks = first.locator("mark").all_inner_texts()
    assert marks
    assert all(mark.lower().startswith("pistachio") for mark in marks)
    href = first.locator("h2 a").get_attribute("href")
    assert href == f"{sample_url}/2025/12/02/#2511.19474"
    assert tab.errors == []
    assert tab.outside == []


def test_the_search_box_of_every_page_opens_the_search_page(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/keywords/vlm/")
    page.get_by_role("searchbox", name="Search papers").fill("Pistachio")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Pistachio")

    assert results(page)[0].startswith("Pistachio")
    assert page.input_value("#search-q") == "Pistachio"
    assert tab.errors == []
    assert tab.outside == []


def test_an_arxiv_id_finds_its_paper_with_or_without_version(new_tab, sample_url):
    tab = new_tab()
    for arxiv_id, query in (
        ("2601.23281", "2601.23281"),
        ("2601.23281", "2601.23281v2"),  # stored as v1: a version not stored still finds it
        (SAMPLE_ID, f"arXiv:{SAMPLE_ID}v1"),
    ):
        tab.page.goto(f"{sample_url}/search/?q={query}")
        results(tab.page)
        links = tab.page.locator("#search-results article h2 a")
        assert links.count() == 1, query
        assert links.first.get_attribute("href").endswith(f"#{arxiv_id}")
    assert tab.errors == []


def test_an_author_finds_their_papers(new_tab, sample_url):
    author = "Boroujeni"
    expected = stored_papers(lambda paper: any(author in a.name for a in paper.authors))
    tab = new_tab()
    tab.page.goto(f"{sample_url}/search/?q={author}")

    assert expected
    assert set(every_result_id(tab.page)) == expected
    authors = tab.page.locator("#search-results article").first.locator("ul.authors")
    assert author in authors.inner_text()


def test_keyword_and_category_filters_list_what_the_store_holds(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    for query, keep in (
        ("keyword=Video+Anomaly+Detection", lambda p: "video-anomaly-detection" in p.keywords),
        ("category=cs.RO", lambda p: "cs.RO" in p.categories),
        (
            "keyword=Vision+Language+Model&category=cs.AI",
            lambda p: "vlm" in p.keywords and "cs.AI" in p.categories,
        ),
    ):
        page.goto(f"{sample_url}/search/?{query}")
        found = every_result_id(page)
        assert sorted(found) == sorted(stored_papers(keep)), query
    assert tab.errors == []
    assert tab.outside == []


def test_a_checked_filter_narrows_the_results_and_lives_in_the_url(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?q=video&sort=relevance")
    results(page)
    before = page.locator("#search-status").inner_text()
    page.get_by_text("Filters", exact=True).click()  # folded away until asked for
    page.get_by_role("checkbox", name="Video Anomaly Detection").check()
    page.wait_for_url("**keyword=Video+Anomaly+Detection**")
    page.wait_for_function(
        "before => { const text = document.querySelector('#search-status').textContent;"
        " return text !== before && text.includes('found'); }",
        arg=before,
    )

    chips = page.locator("#search-results article").evaluate_all(
        "all => all.map(a => [...a.querySelectorAll('.kw')].map(k => k.textContent))"
    )
    assert chips
    assert all("Video Anomaly Detection" in tags for tags in chips)
    assert page.get_by_role("checkbox", name="Video Anomaly Detection").is_checked()
    page.go_back()
    page.wait_for_url("**/search/?q=video&sort=relevance")
    assert not page.get_by_role("checkbox", name="Video Anomaly Detection").is_checked()
    assert tab.errors == []


def test_typing_a_query_puts_it_in_the_url_and_back_returns(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?q=anomaly")
    results(page)
    page.fill("#search-q", "video")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=video")
    results(page)

    page.go_back()
    page.wait_for_url("**/search/?q=anomaly")
    page.wait_for_function("document.querySelector('#search-q').value === 'anomaly'")
    assert tab.errors == []


def test_without_javascript_the_page_says_so_and_links_the_archive(browser, sample_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{sample_url}/search/?q=video")
        message = page.locator("p.no-js")
        assert "needs JavaScript" in message.inner_text()
        assert message.locator("a").get_attribute("href") == "/archive/"
    finally:
        context.close()


def test_phone_width_and_dark_mode_do_not_scroll_sideways(new_tab, sample_url):
    tab = new_tab(viewport=PHONE, color_scheme="dark")
    tab.page.goto(f"{sample_url}/search/?q=model")
    results(tab.page)
    assert overflow(tab.page) == 0
    tab.page.goto(f"{sample_url}/")  # the header's search box fits on a phone too
    assert overflow(tab.page) == 0
    assert tab.errors == []


def test_axe_finds_nothing_serious_on_the_results(new_tab, sample_url, axe_core_js):
    for scheme in ("light", "dark"):
        tab = new_tab(color_scheme=scheme)
        tab.page.goto(f"{sample_url}/search/?q=video")
        results(tab.page)
        first = tab.page.locator("#search-results article").first
        first.get_by_role("button", name="Save").click()  # pressed, and an abstract open
        open_abstract(first)
        assert serious_axe_violations(tab.page, axe_core_js) == {}, scheme


def test_hostile_titles_and_authors_show_as_text(new_tab, hostile_url):
    tab = new_tab()
    tab.page.goto(f"{hostile_url}/search/?q=VLMs&sort=relevance")
    titles = results(tab.page)

    assert PAPERS[0]["title"] in titles
    article = tab.page.locator("#search-results article").first
    authors = article.locator("ul.authors a").all_inner_texts()  # each links to their papers
    assert authors[:3] == PAPERS[0]["authors"][:3]
    assert tab.page.locator("#search-results script, #search-results img").count() == 0
    assert tab.dialogs == []
    assert tab.errors == []
    assert tab.outside == []


def test_slash_key_focuses_the_search_box_but_not_while_typing(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/archive/")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-q"

    page.keyboard.type("a/b")
    assert page.input_value("#site-q") == "a/b"


def test_a_result_opens_its_paper_in_the_digest_with_the_abstract_open(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?q={SAMPLE_ID}")
    results(page)
    page.locator("#search-results article h2 a").first.click()
    page.wait_for_url(f"**/#{SAMPLE_ID}")

    paper = page.locator(f"article.paper[id='{SAMPLE_ID}']")
    paper.locator("details.abstract[open]").wait_for()
    assert paper.is_visible()
    top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", SAMPLE_ID)
    assert -1 < top < page.viewport_size["height"] / 2  # scrolled to the paper (to a pixel)
    assert tab.errors == []


def test_a_digest_with_a_malformed_hash_still_opens_the_paper_named_next(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    day = "/".join(SAMPLE_DAY.split("-"))
    page.goto(f"{sample_url}/{day}/#%E0")  # not valid percent-encoding: names no paper
    page.evaluate("id => { location.hash = id; }", SAMPLE_ID)
    page.locator(f"article.paper[id='{SAMPLE_ID}'] details.abstract[open]").wait_for()
    assert tab.errors == []


def test_the_search_page_and_its_stylesheet_pass_the_nu_html_checker(sample_output):
    page = sample_output / "search" / "index.html"
    stylesheet = sample_output / "theme" / "css" / "search.css"
    assert nu_errors([page]) + nu_errors([stylesheet], css=True) == []


QUERY_LIMIT = 500  # the longest query searched, as the README states
CUT_NOTE = f"Only the first {QUERY_LIMIT} characters of the query were searched."


def test_a_query_over_the_limit_is_cut_before_searching_and_the_page_says_so(new_tab, sample_url):
    hostile = "a-" * 32_000  # the id pattern once took time quadratic in this (20 s)
    tab = new_tab()
    tab.page.goto(f"{sample_url}/search/?q={hostile}")
    results(tab.page)
    assert tab.page.input_value("#search-q") == hostile[:QUERY_LIMIT]
    assert tab.page.locator("#search-status").inner_text().endswith(CUT_NOTE)
    assert tab.errors == []


def test_a_query_at_the_limit_is_searched_whole(new_tab, sample_url):
    query = ("video " * QUERY_LIMIT)[: QUERY_LIMIT - 5] + "video"
    assert len(query) == QUERY_LIMIT
    tab = new_tab()
    tab.page.goto(f"{sample_url}/search/?q={query}")
    assert results(tab.page)
    assert tab.page.input_value("#search-q") == query
    assert CUT_NOTE not in tab.page.locator("#search-status").inner_text()


def test_more_results_that_fail_to_load_say_what_failed_and_can_be_asked_again(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    asked = set()  # the month bundles the page has fetched from
    page.on("request", lambda r: asked.add(r.url.split("/search/index/")[-1].split("/")[0]))
    page.goto(f"{sample_url}/search/?q=video")
    assert len(results(page)) == 20
    bundles = page.get_attribute("form.search", "data-bundles").split()
    loaded = [bundle for bundle in bundles if bundle in asked]
    failing = bundles[len(loaded)]  # asked newest first: the next is the one "More" merges
    page.route(f"**/search/index/{failing}/**", lambda route: route.fulfill(status=500))
    page.click("#search-more")

    month = datetime.strptime(failing, "%Y-%m").strftime("%b %Y")
    expect(page.locator("#search-status")).to_have_text(
        f"More results could not be loaded: the search index of {month} did not load. "
        "“More results” tries again."
    )
    assert page.locator("#search-results > li").count() == 20
    assert page.locator("#search-more").is_enabled()

    page.unroute(f"**/search/index/{failing}/**")
    page.click("#search-more")
    expect(page.locator("#search-status")).to_contain_text("40 papers found")
    ids = every_result_id(page)
    assert len(ids) == len(set(ids)) > 40
    assert [e for e in tab.errors if e.startswith("uncaught")] == []


PISTACHIO = "2511.19474"  # announced 2025-12-02, with related papers of that day


def open_abstract(result):
    """Open a search result's abstract and wait until it is loaded."""
    result.locator("details.abstract > summary").click()
    result.locator("details.abstract .loading").wait_for(state="detached")
    return result.locator("details.abstract")


def test_a_result_saved_from_the_search_is_on_the_reading_list(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?q=Pistachio")
    results(page)
    save = page.locator("#search-results article").first.get_by_role("button", name="Save")
    assert save.get_attribute("aria-pressed") == "false"
    save.click()
    assert save.get_attribute("aria-pressed") == "true"
    expect(page.get_by_role("link", name="Reading list (1)")).to_be_visible()

    page.goto(f"{sample_url}/reading-list/")
    page.locator("#reading-list:not([aria-busy=true])").wait_for()
    saved = page.locator("#reading-list-papers article.paper")
    assert saved.evaluate_all("all => all.map(a => a.id)") == [PISTACHIO]
    assert saved.locator("h2").inner_text().startswith("Pistachio")
    # Back on the search, the result says it is saved; a second press takes it off.
    page.go_back()
    results(page)
    save = page.locator("#search-results article").first.get_by_role("button", name="Save")
    assert save.get_attribute("aria-pressed") == "true"
    save.click()
    assert page.evaluate("localStorage.getItem('arxiv-digest:reading-list')") == "[]"
    assert tab.errors == []


def test_a_results_abstract_opens_in_place_as_its_digest_shows_it(
    new_tab, sample_url, sample_output
):
    digest = BeautifulSoup(
        (sample_output / "2025" / "12" / "02" / "index.html").read_text(), "html.parser"
    )
    expected = digest.find("article", id=PISTACHIO).select_one("details.abstract > p")
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?q=Pistachio")
    results(page)
    result = page.locator("#search-results article").first
    assert result.locator("details.abstract p").is_hidden()  # closed until asked

    abstract = open_abstract(result)
    text = abstract.locator("p").first
    expect(text).to_have_text(" ".join(expected.get_text().split()))
    # The marks of what matched, as on the digest.
    assert text.locator("mark").all_inner_texts() == [m.get_text() for m in expected("mark")]
    assert page.url == f"{sample_url}/search/?q=Pistachio"  # in place
    # A related paper of the same day ("#<id>" on the digest) leads to that digest.
    related = abstract.locator("ul.related a").evaluate_all("all => all.map(a => a.href)")
    assert related
    assert f"{sample_url}/2025/12/02/#2509.22544" in related
    assert all(href.startswith(f"{sample_url}/20") for href in related)
    abstract.locator("summary").click()
    assert text.is_hidden()
    assert tab.errors == []
    assert tab.outside == []


def test_an_abstract_that_does_not_load_says_so_and_links_the_digest(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.route("**/2025/12/02/", lambda route: route.fulfill(status=500))
    page.goto(f"{sample_url}/search/?q=Pistachio")
    results(page)
    abstract = open_abstract(page.locator("#search-results article").first)
    assert "could not be loaded" in abstract.inner_text()
    link = abstract.get_by_role("link", name="read it on its digest")
    assert link.get_attribute("href") == f"{sample_url}/2025/12/02/#{PISTACHIO}"
    assert [e for e in tab.errors if e.startswith("uncaught")] == []


def test_a_hostile_abstract_opened_from_a_result_shows_as_text(new_tab, hostile_url):
    tab = new_tab()
    tab.page.goto(f"{hostile_url}/search/?q=VLMs&sort=relevance")
    results(tab.page)
    result = tab.page.locator("#search-results article").filter(has_text="Robust VLMs")
    abstract = open_abstract(result)
    assert abstract.locator("p").first.inner_text().startswith(PAPERS[0]["abstract"][:60])
    assert tab.page.locator("#search-results :is(script, img, iframe, style)").count() == 0
    assert tab.dialogs == []
    assert tab.errors == []
    assert tab.outside == []
