"""The GitHub Actions workflows: valid, least privilege, and safe when arXiv or the store fails.

GitHub cannot be run here, so these tests check the files against GitHub's workflow schema
(vendored in check-jsonschema, offline), read the properties that matter from them, and run
the publish job's two build steps, exactly as written, against a copy of this site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from arxiv_digest.model.fetchlog import KeywordRun, Outcome, Run, log_path, read_log, record_run
from arxiv_digest.model.store import Day, day_path, dump_day

from .conftest import ROOT, make_paper

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
TEST = WORKFLOWS / "test.yml"
# The publishing build, as README.md documents it; the publish workflow runs exactly this.
PUBLISH_COMMAND = "pelican content -s publishconf.py --fatal errors"
EASTERN = ZoneInfo("America/New_York")
SITEURL = "https://someone.github.io/arxiv-digest"
SCHEMA = "vendor.github-workflows"  # GitHub's workflow schema, shipped with check-jsonschema


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


@pytest.fixture(scope="module")
def publish() -> dict:
    return load(PUBLISH)


def steps_by_id(job: dict) -> dict[str, dict]:
    return {step["id"]: step for step in job["steps"] if "id" in step}


def uses(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def step_named(job: dict, name: str) -> dict:
    (step,) = [step for step in job["steps"] if step.get("name") == name]
    return step


def the_rebuild(build: dict) -> dict:
    rebuilds = [s for s in build["steps"] if s.get("env", {}).get("ARXIV_FETCH") == "0"]
    assert len(rebuilds) == 1, "one step rebuilds the site from the store, without fetching"
    return rebuilds[0]


# Validity


def test_the_workflows_pass_githubs_workflow_schema():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            SCHEMA,
            str(PUBLISH),
            str(TEST),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_release():
    for path in (PUBLISH, TEST):
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


def test_the_test_workflow_runs_ci_run_on_every_push_and_pull_request():
    workflow = load(TEST)
    assert set(workflow["on"]) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    assert job["steps"][-1]["run"] == "bash .ci/run"


# Schedule


def test_publish_runs_on_its_schedule_by_hand_and_on_every_push_to_main(publish):
    assert set(publish["on"]) == {"schedule", "workflow_dispatch", "push"}
    assert publish["on"]["push"] == {"branches": ["main"]}


def cron_matches(cron: str, moment: datetime) -> bool:
    """Whether a five-field cron (numbers, ranges, lists, *) fires at a UTC minute."""
    values = [moment.minute, moment.hour, moment.day, moment.month, moment.isoweekday() % 7]
    return all(
        any(part == "*" or _in_range(part, value) for part in field.split(","))
        for field, value in zip(cron.split(), values, strict=True)
    )


def _in_range(part: str, value: int) -> bool:
    low, _, high = part.partition("-")
    return int(low) <= value <= int(high or low)


@pytest.mark.parametrize(
    ("season", "sunday"),
    [("EST, UTC-5", datetime(2026, 1, 11)), ("EDT, UTC-4", datetime(2026, 7, 12))],
)
def test_publish_runs_once_after_each_announcement_sunday_to_thursday(publish, season, sunday):
    (schedule,) = publish["on"]["schedule"]
    start = sunday.replace(tzinfo=EASTERN).astimezone(ZoneInfo("UTC"))
    minutes = (start + timedelta(minutes=m) for m in range(7 * 24 * 60))
    runs = [m.astimezone(EASTERN) for m in minutes if cron_matches(schedule["cron"], m)]

    # arXiv announces at 20:00 US Eastern, Sunday (weekday 6) to Thursday (weekday 3).
    assert [run.weekday() for run in runs] == [6, 0, 1, 2, 3], season
    for run in runs:
        after_announcement = run - run.replace(hour=20, minute=0)
        assert timedelta(0) < after_announcement <= timedelta(hours=2), (season, run)


# Privileges and races


def test_only_the_store_job_can_write_the_repository_and_only_deploy_can_publish(publish):
    assert publish["permissions"] == {"contents": "read"}
    jobs = publish["jobs"]
    assert all("permissions" in job for job in jobs.values()), "every job says what it needs"

    def jobs_that_write(scope: str) -> set[str]:
        return {name for name, job in jobs.items() if job["permissions"].get(scope) == "write"}

    assert jobs_that_write("contents") == {"store"}
    assert "git push" in "\n".join(step.get("run", "") for step in jobs["store"]["steps"])
    assert jobs_that_write("pages") == jobs_that_write("id-token") == {"deploy"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [uses(step) for step in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]


def test_the_test_workflow_can_only_read():
    workflow = load(TEST)
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_no_secret_is_needed():
    for path in (PUBLISH, TEST):
        assert "secrets." not in path.read_text(encoding="utf-8")


def test_the_store_is_pushed_with_the_workflow_token_so_its_commit_starts_no_run(publish):
    # GitHub starts no workflow run for a push made with the workflow's own GITHUB_TOKEN:
    # that is what keeps the bot's commit from triggering publish again, in a loop.
    steps = publish["jobs"]["store"]["steps"]
    assert all("token" not in step.get("with", {}) for step in steps)
    assert "scripts/store_summary.py" in "\n".join(step.get("run", "") for step in steps)


def test_two_publish_runs_never_overlap(publish):
    assert publish["concurrency"]["group"]
    assert publish["concurrency"]["cancel-in-progress"] is False
    assert all("concurrency" not in job for job in publish["jobs"].values())


def test_a_run_builds_the_branch_as_it_is_when_it_starts_not_as_it_was_triggered(publish):
    # A run that waited for another must see the store commit that run pushed.
    (checkout, *_) = publish["jobs"]["build"]["steps"]
    assert uses(checkout) == "actions/checkout"
    assert checkout["with"]["ref"] == "${{ github.ref }}"


# Failures


def test_the_fetching_build_is_the_publish_command_the_readme_documents(publish):
    fetch = steps_by_id(publish["jobs"]["build"])["fetch"]
    assert fetch["run"] == PUBLISH_COMMAND
    assert fetch["env"] == {"SITEURL": "${{ steps.pages.outputs.base_url }}"}
    assert PUBLISH_COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_failed_fetch_publishes_a_rebuild_from_the_store_then_fails_the_run(publish):
    jobs = publish["jobs"]
    build = jobs["build"]
    steps = build["steps"]
    fetch = steps_by_id(build)["fetch"]
    rebuild = the_rebuild(build)
    assert fetch["continue-on-error"] is True
    assert rebuild["if"] == "steps.fetch.outcome == 'failure'"
    assert rebuild["run"] == PUBLISH_COMMAND
    assert build["outputs"]["fetch"] == "${{ steps.fetch.outcome }}"

    # Everything after the rebuild runs only if it passed: nothing is uploaded otherwise.
    later = steps[steps.index(rebuild) + 1 :]
    assert all("continue-on-error" not in s for s in later)
    assert not any(
        re.search(r"always\(\)|failure\(\)|cancelled\(\)", s.get("if", "")) for s in later
    )
    upload = next(s for s in later if uses(s) == "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "output"

    assert jobs["deploy"]["needs"] == "build"
    report = jobs["fetch-failed"]
    assert set(report["needs"]) == {"build", "deploy"}  # after the site is published
    assert report["if"] == "needs.build.outputs.fetch == 'failure'"
    assert report["steps"][-1]["run"].rstrip().endswith("exit 1")


# The build job's steps and the store job, run as written


# What the steps' ${{ }} expressions stand for in these tests.
EXPRESSIONS = {
    "${{ steps.pages.outputs.base_url }}": SITEURL,
    "${{ github.ref_name }}": "main",
}


def run_step(step: dict, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """Run a step's shell in `cwd` as the runner would, with the step's own environment.

    arXiv is a closed loopback port: every fetch fails at once, and no test reaches the
    internet. git reads no user or system configuration.
    """
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "ARXIV_API_URL": "http://127.0.0.1:9/api/query",
        "ARXIV_DELAY": "0",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **env,
    }
    environment.pop("ARXIV_FETCH", None)
    for name, value in step.get("env", {}).items():
        environment[name] = EXPRESSIONS.get(value, value)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def site(tmp_path) -> Path:
    """A copy of this repository's site: settings, keywords, theme and sample store."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", "keywords.yaml"):
        shutil.copy(ROOT / name, site / name)
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, site / name)
    return site


def day_pages(site: Path) -> tuple[set[str], set[str]]:
    """The days in the store, and the days with a page in the output."""
    stored = {p.stem.replace("-", "/") for p in (site / "content" / "papers").glob("*/*.json")}
    built = {
        str(p.parent.relative_to(site / "output")) for p in site.glob("output/*/*/*/index.html")
    }
    return stored, built


def test_arxiv_down_gives_a_complete_site_from_the_store_with_absolute_urls(publish, site):
    build = publish["jobs"]["build"]

    fetched = run_step(steps_by_id(build)["fetch"], site)
    assert fetched.returncode != 0, "a failed fetch must fail the step"
    assert "arXiv fetch failed" in fetched.stdout + fetched.stderr
    (failed,) = read_log(log_path(site / "content" / "papers"))
    rebuilt = run_step(the_rebuild(build), site)

    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    # The fetch's failure is in the store for the site to show; the rebuild asks nothing.
    assert read_log(log_path(site / "content" / "papers")) == (failed,)
    assert failed.failed
    stored, built = day_pages(site)
    assert stored, "the sample store has days"
    assert built == stored
    feed = (site / "output" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert f'href="{SITEURL}/' in feed


def test_a_broken_store_file_stops_the_job_before_anything_is_uploaded(publish, site):
    broken = sorted((site / "content" / "papers").glob("*/*.json"))[-1]
    broken.write_text('{"format": 1, "day": ', encoding="utf-8")

    rebuilt = run_step(the_rebuild(publish["jobs"]["build"]), site)

    assert rebuilt.returncode != 0
    assert broken.name in rebuilt.stdout + rebuilt.stderr


class Remote:
    """A bare repository standing for GitHub, holding the summary script and a store."""

    def __init__(self, root: Path):
        self.root = root
        self.url = str(root / "origin.git")
        self.git(root, "init", "--quiet", "--bare", "--initial-branch=main", self.url)
        seed = self.clone("seed")
        (seed / "scripts").mkdir()
        shutil.copy(ROOT / "scripts" / "store_summary.py", seed / "scripts")
        self.write_day(seed, "2026-02-02", [make_paper("2602.00001")])
        self.commit_and_push(seed, "the store so far")

    def git(self, cwd: Path, *args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=Someone", "-c", "user.email=someone@example.org", *args],
            cwd=cwd,
            env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def clone(self, name: str) -> Path:
        self.git(self.root, "clone", "--quiet", self.url, name)
        return self.root / name

    def checkout(self, name: str, commit: str) -> Path:
        """What actions/checkout does for a commit: that commit alone, detached."""
        clone = self.root / name
        clone.mkdir()
        self.git(clone, "init", "--quiet")
        self.git(clone, "remote", "add", "origin", f"file://{self.url}")
        self.git(clone, "fetch", "--quiet", "--depth=1", "origin", commit)
        self.git(clone, "checkout", "--quiet", "--detach", "FETCH_HEAD")
        return clone

    def write_day(self, clone: Path, day: str, papers) -> None:
        path = day_path(clone / "content" / "papers", date.fromisoformat(day))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_day(Day(date.fromisoformat(day), tuple(papers))), encoding="utf-8")

    def commit_and_push(self, clone: Path, message: str) -> None:
        self.git(clone, "add", "--all")
        self.git(clone, "commit", "--quiet", "--message", message)
        self.git(clone, "push", "--quiet", "origin", "HEAD:main")

    def log(self) -> list[str]:
        log = self.git(self.root, "--git-dir", self.url, "log", "--format=%an|%s", "main")
        return log.splitlines()

    def files_of_last_commit(self) -> list[str]:
        return self.git(
            self.root, "--git-dir", self.url, "show", "--name-only", "--format=", "main"
        ).split()


def two_new_papers(remote: Remote, build: Path) -> None:
    """What a fetch that found two papers for 2026-02-03 leaves in the store."""
    remote.write_day(build, "2026-02-03", [make_paper("2602.00002"), make_paper("2602.00003")])
    log_run(build, datetime(2026, 2, 3, 1, 47, tzinfo=UTC), KeywordRun("vlm", Outcome.OK, new=2))


def log_run(build: Path, started: datetime, *keywords: KeywordRun) -> None:
    finished = started + timedelta(seconds=30)
    record_run(log_path(build / "content" / "papers"), Run(started, finished, keywords))


def fetch_then_commit(
    publish: dict, remote: Remote, while_building=None, fetch=two_new_papers
) -> None:
    """The build job's store step after a fetch, then the store job's steps, as written."""
    build = remote.clone("build")
    fetch(remote, build)
    (build / "notes.txt").write_text("not part of the store\n", encoding="utf-8")
    runner_temp = remote.root / "runner-temp"
    runner_temp.mkdir()
    outputs = remote.root / "outputs"
    store_step = steps_by_id(publish["jobs"]["build"])["store"]
    kept = run_step(store_step, build, GITHUB_OUTPUT=str(outputs), RUNNER_TEMP=str(runner_temp))
    assert kept.returncode == 0, kept.stderr
    output = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert output["changed"] == "true"
    if while_building:
        while_building()

    store = remote.checkout("store", output["commit"])
    for name in ("Commit what the fetch did", "Push"):
        result = run_step(
            step_named(publish["jobs"]["store"], name), store, RUNNER_TEMP=str(runner_temp)
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_fetched_papers_are_committed_by_the_bot_naming_the_day_and_counts(publish, tmp_path):
    remote = Remote(tmp_path)

    fetch_then_commit(publish, remote)

    assert remote.log() == [
        "github-actions[bot]|arXiv 2026-02-03: 2 new papers, 0 revised",
        "Someone|the store so far",
    ]
    assert remote.files_of_last_commit() == [
        "content/papers/2026/2026-02-03.json",
        "content/papers/fetch-log.jsonl",
    ]


def test_a_run_that_found_nothing_commits_its_line_of_the_fetch_log(publish, tmp_path):
    remote = Remote(tmp_path)

    def nothing_new(remote: Remote, build: Path) -> None:
        log_run(build, datetime(2026, 12, 1, 1, 47, tzinfo=UTC), KeywordRun("vlm", Outcome.OK))

    fetch_then_commit(publish, remote, fetch=nothing_new)

    assert remote.log() == [
        "github-actions[bot]|arXiv 2026-12-01: nothing new",
        "Someone|the store so far",
    ]
    assert remote.files_of_last_commit() == ["content/papers/fetch-log.jsonl"]


def test_a_failed_fetch_commits_its_failure_naming_the_keyword(publish, tmp_path):
    remote = Remote(tmp_path)

    def failed(remote: Remote, build: Path) -> None:
        failure = KeywordRun("vlm", Outcome.FAILED, reason="HTTP 503 from arXiv")
        log_run(build, datetime(2026, 12, 1, 1, 47, tzinfo=UTC), failure)

    fetch_then_commit(publish, remote, fetch=failed)

    assert remote.log()[0] == (
        "github-actions[bot]|arXiv 2026-12-01: nothing new; fetch failed for 1 of 1 keyword"
    )


def test_a_push_during_the_build_is_kept_and_the_store_commit_goes_on_top(publish, tmp_path):
    remote = Remote(tmp_path)

    def someone_pushes():
        clone = remote.clone("someone")
        (clone / "README.md").write_text("a change\n", encoding="utf-8")
        remote.commit_and_push(clone, "a change pushed meanwhile")

    fetch_then_commit(publish, remote, while_building=someone_pushes)

    assert remote.log() == [
        "github-actions[bot]|arXiv 2026-02-03: 2 new papers, 0 revised",
        "Someone|a change pushed meanwhile",
        "Someone|the store so far",
    ]


def test_the_build_restores_its_render_cache_from_a_run_made_from_the_same_theme_and_plugin(
    publish,
):
    steps = publish["jobs"]["build"]["steps"]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    fetch = next(s for s in steps if s.get("id") == "fetch")
    assert steps.index(cache) < steps.index(fetch)
    assert cache["with"]["path"] == "cache"  # Pelican's CACHE_PATH: bodies, .bib, search
    key, prefix = cache["with"]["key"], cache["with"]["restore-keys"]
    assert key == prefix + "${{ github.run_id }}"  # saved anew by every run
    for made_from in ("'theme/**'", "'plugins/**'", "'keywords.yaml'"):
        assert made_from in prefix
