"""Trends: a keyword's papers per week over the last year, and the SVG chart of them.

Pure and deterministic: stored days in, counts and SVG text out (integer coordinates,
no clock), so the same store gives the same bytes. No chart library: a chart is 52 bars.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from ..model.store import Day
from .listings import listed_papers

WEEKS = 52
# The chart's drawing box; CSS scales it to the width of the page.
WIDTH, HEIGHT = 520, 100
SMALL_WIDTH, SMALL_HEIGHT = 104, 20


@dataclass(frozen=True)
class Week:
    """Seven digest days ending on ``last`` (inclusive) and the papers they announced."""

    first: date
    last: date
    papers: int


@dataclass(frozen=True)
class Trend:
    """A keyword's weeks, oldest first; the last one ends on the newest digest day."""

    slug: str
    weeks: tuple[Week, ...]

    @property
    def total(self) -> int:
        return sum(w.papers for w in self.weeks)

    @property
    def busiest(self) -> int:
        return max((w.papers for w in self.weeks), default=0)


def trends(days: Iterable[Day], slugs: Iterable[str], weeks: int = WEEKS) -> dict[str, Trend]:
    """Each keyword's papers per week over ``weeks`` weeks ending on the newest day.

    A paper counts in the week of each day that announced it (a new version is news
    again), as the digest pages show it. No days gives no weeks.
    """
    days = list(days)
    slugs = list(slugs)
    if not days:
        return {slug: Trend(slug, ()) for slug in slugs}
    newest = max(day.date for day in days)
    first = newest - timedelta(days=7 * weeks - 1)
    counts = {slug: [0] * weeks for slug in slugs}
    for day in days:
        if day.date < first:
            continue
        week = (day.date - first).days // 7
        for paper in listed_papers(day):  # two versions on one day count once
            for slug in paper.keywords:
                if slug in counts:
                    counts[slug][week] += 1
    return {
        slug: Trend(
            slug,
            tuple(
                Week(
                    first + timedelta(days=7 * index),
                    first + timedelta(days=7 * index + 6),
                    papers,
                )
                for index, papers in enumerate(per_week)
            ),
        )
        for slug, per_week in counts.items()
    }


def chart_svg(trend: Trend, name: str, small: bool = False) -> str:
    """Inline SVG bars of ``trend``, named for screen readers after keyword ``name``.

    The full chart gives each bar a tooltip; the small one (for the index, ten on a page)
    is one path without them, ~1 kB instead of ~2.4 kB. ``name`` comes from keywords.yaml
    and is escaped.
    """
    width, height = (SMALL_WIDTH, SMALL_HEIGHT) if small else (WIDTH, HEIGHT)
    count = len(trend.weeks)
    label = f"{name}: papers per week"
    if count:
        label += (
            f", {count} weeks from {trend.weeks[0].first} to {trend.weeks[-1].last}: "
            f"{_papers(trend.total)}, at most {trend.busiest} in a week"
        )
    step = width // max(count, 1)
    bar = max(step - (1 if small else 2), 1)
    bars = []
    path = []
    for index, week in enumerate(trend.weeks):
        if not week.papers:
            continue  # no bar to draw or hover; the table still says 0
        # Integer heights, rounded half up: the same counts always give the same bytes.
        tall = max((week.papers * height * 2 + trend.busiest) // (trend.busiest * 2), 1)
        x, y = index * step, height - tall
        if small:
            path.append(f"M{x} {y}h{bar}v{tall}h-{bar}z")
        else:
            bars.append(
                f'<rect x="{x}" y="{y}" width="{bar}" height="{tall}">'
                f"<title>{week.first} to {week.last}: {week.papers}</title></rect>"
            )
    if path:
        bars.append(f'<path d="{"".join(path)}"/>')
    return (
        f'<svg class="trend{" small" if small else ""}" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="none">{"".join(bars)}</svg>'
    )


def _papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"
