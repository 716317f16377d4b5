"""Authors: which stored papers each author wrote, for the search page to find them.

Text search cannot answer "papers by Weng": Pagefind matches every word that starts
with a query word ("Li" finds "like", "linear") and, when none does, the longest indexed
word that starts the query ("Weng" finds "we"). So the build writes an author index that
the search page looks names up in, and shows the papers it names first, from Pagefind's
records (each carries an ``id`` filter).

The index is sharded by surname, so a look-up fetches one small file:

* ``data/authors/index.json``: ``{"format": 1, "shards": N}``, N a power of two;
* ``data/authors/<k>.json`` for k in 0..N-1: ``{"format": 1, "surnames": {surname:
  {name: [paper URL, ...]}}}``, where a surname is the folded last word of a name (see
  :func:`name_words`), k is :func:`shard_of` the surname, a name is as arXiv wrote it, and
  a paper URL is that of its newest version in its digest (``2025/12/12/#2512.10805``:
  the month's search bundle is ``2025-12``, the id follows ``#``), newest first.

:func:`find_papers` resolves a query against those files; search.js does the same.
A query is a surname (``Weng``), a name (``Tsui-Wei Weng``), arXiv's ``T. Weng`` or
``Weng, T``; case, accents and apostrophes do not matter. A surname finds every author of
that surname (or of a hyphenated one it is part of); given names narrow it: each must match
the author's given names in order, the first one first, an initial matching any name it
starts (``T. Weng`` finds Tsui-Wei Weng, not Lily Weng), or be the lower-case particles just
before the surname (``van Beethoven``). Pure: days in, JSON text out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from ..model.store import Day
from . import urls

FORMAT = 1
SHARD_BYTES = 64 * 1024  # a shard's target size, uncompressed: one fetch per look-up
MAX_SHARDS = 4096
# Letters that Unicode does not decompose into a base letter and a mark; its hyphens.
LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
    | dict(zip("øłđð\u0131\u2010\u2011", "olddi--", strict=True))
)
# O'Brien, with a typographic apostrophe too, is OBrien, as arXiv's search has it.
APOSTROPHES = re.compile("['`\u2019\u02bc\u00b4]")
SEPARATORS = re.compile(r"[\s.,;:()]+")  # between words; dots end initials: T.-W. Weng
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}  # Martin Luther King Jr.: the surname is King
MAX_QUERY_WORDS = 6

Surnames = Mapping[str, Mapping[str, Sequence[str]]]  # a shard: surname -> name -> papers


def fold(text: str, lower: bool = True) -> str:
    """``Ladecký`` -> ``ladecky``, ``Øyvind`` -> ``oyvind``: lower case, no accents."""
    if text.isascii():
        return text.lower() if lower else text
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return bare.lower().translate(LETTERS) if lower else bare


def name_words(name: str, lower: bool = True) -> list[str]:
    """The words of a name, folded, initials without their dots, hyphenated words whole,
    a trailing ``Jr.`` left out: ``T.-W. Weng`` -> ``["t", "w", "weng"]``,
    ``Tsui-Wei Weng`` -> ``["tsui-wei", "weng"]``. ``Weng, T.`` is put in name order.
    ``lower=False`` keeps the case, to tell particles (``van``) from names."""
    if "," in name:
        surname, _, given = name.partition(",")
        name = surname if fold(given).strip(" .") in SUFFIXES else f"{given} {surname}"
    words = [w.strip("-") for w in SEPARATORS.split(APOSTROPHES.sub("", fold(name, lower)))]
    words = [w for w in words if w]
    while len(words) > 1 and words[-1].lower() in SUFFIXES:
        words.pop()
    return words


def surname_keys(words: Sequence[str]) -> list[str]:
    """Where a name is filed: its last word, and each part of a hyphenated one."""
    if not words:
        return []
    last = words[-1]
    parts = [part for part in last.split("-") if part]
    return [last, *(part for part in parts if part != last)]


def shard_of(surname: str, shards: int) -> int:
    """The shard a surname is in: FNV-1a (32 bits) of its UTF-8 bytes, modulo ``shards``."""
    digest = 0x811C9DC5
    for byte in surname.encode("utf-8"):
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    return digest % shards


def name_matches(query: Sequence[str], name: str) -> bool:
    """Whether a query's words (:func:`name_words`) name this author (as arXiv wrote it)."""
    words = name_words(name)
    if not query or not words:
        return False
    surname = words[-1]
    if query[-1] != surname and query[-1] not in surname.split("-"):
        return False
    if len(query) == 1:
        return True
    before = slice(-len(query), -1)
    if list(query[before]) == words[before] and all(
        word[:1].islower() for word in name_words(name, lower=False)[before]
    ):
        return True  # the particles before the surname: van Beethoven, de la Cruz
    asked = _given(query[:-1])
    given = _given(words[:-1])
    if not given or not _same(asked[0], given[0]):
        return False
    rest = iter(given[1:])
    return all(any(_same(word, other) for other in rest) for word in asked[1:])


def _given(words: Sequence[str]) -> list[str]:
    return [part for word in words for part in word.split("-") if part]


def _same(one: str, other: str) -> bool:
    """A given name and another, or an initial and a name it starts."""
    if len(one) == 1 or len(other) == 1:
        return one[0] == other[0]
    return one == other


def is_name_query(words: Sequence[str]) -> bool:
    """Whether a query's words (:func:`name_words`) can be a name: a few, of letters."""
    return 0 < len(words) <= MAX_QUERY_WORDS and all(w.replace("-", "").isalpha() for w in words)


def newest_urls(days: Iterable[Day]) -> dict[str, tuple[date, str]]:
    """Each stored paper's newest version: (its day, its URL in that day's digest), by id."""
    newest: dict[str, tuple[date, int, str]] = {}
    for day in days:
        for paper in day.papers:
            version = paper.version or 0
            known = newest.get(paper.id)
            if known is None or (day.date, version) > known[:2]:
                newest[paper.id] = (day.date, version, urls.paper_url(day.date, paper.id))
    return {paper_id: (day, url) for paper_id, (day, _, url) in newest.items()}


def author_index(days: Iterable[Day]) -> dict[str, dict[str, list[str]]]:
    """Surname -> name as written -> the URLs of that author's papers, newest first."""
    days = list(days)
    newest = newest_urls(days)
    by_name: dict[str, set[str]] = defaultdict(set)
    for day in days:
        for paper in day.papers:
            newest_day, url = newest[paper.id]
            if newest_day == day.date:  # an older version's authors are the newest's
                for author in paper.authors:
                    by_name[author.name].add(url)
    index: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for name, paper_urls in by_name.items():
        listed = newest_first(paper_urls)
        for surname in surname_keys(name_words(name)):
            index[surname][name] = listed
    return dict(sorted(index.items()))


def index_files(days: Iterable[Day]) -> dict[str, str]:
    """The author index as files: URL (see ``urls``) -> JSON text; same store, same bytes.
    As many shards (a power of two) as keep each near :data:`SHARD_BYTES`."""
    index = author_index(days)
    total = sum(len(_dumps({surname: names})) for surname, names in index.items())
    count = 1
    while total / count > SHARD_BYTES and count < MAX_SHARDS:
        count *= 2
    shards: list[dict[str, dict[str, list[str]]]] = [{} for _ in range(count)]
    for surname, names in index.items():
        shards[shard_of(surname, count)][surname] = names
    files = {urls.AUTHORS_INDEX: _dumps({"format": FORMAT, "shards": count})}
    for number, surnames in enumerate(shards):
        files[urls.author_shard_url(number)] = _dumps({"format": FORMAT, "surnames": surnames})
    return files


def find_papers(query: str, shards: int, shard: Callable[[int], Surnames]) -> list[str]:
    """The URLs of the papers by the author a query names, newest first; none when the
    query is not a name or names no stored author. ``shard(k)`` gives shard k's surnames,
    as the search page fetches them; ``shards`` is their count, from ``index.json``."""
    words = name_words(query)
    if not is_name_query(words):
        return []
    names = shard(shard_of(words[-1], shards)).get(words[-1], {})
    return newest_first(
        url for name, papers in names.items() if name_matches(words, name) for url in papers
    )


def newest_first(paper_urls: Iterable[str]) -> list[str]:
    """Paper URLs (``2025/12/12/#2512.10805``) once each, the newest day first."""
    return sorted(set(paper_urls), reverse=True)


def _dumps(data: object) -> str:
    # Compact with sorted keys, as the other data files: same store, same bytes.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
