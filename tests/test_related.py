"""Related papers: on each digest page without JavaScript, the same bytes from the same store,
computed for a new day only, and the scripts' data files."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from arxiv_digest.model.store import Day
from arxiv_digest.pages import related
from arxiv_digest_dev.labelled import labelled_store

from .conftest import ROOT, Project, make_paper

# Two topics a reader tells apart at a glance; each paper's related papers are its topic's.
VIDEO = [
    ("2601.00001", "Video anomaly detection in surveillance footage",
     "We detect anomalies in surveillance video with a weakly supervised video transformer."),
    ("2601.00002", "Weakly supervised anomaly detection for surveillance video",
     "Surveillance cameras record rare anomalies; our detector scores video clips."),
    ("2601.00003", "Anomalies in long surveillance videos",
     "A benchmark of surveillance video anomaly detection with hours of footage."),
]  # fmt: skip
PROTEINS = [
    ("2601.00004", "Protein folding with graph networks",
     "Graph networks predict protein structure from amino acid sequences."),
    ("2601.00005", "Amino acid sequences and protein structure",
     "We fold protein sequences with a graph network over amino acid contacts."),
    ("2601.00006", "Protein structure prediction from sequences",
     "Predicting protein folding from amino acid sequences with graph attention."),
]  # fmt: skip


def papers(rows, **fields):
    return [make_paper(i, title=t, abstract=a, **fields) for i, t, a in rows]


def related_links(project: Project, day: str, paper_id: str) -> list[tuple[str, str]]:
    """(href, text) of the related papers shown in a paper's abstract on its digest page."""
    article = project.page(f"/{day.replace('-', '/')}/").find("article", id=paper_id)
    listed = article.find("details", class_="abstract").find("ul", class_="related")
    return [(a["href"], a.get_text()) for a in listed.find_all("a")] if listed else []


def test_each_paper_on_its_digest_page_shows_its_topics_papers_inside_its_abstract(project):
    project.add_day("2026-01-26", papers(VIDEO[:2] + PROTEINS[:2]))
    project.add_day("2026-01-27", papers(VIDEO[2:] + PROTEINS[2:]))
    project.build()

    newest = related_links(project, "2026-01-27", "2601.00003")
    assert [href for href, _ in newest[:2]] == [
        "/2026/01/26/#2601.00001",
        "/2026/01/26/#2601.00002",
    ]
    assert newest[0][1] == VIDEO[0][1]  # the title, linking to the paper in its digest
    proteins = related_links(project, "2026-01-27", "2601.00006")
    assert {href for href, _ in proteins[:2]} == {
        "/2026/01/26/#2601.00004",
        "/2026/01/26/#2601.00005",
    }
    # A paper of the same day links to it on the same page.
    assert related_links(project, "2026-01-26", "2601.00001")[0] == (
        "#2601.00002",
        "Weakly supervised anomaly detection for…",  # its title, cut short
    )
    # Every paper of every day shows some, none of them itself.
    for day, rows in (
        ("2026-01-26", VIDEO[:2] + PROTEINS[:2]),
        ("2026-01-27", VIDEO[2:] + PROTEINS[2:]),
    ):
        for paper_id, _, _ in rows:
            links = related_links(project, day, paper_id)
            assert links
            assert not any(href.endswith(f"#{paper_id}") for href, _ in links)


def test_a_day_shows_no_paper_announced_after_it_and_keeps_its_bytes_when_newer_days_come(project):
    project.add_day("2026-01-26", papers(VIDEO[:2]))
    project.build()
    shown = [str(a) for a in project.page("/2026/01/26/").find_all("article")]
    project.add_day("2026-01-27", papers(VIDEO[2:]))
    project.build()
    assert [str(a) for a in project.page("/2026/01/26/").find_all("article")] == shown
    assert [href for href, _ in related_links(project, "2026-01-26", "2601.00001")] == [
        "#2601.00002"
    ]


def test_hostile_titles_are_escaped_in_the_related_links(project):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> anomaly video surveillance'
    project.add_day("2026-01-26", [make_paper("2601.00001", title=hostile, abstract=VIDEO[0][2])])
    project.add_day("2026-01-27", papers(VIDEO[1:2]))
    project.build()
    html = (project.output / "2026/01/27/index.html").read_text(encoding="utf-8")
    listed = project.page("/2026/01/27/").find("ul", class_="related")
    assert listed.find("script") is None
    assert listed.find("img") is None
    assert listed.find("a").get_text() == '<script>alert("x")</script><img src=x…'
    assert "&lt;script&gt;" in html


def build_in_process(project: Project, seed: str, output: str) -> None:
    code = (
        "import sys; from pathlib import Path; from arxiv_digest_dev.sites import Project; "
        "Project(Path(sys.argv[1])).build(OUTPUT_PATH=sys.argv[2], CACHE_PATH=sys.argv[3])"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-c", code, str(project.root), output, output + "-cache"],
        check=True, cwd=ROOT, env=env, capture_output=True, timeout=300,
    )  # fmt: skip


def related_files(output) -> dict[str, bytes]:
    """The digest pages and the related data files, by path."""
    found = [*output.glob("20*/*/*/index.html"), *output.glob("data/related/*.json")]
    return {str(p.relative_to(output)): p.read_bytes() for p in found}


def test_the_same_store_gives_the_same_bytes_whatever_the_hash_seed_and_file_order(
    project, tmp_path
):
    project.add_day("2026-01-26", papers(VIDEO[:2] + PROTEINS[:2]))
    project.add_day("2026-01-27", papers(VIDEO[2:] + PROTEINS[2:]))
    build_in_process(project, "1", str(tmp_path / "one"))
    # The same day files with their papers in the opposite order.
    for path in project.store.glob("*/*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["papers"].reverse()
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    build_in_process(project, "2", str(tmp_path / "two"))
    one, two = related_files(tmp_path / "one"), related_files(tmp_path / "two")
    assert "data/related/2601.json" in one
    assert one == two


def test_a_new_day_computes_only_its_own_papers(project, caplog):
    project.add_day("2026-01-26", papers(VIDEO[:2] + PROTEINS[:2]))
    with caplog.at_level(logging.INFO, logger="arxiv_digest.glue.related"):
        project.build()
        project.add_day("2026-01-27", papers(VIDEO[2:] + PROTEINS[2:]))
        project.build()
        project.build()
    computed = [r.getMessage() for r in caplog.records if r.name == "arxiv_digest.glue.related"]
    assert computed == [
        "Related papers: 4 papers of 1 new days compared with 4",
        "Related papers: 2 papers of 1 new days compared with 6",
        "Related papers: 0 papers of 0 new days compared with 6",
    ]


def test_a_changed_older_day_changes_the_related_papers_shown_on_later_days(project):
    old = [*papers(VIDEO[:1]), make_paper("2601.00009", title="Unrelated", abstract="Nothing.")]
    project.add_day("2026-01-26", old)
    project.add_day("2026-01-27", papers(PROTEINS[:1]))
    project.build()
    assert [h for h, _ in related_links(project, "2026-01-27", "2601.00004")] == []
    # The older day's second paper is now about proteins: the later day's page says so,
    # though its own day file did not change (its body is not taken from the cache).
    changed = make_paper("2601.00009", title=PROTEINS[1][1], abstract=PROTEINS[1][2])
    project.add_day("2026-01-26", [*papers(VIDEO[:1]), changed])
    project.build()
    assert [h for h, _ in related_links(project, "2026-01-27", "2601.00004")] == [
        "/2026/01/26/#2601.00009"
    ]


def test_the_data_files_give_each_paper_its_related_papers_by_id_as_its_digest_shows(project):
    project.add_day("2026-01-26", papers(VIDEO[:2] + PROTEINS[:2]))
    project.add_day("2026-01-27", papers(VIDEO[2:] + PROTEINS[2:]))
    project.build()
    data = json.loads((project.output / "data/related/2601.json").read_text(encoding="utf-8"))
    assert data["format"] == related.FORMAT
    shown = data["papers"]
    assert set(shown) == {f"2601.0000{n}" for n in range(1, 7)}
    for day, rows in (
        ("2026-01-26", VIDEO[:2] + PROTEINS[:2]),
        ("2026-01-27", VIDEO[2:] + PROTEINS[2:]),
    ):
        for paper_id, _, _ in rows:
            links = related_links(project, day, paper_id)
            assert shown[paper_id] == [href.rsplit("#", 1)[1] for href, _ in links]
            assert len(shown[paper_id]) <= related.COUNT


def test_a_new_day_changes_only_its_own_papers_data_shards(project):
    project.add_day("2026-01-26", papers(VIDEO[:2]))
    project.add_day(
        "2026-01-27", [make_paper("2512.00001", title=VIDEO[2][1], abstract=VIDEO[2][2])]
    )
    project.build()
    december = project.output / "data/related/2512.json"
    before = december.read_bytes()
    project.add_day("2026-01-28", [*papers(PROTEINS), make_paper("2601.00009", title=VIDEO[0][1])])
    project.build()
    assert december.read_bytes() == before  # its paper is named by a newer one: no change
    newest = json.loads((project.output / "data/related/2601.json").read_text(encoding="utf-8"))
    assert "2512.00001" in newest["papers"]["2601.00009"]


# The computation alone.


def day(iso: str, rows, **fields) -> Day:
    return Day(date.fromisoformat(iso), tuple(papers(rows, **fields)))


DAYS = [
    day("2026-01-26", VIDEO[:2] + PROTEINS[:1]),
    day("2026-01-27", VIDEO[2:] + PROTEINS[1:2]),
    day("2026-01-28", PROTEINS[2:]),
]


def test_adding_days_one_build_at_a_time_gives_what_adding_them_at_once_gives():
    at_once = related.RelatedIndex()
    at_once.add_days([(one, "") for one in DAYS])  # compared in one block: the days masked
    kept = related.RelatedIndex()
    for one in DAYS:
        kept = related.RelatedIndex.from_arrays(kept.to_arrays())  # a build each
        kept.add_day(one)
    assert related.related_data(kept) == related.related_data(at_once)
    assert kept.days == at_once.days


def test_on_a_real_store_four_related_papers_in_five_share_a_keyword():
    """The labelled set of scripts/related_quality.py: the share of each paper's related
    papers found by one of its keywords, where 3 papers picked at random share one 13% of
    the time. Word overlap alone (the TF-IDF cosine) gives 0.70 here."""
    index = related.RelatedIndex()
    keywords: dict[str, set[str]] = {}
    shared = named = 0
    for one in labelled_store():
        keywords.update({paper.id: set(paper.keywords) for paper in one.papers})
        for paper_id, found in index.add_day(one).items():
            shared += sum(bool(keywords[paper_id] & keywords[n.id]) for n in found)
            named += len(found)
    assert named >= 3 * 7000
    assert shared / named >= 0.8


@pytest.mark.parametrize("fit_rows", [related.FIT_ROWS, 128])
def test_days_added_one_build_at_a_time_find_the_directions_again_where_all_at_once_does(
    fit_rows, monkeypatch
):
    """Across the days that find the directions again (the store doubled), with blocks of
    many days at once: the same lists, scores and points. With directions found from the
    newest 128 papers, older papers' points are carried over from the directions before,
    and their vectors are not kept."""
    monkeypatch.setattr(related, "FIT_ROWS", fit_rows)
    days = labelled_store(12)  # ~700 papers: the directions are found again 4 times or more
    # Some papers revised on later days (a new version takes the old one's place).
    for later, earlier in ((5, 1), (9, 4), (11, 10)):
        revised = [
            replace(p, version=2, title=f"{p.title} revised") for p in days[earlier].papers[:3]
        ]
        days[later] = Day(days[later].date, (*days[later].papers, *revised))
    at_once = related.RelatedIndex()
    at_once.add_days([(one, "") for one in days])
    kept = related.RelatedIndex()
    for one in days:
        kept = related.RelatedIndex.from_arrays(kept.to_arrays())
        kept.add_day(one)
    assert related.related_data(kept) == related.related_data(at_once)
    assert kept.days == at_once.days
    assert np.array_equal(kept.scores.array, at_once.scores.array)
    assert np.array_equal(kept.points.array, at_once.points.array)
    assert kept.fitted == at_once.fitted > len(days[0].papers)
    assert kept.window == at_once.window == max(0, len(kept.row_ids) - fit_rows)
    assert (kept.replaced.array != related.NEVER).sum() == 9


def test_the_term_vectors_kept_are_the_newest_papers_own(monkeypatch):
    """Only the newest FIT_ROWS papers keep their term vectors (the directions are found
    from them): each is what an index that forgets nothing holds for that paper."""
    days = labelled_store(8)
    whole = related.RelatedIndex()  # FIT_ROWS (4,096) is more than these ~500 papers
    whole.add_days([(one, "") for one in days])
    monkeypatch.setattr(related, "FIT_ROWS", 128)
    kept = related.RelatedIndex()
    for one in days:
        kept.add_day(one)
    end = len(kept.row_ids)
    assert kept.window == end - 128
    assert whole.window == 0
    for got, expected in zip(
        vars_of(kept._matrix(kept.window, end)),
        vars_of(whole._matrix(kept.window, end)),
        strict=True,
    ):
        assert np.array_equal(got, expected)


def vars_of(vectors: related.Vectors) -> list:
    return [vectors.rows, vectors.columns, vectors.weights, vectors.count]


def test_the_scores_are_the_exact_products_of_the_kept_points():
    """float32 adds the integer points' products exactly (each sum < 2**24): the scores
    kept are the products recomputed in 64-bit integers (for the rows after the directions
    were last found: before, they were compared on others)."""
    index = related.RelatedIndex()
    index.add_days([(one, "") for one in labelled_store(6)])
    points = index.to_arrays()["points"].astype(np.int64).reshape(-1, related.DIMENSIONS)
    assert np.abs(points).max() <= related.NORM
    since = next(rows.start for rows in index.day_rows().values() if rows.stop == index.fitted)
    compared = 0
    for row in range(since, len(index.row_ids)):
        for n in index.related(row):
            other = index.current[n.id]
            assert round(n.score * related.NORM**2) == points[row] @ points[other]
            compared += 1
    assert compared >= 150


def test_a_day_with_no_papers_adds_nothing_and_breaks_nothing():
    index = related.RelatedIndex()
    index.add_day(Day(date(2026, 1, 25), ()))
    found = index.add_day(DAYS[0])
    assert [n.id for n in found["2601.00001"]][:1] == ["2601.00002"]


def test_papers_without_a_term_have_no_related_papers_and_break_nothing():
    """A first day whose titles and abstracts are all stop words and numbers (hostile or
    broken entries) finds no directions; the next day, smaller, finds them and relates its
    papers."""
    index = related.RelatedIndex()
    blank = [(f"2601.0001{n}", f"{n} 2 3", "The of and.") for n in range(4)]
    empty = index.add_day(day("2026-01-25", blank))
    assert empty == {paper_id: [] for paper_id, _, _ in blank}
    found = index.add_day(DAYS[0])
    assert [n.id for n in found["2601.00001"]][:1] == ["2601.00002"]
    assert all(not n.id.startswith("2601.0001") for listed in found.values() for n in listed)


def test_equal_scores_are_ordered_by_arxiv_id():
    twins = [(f"2601.0001{n}", "Same words", "Exactly the same abstract.") for n in (3, 1, 2)]
    index = related.RelatedIndex()
    found = index.add_day(
        day("2026-01-26", [("2601.00010", "Same words", "Exactly the same abstract."), *twins])
    )
    assert [n.id for n in found["2601.00010"]] == ["2601.00011", "2601.00012", "2601.00013"]


def test_a_new_version_takes_the_place_of_the_old_one_as_a_related_paper():
    index = related.RelatedIndex()
    index.add_day(day("2026-01-26", VIDEO[:2]))
    revised = make_paper("2601.00001", version=2, title=PROTEINS[0][1], abstract=PROTEINS[0][2])
    found = index.add_day(Day(date(2026, 1, 27), (revised, *papers(PROTEINS[1:2]))))
    assert [n.id for n in found["2601.00005"]] == ["2601.00001"]  # now about proteins
    assert found["2601.00001"][0].id == "2601.00005"
    assert all(n.id != "2601.00001" for n in found["2601.00001"])


def test_an_older_day_whose_titles_or_abstracts_changed_no_longer_holds():
    index = related.RelatedIndex()
    for one in DAYS:
        index.add_day(one, source=f"file {one.date}")
    same = [(d, f"file {d.date}") for d in DAYS]
    assert index.still_holds(same) == 3
    keyword_added = [(DAYS[0], "other file"), *same[1:]]
    assert index.still_holds(keyword_added) == 3  # same texts: the lists stand
    changed = Day(DAYS[1].date, (make_paper("2601.00003", title="New title"), *DAYS[1].papers[1:]))
    assert index.still_holds([same[0], (changed, "changed"), same[2]]) == 1


@pytest.mark.parametrize(
    ("word", "term"),
    [("models", "model"), ("class", "class"), ("analysis", "analysis"), ("the", ""), ("2026", "")],
)
def test_words_become_terms(word, term):
    assert related.word_term(word) == term


LONG_WORD = "Supercalifragilisticexpialidocious" * 2 + " and more"
SHORT = "Video anomaly detection in surveillance footage"
TEX = "Sparse coding with $\\ell_1$ penalties for the longer titles of many kinds of papers"


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        (SHORT, SHORT),
        (
            "Transformer Injectivity & Geometric Robustness - Analytic Margins and Uniformity",
            "Transformer Injectivity & Geometric Robustness…",
        ),
        (TEX, TEX),  # math before the cut: whole
        (LONG_WORD, LONG_WORD),  # no word ends within the length: whole
    ],
)
def test_a_related_papers_title_is_cut_after_a_whole_word_and_never_inside_math(title, shown):
    assert related.short_title(title) == shown
