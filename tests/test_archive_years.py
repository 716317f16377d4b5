"""ARXIV_ARCHIVE_YEARS: a site near GitHub Pages' 1 GB publishes only its newest years of
days; the store keeps every day."""

from __future__ import annotations

import json
from datetime import date

import pytest

from arxiv_digest.model import settings as digest_settings
from arxiv_digest.pages.listings import archive_start

from .conftest import Project, make_paper


def test_a_year_of_archive_starts_the_day_after_the_newest_date_a_year_before():
    assert archive_start(date(2026, 1, 27), 1) == date(2025, 1, 28)
    assert archive_start(date(2026, 1, 27), 3) == date(2023, 1, 28)
    assert archive_start(date(2028, 2, 29), 1) == date(2027, 3, 1)


@pytest.mark.parametrize("value", [0, -1, 1.5, "2", True])
def test_archive_years_must_be_a_whole_number_of_years(value):
    with pytest.raises(digest_settings.SettingsError, match="ARXIV_ARCHIVE_YEARS"):
        digest_settings.read({"ARXIV_ARCHIVE_YEARS": value}, environ={})


def test_every_stored_day_is_published_by_default():
    assert digest_settings.read({}, environ={}).archive_years is None


def test_only_the_newest_years_are_published_and_the_store_keeps_every_day(project: Project):
    old = project.add_day("2025-01-27", [make_paper("2501.00001", title="Old enough to go")])
    project.add_day("2025-01-28", [make_paper("2501.00002", title="A year old")])
    project.add_day("2026-01-27", [make_paper("2601.00001", title="Newest")])
    output = project.build(ARXIV_ARCHIVE_YEARS=1)

    assert old.exists()
    assert not (output / "2025/01/27").exists()
    assert (output / "2025/01/28/index.html").exists()
    assert (output / "2025/01/28/papers.bib").exists()
    archive = project.page("/archive/")
    linked = {a["href"] for a in archive.select("a")}
    assert "/2025/01/28/" in linked
    assert "/2025/01/27/" not in linked
    keyword = project.page("/keywords/vlm/").get_text()
    assert "A year old" in keyword
    assert "Old enough to go" not in keyword
    assert "/2025/01/27/" not in (output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    shards = (output / "data" / "papers").glob("*.json")
    published = {k for s in shards for k in json.loads(s.read_text(encoding="utf-8"))["papers"]}
    assert published == {"2501.00002", "2601.00001"}
    assert project.page("/2025/01/28/").find("a", rel="prev") is None  # the oldest shown
