"""Builds of the synthetic site: ``pelican content`` in a fresh process, timed, with its
peak memory."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .report import MB


@dataclass(frozen=True)
class Build:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system: steadier than wall time on a busy machine
    max_rss: int  # bytes
    pelican_seconds: float | None  # what Pelican itself reports, without interpreter start-up
    articles: int | None
    log: str = ""


def pelican_command() -> list[str]:
    script = Path(sys.executable).with_name("pelican")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "pelican"]
    return [*base, "content", "-s", "pelicanconf.py"]


def build(workdir: Path, *, clean: bool = False, search: bool = False) -> Build:
    """Run ``pelican content`` in ``workdir`` in a fresh process; time it and take its max RSS.

    ``os.wait4`` gives the usage of this one child; RUSAGE_CHILDREN would give the maximum
    over every build so far. The search index is off unless ``search``: its figures are
    measured apart (``benchmark.search``), so that these stay the site's own.
    """
    if clean:
        shutil.rmtree(workdir / "output", ignore_errors=True)
        shutil.rmtree(workdir / "cache", ignore_errors=True)
    env = {**os.environ, "ARXIV_FETCH": "0"}  # never reach arXiv from a benchmark
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(
            [*pelican_command(), "-e", f"ARXIV_SEARCH={'true' if search else 'false'}"],
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if process.returncode != 0:
        print(text[-4000:], file=sys.stderr)
        raise SystemExit(
            f"pelican content failed in {workdir} (exit {process.returncode}); if the theme or "
            "plugin is being edited right now, run the benchmark again"
        )
    done = re.search(r"Processed (\d+) articles?.*?in ([\d.]+) seconds", text, re.S)
    return Build(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        max_rss=usage.ru_maxrss * 1024,  # Linux reports KiB
        pelican_seconds=float(done[2]) if done else None,
        articles=int(done[1]) if done else None,
        log=text,
    )


@dataclass(frozen=True)
class Runs:
    """The same build measured several times; judged on the best run, since noise from
    other work on the machine only ever adds time."""

    builds: tuple[Build, ...]

    @property
    def fastest(self) -> Build:
        return min(self.builds, key=lambda b: b.seconds)

    @property
    def best(self) -> float:
        return self.fastest.seconds

    @property
    def best_cpu(self) -> float:
        return min(b.cpu_seconds for b in self.builds)

    @property
    def max_rss(self) -> int:
        return max(b.max_rss for b in self.builds)

    def line(self, what: str) -> str:
        seconds = [b.seconds for b in self.builds]
        own = [b.pelican_seconds for b in self.builds if b.pelican_seconds is not None]
        pelican = f", Pelican's own {min(own):.2f}" if own else ""
        cpu = self.best_cpu
        return (
            f"{what:<32} best {self.best:6.2f} s  (median {statistics.median(seconds):.2f}, "
            f"worst {max(seconds):.2f}, n={len(seconds)}; best CPU {cpu:.2f}{pelican}), "
            f"max RSS {self.max_rss / MB:.0f} MB"
        )
