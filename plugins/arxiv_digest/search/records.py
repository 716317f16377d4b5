"""Search records: every stored paper as one Pagefind record, grouped in one bundle per month.

A month's bundle holds the papers announced that month (:func:`bundle_records`) and is
kept under a key of everything its records are made from (:func:`bundle_key`), so a
rebuild indexes only the months whose days changed, in practice the current one, since a
new version goes into the month that announced it. Pure: no files written, no processes;
``search.pagefind`` runs the indexer over these records.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from importlib import metadata
from pathlib import Path

from ..model import paper as paper_module
from ..model.paper import Paper
from ..model.store import Day
from ..pages import links, richtext, tex, urls
from ..pages.links import has_code
from ..pages.listings import Listing
from ..pages.richtext import plain_text

HAS_CODE = "has code"  # the value of the "code" filter


def bundle_name(day: date) -> str:
    """The bundle that holds the papers a digest day announced: its month, ``YYYY-MM``."""
    return f"{day:%Y-%m}"


@dataclass(frozen=True)
class Facet:
    """A filter of the search page, with each value's papers in the whole archive."""

    name: str  # the URL parameter and the Pagefind filter
    label: str
    values: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SearchPage:
    """What the search page is rendered with: known at build time, so the browser fetches
    nothing to list the filters."""

    bundles: tuple[str, ...]  # YYYY-MM, newest first: the order the page asks them in
    facets: tuple[Facet, ...]


def search_page(days: Iterable[Day], keyword_names: Mapping[str, str]) -> SearchPage:
    """The bundles :func:`build_index` writes for these days and the filters of their papers."""
    days = list(days)
    newest = newest_versions(days).values()
    papers = [listing.paper for listing in newest]
    keywords = Counter(slug for paper in papers for slug in paper.keywords)
    categories = Counter(code for paper in papers for code in paper.categories)
    years = Counter(f"{listing.day:%Y}" for listing in newest)
    revised = sum(paper.is_revision for paper in papers)
    with_code = sum(has_code(paper) for paper in papers)
    facets = (
        Facet(
            "keyword",
            "Keyword",
            tuple((name, keywords[slug]) for slug, name in keyword_names.items() if keywords[slug]),
        ),
        Facet("category", "arXiv category", tuple(sorted(categories.items(), key=_most_first))),
        Facet("year", "Year", tuple(sorted(years.items(), reverse=True))),
        Facet(
            "status",
            "New or revised",
            tuple((v, n) for v, n in (("new", len(papers) - revised), ("revised", revised)) if n),
        ),
        Facet("code", "Code", ((HAS_CODE, with_code),) if with_code else ()),
    )
    return SearchPage(
        bundles=tuple(sorted({bundle_name(day.date) for day in days}, reverse=True)),
        facets=tuple(facet for facet in facets if facet.values),
    )


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def newest_versions(days: Iterable[Day]) -> dict[str, Listing]:
    """Every paper once, at its newest stored version, by arXiv id."""
    return _newest(days, lambda day: "all").get("all", {})


def bundle_records(days: Iterable[Day]) -> dict[str, list[Listing]]:
    """What each month's bundle (``YYYY-MM``) holds: every paper announced that month, once,
    at the newest version announced that month. A later version goes into its own month's
    bundle and leaves the older one as it was, so a day's news re-indexes its month only;
    the search page shows a paper once, at the newest version it finds (newest month first)."""
    by_month = _newest(days, lambda day: bundle_name(day.date))
    return {name: list(month.values()) for name, month in by_month.items()}


def _newest(days: Iterable[Day], group: Callable[[Day], str]) -> dict[str, dict[str, Listing]]:
    """Each group's papers, once each, at the newest version the group's days hold."""
    groups: dict[str, dict[str, Listing]] = {}
    for day in days:
        papers = groups.setdefault(group(day), {})
        for paper in day.papers:
            known = papers.get(paper.id)
            if known is None or _is_newer(day.date, paper, known):
                papers[paper.id] = Listing(day.date, paper)
    return groups


def _is_newer(day: date, paper: Paper, known: Listing) -> bool:
    return (day, paper.version or 0, paper.updated) > (
        known.day,
        known.paper.version or 0,
        known.paper.updated,
    )


def with_abstract(day: date, abstracts_from: date | None) -> bool:
    """Whether a day's records hold their abstracts: not before ``abstracts_from``
    (``ARXIV_ABSTRACT_YEARS``), where the digests leave them out too."""
    return abstracts_from is None or day >= abstracts_from


def record_html(
    paper: Paper, day: date, keyword_names: Mapping[str, str], abstract: bool = True
) -> str:
    """A paper as a Pagefind record. Searchable (the body): title, authors (", " between
    them), comment, abstract, as plain text with TeX as written; no id, which would be
    noise in an excerpt. The ``id`` filter finds a paper by its id exactly: the search page
    asks it for an id, and for the papers the author
    index (``pages.authors``) names. Meta holds only what a result shows that the body and
    filters do not give back as they are; filters and meta sit in ``<meta>`` attributes, so
    no character of arXiv's text can end a value early. The record's URL is that of the
    paper in its digest, so no meta repeats it."""
    keywords = [name for slug, name in keyword_names.items() if slug in paper.keywords]
    title = plain_text(paper.title)
    meta = {
        "url": urls.paper_url(day, paper.id),  # relative to the site: SITEURL may move
        "id": paper.versioned_id,
        "authors": json.dumps([a.name for a in paper.authors[:6]], ensure_ascii=False),
        "more": str(max(len(paper.authors) - 6, 0) or int(paper.authors_truncated)),
        "categories": " ".join(paper.categories),  # primary first, as filters do not keep
    }
    filters = [
        ("id", paper.id),
        ("status", "revised" if paper.is_revision else "new"),
        ("year", f"{day:%Y}"),
        ("bundle", bundle_name(day)),  # the search page asks one month after another
        *(("keyword", name) for name in keywords),
        *(("category", code) for code in paper.categories),
        *((("code", HAS_CODE),) if has_code(paper) else ()),
    ]
    head = [
        *(
            f'<meta data-pagefind-meta="{k}[content]" content="{escape(v)}">'
            for k, v in meta.items()
        ),
        *(f'<meta data-pagefind-filter="{k}[content]" content="{escape(v)}">' for k, v in filters),
        f'<meta data-pagefind-sort="date[content]" content="{day.isoformat()}">',
    ]
    body = [
        f'<h1 data-pagefind-meta="title">{escape(title)}</h1>',
        f"<p>{escape(', '.join(a.name for a in paper.authors))}</p>",
        f"<p>{escape(plain_text(paper.comment))}</p>" if paper.comment else "",
        f"<p>{escape(plain_text(paper.abstract))}</p>" if abstract else "",
    ]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title></title>\n'
        + "\n".join(head)
        + "\n</head><body data-pagefind-body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body></html>\n"
    )


# The modules a record's text comes from: a change to any of them changes the records.
RECORD_SOURCES = (paper_module, links, richtext, tex, urls)


def records_fingerprint() -> str:
    """A digest of the code records are made from: this module, the modules it takes text
    from, and the TeX library ``tex`` renders with."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for module in RECORD_SOURCES:
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(metadata.version("math-core").encode())
    return digest.hexdigest()


def bundle_key(
    listings: Iterable[Listing],
    keyword_names: Mapping[str, str],
    indexer_version: str,
    abstracts_from: date | None = None,
) -> str:
    """The key of a month's bundle: everything its records are made from (the papers, the
    keyword names, which hold abstracts, the code of :func:`records_fingerprint`) and the
    indexer. Hashing the papers rather than their records saves rendering a year of records
    on every build."""
    digest = hashlib.sha256(records_fingerprint().encode())
    digest.update(f"\0{indexer_version}\0{sorted(keyword_names.items())!r}".encode())
    for listing in sorted(listings, key=lambda item: item.paper.id):
        light = "" if with_abstract(listing.day, abstracts_from) else "\0light"
        digest.update(f"\0{listing!r}{light}".encode())
    return digest.hexdigest()[:24]
