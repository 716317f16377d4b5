"""Data for the scripts: the id -> digest day index for the reading list, recent days for "new"."""

import json
from datetime import date

import pytest

from arxiv_digest.model.paper import Paper
from arxiv_digest.model.store import Day
from arxiv_digest.pages.paperdata import recent, shard_key, shards


def paper(paper_id: str, version: int = 1, keywords=("vlm",), **fields) -> Paper:
    return Paper(paper_id, version, f"Title of {paper_id}", keywords=keywords, **fields)


@pytest.mark.parametrize(
    ("paper_id", "key"),
    [
        ("2601.01234", "2601"),
        ("2612.29999", "2612"),
        ("0704.0001", "0704"),  # 2007-2014: four-digit numbers
        ("quant-ph/0201082", "0201"),
        ("math.GT/0309136", "0309"),
    ],
)
def test_shard_key_is_the_month_in_the_id(paper_id, key):
    assert shard_key(paper_id) == key


def test_each_paper_points_to_the_day_that_lists_its_newest_version():
    days = [
        Day(date(2026, 1, 5), (paper("2601.01234"), paper("quant-ph/0201082"))),
        Day(date(2026, 1, 20), (paper("2601.01234", version=2),)),
        # An older version announced late does not move the paper back.
        Day(date(2026, 1, 21), (paper("2601.01234", version=1),)),
    ]
    result = {s.key: json.loads(s.text) for s in shards(days)}
    assert result == {
        "0201": {"format": 2, "papers": {"quant-ph/0201082": "2026-01-05"}},
        "2601": {"format": 2, "papers": {"2601.01234": "2026-01-20"}},
    }


def test_an_entry_is_small():
    days = [Day(date(2026, 1, 5), tuple(paper(f"2601.{n:05}") for n in range(1000)))]
    (shard,) = shards(days)
    assert len(shard.text.encode()) < 26 * 1000 + 40


def test_same_days_in_any_order_give_the_same_bytes():
    days = [
        Day(date(2026, 1, 5), (paper("2601.01234"), paper("2601.00007"))),
        Day(date(2026, 1, 6), (paper("2512.20000"),)),
    ]
    assert [s.text for s in shards(days)] == [s.text for s in shards(reversed(days))]


def test_recent_lists_the_newest_days_first_with_papers_per_keyword():
    days = [
        Day(
            date(2026, 1, d),
            (
                paper(f"2601.0000{d}", keywords=("vad", "vlm")),
                paper("2601.01000"),
                paper("2601.01000", version=2),  # listed once on its day
            ),
        )
        for d in range(1, 6)
    ]
    data = json.loads(recent(days, ["2601", "2512", "2601"], count=3))
    assert [d["day"] for d in data["days"]] == ["2026-01-05", "2026-01-04", "2026-01-03"]
    assert data["days"][0]["keywords"] == {"vad": 1, "vlm": 2}
    assert data["days"][0]["papers"] == 2
    assert data["more"] is True
    assert data["shards"] == ["2512", "2601"]


def test_recent_of_an_empty_store():
    assert json.loads(recent([], [])) == {"format": 2, "days": [], "more": False, "shards": []}
