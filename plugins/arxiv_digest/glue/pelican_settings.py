"""The Pelican settings the plugin fixes, and what templates get from ``urls``.

The digest's URLs are contracts (DESIGN.md) and the plugin writes its own taxonomy
pages and feeds, so these settings are not the user's to choose. Overwriting one a
user did choose is logged, never silent.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from pelican.settings import DEFAULT_CONFIG

from ..model.paper import Paper
from ..model.taxonomy import category_name, category_names
from ..pages import urls
from ..pages.links import code_links
from ..pages.listings import day_chips, day_counts, iso_time, long_date, long_time
from ..pages.marks import matched_phrases
from ..pages.richtext import plain_text, rich_text, rich_title

logger = logging.getLogger(__name__)

URLS_WHY = "the digest's URLs are fixed (links and feed readers depend on them)"
# (why, settings): each group of settings the plugin fixes, with the reason a warning gives.
FIXED_SETTINGS: tuple[tuple[str, dict[str, object]], ...] = (
    (
        URLS_WHY,
        {
            "ARTICLE_URL": urls.DAY_PATTERN,
            "ARTICLE_SAVE_AS": urls.save_as(urls.DAY_PATTERN),
            "INDEX_SAVE_AS": urls.save_as(urls.INDEX),
            "ARCHIVES_URL": urls.ARCHIVE,
            "ARCHIVES_SAVE_AS": urls.save_as(urls.ARCHIVE),
            "FEED_ALL_ATOM": urls.SITE_FEED,
        },
    ),
    (
        "the index and the site feed list the newest day first",
        {"ARTICLE_ORDER_BY": "reversed-date"},
    ),
    (
        "the plugin writes the index and the archive; keyword and category pages replace "
        "Pelican's tag, category and author pages",
        {"DIRECT_TEMPLATES": ["index", "archives"]},
    ),
    (
        "arXiv categories and keywords stand in for Pelican's categories, tags and authors",
        dict.fromkeys(
            [
                "CATEGORY_SAVE_AS",
                "CATEGORIES_SAVE_AS",
                "TAG_SAVE_AS",
                "TAGS_SAVE_AS",
                "AUTHOR_SAVE_AS",
                "AUTHORS_SAVE_AS",
                "YEAR_ARCHIVE_SAVE_AS",
                "MONTH_ARCHIVE_SAVE_AS",
                "DAY_ARCHIVE_SAVE_AS",
            ],
            "",
        ),
    ),
    (
        "the plugin writes the site feed and one Atom feed per keyword, no other",
        dict.fromkeys(
            [
                "FEED_ATOM",
                "FEED_RSS",
                "FEED_ALL_RSS",
                "CATEGORY_FEED_ATOM",
                "CATEGORY_FEED_RSS",
                "AUTHOR_FEED_ATOM",
                "AUTHOR_FEED_RSS",
                "TAG_FEED_ATOM",
                "TAG_FEED_RSS",
                "TRANSLATION_FEED_ATOM",
                "TRANSLATION_FEED_RSS",
            ],
            None,
        ),
    ),
)

# URLs and functions templates use; the paper macro looks its links up in CATEGORY_LINKS and
# KEYWORD_LINKS (see generator) instead, which is faster.
TEMPLATE_GLOBALS = {
    "day_url": urls.day_url,
    "keyword_url": urls.keyword_url,
    "keyword_feed_url": urls.keyword_feed_url,
    "category_url": urls.category_url,
    "category_name": category_name,
    "long_date": long_date,
    "day_counts": day_counts,
    "day_chips": day_chips,
    "long_time": long_time,
    "iso_time": iso_time,
    "STATUS_URL": urls.STATUS,
    "STATUS_JSON_URL": urls.STATUS_JSON,
    "STATUS_BADGE_URL": urls.STATUS_BADGE,
    "READING_LIST_URL": urls.READING_LIST,
    "KEYWORDS_OPML": urls.KEYWORDS_OPML,
    "day_bibtex_url": urls.day_bibtex_url,
    "keyword_bibtex_url": urls.keyword_bibtex_url,
    "code_links": code_links,
}


@pass_context
def marked(context: Context, html: str, paper: Paper, field: str) -> Markup:
    """A paper's rendered ``field`` with the phrases of the keywords it matched marked."""
    keywords = (k for k, _ in context.get("DIGEST_KEYWORDS", ()) if k.slug in paper.keywords)
    return matched_phrases(html, keywords, field)


# arXiv text as pages show it: escaped, math as MathML, addresses as links (see richtext);
# why a paper is listed: its keywords' phrases marked (see marks).
TEMPLATE_FILTERS = {
    "rich_text": rich_text,
    "rich_title": rich_title,
    "plain_text": plain_text,
    "marked": marked,
}


def fix_site_settings(
    settings: MutableMapping[str, Any], store: Path, *, site_feed: bool = True
) -> None:
    """Set what the plugin fixes; a WARNING for each value the user chose that it replaces.
    ``site_feed``: whether there is a day to put in the site feed."""
    store_dir = os.path.relpath(store, settings["PATH"])
    fixed = [
        *((why, key, value) for why, group in FIXED_SETTINGS for key, value in group.items()),
        ("the digest days are read from the store only", "ARTICLE_PATHS", [store_dir]),
    ]
    for why, key, value in fixed:
        chosen = settings.get(key, DEFAULT_CONFIG.get(key))
        if chosen not in (value, DEFAULT_CONFIG.get(key)):
            logger.warning("arxiv-digest replaces %s = %r with %r: %s", key, chosen, value, why)
        settings[key] = value
    if not site_feed:
        settings["FEED_ALL_ATOM"] = None
    settings["PAGE_EXCLUDES"] = [*settings.get("PAGE_EXCLUDES", []), store_dir]
    # Everything from arXiv is untrusted text: every template escapes by default.
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "autoescape": True}
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), **TEMPLATE_GLOBALS}
    settings["JINJA_FILTERS"] = {**settings.get("JINJA_FILTERS", {}), **TEMPLATE_FILTERS}


@cache
def category_links() -> dict[str, urls.Link]:
    """Each arXiv category with a name, by code: its full name and the URL of its page."""
    return {
        code: urls.Link(name, urls.category_url(code))
        for code, name in category_names().items()
        if name != code
    }
