"""The targets of the performance issue (issue 15), each with its figure from one run."""

from __future__ import annotations

from collections.abc import Sequence

from .build import Runs
from .markup import PaperMarkup
from .report import (
    BASELINE_RATIO,
    DECADE_RSS,
    KB,
    KEYWORD_FEED_KB,
    LATER_ONE_DAY_RATIO,
    MARKUP_PER_PAPER,
    MB,
    ONE_DAY_RATIO,
    SITE_FEED_KB,
    UNCHANGED_RATIO,
    Output,
    Target,
    ratio_target,
)
from .scale import (
    GITHUB_PAGES_LIMIT,
    ScalePoint,
    growth_per_year,
    projected_output,
)

DECADE = 10


def cpu(part: Runs, whole: Runs) -> str:
    """The same ratio in CPU time: steadier than wall time when the machine is busy."""
    return f"{part.best_cpu / whole.best_cpu:.2f}x" if whole.best_cpu else "-"


def at(points: Sequence[ScalePoint], years: int) -> ScalePoint | None:
    return next((p for p in points if p.years == years), None)


def issue_targets(
    *,
    full: Runs,
    unchanged: Runs,
    one_day: Runs,
    baseline: Runs | None,
    output: Output,
    markup: PaperMarkup,
    scale: Sequence[ScalePoint],
) -> list[Target]:
    """Every target, in the issue's order; those this run did not measure say so."""
    targets = [
        ratio_target(
            "1. full build / naive baseline",
            full.best / baseline.best if baseline else None,
            BASELINE_RATIO,
            f" ({full.best:.1f}/{baseline.best:.1f} s; CPU {cpu(full, baseline)})"
            if baseline
            else "",
        ),
        ratio_target(
            "2. rebuild after one new day / full build",
            one_day.best / full.best,
            ONE_DAY_RATIO,
            f" ({one_day.best:.1f} s; CPU {cpu(one_day, full)})",
        ),
        ratio_target(
            "2. rebuild, nothing changed / full build",
            unchanged.best / full.best,
            UNCHANGED_RATIO,
            f" ({unchanged.best:.1f} s; CPU {cpu(unchanged, full)})",
        ),
    ]
    first, third, decade = at(scale, 1), at(scale, 3), at(scale, DECADE)
    targets.append(
        ratio_target(
            "2. one-new-day rebuild at 3 years / at 1 year",
            third.one_day.seconds / first.one_day.seconds if first and third else None,
            LATER_ONE_DAY_RATIO,
        )
    )
    if decade:
        targets.append(
            Target(
                "3. peak RSS at 10 years",
                f"{decade.peak_rss / MB:,.0f} MB",
                f"<= {DECADE_RSS / MB:,.0f} MB",
                decade.peak_rss <= DECADE_RSS,
            )
        )
    else:
        targets.append(
            Target("3. peak RSS at 10 years", "-", f"<= {DECADE_RSS / MB:,.0f} MB", None)
        )
    if len(scale) > 1:
        for point, ratio in list(zip(scale, growth_per_year(scale), strict=True))[1:]:
            targets.append(
                ratio_target(
                    f"3. full build per year, {point.years} vs {scale[0].years} years",
                    ratio,
                    1.0,
                    " (linear: 1)",
                )
            )
    else:
        targets.append(ratio_target("3. full build per year, vs 1 year", None, 1.0))
    limit = f"<= {GITHUB_PAGES_LIMIT / 10**9:g} GB (10^9 B)"
    if decade:
        size = decade.output_bytes
        targets.append(
            Target(
                "3. output at 10 years", f"{size / 10**9:.2f} GB", limit, size <= GITHUB_PAGES_LIMIT
            )
        )
    elif scale:
        size = projected_output(scale, DECADE)
        targets.append(
            Target(
                f"3. output at 10 years, projected from {scale[-1].years}",
                f"{size / 10**9:.2f} GB",
                limit,
                size <= GITHUB_PAGES_LIMIT,
            )
        )
    else:
        targets.append(Target("3. output at 10 years", "-", limit, None))
    feed, feed_size = output.largest_keyword_feed
    targets += [
        Target(
            "4. site feed",
            f"{output.site_feed / KB:,.0f} KB",
            f"<= {SITE_FEED_KB} KB",
            output.site_feed <= SITE_FEED_KB * KB,
        ),
        Target(
            f"4. largest keyword feed ({feed.removeprefix('feeds/')})",
            f"{feed_size / KB:,.0f} KB",
            f"<= {KEYWORD_FEED_KB} KB",
            feed_size <= KEYWORD_FEED_KB * KB,
        ),
        Target(
            "5. markup per paper outside MathML",
            f"{markup.markup_per_paper:,.0f} B",
            f"<= {MARKUP_PER_PAPER} B",
            markup.markup_per_paper <= MARKUP_PER_PAPER if markup.papers else None,
        ),
    ]
    return targets
