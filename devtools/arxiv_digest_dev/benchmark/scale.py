"""Growth with history: the same site at 1, 3, 10 … years, built once each.

A benchmark "year" is 365 announcement days (as the performance issue counts); arXiv
announces on about 256 days of a calendar year, so calendar years are 365/256 longer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .build import Build, build
from .synthesize import synthesize, write_day

DAYS_PER_YEAR = 365  # the benchmark's year, in announcement days
ANNOUNCEMENT_DAYS_PER_CALENDAR_YEAR = 256  # Monday to Friday, less arXiv's few holidays
GITHUB_PAGES_LIMIT = 10**9  # "Published GitHub Pages sites may be no larger than 1 GB"


@dataclass(frozen=True)
class ScalePoint:
    """One size of history, measured: a full build, then a rebuild after one new day."""

    years: int
    days: int
    papers: int  # paper versions in the store
    full: Build
    one_day: Build
    output_bytes: int  # after the full build

    @property
    def peak_rss(self) -> int:
        return max(self.full.max_rss, self.one_day.max_rss)


def output_bytes(output: Path) -> int:
    return sum(p.stat().st_size for p in output.rglob("*") if p.is_file())


def parse_years(text: str) -> tuple[int, ...]:
    """``1,3,10`` -> (1, 3, 10); ``none`` or empty -> (); sorted, without repeats."""
    if text.strip().lower() in ("", "none", "0"):
        return ()
    years = sorted({int(part) for part in text.split(",")})
    if years[0] < 1:
        raise ValueError("years must be 1 or more")
    return tuple(years)


def growth_per_year(points: Sequence[ScalePoint]) -> list[float]:
    """Each point's full-build seconds per year, relative to the smallest point's: 1.0 is
    linear growth, above it faster than linear."""
    first = points[0]
    base = first.full.seconds / first.years
    return [p.full.seconds / p.years / base for p in points]


def marginal_bytes_per_paper(points: Sequence[ScalePoint]) -> float:
    """Output bytes each further paper adds, between the smallest and the largest point
    (what stays fixed, such as the theme, falls out); from one point, its average."""
    first, last = points[0], points[-1]
    if last.papers == first.papers:
        return first.output_bytes / first.papers
    return (last.output_bytes - first.output_bytes) / (last.papers - first.papers)


def fixed_bytes(points: Sequence[ScalePoint]) -> float:
    """Output bytes that do not grow with papers, from the same line as the margin."""
    first = points[0]
    return max(first.output_bytes - marginal_bytes_per_paper(points) * first.papers, 0.0)


def years_that_fit(
    bytes_per_paper: float,
    papers_per_day: int,
    *,
    fixed: float = 0.0,
    limit: int = GITHUB_PAGES_LIMIT,
    days_per_year: int = DAYS_PER_YEAR,
) -> float:
    """Years of history whose output stays within ``limit`` bytes."""
    per_year = bytes_per_paper * papers_per_day * days_per_year
    return max(limit - fixed, 0.0) / per_year if per_year else float("inf")


def measure_scale(
    workdir: Path,
    years: Sequence[int],
    papers: int,
    keywords: int,
    known: dict[int, ScalePoint],
    log: Callable[[str], None] = print,
) -> list[ScalePoint]:
    """Measure each size of history not in ``known`` (one run each: these are slow)."""
    points = []
    for count in years:
        if count in known:
            points.append(known[count])
            log(f"  {count:>2} years: measured above")
            continue
        days = count * DAYS_PER_YEAR
        site = synthesize(workdir, days, papers, keywords)
        full = build(workdir, clean=True)
        size = output_bytes(workdir / "output")
        added = site.next_day()
        write_day(site, added)
        site.days.append(added)
        one_day = build(workdir)
        point = ScalePoint(
            count, days, sum(len(d.papers) for d in site.days[:-1]), full, one_day, size
        )
        log(
            f"  {count:>2} years: full build {full.seconds:.1f} s, one new day "
            f"{one_day.seconds:.1f} s, peak RSS {point.peak_rss / 2**20:,.0f} MB, output "
            f"{size / 2**20:,.0f} MB"
        )
        points.append(point)
    return points


def scale_lines(points: Sequence[ScalePoint], papers_per_day: int) -> list[str]:
    """The table of sizes, and how many years fit GitHub Pages from the measured growth."""
    growth = growth_per_year(points)
    lines = [
        "  years   days     papers  full build (CPU)  per year vs first  one new day (CPU)"
        "  peak RSS    output  B/paper"
    ]
    for point, ratio in zip(points, growth, strict=True):
        lines.append(
            f"  {point.years:5} {point.days:6,} {point.papers:10,} {point.full.seconds:7.1f} s"
            f" ({point.full.cpu_seconds:5.1f}) {ratio:17.2f}x {point.one_day.seconds:8.1f} s "
            f"({point.one_day.cpu_seconds:5.1f}) {point.peak_rss / 2**20:7,.0f} MB"
            f" {point.output_bytes / 2**20:6,.0f} MB {point.output_bytes / point.papers:8,.0f}"
        )
    margin, fixed = marginal_bytes_per_paper(points), fixed_bytes(points)
    fits = {n: years_that_fit(margin, n, fixed=fixed) for n in (100, 300)}
    calendar = DAYS_PER_YEAR / ANNOUNCEMENT_DAYS_PER_CALENDAR_YEAR
    lines += [
        f"  each paper adds {margin:,.0f} B of output ({fixed / 2**20:,.0f} MB stay fixed); "
        f"GitHub Pages' 1 GB (10^9 B) holds",
        *(
            f"    {years:5.1f} years at {n} papers a day ({years * calendar:.1f} calendar years "
            f"of ~{ANNOUNCEMENT_DAYS_PER_CALENDAR_YEAR} announcement days)"
            for n, years in fits.items()
        ),
    ]
    return lines


def projected_output(points: Sequence[ScalePoint], years: int) -> float:
    """Output bytes at ``years`` of history, on the line through the measured points."""
    papers = points[-1].papers / points[-1].years * years
    return fixed_bytes(points) + marginal_bytes_per_paper(points) * papers
