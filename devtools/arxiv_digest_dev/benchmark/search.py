"""Search figures: the Pagefind index of the synthetic site, built and searched.

The other builds of the benchmark run with ``ARXIV_SEARCH = False`` (see ``build``), so
that their figures stay the site's own; here the index is measured on its own:

* the full index, in a fresh process that reads the store and runs ``pagefind.build_index``
  as the build does, with the time split between writing records and Pagefind itself, and
  the peak memory of each (the Python process, the largest Pagefind run);
* ``pelican content`` with search on: every bundle reused, and the search page written;
* one more announcement day and ``pelican content`` again: only its month is indexed; and
  once more without the bundle of the month before, as a day in the middle of a month costs;
* the index on disk against the site's HTML;
* a first search in Chromium on the site served from 127.0.0.1: bytes transferred from
  opening ``/search/?q=…`` until its results show, and the time from submitting a query to
  its results (the first query of the page, and one after it).

``python -m arxiv_digest_dev.benchmark.search WORKDIR`` is the full index's process.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from arxiv_digest.glue.indexing import CACHE_FOLDER
from arxiv_digest.model.keywords import load
from arxiv_digest.model.store import Store
from arxiv_digest.search import pagefind
from arxiv_digest.search.records import bundle_name

from .build import build
from .report import KB, MB, verdict
from .synthesize import Site, write_day

TARGET_INDEX_SHARE = 0.30  # of the site's HTML
TARGET_FIRST_SEARCH_KB = 300
TARGET_QUERY_MS = 300
TARGET_INDEX_RSS_MB = 1536  # the bound on indexing memory, at any history length
# Words of the synthetic text (benchmark/text.py), each in ~13-15% of its papers: the
# keywords' own words are made up, so real research words are what a visitor would type.
FIRST_QUERY = "video"
NEXT_QUERY = "language"


# What a Pagefind file is, by its suffix.
PAGEFIND_FILES = {
    ".pf_fragment": "records",
    ".pf_index": "index chunks",
    ".pf_filter": "filters",
    ".pf_meta": "bundle meta",
    ".pagefind": "wasm",
}


class TimedIndexer(pagefind.Indexer):
    """The real Pagefind, timing each of its runs."""

    def __init__(self, indexer: pagefind.Indexer):
        object.__setattr__(self, "path", indexer.path)
        object.__setattr__(self, "version", indexer.version)
        object.__setattr__(self, "seconds", [])

    def index(self, site: Path, bundle: Path) -> None:
        start = time.perf_counter()
        super().index(site, bundle)
        self.seconds.append(time.perf_counter() - start)


def index_store(workdir: Path) -> dict:
    """Index the work folder's store into its output, as a build does; what it cost."""
    start = time.perf_counter()
    days = Store(workdir / "content" / "papers").days()
    names = {k.slug: k.name for k in load(workdir / "keywords.yaml").keywords}
    read = time.perf_counter() - start
    indexer = TimedIndexer(pagefind.find_indexer())
    start = time.perf_counter()
    report = pagefind.build_index(
        days, names, workdir / "output", workdir / "cache" / CACHE_FOLDER, indexer
    )
    seconds = time.perf_counter() - start
    return {
        "read_seconds": read,
        "seconds": seconds,
        "pagefind_seconds": sum(indexer.seconds),
        "records": report.records,
        "bundles": len(report.bundles),
        "indexed": len(report.indexed),
        "python_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "pagefind_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def full_index(workdir: Path) -> dict:
    shutil.rmtree(workdir / "cache" / CACHE_FOLDER, ignore_errors=True)
    shutil.rmtree(workdir / "output" / pagefind.INDEX_URL, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "arxiv_digest_dev.benchmark.search", str(workdir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_with_search(workdir: Path) -> tuple[float, float, int]:
    """``pelican content`` with search on: (build seconds, index seconds, max RSS)."""
    done = build(workdir, search=True)
    found = re.search(r"Search: .* in ([\d.]+) s", done.log)
    if not found:
        raise SystemExit(f"the build in {workdir} did not build the search index:\n{done.log}")
    return done.seconds, float(found[1]), done.max_rss


def index_size(output: Path) -> int:
    """The bytes of every bundle in the output."""
    root = output / pagefind.INDEX_URL
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def sizes(output: Path) -> tuple[int, int]:
    """(bytes of the search index, bytes of the site's HTML pages)."""
    index = index_size(output)
    html = sum(p.stat().st_size for p in output.rglob("*.html") if pagefind.INDEX_URL not in str(p))
    return index, html


BROWSER_SEARCH = """async ([query]) => {
  const status = document.getElementById('search-status');
  const box = document.getElementById('search-q');
  const start = performance.now();
  box.value = query;
  box.form.requestSubmit();
  await new Promise((done) => {
    const check = () => /found/.test(status.textContent) ? done() : requestAnimationFrame(check);
    check();
  });
  return performance.now() - start;
}"""


def browse(output: Path) -> dict:
    """A first search in Chromium: bytes until the first results, and query-to-results times."""
    from playwright.sync_api import sync_playwright

    from arxiv_digest_dev.harness import launch_chromium, serve

    with serve(output) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            transferred: list[tuple[str, int]] = []

            def finished(request) -> None:
                size = request.sizes()
                transferred.append(
                    (request.url, size["responseBodySize"] + size["responseHeadersSize"])
                )

            page.on("requestfinished", finished)
            page.goto(f"{url}/search/?q={FIRST_QUERY}")
            page.wait_for_selector("#search-status:text-matches('found')")
            first = list(transferred)
            page.goto(f"{url}/search/")
            page.wait_for_load_state("load")
            cold = page.evaluate(BROWSER_SEARCH, [FIRST_QUERY])
            warm = page.evaluate(BROWSER_SEARCH, [NEXT_QUERY])
            shown = page.locator("#search-results article").count()
            status = page.locator("#search-status").inner_text()
        finally:
            browser.close()
    return {"requests": first, "cold_ms": cold, "warm_ms": warm, "shown": shown, "status": status}


def measure_search(site: Site) -> None:
    """Print the search figures next to their targets."""
    workdir = site.workdir
    full = full_index(workdir)
    print(
        f"full index: {full['records']:,} records in {full['bundles']} monthly bundles, "
        f"{full['seconds']:.1f} s (Pagefind runs {full['pagefind_seconds']:.1f} s summed, "
        f"{pagefind.WORKERS} at a time; reading the store first {full['read_seconds']:.1f} s)"
    )
    # A child's peak counts the memory of the process that forked it, until it exec'd.
    at_most = "at most " if full["pagefind_rss"] <= full["python_rss"] else ""
    print(
        f"  peak memory: Python {full['python_rss'] / MB:.0f} MB (the store read), "
        f"largest Pagefind run {at_most}{full['pagefind_rss'] / MB:.0f} MB"
    )
    seconds, index_seconds, _ = build_with_search(workdir)
    print(f"pelican content, search on, nothing new: {seconds:.1f} s, index {index_seconds:.1f} s")
    added = site.next_day()
    write_day(site, added)
    site.days.append(added)
    seconds, one_day, rss = build_with_search(workdir)
    print(
        f"pelican content after adding {added.date}: {seconds:.1f} s, index {one_day:.1f} s "
        f"(its month again), max RSS {rss / MB:.0f} MB"
    )
    # The added day may open a month; a day in the middle of one re-indexes a whole month.
    month = max({bundle_name(d.date) for d in site.days} - {bundle_name(added.date)})
    for bundle in (workdir / "cache" / CACHE_FOLDER).glob(f"{month}-*"):
        shutil.rmtree(bundle)
    _, whole_month, _ = build_with_search(workdir)
    print(f"pelican content with the bundle of {month} gone: index {whole_month:.1f} s")
    index, html = sizes(workdir / "output")
    parts: dict[str, int] = {}
    for path in (workdir / "output" / pagefind.INDEX_URL).rglob("*"):
        if path.is_file():
            kind = PAGEFIND_FILES.get(path.suffix, "pagefind.js, entry")
            parts[kind] = parts.get(kind, 0) + path.stat().st_size
    print(
        f"index {index / MB:.1f} MB (HTML pages {html / MB:.1f} MB): "
        + ", ".join(f"{k} {v / MB:.1f} MB" for k, v in sorted(parts.items(), key=lambda i: -i[1]))
    )
    seen = browse(workdir / "output")
    first_bytes = sum(size for _, size in seen["requests"])
    kinds: dict[str, int] = {}
    for request_url, size in seen["requests"]:
        name = request_url.split("?")[0].rsplit("/", 1)[-1]
        kind = PAGEFIND_FILES.get(Path(name).suffix, name if "." in name else "the page")
        kinds[kind] = kinds.get(kind, 0) + size
    print(
        f"first search '{FIRST_QUERY}' in Chromium: {len(seen['requests'])} requests, "
        + ", ".join(f"{k} {v / KB:.0f} KB" for k, v in sorted(kinds.items(), key=lambda i: -i[1]))
    )
    print(f"  {seen['shown']} results shown: {seen['status']}")
    share = index / max(html, 1)
    peak = max(full["pagefind_rss"], full["python_rss"])
    rows = [
        ("full index", f"{full['seconds']:.1f} s", "(no target)", None),
        ("one-day rebuild, index", f"{one_day:.1f} s", "(no target; its month only)", None),
        ("  ... a whole month again", f"{whole_month:.1f} s", "(no target; a day mid-month)", None),
        (
            "peak memory of indexing",
            f"{peak / MB:.0f} MB",
            f"<= {TARGET_INDEX_RSS_MB} MB",
            peak <= TARGET_INDEX_RSS_MB * MB,
        ),
        (
            "index size / HTML",
            f"{100 * share:.0f}%",
            f"<= {100 * TARGET_INDEX_SHARE:.0f}%",
            share <= TARGET_INDEX_SHARE,
        ),
        (
            "first search, transferred",
            f"{first_bytes / KB:.0f} KB",
            f"<= {TARGET_FIRST_SEARCH_KB} KB",
            first_bytes <= TARGET_FIRST_SEARCH_KB * KB,
        ),
        (
            "query to results, first",
            f"{seen['cold_ms']:.0f} ms",
            f"<= {TARGET_QUERY_MS} ms",
            seen["cold_ms"] <= TARGET_QUERY_MS,
        ),
        (
            "query to results, next",
            f"{seen['warm_ms']:.0f} ms",
            f"<= {TARGET_QUERY_MS} ms",
            seen["warm_ms"] <= TARGET_QUERY_MS,
        ),
    ]
    for name, measured, target, ok in rows:
        judged = "" if ok is None else verdict(ok)
        print(f"  {name:<26} {measured:>9}   {target:<36} {judged}")


if __name__ == "__main__":
    print(json.dumps(index_store(Path(sys.argv[1]))))
