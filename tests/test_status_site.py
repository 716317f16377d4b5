"""The status on the site: /status/, its JSON files and every footer, built from the
fetch log committed with the store, and late papers marked on their digest."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from arxiv_digest.model.fetchlog import Run
from arxiv_digest_dev.sites import build_offline, make_site, site_bytes

from .conftest import KEYWORDS_YAML, Project, make_paper
from .readers import BADGE_SCHEMA
from .runs import DAY, FAILED_RUN, OK_RUN, write_log


@pytest.fixture
def failed_site(project) -> Project:
    """Two stored days, then a fetch that worked and one that failed for one keyword."""
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    project.add_day(DAY, [make_paper("2601.00002"), make_paper("2601.00003")])
    write_log(project, OK_RUN, FAILED_RUN)
    project.build()
    return project


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_the_status_page_says_which_keyword_failed_and_why(failed_site):
    page = failed_site.page("/status/")
    assert page.h1.get_text() == "Status"
    fetched = page.select_one(".lede time")
    assert fetched["datetime"] == "2026-01-29T01:30:12Z"
    assert fetched.get_text() == "Thursday 29 January 2026, 01:30 UTC"
    assert "failed: 1 of 2 keywords" in page.select_one(".lede").get_text()
    lines = [li.get_text(" ", strip=True) for li in page.select("ul.fetches li")]
    assert lines == [
        "Vision Language Model : failed: HTTP 503 from arXiv <b>busy</b>",
        "Software Testing : ok: 1 new, 0 revised",
    ]
    assert page.select_one("ul.fetches li a")["href"] == "/keywords/vlm/"


def test_status_json_says_which_keyword_failed_and_why(failed_site):
    status = json.loads((failed_site.output / "status.json").read_text("utf-8"))
    assert status["ok"] is False
    assert status["fetched"] == "2026-01-29T01:30:12Z"
    assert [(k["slug"], k["outcome"], k["reason"]) for k in status["keywords"]] == [
        ("vlm", "failed", "HTTP 503 from arXiv <b>busy</b>"),
        ("software-testing", "ok", ""),
    ]
    assert status["newest_digest"] == {"day": "2026-01-28", "fetched": "2026-01-28T01:30:12Z"}


def test_the_badge_is_a_valid_shields_endpoint_saying_the_fetch_failed(failed_site):
    badge = json.loads((failed_site.output / "status-badge.json").read_text("utf-8"))
    jsonschema.validate(badge, BADGE_SCHEMA)
    assert (badge["message"], badge["color"]) == ("fetch failed", "red")


def test_every_page_has_the_status_in_its_footer(failed_site):
    pages = html_pages(failed_site.output)
    assert len(pages) >= 7  # index, two days, archive, keyword and category pages, status
    for path in pages:
        page = failed_site.page("/" + str(path.relative_to(failed_site.output)))
        (line,) = page.select("footer p.status")
        assert line.a["href"] == "/status/", path
        assert line.time["datetime"] == "2026-01-29T01:30:12Z", path
        assert line.get_text(" ", strip=True).endswith("failed: 1 of 2 keywords."), path


def test_the_index_names_the_newest_digest_and_when_it_was_fetched(failed_site):
    lede = failed_site.page("/").select_one(".lede")
    assert "Newest digest: Wednesday 28 January 2026, fetched" in lede.get_text()
    assert lede.time["datetime"] == "2026-01-28T01:30:12Z"
    assert "newest submission" not in lede.get_text()


def test_the_index_leaves_out_when_the_newest_digest_was_fetched_when_no_run_changed_it(
    project,
):
    project.add_day(DAY, [make_paper("2601.00002")])
    write_log(project, FAILED_RUN)  # changed no day
    project.build()
    lede = project.page("/").select_one(".lede")
    assert "Newest digest: Wednesday 28 January 2026." in lede.get_text()
    assert lede.time is None


def test_the_same_store_and_log_give_the_same_bytes(failed_site, tmp_path):
    again = failed_site.build(OUTPUT_PATH=str(tmp_path / "again"), ARXIV_CACHE=False)
    assert site_bytes(again) == site_bytes(failed_site.output)


def test_a_new_log_renders_no_digest_body_again_but_changes_the_status(project):
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    project.add_day(DAY, [make_paper("2601.00002")])
    write_log(project, OK_RUN)
    project.build()
    cache = {p: p.stat().st_mtime_ns for p in (project.root / "cache").rglob("*.html")}
    assert len(cache) == 2
    write_log(project, OK_RUN, FAILED_RUN)
    project.build()
    assert {p: p.stat().st_mtime_ns for p in (project.root / "cache").rglob("*.html")} == cache
    assert "failed" in project.page("/2026/01/28/").select_one("footer p.status").get_text()


def test_after_a_friday_evening_fetch_the_next_announcement_is_sunday_and_says_why(project):
    project.add_day("2026-01-30", [make_paper("2601.00002")])
    # Friday 30 January, 21:00 US Eastern.
    friday = datetime(2026, 1, 31, 2, 0, tzinfo=UTC)
    write_log(project, Run(friday - timedelta(seconds=9), friday, (), (date(2026, 1, 30),)))
    project.build()
    text = project.page("/status/").find("h2", string="Next announcement").find_next("p")
    assert "the digest of Monday 2 February 2026" in text.get_text()
    assert text.time["datetime"] == "2026-02-02T01:00:00Z"  # Sunday 20:00 US Eastern
    assert "arXiv announces nothing on Friday and Saturday nights." in text.get_text()


def test_a_listed_holiday_is_named_as_why_there_is_no_announcement(project):
    project.add_day("2026-01-27", [make_paper("2601.00002")])
    write_log(project, OK_RUN)  # Tuesday evening; Wednesday 28 January is a holiday here
    project.build(ARXIV_HOLIDAYS=["2026-01-28"])
    text = project.page("/status/").find("h2", string="Next announcement").find_next("p")
    assert "the digest of Friday 30 January 2026" in text.get_text()
    assert "arXiv announces nothing on Wednesday 28 January (a holiday)." in text.get_text()


def test_without_a_fetch_log_the_site_says_the_store_has_not_been_fetched_yet(project):
    project.add_day(DAY, [make_paper("2601.00002")])
    project.build()
    lede = project.page("/status/").select_one(".lede").get_text()
    assert lede.startswith("The store has not been fetched yet")
    footer = project.page("/").select_one("footer p.status").get_text(" ", strip=True)
    assert footer == "Status : the store has not been fetched yet."
    badge = json.loads((project.output / "status-badge.json").read_text("utf-8"))
    jsonschema.validate(badge, BADGE_SCHEMA)
    assert (badge["message"], badge["color"]) == ("not fetched yet", "lightgrey")
    assert json.loads((project.output / "status.json").read_text("utf-8"))["fetched"] is None


def test_a_broken_log_line_is_an_error_naming_file_and_line_and_the_rest_is_built(project, caplog):
    project.add_day(DAY, [make_paper("2601.00002")])
    path = write_log(project, OK_RUN)
    path.write_text(path.read_text("utf-8") + '{"format": 1, "started": \n', encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        project.build()
    (error,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert f"{path}: line 2:" in error
    assert (project.output / "index.html").exists()
    assert project.page("/2026/01/28/").select("article.paper")
    assert not (project.output / "status").exists()
    assert not (project.output / "status.json").exists()
    assert project.page("/").select("footer p.status") == []


def test_with_fatal_errors_a_broken_log_fails_the_build_after_every_other_page_is_written(
    tmp_path,
):
    site = make_site(tmp_path / "site", KEYWORDS_YAML)
    site.add_day(DAY, [make_paper("2601.00002")])
    write_log(site, OK_RUN).write_text("not json\n", encoding="utf-8")
    result = build_offline(site)
    assert result.returncode != 0
    assert "fetch-log.jsonl: line 1:" in " ".join((result.stdout + result.stderr).split())
    assert site.page("/2026/01/28/").select("article.paper")
    assert (site.output / "theme" / "css" / "style.css").exists()


def test_a_late_paper_is_marked_once_on_its_digest_and_an_on_time_one_is_not(project):
    late = make_paper("2601.00007", announced="2026-01-27")
    project.add_day(DAY, [late, make_paper("2601.00008")])
    project.build()
    page = project.page("/2026/01/28/")
    marks = page.select(".late")
    assert [m.get_text() for m in marks] == ["announced 2026-01-27, listed late"]
    assert marks[0].find_parent("article")["id"] == "2601.00007"
