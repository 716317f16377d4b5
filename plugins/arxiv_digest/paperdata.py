"""Data files for the site's scripts: paper shards for the reading list, recent days for "new".

Pure: stored days in, JSON text out; the glue writes it under ``/data/``. The reading
list shows papers that may have left every keyword page, so it needs every stored paper,
but a visitor's few stars should not download a year. Papers are sharded by their id:
its month and thousand (``2601.01234`` -> ``2601.01.json``: a month of a year's history is
~2.6 MB of JSON, and arXiv spreads a month over ~28 thousands), or only the month for old-style ids,
which are few (``quant-ph/0201082`` -> ``0201.json``). ``recent.json`` names the shards
that exist, so a script never asks for one that does not (a 404 is a console error).

Everything here came from arXiv; ``json.dumps`` escapes it, and the scripts show it as
text, never as markup.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .paper import Paper
from .store import Day

FORMAT = 1
RECENT_DAYS = 30  # a visitor away longer than this sees "30+" new papers, not an exact count
OLD_STYLE_MONTH = re.compile(r"/(\d{4})")


@dataclass(frozen=True)
class Shard:
    """One file of ``/data/papers/``: the papers whose ids share a key (see shard_key)."""

    key: str  # 2601.01 or, for old-style ids, 0201
    text: str  # the JSON file's text

    @property
    def file_name(self) -> str:
        return f"{self.key}.json"


def shard_key(paper_id: str) -> str:
    """The shard of an arXiv id: ``2601.01234`` -> ``2601.01``, ``0704.0001`` -> ``0704.0``,
    ``quant-ph/0201082`` -> ``0201``. keepup.js computes the same key."""
    if "/" in paper_id:
        old_style = OLD_STYLE_MONTH.search(paper_id)
        if old_style is None:
            raise ValueError(f"{paper_id!r} is not an arXiv id")
        return old_style[1]
    month, number = paper_id.split(".")
    return f"{month}.{number[:-3]}"


def paper_entry(paper: Paper, day: Day) -> dict[str, object]:
    """What the reading list shows and exports of one paper; empty fields are left out."""
    entry: dict[str, object] = {
        "version": paper.version,
        "title": paper.title,
        "authors": [author.name for author in paper.authors],
        "abstract": paper.abstract,
        "category": paper.primary_category,
        "published": paper.published[:10],
        "day": day.date.isoformat(),
        "doi": paper.doi,
        "journal_ref": paper.journal_ref,
    }
    return {key: value for key, value in entry.items() if value not in ("", None, [])}


def shards(days: Iterable[Day]) -> list[Shard]:
    """Every stored paper, at its newest stored version, in shards sorted by key.

    Ids are sorted and the JSON is compact with sorted keys: same store, same bytes.
    """
    newest: dict[str, tuple[Paper, Day]] = {}
    for day in sorted(days, key=lambda d: d.date):
        for paper in day.papers:
            stored = newest.get(paper.id)
            if stored is None or (paper.version or 0) >= (stored[0].version or 0):
                newest[paper.id] = (paper, day)
    by_key: dict[str, dict[str, dict[str, object]]] = {}
    for paper_id in sorted(newest):
        paper, day = newest[paper_id]
        by_key.setdefault(shard_key(paper_id), {})[paper_id] = paper_entry(paper, day)
    return [
        Shard(key, _dumps({"format": FORMAT, "papers": papers}))
        for key, papers in sorted(by_key.items())
    ]


def recent(days: Iterable[Day], shard_keys: Iterable[str], count: int = RECENT_DAYS) -> str:
    """``recent.json``: the newest ``count`` digest days, newest first, each with its
    papers per keyword slug; whether older days exist (then a count is "at least");
    and the keys of the shards that exist."""
    every_day = sorted(days, key=lambda d: d.date, reverse=True)
    newest_days = every_day[:count]
    listed = []
    for day in newest_days:
        per_keyword = Counter(slug for paper in day.papers for slug in paper.keywords)
        listed.append(
            {"day": day.date.isoformat(), "papers": len(day.papers), "keywords": per_keyword}
        )
    more = len(every_day) > count
    return _dumps(
        {"format": FORMAT, "days": listed, "more": more, "shards": sorted(set(shard_keys))}
    )


def _dumps(data: dict[str, object]) -> str:
    # Compact: a year's shards are ~40 MB of mostly abstracts, and whitespace would add 5%.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
