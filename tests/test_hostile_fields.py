"""Every field a page or feed prints, hostile, in a real build: it shows as text, verbatim,
and nothing it says becomes an element or an attribute.

Each field gets its own label and the same payload, which breaks out of text, of
double- and single-quoted attributes, and of the elements the theme wraps it in. The
expected arXiv URLs are written out, never computed from the properties under test.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from bs4 import BeautifulSoup, Tag

from arxiv_digest.model.paper import Author

from .conftest import Project, make_paper

# Short enough that "short comment " + PAYLOAD stays under the 120 characters of a short comment.
PAYLOAD = (
    '" onmouseover="alert(1)" \'><script>alert(2)</script>'
    "<img src=x onerror=alert(3)></p></details></a> &amp; &lt;"
)


def hostile(label: str) -> str:
    return f"{label} {PAYLOAD}"


EVIL, SECOND = hostile("keyword"), hostile("second keyword")
KEYWORDS_YAML = f"""\
keywords:
  - name: {json.dumps(EVIL)}
    slug: evil
    terms: [evil]
  - name: {json.dumps(SECOND)}
    slug: second
    terms: [second]
"""
NAMES = {"evil": EVIL, "second": SECOND}
DAY = date(2026, 1, 30)
DAY_URL = "/2026/01/30/"

# Matched by both keywords: shown under the first, named under "Also matched" in the second.
BOTH = make_paper(
    "2601.00666",
    title=hostile("title"),
    authors=tuple(
        Author(hostile(f"author {i}"), (hostile(f"affiliation {i}a"), hostile(f"affiliation {i}b")))
        if i in (1, 7)  # one shown at once, one behind "et al."
        else Author(hostile(f"author {i}"))
        for i in range(1, 9)
    ),
    abstract=hostile("abstract"),
    comment=hostile("short"),
    journal_ref=hostile("journal ref"),
    doi="10.1000/" + hostile("doi"),
    categories=("cs.CV", hostile("category")),
    keywords=("evil", "second"),
    updated="2026-01-29T16:00:00Z",
)
LONG = make_paper(
    "2601.00667",
    title=hostile("long comment title"),
    authors=(Author(hostile("lone author"), (hostile("lone affiliation"),)),),
    abstract=hostile("second abstract"),
    comment=hostile("long comment") + " and more words to pass the cut. " * 4,
    categories=("cs.CV", "cs.LG"),
    keywords=("second",),
    updated="2026-01-29T15:00:00Z",
)
V1 = make_paper("2601.00001", version=1, title="First version", updated="2026-01-28T09:00:00Z")
V2 = make_paper("2601.00001", version=2, title="Second version", updated="2026-01-29T09:00:00Z")
V1, V2 = (p.with_keywords(["evil"]) for p in (V1, V2))
HOSTILE = (BOTH, LONG)
assert len(BOTH.comment) <= 120 < len(LONG.comment)  # both of the template's branches


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("hostile") / "site", KEYWORDS_YAML)
    project.add_day(DAY, [BOTH, LONG, V1, V2])
    project.build()
    return project


def parse_feed(path: Path):
    # Unsanitized, as the bytes are: feedparser would otherwise strip what the test looks for.
    feed = feedparser.parse(path.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


# A trend chart (trends.chart_svg): the keyword's name is in its aria-label, escaped.
CHART_ATTRIBUTES = {"class", "role", "aria-label", "viewbox", "width", "height"}


def is_trend_chart(tag: Tag) -> bool:
    return (
        tag.get("class") in (["trend"], ["trend", "small"])
        and {a.lower() for a in tag.attrs} <= CHART_ATTRIBUTES
        and all(
            part.name in ("rect", "path", "title", "line", "text") for part in tag.find_all(True)
        )
    )


def injected(html: Tag) -> list[str]:
    """Elements and attributes a payload made: the site ships no inline script, no image,
    no SVG but its trend charts."""
    found = [str(tag)[:80] for tag in html.find_all(["img", "iframe"])]
    found += [str(tag)[:80] for tag in html.find_all("svg") if not is_trend_chart(tag)]
    found += [str(s)[:80] for s in html.find_all("script") if s.string or not s.get("src")]
    for tag in html.find_all(True):
        found += [f"<{tag.name} {a}>" for a in tag.attrs if a.startswith("on")]
    return found


def article(html: Tag, arxiv_id: str) -> Tag:
    (found,) = html.select(f'article[id="{arxiv_id}"]')
    return found


def assert_shows_verbatim(found: Tag, paper) -> None:
    """Every field of ``paper`` is in its article as the very text, attributes included."""
    assert found.find(["h2", "h3", "h4"]).get_text() == paper.title
    people = [li for li in found.select(".authors li") if "more" not in li.get("class", [])]
    assert [li.get_text() for li in people] == [a.name for a in paper.authors]
    assert [li.get("title") for li in people] == [
        "; ".join(a.affiliations) if a.affiliations else None for a in paper.authors
    ]
    assert [c.get_text() for c in found.select(".tags .cat")] == list(paper.categories)
    assert [k.get_text() for k in found.select(".tags .kw")] == [
        NAMES[slug] for slug in ("evil", "second") if slug in paper.keywords
    ]
    if len(paper.comment) > 120:  # a long comment is folded, a short one is not
        comment = found.select_one("details.comment")
        assert comment.select_one(".preview").get_text() == paper.comment[:70] + "…"
        assert comment.get_text().endswith(paper.comment)
    else:
        assert found.select_one("p.comment").get_text() == f"Comment: {paper.comment}"
    if paper.journal_ref:
        ref = found.select_one("p.ref")
        assert ref.get_text().startswith(paper.journal_ref)
        doi = ref.find("a")
        assert doi.get_text() == paper.doi
        assert doi["href"].startswith("https://doi.org/10.1000/")
        assert unquote(doi["href"].removeprefix("https://doi.org/")) == paper.doi
    assert found.select_one("details.abstract p").get_text() == paper.abstract


def test_no_page_carries_an_element_or_attribute_from_a_payload(site):
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) >= 7
    found = {
        str(p.relative_to(site.output)): injected(BeautifulSoup(p.read_bytes(), "html.parser"))
        for p in pages
    }
    assert {page: tags for page, tags in found.items() if tags} == {}


@pytest.mark.parametrize("url", ["/", DAY_URL, "/keywords/evil/", "/categories/cs.CV/"])
def test_the_paper_matched_twice_shows_every_field_verbatim(site, url):
    assert_shows_verbatim(article(site.page(url), BOTH.id), BOTH)


@pytest.mark.parametrize("url", [DAY_URL, "/keywords/second/", "/categories/cs.CV/"])
def test_the_long_comment_paper_shows_every_field_verbatim(site, url):
    assert_shows_verbatim(article(site.page(url), LONG.id), LONG)


def test_also_matched_names_the_hostile_title_as_text_and_links_to_it(site):
    html = site.page(DAY_URL)
    assert html.find("section", id="kw-evil").find("article", id=BOTH.id)
    assert not html.find("section", id="kw-second").find("article", id=BOTH.id)
    (link,) = html.find("section", id="kw-second").select("p.elsewhere a")
    assert link.get_text() == BOTH.title
    assert link["href"] == "#2601.00666"


def test_the_keyword_names_from_keywords_yaml_show_verbatim(site):
    for url in ["/", DAY_URL, "/keywords/evil/", "/categories/cs.CV/", "/archive/"]:
        html = site.page(url)
        nav = [a.get_text() for a in html.select("header nav a")]
        assert EVIL in nav, url
        assert SECOND in nav, url
        feeds = [link["title"] for link in html.select('link[type="application/atom+xml"]')]
        assert any(EVIL in title for title in feeds), url
        assert any(SECOND in title for title in feeds), url
    for url in ["/", "/keywords/evil/"]:
        assert EVIL in site.page(url).find("meta", attrs={"name": "description"})["content"]
    keyword_page = site.page("/keywords/evil/")
    assert keyword_page.h1.get_text() == EVIL
    assert keyword_page.title.get_text().startswith(EVIL)
    digest = site.page(DAY_URL)
    assert [s.h2.contents[0].strip() for s in digest.select("section.keyword")] == [EVIL, SECOND]
    assert [a.get_text() for a in digest.select("nav.toc a")] == [EVIL, SECOND]


def test_a_hostile_category_gets_no_page_and_no_folder(site):
    assert sorted(p.name for p in (site.output / "categories").iterdir()) == ["cs.CV", "cs.LG"]
    chip = article(site.page(DAY_URL), BOTH.id).select(".tags .cat")[1]
    assert chip.name == "span"
    assert not chip.has_attr("href")


def test_the_keyword_feeds_carry_every_field_verbatim(site):
    for slug, papers in (("evil", [BOTH, V2]), ("second", [BOTH, LONG])):
        feed = parse_feed(site.output / "feeds" / f"{slug}.atom.xml")
        assert NAMES[slug] in feed.feed.title
        entries = {e.id: e for e in feed.entries}
        assert sorted(entries) == sorted(f"https://arxiv.org/abs/{p.id}" for p in papers)
        for paper in papers:
            entry = entries[f"https://arxiv.org/abs/{paper.id}"]
            assert entry.title == paper.title
            assert [a.name for a in entry.authors] == [a.name for a in paper.authors]
            assert [t.term for t in entry.tags] == list(paper.categories)
            content = BeautifulSoup(entry.content[0].value, "html.parser")
            assert injected(content) == [], slug
            texts = [p.get_text() for p in content.find_all("p")]
            assert texts[-1] == paper.abstract
            if paper.comment:
                assert f"Comment: {paper.comment}" in texts
            if paper.journal_ref:
                (ref,) = [t for t in texts if t.startswith(paper.journal_ref)]
                assert ref.endswith(f"DOI {paper.doi}")


def test_the_site_feed_lists_the_day_verbatim(site):
    feed = parse_feed(site.output / "feeds" / "all.atom.xml")
    (entry,) = feed.entries
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert injected(content) == []
    assert [h.get_text() for h in content.find_all("h2")] == [EVIL, SECOND]
    items = {li.a["href"]: li for li in content.select("li")}  # each paper once
    assert sorted(items) == sorted(
        [
            "https://arxiv.org/abs/2601.00666v1",
            "https://arxiv.org/abs/2601.00667v1",
            "https://arxiv.org/abs/2601.00001v2",
        ]
    )
    for paper in HOSTILE:
        item = items[f"https://arxiv.org/abs/{paper.id}v1"]
        assert item.a.get_text() == paper.title
        names = ", ".join(a.name for a in paper.authors[:3])
        assert item.get_text() == f"{paper.title}. {names}" + " et al." * (len(paper.authors) > 3)


# --- two versions announced the same day; links written out ---------------------------------


@pytest.mark.parametrize("url", ["/", DAY_URL, "/keywords/evil/", "/categories/cs.CV/"])
def test_v1_and_v2_announced_the_same_day_list_only_v2_with_its_own_links(site, url):
    html = site.page(url)
    assert len(html.select('article[id="2601.00001"]')) == 1
    paper = article(html, "2601.00001")
    heading = paper.find(["h2", "h3", "h4"])
    assert heading.get_text() == "Second version"
    assert heading.a["href"] == "https://arxiv.org/abs/2601.00001v2"
    links = {a.get_text(): a["href"] for a in paper.select("p.meta a")}
    assert links["PDF"] == "https://arxiv.org/pdf/2601.00001v2"
    assert links["HTML"] == "https://arxiv.org/html/2601.00001v2"
    assert "arXiv:2601.00001v2" in paper.select_one("p.meta").get_text()
    assert "revised v2" in paper.select_one("p.meta").get_text()
    assert "First version" not in html.get_text()


def test_the_summary_of_a_day_holding_v1_and_v2_counts_the_papers_it_lists(site):
    """The day lists 3 papers (2 new, 1 revised, v1 not at all): its summary says so."""
    digest = site.page(DAY_URL)
    assert len(digest.select("article.paper")) == 3
    lede = site.page("/").select_one("p.lede").get_text(" ", strip=True)
    assert re.search(r"\.\s+3 papers: 2 new, 1 revised\.$", lede), lede
    description = digest.find("meta", attrs={"name": "description"})["content"]
    assert re.match(r"3 papers announced .*: 2 new, 1 revised\.", description), description


def test_the_archive_counts_a_day_holding_v1_and_v2_as_the_papers_it_lists(site):
    (cell,) = site.page("/archive/").select("table.calendar a .n")
    assert cell.get_text() == str(len(site.page(DAY_URL).select("article.paper"))) == "3"


def test_the_keyword_feed_has_one_entry_for_v1_and_v2_linking_v2(site):
    feed = parse_feed(site.output / "feeds" / "evil.atom.xml")
    (entry,) = [e for e in feed.entries if e.id == "https://arxiv.org/abs/2601.00001"]
    assert entry.link == "https://arxiv.org/abs/2601.00001v2"
    assert entry.title == "Second version"


def test_links_of_a_paper_stored_without_a_version_carry_none(project):
    project.add_day(DAY, [make_paper("quant-ph/0201082", version=None, keywords=("vlm",))])
    project.build()
    links = {a.get_text(): a["href"] for a in project.page(DAY_URL).select("article p.meta a")}
    assert links["PDF"] == "https://arxiv.org/pdf/quant-ph/0201082"
    assert links["HTML"] == "https://arxiv.org/html/quant-ph/0201082"
    title = project.page(DAY_URL).select_one("article h4 a")
    assert title["href"] == "https://arxiv.org/abs/quant-ph/0201082"


# --- the category page cap, through a build -------------------------------------------------


def test_a_category_page_over_its_cap_lists_only_the_newest(project):
    project.add_day(
        "2026-01-26",
        [make_paper(f"2601.0000{i}", updated=f"2026-01-2{i}T10:00:00Z") for i in range(1, 4)],
    )
    project.add_day("2026-01-27", [make_paper("2601.00004", updated="2026-01-27T10:00:00Z")])
    project.build(ARXIV_CATEGORY_MAX_PAPERS=2)
    html = project.page("/categories/cs.CV/")
    assert [a["id"] for a in html.select("article.paper")] == ["2601.00004", "2601.00003"]
    keyword = project.page("/keywords/vlm/")
    assert len(keyword.select("article.paper")) == 4  # the category cap is the category's only
