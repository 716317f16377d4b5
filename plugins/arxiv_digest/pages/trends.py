"""Trends: a keyword's papers per week over the last year, and the SVG chart of them.

Pure and deterministic: stored days in, counts and SVG text out (integer coordinates, or
percentages to two decimals; no clock), so the same store gives the same bytes. No chart
library: a chart is 52 bars, a scale and a month axis. Colours are the stylesheet's (classes,
no inline style), so charts follow dark mode.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from ..model.store import Day
from .listings import MONTH_NAMES, listed_papers

WEEKS = 52
# The full chart, in CSS pixels down (its width is the column's: x is in percent): the
# tallest week's count above the plot, the plot, the month axis.
PLOT_TOP, HEIGHT, AXIS = 18, 100, 22
# The small charts of the index: 3 px a week (a 2 px bar, a 1 px gap), 20 px tall, a baseline.
SMALL_STEP, SMALL_HEIGHT = 3, 20
# Round steps for the scale: 1, 2, 5, 10, 20, 50 … papers.
STEPS = (1, 2, 5)


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
    newest = max((day.date for day in days), default=None)
    first = newest - timedelta(days=7 * weeks - 1) if newest else None
    listed = {
        # Two versions on one day count once.
        day.date: Counter(slug for paper in listed_papers(day) for slug in paper.keywords)
        for day in days
        if first and day.date >= first
    }
    return weekly_trends(newest, listed, slugs, weeks)


def weekly_trends(
    newest: date | None,
    listed: Mapping[date, Mapping[str, int]],
    slugs: Iterable[str],
    weeks: int = WEEKS,
) -> dict[str, Trend]:
    """:func:`trends` from the newest day and each day's listed papers per keyword slug
    (days before the weeks shown may be left out)."""
    slugs = list(slugs)
    if newest is None:
        return {slug: Trend(slug, ()) for slug in slugs}
    first = newest - timedelta(days=7 * weeks - 1)
    counts = {slug: [0] * weeks for slug in slugs}
    for day, papers in listed.items():
        if day < first:
            continue
        week = (day - first).days // 7
        for slug, count in papers.items():
            if slug in counts:
                counts[slug][week] += count
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


def scale(busiest: int) -> tuple[int, ...]:
    """The scale's gridlines above 0: two or three round numbers, the last at or above
    ``busiest`` (20 -> 10, 20; 7 -> 5, 10; 1 -> 1)."""
    if busiest <= 1:
        return (1,)
    magnitude = 1
    while True:
        for step in STEPS:
            if busiest <= 3 * step * magnitude:
                step *= magnitude
                return tuple(range(step, -(-busiest // step) * step + 1, step))
        magnitude *= 10


def chart_svg(trend: Trend, name: str, small: bool = False, top: int | None = None) -> str:
    """Inline SVG bars of ``trend``, named for screen readers after keyword ``name`` (from
    keywords.yaml: escaped). The full chart has a scale, the tallest week's count, a
    month axis and a tooltip per bar; the small one (for the index, ten on a page) is one
    path, on the scale ``top`` that every keyword's small chart shares."""
    label = f"{name}: papers per week"
    if trend.weeks:
        label += (
            f", {len(trend.weeks)} weeks from {trend.weeks[0].first} to {trend.weeks[-1].last}: "
            f"{_papers(trend.total)}, at most {trend.busiest} in a week"
        )
        if trend.busiest and not small:
            tallest = _tallest(trend)
            label += f" (the week of {tallest.first} to {tallest.last})"
    if small:
        body = _small_bars(trend, max(top or trend.busiest, 1))
        return (
            f'<svg class="trend small" role="img" aria-label="{escape(label)}" '
            f'width="{SMALL_STEP * WEEKS}" height="{SMALL_HEIGHT + 1}" '
            f'viewBox="0 0 {SMALL_STEP * WEEKS} {SMALL_HEIGHT + 1}">{body}</svg>'
        )
    return (
        f'<svg class="trend" role="img" aria-label="{escape(label)}" '
        f'height="{PLOT_TOP + HEIGHT + AXIS}">{_full_chart(trend)}</svg>'
    )


def _full_chart(trend: Trend) -> str:
    count = len(trend.weeks)
    if not count:
        return ""
    gridlines = scale(trend.busiest)
    top = gridlines[-1]
    base = PLOT_TOP + HEIGHT
    parts = []
    # Gridlines and their numbers (on the left, over the oldest weeks), then the baseline.
    for value in gridlines:
        y = base - HEIGHT * value // top
        parts.append(f'<line class="grid" x1="0" x2="100%" y1="{y}.5" y2="{y}.5"/>')
    parts.append(f'<line class="axis" x1="0" x2="100%" y1="{base}.5" y2="{base}.5"/>')
    # The bars: a week is 1/52 of the width, its bar 80% of that; integer heights.
    for index, week in enumerate(trend.weeks):
        if week.papers:  # no bar to draw or hover; the table still says 0
            tall = max(HEIGHT * week.papers // top, 1)
            parts.append(
                f'<rect x="{_percent((10 * index + 1) / (10 * count))}" y="{base - tall}" '
                f'width="{_percent(8 / (10 * count))}" height="{tall}">'
                f"<title>{week.first} to {week.last}: {week.papers}</title></rect>"
            )
    for value in gridlines:
        # Over the oldest weeks' bars: a backdrop keeps the number legible (~7 px a digit).
        y = base - HEIGHT * value // top
        width = 7 * len(str(value)) + 4
        parts.append(f'<path class="backdrop" d="M0 {y - 14}h{width}v13h-{width}z"/>')
        parts.append(f'<text class="tick" x="1" y="{y - 3}">{value}</text>')
    if trend.busiest:
        tallest = _tallest(trend)
        index = trend.weeks.index(tallest)
        x = (10 * index + 5) / (10 * count)
        anchor = "start" if x < 0.04 else "end" if x > 0.96 else "middle"
        y = base - HEIGHT * tallest.papers // top - 4
        parts.append(
            f'<text class="tallest" x="{_percent(x)}" y="{y}" text-anchor="{anchor}">'
            f"{tallest.papers}</text>"
        )
    parts.extend(_month_axis(trend, base))
    return "".join(parts)


def _month_axis(trend: Trend, base: int) -> list[str]:
    """A tick where each month begins, and its name; the first name and January's carry
    the year. A month that begins in the last three weeks is not named (no room). Names a
    phone leaves out (class "minor") keep two months between those it shows, three after
    a year, and none in the last tenth of the width (a phone's 33 px)."""
    first = trend.weeks[0].first
    span = (trend.weeks[-1].last - first).days + 1
    ticks: list[str] = []
    names: list[tuple[date, str, bool]] = []  # a month, where it begins, with its year
    month = date(first.year, first.month, 1)
    while (month := _next_month(month)) < first + timedelta(days=span):
        x = _percent((month - first).days / span)
        ticks.append(f'<line class="axis" x1="{x}" x2="{x}" y1="{base}" y2="{base + 5}"/>')
        if (month - first).days <= span - 21:
            with_year = month.month == 1 or not names
            names.append((month, x, with_year))
    shown: list[int] = []  # indices of the names a phone shows
    for index, (month, _, with_year) in enumerate(names):
        if (month - first).days > span * 9 // 10:
            break
        if shown:
            gap = index - shown[-1]
            if gap < (3 if names[shown[-1]][2] else 2):
                if not with_year:
                    continue
                shown.pop()  # January shows; the name before it gives way
        shown.append(index)
    labels = []
    for index, (month, x, with_year) in enumerate(names):
        name = MONTH_NAMES[month.month - 1][:3]
        if with_year:
            name = str(month.year) if month.month == 1 else f"{name} {month.year}"
        kind = "month" if index in shown else "month minor"
        labels.append(f'<text class="{kind}" x="{x}" y="{base + AXIS - 4}">{name}</text>')
    return ticks + labels


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _small_bars(trend: Trend, top: int) -> str:
    """The index's chart: 2 px bars on the shared scale ``top``, over a 1 px baseline."""
    path = []
    for index, week in enumerate(trend.weeks):
        if week.papers:
            # Integer heights, rounded half up: the same counts always give the same bytes.
            tall = max((week.papers * SMALL_HEIGHT * 2 + top) // (top * 2), 1)
            path.append(f"M{SMALL_STEP * index} {SMALL_HEIGHT - tall}h2v{tall}h-2z")
    bars = f'<path d="{"".join(path)}"/>' if path else ""
    width = SMALL_STEP * WEEKS
    return f'{bars}<path class="base" d="M0 {SMALL_HEIGHT}h{width}v1h-{width}z"/>'


def _tallest(trend: Trend) -> Week:
    """The newest of the weeks with the most papers."""
    return max(reversed(trend.weeks), key=lambda week: week.papers)


def _percent(fraction: float) -> str:
    # Two decimals: well under a pixel, and the same text for the same fraction.
    return f"{100 * fraction:.2f}%"


def _papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"
