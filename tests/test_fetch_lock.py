"""One writer per store: two fetches at once lose nothing, a second fetch waits and then
gives up naming the first, and a killed fetch never leaves the store locked."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest

from arxiv_digest.__main__ import main as arxiv_digest_main
from arxiv_digest.fetching import fetch as fetch_module
from arxiv_digest.fetching.fetch import fetch
from arxiv_digest.fetching.query import build_query
from arxiv_digest.model.keywords import parse
from arxiv_digest.model.lock import LOCK_NAME, Holder, StoreBusy, hold_store
from arxiv_digest.model.settings import FetchSettings
from arxiv_digest.model.store import Store
from arxiv_digest_dev.arxiv_server import ArxivServer, entry, recorded_entries
from arxiv_digest_dev.sites import SUBPROCESS_LIMIT

from .conftest import Project, make_paper

BASE = recorded_entries()
ROUNDS = 10
SIDES = ("a", "b")
STARTED = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)
WAITING = "Another fetch is writing the store"


def keywords_yaml(side: str) -> str:
    return (
        f'keywords:\n  - name: Topic {side}\n    slug: topic-{side}\n    terms: ["topic {side}"]\n'
    )


def query(side: str) -> str:
    return build_query(parse(keywords_yaml(side)).keywords[0])


def paper(number: int) -> bytes:
    """A real entry as paper 2603.<number>v1; every one is announced on the same day, so
    both fetches write the same day file."""
    return entry(
        BASE[number % len(BASE)],
        arxiv_id=f"2603.{number:05d}",
        version=1,
        updated="2026-03-02T15:00:00Z",
        published="2026-03-02T15:00:00Z",
    )


def two_sites_on_one_store(root: Path) -> Project:
    """One store, and a settings file and keywords.yaml per side (conf_a.py, conf_b.py)."""
    project = Project(root)
    for side in SIDES:
        (root / f"keywords-{side}.yaml").write_text(keywords_yaml(side), encoding="utf-8")
        (root / f"conf_{side}.py").write_text(
            f'PATH = "content"\nTIMEZONE = "UTC"\nARXIV_KEYWORDS_FILE = "keywords-{side}.yaml"\n',
            encoding="utf-8",
        )
    return project


class SameMoment:
    """Holds each arXiv answer until the other fetch has asked too, is waiting for the
    store's lock, or has ended: the two fetches overlap as far as the lock lets them."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.ready: set[str] = set()
        self.waited: list[str] = []
        self.sides = {query(side): side for side in SIDES}

    def gate(self, params: dict[str, str]) -> None:
        self.mark(self.sides[params["search_query"]])
        with self.changed:
            self.changed.wait_for(lambda: self.ready >= set(SIDES), timeout=SUBPROCESS_LIMIT)

    def mark(self, side: str) -> None:
        with self.changed:
            self.ready.add(side)
            self.changed.notify_all()

    def watch(self, side: str, process: subprocess.Popen) -> None:
        """Read a fetch's progress; a fetch waiting for the lock, or ended, is ready."""
        for line in process.stderr:
            if WAITING in line:
                self.waited.append(side)
                self.mark(side)
        self.mark(side)


def run_two_fetches_at_once(project: Project, server: ArxivServer, moment: SameMoment) -> list:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ARXIV_")}
    env.update(ARXIV_API_URL=server.url, ARXIV_DELAY="0")
    moment.ready.clear()
    processes = {
        side: subprocess.Popen(
            [sys.executable, "-m", "arxiv_digest", "fetch", "-s", f"conf_{side}.py"],
            cwd=project.root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for side in SIDES
    }
    watchers = [
        threading.Thread(target=moment.watch, args=(side, process))
        for side, process in processes.items()
    ]
    for watcher in watchers:
        watcher.start()
    codes = [process.wait(timeout=SUBPROCESS_LIMIT) for process in processes.values()]
    for watcher in watchers:
        watcher.join()
    return codes


@pytest.fixture(scope="module")
def ten_rounds(tmp_path_factory):
    """Ten rounds of two fetches at once on one store, each asking for a new paper of its
    own keyword: what they exited with, which waited, and the store they left."""
    project = two_sites_on_one_store(tmp_path_factory.mktemp("race") / "site")
    moment = SameMoment()
    served: dict[str, list[bytes]] = {side: [] for side in SIDES}
    codes = []
    with ArxivServer() as server:
        server.gate = moment.gate
        for number in range(ROUNDS):
            for index, side in enumerate(SIDES):
                served[side].insert(0, paper(2 * number + index + 1))
                server.serve(query(side), list(served[side]))
            codes.append(run_two_fetches_at_once(project, server, moment))
    return project, codes, moment.waited


def test_two_fetches_at_once_both_succeed(ten_rounds):
    _, codes, _ = ten_rounds
    assert codes == [[0, 0]] * ROUNDS


def test_two_fetches_at_once_lose_no_paper(ten_rounds):
    project, _, _ = ten_rounds
    stored = {p["id"] for papers in project.stored_papers().values() for p in papers}
    assert stored == {f"2603.{n:05d}" for n in range(1, 2 * ROUNDS + 1)}


def test_two_fetches_at_once_lose_no_fetch_log_line(ten_rounds):
    project, _, _ = ten_rounds
    runs = project.runs()
    assert len(runs) == 2 * ROUNDS
    assert sorted(k.slug for run in runs for k in run.keywords) == sorted(
        ["topic-a", "topic-b"] * ROUNDS
    )
    assert all(run.keyword(run.keywords[0].slug).new == 1 for run in runs)


def test_of_two_fetches_at_once_one_waits_for_the_other_and_says_so(ten_rounds):
    _, _, waited = ten_rounds
    assert len(waited) == ROUNDS


# -- waiting, giving up, and locks left by killed fetches ------------------------------------


@pytest.fixture
def site(tmp_path) -> Project:
    project = Project(tmp_path / "site", keywords_yaml("a"))
    (project.root / "pelicanconf.py").write_text(
        'PATH = "content"\nTIMEZONE = "UTC"\nARXIV_KEYWORDS_FILE = "keywords.yaml"\n',
        encoding="utf-8",
    )
    return project


def settings(server: ArxivServer) -> FetchSettings:
    return FetchSettings(api_url=server.url, delay=0.0, timeout=(2.0, 2.0))


def this_process() -> Holder:
    return Holder(os.getpid(), socket.gethostname(), STARTED)


def test_a_second_fetch_gives_up_after_its_wait_naming_the_fetch_that_holds_the_store(
    site, arxiv_server
):
    arxiv_server.serve(query("a"), [paper(1)])
    with hold_store(site.store) as held:
        held.claim(this_process())
        with pytest.raises(StoreBusy) as refused:
            fetch(parse(keywords_yaml("a")), Store(site.store), settings(arxiv_server), lock_wait=0)
    holder = f"process {os.getpid()} on {socket.gethostname()}, started 2026-03-02 15:04:05 UTC"
    assert f"another fetch is writing the store {site.store} ({holder})" in str(refused.value)
    assert arxiv_server.requests == []
    assert site.stored() == {}


def test_arxiv_digest_fetch_exits_1_naming_the_fetch_that_holds_the_store(
    site, arxiv_server, monkeypatch, capsys
):
    monkeypatch.setenv("ARXIV_API_URL", arxiv_server.url)
    monkeypatch.setenv("ARXIV_DELAY", "0")
    monkeypatch.setattr(fetch_module, "LOCK_WAIT", 0.0)
    monkeypatch.chdir(site.root)
    with hold_store(site.store) as held:
        held.claim(this_process())
        assert arxiv_digest_main(["fetch"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: another fetch is writing the store {site.store.resolve()}")
    assert f"(process {os.getpid()} on {socket.gethostname()}, started 2026-03-02" in err
    assert "gave up after waiting 0 s" in err


def test_a_second_fetch_waits_for_the_first_to_finish_and_then_goes_on(tmp_path):
    said: list[str] = []
    with ExitStack() as first:
        first.enter_context(hold_store(tmp_path)).claim(this_process())

        def first_finishes(seconds: float) -> None:
            first.close()

        with hold_store(tmp_path, progress=said.append, sleep=first_finishes) as second:
            assert not second.interrupted  # the first finished: its line was emptied
    assert said == [
        f"{WAITING} (process {os.getpid()} on {socket.gethostname()}, started 2026-03-02 "
        "15:04:05 UTC): waiting up to 300 s for it to finish"
    ]


def test_a_fetch_that_finished_leaves_the_lock_file_empty(site, arxiv_server):
    arxiv_server.serve(query("a"), [paper(1)])
    fetch(parse(keywords_yaml("a")), Store(site.store), settings(arxiv_server))
    assert (site.store / LOCK_NAME).read_bytes() == b""


KILLED_HOLDER = """
import os, signal, socket, sys
from datetime import UTC, datetime
from pathlib import Path
from arxiv_digest.model.lock import Holder, hold_store
with hold_store(Path(sys.argv[1])) as held:
    held.claim(Holder(os.getpid(), socket.gethostname(), datetime(2026, 3, 2, 9, tzinfo=UTC)))
    os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_while_holding_the_lock(store: Path) -> int:
    """The pid of a process that took the store's lock and was killed (kill -9) holding it."""
    process = subprocess.run(
        [sys.executable, "-c", KILLED_HOLDER, str(store)], timeout=SUBPROCESS_LIMIT, check=False
    )
    assert process.returncode == -signal.SIGKILL
    return json.loads((store / LOCK_NAME).read_text(encoding="utf-8"))["pid"]


def test_the_lock_of_a_killed_fetch_is_free_at_once_and_the_log_says_it_did_not_finish(
    site, arxiv_server
):
    pid = killed_while_holding_the_lock(site.store)
    arxiv_server.serve(query("a"), [paper(1)])
    fetch(parse(keywords_yaml("a")), Store(site.store), settings(arxiv_server), lock_wait=0)
    stopped, this = site.runs()
    assert stopped.error == (
        f"the fetch by process {pid} on {socket.gethostname()}, started 2026-03-02 09:00:00 UTC "
        "did not finish: it was stopped before it stored anything it fetched"
    )
    assert stopped.started == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert not this.failed


def test_a_killed_fetch_named_in_the_lock_file_is_not_named_as_its_holder(site, arxiv_server):
    killed_while_holding_the_lock(site.store)
    # A new fetch holds the lock and has not written its own line yet.
    with hold_store(site.store), pytest.raises(StoreBusy) as refused:
        fetch(parse(keywords_yaml("a")), Store(site.store), settings(arxiv_server), lock_wait=0)
    assert f"({'it has not said which yet'})" in str(refused.value)
    assert "process" not in str(refused.value)


def test_the_lock_file_is_never_committed_with_the_store():
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", f"content/papers/{LOCK_NAME}"],
        cwd=Path(__file__).parents[1],
        capture_output=True,
        check=False,
    )
    assert ignored.returncode == 0


def test_a_build_while_another_fetch_holds_the_store_is_built_with_one_error_naming_it(
    arxiv_server, monkeypatch, tmp_path, caplog
):
    project = Project(tmp_path / "site")
    project.add_day("2026-03-03", [make_paper("2603.00001")])
    for key in [key for key in os.environ if key.startswith("ARXIV_")]:
        monkeypatch.delenv(key)
    monkeypatch.setattr(fetch_module, "LOCK_WAIT", 0.0)
    with hold_store(project.store) as held, caplog.at_level(logging.ERROR):
        held.claim(this_process())
        project.build(ARXIV_FETCH=True, ARXIV_API_URL=arxiv_server.url)
    (error,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert f"another fetch is writing the store {project.store}" in error
    assert f"(process {os.getpid()} on {socket.gethostname()}" in error
    assert arxiv_server.requests == []
    assert project.page("/2026/03/03/").select("article.paper")
