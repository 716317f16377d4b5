"""Benchmark: how fast, how big and how hungry a year of arXiv digests builds.

It synthesizes a buildable site in a work folder (settings, keywords.yaml and a store of
announcement days), builds it with ``pelican content`` as users do, and prints each figure
next to its target (OK / MISSED):

* full build (output and cache removed first), rebuild with nothing changed, rebuild after
  one more announcement day, each run ``--repeat`` times in a fresh process; the best run
  is judged (other work on the machine only ever adds time), CPU time is printed too;
* peak memory (max RSS) of each build, the number and total size of the output files,
  the largest keyword page and digest page, the biggest files;
* the fetch cost: requests to a loopback arXiv server when nothing is new and after one
  new day (``--no-fetch-cost`` skips it; it runs after the builds, on a copy of the store);
* with ``--profile``, a cProfile of one in-process full build (top 25 by cumulative time).

Run it from the repository, in its virtualenv::

    .venv/bin/python benchmarks/run.py                       # 365 days x 100 papers x 10 keywords
    .venv/bin/python benchmarks/run.py --days 30 --papers 50 --keywords 4 --workdir /tmp/b
    .venv/bin/python benchmarks/run.py --years 2             # 730 days
    .venv/bin/python benchmarks/run.py --profile             # ... and where the time goes
    .venv/bin/python benchmarks/run.py --repeat 1 --no-fetch-cost   # quicker, noisier
    .venv/bin/python benchmarks/run.py --synthesize-only     # only write the site

The work folder (default ``bench-site/`` in the repository, git-ignored) stays a normal
site afterwards, holding the D days plus the one added: ``cd bench-site && pelican content``
builds it. Its ``pelicanconf.py`` is the
repository's, copied, with the theme, keywords file and paths pointed at the work folder,
so settings changes in the repository are measured too.

The same arguments always give the same store, byte for byte: papers come from a seeded
``random.Random`` and the days walk back from a fixed end date. The targets are for the
default size on a 2-core machine; at other sizes they are printed but mean little.

This file is the command line; the benchmark itself is the package
``arxiv_digest_dev.benchmark`` (synthesize, build, report, fetch_cost, profiling).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from arxiv_digest.store import day_path
from arxiv_digest_dev.benchmark.build import Runs, build
from arxiv_digest_dev.benchmark.fetch_cost import measure_fetch_cost
from arxiv_digest_dev.benchmark.profiling import profile_build
from arxiv_digest_dev.benchmark.report import (
    describe_store,
    git_revision,
    pelican_version,
    report_output,
    report_targets,
)
from arxiv_digest_dev.benchmark.search import measure_search
from arxiv_digest_dev.benchmark.synthesize import DEFAULT_WORKDIR, synthesize, write_day


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description=(
            "Synthesize a site of D announcement days with P papers each over K keywords, "
            "build it with 'pelican content' and print build times, peak memory, output "
            "size and fetch cost next to the targets of the performance issue. Run it from "
            "the repository's virtualenv: .venv/bin/python benchmarks/run.py"
        ),
        epilog="Targets (365x100x10, 2 cores): full build <= 6 s; rebuild after one new day "
        "<= half the full build; peak RSS <= 600 MB; keyword page of 100 papers <= 150 KB; "
        "total output <= 60 MB. The fetch cost should be K requests when nothing is new.",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--days", metavar="D", type=positive, default=365, help="announcement days (365)"
    )
    size.add_argument(
        "--years",
        metavar="N",
        type=positive,
        help="shortcut for --days 365*N",
    )
    parser.add_argument(
        "--papers", metavar="P", type=positive, default=100, help="papers per day (100)"
    )
    parser.add_argument("--keywords", metavar="K", type=positive, default=10, help="keywords (10)")
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        type=Path,
        default=DEFAULT_WORKDIR,
        help="folder to write the site into; emptied of an earlier run's store and output, "
        "refused if something else is there (default: bench-site/ in the repository)",
    )
    parser.add_argument(
        "--repeat",
        metavar="N",
        type=positive,
        default=3,
        help="runs of each build; the best run is judged against the targets (3)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile one full build in this process"
    )
    parser.add_argument(
        "--no-fetch-cost", action="store_true", help="skip counting the requests of a fetch"
    )
    parser.add_argument("--no-search", action="store_true", help="skip the search figures")
    parser.add_argument(
        "--synthesize-only", action="store_true", help="write the site and stop; no builds"
    )
    args = parser.parse_args(argv)
    if args.years is not None:
        args.days = 365 * args.years
    return args


@contextmanager
def section(title: str) -> Iterator[None]:
    print(f"\n== {title}")
    yield
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = args.workdir.resolve()
    start = time.perf_counter()
    site = synthesize(workdir, args.days, args.papers, args.keywords)
    print(
        f"arxiv-digest benchmark: {args.days} days x {args.papers} papers x {args.keywords} "
        f"keywords in {workdir} (synthesized in {time.perf_counter() - start:.1f} s)"
    )
    print(
        f"{git_revision()}, Python {platform.python_version()}, Pelican {pelican_version()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}"
    )
    print("\n".join(describe_store(site)))
    if args.synthesize_only:
        print(f"\nbuild it with: cd {workdir} && pelican content")
        return 0

    with section("builds (each a fresh 'pelican content -s pelicanconf.py' process)"):
        full = Runs(tuple(build(workdir, clean=True) for _ in range(args.repeat)))
        print(full.line("full build"))
        unchanged = Runs(tuple(build(workdir) for _ in range(args.repeat)))
        print(unchanged.line("rebuild, nothing changed"))
        added = site.next_day()
        one_day = []
        for attempt in range(args.repeat):
            if attempt:  # back to the store and output without the added day, untimed
                day_path(site.store, added.date).unlink()
                build(workdir)
            write_day(site, added)
            one_day.append(build(workdir))
        site.days.append(added)
        one = Runs(tuple(one_day))
        print(one.line(f"rebuild after adding {added.date}"))
        articles = {b.articles for b in full.builds}
        print(f"articles (digest days) Pelican processed in a full build: {articles}")

    with section("output"):
        total, keyword_page = report_output(workdir / "output")

    with section("targets (best run of each build; 1 KB = 1024 B, 1 MB = 1024 KB)"):
        report_targets(
            full=full.best,
            one_day=one.best,
            unchanged=unchanged.best,
            peak_rss=max(full.max_rss, unchanged.max_rss, one.max_rss),
            keyword_page=keyword_page,
            total=total,
        )

    if not args.no_fetch_cost:
        with section("fetch"):
            measure_fetch_cost(site)

    if not args.no_search:
        with section("search (Pagefind; targets of the search issue)"):
            measure_search(site)

    if args.profile:
        with section("profile"):
            profile_build(workdir)
    print(f"\n{workdir} holds {len(site.days)} days; build it again with: pelican content")
    return 0


if __name__ == "__main__":
    sys.exit(main())
