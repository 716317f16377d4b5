"""The Pelican glue: what it does to Pelican's settings, logs and process."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import subprocess
import sys

import pytest
from pelican import Pelican

from arxiv_digest.glue.timing import phase_table

from .conftest import ROOT, SAMPLE_SITE, make_paper


@pytest.fixture
def collector_back_on():
    yield
    gc.enable()  # whatever a failing test left, the next test runs as usual


def test_the_cycle_collector_is_back_on_after_a_build_that_raises(
    project, tmp_path, collector_back_on
):
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    broken = tmp_path / "broken-templates"
    broken.mkdir()
    (broken / "digest_body.html").write_text("{% if %}", encoding="utf-8")
    pelican = Pelican(project.settings(THEME_TEMPLATES_OVERRIDES=[str(broken)]))
    with pytest.raises(Exception, match=r"digest_body\.html|Expected an expression"):
        pelican.run()
    assert gc.isenabled()
    with pytest.raises(Exception, match=r"digest_body\.html|Expected an expression"):
        pelican.run()  # as pelican --autoreload does after a change
    assert gc.isenabled()


def test_the_cycle_collector_is_back_on_after_a_build(project, collector_back_on):
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    project.build()
    assert gc.isenabled()


def test_replacing_a_url_the_user_chose_is_a_warning_that_names_it(project, caplog):
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    with caplog.at_level(logging.WARNING):
        project.build(ARTICLE_URL="posts/{slug}.html", TAG_FEED_ATOM="feeds/tags/{slug}.xml")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("ARTICLE_URL" in w and "posts/{slug}.html" in w for w in warnings), warnings
    assert any("TAG_FEED_ATOM" in w for w in warnings), warnings
    assert project.page("/2026/01/27/").find("article")  # the digest's URL still holds


def test_settings_left_at_pelicans_defaults_or_ours_give_no_warning(project, caplog):
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    with caplog.at_level(logging.WARNING):
        project.build(ARTICLE_URL="{date:%Y}/{date:%m}/{date:%d}/")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def pelican_cli(
    tmp_path, settings_file: str, keywords: str | None = None, **environ
) -> subprocess.CompletedProcess:
    """``pelican content`` in a copy of the repository's site (with the sample's keywords and
    store), as a newcomer runs it."""
    site = tmp_path / "repo"
    for source in (
        SAMPLE_SITE / "content",
        ROOT / "theme",
        SAMPLE_SITE / "keywords.yaml",
        ROOT / "pelicanconf.py",
        ROOT / "publishconf.py",
    ):
        name = source.name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy2(source, site / name)
    if keywords is not None:
        (site / "keywords.yaml").write_text(keywords, encoding="utf-8")
    env = {**os.environ, "ARXIV_FETCH": "0", "COLUMNS": "250", **environ}
    env.pop("ARXIV_API_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", settings_file],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_local_build_of_the_repository_prints_no_warning(tmp_path):
    result = pelican_cli(tmp_path, "pelicanconf.py")
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert "Done: Processed" in log
    assert "WARNING" not in log, log
    assert "ERROR" not in log, log


def test_a_publish_build_without_an_address_still_warns_about_its_feeds(tmp_path):
    result = pelican_cli(tmp_path, "publishconf.py", SITEURL="")
    assert result.returncode == 0, result.stderr
    assert "Feeds generated without SITEURL" in result.stdout + result.stderr


def test_a_broken_keywords_file_stops_the_build_with_one_message_and_no_traceback(tmp_path):
    keywords = "keywords:\n  - name: Vision\n    terms: [VLM]\n    categories: [cs.cv]\n"
    result = pelican_cli(tmp_path, "pelicanconf.py", keywords=keywords)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "keywords.yaml:4: unknown arXiv category 'cs.cv'; did you mean 'cs.CV'?" in log
    assert "Traceback" not in log, log
    assert not (tmp_path / "repo" / "output").exists()


def test_a_build_in_a_workflow_step_adds_its_time_by_phase_to_the_summary(
    project, tmp_path, monkeypatch
):
    """On GitHub Actions, the run's page shows how long each phase of the publish took."""
    summary = tmp_path / "summary.md"
    summary.write_text("An earlier step's line.\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    project.add_day("2026-01-26", [make_paper("2601.00001")])

    project.build()

    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "An earlier step's line."  # added to, never replaced
    table = dict(line.strip("|").split("|")[:2] for line in lines[3:] if line.startswith("|"))
    seconds = {name.strip(): value.strip() for name, value in table.items()}
    assert set(seconds) == {"build (read the store, write the pages)", "search index", "total"}
    assert all(value.endswith(" s") and float(value[:-2]) >= 0 for value in seconds.values())


def test_the_phase_table_names_the_fetch_and_adds_the_phases_up():
    assert phase_table({"fetch": 31.04, "build": 2.5, "index": 1.25}).splitlines() == [
        "| arxiv-digest | time |",
        "| --- | --- |",
        "| fetch from arXiv | 31.0 s |",
        "| build (read the store, write the pages) | 2.5 s |",
        "| search index | 1.2 s |",
        "| total | 34.8 s |",
    ]
