"""The OPML list of feeds, read back by listparser, the parser feed readers' importers resemble."""

import listparser

from arxiv_digest.pages.opml import Subscription, opml

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


def test_same_feeds_give_the_same_bytes():
    assert opml("S", [SITE, VLM]) == opml("S", [SITE, VLM])
