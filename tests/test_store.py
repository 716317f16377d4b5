"""The store: one JSON file per announcement day, merged without loss, written to diff well."""

from __future__ import annotations

import json
import logging
import os
from datetime import date
from pathlib import Path

import pytest

from arxiv_digest.model.paper import Author
from arxiv_digest.model.store import (
    FORMAT,
    Day,
    Store,
    StoreError,
    dump_day,
    load_day,
    read_day_file,
)

from .conftest import Project, make_paper, store_files

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)
TYPOGRAPHIC = "Zo\u00eb\u2019s \u201cdiffusion\u201d model"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "papers")


def test_a_day_is_stored_in_its_own_file_under_its_year(store):
    changed = store.merge({MONDAY: [make_paper("2603.00001")]})
    assert changed == [store.root / "2026" / "2026-03-02.json"]
    assert list(store_files(store.root)) == ["2026/2026-03-02.json"]


def test_a_day_file_carries_the_format_version_and_its_day(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["day"]) == (FORMAT, "2026-03-02")
    assert [p["id"] for p in data["papers"]] == ["2603.00001"]


def test_a_merge_reads_each_day_file_it_touches_once(store, monkeypatch):
    monday, tuesday = store.merge(
        {MONDAY: [make_paper("2603.00001")], TUESDAY: [make_paper("2603.00002")]}
    )
    reads: list[Path] = []
    read_text = Path.read_text

    def recording_read_text(path: Path, *args, **kwargs) -> str:
        reads.append(path)
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", recording_read_text)
    changed = store.merge({MONDAY: [make_paper("2603.00003")], TUESDAY: [make_paper("2603.00002")]})
    assert changed == [monday]
    assert reads == [monday, tuesday]


def test_a_paper_reads_back_exactly_as_it_was_stored(store):
    paper = make_paper(
        "2603.00001",
        version=2,
        title='Robust "VLMs" </script><b>& ünïcödé</b>',
        authors=(Author("Zoë Ñandú", ("Université Paris-Saclay", "Inria")), Author("李华")),
        comment="12 pages, 3 figures",
        journal_ref="Proc. CVPR 2026",
        doi="10.1000/xyz123",
        keywords=("mllm", "vlm"),
    )
    store.merge({MONDAY: [paper]})
    assert store.days() == [Day(MONDAY, (paper,))]


def test_non_ascii_text_is_stored_as_readable_utf8(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001", title=TYPOGRAPHIC)]})
    assert TYPOGRAPHIC in path.read_text(encoding="utf-8")


def test_merging_the_same_papers_again_changes_no_byte(store):
    papers = {MONDAY: [make_paper("2603.00001")], TUESDAY: [make_paper("2603.00002")]}
    store.merge(papers)
    before = store_files(store.root)
    mtimes = {p: p.stat().st_mtime_ns for p in store.root.rglob("*.json")}
    assert store.merge(papers) == []
    assert store_files(store.root) == before
    assert {p: p.stat().st_mtime_ns for p in store.root.rglob("*.json")} == mtimes


def test_papers_given_in_any_order_give_the_same_bytes(tmp_path):
    papers = [make_paper(f"2603.0000{n}", keywords=("vlm", "mllm")) for n in range(1, 6)]
    one, other = Store(tmp_path / "one"), Store(tmp_path / "other")
    one.merge({MONDAY: papers})
    other.merge({MONDAY: list(reversed(papers))})
    assert store_files(one.root) == store_files(other.root)


def test_keys_are_sorted_so_diffs_stay_small(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == sorted(data)
    assert list(data["papers"][0]) == sorted(data["papers"][0])


def test_a_paper_found_by_two_keywords_at_once_is_stored_once_with_both(store):
    store.merge(
        {
            MONDAY: [
                make_paper("2603.00001", keywords=("vlm",)),
                make_paper("2603.00001", keywords=("mllm",)),
            ]
        }
    )
    (day,) = store.days()
    assert [(p.id, p.keywords) for p in day.papers] == [("2603.00001", ("mllm", "vlm"))]


def test_a_keyword_found_later_is_added_to_the_stored_paper(store):
    store.merge({MONDAY: [make_paper("2603.00001", keywords=("vlm",))]})
    store.merge({MONDAY: [make_paper("2603.00001", keywords=("mllm",))]})
    (day,) = store.days()
    assert [(p.id, p.keywords) for p in day.papers] == [("2603.00001", ("mllm", "vlm"))]


def test_merging_never_drops_a_stored_paper(store):
    store.merge({MONDAY: [make_paper("2603.00001"), make_paper("2603.00002")]})
    store.merge({MONDAY: [make_paper("2603.00003")]})
    (day,) = store.days()
    assert [p.id for p in day.papers] == ["2603.00001", "2603.00002", "2603.00003"]


def test_a_new_version_goes_to_its_own_day_and_the_old_day_keeps_what_it_announced(store):
    (monday_file,) = store.merge({MONDAY: [make_paper("2603.00001", version=1, title="First")]})
    announced = monday_file.read_bytes()
    store.merge({TUESDAY: [make_paper("2603.00001", version=2, title="Second")]})
    assert monday_file.read_bytes() == announced
    monday, tuesday = store.days()
    assert [(p.versioned_id, p.title) for p in monday.papers] == [("2603.00001v1", "First")]
    assert [(p.versioned_id, p.title) for p in tuesday.papers] == [("2603.00001v2", "Second")]
    assert tuesday.papers[0].is_revision


def test_a_field_arxiv_now_leaves_empty_keeps_its_stored_value(store):
    store.merge({MONDAY: [make_paper("2603.00001", comment="10 pages", doi="10.1/x")]})
    store.merge({MONDAY: [make_paper("2603.00001", comment="", doi="")]})
    (day,) = store.days()
    assert (day.papers[0].comment, day.papers[0].doi) == ("10 pages", "10.1/x")


def test_days_are_read_oldest_first_across_years(store):
    store.merge({date(2026, 1, 2): [make_paper("2601.00001")]})
    store.merge({date(2025, 12, 31): [make_paper("2512.00001")]})
    assert [d.date for d in store.days()] == [date(2025, 12, 31), date(2026, 1, 2)]


def test_an_empty_or_missing_store_has_no_days(tmp_path):
    assert Store(tmp_path / "nowhere").days() == []


def test_a_file_that_does_not_parse_is_named_with_its_line(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    path.write_text(path.read_text(encoding="utf-8").replace('"title"', "title", 1), "utf-8")
    with pytest.raises(StoreError) as caught:
        store.days()
    assert str(path) in str(caught.value)
    assert "line " in str(caught.value)


def test_a_file_that_does_not_parse_is_never_overwritten_by_a_merge(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    path.write_bytes(b'{"format": 1, "day": "2026-03-02", "papers": [\n')
    before = store_files(store.root)
    with pytest.raises(StoreError, match=r"2026-03-02\.json"):
        store.merge({MONDAY: [make_paper("2603.00002")]})
    assert store_files(store.root) == before


def test_a_file_of_another_format_version_is_refused_by_name(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "format": FORMAT + 1}), encoding="utf-8")
    with pytest.raises(StoreError, match=r"2026-03-02\.json: store format 2"):
        store.days()


def test_a_file_whose_day_does_not_match_its_name_is_refused(store):
    path = store.root / "2026" / "2026-03-02.json"
    path.parent.mkdir(parents=True)
    path.write_text(dump_day(Day(TUESDAY, (make_paper("2603.00001"),))), encoding="utf-8")
    with pytest.raises(StoreError, match="does not match its name"):
        store.days()


def test_a_paper_with_a_versioned_stored_id_is_refused_by_name(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    path.write_text(path.read_text(encoding="utf-8").replace("2603.00001", "2603.00001v1"), "utf-8")
    with pytest.raises(StoreError, match=r"paper 1 \(2603\.00001v1\)"):
        store.days()


@pytest.mark.parametrize(
    "escape", ["\\u0007", "\\ud800"], ids=["control-character", "half-a-surrogate-pair"]
)
def test_a_character_that_is_not_text_is_refused_naming_its_field(store, escape):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    text = path.read_text(encoding="utf-8").replace("A study of", f"A {escape}study of")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        load_day(path)
    assert str(caught.value).startswith(
        f"{path}: paper 1 (2603.00001): 'title' holds {escape}, which is not text"
    )


def test_a_surrogate_pair_and_an_escaped_backslash_are_text(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001", title="A \\u0007 \U0001d400")]})
    text = path.read_text(encoding="utf-8").replace("\U0001d400", "\\ud835\\udc00")
    path.write_text(text, encoding="utf-8")
    assert load_day(path).papers[0].title == "A \\u0007 \U0001d400"


@pytest.mark.parametrize("name", ["2026/2026-02-30.json", "2025/2026-03-02.json"])
def test_a_day_file_with_an_impossible_name_is_refused(store, name):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    misplaced = store.root / name
    misplaced.parent.mkdir(parents=True, exist_ok=True)
    misplaced.write_bytes(path.read_bytes())
    with pytest.raises(StoreError, match=r"not a day file: name it papers/YYYY/YYYY-MM-DD\.json"):
        store.days()


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(store, monkeypatch):
    store.merge({MONDAY: [make_paper("2603.00001")]})
    before = store_files(store.root)

    def power_cut(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(KeyboardInterrupt):
        store.merge({MONDAY: [make_paper("2603.00002")]})
    assert store_files(store.root) == before


def test_a_written_file_is_readable_by_everyone(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_day_file_reads_once_into_its_day_and_a_digest_of_its_bytes(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    first = read_day_file(path)
    assert first.day == load_day(path)
    assert read_day_file(path).digest == first.digest
    store.merge({MONDAY: [make_paper("2603.00002")]})
    assert read_day_file(path).digest != first.digest


def test_a_day_file_that_is_not_utf8_is_named(store):
    (path,) = store.merge({MONDAY: [make_paper("2603.00001")]})
    path.write_bytes(path.read_bytes().replace(b"2603.00001", b"2603.0000\xff", 1))
    with pytest.raises(StoreError, match="cannot be read") as caught:
        read_day_file(path)
    assert str(path) in str(caught.value)


# -- strict types: a wrong field is named with its file and paper -----------------------------

# (what is wrong, how paper 2 of three is spoilt, the field its message names)
SPOILT_PAPERS = [
    ("authors as text", {"authors": "Ada Lovelace"}, "authors"),
    ("authors as a dict", {"authors": {"Ada Lovelace": 1, "Alan Turing": 2}}, "authors"),
    ("a category code as text", {"categories": "cs.CV"}, "categories"),
    ("truncation as text", {"authors_truncated": "false"}, "authors_truncated"),
    ("a keyword as text", {"keywords": "vlm"}, "keywords"),
    ("a version as text", {"version": "2"}, "version"),
    ("a version as true", {"version": True}, "version"),
    ("a missing title", {"title": None}, "title"),
    ("affiliations as a list", {"affiliations": [["MIT"]]}, "affiliations"),
    ("an affiliation as text", {"affiliations": {"0": "MIT"}}, "affiliations"),
    ("announced in year 1", {"announced": "0001-01-01"}, "announced"),
    ("updated in year 9999", {"updated": "9999-12-31T23:59:59Z"}, "updated"),
    ("published on 30 February", {"published": "2026-02-30"}, "published"),
    ("updated without a time zone", {"updated": "2026-03-02T10:00:00"}, "updated"),
]
SPOILT_IDS = [case[0] for case in SPOILT_PAPERS]


def three_papers_with_the_second_spoilt(root: Path, spoil: dict | None) -> Path:
    """A Monday file of papers 1-3, the second one's fields replaced by ``spoil`` (None:
    the second repeats the first, id and version)."""
    store = Store(root)
    (path,) = store.merge({MONDAY: [make_paper(f"2603.0000{n}") for n in (1, 2, 3)]})
    data = json.loads(path.read_text(encoding="utf-8"))
    if spoil is None:
        data["papers"][1] = dict(data["papers"][0])
    else:
        data["papers"][1].update(spoil)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("spoil", "field"), [c[1:] for c in SPOILT_PAPERS], ids=SPOILT_IDS)
def test_a_paper_with_a_wrong_field_is_refused_naming_file_paper_and_field(store, spoil, field):
    path = three_papers_with_the_second_spoilt(store.root, spoil)
    with pytest.raises(StoreError) as caught:
        store.days()
    assert str(caught.value).startswith(f"{path}: paper 2 (2603.00002): '{field}' ")


def test_a_paper_repeated_in_one_file_is_refused_naming_file_paper_and_field(store):
    path = three_papers_with_the_second_spoilt(store.root, None)
    with pytest.raises(StoreError) as caught:
        store.days()
    assert str(caught.value).startswith(f"{path}: paper 2 (2603.00001): 'id' repeats paper 1")


def test_two_versions_of_a_paper_on_one_day_are_not_a_repeat(store):
    store.merge({MONDAY: [make_paper("2603.00001", 1), make_paper("2603.00001", 2)]})
    (day,) = store.days()
    assert [p.versioned_id for p in day.papers] == ["2603.00001v1", "2603.00001v2"]


def test_a_file_with_a_wrong_field_is_never_overwritten_by_a_merge(store):
    path = three_papers_with_the_second_spoilt(store.root, {"authors": "Ada Lovelace"})
    before = store_files(store.root)
    with pytest.raises(StoreError, match="'authors'"):
        store.merge({MONDAY: [make_paper("2603.00004")]})
    assert store_files(store.root) == before
    assert path.exists()


def test_every_field_read_back_has_the_type_it_is_declared_with(store):
    store.merge({MONDAY: [make_paper("2603.00001", authors_truncated=True)]})
    (paper,) = store.days()[0].papers
    assert paper.authors_truncated is True
    assert paper.categories == ("cs.CV", "cs.LG")
    assert [a.name for a in paper.authors] == ["Ada Lovelace", "Alan Turing"]


@pytest.mark.parametrize(
    "name",
    ["9999/9999-12-31.json", "0001/0001-01-01.json", "1990/1990-12-31.json"],
    ids=["year-9999", "year-1", "before-arxiv"],
)
def test_a_day_file_dated_outside_the_stored_years_is_refused(store, name):
    day = date.fromisoformat(name[5:15])
    path = store.root / name
    path.parent.mkdir(parents=True)
    path.write_text(dump_day(Day(day, (make_paper("2603.00001"),))), encoding="utf-8")
    with pytest.raises(StoreError, match=r"a real day of the years 1991-2999"):
        store.days()


# -- the build leaves out what cannot be read, and says so once, after the site is written ---


def build_errors(project: Project, caplog) -> list[str]:
    with caplog.at_level(logging.ERROR):
        project.build()
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


BUILT_CASES = [
    c
    for c in SPOILT_PAPERS
    if c[0]
    in {
        "authors as text",
        "authors as a dict",
        "a category code as text",
        "truncation as text",
        "announced in year 1",
        "updated in year 9999",
    }
] + [("a repeated id", None, "id")]


@pytest.mark.parametrize(
    ("spoil", "field"), [c[1:] for c in BUILT_CASES], ids=[c[0] for c in BUILT_CASES]
)
def test_a_build_leaves_out_a_paper_with_a_wrong_field_and_names_it_in_one_error(
    project, caplog, spoil, field
):
    path = three_papers_with_the_second_spoilt(project.store, spoil)
    (error,) = build_errors(project, caplog)
    shown = [a["id"] for a in project.page("/2026/03/02/").select("article.paper")]
    paper = "2603.00001" if spoil is None else "2603.00002"
    assert f"{path}: paper 2 ({paper}): '{field}' " in error
    assert sorted(shown) == ["2603.00001", "2603.00003"]


def test_a_build_leaves_out_a_file_that_is_not_a_day_and_names_it_in_one_error(project, caplog):
    project.add_day("2026-03-02", [make_paper("2603.00001")])
    broken = project.add_day("2026-03-03", [make_paper("2603.00002")])
    broken.write_text('{"format": 1, "day": "2026-03-03", "papers": [', encoding="utf-8")
    spoilt = project.add_day("2026-03-04", [make_paper("2603.00003", categories=("cs.CV", "7"))])
    spoilt.write_text(spoilt.read_text("utf-8").replace('"7"', "7"), "utf-8")
    far = project.store / "9999" / "9999-12-31.json"
    far.parent.mkdir()
    far.write_text(dump_day(Day(date(9999, 12, 31), ())), encoding="utf-8")
    (error,) = build_errors(project, caplog)
    assert error.startswith("The store holds 3 problems")
    assert f"{broken}: line 1 column" in error
    assert f"{spoilt}: paper 1 (2603.00003): 'categories' must hold text only, not 7" in error
    assert f"{far}: not a day file" in error
    assert project.page("/2026/03/02/").select("article.paper")
    assert not (project.output / "2026" / "03" / "03").exists()
