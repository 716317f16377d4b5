"""ARXIV_ABSTRACT_YEARS: digests older than the newest N years list their papers without
abstracts (the title links arXiv's abstract page), and search leaves those abstracts out,
so a decade of history fits GitHub Pages' 1 GB; the newest years are as they were."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest

from arxiv_digest.model import settings as digest_settings
from arxiv_digest_dev.sites import Project, make_paper, site_bytes

OLD_ABSTRACT = "Zanzibarian quokkas estimate optical flow."
NEW_ABSTRACT = "Marsupial transformers segment video."


def two_years(project: Project) -> None:
    project.add_day("2025-01-27", [make_paper("2501.00001", title="Old", abstract=OLD_ABSTRACT)])
    project.add_day("2026-01-27", [make_paper("2601.00001", title="New", abstract=NEW_ABSTRACT)])


def records(project: Project) -> dict[str, dict]:
    """Each paper's search record, by arXiv id, as pagefind.js reads it."""
    found = {}
    for path in (project.output / "search" / "index").rglob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        found[record["filters"]["id"][0]] = record
    return found


@pytest.mark.parametrize("value", [0, -2, 1.5, "3", False])
def test_abstract_years_must_be_a_whole_number_of_years(value):
    with pytest.raises(digest_settings.SettingsError, match="ARXIV_ABSTRACT_YEARS"):
        digest_settings.read({"ARXIV_ABSTRACT_YEARS": value}, environ={})


def test_every_digest_shows_its_abstracts_by_default(project: Project):
    two_years(project)
    project.build()

    assert digest_settings.read({}, environ={}).abstract_years is None
    assert OLD_ABSTRACT in project.page("/2025/01/27/").get_text()
    assert OLD_ABSTRACT in records(project)["2501.00001"]["content"]


def test_older_digests_list_their_papers_without_abstracts_in_pages_and_search(project):
    two_years(project)
    project.build(ARXIV_ABSTRACT_YEARS=1)

    old = project.page("/2025/01/27/")
    paper = old.find("article", id="2501.00001")
    assert paper.find("a", href="https://arxiv.org/abs/2501.00001v1").get_text() == "Old"
    assert paper.select("ul.authors li")  # who wrote it, its links and chips stay
    assert paper.find("details", class_="abstract") is None
    assert OLD_ABSTRACT not in old.get_text()
    new = project.page("/2026/01/27/")
    assert NEW_ABSTRACT in new.find("details", class_="abstract").get_text()
    found = records(project)
    assert "Old" in found["2501.00001"]["content"]  # still found by its title and authors
    assert OLD_ABSTRACT not in found["2501.00001"]["content"]
    assert NEW_ABSTRACT in found["2601.00001"]["content"]
    # Keyword pages list the newest papers in full, whatever their day.
    assert OLD_ABSTRACT in project.page("/keywords/vlm/").get_text()


def test_a_day_ageing_out_is_rebuilt_as_a_fresh_build_writes_it(project, tmp_path):
    project.add_day("2025-01-28", [make_paper("2501.00001", title="Old", abstract=OLD_ABSTRACT)])
    project.add_day("2026-01-27", [make_paper("2601.00001", title="New", abstract=NEW_ABSTRACT)])
    project.build(ARXIV_ABSTRACT_YEARS=1)
    assert OLD_ABSTRACT in project.page("/2025/01/28/").get_text()  # a year old: in full

    project.add_day(date(2026, 1, 29), [make_paper("2601.00002", title="Newer")])
    rebuilt = project.build(ARXIV_ABSTRACT_YEARS=1)

    assert OLD_ABSTRACT not in project.page("/2025/01/28/").get_text()
    assert OLD_ABSTRACT not in records(project)["2501.00001"]["content"]
    fresh = project.build(
        ARXIV_ABSTRACT_YEARS=1,
        OUTPUT_PATH=str(tmp_path / "fresh"),
        CACHE_PATH=str(tmp_path / "cold"),
        ARXIV_CACHE=False,
    )
    assert site_bytes(rebuilt) == site_bytes(fresh)
