"""Where the time of a full build goes: one build in this process under cProfile."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import sysconfig
import time
from contextlib import chdir
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from arxiv_digest_dev import REPOSITORY as REPO


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
