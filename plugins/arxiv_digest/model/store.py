"""The store: one JSON file per announcement day under ``content/papers/YYYY/``.

The store is committed to git, so it is written to diff well: sorted keys, papers
in id order, one file per day, written atomically (temp file + rename) and only
when its bytes change. A paper matched by several keywords is stored once, with
all of them; a new version is stored on its own day and the older day keeps what
it announced. Merging never drops what is stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .paper import Paper

FORMAT = 1
DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.json$")
# JSON escapes of characters XML and HTML cannot carry: control characters, and halves of
# surrogate pairs (those are fine in pairs only). arXiv text never needs them.
SUSPECT_ESCAPE = re.compile(r"\\u(?:00(?:0[0-8bcef]|1[0-9a-f]|7f)|d[89a-f][0-9a-f]{2})", re.I)
SURROGATE_PAIR = re.compile(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}", re.I)


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
    """A day file as read: its day, and a digest of its bytes that changes when they do."""

    day: Day
    digest: str


def read_day_file(path: Path) -> DayFile:
    """Read and check one day file, once; a file that is not a valid day raises StoreError."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise StoreError(f"{path}: cannot be read ({err})") from None
    return DayFile(parse_day(text, path), hashlib.blake2b(data, digest_size=16).hexdigest())


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
    restore = f"fix it, or restore it with 'git checkout -- {path}'"
    if control := escaped_non_text(text):
        line = text.count("\n", 0, control.start()) + 1
        raise StoreError(f"{path}: line {line}: {control[0]} is not text; {restore}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise StoreError(
            f"{path}: line {err.lineno} column {err.colno}: {err.msg}; {restore}"
        ) from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}: not a day file (expected a JSON object); {restore}")
    if data.get("format") != FORMAT:
        raise StoreError(
            f"{path}: store format {data.get('format')!r}, but this arxiv-digest reads format "
            f"{FORMAT}; update arxiv-digest or {restore}"
        )
    match = DAY_FILE.match(path.name)
    try:
        day = date(*map(int, match.groups())) if match else None
    except ValueError:
        day = None
    if day is None or path.parent.name != f"{day:%Y}":
        raise StoreError(f"{path}: not a day file: name it papers/YYYY/YYYY-MM-DD.json")
    if data.get("day") != day.isoformat():
        raise StoreError(f"{path}: its 'day' ({data.get('day')!r}) does not match its name")
    papers = data.get("papers")
    if not isinstance(papers, list):
        raise StoreError(f"{path}: 'papers' must be a list; {restore}")
    parsed = []
    for index, item in enumerate(papers, start=1):
        try:
            parsed.append(Paper.from_json(item))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            name = item.get("id") if isinstance(item, dict) else None
            raise StoreError(
                f"{path}: paper {index} ({name or 'no id'}): {err!r}; {restore}"
            ) from None
    return Day(day, tuple(parsed))


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

    def merge(self, incoming: Mapping[date, Iterable[Paper]]) -> list[Path]:
        """Merge papers into their days' files; returns the files whose bytes changed."""
        changed = []
        for day, papers in sorted(incoming.items()):
            path = day_path(self.root, day)
            old_text = read_day_text(path) if path.exists() else None
            stored = parse_day(old_text, path).papers if old_text is not None else ()
            text = dump_day(Day(day, merge_papers(stored, papers)))
            if text == old_text:
                continue
            write_atomically(path, text)
            changed.append(path)
        return changed


def write_atomically(path: Path, text: str) -> None:
    """Write so that a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
