"""Keeping up in the build: the files keepup.py writes, from the sample store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup

from .conftest import SAMPLE_SITE, Project


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Project:
    project = Project(
        tmp_path_factory.mktemp("keepup") / "site",
        (SAMPLE_SITE / "keywords.yaml").read_text(encoding="utf-8"),
    )
    shutil.copytree(SAMPLE_SITE / "content", project.content, dirs_exist_ok=True)
    project.build()
    return project


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_same_store_gives_the_same_bytes(sample, tmp_path):
    again = sample.build(OUTPUT_PATH=str(tmp_path / "output"), CACHE_PATH=str(tmp_path / "cache"))
    # Pagefind writes its filter maps in its hash maps' order, which differs between runs:
    # the search bundles are left out (a rebuild reuses them unchanged, see test_search.py).
    first, second = tree(sample.output), tree(again)
    for name in [n for n in first if n.startswith("search/index/")]:
        del first[name]
    for name in [n for n in second if n.startswith("search/index/")]:
        del second[name]
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    for name in ("data/recent.json", "feeds/keywords.opml", "reading-list/index.html"):
        assert name in first


def test_the_index_points_every_stored_paper_to_a_day_that_lists_it(sample):
    stored = {}
    for path in sorted((sample.store).glob("*/*.json")):
        day = json.loads(path.read_text(encoding="utf-8"))
        for paper in day["papers"]:
            stored.setdefault(paper["id"], set()).add(day["day"])
    index = {}
    for shard in (sample.output / "data" / "papers").glob("*.json"):
        index.update(json.loads(shard.read_text(encoding="utf-8"))["papers"])
    assert sorted(index) == sorted(stored)
    for paper_id, day in index.items():
        assert day in stored[paper_id]
        page = (sample.output / day.replace("-", "/") / "index.html").read_text(encoding="utf-8")
        shown = BeautifulSoup(page, "html.parser").find("article", id=paper_id)
        assert shown.find_parent(attrs={"data-day": True})["data-day"] == day
    size = sum(p.stat().st_size for p in (sample.output / "data" / "papers").glob("*.json"))
    assert size < 30 * len(index)


def test_each_day_has_its_papers_as_bibtex_with_their_eprints(sample):
    for path in sorted((sample.store).glob("*/*.json")):
        day = json.loads(path.read_text(encoding="utf-8"))
        bib = sample.output / day["day"].replace("-", "/") / "papers.bib"
        library = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
        assert library.failed_blocks == []
        assert sorted(e["eprint"] for e in library.entries) == sorted(
            {p["id"] for p in day["papers"]}
        )


def test_the_reading_list_page_says_it_needs_javascript(sample):
    page = sample.page("/reading-list/")
    assert "needs JavaScript" in page.find(id="reading-list-nojs").get_text()
    assert page.find("a", attrs={"aria-current": "page"}).get_text() == "Reading list"
