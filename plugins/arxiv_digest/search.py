"""The search index: every stored paper, one Pagefind record each, one bundle per month.

Pagefind indexes HTML files in bulk (its Python API answers ~10 calls a second, so a
call per paper would take an hour for a year). So each paper becomes one small HTML
record in a work folder, and the Pagefind CLI from the ``pagefind[bin]`` wheel indexes
a month's folder in one run. A month's bundle holds the papers announced that month
(:func:`bundle_records`) and is kept in a cache folder under a digest of its papers, this
module and the indexer's version: a rebuild indexes only the months whose days changed,
in practice the current one, since a new version goes into the month that announced it.
Pagefind needs ~150 KB of memory per paper (3.1 GB for 23,000 papers in one run), so a
bundle per month (~2,000 papers a month at 100 a day: ~0.3 GB) bounds memory whatever
the history's length, and a day's rebuild indexes one month, not a year.

The search page merges the bundles in the browser (Pagefind's ``mergeIndex``).
No Pelican here: the glue hands in the days and keyword names and reports the errors.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from . import urls
from .links import has_code
from .paper import Paper
from .richtext import plain_text
from .site import Listing
from .store import Day

INDEX_URL = urls.SEARCH_INDEX  # a month's bundle is at search/index/YYYY-MM/
INSTALL = "pip install 'pagefind[bin]==1.5.2'"
# What the browser does not need of a bundle: Pagefind's prebuilt UIs (~400 KB), its web
# worker (the search page runs Pagefind on the main thread: 41 KB less to load) and the
# WebAssembly for unknown languages (every record is English).
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",
    "wasm.unknown.pagefind",
)
HAS_CODE = "has code"  # the value of the "code" filter


class SearchError(Exception):
    """The index cannot be built; the message says why and what to install or set."""


@dataclass(frozen=True)
class SearchReport:
    """What :func:`build_index` did: every month's bundle, and which were indexed anew."""

    bundles: tuple[str, ...]  # YYYY-MM, newest first: the order the search page merges them
    indexed: tuple[str, ...]
    reused: tuple[str, ...]
    records: int  # papers, and a paper once more for each later month that revised it


@dataclass(frozen=True)
class Indexer:
    """The Pagefind binary, and the version that goes into every bundle's key."""

    path: Path
    version: str

    def index(self, site: Path, bundle: Path) -> None:
        """Index every record under ``site`` into the bundle folder ``bundle``."""
        command = [
            str(self.path),
            "--site",
            str(site),
            "--output-path",
            str(bundle),
            "--force-language",
            "en",  # the records say so; one language keeps one wasm file per bundle
            "--silent",
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as err:
            raise SearchError(f"Pagefind ({self.path}) cannot run: {err}; {INSTALL}") from None
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip()[-2000:]
            raise SearchError(
                f"Pagefind failed on {site} (exit {done.returncode}): {output or 'no output'}"
            )


def find_indexer(configured: str | os.PathLike[str] | None = None) -> Indexer:
    """The Pagefind binary: ``configured`` if given, else the one the ``pagefind[bin]``
    wheel ships (or ``PAGEFIND_BINARY_PATH``, or ``pagefind`` on PATH); checked by running it.
    """
    path = Path(configured) if configured else _installed_binary()
    if path is None or not path.is_file():
        where = f" at {path}" if path else ""
        raise SearchError(
            f"the Pagefind binary is missing{where}, so the site has no search index; "
            f"install it with {INSTALL} (or set ARXIV_SEARCH = False)"
        )
    try:
        done = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError) as err:
        raise SearchError(
            f"the Pagefind binary {path} does not run ({err}); reinstall it with {INSTALL}"
        ) from None
    return Indexer(path, done.stdout.strip())


def _installed_binary() -> Path | None:
    try:
        from pagefind.service import get_executable
    except ImportError:  # the Python API is optional: a pagefind on PATH does too
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        return Path(found) if found else None
    try:
        return get_executable()
    except FileNotFoundError:  # pagefind_bin installed without its binary
        return None


def bundle_name(day: date) -> str:
    """The bundle that holds the papers a digest day announced: its month, ``YYYY-MM``."""
    return f"{day:%Y-%m}"


@dataclass(frozen=True)
class Facet:
    """A filter of the search page, with each value's papers in the whole archive."""

    name: str  # the URL parameter and the Pagefind filter
    label: str
    values: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SearchPage:
    """What the search page is rendered with: known at build time, so the browser fetches
    nothing to list the filters."""

    bundles: tuple[str, ...]  # YYYY-MM, newest first: the order the page asks them in
    facets: tuple[Facet, ...]


def search_page(days: Iterable[Day], keyword_names: Mapping[str, str]) -> SearchPage:
    """The bundles :func:`build_index` writes for these days and the filters of their papers."""
    days = list(days)
    newest = newest_versions(days).values()
    papers = [listing.paper for listing in newest]
    keywords = Counter(slug for paper in papers for slug in paper.keywords)
    categories = Counter(code for paper in papers for code in paper.categories)
    years = Counter(f"{listing.day:%Y}" for listing in newest)
    revised = sum(paper.is_revision for paper in papers)
    with_code = sum(has_code(paper) for paper in papers)
    facets = (
        Facet(
            "keyword",
            "Keyword",
            tuple((name, keywords[slug]) for slug, name in keyword_names.items() if keywords[slug]),
        ),
        Facet("category", "arXiv category", tuple(sorted(categories.items(), key=_most_first))),
        Facet("year", "Year", tuple(sorted(years.items(), reverse=True))),
        Facet(
            "status",
            "New or revised",
            tuple((v, n) for v, n in (("new", len(papers) - revised), ("revised", revised)) if n),
        ),
        Facet("code", "Code", ((HAS_CODE, with_code),) if with_code else ()),
    )
    return SearchPage(
        bundles=tuple(sorted({bundle_name(day.date) for day in days}, reverse=True)),
        facets=tuple(facet for facet in facets if facet.values),
    )


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def newest_versions(days: Iterable[Day]) -> dict[str, Listing]:
    """Every paper once, at its newest stored version, by arXiv id."""
    newest: dict[str, Listing] = {}
    for day in days:
        for paper in day.papers:
            known = newest.get(paper.id)
            if known is None or _is_newer(day.date, paper, known):
                newest[paper.id] = Listing(day.date, paper)
    return newest


def bundle_records(days: Iterable[Day]) -> dict[str, list[Listing]]:
    """What each month's bundle (``YYYY-MM``) holds: every paper announced that month, once,
    at the newest version announced that month. A later version goes into its own month's
    bundle and leaves the older one as it was, so a day's news re-indexes its month only;
    the search page shows a paper once, at the newest version it finds (newest month first)."""
    by_month: dict[str, dict[str, Listing]] = {}
    for day in days:
        month = by_month.setdefault(bundle_name(day.date), {})
        for paper in day.papers:
            known = month.get(paper.id)
            if known is None or _is_newer(day.date, paper, known):
                month[paper.id] = Listing(day.date, paper)
    return {name: list(month.values()) for name, month in by_month.items()}


def _is_newer(day: date, paper: Paper, known: Listing) -> bool:
    return (day, paper.version or 0, paper.updated) > (
        known.day,
        known.paper.version or 0,
        known.paper.updated,
    )


def record_html(paper: Paper, day: date, keyword_names: Mapping[str, str]) -> str:
    """A paper as a Pagefind record. Searchable (the body): title, authors, arXiv id with
    and without version, comment, abstract, as plain text with TeX as written. Meta holds
    only what a result shows that the body and filters do not give back as they are; filters
    and meta sit in ``<meta>`` attributes, so no character of arXiv's text can end a value
    early. The record's URL is that of the paper in its digest, so no meta repeats it."""
    keywords = [name for slug, name in keyword_names.items() if slug in paper.keywords]
    title = plain_text(paper.title)
    meta = {
        "url": urls.paper_url(day, paper.id),  # relative to the site: SITEURL may move
        "id": paper.versioned_id,
        "authors": json.dumps([a.name for a in paper.authors[:6]], ensure_ascii=False),
        "more": str(max(len(paper.authors) - 6, 0) or int(paper.authors_truncated)),
        "categories": " ".join(paper.categories),  # primary first, as filters do not keep
    }
    filters = [
        ("status", "revised" if paper.is_revision else "new"),
        ("year", f"{day:%Y}"),
        ("bundle", bundle_name(day)),  # the search page asks one month after another
        *(("keyword", name) for name in keywords),
        *(("category", code) for code in paper.categories),
        *((("code", HAS_CODE),) if has_code(paper) else ()),
    ]
    head = [
        *(
            f'<meta data-pagefind-meta="{k}[content]" content="{escape(v)}">'
            for k, v in meta.items()
        ),
        *(f'<meta data-pagefind-filter="{k}[content]" content="{escape(v)}">' for k, v in filters),
        f'<meta data-pagefind-sort="date[content]" content="{day.isoformat()}">',
    ]
    body = [
        f'<h1 data-pagefind-meta="title">{escape(title)}</h1>',
        f"<p>{escape(', '.join(a.name for a in paper.authors))}</p>",
        f"<p>arXiv:{escape(paper.versioned_id)} {escape(paper.id)}</p>",
        f"<p>{escape(plain_text(paper.comment))}</p>" if paper.comment else "",
        f"<p>{escape(plain_text(paper.abstract))}</p>",
    ]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title></title>\n'
        + "\n".join(head)
        + "\n</head><body data-pagefind-body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body></html>\n"
    )


def bundle_digest(
    listings: Iterable[Listing], keyword_names: Mapping[str, str], indexer_version: str
) -> str:
    """The key of a month's bundle: everything its records are made from (the papers, the
    keyword names, this module's code) and the indexer. Hashing the papers rather than
    their records saves rendering a year of records (~3 s) on every build."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"\0{indexer_version}\0{sorted(keyword_names.items())!r}".encode())
    for listing in sorted(listings, key=lambda item: item.paper.id):
        digest.update(f"\0{listing!r}".encode())
    return digest.hexdigest()[:24]


def build_index(
    days: Iterable[Day],
    keyword_names: Mapping[str, str],
    output: Path,
    cache: Path,
    indexer: Indexer,
    progress: Callable[[str], None] = lambda line: None,
) -> SearchReport:
    """Write every month's bundle to ``output/search/index/YYYY-MM/``, indexing only the
    months whose records are not in ``cache`` under the same key; raises :class:`SearchError`.

    Run it after the site is written (a fresh build may empty ``output`` first).
    """
    by_bundle = bundle_records(days)
    index_root = output / INDEX_URL
    indexed, reused = [], []
    for name in sorted(by_bundle, reverse=True):
        key = bundle_digest(by_bundle[name], keyword_names, indexer.version)
        bundle = cache / f"{name}-{key}"
        if bundle.is_dir():
            reused.append(name)
        else:
            progress(f"Search: indexing {len(by_bundle[name])} papers of {name}")
            _index_bundle(by_bundle[name], keyword_names, bundle, cache, indexer)
            indexed.append(name)
        for stale in cache.glob(f"{name}-*"):
            if stale != bundle:
                shutil.rmtree(stale, ignore_errors=True)
        _publish(bundle, index_root / name)
    for gone in index_root.glob("*") if index_root.is_dir() else ():
        if gone.name not in by_bundle:
            shutil.rmtree(gone, ignore_errors=True)
    return SearchReport(
        bundles=tuple(sorted(by_bundle, reverse=True)),
        indexed=tuple(indexed),
        reused=tuple(reused),
        records=sum(len(r) for r in by_bundle.values()),
    )


def index_size(output: Path) -> int:
    """The bytes of every bundle in the output: a figure for the benchmark."""
    root = output / INDEX_URL
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def _publish(bundle: Path, target: Path) -> None:
    """Put a cached bundle into the output, unless it is there already. Files are hard
    links where the file system allows: a year is ~36,000 files, and copying them all on
    every build took longer than indexing a month."""
    entry = "pagefind-entry.json"  # names the bundle's meta by its content hash
    try:
        if (target / entry).read_bytes() == (bundle / entry).read_bytes():
            return
    except OSError:
        pass
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        shutil.copytree(bundle, partial, copy_function=os.link)
    except OSError:  # another file system: copy
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(bundle, partial)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)


def _index_bundle(
    listings: list[Listing],
    keyword_names: Mapping[str, str],
    bundle: Path,
    cache: Path,
    indexer: Indexer,
) -> None:
    """Records into a work folder, Pagefind over it, the bundle into place whole."""
    partial = cache / f"partial-{bundle.name}"
    shutil.rmtree(partial, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"arxiv-digest-{bundle.name}-", dir=_scratch()))
    try:
        for listing in listings:
            name = listing.paper.id.replace("/", "_")  # quant-ph/0201082
            html = record_html(listing.paper, listing.day, keyword_names)
            (work / f"{name}.html").write_text(html, encoding="utf-8")
        indexer.index(work, partial)
        for name in UNUSED_FILES:
            (partial / name).unlink(missing_ok=True)
        os.replace(partial, bundle)  # a torn bundle must never pass for a whole one
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(partial, ignore_errors=True)


def _scratch() -> str | None:
    """Where records are written for a Pagefind run: memory (``/dev/shm``) where there is
    one, as they live for one run only, and creating a month's 2,000 files on this project's
    disk took ~0.75 ms each (a year's records: 27 s of a 83 s index); else the temp folder."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
