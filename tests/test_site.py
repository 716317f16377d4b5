"""The site a reader sees: pages at DESIGN.md's URLs, built by Pelican from small stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from pelican import Pelican

from arxiv_digest.model.paper import Author
from arxiv_digest.model.taxonomy import category_name
from arxiv_digest_dev.recorded import recorded_papers
from arxiv_digest_dev.sites import build_offline, make_site

from .conftest import KEYWORDS_YAML, Project, as_shown, make_paper, shown_text

TESTING, VLM = "software-testing", "vlm"
DAYS = [date(2026, 1, 26), date(2026, 1, 27), date(2026, 1, 28)]


def store_from_recorded(project: Project) -> dict[date, list]:
    """Three days of real recorded papers: the middle day has papers under both keywords,
    the last one a revision (v+1) of a paper from the first day."""
    papers = recorded_papers()
    days = {
        DAYS[0]: [replace(p, keywords=(TESTING,)) for p in papers[0:10]],
        DAYS[1]: [replace(p, keywords=(TESTING, VLM)) for p in papers[10:14]]
        + [replace(p, keywords=(VLM,)) for p in papers[14:20]],
        DAYS[2]: [replace(p, keywords=(TESTING,)) for p in papers[20:30]],
    }
    first = days[DAYS[0]][0]
    days[DAYS[2]].append(replace(first, version=(first.version or 1) + 1, title="Revised title"))
    for day, listed in days.items():
        project.add_day(day, listed)
    return days


@pytest.fixture
def built(project) -> tuple[Project, dict]:
    days = store_from_recorded(project)
    project.build()
    return project, days


def papers_on(html: BeautifulSoup) -> list[str]:
    return [a["id"] for a in html.select("article.paper[id]")]


def day_url(day: date) -> str:
    return f"/{day:%Y/%m/%d}/"


def test_every_stored_paper_is_on_its_day_page_once(built):
    project, days = built
    for day, papers in days.items():
        shown = papers_on(project.page(day_url(day)))
        assert sorted(shown) == sorted(p.id for p in papers)
        assert len(shown) == len(set(shown)), "a paper is shown twice on its day"


def test_a_paper_under_two_keywords_is_shown_once_with_both_and_named_in_the_second(built):
    project, days = built
    html = project.page(day_url(DAYS[1]))
    both = days[DAYS[1]][0]
    article = html.find("article", attrs={"id": both.id})
    keyword_chips = [a["href"] for a in article.select(".tags a.kw")]
    assert keyword_chips == ["/keywords/vlm/", "/keywords/software-testing/"]  # yaml order
    # keywords.yaml lists vlm first: the paper is shown there and named under testing
    assert html.find("section", id="kw-vlm").find("article", attrs={"id": both.id})
    testing_section = html.find("section", id="kw-software-testing")
    assert testing_section.select_one(f'p.elsewhere a[href="#{both.id}"]')
    toc = {a["href"]: a.find_next_sibling("span").get_text() for a in html.select("nav.toc a")}
    assert toc == {"#kw-vlm": "10", "#kw-software-testing": "4"}


def test_revisions_are_listed_apart_from_new_papers(built):
    project, days = built
    html = project.page(day_url(DAYS[2]))
    section = html.find("section", id="kw-software-testing")
    headings = [h.get_text(" ", strip=True) for h in section.find_all("h3")]
    revised_count = sum(p.is_revision for p in days[DAYS[2]])
    new_count = len(days[DAYS[2]]) - revised_count
    assert headings == [f"New {new_count}", f"Revised {revised_count}"]
    revised_heading = next(h for h in section.find_all("h3") if "Revised" in h.get_text())
    revised = revised_heading.find_all_next("article")
    revision = days[DAYS[2]][-1]
    assert revision.id in [a["id"] for a in revised]
    assert (
        f"revised v{revision.version}" in html.find("article", attrs={"id": revision.id}).get_text()
    )


def test_the_paper_shows_everything_the_seeds_showed_and_more(built):
    project, days = built
    paper = days[DAYS[0]][1]
    html = project.page(day_url(DAYS[0]))
    article = html.find("article", attrs={"id": paper.id})
    title = article.find(["h2", "h3", "h4"]).a
    assert title.get_text() == paper.title
    # Written out, not taken from the Paper properties that build them.
    assert title["href"] == "https://arxiv.org/abs/2405.13786v1"
    links = {a.get_text(): a["href"] for a in article.select("p.meta a")}
    assert links["PDF"] == "https://arxiv.org/pdf/2405.13786v1"
    assert links["HTML"] == "https://arxiv.org/html/2405.13786v1"
    assert "arXiv:2405.13786v1" in article.select_one("p.meta").get_text()
    abstract = article.select_one("details.abstract")
    assert abstract.summary.get_text() == "Abstract"
    assert abstract.p.get_text() == paper.abstract
    assert not abstract.has_attr("open")


def test_authors_are_cut_after_six_with_et_al_that_opens_to_the_rest(project):
    names = [f"Author Number{i}" for i in range(1, 10)]
    project.add_day(DAYS[0], [make_paper(authors=tuple(Author(n) for n in names))])
    project.build()
    authors = project.page(day_url(DAYS[0])).select_one("article .authors")
    more = authors.find("details", class_="more")
    assert more.summary.get_text() == "et al."
    shown = authors.get_text().split("et al.")[0]
    assert [n for n in names if n in shown] == names[:6]
    assert all(n in more.get_text() for n in names[6:])


def test_a_long_comment_is_collapsed_and_a_short_one_is_not(project):
    long_comment = "Accepted at a venue. " * 20
    project.add_day(
        DAYS[0],
        [
            make_paper("2601.00001", comment="12 pages, 5 figures"),
            make_paper("2601.00002", comment=long_comment.strip()),
        ],
    )
    project.build()
    html = project.page(day_url(DAYS[0]))
    short = html.find("article", attrs={"id": "2601.00001"})
    assert short.select_one("p.comment").get_text() == "Comment: 12 pages, 5 figures"
    long = html.find("article", attrs={"id": "2601.00002"})
    details = long.select_one("details.comment")
    assert len(details.summary.get_text()) < 100
    assert long_comment.strip() in details.get_text()


def test_category_chips_are_primary_first_named_in_full_and_lead_to_existing_pages(built):
    project, days = built
    html = project.page(day_url(DAYS[0]))
    for paper in days[DAYS[0]]:
        chips = html.find("article", attrs={"id": paper.id}).select(".tags .cat")
        assert [c.get_text() for c in chips] == list(paper.categories)
        assert "primary" in chips[0]["class"]
        for chip in chips:
            assert chip["title"] == category_name(chip.get_text())
            assert (project.output / chip["href"].strip("/") / "index.html").exists()


def test_category_page_lists_the_newest_papers_carrying_it_with_its_full_name(built):
    project, days = built
    html = project.page("/categories/cs.SE/")
    assert html.h1.get_text(" ", strip=True) == "cs.SE Software Engineering"
    expected = {p.id for listed in days.values() for p in listed if "cs.SE" in p.categories}
    shown = papers_on(html)
    assert set(shown) == expected
    assert len(shown) == len(set(shown))
    # newest announcement first
    first_day_ids = {p.id for p in days[DAYS[2]] if "cs.SE" in p.categories}
    assert shown[0] in first_day_ids


def test_keyword_page_lists_its_newest_papers_newest_first_with_query_and_feed(built):
    project, days = built
    html = project.page("/keywords/software-testing/")
    shown = papers_on(html)
    expected_order = [
        p.id
        for day in reversed(DAYS)
        for p in sorted(days[day], key=lambda p: (p.updated, p.id), reverse=True)
        if TESTING in p.keywords
    ]
    deduplicated = list(dict.fromkeys(expected_order))
    assert shown == deduplicated
    assert html.select_one("details.query code").get_text() == ('(ti:"testing" OR abs:"testing")')
    assert html.find("a", href="/feeds/software-testing.atom.xml")
    head_feeds = [link["href"] for link in html.select('link[type="application/atom+xml"]')]
    assert "/feeds/all.atom.xml" in head_feeds
    assert "/feeds/software-testing.atom.xml" in head_feeds


def test_keyword_page_keeps_only_max_papers_and_a_revision_once_at_its_new_version(project):
    project.keywords_file.write_text(
        "keywords:\n  - name: VLM\n    slug: vlm\n    terms: [VLM]\n    max_papers: 3\n"
    )
    project.add_day(DAYS[0], [make_paper(f"2601.0000{i}") for i in range(1, 6)])
    project.add_day(DAYS[1], [make_paper("2601.00001", version=2, title="Second version")])
    project.build()
    html = project.page("/keywords/vlm/")
    shown = papers_on(html)
    assert len(shown) == 3
    assert shown[0] == "2601.00001"
    assert "revised v2" in html.find("article", attrs={"id": "2601.00001"}).get_text()


def test_prev_and_next_links_step_through_the_days(built):
    project, _ = built
    middle = project.page(day_url(DAYS[1]))
    nav = middle.select_one("nav.days")
    assert nav.find("a", rel="prev")["href"] == day_url(DAYS[0])
    assert nav.find("a", rel="next")["href"] == day_url(DAYS[2])
    first = project.page(day_url(DAYS[0])).select_one("nav.days")
    assert first.find("a", rel="prev") is None
    assert first.find("a", rel="next")["href"] == day_url(DAYS[1])


def test_archive_is_a_calendar_with_papers_per_day_linking_to_each_digest(built):
    project, days = built
    html = project.page("/archive/")
    month = html.select_one("section.month")
    assert month.h2.get_text(" ", strip=True).startswith("January 2026")
    links = {a["href"]: a.select_one(".n").get_text() for a in month.select("table.calendar a")}
    assert links == {day_url(day): str(len(papers)) for day, papers in days.items()}


def test_index_shows_the_newest_digest_and_keywords_with_counts(built):
    project, days = built
    html = project.page("/")
    assert sorted(papers_on(html)) == sorted(p.id for p in days[DAYS[2]])
    counts = {
        li.a["href"]: li.select_one(".count").get_text() for li in html.select("aside.keywords li")
    }
    testing_ids = {p.id for listed in days.values() for p in listed if TESTING in p.keywords}
    vlm_ids = {p.id for listed in days.values() for p in listed if VLM in p.keywords}
    assert counts == {
        "/keywords/vlm/": f"{len(vlm_ids)} papers",
        "/keywords/software-testing/": f"{len(testing_ids)} papers",
    }
    # No fetch log in this store: the lede cannot say when the digest was fetched.
    assert "Newest digest: Wednesday 28 January 2026." in html.select_one("p.lede").get_text()


def internal_links(output: Path):
    for page in output.rglob("*.html"):
        html = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag in html.find_all(["a", "link"], href=True):
            yield page, tag["href"]


def resolve(output: Path, page: Path, href: str) -> Path | None:
    """The output file an internal link points to, or None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:  # a fragment on the same page
        return page
    if parts.path.startswith("/"):
        target = output / parts.path.lstrip("/")
    else:
        target = page.parent / parts.path
    return target / "index.html" if parts.path.endswith("/") else target


def test_every_internal_link_and_fragment_resolves(built):
    project, _ = built
    output = project.output
    checked = 0
    for page, href in internal_links(output):
        target = resolve(output, page, href)
        if target is None:
            continue
        assert target.exists(), f"{page.relative_to(output)} links to missing {href}"
        fragment = urlsplit(href).fragment
        if fragment and target.suffix == ".html":
            html = BeautifulSoup(target.read_text("utf-8"), "html.parser")
            assert html.find(id=fragment), f"{href} has no #{fragment}"
        checked += 1
    assert checked > 200


def test_every_page_of_the_design_table_exists(built):
    project, _ = built
    for url in ["/", day_url(DAYS[0]), "/keywords/vlm/", "/categories/cs.SE/", "/archive/"]:
        assert project.page(url).find("main"), url
    assert (project.output / "feeds" / "all.atom.xml").exists()
    assert (project.output / "feeds" / "vlm.atom.xml").exists()


def test_two_builds_from_the_same_store_are_byte_identical(project, tmp_path):
    store_from_recorded(project)
    first = project.build(OUTPUT_PATH=str(tmp_path / "one"))
    second = project.build(OUTPUT_PATH=str(tmp_path / "two"))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_site_feed_has_one_entry_per_day_listing_its_papers(built):
    project, _ = built
    feed = feedparser.parse((project.output / "feeds" / "all.atom.xml").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [day_url(d) for d in reversed(DAYS)]
    # each paper once, as its title linking to arXiv, under a heading linking to the digest
    newest = BeautifulSoup(feed.entries[0].content[0].value, "html.parser")
    titles = [a["href"] for a in newest.select("li > a")]
    assert sorted(titles) == sorted(
        f"https://arxiv.org/abs/{versioned_id}"
        for versioned_id in (
            "2008.01944v1",
            "2005.06826v1",
            "2306.03845v1",
            "1908.03707v1",
            "2109.07960v2",
            "2409.05654v9",
            "2104.11069v1",
            "2106.13414v2",
            "2007.10224v1",
            "2602.15552v1",
            "2202.12139v2",  # the revision of a paper from the first day
        )
    )
    sections = {a["href"].partition("#")[0] for a in newest.select("h2 > a")}
    assert sections == {day_url(DAYS[2])}


def test_keyword_feed_has_one_entry_per_paper_with_versionless_ids(built):
    project, days = built
    feed = feedparser.parse((project.output / "feeds" / "vlm.atom.xml").read_bytes())
    assert not feed.bozo
    vlm_papers = [p for listed in days.values() for p in listed if VLM in p.keywords]
    assert sorted(e.id for e in feed.entries) == sorted(
        f"https://arxiv.org/abs/{p.id}" for p in vlm_papers
    )
    entry = next(e for e in feed.entries if e.id.endswith(vlm_papers[0].id))
    paper = vlm_papers[0]
    assert entry.title == paper.title
    assert [a.name for a in entry.authors] == [a.name for a in paper.authors]
    assert [t.term for t in entry.tags] == list(paper.categories)
    # the abstract once, in the content (no summary repeating it)
    assert "summary_detail" not in entry or entry.summary_detail.type == "text/html"
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert [p.get_text() for p in content.find_all("p")][-1] == paper.abstract
    assert entry.content[0].value.count(paper.abstract[:60]) == 1


def test_publish_settings_give_feeds_absolute_urls(project):
    store_from_recorded(project)
    site = "https://example.github.io/digest"
    project.build(SITEURL=site, FEED_DOMAIN=site, RELATIVE_URLS=False)
    site_feed = feedparser.parse((project.output / "feeds" / "all.atom.xml").read_bytes())
    assert site_feed.entries[0].link == f"{site}/2026/01/28/"
    keyword_feed = feedparser.parse((project.output / "feeds" / "vlm.atom.xml").read_bytes())
    assert keyword_feed.feed.link == f"{site}/keywords/vlm/"
    html = project.page("/")
    assert html.select_one('link[type="application/atom+xml"]')["href"] == (
        f"{site}/feeds/all.atom.xml"
    )


HOSTILE = {
    "title": 'Deep <script>alert("t")</script> nets & $x<y$ "><img src=x onerror=alert(1)>',
    "abstract": "We show </p><script>alert('a')</script> that $a < b$ && <b onmouseover=x>c</b>",
    "comment": '"><svg onload=alert(2)> 12 pages',
    "author": "Eve <img src=x onerror=alert(3)>",
}


def hostile_paper():
    return make_paper(
        "2601.06666",
        title=HOSTILE["title"],
        abstract=HOSTILE["abstract"],
        comment=HOSTILE["comment"],
        authors=(Author(HOSTILE["author"], (HOSTILE["author"],)),),
        keywords=(VLM,),
    )


def test_hostile_text_from_arxiv_comes_out_as_text_in_every_page_and_feed(project):
    project.add_day(DAYS[0], [hostile_paper()])
    project.build()
    pages = list(project.output.rglob("*.html"))
    for page in pages:
        html = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        # The theme's own: its scripts, empty, and the trend charts, outside any paper.
        theme = 'script[src^="/theme/js/"]:empty, figure.trend > svg, aside.keywords svg.trend'
        for made in html.select(theme):
            made.decompose()
        assert not html.find(["script", "img", "svg", "b"]), page
        assert not any(
            attr.startswith("on") for tag in html.find_all(True) for attr in tag.attrs
        ), page
    html = project.page(day_url(DAYS[0]))
    article = html.find("article", attrs={"id": "2601.06666"})
    assert shown_text(article.find(["h2", "h3", "h4"])) == as_shown(HOSTILE["title"])
    assert shown_text(article.select_one("details.abstract p")) == as_shown(HOSTILE["abstract"])
    assert article.find(["h2", "h3", "h4"]).math["alttext"] == "x<y"
    assert HOSTILE["comment"] in article.select_one(".comment").get_text()
    assert HOSTILE["author"] in article.select_one(".authors").get_text()

    for name in ("all.atom.xml", "vlm.atom.xml"):
        feed = feedparser.parse((project.output / "feeds" / name).read_bytes())
        assert not feed.bozo, name
        content = BeautifulSoup(feed.entries[0].content[0].value, "html.parser")
        assert not content.find(["script", "img", "svg", "b"]), name
    entry = feedparser.parse((project.output / "feeds" / "vlm.atom.xml").read_bytes()).entries[0]
    assert entry.title == HOSTILE["title"]
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.find_all("p")[-1].get_text() == HOSTILE["abstract"]


def test_rebuilding_the_same_pelican_picks_up_a_changed_store_and_theme(project, tmp_path):
    """What `pelican --autoreload` does after a change: run the same instance again."""
    project.add_day(DAYS[0], [make_paper("2601.00001")])
    theme = tmp_path / "theme"
    theme_src = Path(__file__).resolve().parent.parent / "theme"
    for source in theme_src.rglob("*"):
        if source.is_file():
            target = theme / source.relative_to(theme_src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    pelican = Pelican(project.settings(THEME=str(theme)))
    pelican.run()
    assert papers_on(project.page("/")) == ["2601.00001"]

    project.add_day(DAYS[1], [make_paper("2601.00002")])
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("<main", '<main data-theme-edit="yes"'))
    pelican.run()
    html = project.page("/")
    assert papers_on(html) == ["2601.00002"]
    assert html.find("main")["data-theme-edit"] == "yes"


def test_relative_urls_are_refused_with_what_to_do_instead(project):
    from arxiv_digest.model.settings import SettingsError

    with pytest.raises(SettingsError, match="RELATIVE_URLS = True is not supported"):
        project.build(RELATIVE_URLS=True)


def test_the_newest_day_comes_first_whatever_the_article_order_setting(built):
    project, days = built
    project.build(ARTICLE_ORDER_BY="date")
    assert sorted(papers_on(project.page("/"))) == sorted(p.id for p in days[DAYS[2]])


def test_other_topics_never_share_an_anchor_with_a_keyword(project):
    project.keywords_file.write_text("keywords:\n  - name: Other\n    terms: [other]\n")
    project.add_day(
        DAYS[0],
        [
            make_paper("2601.00001", keywords=("other",)),
            make_paper("2601.00002", keywords=("gone",)),
        ],
    )
    project.build()
    html = project.page(day_url(DAYS[0]))
    ids = [tag["id"] for tag in html.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert [s["id"] for s in html.select("section.keyword")] == ["kw-other", "other-topics"]


def test_an_empty_store_builds_the_same_bytes_twice(project, tmp_path):
    first = project.build(OUTPUT_PATH=str(tmp_path / "one"))
    second = project.build(OUTPUT_PATH=str(tmp_path / "two"))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    index = BeautifulSoup((first / "index.html").read_text("utf-8"), "html.parser")
    assert index.find("p", class_="lede").get_text().startswith("No papers")


def test_with_fatal_errors_a_paper_that_cannot_be_read_fails_the_build_after_the_rest_is_written(
    tmp_path,
):
    site = make_site(tmp_path / "site", KEYWORDS_YAML)
    path = site.add_day(DAYS[0], [make_paper("2601.00001"), make_paper("2601.00002")])
    path.write_text(path.read_text("utf-8").replace('"2601.00002"', '"2601.00001"'), "utf-8")
    result = build_offline(site, columns=300)
    said = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert "paper 2 (2601.00001): 'id' repeats paper 1" in said
    shown = site.page("/2026/01/26/").select("article.paper")
    assert [a["id"] for a in shown] == ["2601.00001"]
