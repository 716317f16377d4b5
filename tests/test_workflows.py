"""The GitHub Actions workflows: valid, least privilege, safe when arXiv or the store fails,
and safe when the build job is not to be trusted.

GitHub cannot be run here, so these tests check the files against GitHub's workflow schema
(vendored in check-jsonschema, offline), read the properties that matter from them, and run
the publish job's build steps and store job, exactly as written, against a copy of the sample
site and a bare repository standing for GitHub.
"""

from __future__ import annotations

import base64
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

from .conftest import ROOT, SAMPLE_SITE, make_paper

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
TEST = WORKFLOWS / "test.yml"
BROWSER_TESTS = WORKFLOWS / "browser-tests.yml"
ALL_WORKFLOWS = (PUBLISH, TEST, BROWSER_TESTS)
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
CHECK_PATCH = ROOT / "scripts" / "check_store_patch.py"
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


def check_schema(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
    return subprocess.run([*command, *map(str, paths)], capture_output=True, text=True)


def test_the_workflows_pass_githubs_workflow_schema():
    assert sorted(WORKFLOWS.glob("*.yml")) == sorted(ALL_WORKFLOWS)
    result = check_schema(SCHEMA, *ALL_WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_keeps_the_pinned_actions_and_python_packages_current():
    result = check_schema("vendor.dependabot", DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr
    updates = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))["updates"]
    assert {u["package-ecosystem"] for u in updates} == {"github-actions", "pip"}


# A use of an action: its commit, then its release in a comment, which Dependabot updates too.
PINNED = re.compile(r"uses: (actions/[a-z-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)")


def test_every_action_is_pinned_to_a_commit_with_its_release_beside_it():
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in ALL_WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                pinned = PINNED.search(line)
                assert pinned, f"{path.name}: {line.strip()}"
                action, commit, release = pinned.groups()
                pins.setdefault(action, set()).add((commit, release))
    # One action, one commit: every job runs the same code.
    assert {action: len(used) for action, used in pins.items() if len(used) > 1} == {}
    assert "actions/checkout" in pins


def test_no_checkout_leaves_a_token_in_git_config():
    for path in ALL_WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                if uses(step) == "actions/checkout":
                    assert step["with"]["persist-credentials"] is False, path.name


# Which tests a push runs


def test_every_push_and_pull_request_runs_the_lints_and_the_fast_tests():
    workflow = load(TEST)
    assert workflow["on"] == {"push": None, "pull_request": None}
    (job,) = workflow["jobs"].values()
    assert job["steps"][-1]["run"] == "bash .ci/run fast"
    assert "if" not in job


BROWSER_TEST_INPUTS = {"theme/**", "plugins/**", "tests/**", "devtools/**", "pyproject.toml"}


def test_the_browser_tests_run_when_what_they_check_changes_not_the_topics_or_the_store():
    workflow = load(BROWSER_TESTS)
    assert set(workflow["on"]) == {"push", "pull_request", "workflow_dispatch"}
    for event in ("push", "pull_request"):
        paths = set(workflow["on"][event]["paths"])
        assert paths >= BROWSER_TEST_INPUTS | {".github/workflows/browser-tests.yml"}
        assert not {p for p in paths if p.startswith(("keywords", "content"))}
    (job,) = workflow["jobs"].values()
    assert job["steps"][-1]["run"] == "bash .ci/run browser"


# What a test imports to drive Chromium or reach the Nu HTML Checker and axe-core.
BROWSER_IMPORT = re.compile(
    r"^\s*(?:from|import) (?:playwright|\.e2e|tests\.e2e)\b"
    r"|^\s*from arxiv_digest_dev\.harness import .*\blaunch_chromium\b",
    re.MULTILINE,
)


def test_only_the_browser_tests_need_a_browser():
    # What lets the fast job run without Chromium, Java or root.
    outside = [p for p in (ROOT / "tests").rglob("*.py") if "e2e" not in p.parts]
    assert len(outside) > 20
    assert [p.name for p in outside if BROWSER_IMPORT.search(p.read_text("utf-8"))] == []
    e2e_conftest = (ROOT / "tests" / "e2e" / "conftest.py").read_text("utf-8")
    assert BROWSER_IMPORT.search(e2e_conftest)  # the pattern finds what it looks for


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


def test_the_test_workflows_can_only_read():
    for path in (TEST, BROWSER_TESTS):
        workflow = load(path)
        assert workflow["permissions"] == {"contents": "read"}
        assert all("permissions" not in job for job in workflow["jobs"].values())


def test_no_secret_is_needed():
    for path in ALL_WORKFLOWS:
        assert "secrets." not in path.read_text(encoding="utf-8")


def test_the_store_is_pushed_with_the_workflow_token_given_to_the_push_step_alone(publish):
    # GitHub starts no workflow run for a push made with the workflow's own GITHUB_TOKEN:
    # that is what keeps the bot's commit from triggering publish again, in a loop.
    steps = publish["jobs"]["store"]["steps"]
    assert all("token" not in step.get("with", {}) for step in steps)
    given = [step["name"] for step in steps if "${{ github.token }}" in str(step)]
    assert given == ["Push"]
    assert "${{ github.token }}" not in str(publish["jobs"]["build"])


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
TOKEN = "ghs_aTokenForThisRunOnly0123456789"  # stands for the workflow's GITHUB_TOKEN
EXPRESSIONS = {
    "${{ steps.pages.outputs.base_url }}": SITEURL,
    "${{ github.ref_name }}": "main",
    "${{ github.token }}": TOKEN,
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
        "GITHUB_SERVER_URL": "https://github.com",
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
    """A copy of this repository's site (settings and theme) with the sample's keywords and
    store."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, site / name)
    shutil.copy(SAMPLE_SITE / "keywords.yaml", site / "keywords.yaml")
    shutil.copytree(SAMPLE_SITE / "content", site / "content")
    shutil.copytree(ROOT / "theme", site / "theme")
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
    """A bare repository standing for GitHub, holding the store job's scripts and a store."""

    def __init__(self, root: Path):
        self.root = root
        self.url = str(root / "origin.git")
        self.git(root, "init", "--quiet", "--bare", "--initial-branch=main", self.url)
        seed = self.clone("seed")
        (seed / "scripts").mkdir()
        for script in ("store_summary.py", "check_store_patch.py"):
            shutil.copy(ROOT / "scripts" / script, seed / "scripts")
        self.write_day(seed, "2026-02-02", [make_paper("2602.00001")])
        self.commit_and_push(seed, "the store so far")

    @staticmethod
    def git(cwd: Path, *args: str) -> str:
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


STORE_STEPS = ("Refuse changes outside the store", "Commit what the fetch did", "Push")


def fetch_then_commit(
    publish: dict, remote: Remote, while_building=None, fetch=two_new_papers, **env: str
) -> tuple[Path, list[subprocess.CompletedProcess]]:
    """The build job's store step after a fetch, then the store job's steps, as written, until
    one fails; returns the store job's checkout and what each step did."""
    build = remote.clone("build")
    fetch(remote, build)
    (build / "notes.txt").write_text("not part of the store\n", encoding="utf-8")
    build_temp = remote.root / "build-temp"
    build_temp.mkdir()
    outputs = remote.root / "outputs"
    store_step = steps_by_id(publish["jobs"]["build"])["store"]
    kept = run_step(store_step, build, GITHUB_OUTPUT=str(outputs), RUNNER_TEMP=str(build_temp))
    assert kept.returncode == 0, kept.stderr
    output = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert output["changed"] == "true"
    if while_building:
        while_building()
    return commit_in_store_job(publish, remote, output["commit"], build_temp / "store.patch", **env)


def commit_in_store_job(
    publish: dict, remote: Remote, commit: str, patch: Path, steps=STORE_STEPS, **env: str
) -> tuple[Path, list[subprocess.CompletedProcess]]:
    """The store job's steps after the artifact's download, on the build job's patch."""
    store_temp = remote.root / "store-temp"
    (store_temp / "store-changes").mkdir(parents=True)
    shutil.copy(patch, store_temp / "store-changes" / "store.patch")
    store = remote.checkout("store", commit)
    results = []
    for name in steps:
        step = step_named(publish["jobs"]["store"], name)
        results.append(run_step(step, store, RUNNER_TEMP=str(store_temp), **env))
        if results[-1].returncode != 0:
            break
    return store, results


def passed(results: list[subprocess.CompletedProcess]) -> None:
    assert len(results) == len(STORE_STEPS)
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_fetched_papers_are_committed_by_the_bot_naming_the_day_and_counts(publish, tmp_path):
    remote = Remote(tmp_path)

    passed(fetch_then_commit(publish, remote)[1])

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

    passed(fetch_then_commit(publish, remote, fetch=nothing_new)[1])

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

    passed(fetch_then_commit(publish, remote, fetch=failed)[1])

    assert remote.log()[0] == (
        "github-actions[bot]|arXiv 2026-12-01: nothing new; fetch failed for 1 of 1 keyword"
    )


def test_a_push_during_the_build_is_kept_and_the_store_commit_goes_on_top(publish, tmp_path):
    remote = Remote(tmp_path)

    def someone_pushes():
        clone = remote.clone("someone")
        (clone / "README.md").write_text("a change\n", encoding="utf-8")
        remote.commit_and_push(clone, "a change pushed meanwhile")

    passed(fetch_then_commit(publish, remote, while_building=someone_pushes)[1])

    assert remote.log() == [
        "github-actions[bot]|arXiv 2026-02-03: 2 new papers, 0 revised",
        "Someone|a change pushed meanwhile",
        "Someone|the store so far",
    ]


# A build job that is not to be trusted: it can hand the store job any patch.

# What a build job made to attack the repository puts in the summary script: it would run
# with the store job's write token at hand.
MALICE = 'import os, pathlib; pathlib.Path(os.environ["RUNNER_TEMP"], "ran-the-patch").touch()\n'


def compromised_build(remote: Remote) -> tuple[str, Path]:
    """A patch from a build job that changed code and a workflow besides the store."""
    build = remote.clone("compromised")
    two_new_papers(remote, build)
    (build / "scripts" / "store_summary.py").write_text(MALICE, encoding="utf-8")
    (build / ".github" / "workflows").mkdir(parents=True)
    (build / ".github" / "workflows" / "publish.yml").write_text("on: push\n", encoding="utf-8")
    remote.git(build, "add", "--all")
    patch = remote.root / "compromised.patch"
    patch.write_text(remote.git(build, "diff", "--cached", "--binary"), encoding="utf-8")
    return remote.git(build, "rev-parse", "HEAD").strip(), patch


def test_a_patch_that_touches_code_or_a_workflow_is_refused_and_nothing_is_committed(
    publish, tmp_path
):
    remote = Remote(tmp_path)
    commit, patch = compromised_build(remote)

    store, results = commit_in_store_job(publish, remote, commit, patch)

    (refused,) = results  # the first step failed; no other ran
    assert refused.returncode == 1
    assert "commits only files under content/papers/" in refused.stderr
    assert "scripts/store_summary.py: outside content/papers/" in refused.stderr
    assert ".github/workflows/publish.yml: outside content/papers/" in refused.stderr
    assert remote.log() == ["Someone|the store so far"]
    assert remote.git(store, "status", "--porcelain") == ""  # nothing applied
    assert not (remote.root / "store-temp" / "ran-the-patch").exists()


def test_the_commit_step_runs_the_trusted_scripts_even_on_a_patch_that_got_through(
    publish, tmp_path
):
    # Were the check ever wrong, the patch still goes into the index alone: the scripts that
    # run are the commit's the build started from.
    remote = Remote(tmp_path)
    commit, patch = compromised_build(remote)

    store, (committed,) = commit_in_store_job(
        publish, remote, commit, patch, steps=("Commit what the fetch did",)
    )

    assert committed.returncode == 0, committed.stderr
    assert not (remote.root / "store-temp" / "ran-the-patch").exists()
    subject = remote.git(store, "log", "-1", "--format=%s").strip()
    assert subject == "arXiv 2026-02-03: 2 new papers, 0 revised"  # the real summary's


def test_the_token_reaches_the_push_and_is_written_to_no_file(publish, tmp_path):
    remote = Remote(tmp_path)
    # A git that notes the authorisation header each push is given, then pushes.
    bin_dir, pushes = tmp_path / "bin", tmp_path / "pushes.log"
    bin_dir.mkdir()
    (bin_dir / "git").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = push ]; then\n'
        '  "$REAL_GIT" config --get http.https://github.com/.extraheader >> "$PUSH_LOG"\n'
        "fi\n"
        'exec "$REAL_GIT" "$@"\n',
        encoding="utf-8",
    )
    (bin_dir / "git").chmod(0o755)
    path = f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    _, results = fetch_then_commit(
        publish, remote, PATH=path, REAL_GIT=shutil.which("git"), PUSH_LOG=str(pushes)
    )

    passed(results)
    credentials = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert pushes.read_text().splitlines() == [f"AUTHORIZATION: basic {credentials}"]
    pushes.unlink()
    for written in tmp_path.rglob("*"):
        if written.is_file():
            data = written.read_bytes()
            assert TOKEN.encode() not in data, written
            assert credentials.encode() not in data, written


# The store job's path check, on the patches a build job could hand it


def store_patch(tmp_path: Path, change) -> Path:
    """The patch git writes for ``change`` made to a repository with a store and a script."""
    repo = tmp_path / "repo"
    (repo / "content" / "papers" / "2026").mkdir(parents=True)
    (repo / "scripts").mkdir()
    (repo / "content" / "papers" / "2026" / "2026-02-02.json").write_text("{}\n")
    (repo / "scripts" / "store_summary.py").write_text("print('summary')\n")
    git = Remote.git
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "before")
    change(repo)
    git(repo, "add", "--all")
    patch = tmp_path / "store.patch"
    patch.write_text(git(repo, "diff", "--cached", "--binary", "-M"), encoding="utf-8")
    return patch


def check_patch(patch: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECK_PATCH), str(patch)], capture_output=True, text=True
    )


def a_day_and_the_log(repo: Path) -> None:
    (repo / "content" / "papers" / "2026" / "2026-02-03.json").write_text("{}\n")
    (repo / "content" / "papers" / "2026" / "2026-02-02.json").write_text('{"a": 1}\n')
    (repo / "content" / "papers" / "fetch-log.jsonl").write_text("{}\n")


def test_the_check_lets_new_and_changed_store_files_through(tmp_path):
    result = check_patch(store_patch(tmp_path, a_day_and_the_log))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[1:] == [
        "  content/papers/2026/2026-02-02.json",
        "  content/papers/2026/2026-02-03.json",
        "  content/papers/fetch-log.jsonl",
        "",
    ]


def moved_into_the_store(repo: Path) -> None:
    (repo / "scripts" / "store_summary.py").rename(repo / "content" / "papers" / "summary.py")


def linked_out_of_the_store(repo: Path) -> None:
    (repo / "content" / "papers" / "scripts").symlink_to("../../scripts")


def hidden_in_the_store(repo: Path) -> None:
    (repo / "content" / "papers" / ".gitattributes").write_text("* text\n")


def beside_the_store(repo: Path) -> None:
    (repo / "content" / "papers-old").mkdir()
    (repo / "content" / "papers-old" / "x.json").write_text("{}\n")


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (moved_into_the_store, "scripts/store_summary.py: outside content/papers/"),
        (linked_out_of_the_store, "mode 120000: not a regular file"),
        (hidden_in_the_store, "content/papers/.gitattributes: outside content/papers/"),
        (beside_the_store, "content/papers-old/x.json: outside content/papers/"),
    ],
)
def test_the_check_refuses_whatever_reaches_outside_the_store(tmp_path, change, refusal):
    result = check_patch(store_patch(tmp_path, change))

    assert result.returncode == 1
    assert refusal in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("patch", "refusal"),
    [
        (
            # a path that climbs out of the store
            "diff --git a/content/papers/../../scripts/x.py b/content/papers/../../scripts/x.py\n"
            "--- a/content/papers/../../scripts/x.py\n+++ b/content/papers/../../scripts/x.py\n"
            "@@ -1 +1 @@\n-a\n+b\n",
            "content/papers/../../scripts/x.py: outside content/papers/",
        ),
        (
            # a name git quotes, which no store file has
            'diff --git "a/content/papers/a\\tb.json" "b/content/papers/a\\tb.json"\n'
            "new file mode 100644\n--- /dev/null\n"
            '+++ "b/content/papers/a\\tb.json"\n@@ -0,0 +1 @@\n+{}\n',
            "a file name that is not a plain path",
        ),
        ("not a patch at all\n", "not a patch git can read: error: No valid patches"),
    ],
)
def test_the_check_refuses_a_patch_it_cannot_read_plainly(tmp_path, patch, refusal):
    path = tmp_path / "store.patch"
    path.write_text(patch, encoding="utf-8")

    result = check_patch(path)

    assert result.returncode == 1
    assert refusal in result.stderr


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
