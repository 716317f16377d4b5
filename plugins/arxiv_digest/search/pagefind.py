"""The search index on disk: Pagefind run over each month's records, bundles cached and
published into the site.

Pagefind indexes HTML files in bulk (its Python API answers ~10 calls a second, so a
call per paper would take an hour for a year). So each paper becomes one small HTML
record in a work folder, and the Pagefind CLI from the ``pagefind[bin]`` wheel indexes
a month's folder in one run. Pagefind needs ~150 KB of memory per paper, so a bundle per
month bounds memory whatever the history's length, and a day's rebuild indexes one month.

The search page merges the bundles in the browser (Pagefind's ``mergeIndex``).
No Pelican here: the glue hands in the days and keyword names and reports the errors.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model.store import Day
from ..pages import urls
from ..pages.listings import Listing
from .records import bundle_key, bundle_records, record_html

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
        key = bundle_key(by_bundle[name], keyword_names, indexer.version)
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
    one, as they live for one run only and creating thousands of small files on disk cost a
    third of the index's time (README, Performance); else the temp folder."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
