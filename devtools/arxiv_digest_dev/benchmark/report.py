"""What the benchmark prints: the synthesized store, the output, the targets."""

from __future__ import annotations

import re
import statistics
import subprocess
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from arxiv_digest.pages import urls
from arxiv_digest_dev import REPOSITORY as REPO

from .synthesize import ABSTRACT_CHARS, ABSTRACT_MEAN, ABSTRACT_SD, Site

# Targets of the performance issue (issue 15), for 365 x 100 x 10 on a 2-core machine.
BASELINE_RATIO = 0.20  # full build / the same papers as plain Markdown in a default Pelican
ONE_DAY_RATIO = 0.25  # rebuild after one new day / full build
UNCHANGED_RATIO = 0.20  # rebuild with nothing changed / full build
LATER_ONE_DAY_RATIO = 1.5  # one-day rebuild at 3 years / at 1 year
DECADE_RSS = 1.5 * 1024**3  # peak RSS at 10 years
SITE_FEED_KB = 300
KEYWORD_FEED_KB = 150
MARKUP_PER_PAPER = 600  # bytes, outside MathML (see markup.py)
KB, MB = 1024, 1024 * 1024


def describe_store(site: Site) -> list[str]:
    """What was synthesized, measured: the header's second half."""
    papers = [p for day in site.days for p in day.papers]
    first = [p for p in papers if p.version == 1]
    revisions = len(papers) - len(first)
    abstracts = [len(p.abstract) for p in papers]
    titles = [len(p.title) for p in papers]
    latex = sum("$" in p.abstract or "\\" in p.abstract or "$" in p.title for p in first)
    size = sum(f.stat().st_size for f in site.store.rglob("*.json"))

    def share(n: int, of: int) -> str:
        return f"{100 * n / max(of, 1):.1f}%"

    return [
        f"store: {len(site.days)} day files {site.days[0].date} .. {site.days[-1].date} "
        f"(Mon-Fri), {len(papers):,} paper versions, {len(first):,} papers, "
        f"{revisions:,} revisions ({share(revisions, len(papers))}), {size / MB:.1f} MB of JSON",
        f"  titles {min(titles)}-{max(titles)} chars, mean {statistics.mean(titles):.0f}; "
        f"abstracts N({ABSTRACT_MEAN}, {ABSTRACT_SD}) clipped to {ABSTRACT_CHARS}, whole "
        f"sentences: mean {statistics.mean(abstracts):,.0f}, median "
        f"{statistics.median(abstracts):,.0f}, max {max(abstracts):,}",
        f"  authors 1-15, mean {statistics.mean(len(p.authors) for p in first):.1f}; "
        f"categories 1-4, mean {statistics.mean(len(p.categories) for p in first):.1f}; "
        f"LaTeX in {share(latex, len(first))}; comments on "
        f"{share(sum(bool(p.comment) for p in first), len(first))}; two keywords on "
        f"{share(sum(len(p.keywords) == 2 for p in first), len(first))}",
    ]


def output_files(output: Path) -> list[tuple[Path, int]]:
    return sorted(
        ((p, p.stat().st_size) for p in output.rglob("*") if p.is_file()),
        key=lambda item: (-item[1], str(item[0])),
    )


def page_summary(path: Path) -> str:
    """Papers on a page and what each costs: visible text, and markup (tags, URLs, titles)."""
    html = path.read_text(encoding="utf-8")
    papers = html.count('<article class="paper"')
    if not papers:
        return "no papers"
    size = len(html.encode("utf-8"))
    text = len(re.sub(r"<[^>]*>", "", html).encode("utf-8"))
    return (
        f"{papers} papers, {size / papers:,.0f} B per paper: "
        f"{text / papers:,.0f} B of text, {(size - text) / papers:,.0f} B of markup"
    )


KIND_NAMES = {
    "day": "digest pages",
    "keyword": "keyword pages",
    "category": "category pages",
    "feed": "feeds",
    "theme": "theme files",
    "other": "other pages",
}


DAY_PAGE = re.compile(r"\d{4}/\d{2}/\d{2}/index\.html")  # a day's output file


def page_kind(path: str) -> str:
    """What an output file (relative to the site root) is: ``day``, ``keyword``,
    ``category``, ``feed``, ``theme`` or ``other``."""
    if DAY_PAGE.fullmatch(path):
        return "day"
    for prefix, kind in (
        ("keywords/", "keyword"),
        ("categories/", "category"),
        ("feeds/", "feed"),
        ("theme/", "theme"),
    ):
        if path.startswith(prefix):
            return kind
    return "other"


@dataclass(frozen=True)
class Output:
    """What a build wrote, by kind of file (:func:`page_kind`)."""

    files: tuple[tuple[str, int], ...]  # (path relative to the output, bytes), biggest first

    @property
    def total(self) -> int:
        return sum(size for _, size in self.files)

    def of_kind(self, kind: str) -> list[tuple[str, int]]:
        return [(path, size) for path, size in self.files if page_kind(path) == kind]

    @property
    def site_feed(self) -> int:
        return dict(self.files).get(urls.SITE_FEED, 0)

    @property
    def largest_keyword_feed(self) -> tuple[str, int]:
        feeds = [(p, s) for p, s in self.of_kind("feed") if p.endswith(".atom.xml")]
        feeds = [(p, s) for p, s in feeds if p != urls.SITE_FEED]
        return feeds[0] if feeds else ("", 0)


def read_output(output: Path) -> Output:
    return Output(tuple((p.relative_to(output).as_posix(), s) for p, s in output_files(output)))


def report_output(output: Path) -> Output:
    """Print what the build wrote, by kind, with the largest pages and feeds."""
    written = read_output(output)
    total = written.total
    print(f"output: {len(written.files):,} files, {total / MB:.1f} MB")
    kinds: dict[str, list[int]] = {}
    for path, size in written.files:
        kinds.setdefault(KIND_NAMES[page_kind(path)], []).append(size)
    for kind, sizes in sorted(kinds.items(), key=lambda item: -sum(item[1])):
        print(
            f"  {kind:<15} {len(sizes):6,} files {sum(sizes) / MB:7.1f} MB  "
            f"({100 * sum(sizes) / max(total, 1):4.1f}%, largest {max(sizes) / KB:,.0f} KB)"
        )
    for label, kind in (("keyword page", "keyword"), ("digest page", "day")):
        pages = written.of_kind(kind)
        if pages:
            path, size = pages[0]  # files are sorted biggest first
            print(
                f"  largest {label}: /{path.rsplit('/', 1)[0]}/ {size / KB:,.0f} KB, "
                f"{page_summary(output / path)}"
            )
    feed, size = written.largest_keyword_feed
    print(
        f"  site feed /{urls.SITE_FEED} {written.site_feed / KB:,.0f} KB; largest keyword "
        f"feed /{feed} {size / KB:,.0f} KB"
    )
    print("  biggest files:")
    for path, size in written.files[:8]:
        print(f"    {size / KB:9,.0f} KB  {path}")
    return written


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else "OK" if ok else "MISSED"


@dataclass(frozen=True)
class Target:
    """One figure of the issue next to its target; ``ok`` None: not measured in this run."""

    name: str
    measured: str
    goal: str
    ok: bool | None


def target_lines(targets: list[Target]) -> list[str]:
    return [f"  {t.name:<46} {t.measured:>34}  {t.goal:<20} {verdict(t.ok)}" for t in targets]


def ratio_target(name: str, value: float | None, limit: float, detail: str = "") -> Target:
    """A ratio that must stay at or under ``limit``; None when it was not measured."""
    if value is None:
        return Target(name, "-", f"<= {limit:.2f}x", None)
    return Target(name, f"{value:.2f}x{detail}", f"<= {limit:.2f}x", value <= limit)


def git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "plugins", "theme"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "repository revision unknown"
    return f"repository at {head}" + (" + uncommitted plugin/theme changes" if dirty else "")


def pelican_version() -> str:
    return version("pelican")
