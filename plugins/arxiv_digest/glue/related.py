"""Related papers, the glue: the index kept in ``CACHE_PATH`` between builds, the new days
added to it, each day's related papers handed to its digest body, and the scripts' data.

Runs as its own Pelican generator once the days are read. A day's related papers are
computed once, when the day is new (``pages.related``: against that day and the days
before it), so a new day adds its own papers and changes no older page. Only when an
older day's titles or abstracts change (a keyword's first fetch fills in its history) is
everything computed again, from the changed store, as a fresh build would.

``generator.DigestGenerator.body`` reads ``article.related``: the day's links, made when
the body is rendered, and the key of its lists, part of the body's cache key (the lists
can change while the day file does not). ``/data/related/<shard>.json`` is made for the
shards of the new day's papers, and copied from the cache for the others.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pelican.generators import Generator

if TYPE_CHECKING:
    from pelican import Pelican
    from pelican.writers import Writer

from ..model.paper import Paper
from ..model.store import Day
from ..pages import related as computing
from ..pages import urls
from ..pages.listings import listed_papers
from .buildindex import BuildIndex
from .output import copy_file, write_text
from .state import state_of

logger = logging.getLogger(__name__)
FOLDER = "arxiv-digest-related"  # in CACHE_PATH: the index, and the data files' texts


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """A related paper as the digest shows it: its title, linking to it in its digest."""

    title: str  # cut short (computing.short_title)
    url: str  # relative to the site, or "#<id>" for a paper of the same day


@dataclass
class DayRelated:
    """A day's related papers; ``key`` changes whenever they do."""

    date: date
    key: str
    rows: range  # the day's rows in the index
    index: computing.RelatedIndex
    titles: TitleLookup

    @cached_property
    def links(self) -> dict[str, list[RelatedLink]]:
        """By paper id; made when the day's body is rendered (a cached body needs none)."""
        return {
            self.index.row_ids[row]: [
                RelatedLink(
                    computing.short_title(self.titles.title(n.day, n.id)),
                    f"#{n.id}" if n.day == self.date else urls.paper_url(n.day, n.id),
                )
                for n in self.index.related(row)
            ]
            for row in self.rows
        }


NO_RELATED = DayRelated(date.min, "", range(0), computing.RelatedIndex(), None)  # type: ignore[arg-type]


@dataclass
class TitleLookup:
    """The title of a paper as listed on a day, from the days read."""

    days: Mapping[date, Day]
    listed: dict[date, dict[str, Paper]] = field(default_factory=dict)
    index: BuildIndex | None = None  # knows the titles without reading the day files

    def title(self, day: date, paper_id: str) -> str:
        if self.index and (title := self.index.title(day, paper_id)) is not None:
            return title
        if day not in self.listed:
            self.listed[day] = {p.id: p for p in listed_papers(self.days[day])}
        return self.listed[day][paper_id].title


def related_of(article: Any) -> DayRelated:
    """The related papers of an article's day (none when this generator did not run)."""
    found: DayRelated = getattr(article, "related", NO_RELATED)
    return found


class RelatedGenerator(Generator):
    """The related papers of every day read, and ``/data/related/``."""

    def generate_context(self) -> None:
        state = state_of(self.settings)
        articles = self.context["articles"]  # newest first
        days = [(article.day, article.source) for article in reversed(articles)]
        self.folder = Path(self.settings["CACHE_PATH"]) / FOLDER
        self.keep = state.settings.cache
        index, added = self.update(days)
        self.index = index
        self.changed_shards = changed_shards(index, added)
        titles = TitleLookup({day.date: day for day, _ in days}, index=state.index)
        rows = index.day_rows()
        # A day's links show its neighbours' titles, from its day and the days before it: its
        # key covers those days' files too, so a changed title renders the days that show it.
        files = hashlib.sha256()
        for entry, article in zip(index.days, reversed(articles), strict=True):
            files.update(article.source.encode())
            key = entry.lists + files.hexdigest()[:16]
            article.related = DayRelated(
                entry.date, key, rows.get(entry.date, range(0)), index, titles
            )

    def update(self, days: Sequence[tuple[Day, str]]) -> tuple[computing.RelatedIndex, int]:
        """The index with every day in ``days``, and how many rows this build added."""
        path = index_path(self.folder)
        index, added, new_days, changed = update_index(
            load_index(path) if self.keep else None, days
        )
        logger.info(
            "Related papers: %d papers of %d new days compared with %d",
            added,
            new_days,
            len(index.row_ids),
        )
        if self.keep and changed:
            save_index(path, index)
        return index, added

    def generate_output(self, writer: Writer) -> None:
        """``/data/related/<shard>.json``: made for the shards that changed, copied from the
        cache for the others."""
        output = Path(self.output_path)
        kept = self.folder / "data"
        index = self.index
        every = set(np.unique(index.row_shards.array[index.alive]).tolist())
        cached = {int(p.stem) for p in kept.glob("*.json")} if self.keep else set()
        stale = every - cached if self.changed_shards is not None else every
        made = computing.related_data(index, stale | (self.changed_shards or set()))
        for key in sorted(every):
            name = f"{key:04d}"
            if name in made:
                write_text(output / urls.related_data_url(name), made[name])
                if self.keep:
                    write_text(kept / f"{name}.json", made[name])
            else:
                copy_file(kept / f"{name}.json", output / urls.related_data_url(name))
        if self.keep:
            for path in kept.glob("*.json"):
                if int(path.stem) not in every:
                    path.unlink()


def update_index(
    index: computing.RelatedIndex | None, days: Sequence[tuple[Day, str]]
) -> tuple[computing.RelatedIndex, int, int, bool]:
    """``index`` (None: none kept) with every day of ``days`` (oldest first, each with its
    file's digest); the rows and the days it added, and whether it changed at all. A day it
    holds that changed, or went, means starting again: each day's lists depend on the days
    before it."""
    if index is None or index.still_holds(days) < len(index.days):
        index = computing.RelatedIndex()
    noted = index.same_source(days)
    before, new_days = len(index.row_ids), days[len(index.days) :]
    index.add_days(new_days)
    return index, len(index.row_ids) - before, len(new_days), bool(new_days) or noted


def index_path(folder: Path) -> Path:
    """The kept index, named by the computation's code: a change to it starts again."""
    code = Path(computing.__file__).read_bytes()
    key = hashlib.sha256(code + np.__version__.encode()).hexdigest()[:16]
    return folder / f"index-{key}.npy"


def load_index(path: Path) -> computing.RelatedIndex | None:
    try:
        with path.open("rb") as kept:
            names = np.load(kept, allow_pickle=False).tobytes().decode().split()
            arrays = {name: np.load(kept, allow_pickle=False) for name in names}
        return computing.RelatedIndex.from_arrays(arrays)
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as error:
        if path.exists():
            logger.warning("The related papers in %s are computed again: %s", path, error)
        return None


def save_index(path: Path, index: computing.RelatedIndex) -> None:
    """The index's arrays one after the other, after their names (not a zip: numpy's
    ``savez`` spends a third of a save on checksums)."""
    # Whole or not at all, like the body cache: a lost file only means computing again.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    arrays = index.to_arrays()
    with partial.open("wb") as kept:
        np.save(kept, np.frombuffer(" ".join(arrays).encode(), np.uint8))
        for array in arrays.values():
            np.save(kept, array, allow_pickle=False)
    os.replace(partial, path)
    for other in path.parent.glob("index-*"):
        if other != path:
            other.unlink(missing_ok=True)


def changed_shards(index: computing.RelatedIndex, added: int) -> set[int] | None:
    """The data shards that the rows added change (None: all of them): their own."""
    if added == len(index.row_ids):
        return None
    return set(index.row_shards.array[len(index.row_ids) - added :].tolist())


def add_related_generator(pelican: Pelican) -> type[Generator]:
    return RelatedGenerator
