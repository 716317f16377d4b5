"""Benchmark: Lighthouse's scores on one page of each type, as issue 22 asks (95 or more in
every category, performance included, and layout shift at most 0.05).

It builds the tests' sample site (``tests/fixtures/sample-site/``, or takes a built site with
``--output``), serves it on 127.0.0.1, and runs Lighthouse (installed into ``.cache/`` by
``scripts/install-test-tools``) on Debian's Chromium with its mobile and desktop presets on:
the index, the newest day's digest, the largest keyword page and category page, the archive,
a search with results, the reading list holding the newest day's papers (filled through its
import link), the status page and the about page (and ``/trends/`` when the site has one; the
trend charts are on the index and keyword pages). It prints, per page, the four category
scores, cumulative layout shift, largest contentful paint and total blocking time, and
OK / MISSED against 95 (and 0.05 for the shift); ``--details`` adds every audit that did not
pass, which is what to fix.

Performance is timed, on this machine, by Lighthouse's simulated throttling (a slow phone on
4G for mobile, a fast cable for desktop): other work on the machine lowers it, so the load
average is printed beside it (``--runs 5`` keeps each page's median run), and the tests
assert no figure of it.

    .venv/bin/python benchmarks/lighthouse.py                  # both presets, every page type
    .venv/bin/python benchmarks/lighthouse.py --preset mobile --pages keyword,day --details
    .venv/bin/python benchmarks/lighthouse.py --runs 5           # the median of 5 a page
    .venv/bin/python benchmarks/lighthouse.py --output output  # a site built already
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from arxiv_digest_dev import REPOSITORY
from arxiv_digest_dev.harness import CHROMIUM, CHROMIUM_ARGS, build_sample_site, serve

LIGHTHOUSE = REPOSITORY / ".cache/lighthouse/node_modules/lighthouse/cli/index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET_SCORE = 95  # issue 22: every category, every page type
TARGET_SHIFT = 0.05  # issue 22: cumulative layout shift
PRESETS = ("mobile", "desktop")
PAPER = re.compile(r'<article class="paper[^"]*" id="([^"]+)"')
# What GitHub Pages sends gzipped (Pagefind's own files come compressed already).
TEXT_FILES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".bib", ".txt"})


class PagesHandler(SimpleHTTPRequestHandler):
    """Files as GitHub Pages serves them: text gzipped when the browser accepts it, so that
    the simulated network carries the bytes a visitor's would (a digest page is ~5x smaller)."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        asked = self.path.split("?")[0].split("#")[0]
        if path.is_dir() and asked.endswith("/"):
            path = path / "index.html"
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or path.suffix not in TEXT_FILES
            or not path.is_file()
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@dataclass(frozen=True)
class Result:
    preset: str
    page: str
    url: str
    scores: dict[str, int]
    shift: float
    paint_ms: float  # largest contentful paint
    blocking_ms: float  # total blocking time
    failed: list[str]  # audits that did not pass: "category: audit id (title)"

    @property
    def ok(self) -> bool:
        return min(self.scores.values()) >= TARGET_SCORE and self.shift <= TARGET_SHIFT


def papers_on(page: Path) -> list[str]:
    return PAPER.findall(page.read_text(encoding="utf-8"))


def largest(output: Path, folder: str) -> str:
    """The URL of the page under ``folder`` listing the most papers."""
    pages = sorted((output / folder).glob("*/index.html"))
    if not pages:
        sys.exit(f"lighthouse: no page under {output / folder}: is it a built site?")
    biggest = max(pages, key=lambda page: len(papers_on(page)))
    return f"/{folder}/{biggest.parent.name}/"


def page_types(output: Path) -> dict[str, str]:
    """One URL per page type of the site in ``output``."""
    days = sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"))
    if not days:
        sys.exit(f"lighthouse: no digest day in {output}: is it a built site?")
    newest = days[-1]
    day = "/" + newest.parent.relative_to(output).as_posix() + "/"
    pages = {
        "index": "/",
        "day": day,
        "keyword": largest(output, "keywords"),
        "category": largest(output, "categories"),
        "archive": "/archive/",
        "search": "/search/?q=video",
        "reading list": "/reading-list/#ids=" + ",".join(dict.fromkeys(papers_on(newest))),
        "status": "/status/",
        "page": "/about/",
        "trends": "/trends/",
    }
    return {
        name: url
        for name, url in pages.items()
        if (output / url.split("?")[0].split("#")[0].lstrip("/") / "index.html").is_file()
    }


def lighthouse(url: str, preset: str) -> dict:
    """Lighthouse's report (JSON) of ``url`` with ``preset``."""
    if not LIGHTHOUSE.is_file():
        sys.exit(f"lighthouse: {LIGHTHOUSE} is missing: run scripts/install-test-tools")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
        *(["--preset=desktop"] if preset == "desktop" else []),
    ]
    environment = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if done.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def result(preset: str, page: str, url: str, report: dict) -> Result:
    audits = report["audits"]
    failed = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
                failed.append(
                    f"{name}: {ref['id']} ({audit['title']}) {audit.get('displayValue', '')}"
                )
    return Result(
        preset=preset,
        page=page,
        url=url,
        scores={
            name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES
        },
        shift=audits["cumulative-layout-shift"]["numericValue"],
        paint_ms=audits["largest-contentful-paint"]["numericValue"],
        blocking_ms=audits["total-blocking-time"]["numericValue"],
        failed=failed,
    )


def table(results: list[Result]) -> list[str]:
    lines = [
        "| preset | page | perf | a11y | best pr. | SEO | CLS | LCP | TBT | ≥ 95, CLS ≤ 0.05 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        scores = " | ".join(str(r.scores[name]) for name in CATEGORIES)
        lines.append(
            f"| {r.preset} | {r.page} | {scores} | {r.shift:.3f} | {r.paint_ms / 1000:.1f} s "
            f"| {r.blocking_ms:.0f} ms | {'OK' if r.ok else 'MISSED'} |"
        )
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, help="a built site (default: build the sample)")
    parser.add_argument("--preset", choices=[*PRESETS, "both"], default="both")
    parser.add_argument("--pages", help="comma-separated page types (default: every one)")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="runs per page, the median performance kept (Lighthouse advises 5 on a busy machine)",
    )
    parser.add_argument("--details", action="store_true", help="list the audits not passed")
    parser.add_argument("--json", type=Path, help="keep each report in this folder")
    parser.add_argument(
        "--no-gzip", action="store_true", help="serve files uncompressed (GitHub Pages gzips)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as work:
        output = args.output or build_sample_site(Path(work) / "output")
        pages = page_types(output)
        if args.pages:
            wanted = args.pages.split(",")
            if unknown := set(wanted) - set(pages):
                sys.exit(
                    f"lighthouse: no page of type {sorted(unknown)}; there are {sorted(pages)}"
                )
            pages = {name: pages[name] for name in wanted}
        presets = PRESETS if args.preset == "both" else (args.preset,)
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        started = time.monotonic()
        results = []
        with serve(output, handler_class=None if args.no_gzip else PagesHandler) as root:
            for preset in presets:
                for name, path in pages.items():
                    reports = [lighthouse(root + path, preset) for _ in range(args.runs)]
                    reports.sort(key=lambda report: report["categories"]["performance"]["score"])
                    report = reports[len(reports) // 2]
                    if args.json:
                        args.json.mkdir(parents=True, exist_ok=True)
                        slug = name.replace(" ", "-")
                        (args.json / f"{preset}-{slug}.json").write_text(json.dumps(report))
                    results.append(result(preset, name, path, report))
                    print(f"  {preset} {name}: {results[-1].scores}", file=sys.stderr)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        wall = time.monotonic() - started
        print(
            f"{len(results) * args.runs} Lighthouse runs in {wall:.0f} s wall, "
            f"{children.ru_utime + children.ru_stime:.0f} s CPU (Lighthouse and Chromium)"
        )
        print("\n".join(table(results)))
        if args.details:
            for r in results:
                if r.failed:
                    print(f"\n{r.preset} {r.page} ({r.url[:80]}):")
                    print("\n".join(f"  {line}" for line in r.failed))
        missed = [f"{r.preset} {r.page}" for r in results if not r.ok]
        print(
            f"\n{len(results) - len(missed)} of {len(results)} OK"
            + (f"; missed: {', '.join(missed)}" if missed else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
