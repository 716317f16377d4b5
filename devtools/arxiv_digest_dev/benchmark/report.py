"""What the benchmark prints: the synthesized store, the output, the targets."""

from __future__ import annotations

import re
import statistics
import subprocess
from importlib.metadata import version
from pathlib import Path

from arxiv_digest_dev import REPOSITORY as REPO

from .synthesize import ABSTRACT_CHARS, ABSTRACT_MEAN, ABSTRACT_SD, Site

# Targets of the performance issue, for 365 x 100 x 10 on a 2-core machine.
TARGET_FULL_BUILD_S = 6.0
TARGET_RSS_MB = 600
TARGET_KEYWORD_PAGE_KB = 150  # a keyword page of 100 papers
TARGET_OUTPUT_MB = 60
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


def page_kind(relative: str) -> str:
    """What a file of the output is, from its path. It knows the URL scheme on its own, so it
    can read it from ``arxiv_digest.urls`` once that module owns the scheme."""
    if re.fullmatch(r"\d{4}/\d{2}/\d{2}/index\.html", relative):
        return "digest pages"
    for prefix, kind in (
        ("keywords/", "keyword pages"),
        ("categories/", "category pages"),
        ("feeds/", "feeds"),
        ("theme/", "theme files"),
    ):
        if relative.startswith(prefix):
            return kind
    return "other pages"


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


def report_output(output: Path) -> tuple[int, int]:
    """Print what the build wrote; returns (total bytes, bytes of the largest keyword page)."""
    files = output_files(output)
    total = sum(size for _, size in files)
    print(f"output: {len(files):,} files, {total / MB:.1f} MB")
    kinds: dict[str, list[int]] = {}
    for path, size in files:
        kinds.setdefault(page_kind(path.relative_to(output).as_posix()), []).append(size)
    for kind, sizes in sorted(kinds.items(), key=lambda item: -sum(item[1])):
        print(
            f"  {kind:<15} {len(sizes):6,} files {sum(sizes) / MB:7.1f} MB  "
            f"({100 * sum(sizes) / max(total, 1):4.1f}%, largest {max(sizes) / KB:,.0f} KB)"
        )
    keyword_size = 0
    for label, kind in (("keyword page", "keyword pages"), ("digest page", "digest pages")):
        pages = [(p, s) for p, s in files if page_kind(p.relative_to(output).as_posix()) == kind]
        if not pages:
            continue
        path, size = pages[0]  # files are sorted biggest first
        print(
            f"  largest {label}: /{path.relative_to(output).parent.as_posix()}/ "
            f"{size / KB:,.0f} KB, {page_summary(path)}"
        )
        if label == "keyword page":
            keyword_size = size
    print("  biggest files:")
    for path, size in files[:8]:
        print(f"    {size / KB:9,.0f} KB  {path.relative_to(output).as_posix()}")
    return total, keyword_size


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def report_targets(
    *, full: float, one_day: float, unchanged: float, peak_rss: int, keyword_page: int, total: int
) -> None:
    """Each figure next to its target (best build times, bytes), OK or MISSED."""
    rows = [
        (
            "full build",
            f"{full:.2f} s",
            f"<= {TARGET_FULL_BUILD_S:g} s",
            full <= TARGET_FULL_BUILD_S,
        ),
        (
            "rebuild after one new day",
            f"{one_day:.2f} s",
            f"<= {full / 2:.2f} s (half the full build)",
            one_day <= full / 2,
        ),
        (
            "peak RSS of any build",
            f"{peak_rss / MB:.0f} MB",
            f"<= {TARGET_RSS_MB} MB",
            peak_rss <= TARGET_RSS_MB * MB,
        ),
        (
            "largest keyword page",
            f"{keyword_page / KB:.0f} KB",
            f"<= {TARGET_KEYWORD_PAGE_KB} KB (100 papers)",
            keyword_page <= TARGET_KEYWORD_PAGE_KB * KB,
        ),
        (
            "total output",
            f"{total / MB:.1f} MB",
            f"<= {TARGET_OUTPUT_MB} MB",
            total <= TARGET_OUTPUT_MB * MB,
        ),
    ]
    for name, measured, target, ok in rows:
        print(f"  {name:<26} {measured:>9}   {target:<36} {verdict(ok)}")
    print(f"  (rebuild with nothing changed: {unchanged:.2f} s; no target)")


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
