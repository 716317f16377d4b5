"""Which pages of the archive a change to the store feeds: what a rebuild writes again.

The archive's pages are the ones whose number grows with the history: a page per day and
per arXiv category. A day's papers appear on its own page, on the pages of the categories
they carry, and in its neighbours' "newer / older" links. So a rebuild after a new, changed
or removed day writes those pages and leaves every other page of the archive as the last
build wrote it. The few pages that sum up every day are written by every build that changes
anything: the index, the archive calendar, search, status, and the keyword pages (their trend
charts end at the newest day); a build that changes nothing writes no page. Pure: the glue
compares what each day held at the last build with what it holds now.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..model.store import Day
from . import urls

DAY_PAGE = re.compile(r"\d{4}/\d{2}/\d{2}/index\.html")  # urls.day_url's output file


@dataclass(frozen=True)
class DayFeeds:
    """What a day file held, as far as other pages are concerned."""

    source: str  # the digest of the day file's bytes (``store.DayFile.digest``)
    categories: frozenset[str]

    def to_json(self) -> list[object]:
        return [self.source, sorted(self.categories)]

    @classmethod
    def from_json(cls, value: object) -> DayFeeds:
        """From :meth:`to_json`'s form; ValueError for anything else."""
        match value:
            case [str(source), list(categories)] if all(isinstance(c, str) for c in categories):
                return cls(source, frozenset(map(str, categories)))
        raise ValueError(f"not a day's record: {value!r}")


def day_feeds(day: Day, source: str) -> DayFeeds:
    """The categories a day's papers carry, with the digest of its file."""
    return DayFeeds(source, frozenset(code for paper in day.papers for code in paper.categories))


def is_archive_page(save_as: str) -> bool:
    """Whether an output file is one of the archive's pages: a day's or a category's."""
    return bool(DAY_PAGE.fullmatch(save_as)) or save_as.startswith("categories/")


def pages_to_write(before: Mapping[date, DayFeeds], now: Mapping[date, DayFeeds]) -> set[str]:
    """The archive's pages (``save_as`` paths) that change when the days ``before`` become
    the days ``now``: none when no day changed."""
    changed = {day for day in before.keys() | now.keys() if before.get(day) != now.get(day)}
    pages: set[str] = set()
    days_before, days_now = sorted(before), sorted(now)
    for day in changed:
        # The day's page, and those of the days next to it before and after the change,
        # which link to it (newer / older).
        linked = {day, *_neighbours(days_now, day), *_neighbours(days_before, day)}
        pages.update(urls.save_as(urls.day_url(d)) for d in linked if d in now)
        for held in (before.get(day), now.get(day)):
            if held:
                pages.update(urls.save_as(urls.category_url(code)) for code in held.categories)
    return pages


def stale_files(before: Mapping[date, DayFeeds], now: Mapping[date, DayFeeds]) -> set[str]:
    """The output files of the days and categories that were in the store and are no
    longer: a removed day's page and BibTeX, a category no day carries any more."""
    gone = {
        path
        for day in before.keys() - now.keys()
        for path in (urls.save_as(urls.day_url(day)), urls.day_bibtex_url(day))
    }
    categories = {code for held in now.values() for code in held.categories}
    gone.update(
        urls.save_as(urls.category_url(code))
        for held in before.values()
        for code in held.categories - categories
    )
    return gone


def _neighbours(ordered: Sequence[date], day: date) -> list[date]:
    """The days just before and just after ``day`` in the sorted ``ordered`` (not itself)."""
    at = bisect.bisect_left(ordered, day)
    after = at + 1 if at < len(ordered) and ordered[at] == day else at
    return [*ordered[max(at - 1, 0) : at], *ordered[after : after + 1]]
