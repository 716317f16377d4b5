"""Where the time of a build goes: builds in this process, timed by phase, then one under
cProfile.

The phases are timed by wrapping the few functions that start each (the plugin's reader,
generator, body cache and keyword feeds; Pelican's writer; Jinja's ``render`` for the
templates the plugin renders itself), so the timing costs next to nothing and needs no
change to the plugin. What no wrapper covers is Pelican's own work: settings, finding
content, the theme's static files.
"""

from __future__ import annotations

import cProfile
import functools
import io
import os
import pstats
import shutil
import sysconfig
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
from pelican import Pelican
from pelican.settings import read_settings
from pelican.writers import Writer

from arxiv_digest.glue.generator import DigestGenerator
from arxiv_digest.glue.reader import DigestReader
from arxiv_digest.glue.render_cache import BodyCache
from arxiv_digest_dev import REPOSITORY as REPO

# Templates the plugin renders outside Pelican's writer, and what each belongs to.
RENDERED = {"digest_body.html": "bodies", "feed_day.html": "feed lists"}
# Pages written through Pelican's writer, by template.
WRITTEN = {
    "keyword.html": "keyword pages",
    "arxiv_category.html": "category pages",
    "digest.html": "day pages",
}


# The time spent in timed calls inside each timed call under way, innermost last.
_INNER: list[float] = []
_now = time.perf_counter  # a test's clock can stand in


def timed(clock: dict[str, float], label: Callable[..., str | None], function: Callable):
    """``function``, adding its wall time to ``clock[label(*args)]`` (unless None), less the
    time of the timed calls inside it: a body rendered while Pelican writes its day page
    counts as rendering, not as writing."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        name = label(*args, **kwargs)
        if not name:
            return function(*args, **kwargs)
        _INNER.append(0.0)
        start = _now()
        try:
            return function(*args, **kwargs)
        finally:
            spent = _now() - start
            clock[name] += spent - _INNER.pop()
            if _INNER:
                _INNER[-1] += spent

    return wrapper


def written_page(writer: Writer, name: str, template: jinja2.Template, *args, **kwargs) -> str:
    return WRITTEN.get(template.name or "", "other pages")


@contextmanager
def phase_clock() -> Iterator[dict[str, float]]:
    """Wrap the functions that start each phase for as long as the block runs."""
    clock: dict[str, float] = defaultdict(float)
    patches = [
        (DigestReader, "read", lambda *a, **k: "reading"),
        (DigestGenerator, "generate_context", lambda *a, **k: "context"),
        (DigestGenerator, "write_keyword_feeds", lambda *a, **k: "keyword feeds"),
        (BodyCache, "get", lambda *a, **k: "cache"),
        (BodyCache, "put", lambda *a, **k: "cache"),
        (BodyCache, "close", lambda *a, **k: "cache"),
        (jinja2.Template, "render", lambda template, *a, **k: RENDERED.get(template.name)),
        (Writer, "write_file", written_page),
        (Writer, "write_feed", lambda *a, **k: "site feed"),
    ]
    originals = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]
    try:
        for owner, name, label in patches:
            setattr(owner, name, timed(clock, label, getattr(owner, name)))
        yield clock
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


@dataclass(frozen=True)
class Phase:
    name: str
    seconds: float


def phases(clock: dict[str, float], total: float) -> list[Phase]:
    """The clock's wrapped times as the phases of a build, each counted once."""
    get = clock.get
    context = get("context", 0.0)  # each timed call counts without the timed calls inside it
    named = [
        Phase("reading days (store -> articles)", get("reading", 0.0)),
        Phase("digest bodies (rendering)", get("bodies", 0.0)),
        Phase("body cache (load, save)", get("cache", 0.0)),
        Phase("listings, archive and context", context),
        Phase("keyword pages (render + write)", get("keyword pages", 0.0)),
        Phase("category pages (render + write)", get("category pages", 0.0)),
        Phase(
            "feeds (site feed lists + Pelican's writer, keyword feeds)",
            get("feed lists", 0.0) + get("site feed", 0.0) + get("keyword feeds", 0.0),
        ),
        Phase("Pelican writing day pages", get("day pages", 0.0)),
        Phase("Pelican writing other pages (index, archive...)", get("other pages", 0.0)),
    ]
    rest = total - sum(p.seconds for p in named)
    return [*named, Phase("Pelican's own (settings, finding content, theme files)", rest)]


def phase_lines(found: list[Phase], total: float) -> list[str]:
    return [
        f"  {p.name:<58} {p.seconds:6.2f} s  {100 * p.seconds / total if total else 0:4.0f}%"
        for p in found
    ]


def run_in_process(workdir: Path, *, clean: bool) -> tuple[float, dict[str, float]]:
    """One build by a fresh Pelican instance in this process, timed by phase."""
    if clean:
        shutil.rmtree(workdir / "output", ignore_errors=True)
        shutil.rmtree(workdir / "cache", ignore_errors=True)
    os.environ["ARXIV_FETCH"] = "0"
    with chdir(workdir), phase_clock() as clock:
        pelican = Pelican(read_settings("pelicanconf.py"))
        start = time.perf_counter()
        pelican.run()
        seconds = time.perf_counter() - start
    return seconds, dict(clock)


def profile_phases(workdir: Path) -> None:
    """A full build, then a rebuild with nothing changed (as ``--autoreload`` does), by phase."""
    for label, clean in (("full build", True), ("rebuild, nothing changed", False)):
        total, clock = run_in_process(workdir, clean=clean)
        print(f"{label} in this process, {total:.2f} s, by phase:")
        print("\n".join(phase_lines(phases(clock, total), total)))


def profile_build(workdir: Path) -> None:
    """One full build in this process under cProfile: the top of the profile."""
    shutil.rmtree(workdir / "output", ignore_errors=True)
    shutil.rmtree(workdir / "cache", ignore_errors=True)
    os.environ["ARXIV_FETCH"] = "0"
    profiler = cProfile.Profile()
    with chdir(workdir):
        pelican = Pelican(read_settings("pelicanconf.py"))
        start = time.perf_counter()
        profiler.runcall(pelican.run)
        seconds = time.perf_counter() - start
    print(f"one in-process full build, {seconds:.2f} s under cProfile:")
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    # Paths relative to the repository, site-packages and the standard library: shorter lines.
    prefixes = {str(REPO), *sysconfig.get_paths().values()}
    report = text.getvalue()
    for prefix in sorted(prefixes, key=len, reverse=True):
        report = report.replace(prefix + os.sep, "")
    print(report.rstrip())
