"""The reader: each day file of the store becomes one Pelican article, that day's digest.

Pelican then does what it does well: the article's URL (``/YYYY/MM/DD/``), the order of
days, the site feed (one entry per day), the index and archive pages, and the
autoreload watch over ``content/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from markupsafe import escape
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from ..model.store import read_day_file
from ..pages.listings import day_summary, long_date

if TYPE_CHECKING:
    from pelican.readers import Readers


class DigestReader(BaseReader):
    """Reads a store day file (``papers/YYYY/YYYY-MM-DD.json``) as that day's digest article."""

    enabled = True
    # Pelican reads it from the class, but its BaseReader leaves it unannotated, so mypy
    # infers an instance variable there.
    file_extensions: ClassVar[list[str]] = ["json"]  # type: ignore[misc]

    def read(self, source_path: str) -> tuple[str, dict[str, object]]:
        stored = read_day_file(Path(source_path))
        day = stored.day
        metadata = {
            "title": f"arXiv digest, {long_date(day.date)}",
            "date": SafeDatetime(day.date.year, day.date.month, day.date.day),
            "slug": day.date.isoformat(),
            "template": "digest",
            "summary": str(escape(day_summary(day))),
            "day": day,
            "source": stored.digest,  # what the day's cached body was rendered from
        }
        return "", metadata


def add_reader(readers: Readers) -> None:
    readers.reader_classes["json"] = DigestReader
