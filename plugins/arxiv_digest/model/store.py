"""The store: one JSON file per announcement day under ``content/papers/YYYY/``.

The store is committed to git, so it is written to diff well: sorted keys, papers
in id order, one file per day, written only when its bytes change, and the files a
merge changes all together or none (:mod:`.writing`). A paper matched by several
keywords is stored once, with all of them; a new version is stored on its own day and
the older day keeps what it announced. Merging never drops what is stored.

A day file is untrusted input: every field of every paper is checked for its type and
form, and a date outside the years a store can hold is refused. The build leaves out a
paper that fails (:func:`read_day_file`); a fetch refuses to write over its file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .paper import FieldError, Paper, shown
from .schedule import FIRST_YEAR, LAST_YEAR, stored_day
from .writing import write_together

FORMAT = 1
DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.json$")
# JSON escapes of characters XML and HTML cannot carry: control characters, and halves of
# surrogate pairs (those are fine in pairs only). arXiv text never needs them.
SUSPECT_ESCAPE = re.compile(r"\\u(?:00(?:0[0-8bcef]|1[0-9a-f]|7f)|d[89a-f][0-9a-f]{2})", re.I)
SURROGATE_PAIR = re.compile(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}", re.I)
# The same characters once the JSON is read: a half of a surrogate pair is left alone.
NON_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def escaped_non_text(text: str) -> re.Match[str] | None:
    """The first JSON escape in ``text`` of a character that is not text, if any."""
    for match in SUSPECT_ESCAPE.finditer(text):
        start = match.start()
        is_surrogate = match[0][2:4] != "00"
        paired = SURROGATE_PAIR.match(text, start) or (
            start >= 6 and SURROGATE_PAIR.match(text, start - 6)
        )
        if not (is_surrogate and paired):
            return match
    return None


@dataclass(frozen=True)
class Day:
    """What arXiv announced on one digest day, for any keyword."""

    date: date
    papers: tuple[Paper, ...]


class StoreError(Exception):
    """A store file cannot be read; the message names it and says what to do."""


def day_path(root: Path, day: date) -> Path:
    return root / f"{day:%Y}" / f"{day:%Y-%m-%d}.json"


def day_files(root: Path) -> list[Path]:
    """Every day file in the store, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*/*.json") if DAY_FILE.match(p.name))


@dataclass(frozen=True)
class DayFile:
    """A day file as read: its day, a digest of its bytes that changes when they do, and
    why each paper left out of the day was left out."""

    day: Day
    digest: str
    problems: tuple[str, ...] = ()


def read_day_file(path: Path) -> DayFile:
    """Read and check one day file, once, keeping its sound papers: a paper with a wrong
    field or a repeated id is left out and named in ``problems``; a file that is not a day
    as a whole raises StoreError."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise StoreError(f"{path}: cannot be read ({err})") from None
    day, problems = _parse_day(text, path)
    return DayFile(day, hashlib.blake2b(data, digest_size=16).hexdigest(), problems)


def load_day(path: Path) -> Day:
    """Read one day file; a file that is not a valid day raises :class:`StoreError`."""
    return parse_day(read_day_text(path), path)


def read_day_text(path: Path) -> str:
    """The text of one day file; a file that cannot be read raises :class:`StoreError`."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise StoreError(f"{path}: cannot be read ({err})") from None


def parse_day(text: str, path: Path) -> Day:
    """A day file's day, every paper sound; anything wrong raises :class:`StoreError`."""
    day, problems = _parse_day(text, path)
    if problems:
        more = len(problems) - 1
        raise StoreError(problems[0] + (f" (and {more} more in this file)" if more else ""))
    return day


def _parse_day(text: str, path: Path) -> tuple[Day, tuple[str, ...]]:
    """The day with its sound papers, and a message for each paper left out."""
    restore = f"fix it, or restore it with 'git checkout -- {path}'"
    # One pass over the text finds files worth searching for what is not text (it is rare).
    suspect = escaped_non_text(text) is not None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise StoreError(
            f"{path}: line {err.lineno} column {err.colno}: {err.msg}; {restore}"
        ) from None
    except RecursionError:
        raise StoreError(f"{path}: nested too deeply to be a day file; {restore}") from None
    except ValueError as err:  # a number of more than 4,300 digits
        raise StoreError(f"{path}: {err}; {restore}") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}: not a day file (expected a JSON object); {restore}")
    if suspect and (found := _non_text_field({k: v for k, v in data.items() if k != "papers"})):
        raise StoreError(f"{path}: {found}; {restore}")
    if data.get("format") != FORMAT:
        raise StoreError(
            f"{path}: store format {shown(data.get('format'))}, but this arxiv-digest reads "
            f"format {FORMAT}; update arxiv-digest or {restore}"
        )
    day = _day_of(path)
    if day is None:
        raise StoreError(
            f"{path}: not a day file: name it papers/YYYY/YYYY-MM-DD.json, a real day "
            f"of the years {FIRST_YEAR}-{LAST_YEAR}"
        )
    if data.get("day") != day.isoformat():
        raise StoreError(f"{path}: its 'day' ({shown(data.get('day'))}) does not match its name")
    papers = data.get("papers")
    if not isinstance(papers, list):
        raise StoreError(f"{path}: 'papers' must be a list; {restore}")
    parsed: dict[tuple[str, int | None], int] = {}  # each paper's position in the file
    sound, problems = [], []
    for index, item in enumerate(papers, start=1):
        try:
            if suspect and isinstance(item, dict) and (found := _non_text_field(item)):
                raise FieldError("", found)
            paper = Paper.from_json(item)
        except FieldError as err:
            problems.append(f"{path}: paper {index} ({_paper_name(item)}): {err}; {restore}")
            continue
        key = (paper.id, paper.version)
        if key in parsed:
            problems.append(
                f"{path}: paper {index} ({paper.id}): 'id' repeats paper "
                f"{parsed[key]}, the same version of the same paper; {restore}"
            )
            continue
        parsed[key] = index
        sound.append(paper)
    return Day(day, tuple(sound)), tuple(problems)


def _non_text_field(data: dict[str, object]) -> str | None:
    """Which field of a JSON object holds a character that is not text, and which, if any."""
    for key, value in data.items():
        pending = [key, value]  # a list, not recursion: a value may be nested deep
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                if found := NON_TEXT.search(item):
                    escape = json.dumps(found[0])[1:-1]
                    return f"'{key}' holds {escape}, which is not text"
            elif isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                pending.extend(item.keys())
                pending.extend(item.values())
    return None


def _paper_name(item: object) -> str:
    """How a message names a stored paper that cannot be read: its id as stored, if any."""
    name = item.get("id") if isinstance(item, dict) else None
    if name is None:
        return "no id"
    text = name if isinstance(name, str) else shown(name)
    return text if len(text) <= 40 else text[:39] + "…"


def _day_of(path: Path) -> date | None:
    """The day a file's name and folder give, if they name one a store can hold."""
    if not DAY_FILE.match(path.name):
        return None
    try:
        day = stored_day(path.name.removesuffix(".json"))
    except ValueError:
        return None
    return day if path.parent.name == f"{day:%Y}" else None


def dump_day(day: Day) -> str:
    """The exact text of a day file: stable, so the same papers give the same bytes."""
    papers = sorted(day.papers, key=lambda p: (p.id, p.version or 0))
    data = {"format": FORMAT, "day": day.date.isoformat(), "papers": [p.to_json() for p in papers]}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def merge_papers(stored: Iterable[Paper], incoming: Iterable[Paper]) -> tuple[Paper, ...]:
    """Stored papers updated with incoming ones; nothing stored is ever dropped.

    The same version fetched again keeps every keyword it had and gains the new
    ones; a field arXiv now leaves empty keeps its stored value.
    """
    merged = {(p.id, p.version): p for p in stored}
    for paper in incoming:
        key = (paper.id, paper.version)
        old = merged.get(key)
        if old is not None:
            filled = {
                name: getattr(old, name)
                for name in paper.__dataclass_fields__
                if not getattr(paper, name) and getattr(old, name)
            }
            if "authors" not in filled:
                filled.pop("authors_truncated", None)
            paper = replace(paper, **filled).with_keywords(old.keywords + paper.keywords)
        merged[key] = paper
    return tuple(sorted(merged.values(), key=lambda p: (p.id, p.version or 0)))


class Store:
    """The day files under one folder, read and written as a whole."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def days(self) -> list[Day]:
        """Every stored day, oldest first; the first unreadable file raises StoreError."""
        return [load_day(path) for path in day_files(self.root)]

    def changes(self, incoming: Mapping[date, Iterable[Paper]]) -> dict[Path, str]:
        """The new text of each day file that merging ``incoming`` changes."""
        changed = {}
        for day, papers in sorted(incoming.items()):
            path = day_path(self.root, day)
            old_text = read_day_text(path) if path.exists() else None
            stored = parse_day(old_text, path).papers if old_text is not None else ()
            text = dump_day(Day(day, merge_papers(stored, papers)))
            if text != old_text:
                changed[path] = text
        return changed

    def merge(self, incoming: Mapping[date, Iterable[Paper]]) -> list[Path]:
        """Merge papers into their days' files, all or none (see :mod:`.writing`); returns
        the files whose bytes changed."""
        changed = self.changes(incoming)
        write_together(self.root, changed)
        return list(changed)
