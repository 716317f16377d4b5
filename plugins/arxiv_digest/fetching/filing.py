"""Filing: into which digest each fetched paper goes.

A paper goes into the digest of the day arXiv announced it (``schedule.announcement_day``),
with one exception: a digest that was already published never gains a paper. The API
sometimes lists a paper only days after its announcement (held in moderation, indexed
late); when such a paper is older than the newest digest stored before this fetch, it goes
into the digest of the current announcement, the one this run builds, and carries the day
it was announced (``Paper.announced``) so the page can say "listed late".

A keyword's first fetch fills in its history, so its papers go to their own days. A paper
already stored at its version stays on the day it is stored on, whichever keyword brings it
again: each version is in exactly one digest, and fetching the same answers twice changes
nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from ..model.paper import Paper
from ..model.schedule import announcement_day, latest_announcement_day, parse_timestamp
from ..model.store import Day

PaperKey = tuple[str, int | None]  # (id, version): what the store holds once


@dataclass(frozen=True)
class StoreBefore:
    """What the store held before this fetch, as far as filing needs it."""

    days: Mapping[PaperKey, date]  # the day each stored version is filed on
    keywords: frozenset[str]  # the slugs of keywords with at least one stored paper

    @classmethod
    def of(cls, days: Iterable[Day]) -> StoreBefore:
        filed: dict[PaperKey, date] = {}
        keywords: set[str] = set()
        for day in days:
            for paper in day.papers:
                filed[paper.id, paper.version] = day.date
                keywords.update(paper.keywords)
        return cls(filed, frozenset(keywords))

    @property
    def newest_day(self) -> date | None:
        return max(self.days.values(), default=None)

    def is_backfill(self, slug: str) -> bool:
        """A keyword with nothing stored: this fetch fills in its history."""
        return slug not in self.keywords


def file_papers(
    papers: Iterable[Paper],
    before: StoreBefore,
    run_started: datetime,
    holidays: Collection[date] = (),
) -> dict[date, list[Paper]]:
    """The fetched papers grouped by the digest day they go into.

    ``run_started`` (aware) fixes the current announcement: the last one made at or before
    it. A late paper goes into that digest, or into the newest stored one if that is newer
    (a clock behind the store must not file into the past). Late papers carry their
    announcement day in ``announced``; every other paper is returned unchanged.
    """
    by_version: dict[PaperKey, list[Paper]] = defaultdict(list)
    for paper in papers:
        by_version[paper.id, paper.version].append(paper)

    newest = before.newest_day
    current = latest_announcement_day(run_started, holidays)
    if newest is not None:
        current = max(current, newest)
    filed: dict[date, list[Paper]] = defaultdict(list)
    for key, versions in by_version.items():
        if key in before.days:
            # Stored already: it stays where it is, and the store keeps its mark.
            filed[before.days[key]].extend(versions)
            continue
        announced = announcement_day(parse_timestamp(versions[0].updated), holidays)
        backfill_only = all(
            before.is_backfill(slug) for paper in versions for slug in paper.keywords
        )
        if newest is None or announced >= newest or backfill_only:
            filed[announced].extend(versions)
        else:
            # News for a keyword whose readers have seen the newer digests: late.
            mark = announced.isoformat()
            filed[current].extend(replace(paper, announced=mark) for paper in versions)
    return dict(filed)
