"""The URL scheme: one module says where everything is, and the build puts it there."""

from __future__ import annotations

from datetime import date

import pytest

from arxiv_digest.pages import urls
from arxiv_digest_dev.benchmark.report import page_kind

from .conftest import make_paper


def test_the_urls_of_the_site_are_those_design_md_promises():
    day = date(2026, 2, 2)
    assert urls.INDEX == ""
    assert urls.day_url(day) == "2026/02/02/"
    assert urls.keyword_url("vlm") == "keywords/vlm/"
    assert urls.category_url("cs.CV") == "categories/cs.CV/"
    assert urls.ARCHIVE == "archive/"
    assert urls.SITE_FEED == "feeds/all.atom.xml"
    assert urls.keyword_feed_url("vlm") == "feeds/vlm.atom.xml"


def test_the_urls_of_upcoming_features_are_fixed():
    day = date(2026, 2, 2)
    assert urls.SEARCH == "search/"
    assert urls.READING_LIST == "reading-list/"
    assert urls.STATUS == "status/"
    assert urls.STATUS_JSON == "status.json"
    assert urls.STATUS_BADGE == "status-badge.json"
    assert urls.KEYWORDS_OPML == "feeds/keywords.opml"
    assert urls.day_bibtex_url(day) == "2026/02/02/papers.bib"
    assert urls.keyword_bibtex_url("vlm") == "keywords/vlm/papers.bib"


def test_pelicans_day_pattern_gives_the_same_url_as_day_url():
    day = date(2026, 12, 31)
    assert urls.DAY_PATTERN.format(date=day) == urls.day_url(day)


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("", "index.html"),
        ("archive/", "archive/index.html"),
        ("feeds/all.atom.xml", "feeds/all.atom.xml"),
        ("2026/02/02/papers.bib", "2026/02/02/papers.bib"),
    ],
)
def test_a_folder_url_is_saved_as_its_index_and_a_file_url_as_itself(url, file):
    assert urls.save_as(url) == file


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("2026/02/02/index.html", "day"),
        ("keywords/vlm/index.html", "keyword"),
        ("categories/cs.CV/index.html", "category"),
        ("feeds/all.atom.xml", "feed"),
        ("feeds/vlm.atom.xml", "feed"),
        ("theme/css/style.css", "theme"),
        ("index.html", "other"),
        ("archive/index.html", "other"),
    ],
)
def test_an_output_file_is_classified_by_its_url(path, kind):
    assert page_kind(path) == kind


def test_a_build_writes_every_page_and_feed_where_urls_says(project):
    day = date(2026, 1, 27)
    project.add_day(day, [make_paper("2601.00001", categories=("cs.CV",))])
    output = project.build()
    for url in [
        urls.INDEX,
        urls.ARCHIVE,
        urls.SITE_FEED,
        urls.day_url(day),
        urls.keyword_url("vlm"),
        urls.keyword_feed_url("vlm"),
        urls.category_url("cs.CV"),
    ]:
        assert (output / urls.save_as(url)).is_file(), url


def test_paper_links_lead_to_the_keyword_and_category_pages(project):
    project.add_day("2026-01-27", [make_paper("2601.00001", categories=("cs.CV", "xx.YY"))])
    project.build()
    paper = project.page("/2026/01/27/").find("article", class_="paper")
    links = {a.get_text(): a["href"] for a in paper.select(".tags a")}
    assert links == {
        "cs.CV": "/" + urls.category_url("cs.CV"),
        "Vision Language Model": "/" + urls.keyword_url("vlm"),
    }
    assert paper.select_one(".tags span.cat").get_text() == "xx.YY"  # unknown: no page
