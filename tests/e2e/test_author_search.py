"""Author search in Chromium on the sample site: ?author=, and a query shaped like a name, list
exactly the papers by that author (from the author index the build writes, through the
search records' ``id`` filter), and a name no paper has says so. The papers expected are
read from the sample store, not from the index."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

import pytest

from arxiv_digest.model.store import Store
from arxiv_digest.pages import authors
from arxiv_digest.pages.authors import name_words

from .pages import SAMPLE_STORE, every_result_id, stored_papers

# Common and rare, short (Li, a prefix of many words) and long, hyphenated, accented.
SURNAMES = [
    "Li",
    "Weng",
    "Zhang",
    "Chen",
    "Wang",
    "Liu",
    "Yang",
    "Faucon-Morin",
    "Morin",
    "Campillo",
    "Graf",
    "Hönicke",
    "Boros",
    "Silva",
    "Boroujeni",
]


def folded(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text)
    return "".join(c for c in bare if not unicodedata.combining(c)).lower()


def papers_by(surname: str) -> set[str]:
    """The papers with an author whose last word is ``surname`` or a part of it (hyphenated)."""
    wanted = folded(surname)

    def has_author(paper) -> bool:
        lasts = [folded(a.name.split()[-1]) for a in paper.authors]
        return any(wanted == last or wanted in last.split("-") for last in lasts)

    return stored_papers(has_author)


def mentions(page) -> list[str]:
    hrefs = page.locator("#search-mentions article h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.rsplit("#", 1)[1] for href in hrefs]


def test_author_lists_exactly_that_authors_papers_newest_first(new_tab, sample_url):
    tab = new_tab()
    for surname in SURNAMES:
        expected = papers_by(surname)
        assert expected, surname
        tab.page.goto(f"{sample_url}/search/?author={quote(surname)}")
        found = every_result_id(tab.page)
        assert set(found) == expected, surname
        assert len(found) == len(expected), surname  # each paper once
        assert mentions(tab.page) == []
        assert tab.page.locator("#search-status").inner_text().endswith(f"by {surname} found.")
    assert tab.errors == []
    assert tab.outside == []


@pytest.mark.parametrize(
    ("query", "surname"),
    [
        ("Weng", "Weng"),
        ("Li", "Li"),
        ("Tsui-Wei Weng", "Weng"),
        ("T. Weng", "Weng"),
        ("Jurgen Graf", "Graf"),
        ("J. Graf", "Graf"),
        ("Hönicke", "Hönicke"),
    ],
)
def test_a_name_as_query_lists_that_authors_papers_first_and_mentions_apart(
    new_tab, sample_url, query, surname
):
    tab = new_tab()
    tab.page.goto(f"{sample_url}/search/?q={quote(query)}")
    by_author = every_result_id(tab.page)

    assert set(by_author) == papers_by(surname)
    others = mentions(tab.page)
    assert not set(others) & set(by_author)
    for article in tab.page.locator("#search-mentions article").all():
        assert surname.lower() in article.inner_text().lower()  # it mentions the name
    assert tab.errors == []


def test_a_name_no_paper_has_says_so_and_links_arxivs_author_search(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    # "Wenger": Pagefind's text search finds the "we" and "wen" of other words.
    for query in ("Lovelace", "Ada Lovelace", "Wenger"):
        page.goto(f"{sample_url}/search/?q={quote(query)}")
        status = page.locator("#search-status")
        status.get_by_role("link").wait_for()
        assert status.inner_text().startswith(f"No paper by or about “{query}”.")
        link = status.get_by_role("link").get_attribute("href")
        assert (
            link
            == f"https://arxiv.org/search/?searchtype=author&query={quote(query, safe='')}".replace(
                "%20", "+"
            )
        )
        assert page.locator("#search-results li, #search-mentions li").count() == 0

    page.goto(f"{sample_url}/search/?author=Lovelace")
    page.locator("#search-status a").wait_for()
    assert (
        page.locator("#search-status")
        .inner_text()
        .startswith("No paper by Lovelace is stored here.")
    )
    assert tab.errors == []
    assert tab.outside == []


def test_result_authors_are_apart_in_text_and_link_to_their_papers(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?author=Weng")
    every_result_id(page)
    names = page.locator("#search-results ul.authors").first
    text = names.evaluate("ul => ul.textContent")
    assert "Tsui-Wei Weng" in text
    assert ", Tsui-Wei Weng" in text or text.startswith("Tsui-Wei Weng, ")
    links = names.get_by_role("link")
    assert links.count() > 1
    for link in links.all():
        assert link.get_attribute("href").endswith(
            f"/search/?author={quote(link.inner_text(), safe='').replace('%20', '+')}"
        )

    names.get_by_role("link", name="Tsui-Wei Weng").click()
    page.wait_for_url("**/search/?author=Tsui-Wei+Weng")
    assert set(every_result_id(page)) == papers_by("Weng")
    assert tab.errors == []


def test_excerpts_show_no_arxiv_id(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?author=Li")
    ids = every_result_id(page)
    excerpts = page.locator("#search-results p.excerpt").all_inner_texts()
    assert len(excerpts) == len(ids)
    for paper_id, excerpt in zip(ids, excerpts, strict=True):
        assert paper_id not in excerpt


def test_author_search_keeps_the_other_filters(new_tab, sample_url):
    tab = new_tab()
    page = tab.page
    page.goto(f"{sample_url}/search/?author=Li&category=cs.CV")
    expected = papers_by("Li") & stored_papers(lambda paper: "cs.CV" in paper.categories)
    assert expected
    assert expected != papers_by("Li")
    assert set(every_result_id(page)) == expected
    # Unchecking the filter keeps the author in the URL.
    page.locator("input[name=category][value='cs.CV']").uncheck()
    page.wait_for_url("**/search/?author=Li")
    page.wait_for_function(
        "!document.querySelector('#search-status').textContent.includes('cs.CV')"
    )
    assert set(every_result_id(page)) == papers_by("Li")
    assert tab.errors == []


def test_without_javascript_the_page_links_arxivs_author_search(browser, sample_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort(),
    )
    page.goto(f"{sample_url}/search/?author=Weng")
    link = page.get_by_role("link", name="author search", exact=False)
    assert link.get_attribute("href").startswith("https://arxiv.org/search/?searchtype=author")
    context.close()


def test_the_shard_hash_and_name_words_are_pythons(new_tab, sample_url, sample_output):
    tab = new_tab()
    tab.page.goto(f"{sample_url}/search/")
    names = sorted(
        {a.name for day in Store(SAMPLE_STORE).days() for p in day.papers for a in p.authors}
    )
    names += [
        "T.-W. Weng",
        "Weng, T.",
        "Martin Luther King, Jr.",
        "Ørjan O\u2019Brien",
        "ß Łukasz Đ",
    ]
    got = tab.page.evaluate(
        r"""async (names) => {
          const search = document.querySelector('script[src$="/search.js"]').src;
          const m = await import(search.replace(/search\.js$/, "authors.js"));
          return {
            vectors: ["", "a", "foobar"].map((s) => m.shardOf(s, 2 ** 32)),
            words: names.map((n) => m.nameWords(n)),
            shards: names.map((n) => m.shardOf(m.nameWords(n).at(-1) || "", 2 ** 32)),
          };
        }""",
        names,
    )
    assert got["vectors"] == [0x811C9DC5, 0xE40C292C, 0xBF9CF968]
    assert got["words"] == [name_words(n) for n in names]
    assert got["shards"] == [authors.shard_of((name_words(n) or [""])[-1], 2**32) for n in names]
    assert tab.errors == []
