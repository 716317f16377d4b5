"""Reading papers on the built site: math as MathML, code links, BibTeX — from the recorded
arXiv papers and the hard cases of ``arxiv_digest_dev.reading_site``, through a real build."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup, Tag

from arxiv_digest.model.paper import Paper
from arxiv_digest.pages.links import code_links
from arxiv_digest.pages.richtext import plain_text
from arxiv_digest.pages.tex import ALLOWED, Math, math_markup, split_math
from arxiv_digest_dev.reading_site import (
    CODE_LINKS,
    DAY_URLS,
    HARD,
    HARD_DAY,
    build_reading_site,
    reading_papers,
)

from .conftest import Project, as_shown, shown_text
from .readers import MATH_ATTRIBUTES, assert_entry_matches, parse

# Every element the theme writes, and MathML Core's allow-list: nothing else may be on a page.
SITE_ELEMENTS = {
    "html",
    "head",
    "meta",
    "title",
    "link",
    "script",
    "body",
    "header",
    "nav",
    "ul",
    "li",
    "main",
    "footer",
    "a",
    "p",
    "span",
    "mark",  # the phrases a keyword matched (see marks.py)
    "code",
    "h1",
    "h2",
    "h3",
    "h4",
    "article",
    "time",
    "details",
    "summary",
    "section",
    "aside",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    # the theme's own trend charts, drawn at build time from counts (see trends.py)
    "figure",
    "figcaption",
    "svg",
    "path",
    "rect",
    "line",  # the scale and the month axis
    "text",  # the scale's numbers, the tallest week's count, the months
    "g",
    "caption",  # the chart's numbers table
    "ol",  # the site feed's list of a day's papers
    # the reading list's, search's and status page's own containers
    "div",
    "strong",
    "noscript",
    "form",
    "fieldset",
    "legend",
    "label",
    "input",
    "button",
    "bdi",  # arXiv text that other text follows, isolated from it (macros.html)
}
MATH_ELEMENTS = {"math", *ALLOWED}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Project:
    return build_reading_site(tmp_path_factory.mktemp("reading") / "site")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html.parser")


@cache
def page(site: Project, url: str) -> BeautifulSoup:
    """A built page, parsed once for the module (no test changes a page)."""
    return site.page(url)


@cache
def bib_entries(path: Path) -> list[dict]:
    """A .bib file as bibtexparser reads it, parsed once for the module."""
    return parse(path.read_text(encoding="utf-8"))


def article(html: Tag, arxiv_id: str) -> Tag:
    (found,) = html.select(f'article[id="{arxiv_id}"]')
    return found


def spans(text: str) -> list[str]:
    """The TeX of each math span of ``text`` that becomes MathML, in order."""
    return [
        part.tex
        for part in split_math(text)
        if isinstance(part, Math) and math_markup(part) is not None
    ]


def alttexts(element: Tag) -> list[str]:
    return [math["alttext"] for math in element.find_all("math")]


def every_paper() -> list[tuple[str, Paper]]:
    return [(DAY_URLS[day], p) for day, papers in reading_papers().items() for p in papers]


def feed_contents(output: Path) -> dict[str, BeautifulSoup]:
    """The HTML content of every entry of every feed, by feed and entry."""
    found = {}
    for path in sorted((output / "feeds").glob("*.xml")):
        feed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        for entry in feed.entries:
            found[f"{path.name} {entry.id}"] = BeautifulSoup(entry.content[0].value, "html.parser")
    return found


# --- math --------------------------------------------------------------------------------


def test_the_recorded_papers_hold_math_to_render():
    assert sum(len(spans(p.abstract)) for _, p in every_paper()) >= 20


def test_every_math_span_is_math_on_the_page_where_its_tex_was(site):
    for url, paper in every_paper():
        found = article(page(site, url), paper.id)
        title = found.find(["h2", "h3", "h4"])
        assert alttexts(title) == spans(paper.title), paper.id
        assert alttexts(found.select_one("details.abstract p")) == spans(paper.abstract), paper.id
        assert shown_text(found.select_one("details.abstract p")) == as_shown(paper.abstract)
        if paper.comment and len(paper.comment) <= 120:
            assert alttexts(found.select_one("p.comment")) == spans(paper.comment), paper.id


def test_math_is_rendered_in_titles_comments_and_abstracts_of_the_math_paper(site):
    paper = HARD["math"]
    found = article(page(site, DAY_URLS[HARD_DAY]), paper.id)
    assert alttexts(found.find("h4")) == [r"\alpha", "O(n^{2})"]
    assert len(found.select("details.abstract p math")) == 7
    assert [m["alttext"] for m in found.select('math[display="block"]')][:2] == [
        r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
        "y = 2x",
    ]
    assert len(found.select("details.comment math")) == 2


def test_a_long_comment_s_preview_is_plain_text_cut_outside_any_markup(site):
    paper = HARD["math"]
    comment = article(page(site, DAY_URLS[HARD_DAY]), paper.id).select_one("details.comment")
    preview = comment.select_one(".preview")
    # Text only, isolated in <bdi> from the "…" after it (see macros.html).
    assert [element.name for element in preview.find_all(True)] == ["bdi"]
    assert preview.get_text() == plain_text(paper.comment)[:70] + "…"
    assert r"$\lambda_{\max}(A) \le \|A\|_2$" in preview.get_text()


def test_prices_escaped_dollars_and_unbalanced_dollars_stay_text(site):
    paper = HARD["prices"]
    abstract = article(page(site, DAY_URLS[HARD_DAY]), paper.id).select_one("details.abstract p")
    assert abstract.find(True) is None
    assert abstract.get_text() == (
        "It costs $5 and $10 a day, a lone $ sign, $20 in TeX, and an unbalanced $x + y, all text."
    )


def test_hostile_tex_shows_as_harmless_math_or_as_its_source(site):
    paper = HARD["hostile"]
    found = article(page(site, DAY_URLS[HARD_DAY]), paper.id)
    abstract = found.select_one("details.abstract p")
    assert shown_text(abstract) == as_shown(paper.abstract)
    assert alttexts(abstract) == spans(paper.abstract)
    assert abstract.find_all("math")  # some of it is harmless math: \text{<script>} and more
    assert found.find("h4").get_text().strip().startswith(r"Testing \href{javascript:alert(1)}{")


def test_no_page_or_feed_entry_carries_anything_outside_the_allow_lists(site):
    documents = {
        str(path.relative_to(site.output)): soup(path) for path in site.output.rglob("*.html")
    }
    documents.update(feed_contents(site.output))
    assert len(documents) >= 10
    problems = []
    for name, document in documents.items():
        for element in document.find_all(True):
            inside_math = element.name == "math" or element.find_parent("math") is not None
            allowed = MATH_ELEMENTS if inside_math else SITE_ELEMENTS
            if element.name not in allowed:
                problems.append(f"{name}: <{element.name}>")
            for attribute, value in element.attrs.items():
                text = " ".join(value) if isinstance(value, list) else value
                if attribute.startswith("on"):
                    problems.append(f"{name}: <{element.name} {attribute}>")
                if re.sub(r"[\s\x00-\x1f]", "", text).lower().startswith("javascript:"):
                    problems.append(f"{name}: <{element.name} {attribute}={text!r}>")
                if inside_math and attribute not in MATH_ATTRIBUTES:
                    problems.append(f"{name}: <{element.name} {attribute}> inside math")
            if element.name == "script" and (element.string or not element.get("src")):
                problems.append(f"{name}: an inline script")
    assert problems == []


def test_every_page_s_math_is_swept(site):
    """The sweep above saw the hostile paper's math on the day, keyword and category pages."""
    for url in (DAY_URLS[HARD_DAY], "/keywords/testing/", "/categories/cs.CV/"):
        assert alttexts(article(page(site, url), HARD["hostile"].id)), url


# --- links and code ----------------------------------------------------------------------


def test_code_and_project_are_lifted_into_the_link_row_after_pdf_and_html(site):
    paper = HARD["code"]
    meta = article(page(site, DAY_URLS[HARD_DAY]), paper.id).select_one("p.meta")
    links = [(a.get_text(), a["href"]) for a in meta.find_all("a")]
    assert links == [
        ("PDF", "https://arxiv.org/pdf/2601.10004v1"),
        ("HTML", "https://arxiv.org/html/2601.10004v1"),
        ("Code", CODE_LINKS["Code"]),
        ("Project", CODE_LINKS["Project"]),
        ("BibTeX", "/2026/01/28/papers.bib"),
    ]
    for a in meta.select("a[rel]"):
        assert a["rel"] == ["nofollow"]


def test_addresses_in_abstract_and_comment_are_links_without_their_punctuation(site):
    found = article(page(site, DAY_URLS[HARD_DAY]), HARD["code"].id)
    abstract = [a["href"] for a in found.select("details.abstract > p a")]  # not its related
    assert abstract == [
        "https://github.com/acme/tool",
        "https://huggingface.co/acme/m",
        "https://example.org/data",
        "https://acme.github.io/tool/",
    ]
    assert [a["href"] for a in found.select(".comment a")] == ["https://gitlab.com/acme/tool"]
    assert found.select_one(".comment").get_text().endswith("https://gitlab.com/acme/tool!")


def test_every_paper_s_code_links_are_in_its_link_row(site):
    for url, paper in every_paper():
        meta = article(page(site, url), paper.id).select_one("p.meta")
        lifted = [(a.get_text(), a["href"]) for a in meta.select("a[rel]")]
        assert lifted == [tuple(link) for link in code_links(paper)], paper.id


# --- BibTeX ------------------------------------------------------------------------------


def test_every_bib_file_reads_back_and_matches_the_store(site):
    by_day = reading_papers()
    bibs = sorted(site.output.rglob("*.bib"))
    assert [str(p.relative_to(site.output)) for p in bibs] == [
        "2026/01/27/papers.bib",
        "2026/01/28/papers.bib",
        "keywords/testing/papers.bib",
    ]
    everything = {p.id: p for papers in by_day.values() for p in papers}
    for path in bibs:
        entries = bib_entries(path)
        for entry in entries:
            assert_entry_matches(entry, everything[entry["eprint"]])
        assert len({e["key"] for e in entries}) == len(entries), path
    for day, papers in by_day.items():
        path = site.output / DAY_URLS[day].strip("/") / "papers.bib"
        ids = [e["eprint"] for e in bib_entries(path)]
        assert sorted(ids) == sorted(p.id for p in papers)
    keyword = bib_entries(site.output / "keywords/testing/papers.bib")
    listed = page(site, "/keywords/testing/").select("article.paper")
    assert sorted(e["eprint"] for e in keyword) == sorted(a["id"] for a in listed)


def test_the_author_with_braces_and_apostrophe_reads_back(site):
    bib = site.output / "2026/01/28/papers.bib"
    (entry,) = [e for e in bib_entries(bib) if e["eprint"] == HARD["author"].id]
    # arXiv's spacing puts a space after a dot, so its rule files the name under "}", which
    # leaves nothing in the key; "{and}" is not a stop word.
    assert entry["author"] == ["O'Neil {Jr. }", "Zoë Ñúñez-García", "李小龙"]
    assert entry["key"] == "2026testingnamesandbraces"
    assert entry["doi"] == "https://doi.org/10.1000/xyz-123"


@pytest.mark.parametrize(
    "url", ["/", DAY_URLS[HARD_DAY], "/keywords/testing/", "/categories/cs.CV/"]
)
def test_each_paper_s_bibtex_link_leads_to_a_bib_holding_its_entry(site, url):
    pages = [page(site, url)]
    papers = {p.id: p for _, p in every_paper()}
    checked = 0
    for html in pages:
        for found in html.select("article.paper"):
            (link,) = found.select('p.meta > a[href$="/papers.bib"]:not([rel])')
            assert link.get_text() == "BibTeX"
            path = site.output / link["href"].lstrip("/")
            entries = bib_entries(path)
            (entry,) = [e for e in entries if e["eprint"] == found["id"]]
            assert_entry_matches(entry, papers[entry["eprint"]])
            checked += 1
    assert checked >= 5


def test_digest_and_keyword_pages_link_the_bib_of_all_their_papers(site):
    for url, bib in (
        (DAY_URLS[HARD_DAY], "/2026/01/28/papers.bib"),
        ("/keywords/testing/", "/keywords/testing/papers.bib"),
    ):
        html = page(site, url)
        count = len(html.select("article.paper"))
        (link,) = html.select("a.bib-all")
        assert link["href"] == bib
        assert link.get_text() == f"BibTeX of all {count} papers"


def test_a_bib_file_a_day_is_kept_between_builds_and_rewritten_the_same(site):
    before = {p: p.read_bytes() for p in site.output.rglob("*.bib")}
    site.build()
    assert {p: p.read_bytes() for p in site.output.rglob("*.bib")} == before
    assert len(list((site.root / "cache" / "arxiv-digest-bib").glob("*.bib"))) == 2


# --- feeds -------------------------------------------------------------------------------


def test_keyword_feeds_carry_the_tex_source_as_text(site):
    """Feeds are read by every kind of reader: titles and abstracts keep their TeX as text."""
    feed = feedparser.parse(
        (site.output / "feeds" / "testing.atom.xml").read_bytes(), sanitize_html=False
    )
    entries = {e.id.removeprefix("https://arxiv.org/abs/"): e for e in feed.entries}
    paper = HARD["math"]
    entry = entries[paper.id]
    assert entry.title == r"Testing $\alpha$-Nets in $O(n^{2})$ Time"
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.find("math") is None
    assert paper.abstract in content.get_text()
    prices = BeautifulSoup(entries[HARD["prices"].id].content[0].value, "html.parser")
    assert "$20 in TeX" in prices.get_text()
    for _, paper in every_paper():
        if paper.id in entries:
            assert entries[paper.id].title == plain_text(paper.title)
