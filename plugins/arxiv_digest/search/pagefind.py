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

import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model.store import Day
from ..pages import urls
from .records import bundle_key, bundle_records, record_html, with_abstract

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
# Months indexed at once: Pagefind runs mostly on one core, so two runs use both cores of a
# small machine (GitHub's runners, this project's) and hold at most two months in memory.
WORKERS = 2


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
    abstracts_from: date | None = None,
) -> SearchReport:
    """Write every month's bundle to ``output/search/index/YYYY-MM/``, indexing only the
    months whose records are not in ``cache`` under the same key; raises :class:`SearchError`.

    Run it after the site is written (a fresh build may empty ``output`` first). Papers
    of days before ``abstracts_from`` are searched without their abstracts.
    """
    by_bundle = bundle_records(days)
    index_root = output / INDEX_URL
    bundles = {
        name: cache
        / f"{name}-{bundle_key(listings, keyword_names, indexer.version, abstracts_from)}"
        for name, listings in sorted(by_bundle.items(), reverse=True)
    }
    indexed = [name for name, bundle in bundles.items() if not bundle.is_dir()]
    reused = [name for name in bundles if name not in indexed]

    def index_month(name: str) -> None:
        progress(f"Search: indexing {len(by_bundle[name])} papers of {name}")
        records = {
            listing.paper.id: record_html(
                listing.paper,
                listing.day,
                keyword_names,
                abstract=with_abstract(listing.day, abstracts_from),
            )
            for listing in by_bundle[name]
        }
        _index_bundle(records, bundles[name], cache, indexer)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _ in pool.map(index_month, indexed):  # the first error raised stops the build
            pass
    for name, bundle in bundles.items():
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


def _index_bundle(records: Mapping[str, str], bundle: Path, cache: Path, indexer: Indexer) -> None:
    """Records (HTML by arXiv id) into a work folder, Pagefind over it, the bundle into
    place whole."""
    partial = cache / f"partial-{bundle.name}"
    shutil.rmtree(partial, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"arxiv-digest-{bundle.name}-", dir=_scratch()))
    try:
        for paper_id, html in records.items():
            name = paper_id.replace("/", "_")  # quant-ph/0201082
            (work / f"{name}.html").write_text(html, encoding="utf-8")
        indexer.index(work, partial)
        for name in UNUSED_FILES:
            (partial / name).unlink(missing_ok=True)
        canonical_bundle(partial)
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


# What Pagefind writes in its .pf_* files: gzip of this marker followed by CBOR.
MARKER = b"pagefind_dcd"


def canonical_bundle(bundle: Path) -> None:
    """Give the same records the same bytes. Pagefind lists each filter's values, the
    filters and the meta fields in the order of a hash map seeded at random, so two runs
    over the same records differ in their filter files and in the meta and entry that name
    them by hash; sort those lists and name the files anew by the hash of what they hold.
    Page numbers follow the order the records were written in, which is the store's."""
    renamed: dict[bytes, bytes] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        data = _unpack(path)
        _, values = _cbor_items(data, 0)  # [name, [[value, [page, ...]], ...]]
        filter_file = data[: values[0]] + _sorted_array(data, values[0])
        new = _rename(path, _pack(filter_file), hash_length=len(path.stem.split("_", 1)[1]))
        renamed[path.stem.encode()] = new.stem.encode()
    for meta in bundle.glob("pagefind.*.pf_meta"):
        data = _unpack(meta)
        for old, new_name in renamed.items():  # the same length: no CBOR header changes
            data = data.replace(old, new_name)
        parts = _cbor_items(data, 0)
        rebuilt = data[: parts[0][0]] + b"".join(
            _sorted_array(data, start) if _is_name_list(data, start) else data[start:end]
            for start, end in parts
        )
        old_stem = meta.stem.removeprefix("pagefind.")
        new = _rename(meta, _pack(rebuilt), hash_length=len(old_stem.split("_", 1)[1]))
        entry = bundle / "pagefind-entry.json"
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace(old_stem, new.stem.removeprefix("pagefind.")), "utf-8")


def _unpack(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MARKER):
        raise SearchError(f"Pagefind wrote {path} in a format this version does not know")
    return data[len(MARKER) :]


def _pack(data: bytes) -> bytes:
    return gzip.compress(MARKER + data, mtime=0)


def _rename(path: Path, content: bytes, hash_length: int) -> Path:
    """Write ``content`` under the name Pagefind gave ``path``, its hash part made anew."""
    prefix, _, _ = path.stem.rpartition("_")
    digest = hashlib.sha256(content).hexdigest()[:hash_length]
    new = path.with_name(f"{prefix}_{digest}{path.suffix}")
    path.unlink()
    new.write_bytes(content)
    return new


def _sorted_array(data: bytes, start: int) -> bytes:
    """The CBOR array at ``start`` with its items in the order of their bytes."""
    items = _cbor_items(data, start)
    header = data[start : items[0][0]] if items else data[start : _cbor_end(data, start)]
    return header + b"".join(sorted(data[a:b] for a, b in items))


def _is_name_list(data: bytes, start: int) -> bool:
    """The meta's list of filters (``[name, file]`` pairs) or of meta fields (names): lists
    whose order means nothing. Its pages, index chunks and sorts are left as they are."""
    if data[start] >> 5 != 4:
        return False
    items = _cbor_items(data, start)
    if not items:
        return False
    if all(data[a] >> 5 == 3 for a, _ in items):
        return True
    pairs = [_cbor_items(data, a) if data[a] >> 5 == 4 else [] for a, _ in items]
    return all(len(p) == 2 and all(data[a] >> 5 == 3 for a, _ in p) for p in pairs)


def _cbor_head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, argument, where the content starts) of the CBOR item at ``at``."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}[info]  # Pagefind writes no indefinite lengths
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _cbor_end(data: bytes, at: int) -> int:
    major, argument, content = _cbor_head(data, at)
    if major in (2, 3):  # bytes, text
        return content + argument
    if major in (4, 5):  # array, map
        for _ in range(argument * (2 if major == 5 else 1)):
            content = _cbor_end(data, content)
        return content
    if major == 6:  # a tag and its item
        return _cbor_end(data, content)
    return content


def _cbor_items(data: bytes, at: int) -> list[tuple[int, int]]:
    """The (start, end) of each item of the CBOR array at ``at``."""
    major, count, content = _cbor_head(data, at)
    if major != 4:
        raise SearchError("Pagefind wrote a bundle in a format this version does not know")
    items = []
    for _ in range(count):
        end = _cbor_end(data, content)
        items.append((content, end))
        content = end
    return items
