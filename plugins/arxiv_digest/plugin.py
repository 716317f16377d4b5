"""Pelican glue: the build's one contact with Pelican.

How the store becomes a site: a reader *and* a generator.

* :class:`DigestReader` turns each day file of the store into one Pelican
  article, the digest of that day. Pelican then does what it does well: the
  article's URL (``/YYYY/MM/DD/``), the order of days, the site feed
  (``/feeds/all.atom.xml``, one entry per day), the index and archive pages,
  and the autoreload watch over ``content/``.
* :class:`DigestGenerator` runs after the articles are read. Keyword and
  category pages list papers across days, which no Pelican content type does,
  so it builds them from the days' papers and writes them through Pelican's
  writer, and writes the keyword feeds (see ``feeds``). It also renders each
  day's body once, with the theme's paper macro, as that article's content: the
  day page, the index and the site feed all show that same HTML, and it is kept
  between builds (see ``cache``).

Fetching runs once per Pelican instance, when it is initialised, before anything
is read; its failures are reported as one ERROR after the site is written, so
``pelican --fatal errors`` still exits non-zero but only after a complete build.
"""

from __future__ import annotations

import gc
import logging
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import jinja2
import pelican
from markupsafe import escape
from pelican import signals
from pelican.generators import Generator
from pelican.log import console
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from . import config as keywords_config
from . import settings as digest_settings
from .cache import BodyCache, fingerprint, source_digest, stable_repr
from .feeds import paper_feed, write_feed
from .query import build_query
from .site import (
    archive_months,
    category_listings,
    keyword_listings,
    keyword_totals,
    long_date,
    sections,
)
from .store import Store, StoreError, parse_day
from .taxonomy import category_name

if TYPE_CHECKING:  # the arxiv package is imported only when fetching
    from .fetch import FetchReport

logger = logging.getLogger(__name__)

STATE = "ARXIV_DIGEST"  # the settings key holding this build's Run

# The URLs of DESIGN.md: feed readers and links depend on them, so the plugin sets them.
SITE_SETTINGS = {
    "ARTICLE_URL": "{date:%Y}/{date:%m}/{date:%d}/",
    "ARTICLE_ORDER_BY": "reversed-date",  # the newest day first: the index, the feed
    "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
    "DIRECT_TEMPLATES": ["index", "archives"],
    "INDEX_SAVE_AS": "index.html",
    "ARCHIVES_URL": "archive/",
    "ARCHIVES_SAVE_AS": "archive/index.html",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    # Pelican's own taxonomies and feeds: arXiv categories and keywords stand in for them.
    **dict.fromkeys(
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
    **dict.fromkeys(
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
}


def day_url(day: date) -> str:
    return f"{day:%Y}/{day:%m}/{day:%d}/"


def keyword_url(slug: str) -> str:
    return f"keywords/{slug}/"


def keyword_feed_url(slug: str) -> str:
    return f"feeds/{slug}.atom.xml"


def category_url(code: str) -> str:
    return f"categories/{code}/"


TEMPLATE_GLOBALS = {
    "day_url": day_url,
    "keyword_url": keyword_url,
    "keyword_feed_url": keyword_feed_url,
    "category_url": category_url,
    "category_name": category_name,
}


@dataclass(frozen=True)
class Run:
    """What this build knows before it reads the store."""

    settings: digest_settings.DigestSettings
    config: keywords_config.Config
    fetch_report: FetchReport | None = None
    fetch_error: str | None = None  # the fetch could not start (e.g. a store file is broken)


def register() -> None:
    signals.initialized.connect(prepare)
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(add_generator)
    signals.get_generators.connect(pause_garbage_collection)
    signals.finalized.connect(resume_garbage_collection)
    signals.finalized.connect(report_fetch)


def prepare(pelican) -> None:
    """Check settings and keywords.yaml, fix the site's URLs, and fetch when fetching is on.

    A bad setting or keywords file raises, which stops Pelican before it writes anything.
    """
    settings = pelican.settings
    digest = digest_settings.read(settings)
    config = keywords_config.load(digest.keywords_file)
    if settings.get("RELATIVE_URLS"):
        # A day's digest is rendered once and shown on its own page, on the index and in
        # the feed, so its links cannot be relative to each of those.
        raise digest_settings.SettingsError(
            "RELATIVE_URLS = True is not supported by arxiv-digest: leave SITEURL empty for "
            "a local preview (pelican --listen) and set it to the site's address to publish"
        )

    settings.update(SITE_SETTINGS)
    store_dir = os.path.relpath(digest.store, settings["PATH"])
    settings["ARTICLE_PATHS"] = [store_dir]
    settings["PAGE_EXCLUDES"] = [*settings.get("PAGE_EXCLUDES", []), store_dir]
    # Everything from arXiv is untrusted text: every template escapes by default.
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "autoescape": True}
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), **TEMPLATE_GLOBALS}

    run = Run(digest, config)
    if digest.fetch:
        from .fetch import fetch

        try:
            report = fetch(config, Store(digest.store), digest.fetching, progress=_progress)
        except StoreError as err:
            run = replace(run, fetch_error=f"the store cannot be read, nothing was fetched: {err}")
        except Exception as err:  # whatever went wrong, the site is built from the store
            logger.debug("The fetch failed", exc_info=True)
            run = replace(run, fetch_error=f"the fetch stopped: {err!r}")
        else:
            run = replace(run, fetch_report=report)
            _progress(report.summary())
    settings[STATE] = run


def _progress(line: str) -> None:
    console.print(line, markup=False, highlight=False)


def pause_garbage_collection(pelican) -> None:
    """A build makes millions of small objects that all live until it ends; Python's cycle
    collector scanning them again and again costs a fifth of a build and frees nothing.
    What an earlier build of this process left (``pelican --autoreload``) is freed first."""
    gc.collect()
    gc.disable()


def resume_garbage_collection(pelican) -> None:
    gc.enable()


def report_fetch(pelican) -> None:
    """After the site is written: one ERROR for everything the fetch could not do."""
    run: Run | None = pelican.settings.get(STATE)
    if run is None:
        return
    problems = []
    if run.fetch_error:
        problems.append(run.fetch_error)
    if run.fetch_report:
        problems += [failure.line() for failure in run.fetch_report.failures]
    # Report once per Pelican instance, not again on every autoreload rebuild.
    pelican.settings[STATE] = replace(run, fetch_report=None, fetch_error=None)
    if problems:
        logger.error(
            "arXiv fetch failed; the site was built from the papers already stored:\n  %s",
            "\n  ".join(problems),
        )


class DigestReader(BaseReader):
    """Reads a store day file (``papers/YYYY/YYYY-MM-DD.json``) as that day's digest article."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["json"]

    def read(self, source_path: str):
        path = Path(source_path)
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise StoreError(f"{path}: cannot be read ({err})") from None
        day = parse_day(text, path)
        revised = sum(p.is_revision for p in day.papers)
        summary = (
            f"{len(day.papers)} paper{'s' * (len(day.papers) != 1)} announced "
            f"on {long_date(day.date)}: "
            f"{len(day.papers) - revised} new, {revised} revised."
        )
        metadata = {
            "title": f"arXiv digest, {long_date(day.date)}",
            "date": SafeDatetime(day.date.year, day.date.month, day.date.day),
            "slug": day.date.isoformat(),
            "template": "digest",
            "summary": str(escape(summary)),
            "day": day,
            "source": source_digest(data),  # what the day's cached body was rendered from
        }
        return "", metadata


def add_reader(readers) -> None:
    readers.reader_classes["json"] = DigestReader


def add_generator(pelican):
    return DigestGenerator


class DigestGenerator(Generator):
    """Digest bodies, keyword pages, category pages and keyword feeds from the read days."""

    def generate_context(self) -> None:
        run: Run = self.settings[STATE]
        keywords = run.config.keywords
        articles = self.context["articles"]  # newest day first
        days = [article.day for article in articles]

        totals = keyword_totals(days)
        self.keyword_pages = [
            (keyword, keyword_listings(days, keyword), totals[keyword.slug]) for keyword in keywords
        ]
        self.category_pages = category_listings(days, run.settings.category_max_papers)
        self.context.update(
            DIGEST_KEYWORDS=[(k, total) for k, _, total in self.keyword_pages],
            KEYWORD_NAMES={k.slug: k.name for k in keywords},
            ARCHIVE_MONTHS=archive_months(days),
            NEWEST_PAPER=max((p.updated for d in days[:1] for p in d.papers), default=""),
        )

        # No site feed for an empty store: an empty feed would carry the build's time.
        feed = SITE_SETTINGS["FEED_ALL_ATOM"] if articles else None
        self.settings["FEED_ALL_ATOM"] = self.context["FEED_ALL_ATOM"] = feed
        template = self.get_template("digest_body")
        cache = (
            BodyCache(
                Path(self.settings["CACHE_PATH"]) / "arxiv-digest", self.render_fingerprint(run)
            )
            if run.settings.cache
            else None
        )
        for index, article in enumerate(articles):
            article.newer = articles[index - 1] if index > 0 else None
            article.older = articles[index + 1] if index + 1 < len(articles) else None
            body = cache.get(article.day.date, article.source) if cache else None
            if body is None:
                body = template.render(self.context, sections=sections(article.day, keywords))
                if cache:
                    cache.put(article.day.date, article.source, body)
            # Pages show `body` (as |safe: a Markup copy of every day would cost 80 MB);
            # Pelican's site feed reads the article's content.
            article.body = article._content = body
        if cache:
            cache.close((article.day.date, article.source) for article in articles)

    def render_fingerprint(self, run: Run) -> str:
        """Everything besides a day's papers that a digest body can be made from: the
        templates, this plugin, the keywords and every setting (templates see them all)."""
        plugin = Path(__file__).parent
        folders = [
            *(Path(f) for f in self.settings["THEME_TEMPLATES_OVERRIDES"]),
            Path(self.theme) / "templates",
        ]
        files = [
            *((folder, path) for folder in folders for path in sorted(folder.rglob("*"))),
            *((plugin, path) for path in sorted(plugin.glob("*.py"))),
            *((plugin, path) for path in sorted(plugin.glob("data/*"))),
        ]
        return fingerprint(
            [
                pelican.__version__,
                jinja2.__version__,
                stable_repr([(k.slug, k.name) for k in run.config.keywords]),
                *(
                    f"{key}={stable_repr(value)}"
                    for key, value in sorted(self.settings.items())
                    if key != STATE
                ),
                *(
                    part
                    for folder, path in files
                    if path.is_file()
                    for part in (str(path.relative_to(folder)), path.read_bytes())
                ),
            ]
        )

    def generate_output(self, writer) -> None:
        run: Run = self.settings[STATE]
        relative_urls = self.settings["RELATIVE_URLS"]
        keyword_template = self.get_template("keyword")
        for keyword, listings, total in self.keyword_pages:
            writer.write_file(
                keyword_url(keyword.slug) + "index.html",
                keyword_template,
                self.context,
                relative_urls,
                url=keyword_url(keyword.slug),
                keyword=keyword,
                listings=listings,
                total=total,
                query=build_query(keyword),
                page_name=keyword_url(keyword.slug),
            )
        category_template = self.get_template("arxiv_category")
        for code, listings in self.category_pages.items():
            writer.write_file(
                category_url(code) + "index.html",
                category_template,
                self.context,
                relative_urls,
                url=category_url(code),
                code=code,
                full_name=category_name(code),
                listings=listings,
                page_name=category_url(code),
            )
        self.write_keyword_feeds(run)

    def write_keyword_feeds(self, run: Run) -> None:
        site_url = self.settings.get("FEED_DOMAIN") or self.settings["SITEURL"]
        entry = self.get_template("feed_entry")
        articles = self.context["articles"]
        newest_day = articles[0].day.date if articles else date(1970, 1, 1)
        for keyword, listings, _ in self.keyword_pages:
            feed = paper_feed(
                title=f"{self.settings['SITENAME']}: {keyword.name}",
                page_url=f"{site_url}/{keyword_url(keyword.slug)}",
                feed_url=f"{site_url}/{keyword_feed_url(keyword.slug)}",
                listings=listings[: run.settings.feed_max_papers],
                newest_day=newest_day,
                render=lambda listing: entry.render(self.context, listing=listing),
            )
            write_feed(feed, Path(self.output_path) / keyword_feed_url(keyword.slug))
