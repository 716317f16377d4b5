"""Rebuilds that cost the change: a rebuild writes only the archive pages a change to the
store feeds, and leaves the rest of output/ as it is, byte for byte what a fresh build
would have written."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from arxiv_digest.glue.buildindex import FILE as INDEX
from arxiv_digest.glue.manifest import FILE as MANIFEST
from arxiv_digest.model.store import read_day_file
from arxiv_digest.pages.rebuild import DayFeeds, is_archive_page, pages_to_write, stale_files
from arxiv_digest_dev import REPOSITORY
from arxiv_digest_dev.sites import KEYWORDS_YAML, Project, make_paper, site_bytes, written_times

MONDAY, TUESDAY, WEDNESDAY, THURSDAY = (date(2026, 1, d) for d in (26, 27, 28, 29))


def page(day: date) -> str:
    return f"{day:%Y/%m/%d}/index.html"


def held(source: str, *categories: str) -> DayFeeds:
    return DayFeeds(source, frozenset(categories))


# What a change feeds, worked out from the days alone.


def test_nothing_changed_feeds_no_page():
    days = {MONDAY: held("a", "cs.CV"), TUESDAY: held("b", "cs.LG")}
    assert pages_to_write(days, dict(days)) == set()


def test_a_new_day_feeds_its_page_the_day_before_and_its_categories():
    before = {MONDAY: held("a", "cs.CV"), TUESDAY: held("b", "cs.LG")}
    now = {**before, WEDNESDAY: held("c", "cs.CL", "cs.LG")}
    assert pages_to_write(before, now) == {
        page(WEDNESDAY),
        page(TUESDAY),  # its "newer" link
        "categories/cs.CL/index.html",
        "categories/cs.LG/index.html",
    }


def test_a_changed_day_feeds_both_neighbours_and_the_categories_it_held_and_holds():
    before = {MONDAY: held("a"), TUESDAY: held("b", "cs.CV"), WEDNESDAY: held("c")}
    now = {**before, TUESDAY: held("b2", "cs.RO")}
    assert pages_to_write(before, now) == {
        page(MONDAY),
        page(TUESDAY),
        page(WEDNESDAY),
        "categories/cs.CV/index.html",
        "categories/cs.RO/index.html",
    }


def test_a_removed_day_feeds_the_days_that_linked_to_it_and_no_page_of_its_own():
    before = {MONDAY: held("a"), TUESDAY: held("b", "cs.CV"), WEDNESDAY: held("c")}
    now = {MONDAY: held("a"), WEDNESDAY: held("c")}
    assert pages_to_write(before, now) == {
        page(MONDAY),
        page(WEDNESDAY),
        "categories/cs.CV/index.html",
    }


def test_a_removed_day_and_a_category_no_day_carries_any_more_are_stale():
    before = {MONDAY: held("a", "cs.CV"), TUESDAY: held("b", "cs.CV", "cs.RO")}
    now = {MONDAY: held("a", "cs.CV")}
    assert stale_files(before, now) == {
        page(TUESDAY),
        "2026/01/27/papers.bib",
        "categories/cs.RO/index.html",
    }


@pytest.mark.parametrize(
    ("path", "archive"),
    [
        ("2026/01/26/index.html", True),
        ("categories/cs.CV/index.html", True),
        ("keywords/vlm/index.html", False),  # its trend chart ends at the newest day
        ("index.html", False),
        ("archive/index.html", False),
        ("search/index.html", False),
        ("about/index.html", False),
    ],
)
def test_only_day_and_category_pages_are_left_alone(path, archive):
    assert is_archive_page(path) is archive


# Real builds: every rebuild equals a fresh build, and leaves alone what no change feeds.


def three_days(project: Project) -> None:
    project.add_day(MONDAY, [make_paper("2601.00001", categories=("cs.CV",))])
    project.add_day(TUESDAY, [make_paper("2601.00002", categories=("cs.LG", "cs.CV"))])
    project.add_day(WEDNESDAY, [make_paper("2601.00003", categories=("cs.RO",))])


def fresh_build(project: Project, tmp_path: Path, **settings) -> Path:
    return project.build(
        OUTPUT_PATH=str(tmp_path / "fresh"),
        CACHE_PATH=str(tmp_path / "cold"),
        ARXIV_CACHE=False,
        **settings,
    )


CHANGES = {
    "a new day": lambda p: p.add_day(
        THURSDAY,
        [make_paper("2601.00004", categories=("cs.CL",)), make_paper("2601.00001", version=2)],
    ),
    "a changed day": lambda p: p.add_day(
        TUESDAY, [make_paper("2601.00002", title="A new title", categories=("cs.AI",))]
    ),
    "a removed day": lambda p: (p.store / "2026" / "2026-01-27.json").unlink(),
    "a revision in another category": lambda p: p.add_day(
        THURSDAY, [make_paper("2601.00003", version=2, categories=("cs.CV",))]
    ),
}


def edit_in_place(project: Project) -> None:
    """Tuesday's title changed to one of the same length, the file's size and modification
    time kept: only its bytes say it changed."""
    path = project.store / "2026" / "2026-01-27.json"
    text, stat = path.read_text(encoding="utf-8"), path.stat()
    title = json.loads(text)["papers"][0]["title"]
    path.write_text(text.replace(title, title.upper()), encoding="utf-8")
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def edit_keywords(project: Project, old: str, new: str) -> None:
    text = project.keywords_file.read_text(encoding="utf-8")
    project.keywords_file.write_text(text.replace(old, new), encoding="utf-8")


def build_index(project: Project) -> Path:
    return project.root / "cache" / INDEX


CHANGES.update(
    {
        "a day edited in place, same size and time": edit_in_place,
        "a keyword added": lambda p: edit_keywords(
            p, "keywords:\n", "keywords:\n  - name: Robots\n    terms: [robot]\n"
        ),
        "a keyword removed": lambda p: edit_keywords(
            p, "  - name: Software Testing\n    terms: [testing]\n", ""
        ),
        "a day file that cannot be parsed": lambda p: (
            p.store / "2026" / "2026-01-27.json"
        ).write_text("{ not json", encoding="utf-8"),
        "a paper of another month on a new day": lambda p: p.add_day(
            THURSDAY, [make_paper("2512.00009", categories=("cs.CV",))]
        ),
        "the build index deleted, and a new day": lambda p: (
            build_index(p).unlink(),
            CHANGES["a new day"](p),
        ),
        "the build index corrupt, and a new day": lambda p: (
            build_index(p).write_bytes(b"not a database" * 100),
            CHANGES["a new day"](p),
        ),
    }
)


@pytest.mark.parametrize("change", CHANGES)
def test_a_rebuild_after_a_change_is_what_a_fresh_build_writes(project, tmp_path, change):
    three_days(project)
    project.build()
    CHANGES[change](project)

    rebuilt = project.build()

    assert site_bytes(rebuilt) == site_bytes(fresh_build(project, tmp_path))


def test_a_day_leaving_the_published_years_is_gone_from_a_rebuild_as_from_a_fresh_build(
    project, tmp_path
):
    project.add_day(date(2025, 1, 27), [make_paper("2501.00001", categories=("cs.DL",))])
    three_days(project)
    project.build(ARXIV_ARCHIVE_YEARS=1)
    CHANGES["a new day"](project)  # 2026-01-29: 2025-01-27 is more than a year before

    rebuilt = project.build(ARXIV_ARCHIVE_YEARS=1)

    assert not (rebuilt / "2025/01/27/index.html").exists()
    assert site_bytes(rebuilt) == site_bytes(fresh_build(project, tmp_path, ARXIV_ARCHIVE_YEARS=1))


@pytest.mark.parametrize(
    "setting",
    [{"ARXIV_CATEGORY_MAX_PAPERS": 1}, {"SITENAME": "Another digest"}, {"FEED_MAX_ITEMS": 1}],
)
def test_a_rebuild_with_another_setting_is_what_a_fresh_build_writes(project, tmp_path, setting):
    three_days(project)
    project.build()
    CHANGES["a new day"](project)

    rebuilt = project.build(**setting)

    assert site_bytes(rebuilt) == site_bytes(fresh_build(project, tmp_path, **setting))


def test_a_rebuild_with_a_changed_template_is_what_a_fresh_build_writes(project, tmp_path):
    three_days(project)
    project.build()
    overrides = tmp_path / "templates"
    overrides.mkdir()
    footer = (REPOSITORY / "theme" / "templates" / "arxiv_category.html").read_text()
    (overrides / "arxiv_category.html").write_text(footer.replace("</h1>", " (changed)</h1>"))
    setting = {"THEME_TEMPLATES_OVERRIDES": [str(overrides)]}

    rebuilt = project.build(**setting)

    assert "(changed)" in (rebuilt / "categories/cs.CV/index.html").read_text()
    assert site_bytes(rebuilt) == site_bytes(fresh_build(project, tmp_path, **setting))


def test_a_rebuild_after_a_new_day_parses_no_old_day_file(tmp_path, monkeypatch):
    """Sixty days; after one more, only the newest month's files are read (the scripts'
    "new papers" data counts the last 30 days' papers), never the older ones."""
    one_paper = KEYWORDS_YAML.replace("    terms:", "    max_papers: 1\n    terms:")
    project = Project(tmp_path / "site", one_paper)
    first = date(2025, 11, 1)
    for n in range(60):
        day = first + timedelta(days=n)
        project.add_day(day, [make_paper(f"2511.{n:05d}", categories=("cs.CV",))])
    settings = {"ARXIV_SEARCH": False, "ARXIV_CATEGORY_MAX_PAPERS": 1}
    project.build(**settings)
    new_day = first + timedelta(days=60)
    project.add_day(new_day, [make_paper("2512.00001", categories=("cs.CV",))])
    parsed = []
    from arxiv_digest.glue import buildindex, reader

    def counted(path):
        parsed.append(date.fromisoformat(path.stem))
        return read_day_file(path)

    monkeypatch.setattr(reader, "read_day_file", counted)
    monkeypatch.setattr(buildindex, "read_day_file", counted)

    project.build(**settings)

    assert new_day in parsed
    assert min(parsed) > new_day - timedelta(days=31)


def test_a_rebuild_still_names_the_papers_left_out_of_a_day_it_does_not_parse(project, caplog):
    three_days(project)
    path = project.store / "2026" / "2026-01-26.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["papers"].append({**data["papers"][0], "id": "2601.00009", "title": 7})
    path.write_text(json.dumps(data), encoding="utf-8")
    project.build()
    caplog.clear()

    project.build()

    assert "2026-01-26.json" in caplog.text
    assert "2601.00009" in caplog.text


def test_a_rebuild_after_a_new_day_leaves_the_older_days_and_categories_alone(project):
    three_days(project)
    output = project.build()
    before = written_times(output)
    CHANGES["a new day"](project)

    after = written_times(project.build())

    rewritten = {path for path in before if after[path] != before[path]}
    assert page(MONDAY) not in rewritten
    assert page(TUESDAY) not in rewritten
    assert "categories/cs.RO/index.html" not in rewritten
    assert {page(WEDNESDAY), "categories/cs.CV/index.html", "index.html"} <= rewritten
    assert page(THURSDAY) in after


def test_a_rebuild_with_nothing_changed_writes_no_file(project):
    three_days(project)
    output = project.build()
    before = written_times(output)

    after = written_times(project.build())

    rewritten = {path for path in before if after[path] != before[path]}
    assert not rewritten  # no page, feed or data file


def test_a_page_missing_from_the_output_is_written_again(project):
    three_days(project)
    output = project.build()
    (output / page(MONDAY)).unlink()

    project.build()

    assert (output / page(MONDAY)).is_file()


def test_a_renamed_keyword_writes_every_page_again(project):
    """Every page's navigation names the keywords: anything besides the days that pages
    are made with (keywords.yaml, the theme, a setting) writes every page."""
    three_days(project)
    output = project.build()
    before = written_times(output)
    project.keywords_file.write_text(
        project.keywords_file.read_text(encoding="utf-8").replace(
            "Vision Language Model", "Vision-Language Models"
        ),
        encoding="utf-8",
    )

    after = written_times(project.build())

    assert all(after[path] != before[path] for path in before if is_archive_page(path))


def test_another_output_folder_gets_every_page(project, tmp_path):
    three_days(project)
    project.build()

    other = project.build(OUTPUT_PATH=str(tmp_path / "other"))

    assert site_bytes(other) == site_bytes(project.output)


def test_a_build_that_stops_half_way_leaves_no_manifest_to_trust(project, monkeypatch):
    three_days(project)
    project.build()
    CHANGES["a new day"](project)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    from arxiv_digest.glue.keepup import KeepUpGenerator

    monkeypatch.setattr(KeepUpGenerator, "generate_output", broken)
    with pytest.raises(RuntimeError):
        project.build()

    assert not (project.root / "cache" / MANIFEST).exists()
