"""Keeping up, the glue: the reading list page, the scripts' data files, the OPML list of
feeds and the trend charts (the day .bib files the reading list exports from are the
generator's).

Runs as its own Pelican generator after the days are read. Its context (``KEYWORD_TRENDS``)
is shared with the other generators, so keyword pages and the index show the charts. Every
file is a pure function of the store and keywords.yaml: same store, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pelican.generators import Generator

if TYPE_CHECKING:
    from pelican import Pelican
    from pelican.writers import Writer

from ..pages import urls
from ..pages.authors import index_files
from ..pages.opml import Subscription, opml
from ..pages.paperdata import newest_days, recent, shards_of
from ..pages.trends import WEEKS, Trend, chart_svg, weekly_trends
from .output import copy_file, write_page, write_text
from .state import state_of


@dataclass(frozen=True)
class TrendCharts:
    """A keyword's weeks, its chart for its page and its small chart for the index."""

    trend: Trend
    chart: str  # inline SVG, escaped at build time
    spark: str


class KeepUpGenerator(Generator):
    """Reading list page, /data/ files (the author index too), /feeds/keywords.opml, trend
    charts."""

    def generate_context(self) -> None:
        state = state_of(self.settings)
        keywords = state.config.keywords
        self.days = [article.day for article in self.context["articles"]]  # newest first
        # Counted by the build index: the days of a year of charts are not read.
        newest = self.days[0].date if self.days else None
        self.first = self.days[-1].date if self.days else date.max
        since = max(self.first, newest - timedelta(days=7 * WEEKS)) if newest else date.max
        listed = state.index.listed_per_keyword(since) if state.index else {}
        weekly = weekly_trends(newest, listed, [keyword.slug for keyword in keywords])
        top = max((trend.busiest for trend in weekly.values()), default=0)  # one scale
        self.context["KEYWORD_TRENDS"] = {
            k.slug: TrendCharts(
                weekly[k.slug],
                chart_svg(weekly[k.slug], k.name),
                chart_svg(weekly[k.slug], k.name, small=True, top=top),
            )
            for k in keywords
        }

    def generate_output(self, writer: Writer) -> None:
        write_page(self, writer, urls.READING_LIST, "reading_list")
        self.write_data()
        if state_of(self.settings).settings.search:
            self.write_author_index()
        self.write_opml()
        # Browsers ask for /favicon.ico whatever the page says; a 404 there is a console error.
        copy_file(
            Path(self.theme) / "static" / "favicon.ico", Path(self.output_path) / urls.FAVICON
        )

    def write(self, url: str, text: str) -> None:
        write_text(Path(self.output_path) / url, text)

    def write_data(self) -> None:
        """``/data/papers/<shard>.json`` of the shards a change touched (each from the build
        index), and ``recent.json``."""
        state = state_of(self.settings)
        output = Path(self.output_path)
        if state.keeps(output, urls.RECENT_DATA) or state.index is None:
            return  # nothing changed
        every = state.index.shards(self.first)
        wanted = every if state.data_shards is None else every & state.data_shards
        for key in sorted(wanted):
            for shard in shards_of(newest_days(state.index.shard_papers(key, self.first))):
                self.write(urls.paper_days_url(shard.key), shard.text)
        for stale in (output / urls.paper_days_url("x")).parent.glob("*.json"):
            if stale.stem not in every:  # no stored paper has that month any more
                stale.unlink()
        self.write(urls.RECENT_DATA, recent(self.days, every))

    def write_author_index(self) -> None:
        """The author index the search page looks names up in (see ``pages.authors``);
        shards of an earlier build that this one does not write are removed."""
        if state_of(self.settings).keeps(Path(self.output_path), urls.AUTHORS_INDEX):
            return  # nothing changed
        written = index_files(self.days)
        for url, text in written.items():
            self.write(url, text)
        folder = (Path(self.output_path) / urls.AUTHORS_INDEX).parent
        for stale in folder.glob("*.json"):
            if stale.relative_to(self.output_path).as_posix() not in written:
                stale.unlink()

    def write_opml(self) -> None:
        site_url = self.settings.get("FEED_DOMAIN") or self.settings["SITEURL"]
        name = self.settings["SITENAME"]
        feeds = []
        if self.context.get("FEED_ALL_ATOM"):
            feeds.append(
                Subscription(
                    f"{name}: every digest",
                    f"{site_url}/{urls.SITE_FEED}",
                    f"{site_url}/{urls.INDEX}",
                )
            )
        for keyword in state_of(self.settings).config.keywords:
            feeds.append(
                Subscription(
                    f"{name}: {keyword.name}",
                    f"{site_url}/{urls.keyword_feed_url(keyword.slug)}",
                    f"{site_url}/{urls.keyword_url(keyword.slug)}",
                )
            )
        self.write(urls.KEYWORDS_OPML, opml(f"{name}: every feed", feeds))


def add_keepup_generator(pelican: Pelican) -> type[Generator]:
    return KeepUpGenerator
