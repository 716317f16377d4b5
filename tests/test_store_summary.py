"""scripts/store_summary.py: the message of the publish workflow's store commit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from arxiv_digest.model.fetchlog import KeywordRun, Outcome, Run, log_path, record_run
from arxiv_digest.model.store import Day, day_path, dump_day

from .conftest import ROOT, make_paper

SCRIPT = ROOT / "scripts" / "store_summary.py"
# A repository of its own: no user or system git configuration (signing, hooks) applies.
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


class Repo:
    """A git repository with a store under content/papers/, as the workflow sees it."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir()
        self.git("init", "--quiet")
        (root / "README.md").write_text("site\n", encoding="utf-8")
        self.commit("start")

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, env=GIT_ENV, check=True, capture_output=True, text=True
        ).stdout

    def write_day(self, day: str, papers) -> None:
        path = day_path(self.root / "content" / "papers", date.fromisoformat(day))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_day(Day(date.fromisoformat(day), tuple(papers))), encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--message", message)

    def summary(self) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(SCRIPT)],
            cwd=self.root,
            env=GIT_ENV,
            capture_output=True,
            text=True,
        )


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path / "repo")


def test_a_new_day_is_named_with_its_new_and_revised_papers(repo):
    repo.write_day(
        "2026-02-03",
        [make_paper("2602.00001"), make_paper("2602.00002"), make_paper("2601.00009", version=2)],
    )
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "arXiv 2026-02-03: 2 new papers, 1 revised\n\n2026-02-03: 2 new, 1 revised\n"
    )


def test_a_day_that_grew_counts_only_what_it_gained(repo):
    stored = make_paper("2602.00001")
    repo.write_day("2026-02-03", [stored, make_paper("2602.00002")])
    repo.commit("the store before the fetch")
    repo.write_day(
        "2026-02-03",
        [
            stored.with_keywords([*stored.keywords, "testing"]),  # matched one more keyword
            make_paper("2602.00002"),
            make_paper("2602.00003"),
            make_paper("2602.00002", version=2),
        ],
    )
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.stdout.splitlines()[0] == "arXiv 2026-02-03: 1 new paper, 1 revised, 1 updated"


def test_several_days_give_the_first_and_last_day_and_a_line_per_day_newest_first(repo):
    repo.write_day("2026-02-02", [make_paper("2602.00001")])
    repo.write_day("2026-01-29", [make_paper("2601.00001", version=3)])
    repo.write_day("2026-02-03", [make_paper("2602.00002"), make_paper("2602.00003")])
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.stdout.splitlines() == [
        "arXiv 2026-01-29 to 2026-02-03 (3 days): 3 new papers, 1 revised",
        "",
        "2026-02-03: 2 new, 0 revised",
        "2026-02-02: 1 new, 0 revised",
        "2026-01-29: 0 new, 1 revised",
    ]


def test_only_staged_changes_count_and_none_is_an_error_so_no_empty_commit_is_made(repo):
    repo.write_day("2026-02-03", [make_paper("2602.00001")])  # written, not staged
    logged_run(repo, TUESDAY_RUN, KeywordRun("vlm", Outcome.OK, new=1))  # nor this

    result = repo.summary()

    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        "no day file under content/papers is staged, and its fetch log gained no run"
        in result.stderr
    )


# -- the fetch log: every run is committed, with or without news ---------------------------

MONDAY_RUN = datetime(2026, 11, 30, 1, 47, 5, tzinfo=UTC)
TUESDAY_RUN = datetime(2026, 12, 1, 1, 47, 9, tzinfo=UTC)


def logged_run(repo: Repo, started: datetime, *keywords: KeywordRun, **fields) -> None:
    """Record a run in the repository's fetch log, as a fetch does."""
    run = Run(started, started + timedelta(seconds=20), keywords, **fields)
    record_run(log_path(repo.root / "content" / "papers"), run)


def test_a_run_that_found_nothing_is_committed_as_nothing_new_on_the_day_it_ran(repo):
    repo.write_day("2026-11-30", [make_paper("2611.00001")])
    logged_run(repo, MONDAY_RUN, KeywordRun("vlm", Outcome.OK, new=1))
    repo.commit("the store after Monday's run")
    logged_run(repo, TUESDAY_RUN, KeywordRun("vlm", Outcome.OK))
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.returncode == 0, result.stderr
    assert result.stdout == "arXiv 2026-12-01: nothing new\n"


def test_the_first_logged_run_with_papers_is_named_by_its_days_as_before(repo):
    repo.write_day("2026-12-01", [make_paper("2612.00001"), make_paper("2612.00002")])
    logged_run(repo, TUESDAY_RUN, KeywordRun("vlm", Outcome.OK, new=2))
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.stdout.splitlines() == [
        "arXiv 2026-12-01: 2 new papers, 0 revised",
        "",
        "2026-12-01: 2 new, 0 revised",
    ]


def test_a_failed_run_says_which_keywords_failed_and_why(repo):
    logged_run(repo, MONDAY_RUN, KeywordRun("vlm", Outcome.OK))
    repo.commit("the store after Monday's run")
    repo.write_day("2026-12-01", [make_paper("2612.00001")])
    logged_run(
        repo,
        TUESDAY_RUN,
        KeywordRun("vlm", Outcome.OK, new=1),
        KeywordRun("vad", Outcome.FAILED, reason="HTTP 503 from arXiv"),
        KeywordRun("mamba", Outcome.SKIPPED, reason="arXiv cannot be reached"),
    )
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.stdout.splitlines() == [
        "arXiv 2026-12-01: 1 new paper, 0 revised; fetch failed for 2 of 3 keywords",
        "",
        "2026-12-01: 1 new, 0 revised",
        "vad: failed: HTTP 503 from arXiv",
        "mamba: skipped: arXiv cannot be reached",
    ]


def test_a_run_that_failed_as_a_whole_says_why(repo):
    logged_run(repo, TUESDAY_RUN, error="content/papers/2026/2026-11-30.json: line 1: oops")
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.stdout.splitlines() == [
        "arXiv 2026-12-01: nothing new; fetch failed",
        "",
        "fetch failed: content/papers/2026/2026-11-30.json: line 1: oops",
    ]


def test_a_fetch_log_that_does_not_parse_is_named_and_nothing_is_committed(repo):
    path = log_path(repo.root / "content" / "papers")
    path.parent.mkdir(parents=True)
    path.write_text("not a run\n", encoding="utf-8")
    repo.git("add", "content/papers")

    result = repo.summary()

    assert result.returncode == 1
    assert result.stdout == ""
    assert "content/papers/fetch-log.jsonl: line 1: " in result.stderr
