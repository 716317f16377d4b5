"""Real arXiv entries labelled with the keywords that find them, for the related papers'
quality (tests/fixtures/related/, its SOURCES.md says where from)."""

from __future__ import annotations

import gzip
import json
import lzma
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from arxiv_digest.model.paper import Paper
from arxiv_digest.model.store import Day
from arxiv_digest_dev import REPOSITORY
from arxiv_digest_dev.sites import make_paper

FOLDER = REPOSITORY / "tests" / "fixtures" / "related"
STORE = FOLDER / "arxiv-store.jsonl.xz"  # the labelled set: a real store, day by day
ENTRIES = FOLDER / "arxiv-keywords.jsonl.gz"  # 502 entries of 20 days, compared at once


def entry_paper(row: Mapping[str, Any]) -> Paper:
    """An entry as a paper, its keywords as the paper's keywords."""
    categories = tuple(row["categories"])
    return make_paper(
        str(row["id"]),
        title=str(row["title"]),
        abstract=str(row["abstract"]),
        primary_category=categories[0],
        categories=categories,
        keywords=tuple(row["keywords"]),
    )


def store_days(rows: Iterable[Mapping[str, Any]]) -> list[Day]:
    """Entries with their ``day``, as the store's days, oldest first."""
    by_day: dict[str, list[Paper]] = {}
    for row in rows:
        by_day.setdefault(str(row["day"]), []).append(entry_paper(row))
    return [Day(date.fromisoformat(day), tuple(papers)) for day, papers in sorted(by_day.items())]


def labelled_store(days: int | None = None) -> list[Day]:
    """The real store of :data:`STORE` (7,329 entries on 90 days); its first ``days``."""
    with lzma.open(STORE, "rt", encoding="utf-8") as lines:
        return store_days(map(json.loads, lines))[:days]


def labelled_entries() -> list[Paper]:
    """The 502 entries of :data:`ENTRIES`."""
    with gzip.open(ENTRIES, "rt", encoding="utf-8") as lines:
        return [entry_paper(json.loads(line)) for line in lines]
