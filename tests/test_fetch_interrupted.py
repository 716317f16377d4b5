"""A fetch stopped at any point (kill -9) or failing to write (a full disk): the store holds
all or none of what it fetched, no temporary file stays, and the fetch log says what
happened."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from arxiv_digest.__main__ import main as arxiv_digest_main
from arxiv_digest.fetching.fetch import fetch
from arxiv_digest.fetching.query import build_query
from arxiv_digest.model import writing
from arxiv_digest.model.fetchlog import Outcome
from arxiv_digest.model.keywords import parse
from arxiv_digest.model.lock import LOCK_NAME
from arxiv_digest.model.settings import FetchSettings
from arxiv_digest.model.store import Store
from arxiv_digest.model.writing import JOURNAL_NAME, StoreWriteError
from arxiv_digest_dev.arxiv_server import ArxivServer, numbered_paper, status
from arxiv_digest_dev.sites import SUBPROCESS_LIMIT

from .conftest import Project

KEYWORDS = """\
keywords:
  - name: Topic A
    slug: topic-a
    terms: ["topic a"]
  - name: Topic B
    slug: topic-b
    terms: ["topic b"]
"""
CONFIG = parse(KEYWORDS)
FIRST = {"2603.00001", "2603.00002"}  # stored by the first fetch
SECOND = {"2603.00003", "2603.00004", "2603.00005", "2603.00006"}  # what the second brings


def serve(server: ArxivServer, *, second: bool) -> None:
    """The first answers: a paper per keyword; the second: two more each, over two days."""
    a = [numbered_paper(1, "2026-03-02")]
    b = [numbered_paper(2, "2026-03-02")]
    if second:
        a = [numbered_paper(5, "2026-03-03"), numbered_paper(3, "2026-03-02"), *a]
        b = [numbered_paper(6, "2026-03-03"), numbered_paper(4, "2026-03-02"), *b]
    server.serve(build_query(CONFIG.keyword("topic-a")), a)
    server.serve(build_query(CONFIG.keyword("topic-b")), b)


def settings(server: ArxivServer) -> FetchSettings:
    return FetchSettings(api_url=server.url, delay=0.0, timeout=(2.0, 2.0), max_attempts=1)


def stored_ids(project: Project) -> set[str]:
    return {p["id"] for papers in project.stored_papers().values() for p in papers}


def leftovers(store: Path) -> list[str]:
    """Temporary files and journals: what a write in progress leaves."""
    return sorted(
        str(p.relative_to(store))
        for p in store.rglob("*")
        if p.name.endswith(".tmp") or p.name == JOURNAL_NAME
    )


@pytest.fixture(scope="module")
def fetched_once(tmp_path_factory) -> Project:
    """A store after one fetch: a paper per keyword, one day file, one log line."""
    project = Project(tmp_path_factory.mktemp("template") / "site", KEYWORDS)
    with ArxivServer() as server:
        serve(server, second=False)
        fetch(CONFIG, Store(project.store), settings(server))
    assert stored_ids(project) == FIRST
    return project


# -- kill -9 at every point of a fetch's writing ---------------------------------------------

# A fetch, killed (SIGKILL, as kill -9) just before its STOP-th call of a system call
# that writes: every point at which a write can be cut short, in order.
KILLED_FETCH = """
import os, signal, sys
from pathlib import Path

calls = 0
stop = int(sys.argv[1])


def killed_before(call):
    def counted(*args, **kwargs):
        global calls
        calls += 1
        if calls == stop:
            os.kill(os.getpid(), signal.SIGKILL)
        return call(*args, **kwargs)

    return counted


for name in ("write", "fsync", "replace", "unlink", "ftruncate"):
    setattr(os, name, killed_before(getattr(os, name)))

from arxiv_digest.fetching.fetch import fetch
from arxiv_digest.model.keywords import load
from arxiv_digest.model.settings import FetchSettings
from arxiv_digest.model.store import Store

root = Path(sys.argv[2])
fetch(
    load(root / "keywords.yaml"),
    Store(root / "content" / "papers"),
    FetchSettings(api_url=sys.argv[3], delay=0.0, timeout=(5.0, 5.0), max_attempts=1),
)
"""
MOST_POINTS = 60  # a guard: a fetch of two keywords writes at far fewer points


def kill_at(point: int, root: Path, server: ArxivServer) -> int:
    """Run the second fetch, killed before its ``point``-th writing call; its exit code."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", KILLED_FETCH, str(point), str(root), server.url],
        env=env,
        capture_output=True,
        timeout=SUBPROCESS_LIMIT,
        check=False,
    ).returncode


@pytest.fixture(scope="module")
def killed_at_every_point(fetched_once, tmp_path_factory):
    """For each point, a copy of the once-fetched store, the second fetch killed there, and
    then a fetch that finds arXiv failing (it can only tidy up and log): what each left."""
    outcomes = []
    with ArxivServer() as server:
        serve(server, second=True)
        for point in range(1, MOST_POINTS):
            root = tmp_path_factory.mktemp(f"killed-{point}") / "site"
            shutil.copytree(fetched_once.root, root)
            project = Project(root, KEYWORDS)
            before = len(server.requests)
            code = kill_at(point, root, server)
            asked = len(server.requests) > before
            if code == 0:
                break  # the fetch wrote at fewer points than this: each was tried
            assert code == -signal.SIGKILL
            server.fail_always(status(503, "0"))
            fetch(CONFIG, Store(project.store), settings(server), lock_wait=0)
            server.faults.clear()
            outcomes.append((point, asked, project))
    return outcomes


def test_a_fetch_is_killed_at_every_point_where_it_writes(killed_at_every_point):
    assert len(killed_at_every_point) >= 15


def test_after_a_kill_the_next_fetch_leaves_no_temporary_file(killed_at_every_point):
    left = {point: leftovers(p.store) for point, _, p in killed_at_every_point}
    assert left == {point: [] for point in left}


def test_after_a_kill_the_store_holds_all_or_none_of_what_the_killed_fetch_brought(
    killed_at_every_point, fetched_once
):
    held = {point: stored_ids(p) for point, _, p in killed_at_every_point}
    partly = {point: ids for point, ids in held.items() if ids not in (FIRST, FIRST | SECOND)}
    assert partly == {}
    # Both happen: killed before its write was decided, and after.
    assert {frozenset(ids) for ids in held.values()} == {
        frozenset(FIRST),
        frozenset(FIRST | SECOND),
    }
    unchanged = fetched_once.stored_days()
    for point, ids in held.items():
        if ids == FIRST:
            project = next(p for k, _, p in killed_at_every_point if k == point)
            assert project.stored_days() == unchanged, point


def test_after_a_kill_the_fetch_log_says_what_the_killed_fetch_did(killed_at_every_point):
    for point, asked, project in killed_at_every_point:
        first, *killed, last = project.runs()
        assert not first.failed
        assert last.keyword("topic-a").outcome == Outcome.FAILED
        if stored_ids(project) == FIRST | SECOND:
            # Its write was decided: the next fetch finished it, its own line included.
            (run,) = killed
            assert (run.keyword("topic-a").new, run.keyword("topic-b").new) == (2, 2), point
        elif asked:
            (run,) = killed
            assert run.error.endswith(
                "did not finish: it was stopped before it stored anything it fetched"
            ), point
        else:
            assert len(killed) <= 1, point  # killed before asking: a note at most


def test_after_a_kill_the_next_fetch_stores_what_the_killed_one_did_not(
    killed_at_every_point,
):
    with ArxivServer() as server:
        serve(server, second=True)
        for _, _, project in killed_at_every_point:
            fetch(CONFIG, Store(project.store), settings(server), lock_wait=0)
            assert stored_ids(project) == FIRST | SECOND


# -- a full disk ------------------------------------------------------------------------------

DAY_FILE_WRITE = re.compile(r"/\.\d{4}-\d{2}-\d{2}\.json\.[^/]*\.tmp$")


def disk_full_for(monkeypatch, written: re.Pattern[str]) -> None:
    """From now on, a write to a file whose path matches ``written`` finds the disk full."""
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if written.search(os.readlink(f"/proc/self/fd/{fd}")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(writing.os, "write", write)


@pytest.fixture
def site(tmp_path, fetched_once) -> Project:
    root = tmp_path / "site"
    shutil.copytree(fetched_once.root, root)
    return Project(root, KEYWORDS)


def test_a_full_disk_is_one_message_naming_the_day_file_and_nothing_is_stored(
    site, arxiv_server, monkeypatch
):
    serve(arxiv_server, second=True)
    before = site.stored_days()
    disk_full_for(monkeypatch, DAY_FILE_WRITE)
    with pytest.raises(StoreWriteError) as failed:
        fetch(CONFIG, Store(site.store), settings(arxiv_server))
    day_file = site.store / "2026" / "2026-03-03.json"
    assert str(failed.value) == (
        f"cannot write {day_file}: No space left on device; nothing this fetch found was stored"
    )
    assert site.stored_days() == before
    assert leftovers(site.store) == []


def test_a_full_disk_for_the_day_files_still_logs_the_run_and_its_cause(
    site, arxiv_server, monkeypatch
):
    serve(arxiv_server, second=True)
    disk_full_for(monkeypatch, DAY_FILE_WRITE)
    with pytest.raises(StoreWriteError):
        fetch(CONFIG, Store(site.store), settings(arxiv_server))
    _, run = site.runs()
    assert run.error.startswith("nothing it fetched was stored: cannot write ")
    assert run.error.endswith("2026-03-03.json: No space left on device")
    assert [(k.slug, k.outcome, k.reason) for k in run.keywords] == [
        (slug, Outcome.FAILED, "fetched, but it could not be stored")
        for slug in ("topic-a", "topic-b")
    ]


def test_a_full_disk_stops_the_fetch_before_it_asks_arxiv_anything(site, arxiv_server, monkeypatch):
    serve(arxiv_server, second=True)
    before = site.stored()
    disk_full_for(monkeypatch, re.compile(""))
    with pytest.raises(StoreWriteError) as failed:
        fetch(CONFIG, Store(site.store), settings(arxiv_server))
    assert str(failed.value) == (
        f"cannot write {site.store / LOCK_NAME}: No space left on device; nothing was fetched, "
        "and the fetch log could not be written either"
    )
    assert arxiv_server.requests == []
    assert site.stored() == before


def test_arxiv_digest_fetch_on_a_full_disk_exits_1_with_one_line_and_no_traceback(
    site, arxiv_server, monkeypatch, capsys
):
    serve(arxiv_server, second=True)
    for key in [key for key in os.environ if key.startswith("ARXIV_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ARXIV_API_URL", arxiv_server.url)
    monkeypatch.setenv("ARXIV_DELAY", "0")
    monkeypatch.chdir(site.root)
    disk_full_for(monkeypatch, DAY_FILE_WRITE)
    assert arxiv_digest_main(["fetch", "-s", "no-such-settings.py"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line.lower()]
    assert errors == [
        "error: cannot write content/papers/2026/2026-03-03.json: No space left on device; "
        "nothing this fetch found was stored"
    ]
