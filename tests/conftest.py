"""Shared fixtures: real Pelican builds into tmp_path, and a loopback arXiv server."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

from arxiv_digest.pages.tex import math_markup, split_math
from arxiv_digest_dev import REPOSITORY as ROOT
from arxiv_digest_dev import SAMPLE_SITE
from arxiv_digest_dev.arxiv_server import ArxivServer
from arxiv_digest_dev.recorded import recorded_testing_search
from arxiv_digest_dev.sites import KEYWORDS_YAML, Project, day_files_bytes, make_paper, store_files

# Property-based tests (Hypothesis): a fixed budget of the same examples on every run, so a
# failure in CI fails again on a laptop; no deadline (no test is timed) and no example
# database written into the checkout. HYPOTHESIS_PROFILE=explore looks further, at random.
settings.register_profile("ci", max_examples=200, derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The test files import these from here; they live in arxiv_digest_dev, which scripts use too.
__all__ = [
    "KEYWORDS_YAML",
    "LIVE_FILE_READS",
    "ROOT",
    "SAMPLE_SITE",
    "Project",
    "as_shown",
    "day_files_bytes",
    "elsewhere",
    "make_paper",
    "recorded_testing_search",
    "shown_text",
    "store_files",
]


# The programs that read ./keywords.yaml and ./content/ (as pelican, -m pelican, ...).
READS_THE_SITE = {"pelican", "arxiv-digest", "arxiv_digest"}


class LiveFileReads:
    """The files a test opens or lists among the repository's own keywords.yaml and content/,
    and the programs it starts there that would read them.

    A site's owner replaces those with their own topics and papers (or none), so a test that
    read them would pass here and fail in their copy: tests build their sites from
    SAMPLE_SITE and fixtures. An audit hook sees every open and listing in this process; a
    program started (pelican, arxiv_digest) reads ./keywords.yaml and ./content/ by default,
    so one started in the repository's folder counts too.
    """

    def __init__(self, root):
        self.root = str(root)
        self.live = (os.path.join(self.root, "keywords.yaml"), os.path.join(self.root, "content"))
        self.seen: list[str] = []

    def __call__(self, event: str, args: tuple) -> None:
        if event in ("open", "os.scandir", "os.listdir"):
            path = args[0]
            if isinstance(path, str | bytes | os.PathLike):
                name = os.fsdecode(path)
                # A bare folder name opened is shutil.rmtree's, relative to a folder it holds
                # open (pytest emptying an old basetemp with a site's content/ in it), not cwd.
                if event == "open" and name == "content":
                    return
                self._note(os.path.abspath(name))
        elif event == "subprocess.Popen":
            _, argv, cwd, _ = args
            argv = [os.fsdecode(a) for a in argv] if isinstance(argv, list | tuple) else [argv]
            where = os.path.abspath(os.fsdecode(cwd)) if cwd else os.getcwd()
            if where == self.root and READS_THE_SITE & {os.path.basename(argv[0]), *argv[1:3]}:
                self.seen.append(f"{self.root} (started there: {' '.join(argv)})")

    def _note(self, path: str) -> None:
        for live in self.live:
            if path == live or path.startswith(live + os.sep):
                self.seen.append(live)

    def take(self) -> list[str]:
        """What was read since the last call, once each."""
        seen, self.seen = list(dict.fromkeys(self.seen)), []
        return seen


LIVE_FILE_READS = LiveFileReads(ROOT)
sys.addaudithook(LIVE_FILE_READS)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    LIVE_FILE_READS.take()  # from here on, what is read is this test's (its fixtures' too)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    read = LIVE_FILE_READS.take()
    if read:
        pytest.fail(
            "this test depends on the repository's own site, which a site's owner replaces: "
            f"it read {', '.join(read)}; build from SAMPLE_SITE or a fixture instead",
            pytrace=False,
        )
    return result


def shown_text(element) -> str:
    """An element's text as a reader gets it, each formula as its TeX (the math's alttext)."""
    copy = BeautifulSoup(str(element), "html.parser")
    for math in copy.find_all("math"):
        math.replace_with(math.get("alttext", ""))
    return copy.get_text()


def as_shown(text: str) -> str:
    """What :func:`shown_text` gives for a stored arXiv text: TeX text escapes (``\\%``) as
    their character, each formula as its TeX without delimiters, and the TeX that cannot
    be a formula as its source."""
    return "".join(
        part
        if isinstance(part, str)
        else part.tex
        if math_markup(part) is not None
        else part.source
        for part in split_math(text)
    )


# Run first in the other process: its clock reads 400 days and 7 hours ahead, for the
# standard library's datetime and time (what a build could ask the time of).
_CLOCK_AHEAD = """
import datetime as _dt, time as _time
_AHEAD = _dt.timedelta(days=400, hours=7, minutes=13)
_datetime, _date, _now = _dt.datetime, _dt.date, _time.time
class _Datetime(_datetime):
    @classmethod
    def now(cls, tz=None):
        return _datetime.now(tz) + _AHEAD
    @classmethod
    def utcnow(cls):
        return _datetime.utcnow() + _AHEAD
    @classmethod
    def today(cls):
        return _datetime.today() + _AHEAD
class _Date(_date):
    @classmethod
    def today(cls):
        return (_datetime.now() + _AHEAD).date()
_dt.datetime, _dt.date = _Datetime, _Date
_time.time = lambda: _now() + _AHEAD.total_seconds()
_localtime, _gmtime = _time.localtime, _time.gmtime
_time.localtime = lambda seconds=None: _localtime(_time.time() if seconds is None else seconds)
_time.gmtime = lambda seconds=None: _gmtime(_time.time() if seconds is None else seconds)
"""


def elsewhere(code: str) -> str:
    """What ``code`` prints in another Python process that differs from this one in all a
    build must not depend on: its clock is 400 days ahead, its time zone is UTC+14 and its
    hash seed is another (sets and str-keyed dicts iterate in another order). A determinism
    test compares it with what this process makes."""
    seed = os.environ.get("PYTHONHASHSEED", "")
    env = {
        **os.environ,
        "PYTHONHASHSEED": str(int(seed) + 1) if seed.isdigit() else "4242",
        "TZ": "Pacific/Kiritimati",
    }
    result = subprocess.run(
        [sys.executable, "-c", _CLOCK_AHEAD + textwrap.dedent(code)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "site")


@pytest.fixture
def arxiv_server():
    with ArxivServer() as server:
        yield server
