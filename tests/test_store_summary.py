"""scripts/store_summary.py: the message of the publish workflow's store commit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from arxiv_digest.store import Day, day_path, dump_day

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

    result = repo.summary()

    assert result.returncode == 1
    assert result.stdout == ""
    assert "no day file under content/papers is staged" in result.stderr
