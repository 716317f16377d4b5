"""The site's URL scheme, in one place: every address a page, a feed or a file is at.

URLs are relative to the site root (no leading slash, as Pelican's ``*_URL`` settings):
a page links to ``{{ SITEURL }}/{{ url }}``. Those of DESIGN.md are contracts: links,
bookmarks and feed readers depend on them, so change none of them.

A URL ending in ``/`` is a folder, written as ``<url>index.html`` (:func:`save_as`).
Pure: no Pelican here; ``glue.pelican_settings`` gives these to Pelican.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Pages and feeds of the site as it is.
INDEX = ""  # the newest digests: /
ARCHIVE = "archive/"  # the calendar of every digest day
SITE_FEED = "feeds/all.atom.xml"  # one entry per digest day
# Pelican's pattern for an article (a digest day); day_url gives the same for a date.
DAY_PATTERN = "{date:%Y}/{date:%m}/{date:%d}/"

# Search, the reading list, the status and the data for the scripts.
SEARCH = "search/"  # full-text search over the stored papers
SEARCH_INDEX = "search/index/"  # its Pagefind bundles, one folder per month: YYYY-MM/
READING_LIST = "reading-list/"  # papers a reader saved in this browser
STATUS = "status/"  # when the store was last fetched, and what failed
STATUS_JSON = "status.json"  # the same, for scripts
STATUS_BADGE = "status-badge.json"  # the same, as a shields.io endpoint badge
KEYWORDS_OPML = "feeds/keywords.opml"  # every keyword feed, for a feed reader to import
FAVICON = "favicon.ico"  # browsers ask for it at the root whatever a page says
# Data for the theme's scripts (keepup.js, reading-list.js compute the same addresses).
RECENT_DATA = "data/recent.json"  # the newest days' papers per keyword: "new since"
AUTHORS_INDEX = "data/authors/index.json"  # how many author shards there are (pages.authors)


def paper_days_url(shard: str) -> str:
    """A month's ids (``2601``), each with the digest day listing it: ``data/papers/2601.json``."""
    return f"data/papers/{shard}.json"


def author_shard_url(number: int) -> str:
    """One shard of the author index (``data/authors/7.json``), by surname (pages.authors)."""
    return f"data/authors/{number}.json"


def related_data_url(shard: str) -> str:
    """A month's ids (``2601``), each with its related papers' ids: ``data/related/2601.json``."""
    return f"data/related/{shard}.json"


def day_url(day: date) -> str:
    """A day's digest: ``2026/02/02/``."""
    # Not strftime (``{day:%Y}``), which is 4x slower: the paper macro asks ~80,000 times.
    return f"{day.year:04}/{day.month:02}/{day.day:02}/"


def keyword_url(slug: str) -> str:
    """A keyword's page: its newest papers across days."""
    return f"keywords/{slug}/"


def keyword_feed_url(slug: str) -> str:
    """A keyword's Atom feed: one entry per paper."""
    return f"feeds/{slug}.atom.xml"


def category_url(code: str) -> str:
    """An arXiv category's page (``categories/cs.CL/``)."""
    return f"categories/{code}/"


def day_bibtex_url(day: date) -> str:
    """A day's papers as BibTeX: ``2026/02/02/papers.bib``."""
    return f"{day_url(day)}papers.bib"


def keyword_bibtex_url(slug: str) -> str:
    """A keyword's listed papers as BibTeX: ``keywords/<slug>/papers.bib``."""
    return f"{keyword_url(slug)}papers.bib"


def paper_url(day: date, arxiv_id: str) -> str:
    """A paper in its day's digest (``2026/02/02/#2602.00001``): it opens there, scrolled
    into view with its abstract open."""
    return f"{day_url(day)}#{arxiv_id}"


def save_as(url: str) -> str:
    """The output file of a URL: a folder's ``index.html``, else the URL itself."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


@dataclass(frozen=True, slots=True)
class Link:
    """Something a page links to, as templates want it: ``{{ SITEURL }}/{{ link.url }}``."""

    name: str
    url: str
