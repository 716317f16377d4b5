"""ARXIV_ABSTRACT_YEARS: digests older than the newest N years list their papers without
abstracts (the title links arXiv's abstract page), and search leaves those abstracts out,
so a decade of history fits GitHub Pages' 1 GB; the newest years are as they were."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest

from arxiv_digest.model import settings as digest_settings
from arxiv_digest.model.paper import Author
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


def old_papers():
    """An old day's papers with all a paper can show: many authors, an affiliation, a
    comment with a code link, a journal reference, a DOI, a revision, a second keyword."""
    many = tuple(Author(f"Author{n} Surname{n}") for n in range(1, 9))
    return [
        make_paper(
            "2501.00001",
            title="Old",
            abstract=OLD_ABSTRACT,
            authors=(Author("Émilie Ngô", ("Université de Montréal",)), *many),
            comment="Code: https://github.com/quokka/flow",
            journal_ref="J. Marsupials 3 (2025) 1-9",
            doi="10.1000/quokka.1",
            categories=("cs.CV", "cs.LG", "stat.ML"),
            keywords=("vlm", "software-testing"),
        ),
        make_paper("2501.00002", version=2, title="Older, revised", abstract=OLD_ABSTRACT),
    ]


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


def test_a_light_digest_lists_every_paper_with_title_authors_and_links(project):
    papers = old_papers()
    project.add_day("2025-01-27", papers)
    project.add_day("2026-01-27", [make_paper("2601.00001", title="New", abstract=NEW_ABSTRACT)])
    project.build(ARXIV_ABSTRACT_YEARS=1)

    old = project.page("/2025/01/27/")
    bib = (project.output / "2025/01/27/papers.bib").read_text(encoding="utf-8")
    for paper in papers:
        article = old.find("article", id=paper.id)
        links = {a.get_text(): a["href"] for a in article.find_all("a")}
        assert links[paper.title] == f"https://arxiv.org/abs/{paper.versioned_id}"
        assert links["PDF"] == f"https://arxiv.org/pdf/{paper.versioned_id}"
        # The HTML version and the BibTeX are one click away, on arXiv's abstract page; the
        # day's papers.bib still holds the entry that the reading list exports.
        assert "HTML" not in links
        assert "BibTeX" not in links
        assert f"eprint = {{{paper.id}}}" in bib
        # Every author by name, those after the sixth too; plain names, no search links.
        names = [li.get_text() for li in article.select("ul.authors li:not(.more)")]
        assert names == [author.name for author in paper.authors]
        assert not article.select('a[href*="author="]')
        for code in paper.categories:
            assert links[code] == f"/categories/{code}/"
        assert not article.select("[title]:not(ul.authors li)")  # no tooltips to pay for
        assert article.find("details", class_="abstract") is None
    first = old.find("article", id="2501.00001")
    assert first.find("li", title="Université de Montréal").get_text() == "Émilie Ngô"
    assert {"Vision Language Model", "Software Testing", "Code"} <= {
        a.get_text() for a in first.find_all("a")
    }
    assert first.find("a", href="https://doi.org/10.1000/quokka.1")
    assert "J. Marsupials 3 (2025) 1-9" in first.get_text()
    assert "revised v2" in old.find("article", id="2501.00002").get_text()
    # The newest year links the HTML, the BibTeX, authors to their search, names categories.
    new = project.page("/2026/01/27/").find("article", id="2601.00001")
    assert new.find("a", string="HTML")["href"] == "https://arxiv.org/html/2601.00001v1"
    assert new.find("a", string="BibTeX")["href"] == "/2026/01/27/papers.bib"
    assert new.find("a", href="/search/?author=Ada%20Lovelace").get_text() == "Ada Lovelace"
    assert new.find("a", href="/categories/cs.CV/")["title"].startswith("Computer Vision")


def test_the_newest_years_are_byte_for_byte_as_without_the_setting(project, tmp_path):
    project.add_day("2025-01-27", old_papers())
    project.add_day("2026-01-27", [make_paper("2601.00001", title="New", abstract=NEW_ABSTRACT)])
    project.add_day("2026-02-02", [make_paper("2501.00002", version=3, title="Older, again")])
    light = site_bytes(project.build(ARXIV_ABSTRACT_YEARS=1))
    full = site_bytes(
        project.build(OUTPUT_PATH=str(tmp_path / "full"), CACHE_PATH=str(tmp_path / "cache"))
    )

    # Only the light day's digest differs, and its month's search bundle (the records of
    # that month, without abstracts, named by their hashes).
    def outside_its_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
        return {name: data for name, data in files.items() if "/2025-01/" not in name}

    light_rest, full_rest = outside_its_bundle(light), outside_its_bundle(full)
    assert light_rest.keys() == full_rest.keys()
    assert {name for name in full_rest if light_rest[name] != full_rest[name]} == {
        "2025/01/27/index.html"
    }


def test_a_light_digest_is_kept_in_the_render_cache(project):
    project.add_day("2025-01-27", old_papers())
    project.add_day("2026-01-27", [make_paper("2601.00001", title="New", abstract=NEW_ABSTRACT)])
    project.build(ARXIV_ABSTRACT_YEARS=1)

    # Each day's body stays cached for the next build, the light one too.
    cached = sorted(path.name[:10] for path in (project.root / "cache/arxiv-digest").glob("*.html"))
    assert cached == ["2025-01-27", "2026-01-27"]
