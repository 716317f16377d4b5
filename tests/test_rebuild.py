"""Rebuilds that cost the change: a rebuild writes only the archive pages a change to the
store feeds, and leaves the rest of output/ as it is, byte for byte what a fresh build
would have written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from arxiv_digest.glue.manifest import FILE as MANIFEST
from arxiv_digest.pages.rebuild import DayFeeds, is_archive_page, pages_to_write, stale_files
from arxiv_digest_dev.sites import Project, make_paper, site_bytes, written_times

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


def test_a_rebuild_with_nothing_changed_writes_no_day_or_category_page(project):
    three_days(project)
    output = project.build()
    before = written_times(output)

    after = written_times(project.build())

    rewritten = {path for path in before if after[path] != before[path]}
    assert not {path for path in rewritten if is_archive_page(path)}


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
