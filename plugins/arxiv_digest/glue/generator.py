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
from ..model.keywords import Keyword
from ..model.taxonomy import category_name, is_known_category
from ..pages import urls
from ..pages.bibtex import bibtex_file
from ..pages.feeds import feed_text, paper_feed
from ..pages.listings import (
    Listing,
    archive_start,
    calendar_months,
    keyword_listings,
    listed_papers,
    newest_listings,
    sections,
)
from ..pages.rebuild import DayFeeds, pages_to_write, stale_files
from ..search.records import search_page
from .buildindex import index_of
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
        # What sums up many days comes from the build index, which reads no day file: a
        # day's papers are read only for the pages this build writes that list them.
        self.index = index_of(state, Path(self.settings["CACHE_PATH"]))  # none read: empty
        self.index.drop_unread()
        self.first = days[-1].date if days else date.max  # the oldest day published
        self.by_date = {day.date: day for day in days}
        self.listings: dict[str, list[Listing]] = {}  # by keyword slug, once looked for
        totals = self.index.keyword_totals(self.first)
        self.keyword_pages = [(keyword, totals[keyword.slug]) for keyword in keywords]
        self.categories = [
            code for code in self.index.categories(self.first) if is_known_category(code)
        ]
        self.context.update(
            DIGEST_KEYWORDS=self.keyword_pages,
            # The paper macro runs for every paper listed: it looks links up, computes none.
            KEYWORD_LINKS={k.slug: urls.Link(k.name, urls.keyword_url(k.slug)) for k in keywords},
            CATEGORY_LINKS=category_links(),
            ARCHIVE_MONTHS=calendar_months(self.index.listed_per_day(self.first)),
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
            # Made when a page shows it and let go after: a decade of bodies held at once
            # was most of a build's memory.
            article.body = DayBody(self, article)

    def plan_writes(self, state: BuildState) -> None:
        """Which pages this build writes: with the last build's manifest, the archive pages
        the days changed since feed (``pages.rebuild``) and the pages that sum up the site,
        or none when nothing changed; without one, every page."""
        self.decide_writes(state)
        if not state.keeps(Path(self.output_path), urls.SITE_FEED):
            # Pelican's site feed reads the article's content: a light list of the day's
            # papers (the whole body made the feed 2.4 MB), for the days the feed carries.
            day_entry = self.get_template("feed_day")
            keywords = state.config.keywords
            for article in self.context["articles"][: self.settings["FEED_MAX_ITEMS"]]:
                article._content = day_entry.render(
                    self.context, day=article.day.date, sections=sections(article.day, keywords)
                )

    def decide_writes(self, state: BuildState) -> None:
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
        categories, empty = self.index.day_categories(self.first), frozenset[str]()
        days = {
            # A day's page changes with its file and with its related papers' lists.
            a.day.date: DayFeeds(self.body_key(a), categories.get(a.day.date, empty))
            for a in self.context["articles"]
        }
        # What only the pages that sum up the site show: the whole status (its page), the
        # site's own pages' text.
        pages = [
            (page.url, page.title, page._content)
            for kind in ("pages", "hidden_pages", "draft_pages")
            for page in self.context.get(kind, [])
        ]
        summary = fingerprint([repr(status), repr(pages)])
        manifest = Manifest(output, key, summary, days)
        if last and last.output == output:
            state.stale_files = stale_files(last.days, days)
            if last.key == key:
                state.archive_pages = pages_to_write(last.days, days)
                # The days' papers in /data/papers/: of the days changed, as they were and are.
                changed = {
                    d for d in last.days.keys() | days.keys() if last.days.get(d) != days.get(d)
                }
                state.data_shards = self.index.touched_shards | self.index.shards_of(changed)
            state.unchanged = manifest == last
        if manifest != last:
            forget_manifest(cache)  # until this build has written the whole site
            state.manifest = manifest

    def keyword_listings(self, keyword: Keyword) -> list[Listing]:
        """The keyword page's papers (``listings.keyword_listings``), from the days that
        carry the keyword: the newest few, read when a page that lists them is written."""
        if keyword.slug not in self.listings:
            days = self.index.days_with("k", keyword.slug, self.first)
            self.listings[keyword.slug] = keyword_listings(
                (self.by_date[day] for day in days), keyword
            )
        return self.listings[keyword.slug]

    def category_listings(self, code: str) -> list[Listing]:
        """A category page's papers (``listings.category_listings``), likewise."""
        days = self.index.days_with("c", code, self.first)
        limit = state_of(self.settings).settings.category_max_papers
        return newest_listings(
            (self.by_date[day] for day in days), lambda paper: code in paper.categories, limit
        )

    def keeps(self, url: str) -> bool:
        """Whether the output file at ``url`` is left as the last build wrote it."""
        return state_of(self.settings).keeps(Path(self.output_path), url)

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
                (article.day.date, self.body_key(article)) for article in articles
            )
        for keyword, total in self.keyword_pages:
            if self.keeps(urls.save_as(urls.keyword_url(keyword.slug))):
                continue
            write_page(
                self,
                writer,
                urls.keyword_url(keyword.slug),
                "keyword",
                keyword=keyword,
                listings=self.keyword_listings(keyword),
                total=total,
                query=build_query(keyword),
            )
        for code in self.categories:
            if self.keeps(urls.save_as(urls.category_url(code))):
                continue  # its listings are not even looked for
            write_page(
                self,
                writer,
                urls.category_url(code),
                "arxiv_category",
                code=code,
                full_name=category_name(code),
                listings=self.category_listings(code),
            )
        self.write_keyword_feeds()
        self.remove_gone_keywords()
        if status := self.context["STATUS"]:
            write_page(self, writer, urls.STATUS, "status")
            write_status_files(status, Path(self.output_path))
        self.write_bibtex()
        if self.context["SEARCH_URL"]:
            self.write_search_page(writer)

    def remove_gone_keywords(self) -> None:
        """The pages, .bib and feeds of keywords no longer in keywords.yaml, as a fresh
        build has none."""
        output = Path(self.output_path)
        kept = {keyword.slug for keyword, _ in self.keyword_pages}
        for page in output.glob(urls.save_as(urls.keyword_url("*"))):
            if page.parent.name not in kept:
                page.unlink()
                Path(page.parent / Path(urls.keyword_bibtex_url("x")).name).unlink(missing_ok=True)
        for feed in output.glob(urls.keyword_feed_url("*")):
            slug = feed.name.removesuffix(Path(urls.keyword_feed_url("")).name)
            if slug not in kept and feed != output / urls.SITE_FEED:
                feed.unlink()

    def write_bibtex(self) -> None:
        """A ``papers.bib`` of every day's papers, and of every keyword page's."""
        output = Path(self.output_path)
        articles = self.context["articles"]
        cache = self.cache("arxiv-digest-bib", ".bib")
        state = state_of(self.settings)
        for article in articles:
            day = article.day
            bib_url = urls.day_bibtex_url(day.date)
            if not state.writes(article.save_as) and (output / bib_url).is_file():
                continue  # as the last build wrote it, with the day's page
            bib = cache.get(day.date, article.source) if cache else None
            if bib is None:
                bib = bibtex_file(listed_papers(day))
                if cache:
                    cache.put(day.date, article.source, bib)
            write_text(output / bib_url, bib)
        if cache:
            cache.close((article.day.date, article.source) for article in articles)
        for keyword, _ in self.keyword_pages:
            if self.keeps(urls.keyword_bibtex_url(keyword.slug)):
                continue
            if listings := self.keyword_listings(keyword):
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
        for keyword, _ in self.keyword_pages:
            feed_url = urls.keyword_feed_url(keyword.slug)
            if self.keeps(feed_url):
                continue
            listings = self.keyword_listings(keyword)
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
