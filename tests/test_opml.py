"""The OPML list of feeds, read back by listparser, the parser feed readers' importers resemble."""

import xml.etree.ElementTree as ET

import listparser

from arxiv_digest.pages.opml import Subscription, opml

from .conftest import elsewhere, make_paper

SITE = Subscription(
    "arXiv digest: every digest", "https://example.org/feeds/all.atom.xml", "https://example.org/"
)
VLM = Subscription(
    "Vision Language Model",
    "https://example.org/feeds/vlm.atom.xml",
    "https://example.org/keywords/vlm/",
)


def test_a_feed_reader_finds_every_feed_in_order():
    parsed = listparser.parse(opml("arXiv digest", [SITE, VLM]))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.meta.title == "arXiv digest"
    assert [(f.title, f.url) for f in parsed.feeds] == [
        ("arXiv digest: every digest", "https://example.org/feeds/all.atom.xml"),
        ("Vision Language Model", "https://example.org/feeds/vlm.atom.xml"),
    ]


def test_markup_in_a_keyword_name_stays_text():
    hostile = Subscription(
        "A & B <script>alert(\"x\")</script> 'q'",
        "https://example.org/feeds/a-b.atom.xml?x=1&y=2",
        "https://example.org/keywords/a-b/",
    )
    text = opml("Site <b>&</b>", [hostile])
    parsed = listparser.parse(text)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.meta.title == "Site <b>&</b>"
    assert parsed.feeds[0].title == hostile.title
    assert parsed.feeds[0].url == hostile.xml_url
    assert "<script>" not in text


def test_no_feeds_is_still_a_valid_list():
    parsed = listparser.parse(opml("Empty", []))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feeds == []


def test_same_feeds_give_the_same_bytes_whatever_the_clock_and_hash_seed():
    """(The order is keywords.yaml's: the same order in, the same bytes out.)"""
    here = opml("S", [SITE, VLM])
    there = elsewhere(
        """
        import sys
        from arxiv_digest.pages.opml import opml
        from tests.test_opml import SITE, VLM
        sys.stdout.write(opml("S", [SITE, VLM]))
        """
    )
    assert there == here


def test_each_keyword_feed_follows_its_keyword_page_under_its_slug(project):
    """keywords.yaml names "Vision Language Model" with slug vlm: its page is /keywords/vlm/."""
    project.add_day("2026-01-27", [make_paper("2601.00001", keywords=("vlm", "software-testing"))])
    output = project.build(SITEURL="https://example.org")
    outlines = ET.parse(output / "feeds" / "keywords.opml").getroot().iter("outline")
    html_urls = {outline.get("text"): outline.get("htmlUrl") for outline in outlines}
    assert html_urls["Test digest: Vision Language Model"] == "https://example.org/keywords/vlm/"
    assert html_urls["Test digest: Software Testing"] == (
        "https://example.org/keywords/software-testing/"
    )
    for url in html_urls.values():  # each is a page the site has
        assert (output / url.removeprefix("https://example.org/") / "index.html").is_file(), url
