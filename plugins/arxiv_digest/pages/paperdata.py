"""Data for the site's scripts: where each paper is (reading list), recent days ("new").

Pure: stored days in, JSON text out; the glue writes it under ``/data/``. The reading
list shows papers that may have left every keyword page, so it must find every stored
paper, but not by downloading a year of abstracts: it needs only the digest day that
lists a paper's newest version, and takes the paper itself from that day's page (the
same HTML, math included). So ``/data/papers/<month>.json`` maps ids to days, ~25 bytes
a paper, sharded by the month in the id (``2601.01234`` -> ``2601.json``; old-style
``quant-ph/0201082`` -> ``0201.json``). ``recent.json`` names the shards that exist, so
a script never asks for one that does not (a 404 is a console error).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ..model.store import Day
from .listings import listed_papers

FORMAT = 2
RECENT_DAYS = 30  # a visitor away longer than this sees "30+" new papers, not an exact count
ID_MONTH = re.compile(r"(\d{4})[.\d]*$")  # the YYMM of 2601.01234 and of quant-ph/0201082


@dataclass(frozen=True)
class Shard:
    """One file of ``/data/papers/``: the papers whose ids share a month (see shard_key)."""

    key: str  # 2601
    text: str  # the JSON file's text, at urls.paper_days_url(key)


def shard_key(paper_id: str) -> str:
    """The shard of an arXiv id, the month in it: ``2601.01234`` -> ``2601``,
    ``quant-ph/0201082`` -> ``0201``. reading-list.js computes the same key."""
    match = ID_MONTH.search(paper_id)
    if match is None:
        raise ValueError(f"{paper_id!r} is not an arXiv id")
    return match[1]


def paper_days(days: Iterable[Day]) -> dict[str, str]:
    """Each stored id and the digest day (ISO) that lists its newest version, by id."""
    return newest_days((p.id, p.version, day.date) for day in days for p in day.papers)


def newest_days(papers: Iterable[tuple[str, int | None, date]]) -> dict[str, str]:
    """:func:`paper_days` from every stored (id, version, day)."""
    newest: dict[str, tuple[int, str]] = {}
    for paper_id, version, day in sorted(papers, key=lambda paper: paper[2]):
        if paper_id not in newest or (version or 0) >= newest[paper_id][0]:
            newest[paper_id] = (version or 0, day.isoformat())
    return {paper_id: newest[paper_id][1] for paper_id in sorted(newest)}


def shards(days: Iterable[Day]) -> list[Shard]:
    """The id -> day index, in shards sorted by key; same store, same bytes."""
    return shards_of(paper_days(days))


def shards_of(paper_days: Mapping[str, str]) -> list[Shard]:
    """:func:`shards` from :func:`paper_days` (or a part of it: whole shards)."""
    by_key: dict[str, dict[str, str]] = {}
    for paper_id, day in paper_days.items():
        by_key.setdefault(shard_key(paper_id), {})[paper_id] = day
    return [
        Shard(key, _dumps({"format": FORMAT, "papers": papers}))
        for key, papers in sorted(by_key.items())
    ]


def recent(days: Iterable[Day], shard_keys: Iterable[str], count: int = RECENT_DAYS) -> str:
    """``recent.json``: the newest ``count`` digest days, newest first, each with its
    papers per keyword slug; whether older days exist (then a count is "at least");
    and the keys of the shards that exist."""
    every_day = sorted(days, key=lambda d: d.date, reverse=True)
    listed = []
    for day in every_day[:count]:
        papers = listed_papers(day)
        per_keyword = Counter(slug for paper in papers for slug in paper.keywords)
        listed.append({"day": day.date.isoformat(), "papers": len(papers), "keywords": per_keyword})
    more = len(every_day) > count
    return _dumps(
        {"format": FORMAT, "days": listed, "more": more, "shards": sorted(set(shard_keys))}
    )


def _dumps(data: dict[str, object]) -> str:
    # Compact with sorted keys: whitespace would add a fifth, and order must not vary.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
