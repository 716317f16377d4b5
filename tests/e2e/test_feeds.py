"""The feeds as a feed reader (feedparser) sees them."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

from arxiv_digest.model.keywords import load

from ..conftest import SAMPLE_SITE, make_paper

SITE = "https://example.github.io/digest"  # what the publish workflow sets
PUBLISH = {"SITEURL": SITE, "FEED_DOMAIN": SITE, "RELATIVE_URLS": False}


def read_feed(path: Path) -> feedparser.FeedParserDict:
    return feedparser.parse(path.read_bytes())


def stored_days() -> dict[str, list[dict]]:
    """The sample store: day (YYYY-MM-DD) -> its papers, newest day first."""
    days = {}
    for path in sorted((SAMPLE_SITE / "content" / "papers").glob("*/*.json"), reverse=True):
        data = json.loads(path.read_text(encoding="utf-8"))
        days[data["day"]] = data["papers"]
    return days


def test_every_sample_feed_parses_without_a_bozo_flag(sample_output):
    feeds = sorted((sample_output / "feeds").glob("*.atom.xml"))
    slugs = [k.slug for k in load(SAMPLE_SITE / "keywords.yaml").keywords]
    assert sorted(f.name for f in feeds) == sorted(
        ["all.atom.xml", *(f"{s}.atom.xml" for s in slugs)]
    )
    problems = {
        f.name: str(feed.get("bozo_exception")) for f in feeds if (feed := read_feed(f)).bozo
    }
    assert problems == {}
    assert all(read_feed(f).entries for f in feeds)


def test_the_site_feed_carries_the_ten_newest_days_with_their_papers(sample_output):
    feed = read_feed(sample_output / "feeds" / "all.atom.xml")
    newest = list(stored_days().items())[:10]
    assert [e.link for e in feed.entries] == [f"/{day.replace('-', '/')}/" for day, _ in newest]
    for entry, (day, papers) in zip(feed.entries, newest, strict=True):
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        titles = sorted(a["href"] for a in content.select("li > a"))
        expected = sorted(
            f"https://arxiv.org/abs/{p['id']}" + (f"v{p['version']}" if p["version"] else "")
            for p in papers
        )
        assert titles == expected, day


def test_a_keyword_feed_carries_its_page_s_newest_papers_with_versionless_ids(sample_output):
    feed = read_feed(sample_output / "feeds" / "vlm.atom.xml")
    page = BeautifulSoup((sample_output / "keywords/vlm/index.html").read_bytes(), "html.parser")
    papers = page.select("article.paper")[:50]  # ARXIV_FEED_MAX_PAPERS
    assert [e.id for e in feed.entries] == [f"https://arxiv.org/abs/{p['id']}" for p in papers]
    assert [e.link for e in feed.entries] == [p.h2.a["href"] for p in papers]
    assert [e.title for e in feed.entries] == [p.h2.get_text() for p in papers]


def test_feed_ids_stay_the_same_when_a_new_day_arrives(project):
    project.add_day("2026-01-27", [make_paper("2601.00001"), make_paper("2601.00002")])
    project.build(**PUBLISH)
    site_ids = [e.id for e in read_feed(project.output / "feeds" / "all.atom.xml").entries]
    vlm_ids = [e.id for e in read_feed(project.output / "feeds" / "vlm.atom.xml").entries]

    project.add_day("2026-01-28", [make_paper("2601.00003", updated="2026-01-28T10:00:00Z")])
    project.build(**PUBLISH)
    site_feed = read_feed(project.output / "feeds" / "all.atom.xml")
    vlm_feed = read_feed(project.output / "feeds" / "vlm.atom.xml")

    assert site_ids == ["tag:example.github.io,2026-01-27:/digest/2026/01/27/"]
    assert [e.id for e in site_feed.entries] == [
        "tag:example.github.io,2026-01-28:/digest/2026/01/28/",
        *site_ids,
    ]
    assert [e.id for e in vlm_feed.entries] == ["https://arxiv.org/abs/2601.00003", *vlm_ids]


def test_a_revision_updates_its_feed_entry_rather_than_adding_one(project):
    first = make_paper(
        "2601.00001", 1, published="2026-01-26T10:00:00Z", updated="2026-01-26T10:00:00Z"
    )
    project.add_day("2026-01-27", [first])
    project.build(**PUBLISH)
    revised = make_paper(
        "2601.00001",
        2,
        title="A study of 2601.00001, revised",
        published="2026-01-26T10:00:00Z",
        updated="2026-01-28T09:30:00Z",
    )
    project.add_day("2026-01-29", [revised])
    project.build(**PUBLISH)

    entries = read_feed(project.output / "feeds" / "vlm.atom.xml").entries
    assert [e.id for e in entries] == ["https://arxiv.org/abs/2601.00001"]
    (entry,) = entries
    assert entry.updated_parsed[:5] == (2026, 1, 28, 9, 30)
    assert entry.published_parsed[:5] == (2026, 1, 26, 10, 0)
    assert entry.title == "A study of 2601.00001, revised"
    assert entry.link == "https://arxiv.org/abs/2601.00001v2"
