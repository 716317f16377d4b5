"""What the site shows, computed from the stored days: pure functions, no Pelican, no HTML.

Days come in newest first. A paper is listed once per page, at its newest
version; "newest" means announced most recently, then submitted most recently.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..model.keywords import Keyword
from ..model.paper import Paper
from ..model.store import Day
from ..model.taxonomy import is_known_category

# English names, whatever the machine's locale: the same store must give the same bytes.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def archive_start(newest: date, years: int) -> date:
    """The oldest day a site publishing the newest ``years`` years of days shows: the day
    after the newest day's date ``years`` years before (28 February for a 29th)."""
    try:
        start = newest.replace(year=newest.year - years)
    except ValueError:
        start = newest.replace(year=newest.year - years, day=28)
    return start + timedelta(days=1)


def long_date(day: date) -> str:
    """``Monday 2 February 2026``."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def long_time(moment: datetime) -> str:
    """``Monday 30 November 2026, 01:47 UTC``."""
    moment = moment.astimezone(UTC)
    return f"{long_date(moment.date())}, {moment:%H:%M} UTC"


def iso_time(moment: datetime) -> str:
    """``2026-11-30T01:47:31Z``: a moment as a ``<time datetime>`` carries it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_summary(day: Day) -> str:
    """The sentence a day's page and the site feed show for it."""
    return f"{day_counts(day, f'announced on {long_date(day.date)}')}."


def day_counts(day: Day, announced: str = "") -> str:
    """``37 papers: 24 new, 13 revised``: the papers a day's digest lists."""
    papers = listed_papers(day)
    count = len(papers)
    revised = sum(p.is_revision for p in papers)
    when = f" {announced}" if announced else ""
    return f"{count} paper{'s' * (count != 1)}{when}: {count - revised} new, {revised} revised"


@dataclass(frozen=True, slots=True)
class Listing:
    """A paper as a page lists it: with the day that announced it."""

    day: date
    paper: Paper


@dataclass(frozen=True)
class Section:
    """One keyword's part of a day's digest.

    Each paper is shown once on a day, in the section of the first of its keywords
    (in keywords.yaml order); later sections name it under ``elsewhere``.
    """

    keyword: Keyword | None  # None: keywords that are no longer in keywords.yaml
    new: tuple[Paper, ...]
    revised: tuple[Paper, ...]
    elsewhere: tuple[Paper, ...]

    @property
    def count(self) -> int:
        return len(self.new) + len(self.revised) + len(self.elsewhere)

    @property
    def anchor(self) -> str:
        # "other-topics" has no "kw-" prefix, so no keyword slug can give the same anchor.
        return f"kw-{self.keyword.slug}" if self.keyword else "other-topics"

    @property
    def name(self) -> str:
        return self.keyword.name if self.keyword else "Other topics"


@dataclass(frozen=True)
class Month:
    """A month of the archive calendar, Monday first.

    Each week holds seven cells: (day, papers announced that day) for the month's
    days, None for the days of the months around it.
    """

    year: int
    month: int
    weeks: tuple[tuple[tuple[date, int] | None, ...], ...]
    papers: int

    @property
    def name(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.updated, p.id), reverse=True)


def listed_papers(day: Day) -> list[Paper]:
    """The papers a day's digest lists, newest first: two versions of one paper announced
    the same day are listed (and counted) once, at the newer version."""
    shown: set[str] = set()
    listed = []
    for paper in newest_first(day.papers):
        if paper.id not in shown:
            shown.add(paper.id)
            listed.append(paper)
    return listed


def sections(day: Day, keywords: Sequence[Keyword]) -> list[Section]:
    """A day's papers grouped by keyword, in keywords.yaml order; empty sections left out."""
    order = {k.slug: i for i, k in enumerate(keywords)}
    homes: dict[int | None, list[Paper]] = defaultdict(list)
    elsewhere: dict[int, list[Paper]] = defaultdict(list)
    for paper in listed_papers(day):
        matched = sorted(order[slug] for slug in paper.keywords if slug in order)
        home = matched[0] if matched else None
        homes[home].append(paper)
        for other in matched[1:]:
            elsewhere[other].append(paper)

    result = []
    for index, keyword in enumerate(keywords):
        listed = homes.get(index, [])
        if listed or elsewhere.get(index):
            result.append(
                Section(
                    keyword,
                    new=tuple(p for p in listed if not p.is_revision),
                    revised=tuple(p for p in listed if p.is_revision),
                    elsewhere=tuple(elsewhere.get(index, ())),
                )
            )
    if homes.get(None):
        unmatched = homes[None]
        result.append(
            Section(
                None,
                new=tuple(p for p in unmatched if not p.is_revision),
                revised=tuple(p for p in unmatched if p.is_revision),
                elsewhere=(),
            )
        )
    return result


def newest_listings(
    days: Iterable[Day], wanted: Callable[[Paper], bool], limit: int
) -> list[Listing]:
    """The newest ``limit`` papers that ``wanted`` accepts, each once at its newest version."""
    listings: list[Listing] = []
    seen: set[str] = set()
    for day in days:
        for paper in newest_first(day.papers):
            if paper.id not in seen and wanted(paper):
                seen.add(paper.id)
                listings.append(Listing(day.date, paper))
                if len(listings) == limit:
                    return listings
    return listings


def keyword_listings(days: Iterable[Day], keyword: Keyword) -> list[Listing]:
    return newest_listings(days, lambda p: keyword.slug in p.keywords, keyword.max_papers)


def category_listings(days: Iterable[Day], limit: int) -> dict[str, list[Listing]]:
    """For each arXiv category that occurs, its newest ``limit`` papers, categories sorted."""
    listings: dict[str, list[Listing]] = defaultdict(list)
    seen: dict[str, set[str]] = defaultdict(set)
    for day in days:
        for paper in newest_first(day.papers):
            for code in paper.categories:
                if (
                    len(listings[code]) < limit
                    and paper.id not in seen[code]
                    and is_known_category(code)
                ):
                    seen[code].add(paper.id)
                    listings[code].append(Listing(day.date, paper))
    return {code: listings[code] for code in sorted(listings) if listings[code]}


def keyword_totals(days: Iterable[Day]) -> Counter[str]:
    """How many distinct papers each keyword slug has in the store."""
    papers: dict[str, set[str]] = defaultdict(set)
    for day in days:
        for paper in day.papers:
            for slug in paper.keywords:
                papers[slug].add(paper.id)
    return Counter({slug: len(ids) for slug, ids in papers.items()})


def archive_months(days: Iterable[Day]) -> list[Month]:
    """Calendar months that have digests, newest first, with the papers announced per day."""
    return calendar_months({day.date: len(listed_papers(day)) for day in days})


def calendar_months(counts: Mapping[date, int]) -> list[Month]:
    """:func:`archive_months` from the papers each day lists."""
    months = sorted({(d.year, d.month) for d in counts}, reverse=True)
    grid = calendar.Calendar(firstweekday=calendar.MONDAY)
    result = []
    for year, month in months:
        weeks = tuple(
            tuple((d, counts.get(d, 0)) if d.month == month else None for d in week)
            for week in grid.monthdatescalendar(year, month)
        )
        total = sum(n for d, n in counts.items() if (d.year, d.month) == (year, month))
        result.append(Month(year, month, weeks, total))
    return result


def day_chips(
    day: Day, keywords: Sequence[Keyword]
) -> tuple[list[tuple[Keyword, int]], list[tuple[str, int]]]:
    """A day's keywords (keywords.yaml order) and arXiv categories (most papers first),
    each with how many of the papers the day lists carry it: a digest page's chips."""
    papers = listed_papers(day)
    by_keyword = Counter(slug for paper in papers for slug in paper.keywords)
    by_category = Counter(
        code for paper in papers for code in set(paper.categories) if is_known_category(code)
    )
    return (
        [(k, by_keyword[k.slug]) for k in keywords if by_keyword[k.slug]],
        sorted(by_category.items(), key=lambda item: (-item[1], item[0])),
    )
