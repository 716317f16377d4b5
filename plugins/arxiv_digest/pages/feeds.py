"""Keyword feeds: one Atom entry per paper.

An entry's title is plain text with math as its TeX source (what every feed reader can
show). It carries every author and the named categories as Atom elements, and as its
content a few lines of HTML: the links, the comment and the abstract, once, as text (a feed
is fetched on every poll: 50 papers weigh ~100 KB, not the 400 KB of two abstracts and each
paper's page markup).

An entry's id is the paper's versionless abs URL, so a new version updates the
entry in a feed reader instead of adding a second one. Pelican's own feed writer
derives ids from links and dates and writes one author per entry, so these feeds
are written with feedgenerator (which Pelican uses) directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.feedgenerator import rfc3339_date
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator

from ..model.schedule import parse_timestamp
from ..model.taxonomy import category_name
from .listings import Listing
from .richtext import plain_text

ARXIV_SCHEME = "http://arxiv.org/schemas/atom"


class PaperFeed(Atom1Feed):
    """Atom with every author, named categories and lean HTML content."""

    def __init__(self, *args: Any, newest: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.newest = newest

    def latest_post_date(self) -> datetime:
        # feedgenerator falls back to "now", which would make builds differ.
        return super().latest_post_date() if self.items else self.newest

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", "", {"href": item["link"], "rel": "alternate"})
        handler.addQuickElement("id", item["unique_id"])
        handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        handler.addQuickElement("updated", rfc3339_date(item["updateddate"]))
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        for code in item["categories"]:
            attrs = {"term": code, "scheme": ARXIV_SCHEME, "label": category_name(code)}
            handler.addQuickElement("category", "", attrs)
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})


def moment(timestamp: str, fallback: date) -> datetime:
    """A stored ISO timestamp (or bare date) as an aware datetime; the fallback day if empty."""
    if not timestamp:
        return datetime.combine(fallback, time(), UTC)
    if len(timestamp) == 10:
        return datetime.combine(date.fromisoformat(timestamp), time(), UTC)
    return parse_timestamp(timestamp)


def paper_feed(
    *,
    title: str,
    page_url: str,
    feed_url: str,
    listings: Sequence[Listing],
    newest_day: date,
    render: Callable[[Listing], str],
) -> PaperFeed:
    """A feed of the listed papers, newest first; ``render`` gives each entry's HTML."""
    feed = PaperFeed(
        title=title,
        link=page_url,
        feed_url=feed_url,
        feed_guid=feed_url,
        description="",
        newest=datetime.combine(newest_day, time(), UTC),
    )
    for listing in listings:
        paper = listing.paper
        feed.add_item(
            title=plain_text(paper.title),
            link=paper.abs_url,
            unique_id=paper.versionless_url,
            description=None,  # the content carries the abstract: once is enough
            content=render(listing),
            pubdate=moment(paper.published or paper.updated, listing.day),
            updateddate=moment(paper.updated, listing.day),
            categories=paper.categories,
            authors=[a.name for a in paper.authors],
        )
    return feed


def feed_text(feed: PaperFeed) -> str:
    """The feed's XML."""
    return str(feed.writeString("utf-8"))
