"""``arxiv-digest init``: a new site's keywords.yaml from its owner's topics, the sample store
emptied when they say so, a site that says there is nothing yet, and a first fetch that fills it.

Each test works in a folder of its own, as a copy of the repository: ``keywords.yaml`` and the
store under ``content/papers/`` (the layout the command falls back to without ``pelicanconf.py``).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from arxiv_digest.__main__ import main
from arxiv_digest.fetching.query import build_query
from arxiv_digest.model.fetchlog import LOG_NAME
from arxiv_digest.model.keywords import load
from arxiv_digest.model.store import Day, day_path, dump_day
from arxiv_digest_dev.arxiv_server import entry, recorded_entries

from .conftest import Project, make_paper

TOPICS = ["Protein folding", "graph neural networks"]


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A site's folder holding the sample's two days and its fetch log, the current one."""
    project = Project(tmp_path / "site")
    project.keywords_file.unlink()
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    project.add_day("2025-12-03", [make_paper("2512.00001")])
    (project.store / LOG_NAME).write_text("", encoding="utf-8")
    (project.content / "pages" / "about.md").write_text("Title: About\n\nMine.\n")
    monkeypatch.chdir(project.root)
    return project.root


def init(*args: str, answer: str | None = None) -> subprocess.CompletedProcess:
    """``arxiv-digest init`` as its owner runs it, in the current folder; ``answer``: what
    they type when asked (None: no one is there to ask)."""
    command = Path(sys.executable).with_name("arxiv-digest")
    return subprocess.run(
        [str(command), "init", *args],
        input=answer,
        stdin=None if answer is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def stored(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in (folder / "content").rglob("*"))


def test_init_writes_a_keyword_per_topic_that_a_build_accepts(folder):
    result = init(*TOPICS, "--yes")

    assert result.returncode == 0, result.stderr
    keywords = load(folder / "keywords.yaml").keywords
    assert [(k.name, k.slug, k.terms) for k in keywords] == [
        ("Protein folding", "protein-folding", ("Protein folding",)),
        ("graph neural networks", "graph-neural-networks", ("graph neural networks",)),
    ]
    assert all(k.categories == () for k in keywords)


def test_init_prints_each_keywords_query_and_the_next_steps(folder):
    result = init(*TOPICS, "--yes")

    for keyword in load(folder / "keywords.yaml").keywords:
        assert f"{keyword.name}  [/keywords/{keyword.slug}/, newest 100]" in result.stdout
        assert f"  {build_query(keyword)}\n" in result.stdout
    next_steps = result.stdout.split("Next:", 1)[1]
    assert "pelican --listen" in next_steps
    assert "ARXIV_FETCH=1 pelican content" in next_steps
    assert '"GitHub Actions" as the source' in next_steps
    assert 'run the "publish" workflow' in next_steps


def test_the_categories_given_restrict_every_keyword(folder):
    result = init(*TOPICS, "--categories", "cs.LG, q-bio.BM", "--yes")

    assert result.returncode == 0, result.stderr
    keywords = load(folder / "keywords.yaml").keywords
    assert [k.categories for k in keywords] == [("cs.LG", "q-bio.BM")] * 2
    assert "AND (cat:cs.LG OR cat:q-bio.BM)" in result.stdout


def test_an_unknown_category_is_named_with_a_suggestion_and_nothing_changes(folder):
    before = stored(folder)

    result = init(*TOPICS, "--categories", "cs.LG,cs.cv", "--yes")

    assert result.returncode == 2
    assert "unknown arXiv category 'cs.cv'; did you mean 'cs.CV'?" in result.stderr
    assert not (folder / "keywords.yaml").exists()
    assert stored(folder) == before


def test_a_topic_arxiv_cannot_search_is_refused_before_anything_is_written(folder):
    result = init('the "best" model', "--yes")

    assert result.returncode == 2
    assert "contains '\"', which arXiv cannot search" in result.stderr
    assert not (folder / "keywords.yaml").exists()


def test_topics_are_written_as_text_whatever_they_hold(folder):
    topics = ["视频理解", "C++: templates #1", "key: value", "- dash", "  spaced   out  "]

    result = init(*topics, "--yes")

    assert result.returncode == 0, result.stderr
    names = [k.name for k in load(folder / "keywords.yaml").keywords]
    assert names == ["视频理解", "C++: templates #1", "key: value", "- dash", "spaced out"]


def test_an_existing_keywords_file_is_kept_unless_forced(folder):
    (folder / "keywords.yaml").write_text("keywords: []\n# mine\n", encoding="utf-8")

    refused = init(*TOPICS, "--yes")
    assert refused.returncode == 2
    assert "keywords.yaml exists" in refused.stderr
    assert "--force" in refused.stderr
    assert (folder / "keywords.yaml").read_text(encoding="utf-8") == "keywords: []\n# mine\n"
    assert "2026/2026-01-27.json" in " ".join(stored(folder))

    forced = init(*TOPICS, "--yes", "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(load(folder / "keywords.yaml").keywords) == 2


def test_yes_empties_the_store_of_its_days_and_log_and_leaves_the_pages(folder):
    result = init(*TOPICS, "--yes")

    assert stored(folder) == ["content/pages", "content/pages/about.md", "content/papers"]
    assert "Emptied the store (content/papers)" in result.stdout


def test_keep_store_keeps_every_stored_file(folder):
    before = stored(folder)

    result = init(*TOPICS, "--keep-store")

    assert stored(folder) == before
    assert "holds 2 days of papers: kept" in result.stdout


@pytest.mark.parametrize(("answer", "emptied"), [("y\n", True), ("yes\n", True), ("\n", False)])
def test_without_a_flag_init_asks_before_emptying_the_store(folder, answer, emptied):
    before = stored(folder)

    result = init(*TOPICS, answer=answer)

    assert "holds 2 days of papers. Empty it" in result.stdout
    assert "[y/N]" in result.stdout
    assert (stored(folder) != before) is emptied


def test_with_no_one_to_ask_the_store_is_kept(folder):
    before = stored(folder)

    result = init(*TOPICS)

    assert result.returncode == 0, result.stderr
    assert stored(folder) == before
    assert "Kept the store. To empty it later, delete content/papers." in result.stdout


def test_the_settings_file_says_where_keywords_yaml_and_the_store_are(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "conf.py").write_text(
        f"PATH = {str(tmp_path / 'site-content')!r}\n"
        f"ARXIV_KEYWORDS_FILE = {str(tmp_path / 'elsewhere' / 'topics.yaml')!r}\n"
        "ARXIV_STORE_PATH = 'store'\n",
        encoding="utf-8",
    )
    day = day_path(tmp_path / "site-content" / "store", date(2026, 1, 27))
    day.parent.mkdir(parents=True)
    day.write_text(dump_day(Day(date(2026, 1, 27), (make_paper(),))), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["init", *TOPICS, "--yes", "-s", "conf.py"]) == 0

    assert len(load(tmp_path / "elsewhere" / "topics.yaml").keywords) == 2
    assert not day.exists()


# The site a new owner gets


def init_project(root: Path) -> Project:
    """A site with the keywords ``init`` wrote for TOPICS, and an empty store."""
    folder = root / "init"
    folder.mkdir(parents=True)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("arxiv-digest")), "init", *TOPICS, "--yes"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return Project(root / "site", (folder / "keywords.yaml").read_text(encoding="utf-8"))


def test_an_empty_store_builds_a_site_that_says_no_papers_are_here_yet_and_how_to_fetch(tmp_path):
    project = init_project(tmp_path)

    project.build()

    index = project.page("/")
    text = " ".join(index.find("main").get_text(" ").split())
    assert "No papers here yet: none has been fetched for the topics in keywords.yaml" in text
    assert "the publish workflow fetches them: run it from the repository's Actions tab" in text
    assert "ARXIV_FETCH=1 pelican content fetches them" in text
    nav = [a.get_text() for a in index.select("nav a[data-keyword]")]
    assert nav == TOPICS
    for slug in ("protein-folding", "graph-neural-networks"):
        assert "No stored paper matches this topic yet" in project.page(f"/keywords/{slug}/").text


def test_the_first_fetch_fills_each_keywords_page_and_the_status_page_says_it_was_the_first(
    tmp_path, arxiv_server
):
    project = init_project(tmp_path)
    base = recorded_entries()
    served = {}
    for number, keyword in enumerate(load(project.keywords_file).keywords):
        ids = [f"2603.{10 * number + n:05d}" for n in range(1, 4)]
        papers = [
            entry(base[n], arxiv_id=i, version=1, published="2026-03-02T15:00:00Z")
            for n, i in enumerate(ids)
        ]
        arxiv_server.serve(build_query(keyword), papers)
        served[keyword.slug] = set(ids)

    project.build(ARXIV_FETCH=True, ARXIV_API_URL=arxiv_server.url)

    for slug, ids in served.items():
        shown = {a["id"] for a in project.page(f"/keywords/{slug}/").select("article.paper")}
        assert shown == ids
    first = project.page("/status/").select_one("p.first-fetch").get_text(" ")
    assert "That was the site's first fetch" in " ".join(first.split())

    project.build(ARXIV_FETCH=True, ARXIV_API_URL=arxiv_server.url)

    assert project.page("/status/").select_one("p.first-fetch") is None
