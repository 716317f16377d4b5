"""Search speed against Pagefind's own CLI, and the output's size by kind of file.

* The search index of the whole store (``search.full_index``, a fresh process) against the
  Pagefind CLI run as a site owner would, over the HTML of the same output (built with
  search off), in the same run, alternated, each timed in wall and CPU seconds.
* A build with search on and ``ARXIV_ABSTRACT_YEARS=1`` into its own output folder, with
  the SITEURL of a project site on GitHub Pages (as published, every link within the site
  carries it): the bytes per paper of each kind of file, for the days shown in full and for
  the days older than a year (light: no abstracts), and from them how many years of history
  fit GitHub Pages' 1 GB at 100 and 300 papers a day, with and without search, in full or
  with older years light. Years are scaled linearly from this one store, as the scale
  section measures output to grow, but for the pages that list a fixed number of the
  newest papers (keyword and category pages, feeds), which are as large at ten years.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from arxiv_digest.model.store import Store
from arxiv_digest.pages.listings import archive_start
from arxiv_digest.search import pagefind

from .build import pelican_command
from .report import MB, verdict
from .scale import ANNOUNCEMENT_DAYS_PER_CALENDAR_YEAR, DAYS_PER_YEAR, GITHUB_PAGES_LIMIT

LIGHT_AFTER = 1  # ARXIV_ABSTRACT_YEARS of the size build: a benchmark year has both kinds
DECADE = 10
# The address of a project site on Pages (https://<owner>.github.io/<repository>), which the
# publish workflow sets as SITEURL: each link within the site is stored with it.
SITE_URL = "https://octocat.github.io/arxiv-digest"


@dataclass(frozen=True)
class Timed:
    seconds: float
    cpu_seconds: float  # user + system of the process and its children


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> Timed:
    """Run a command to its end; its wall and CPU time (``os.wait4``: it and its children)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            log.seek(0)
            raise SystemExit(f"{command[0]} failed:\n{log.read().decode()[-3000:]}")
    return Timed(seconds, usage.ru_utime + usage.ru_stime)


def ours(workdir: Path) -> Timed:
    """The whole store indexed, no bundle cached, as a cold build does."""
    shutil.rmtree(workdir / "cache" / "arxiv-digest-search", ignore_errors=True)
    shutil.rmtree(workdir / "output" / pagefind.INDEX_URL, ignore_errors=True)
    return timed([sys.executable, "-m", "arxiv_digest_dev.benchmark.search", str(workdir)])


def pagefind_cli(output: Path, bundle: Path) -> Timed:
    """``pagefind --site output``: every HTML page of the site, as its owner would run it."""
    shutil.rmtree(bundle, ignore_errors=True)
    binary = pagefind.find_indexer().path
    command = [str(binary), "--site", str(output), "--output-path", str(bundle), "--silent"]
    try:
        return timed(command)
    finally:
        shutil.rmtree(bundle, ignore_errors=True)


def compare_with_cli(workdir: Path, runs: int = 2) -> list[str]:
    """Our index of the store against the CLI over the HTML built from it, alternated."""
    output = workdir / "output"
    html = [p for p in output.rglob("*.html") if not p.is_relative_to(output / "search")]
    mine, cli = [], []
    for _ in range(runs):
        cli.append(pagefind_cli(output, workdir / "cli-bundle"))
        mine.append(ours(workdir))
    best_mine = min(mine, key=lambda t: t.seconds)
    best_cli = min(cli, key=lambda t: t.seconds)
    ratio = best_mine.seconds / best_cli.seconds
    cpu = min(t.cpu_seconds for t in mine) / min(t.cpu_seconds for t in cli)
    load = os.getloadavg()[0]
    return [
        f"index of the store: best of {runs} {best_mine.seconds:.1f} s (CPU "
        f"{min(t.cpu_seconds for t in mine):.1f} s); each run "
        + ", ".join(f"{t.seconds:.1f} s" for t in mine),
        f"Pagefind CLI over the site's {len(html)} HTML pages: best {best_cli.seconds:.1f} s "
        f"(CPU {min(t.cpu_seconds for t in cli):.1f} s); each run "
        + ", ".join(f"{t.seconds:.1f} s" for t in cli),
        f"  {'index / Pagefind CLI, same run':<40} {ratio:6.2f}x (CPU {cpu:.2f}x)  <= 1.00x  "
        f"{verdict(ratio <= 1.0)}   (load average {load:.1f} after)",
    ]


# Kinds of output file, by path; the first that matches.
KINDS = (
    ("digest pages", re.compile(r"\d{4}/\d{2}/\d{2}/index\.html")),
    ("day .bib files", re.compile(r"\d{4}/\d{2}/\d{2}/papers\.bib")),
    ("search records", re.compile(r"search/index/.*\.pf_fragment")),
    ("search word index", re.compile(r"search/index/.*\.pf_index")),
    ("search filters, meta", re.compile(r"search/index/.*\.pf_(filter|meta)")),
    ("search script, wasm", re.compile(r"search/index/.*")),
    ("keyword pages", re.compile(r"keywords/.*")),
    ("category pages", re.compile(r"categories/.*")),
    ("data files", re.compile(r"data/.*")),
    ("feeds", re.compile(r"feeds/.*|.*\.xml")),
    ("other", re.compile(r".*")),
)
SEARCH_KINDS = {kind for kind, _ in KINDS if kind.startswith("search")}
# Pages of a keyword's max_papers, ARXIV_CATEGORY_MAX_PAPERS, ARXIV_FEED_MAX_PAPERS newest
# papers: their size does not grow with history nor with papers a day.
FIXED_KINDS = {"keyword pages", "category pages", "feeds"}
DAY_FILE = re.compile(r"(\d{4})/(\d{2})/(\d{2})/")
BUNDLE = re.compile(r"search/index/(\d{4})-(\d{2})/")


@dataclass
class Share:
    files: int = 0
    full: int = 0  # bytes of days shown in full (or of no day: keyword pages, feeds ...)
    light: int = 0  # bytes of days older than ARXIV_ABSTRACT_YEARS


def kind_of(path: str) -> str:
    return next(kind for kind, pattern in KINDS if pattern.fullmatch(path))


def by_kind(output: Path, light_before: date) -> dict[str, Share]:
    """Bytes by kind of file, and by whether the file is of a light day (or a month of them)."""
    shares: dict[str, Share] = {}
    for path in output.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(output).as_posix()
        share = shares.setdefault(kind_of(name), Share())
        share.files += 1
        size = path.stat().st_size
        day, month = DAY_FILE.match(name), BUNDLE.match(name)
        if day and date(*map(int, day.groups())) < light_before:
            share.light += size
        elif month and date(*map(int, month.groups()), 1) < light_before.replace(day=1):
            share.light += size  # a month before the one the light days end in
        else:
            share.full += size
    return shares


def size_lines(workdir: Path) -> list[str]:
    """Build with search on and ARXIV_ABSTRACT_YEARS; bytes per paper, years that fit."""
    output, cache = workdir / "output-size", workdir / "cache-size"
    for folder in (output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "ARXIV_FETCH": "0"}
    overrides = [
        "-o",
        str(output),
        "-e",
        "ARXIV_SEARCH=true",
        f"ARXIV_ABSTRACT_YEARS={LIGHT_AFTER}",
        f'CACHE_PATH="{cache}"',
        f'SITEURL="{SITE_URL}"',
    ]
    built = timed([*pelican_command(), *overrides], cwd=workdir, env=env)
    days = Store(workdir / "content" / "papers").days()
    newest = max(day.date for day in days)
    light_before = archive_start(newest, LIGHT_AFTER)
    light_month = light_before.replace(day=1)
    papers_light = sum(len(d.papers) for d in days if d.date < light_before)
    papers_full = sum(len(d.papers) for d in days) - papers_light
    # The month the light days end in is mixed: its bundle counts as full, its papers too.
    papers_light_bundles = sum(len(d.papers) for d in days if d.date < light_month)
    shares = by_kind(output, light_before)
    total_files = sum(s.files for s in shares.values())
    per_year = len(days) / DAYS_PER_YEAR
    lines = [
        f"a build with search on, ARXIV_ABSTRACT_YEARS={LIGHT_AFTER} and SITEURL {SITE_URL} "
        f"({built.seconds:.1f} s, CPU {built.cpu_seconds:.1f} s): {total_files:,} files "
        f"({total_files / per_year:,.0f} a year of {DAYS_PER_YEAR} days), "
        f"{sum(s.full + s.light for s in shares.values()) / MB:,.1f} MB; "
        f"{papers_full:,} paper versions in full (from {light_before}), "
        f"{papers_light:,} light",
        f"  {'bytes per paper':<22} {'files':>7} {'in full':>8} {'light':>8}",
    ]
    full_pp: dict[str, float] = {}
    light_pp: dict[str, float] = {}
    fixed = sum(shares.get(kind, Share()).full for kind in FIXED_KINDS)
    for kind, _ in KINDS:
        share = shares.get(kind, Share())
        if kind in FIXED_KINDS:
            lines.append(f"  {kind:<22} {share.files:7,} {share.full / MB:8.1f} MB, fixed")
            continue
        bundled = kind in SEARCH_KINDS
        light_papers = papers_light_bundles if bundled else papers_light
        # Files of no day (data files, the archive, ...) grow with all papers alike.
        dayless = kind not in ("digest pages", "day .bib files") and not bundled
        if dayless:
            full_pp[kind] = light_pp[kind] = share.full / (papers_full + papers_light)
        else:
            full_pp[kind] = share.full / max(papers_full + papers_light - light_papers, 1)
            light_pp[kind] = share.light / max(light_papers, 1)
        lines.append(f"  {kind:<22} {share.files:7,} {full_pp[kind]:8,.0f} {light_pp[kind]:8,.0f}")
    for search in (True, False):
        kinds = [k for k in full_pp if search or k not in SEARCH_KINDS]
        full = sum(full_pp[k] for k in kinds)
        light = sum(light_pp[k] for k in kinds)
        lines.append(
            f"  {'total, search ' + ('on' if search else 'off'):<22} {'':7} {full:8,.0f} "
            f"{light:8,.0f}  + {fixed / MB:.1f} MB fixed"
        )
    lines.append(
        f"years of history ({DAYS_PER_YEAR} announcement days; x"
        f"{DAYS_PER_YEAR / ANNOUNCEMENT_DAYS_PER_CALENDAR_YEAR:.2f} for calendar years) that "
        f"fit GitHub Pages' 1 GB (10^9 B), scaled linearly from this store, the fixed pages "
        f"once:"
    )
    room = GITHUB_PAGES_LIMIT - fixed
    decade_fits: list[int] = []  # the settings at which a decade at 100 a day fits, search on
    for search in (True, False):
        kinds = [k for k in full_pp if search or k not in SEARCH_KINDS]
        full = sum(full_pp[k] for k in kinds)
        light = sum(light_pp[k] for k in kinds)
        for rate in (100, 300):
            year_full = full * rate * DAYS_PER_YEAR
            year_light = light * rate * DAYS_PER_YEAR
            cells = [f"every year in full {room / year_full:5.1f}"]
            for keep in (1, 2, 3):
                rest = room - keep * year_full
                fits = keep + rest / year_light if rest > 0 else room / year_full
                cells.append(f"ABSTRACT_YEARS={keep} {fits:5.1f}")
                if search and rate == 100 and fits >= DECADE:
                    decade_fits.append(keep)
            lines.append(
                f"  search {'on ' if search else 'off'} {rate} papers/day: " + ", ".join(cells)
            )
    keep = max(decade_fits, default=1)
    lines.append(
        f"  {f'a decade at 100 papers/day with search, ARXIV_ABSTRACT_YEARS={keep}':<66} "
        f"<= 1 GB  {verdict(bool(decade_fits))}"
    )
    return lines
