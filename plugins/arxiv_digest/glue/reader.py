"""The reader: each day file of the store becomes one Pelican article, that day's digest.

Pelican then does what it does well: the article's URL (``/YYYY/MM/DD/``), the order of
days, the site feed (one entry per day), the index and archive pages, and the
autoreload watch over ``content/``.

A paper that cannot be read is left out of its day, a file that cannot be read is left
out of the site, and both are named in one ERROR after the site is written, so
``pelican --fatal errors`` exits non-zero only after building from the rest.

A day file whose bytes the build index (``buildindex``) knows is not parsed: its article
gets what the index kept, and a day whose papers are read when a page needs them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from markupsafe import escape
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from ..model.store import Day, StoreError, read_day_file
from ..pages.listings import long_date
from .buildindex import StoredDay, index_of
from .state import BuildState, state_of

if TYPE_CHECKING:
    from pelican.readers import Readers

logger = logging.getLogger(__name__)


class DigestReader(BaseReader):
    """Reads a store day file (``papers/YYYY/YYYY-MM-DD.json``) as that day's digest article."""

    enabled = True
    # Pelican reads it from the class, but its BaseReader leaves it unannotated, so mypy
    # infers an instance variable there.
    file_extensions: ClassVar[list[str]] = ["json"]  # type: ignore[misc]

    def read(self, source_path: str) -> tuple[str, dict[str, object]]:
        state = state_of(self.settings)
        path = _as_typed(Path(source_path))
        index = index_of(state, Path(self.settings["CACHE_PATH"]))
        known = index.known(path)
        if known:  # the same bytes as at the last build: not parsed
            day: Day = StoredDay(known.date, path)
            record = known.record
        else:
            try:
                stored = read_day_file(path)
            except StoreError as err:
                state.store_problems.append(str(err))
                index.forget(path)
                return "", {"status": "skip"}  # Pelican passes it by without a word
            day = stored.day
            record = index.record(path, stored)
        state.store_problems.extend(record.problems)
        metadata = {
            "title": f"arXiv digest, {long_date(day.date)}",
            "date": SafeDatetime(day.date.year, day.date.month, day.date.day),
            "slug": day.date.isoformat(),
            "template": "digest",
            "summary": str(escape(record.summary)),
            "day": day,
            "listed": record.listed,  # "BibTeX of all N papers"
            "source": record.digest,  # what the day's cached body was rendered from
        }
        return "", metadata


def _as_typed(path: Path) -> Path:
    """The path as its messages give it: from the working folder, as a user types it for
    ``git checkout -- <file>``, when it is inside it (a short path also keeps its name
    whole where a narrow log wraps the message)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def add_reader(readers: Readers) -> None:
    readers.reader_classes["json"] = DigestReader


def report_store_problems(state: BuildState) -> None:
    """After the site is written: one ERROR naming every paper and file left out."""
    if not state.store_problems:
        return
    # By file (each message starts with it), in the order of the file within one.
    problems = sorted(state.store_problems, key=lambda problem: problem.partition(": ")[0])
    logger.error(
        "The store holds %d problem%s; the site was built without the papers and files "
        "they name:\n  %s",
        len(problems),
        "s" * (len(problems) != 1),
        "\n  ".join(problems),
    )
