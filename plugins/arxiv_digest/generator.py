"""The generator: what Pelican's own content types cannot make, from the read days.

It runs after the articles are read. Keyword and category pages list papers across
days, which no Pelican content type does, so it builds them from the days' papers and
writes them through Pelican's writer, and writes the keyword feeds (see ``feeds``). It
also renders each day's body once, with the theme's paper macro, as that article's
content: the day page, the index and the site feed all show that same HTML, and it is
kept between builds (see ``cache``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import jinja2
import pelican
from pelican.generators import Generator

from . import urls
from .build_state import STATE, run_of
from .cache import BodyCache, render_fingerprint
from .feeds import paper_feed, write_feed
from .query import build_query
from .search import search_page
from .site import (
    archive_months,
    category_listings,
    keyword_listings,
    keyword_totals,
    sections,
)
from .site_settings import category_links
from .taxonomy import category_name


class DigestGenerator(Generator):
    """Digest bodies, keyword pages, category pages and keyword feeds from the read days."""

    def generate_context(self) -> None:
        run = run_of(self.settings)
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
            # The paper macro runs for every paper listed: it looks links up, computes none.
            KEYWORD_LINKS={k.slug: urls.Link(k.name, urls.keyword_url(k.slug)) for k in keywords},
            CATEGORY_LINKS=category_links(),
            ARCHIVE_MONTHS=archive_months(days),
            NEWEST_PAPER=max((p.updated for d in days[:1] for p in d.papers), default=""),
            # The search box in every page's header, and the search page; None: search is off.
            SEARCH_URL=urls.SEARCH if run.settings.search else None,
        )
        if run.settings.search:  # the index is built from these once the site is written
            self.settings[STATE] = replace(run, days=tuple(days))

        # No site feed for an empty store: an empty feed would carry the build's time.
        feed = urls.SITE_FEED if articles else None
        self.settings["FEED_ALL_ATOM"] = self.context["FEED_ALL_ATOM"] = feed
        template = self.get_template("digest_body")
        cache = (
            BodyCache(
                Path(self.settings["CACHE_PATH"]) / "arxiv-digest",
                render_fingerprint(
                    [
                        *(Path(f) for f in self.settings["THEME_TEMPLATES_OVERRIDES"]),
                        Path(self.theme) / "templates",
                    ],
                    keywords,
                    self.settings,
                    versions=[pelican.__version__, jinja2.__version__],
                    ignore={STATE},
                ),
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

    def generate_output(self, writer) -> None:
        relative_urls = self.settings["RELATIVE_URLS"]
        keyword_template = self.get_template("keyword")
        for keyword, listings, total in self.keyword_pages:
            url = urls.keyword_url(keyword.slug)
            writer.write_file(
                urls.save_as(url),
                keyword_template,
                self.context,
                relative_urls,
                url=url,
                keyword=keyword,
                listings=listings,
                total=total,
                query=build_query(keyword),
                page_name=url,
            )
        category_template = self.get_template("arxiv_category")
        for code, listings in self.category_pages.items():
            url = urls.category_url(code)
            writer.write_file(
                urls.save_as(url),
                category_template,
                self.context,
                relative_urls,
                url=url,
                code=code,
                full_name=category_name(code),
                listings=listings,
                page_name=url,
            )
        self.write_keyword_feeds()
        if self.context["SEARCH_URL"]:
            run = run_of(self.settings)
            names = {keyword.slug: keyword.name for keyword in run.config.keywords}
            writer.write_file(
                urls.save_as(urls.SEARCH),
                self.get_template("search"),
                self.context,
                relative_urls,
                url=urls.SEARCH,
                search=search_page(run.days, names),
                index_url=urls.SEARCH_INDEX,
                page_name=urls.SEARCH,
            )

    def write_keyword_feeds(self) -> None:
        max_papers = run_of(self.settings).settings.feed_max_papers
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
            write_feed(feed, Path(self.output_path) / feed_url)


def add_generator(pelican) -> type[Generator]:
    return DigestGenerator
