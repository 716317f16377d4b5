"""Fetching as a user runs it: inside ``pelican content`` and as ``python -m arxiv_digest fetch``.

In-process builds use :meth:`Project.build` with the environment set as a user would set
it. ``--fatal errors`` changes Pelican's logging for the whole process, so it is only
tried in real ``pelican`` subprocesses, on a project with its own settings file (which
names arxiv.org with a 3 s delay: the environment points it at the loopback server).
Each subprocess scenario runs once per module and its tests look at one outcome each.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from arxiv_digest.__main__ import main as arxiv_digest_main
from arxiv_digest.fetching.fetch import fetch
from arxiv_digest.fetching.query import build_query
from arxiv_digest.model import fetchlog
from arxiv_digest.model.keywords import parse
from arxiv_digest.model.settings import FetchSettings
from arxiv_digest.model.store import Store
from arxiv_digest_dev.arxiv_server import HANG, ArxivServer, Fault, numbered_paper, status
from arxiv_digest_dev.sites import SUBPROCESS_LIMIT, make_site

from .conftest import Project, make_paper, recorded_testing_search

TWO_KEYWORDS = """\
keywords:
  - name: Video Anomaly Detection
    slug: vad
    terms: ["video anomaly detection"]
  - name: Vision Language Model
    slug: vlm
    terms: [VLM]
"""
THREE_KEYWORDS = (
    TWO_KEYWORDS
    + """\
  - name: Software Testing
    slug: testing
    query: testing
    max_papers: 60
"""
)
CONFIG = parse(THREE_KEYWORDS)


def serve_keywords(server: ArxivServer) -> set[str]:
    """Serve every keyword's papers (`testing` replays the recorded search); their ids."""
    server.serve(build_query(CONFIG.keyword("vad")), [numbered_paper(1), numbered_paper(2)])
    server.serve(
        build_query(CONFIG.keyword("vlm")),
        [numbered_paper(2), numbered_paper(3), numbered_paper(4)],
    )
    return {"2603.00001v1", "2603.00002v1", "2603.00003v1", "2603.00004v1"}


def every_paper() -> set[str]:
    """What a complete fetch of the three keywords stores."""
    testing = {versioned_id for versioned_id, _ in recorded_testing_search()}
    return {"2603.00001v1", "2603.00002v1", "2603.00003v1", "2603.00004v1"} | testing


def stored_ids(project: Project) -> set[str]:
    return {
        f"{p['id']}v{p['version']}" for papers in project.stored_papers().values() for p in papers
    }


def run_command(site: Project, server: ArxivServer, *command: str) -> subprocess.CompletedProcess:
    """Run a command in the site folder, pointed at ``server`` by the environment alone."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ARXIV_")}
    env.update(
        ARXIV_FETCH="1", ARXIV_API_URL=server.url, ARXIV_DELAY="0", NO_COLOR="1", COLUMNS="200"
    )
    return subprocess.run(
        [sys.executable, *command],
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_LIMIT,
        check=False,
    )


def pelican(site: Project, server: ArxivServer) -> subprocess.CompletedProcess:
    return run_command(site, server, "-m", "pelican", "content", "--fatal", "errors")


def logged_error(result: subprocess.CompletedProcess) -> str:
    """The text of the ERROR that Pelican logged, up to the next log record."""
    match = re.search(
        r"ERROR\s+(.*?)(?=^\S|\Z|CRITICAL)", result.stdout + result.stderr, re.S | re.M
    )
    assert match, result.stdout + result.stderr
    return " ".join(match[1].split())


# -- in-process builds -----------------------------------------------------------------------


@pytest.fixture
def site(tmp_path) -> Project:
    return make_site(tmp_path / "site", TWO_KEYWORDS)


@pytest.fixture(autouse=True)
def environment(monkeypatch, arxiv_server) -> None:
    """Every build and fetch here asks the loopback server, never arxiv.org; fetching is off."""
    for key in [key for key in os.environ if key.startswith("ARXIV_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ARXIV_API_URL", arxiv_server.url)
    monkeypatch.setenv("ARXIV_DELAY", "0")


@pytest.fixture
def fetching(monkeypatch) -> None:
    """Fetching turned on for this process's builds, as a user's shell would."""
    monkeypatch.setenv("ARXIV_FETCH", "1")


def test_a_build_with_fetching_on_fills_an_empty_store(site, arxiv_server, fetching):
    expected = serve_keywords(arxiv_server)
    site.build()
    assert stored_ids(site) == expected


def test_a_build_with_fetching_on_shows_the_papers_it_fetched(site, arxiv_server, fetching):
    serve_keywords(arxiv_server)
    site.build()
    shown = {a["id"] for a in site.page("/keywords/vlm/").select("article.paper")}
    assert shown == {"2603.00002", "2603.00003", "2603.00004"}


def test_a_second_build_changes_no_byte_and_asks_once_per_keyword(site, arxiv_server, fetching):
    serve_keywords(arxiv_server)
    site.build()
    before = site.stored_days()
    arxiv_server.requests.clear()
    site.build()
    assert len(arxiv_server.requests) == 2
    assert site.stored_days() == before
    _, second = site.runs()  # each build's fetch is logged
    assert second.changed_days == ()
    assert not second.failed


def test_the_fetch_setting_alone_turns_fetching_on(site, arxiv_server):
    expected = serve_keywords(arxiv_server)
    site.build(ARXIV_FETCH=True)
    assert stored_ids(site) == expected


def test_a_build_does_not_fetch_unless_asked(site, arxiv_server):
    serve_keywords(arxiv_server)
    site.build()
    assert arxiv_server.requests == []


def test_the_environment_turns_fetching_off_when_the_settings_turn_it_on(
    site, arxiv_server, monkeypatch
):
    monkeypatch.setenv("ARXIV_FETCH", "0")
    site.build(ARXIV_FETCH=True)
    assert arxiv_server.requests == []


def test_a_failed_fetch_logs_one_error_naming_each_keyword_and_its_cause(
    site, arxiv_server, fetching, caplog
):
    arxiv_server.fail_always(status(503, "0"))
    with caplog.at_level(logging.ERROR):
        site.build()
    (error,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Video Anomaly Detection: FAILED after 4 requests: HTTP 503 from arXiv" in error
    assert "Vision Language Model: FAILED after 4 requests: HTTP 503 from arXiv" in error


def test_a_failed_fetch_leaves_the_store_and_builds_the_site_from_it(site, arxiv_server, fetching):
    site.add_day("2026-03-03", [make_paper("2603.09999", keywords=("vad",))])
    before = site.stored_days()
    arxiv_server.fail_always(status(503, "0"))
    site.build()
    assert site.stored_days() == before
    (failed,) = site.runs()
    assert [(k.slug, k.outcome, k.reason) for k in failed.keywords] == [
        ("vad", fetchlog.Outcome.FAILED, "HTTP 503 from arXiv"),
        ("vlm", fetchlog.Outcome.FAILED, "HTTP 503 from arXiv"),
    ]
    shown = site.page("/2026/03/03/").select("article.paper")
    assert [a["id"] for a in shown] == ["2603.09999"]


def test_a_broken_store_file_is_named_in_an_error_and_nothing_is_fetched(
    site, arxiv_server, fetching, caplog
):
    broken = site.add_day("2026-03-03", [make_paper("2603.09999", keywords=("vad",))])
    broken.write_text('{"format": 1, "day": "2026-03-03", "papers": [', encoding="utf-8")
    before = site.stored_days()
    with caplog.at_level(logging.ERROR):
        site.build()
    assert arxiv_server.requests == []
    assert site.stored_days() == before
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("nothing was fetched" in m and str(broken) in m for m in errors)
    (logged,) = site.runs()
    assert str(broken) in logged.error


def test_a_broken_fetch_log_is_named_in_an_error_nothing_is_fetched_and_the_site_is_built(
    site, arxiv_server, fetching, caplog
):
    site.add_day("2026-03-03", [make_paper("2603.09999", keywords=("vad",))])
    log = fetchlog.log_path(site.store)
    log.write_text("not a run\n", encoding="utf-8")
    before = site.stored()
    with caplog.at_level(logging.ERROR):
        site.build()
    assert arxiv_server.requests == []
    assert site.stored() == before  # the log too: it is not written over
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("nothing was fetched" in m and f"{log}: line 1: " in m for m in errors)
    shown = site.page("/2026/03/03/").select("article.paper")
    assert [a["id"] for a in shown] == ["2603.09999"]


# -- pelican content --fatal errors, as the publish workflow runs it ------------------------


@dataclass
class Outcome:
    """What a ``pelican content --fatal errors`` run left behind."""

    site: Project
    result: subprocess.CompletedProcess
    before: dict[str, bytes]  # the store before the run
    requests: int


def pelican_run(tmp_path_factory, fault: Fault | None = None, runs: int = 1) -> list[Outcome]:
    """Run ``pelican content`` ``runs`` times on a fresh site; with a fault, the store is
    first filled by a good fetch and then arXiv always fails."""
    site = make_site(tmp_path_factory.mktemp("site"), THREE_KEYWORDS)
    outcomes = []
    with ArxivServer() as server:
        serve_keywords(server)
        if fault:
            settings = FetchSettings(api_url=server.url, delay=0, page_size=10)
            assert not fetch(CONFIG, Store(site.store), settings).failures
            server.fail_always(fault)
        for _ in range(runs):
            server.requests.clear()
            before = site.stored_days()
            result = pelican(site, server)
            outcomes.append(Outcome(site, result, before, len(server.requests)))
    return outcomes


@pytest.fixture(scope="module")
def two_good_runs(tmp_path_factory) -> list[Outcome]:
    return pelican_run(tmp_path_factory, runs=2)


@pytest.fixture(scope="module")
def arxiv_503(tmp_path_factory) -> Outcome:
    (outcome,) = pelican_run(tmp_path_factory, status(503, "0"))
    return outcome


@pytest.fixture(scope="module")
def arxiv_hanging(tmp_path_factory) -> Outcome:
    (outcome,) = pelican_run(tmp_path_factory, HANG)
    return outcome


def test_pelican_content_with_fetching_exits_0(two_good_runs):
    first, second = two_good_runs
    assert first.result.returncode == 0, first.result.stdout + first.result.stderr
    assert second.result.returncode == 0, second.result.stdout + second.result.stderr


def test_pelican_content_fills_an_empty_store_with_every_matching_paper(two_good_runs):
    first, _ = two_good_runs
    assert first.before == {}
    assert stored_ids(first.site) == every_paper()


def test_pelican_content_builds_the_fetched_papers_into_the_site(two_good_runs):
    site = two_good_runs[0].site
    for keyword in CONFIG.keywords:
        assert site.page(f"/keywords/{keyword.slug}/").select("article.paper"), keyword.slug
    assert (site.output / "2026" / "03" / "03" / "index.html").is_file()


def test_pelican_content_shows_fetch_progress(two_good_runs):
    output = two_good_runs[0].result.stdout + two_good_runs[0].result.stderr
    assert "[3/3] Software Testing: 30 papers so far" in output
    assert "arXiv fetch: 8 requests" in output


def test_a_second_pelican_run_changes_no_byte(two_good_runs):
    first, second = two_good_runs
    assert second.before == first.site.stored_days()
    assert second.before != {}


def test_a_second_pelican_run_makes_one_request_per_keyword(two_good_runs):
    assert two_good_runs[1].requests == len(CONFIG.keywords)


def test_with_arxiv_answering_503_fatal_errors_makes_pelican_exit_non_zero(arxiv_503):
    assert arxiv_503.result.returncode == 1


def test_with_arxiv_answering_503_the_error_names_each_keyword_and_the_cause(arxiv_503):
    error = logged_error(arxiv_503.result)
    assert error.startswith("arXiv fetch failed; the site was built from the papers already")
    for keyword in CONFIG.keywords:
        assert f"{keyword.name}: FAILED after 2 requests: HTTP 503 from arXiv" in error


def test_with_arxiv_answering_503_the_store_is_unchanged(arxiv_503):
    assert arxiv_503.site.stored_days() == arxiv_503.before


def test_with_arxiv_answering_503_the_fetch_log_says_each_keyword_failed_and_why(arxiv_503):
    good, failed = arxiv_503.site.runs()
    assert not good.failed
    assert {(k.outcome, k.reason) for k in failed.keywords} == {
        (fetchlog.Outcome.FAILED, "HTTP 503 from arXiv")
    }


def test_with_arxiv_answering_503_the_site_is_still_written(arxiv_503):
    site = arxiv_503.site
    shown = {a["id"] for a in site.page("/2026/03/03/").select("article.paper")}
    assert shown == {"2603.00001", "2603.00002", "2603.00003", "2603.00004"}
    assert (site.output / "feeds" / "all.atom.xml").is_file()


def test_with_arxiv_hanging_the_build_loses_two_short_timeouts_not_minutes(arxiv_hanging):
    # What a hanging arXiv costs the build: two requests, each cut at the 0.5 s timeout of
    # the settings, and no request for the other keywords. (The retry waits are checked
    # in-process, where sleeping is recorded: test_fetch.py.)
    assert arxiv_hanging.requests == 2
    error = logged_error(arxiv_hanging.result)
    assert "FAILED after 2 requests: " in error
    assert "did not answer within 0.5 s" in error
    assert error.count(": skipped: ") == 2  # Vision Language Model and Software Testing


def test_with_arxiv_hanging_fatal_errors_makes_pelican_exit_non_zero(arxiv_hanging):
    assert arxiv_hanging.result.returncode == 1


def test_with_arxiv_hanging_the_error_names_each_keyword_and_the_cause(arxiv_hanging):
    error = logged_error(arxiv_hanging.result)
    assert "Video Anomaly Detection: FAILED after 2 requests: " in error
    assert "did not answer within 0.5 s" in error
    assert "Vision Language Model: skipped: " in error


def test_with_arxiv_hanging_the_store_is_unchanged(arxiv_hanging):
    assert arxiv_hanging.site.stored_days() == arxiv_hanging.before


def test_with_arxiv_hanging_the_site_is_still_written(arxiv_hanging):
    shown = arxiv_hanging.site.page("/2026/03/03/").select("article.paper")
    assert len(shown) == 4


# -- python -m arxiv_digest fetch ------------------------------------------------------------


def test_arxiv_digest_fetch_fills_the_store_without_building_and_exits_0(site, arxiv_server):
    expected = serve_keywords(arxiv_server)
    result = run_command(site, arxiv_server, "-m", "arxiv_digest", "fetch")
    assert result.returncode == 0, result.stderr
    assert stored_ids(site) == expected
    assert not site.output.exists()
    assert "[1/2] Video Anomaly Detection: asking arXiv" in result.stderr


def test_arxiv_digest_fetch_exits_1_when_a_keyword_fails(site, arxiv_server, monkeypatch):
    serve_keywords(arxiv_server)
    monkeypatch.chdir(site.root)
    assert arxiv_digest_main(["fetch"]) == 0
    before = site.stored_days()
    arxiv_server.fail_next(status(503, "0"), status(503, "0"))  # both attempts of one keyword
    assert arxiv_digest_main(["fetch"]) == 1
    assert site.stored_days() == before
    assert site.runs()[-1].failed


def test_arxiv_digest_fetch_exits_2_on_a_broken_fetch_log_and_says_what_to_do(
    site, arxiv_server, monkeypatch, capsys
):
    serve_keywords(arxiv_server)
    log = fetchlog.log_path(site.store)
    log.write_text('{"format": 1}\n', encoding="utf-8")
    monkeypatch.chdir(site.root)
    assert arxiv_digest_main(["fetch"]) == 2
    err = capsys.readouterr().err
    assert f"error: nothing was fetched: {log}: line 1: " in err
    assert "or delete it" in err
    assert log.read_text(encoding="utf-8") == '{"format": 1}\n'
    assert arxiv_server.requests == []


def test_arxiv_digest_fetch_exits_2_on_a_bad_keywords_file(site, arxiv_server, monkeypatch):
    site.keywords_file.write_text("keywords:\n  - name: No terms\n", encoding="utf-8")
    monkeypatch.chdir(site.root)
    assert arxiv_digest_main(["fetch"]) == 2
    assert arxiv_server.requests == []


def test_arxiv_digest_fetch_exits_2_on_an_unreadable_store_file(
    site, arxiv_server, monkeypatch, capsys
):
    broken = site.add_day("2026-03-03", [make_paper("2603.09999", keywords=("vad",))])
    broken.write_text("{", encoding="utf-8")
    monkeypatch.chdir(site.root)
    assert arxiv_digest_main(["fetch"]) == 2
    assert str(broken) in capsys.readouterr().err
    assert broken.read_text(encoding="utf-8") == "{"
    assert arxiv_server.requests == []


def test_arxiv_digest_fetch_refuses_a_short_delay_for_arxiv_org(site, monkeypatch, capsys):
    monkeypatch.delenv("ARXIV_API_URL")
    monkeypatch.setenv("ARXIV_DELAY", "1")
    monkeypatch.chdir(site.root)
    assert arxiv_digest_main(["fetch"]) == 2
    assert "ARXIV_DELAY=1 is under the 3 s" in capsys.readouterr().err
