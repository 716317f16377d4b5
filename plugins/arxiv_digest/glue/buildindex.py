"""The build index: what each day file of the store held, kept in SQLite beside the render
cache, so that a rebuild parses only the day files that changed.

A day file is known by its path and the digest of its bytes. For each, the index keeps
what the pages that sum up many days need of it: the papers it lists (for the archive
calendar and its summary), each paper's id, version and shard (``/data/papers/``), and
each paper's keywords and categories (keyword totals, trend charts, which days a keyword
or category page needs). A day the index knows is handed to Pelican as a
:class:`StoredDay`, whose papers are read from its file only when a page shown needs them.

SQLite because a build both updates the index (a day's rows replaced in one transaction)
and asks it questions across days ("which days carry cs.CV, newest first"): measured on a
year of days, it answers those in milliseconds, where loading a pickle or marshal of
every parsed day costs 0.6-0.7 s (building the Paper objects is most of the cost).

The index is derived data: anything wrong with it (a corrupt file, another version of
this plugin's code) means starting it again from the store, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.store import Day, DayFile, read_day_file
from ..pages.listings import day_summary, listed_papers
from ..pages.paperdata import shard_key

if TYPE_CHECKING:
    from .state import BuildState

logger = logging.getLogger(__name__)

FILE = "arxiv-digest-index.sqlite"  # in CACHE_PATH
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE days (
    path TEXT PRIMARY KEY, day TEXT NOT NULL UNIQUE, digest TEXT NOT NULL,
    listed INTEGER NOT NULL, summary TEXT NOT NULL, problems TEXT NOT NULL);
CREATE TABLE papers (
    day TEXT NOT NULL, id TEXT NOT NULL, version INTEGER, shard TEXT NOT NULL,
    listed INTEGER NOT NULL, title TEXT NOT NULL);
CREATE INDEX papers_shard ON papers (shard, day);
CREATE INDEX papers_id ON papers (id, day);
CREATE INDEX papers_day ON papers (day);
-- kind 'k': a keyword slug; 'c': an arXiv category. listed: the day lists this version.
CREATE TABLE marks (
    day TEXT NOT NULL, id TEXT NOT NULL, listed INTEGER NOT NULL, kind TEXT NOT NULL,
    code TEXT NOT NULL);
CREATE INDEX marks_code ON marks (kind, code, day);
CREATE INDEX marks_day ON marks (day);
"""


def code_key() -> str:
    """The plugin's code: a record is made by it, so other code starts the index again."""
    plugin = Path(__file__).parents[1]
    digest = hashlib.sha256()
    for path in sorted(plugin.rglob("*.py")):
        digest.update(path.relative_to(plugin).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class StoredDay(Day):
    """A day the index knows: its date now, its papers read from its file when first used."""

    def __init__(self, day: date, path: Path) -> None:
        object.__setattr__(self, "date", day)
        object.__setattr__(self, "file", path)

    def __getattr__(self, name: str) -> object:
        if name != "papers":
            raise AttributeError(name)
        papers = read_day_file(self.__dict__["file"]).day.papers
        object.__setattr__(self, "papers", papers)  # read once
        return papers


@dataclass(frozen=True, slots=True)
class DayRecord:
    """What the reader needs of a day file without parsing it."""

    digest: str  # of the file's bytes, as ``store.DayFile.digest``
    listed: int  # papers the day's digest lists
    summary: str  # ``listings.day_summary``
    problems: tuple[str, ...]  # the papers left out, as the reader reports them

    @classmethod
    def of(cls, stored: DayFile) -> DayRecord:
        day = stored.day
        return cls(stored.digest, len(listed_papers(day)), day_summary(day), stored.problems)


@dataclass(frozen=True, slots=True)
class Known:
    date: date
    record: DayRecord


class BuildIndex:
    """One build's connection to the index in ``cache``; :meth:`close` keeps what it learnt."""

    def __init__(self, cache: Path | None) -> None:
        """The index kept in ``cache``; None: one in memory, for this build only."""
        self.path = cache / FILE if cache else None
        self.read_paths: set[str] = set()  # the day files this build read, known or not
        self.touched_shards: set[str] = set()  # of the papers of days replaced or removed
        try:
            self.db = self._open(code_key()) if self.path else self._new(":memory:", "")
        except sqlite3.Error as error:  # another build of this site holds it
            logger.warning("The build index %s is not used: %s", self.path, error)
            self.path = None
            self.db = self._new(":memory:", "")

    def _open(self, code: str) -> sqlite3.Connection:
        assert self.path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            (kept,) = db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
            if kept == code:
                db.execute("BEGIN IMMEDIATE")  # this build's, or another build's: not both
                return db
        except sqlite3.OperationalError as error:
            if "locked" in str(error):
                db.close()
                raise
        except (sqlite3.Error, TypeError):  # none yet, corrupt, or half-made
            pass
        db.close()
        for leftover in self.path.parent.glob(FILE + "*"):  # the WAL files too
            leftover.unlink()
        return self._new(self.path, code)

    @staticmethod
    def _new(path: Path | str, code: str) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, timeout=0)
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO meta VALUES ('code', ?)", (code,))
        return db

    def known(self, path: Path) -> Known | None:
        """The day file at ``path`` if the index holds its bytes as they are now."""
        self.read_paths.add(str(path))
        try:
            data = path.read_bytes()
        except OSError:
            return None  # the reader says why
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()  # as read_day_file's
        row = self.db.execute(
            "SELECT day, listed, summary, problems FROM days WHERE path = ? AND digest = ?",
            (str(path), digest),
        ).fetchone()
        if row is None:
            return None
        day, listed, summary, problems = row
        record = DayRecord(digest, listed, summary, tuple(json.loads(problems)))
        return Known(date.fromisoformat(day), record)

    def record(self, path: Path, stored: DayFile) -> DayRecord:
        """Keep what the day file read now holds, in place of what it held."""
        self.read_paths.add(str(path))
        day = stored.day
        iso = day.date.isoformat()
        self._forget(str(path), iso)
        record = DayRecord.of(stored)
        problems = list(record.problems)
        self.db.execute(
            "INSERT INTO days VALUES (?, ?, ?, ?, ?, ?)",
            (
                str(path),
                iso,
                record.digest,
                record.listed,
                record.summary,
                json.dumps(problems),
            ),
        )
        shown = {id(paper) for paper in listed_papers(day)}
        self.db.executemany(
            "INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?)",
            [(iso, p.id, p.version, shard_key(p.id), id(p) in shown, p.title) for p in day.papers],
        )
        self.db.executemany(
            "INSERT INTO marks VALUES (?, ?, ?, ?, ?)",
            [
                (iso, p.id, id(p) in shown, kind, code)
                for p in day.papers
                for kind, codes in (("k", p.keywords), ("c", sorted(set(p.categories))))
                for code in codes
            ],
        )
        return record

    def forget(self, path: Path) -> None:
        """The file is no day of the site (it cannot be read)."""
        self.read_paths.add(str(path))
        self._forget(str(path), None)

    def _forget(self, path: str, day: str | None) -> None:
        days = {day} if day else set()
        days.update(d for (d,) in self.db.execute("SELECT day FROM days WHERE path = ?", (path,)))
        for gone in days:
            self.touched_shards.update(
                s
                for (s,) in self.db.execute(
                    "SELECT DISTINCT shard FROM papers WHERE day = ?", (gone,)
                )
            )
            for table in ("days", "papers", "marks"):
                self.db.execute(f"DELETE FROM {table} WHERE day = ?", (gone,))

    def drop_unread(self) -> None:
        """Every day file is read: forget the days whose files are gone from the store."""
        gone = [
            path
            for (path,) in self.db.execute("SELECT path FROM days")
            if path not in self.read_paths
        ]
        for path in gone:
            self._forget(path, None)

    # What the pages that sum up the days published (those since ``first``) need.

    def keyword_totals(self, first: date) -> Counter[str]:
        """How many distinct papers each keyword slug has (``listings.keyword_totals``)."""
        return Counter(
            dict(
                self.db.execute(
                    "SELECT code, COUNT(DISTINCT id) FROM marks WHERE kind = 'k' AND day >= ? "
                    "GROUP BY code",
                    (first.isoformat(),),
                ).fetchall()
            )
        )

    def listed_per_keyword(self, first: date) -> dict[date, Counter[str]]:
        """Each day's listed papers per keyword slug, for the days since ``first``."""
        counts: dict[date, Counter[str]] = defaultdict(Counter)
        for day, code, papers in self.db.execute(
            "SELECT day, code, COUNT(*) FROM marks WHERE kind = 'k' AND listed AND day >= ? "
            "GROUP BY day, code",
            (first.isoformat(),),
        ):
            counts[date.fromisoformat(day)][code] = papers
        return counts

    def listed_per_day(self, first: date) -> dict[date, int]:
        """How many papers each day since ``first`` lists."""
        return {
            date.fromisoformat(day): listed
            for day, listed in self.db.execute(
                "SELECT day, listed FROM days WHERE day >= ?", (first.isoformat(),)
            )
        }

    def day_categories(self, first: date) -> dict[date, frozenset[str]]:
        """The arXiv categories each day since ``first`` carries (``rebuild.day_feeds``)."""
        found: dict[date, set[str]] = defaultdict(set)
        for day, code in self.db.execute(
            "SELECT DISTINCT day, code FROM marks WHERE kind = 'c' AND day >= ?",
            (first.isoformat(),),
        ):
            found[date.fromisoformat(day)].add(code)
        return {day: frozenset(codes) for day, codes in found.items()}

    def days_with(self, kind: str, code: str, first: date) -> list[date]:
        """The days since ``first`` with a paper carrying the keyword ('k') or category
        ('c') ``code``, newest first."""
        return [
            date.fromisoformat(day)
            for (day,) in self.db.execute(
                "SELECT DISTINCT day FROM marks WHERE kind = ? AND code = ? AND day >= ? "
                "ORDER BY day DESC",
                (kind, code, first.isoformat()),
            )
        ]

    def categories(self, first: date) -> list[str]:
        return [
            code
            for (code,) in self.db.execute(
                "SELECT DISTINCT code FROM marks WHERE kind = 'c' AND day >= ? ORDER BY code",
                (first.isoformat(),),
            )
        ]

    def shards(self, first: date) -> set[str]:
        return {
            s
            for (s,) in self.db.execute(
                "SELECT DISTINCT shard FROM papers WHERE day >= ?", (first.isoformat(),)
            )
        }

    def shards_of(self, days: Iterable[date]) -> set[str]:
        found: set[str] = set()
        for day in days:
            found.update(
                s
                for (s,) in self.db.execute(
                    "SELECT DISTINCT shard FROM papers WHERE day = ?", (day.isoformat(),)
                )
            )
        return found

    def title(self, day: date, paper_id: str) -> str | None:
        """The title of the paper as the day lists it (None: the day does not list it)."""
        row = self.db.execute(
            "SELECT title FROM papers WHERE id = ? AND day = ? AND listed",
            (paper_id, day.isoformat()),
        ).fetchone()
        return row[0] if row else None

    def shard_papers(self, shard: str, first: date) -> list[tuple[str, int | None, date]]:
        """Every (id, version, day) of the shard's papers since ``first``."""
        return [
            (paper_id, version, date.fromisoformat(day))
            for paper_id, version, day in self.db.execute(
                "SELECT id, version, day FROM papers WHERE shard = ? AND day >= ?",
                (shard, first.isoformat()),
            )
        ]

    def abandon(self) -> None:
        """Keep nothing of this build (it stopped half-way)."""
        self.db.close()  # what was not committed is rolled back

    def close(self) -> None:
        """Keep this build's records (a build that stops half-way keeps none)."""
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as error:
            logger.warning("The build index %s is not kept: %s", self.path, error)
        self.db.close()


def index_of(state: BuildState, cache: Path) -> BuildIndex:
    """This build's index, opened by the first that asks: in ``cache`` when caching is on."""
    if state.index is None:
        state.index = BuildIndex(cache if state.settings.cache else None)
    return state.index
