"""Data for the scripts: paper shards for the reading list, recent days for "new since"."""

import json
from datetime import date

import pytest

from arxiv_digest.paper import Author, Paper
from arxiv_digest.paperdata import recent, shard_key, shards
from arxiv_digest.store import Day


def paper(paper_id: str, version: int = 1, keywords=("vlm",), **fields) -> Paper:
    return Paper(paper_id, version, f"Title of {paper_id}", keywords=keywords, **fields)


@pytest.mark.parametrize(
    ("paper_id", "key"),
    [
        ("2601.01234", "2601.01"),
        ("2601.00001", "2601.00"),
        ("2612.29999", "2612.29"),
        ("0704.0001", "0704.0"),  # 2007-2014: four-digit numbers
        ("1412.9999", "1412.9"),
        ("quant-ph/0201082", "0201"),
        ("math.GT/0309136", "0309"),
    ],
)
def test_shard_key(paper_id, key):
    assert shard_key(paper_id) == key


def test_each_paper_lands_in_its_shard_once_at_its_newest_version():
    days = [
        Day(date(2026, 1, 5), (paper("2601.01234"), paper("quant-ph/0201082"))),
        Day(date(2026, 1, 20), (paper("2601.01234", version=2, abstract="Revised."),)),
    ]
    result = {s.file_name: json.loads(s.text) for s in shards(days)}
    assert sorted(result) == ["0201.json", "2601.01.json"]
    entry = result["2601.01.json"]["papers"]["2601.01234"]
    assert entry["version"] == 2
    assert entry["abstract"] == "Revised."
    assert entry["day"] == "2026-01-20"
    assert list(result["0201.json"]["papers"]) == ["quant-ph/0201082"]


def test_an_entry_carries_what_the_reading_list_shows_and_exports():
    full = paper(
        "2601.01234",
        authors=(Author("Ada Lovelace", ("Analytical Engines",)), Author("Alan Turing")),
        abstract="We show things.",
        primary_category="cs.CV",
        categories=("cs.CV", "cs.AI"),
        published="2026-01-02T10:00:00Z",
        doi="10.1000/x",
        journal_ref="J. Things 1 (2026)",
    )
    (shard,) = shards([Day(date(2026, 1, 5), (full,))])
    assert json.loads(shard.text)["papers"]["2601.01234"] == {
        "version": 1,
        "title": "Title of 2601.01234",
        "authors": ["Ada Lovelace", "Alan Turing"],
        "abstract": "We show things.",
        "category": "cs.CV",
        "published": "2026-01-02",
        "day": "2026-01-05",
        "doi": "10.1000/x",
        "journal_ref": "J. Things 1 (2026)",
    }


def test_empty_fields_are_left_out():
    (shard,) = shards([Day(date(2026, 1, 5), (Paper("2601.01234", None, "T"),))])
    assert json.loads(shard.text)["papers"]["2601.01234"] == {"title": "T", "day": "2026-01-05"}


def test_markup_from_arxiv_stays_text_in_the_json():
    hostile = paper("2601.01234", abstract='</script><script>alert("x")</script>')
    (shard,) = shards([Day(date(2026, 1, 5), (hostile,))])
    assert json.loads(shard.text)["papers"]["2601.01234"]["abstract"] == hostile.abstract


def test_same_days_in_any_order_give_the_same_bytes():
    days = [
        Day(date(2026, 1, 5), (paper("2601.01234"), paper("2601.00007"))),
        Day(date(2026, 1, 6), (paper("2512.20000"),)),
    ]
    assert [s.text for s in shards(days)] == [s.text for s in shards(reversed(days))]


def test_recent_lists_the_newest_days_first_with_papers_per_keyword():
    days = [
        Day(
            date(2026, 1, d), (paper(f"2601.0000{d}", keywords=("vad", "vlm")), paper("2601.01000"))
        )
        for d in range(1, 6)
    ]
    data = json.loads(recent(days, ["2601.00", "2601.01", "2601.00"], count=3))
    assert [d["day"] for d in data["days"]] == ["2026-01-05", "2026-01-04", "2026-01-03"]
    assert data["days"][0]["keywords"] == {"vad": 1, "vlm": 2}
    assert data["days"][0]["papers"] == 2
    assert data["more"] is True
    assert data["shards"] == ["2601.00", "2601.01"]


def test_recent_of_an_empty_store():
    assert json.loads(recent([], [])) == {"format": 1, "days": [], "more": False, "shards": []}
