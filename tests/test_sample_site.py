"""The sample site (tests/fixtures/sample-site/) builds into a complete site, offline, with every
paper on it; and no test reads the repository's own keywords.yaml or store, which a site's
owner replaces with theirs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from arxiv_digest_dev.harness import build_sample_site

from .conftest import LIVE_FILE_READS, ROOT, SAMPLE_SITE, as_shown, shown_text


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return build_sample_site(tmp_path_factory.mktemp("sample") / "output")


def sample_papers() -> list[tuple[str, dict]]:
    """Every (day, paper) of the sample store."""
    papers = []
    for path in sorted((SAMPLE_SITE / "content" / "papers").glob("*/*.json")):
        day = json.loads(path.read_text(encoding="utf-8"))
        papers += [(day["day"], paper) for paper in day["papers"]]
    return papers


def page(output: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((output / url.strip("/") / "index.html").read_text("utf-8"), "html.parser")


def test_the_sample_site_shows_the_seed_papers_with_their_fields(sample_site):
    # Kept, on the built site rather than the store: the sample is what a first build and the
    # README screenshots show, and without it the per-paper tests below pass on an empty store.
    day_pages = sorted(sample_site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"))
    articles = [
        article
        for path in day_pages
        for article in BeautifulSoup(path.read_bytes(), "html.parser").select("article.paper")
    ]
    assert len({a["id"] for a in articles}) >= 150
    # The per-keyword seed gave versions and comments; the per-day seeds authors and categories.
    assert any(a.select_one(".revised") for a in articles)
    assert any(a.select_one(".comment") for a in articles)
    assert any(a.select_one(".authors li") and a.select_one(".tags a.cat") for a in articles)


def test_every_sample_paper_is_on_its_day_page(sample_site):
    by_day: dict[str, set[str]] = {}
    for day, paper in sample_papers():
        by_day.setdefault(day, set()).add(paper["id"])
    for day, ids in by_day.items():
        html = page(sample_site, day.replace("-", "/"))
        shown = {a["id"] for a in html.select("article.paper[id]")}
        assert shown == ids, day


def test_every_sample_paper_title_and_abstract_is_shown_math_as_tex(sample_site):
    for day, paper in sample_papers():
        html = page(sample_site, day.replace("-", "/"))
        article = html.find("article", attrs={"id": paper["id"]})
        title = article.find(["h2", "h3", "h4"])
        assert shown_text(title).strip() == as_shown(paper["title"])
        assert shown_text(article.select_one("details.abstract p")) == as_shown(paper["abstract"])


def test_the_sample_site_has_an_index_and_a_page_per_keyword(sample_site):
    index = page(sample_site, "/")
    assert index.h1.get_text().startswith("arXiv digest, ")
    for slug in ("video-anomaly-detection", "video-understanding", "vlm", "mllm"):
        keyword_page = page(sample_site, f"/keywords/{slug}/")
        assert keyword_page.select("article.paper"), slug
        assert index.find("a", href=f"/keywords/{slug}/")
    assert (sample_site / "archive" / "index.html").exists()
    assert (sample_site / "feeds" / "all.atom.xml").exists()


HELP = [sys.executable, "-m", "arxiv_digest", "--help"]  # reads nothing, wherever started


def test_a_test_that_reads_the_repositorys_own_keywords_or_store_is_seen():
    # Every test is checked this way (conftest.py): one that read these would fail in a copy
    # of the repository with other topics and no store.
    (ROOT / "keywords.yaml").read_bytes()
    list((ROOT / "content").iterdir())
    # pelican and arxiv_digest read ./keywords.yaml and ./content/ when started there.
    subprocess.run(HELP, cwd=ROOT, capture_output=True, check=True)

    seen = LIVE_FILE_READS.take()

    assert seen[:2] == [str(ROOT / "keywords.yaml"), str(ROOT / "content")]
    assert seen[2].startswith(f"{ROOT} (started there: ")
    assert len(seen) == 3


def test_reading_the_sample_site_or_a_copy_of_the_repository_is_not_seen(tmp_path):
    (SAMPLE_SITE / "keywords.yaml").read_bytes()
    list((SAMPLE_SITE / "content" / "papers").iterdir())
    (tmp_path / "content").mkdir()
    list((tmp_path / "content").iterdir())
    subprocess.run(HELP, cwd=tmp_path, capture_output=True, check=True)
    # pytest removing an old basetemp that holds a built site: rmtree opens each folder by
    # its bare name ("content") relative to its parent, not to the repository.
    (tmp_path / "old" / "content" / "papers").mkdir(parents=True)
    shutil.rmtree(tmp_path / "old")

    assert LIVE_FILE_READS.take() == []
