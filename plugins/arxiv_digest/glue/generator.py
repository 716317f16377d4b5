"""The generator: what Pelican's own content types cannot make, from the read days.

It runs after the articles are read. Keyword and category pages list papers across
days, which no Pelican content type does, so it builds them from the days' papers and
writes them through Pelican's writer, and writes the keyword feeds (see ``feeds``). It
also renders each day's body once, with the theme's paper macro: the day page and the
index show that same HTML, kept between builds (see ``cache``); the site feed gets a
lighter list of each day's papers as the article's content. Each day and each keyword page
gets a ``papers.bib`` of its papers (see ``bibtex``); a day's is kept between builds like
its body.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pelican
from pelican.generators import Generator

if TYPE_CHECKING:
    from pelican import Pelican
    from pelican.writers import Writer

from ..fetching.query import build_query
from ..model.taxonomy import category_name
from ..pages import urls
from ..pages.bibtex import bibtex_file
from ..pages.feeds import feed_text, paper_feed
from ..pages.listings import (
    archive_months,
    archive_start,
    category_listings,
    keyword_listings,
    keyword_totals,
    listed_papers,
    sections,
)
from ..pages.rebuild import day_feeds, pages_to_write, stale_files
from ..search.records import search_page
from .manifest import Manifest, forget_manifest, read_manifest
from .output import write_page, write_text
from .pelican_settings import category_links
from .related import related_of
from .render_cache import BodyCache, fingerprint, render_fingerprint
from .state import STATE, BuildState, state_of
from .status_pages import read_status, write_status_files


class DigestGenerator(Generator):
    """Digest bodies, keyword pages, category pages, keyword feeds and the status page and
    files from the read days and the fetch log."""

    def generate_context(self) -> None:
        state = state_of(self.settings)
        keywords = state.config.keywords
        articles = self.context["articles"]  # newest day first
        days = [article.day for article in articles]

        totals = keyword_totals(days)
        self.keyword_pages = [
            (keyword, keyword_listings(days, keyword), totals[keyword.slug]) for keyword in keywords
        ]
        self.category_pages = category_listings(days, state.settings.category_max_papers)
        self.context.update(
            DIGEST_KEYWORDS=[(k, total) for k, _, total in self.keyword_pages],
            # The paper macro runs for every paper listed: it looks links up, computes none.
            KEYWORD_LINKS={k.slug: urls.Link(k.name, urls.keyword_url(k.slug)) for k in keywords},
            CATEGORY_LINKS=category_links(),
            ARCHIVE_MONTHS=archive_months(days),
            # The search box in every page's header, and the search page; None: search is off.
            SEARCH_URL=urls.SEARCH if state.settings.search else None,
        )
        # The status goes into the context, never the settings: the digest bodies' cache
        # key is made of the settings, and the log changes with every fetch.
        self.context["STATUS"] = read_status(state, days[0].date if days else None)
        if state.settings.search:  # the index is built from these once the site is written
            state.days = days
        years = state.settings.abstract_years  # older digests list papers without abstracts
        state.abstracts_from = archive_start(days[0].date, years) if years and days else None
        self.body_template = self.get_template("digest_body")
        # What the bodies see: the context as it is now, not as later generators leave it.
        self.body_context = dict(self.context)
        self.fingerprint = (
            render_fingerprint(
                [
                    *(Path(f) for f in self.settings["THEME_TEMPLATES_OVERRIDES"]),
                    Path(self.theme) / "templates",
                ],
                keywords,
                self.settings,
                versions=[pelican.__version__, jinja2.__version__],
                ignore={STATE},
            )
            if state.settings.cache
            else None
        )
        self.body_cache = self.cache("arxiv-digest", ".html")
        for index, article in enumerate(articles):
            article.newer = articles[index - 1] if index > 0 else None
            article.older = articles[index + 1] if index + 1 < len(articles) else None
            article.listed = len(listed_papers(article.day))  # "BibTeX of all N papers"
            # Made when a page shows it and let go after: a decade of bodies held at once
            # was most of a build's memory.
            article.body = DayBody(self, article)
        # Pelican's site feed reads the article's content: a light list of the day's papers
        # (the whole body made the feed 2.4 MB), for the days the feed carries.
        day_entry = self.get_template("feed_day")
        for article in articles[: self.settings["FEED_MAX_ITEMS"]]:
            article._content = day_entry.render(
                self.context, day=article.day.date, sections=sections(article.day, keywords)
            )

    def plan_writes(self, state: BuildState) -> None:
        """Which archive pages this build writes: with the last build's manifest, only
        those the days changed since feed (``pages.rebuild``); without one, every page."""
        cache = Path(self.settings["CACHE_PATH"])
        last = read_manifest(cache)
        if self.fingerprint is None:  # caching is off: every build writes everything
            forget_manifest(cache)
            return
        status = self.context["STATUS"]
        key = fingerprint(
            [
                self.fingerprint,
                # What base.html's footer shows of the status, on every page.
                repr((status.fetched, status.headline) if status else None),
                # The site's own pages, in every page's navigation.
                repr([(page.url, page.title) for page in self.context.get("pages", [])]),
            ]
        )
        output = str(Path(self.output_path).resolve())
        days = {
            # A day's page changes with its file and with its related papers' lists.
            a.day.date: day_feeds(a.day, self.body_key(a))
            for a in self.context["articles"]
        }
        manifest = Manifest(output, key, days)
        if last and last.output == output:
            state.stale_files = stale_files(last.days, days)
            if last.key == key:
                state.archive_pages = pages_to_write(last.days, days)
        if manifest != last:
            forget_manifest(cache)  # until this build has written the whole site
            state.manifest = manifest

    def body(self, article: Any) -> str:  # an Article with the reader's day and source
        """The day's digest body: from the cache, or rendered (and then cached)."""
        cache = self.body_cache
        day = article.day
        related = related_of(article)  # its lists can change while its day file does not
        key = self.body_key(article)
        body = cache.get(day.date, key) if cache else None
        if body is None:
            body = self.body_template.render(
                self.body_context,
                sections=sections(day, state_of(self.settings).config.keywords),
                digest_day=day.date,
                related=related.links,
                abstracts=state_of(self.settings).with_abstracts(day.date),
            )
            if cache:
                cache.put(day.date, key, body)
        return body

    def body_key(self, article: Any) -> str:
        """What a day's body is made from, beside the settings: its file, its related
        papers' lists, and whether it shows abstracts (a day ages out of ARXIV_ABSTRACT_YEARS)."""
        light = "" if state_of(self.settings).with_abstracts(article.day.date) else ":light"
        return f"{article.source}{related_of(article).key}{light}"

    def cache(self, name: str, suffix: str) -> BodyCache | None:
        """Texts made from each day, kept between builds, when caching is on."""
        if self.fingerprint is None:
            return None
        return BodyCache(Path(self.settings["CACHE_PATH"]) / name, self.fingerprint, suffix)

    def generate_output(self, writer: Writer) -> None:
        # Pelican's article generator, which runs before this one, has written the day
        # pages and the index: every body that was rendered has been put in the cache.
        if self.body_cache:
            articles = self.context["articles"]
            self.body_cache.close(
                (article.day.date, article.source + related_of(article).key) for article in articles
            )
        for keyword, listings, total in self.keyword_pages:
            write_page(
                self,
                writer,
                urls.keyword_url(keyword.slug),
                "keyword",
                keyword=keyword,
                listings=listings,
                total=total,
                query=build_query(keyword),
            )
        for code, listings in self.category_pages.items():
            write_page(
                self,
                writer,
                urls.category_url(code),
                "arxiv_category",
                code=code,
                full_name=category_name(code),
                listings=listings,
            )
        self.write_keyword_feeds()
        if status := self.context["STATUS"]:
            write_page(self, writer, urls.STATUS, "status")
            write_status_files(status, Path(self.output_path))
        self.write_bibtex()
        if self.context["SEARCH_URL"]:
            self.write_search_page(writer)

    def write_bibtex(self) -> None:
        """A ``papers.bib`` of every day's papers, and of every keyword page's."""
        output = Path(self.output_path)
        articles = self.context["articles"]
        cache = self.cache("arxiv-digest-bib", ".bib")
        state = state_of(self.settings)
        for article in articles:
            day = article.day
            if not state.writes(article.save_as):
                continue  # as the last build wrote it, with the day's page
            bib = cache.get(day.date, article.source) if cache else None
            if bib is None:
                bib = bibtex_file(listed_papers(day))
                if cache:
                    cache.put(day.date, article.source, bib)
            write_text(output / urls.day_bibtex_url(day.date), bib)
        if cache:
            cache.close((article.day.date, article.source) for article in articles)
        for keyword, listings, _ in self.keyword_pages:
            if listings:
                bib = bibtex_file(listing.paper for listing in listings)
                write_text(output / urls.keyword_bibtex_url(keyword.slug), bib)

    def write_search_page(self, writer: Writer) -> None:
        state = state_of(self.settings)
        names = {keyword.slug: keyword.name for keyword in state.config.keywords}
        write_page(
            self,
            writer,
            urls.SEARCH,
            "search",
            search=search_page(state.days, names),
            index_url=urls.SEARCH_INDEX,
        )

    def write_keyword_feeds(self) -> None:
        max_papers = state_of(self.settings).settings.feed_max_papers
        site_url = self.settings.get("FEED_DOMAIN") or self.settings["SITEURL"]
        entry = self.get_template("feed_entry")
        articles = self.context["articles"]
        newest_day = articles[0].day.date if articles else date(1970, 1, 1)
        for keyword, listings, _ in self.keyword_pages:
            feed_url = urls.keyword_feed_url(keyword.slug)
            feed = paper_feed(
                title=f"{self.settings['SITENAME']}: {keyword.name}",
                page_url=f"{site_url}/{urls.keyword_url(keyword.slug)}",
                feed_url=f"{site_url}/{feed_url}",
                listings=listings[:max_papers],
                newest_day=newest_day,
                render=lambda listing: entry.render(self.context, listing=listing),
            )
            write_text(Path(self.output_path) / feed_url, feed_text(feed))


class DayBody:
    """A day's digest body that is made each time a page shows it (as ``|safe``)."""

    __slots__ = ("article", "generator")

    def __init__(self, generator: DigestGenerator, article: Any) -> None:
        self.generator = generator
        self.article = article

    def __html__(self) -> str:
        return self.generator.body(self.article)

    __str__ = __html__


def add_generator(pelican: Pelican) -> type[Generator]:
    return DigestGenerator


def plan_writes(generators: Sequence[Generator]) -> None:
    """Every context is made and nothing is written yet (Pelican's
    ``all_generators_finalized``): decide which archive pages this build writes."""
    for generator in generators:
        if isinstance(generator, DigestGenerator):
            generator.plan_writes(state_of(generator.settings))
